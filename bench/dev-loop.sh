#!/usr/bin/env bash
# Benchmark (not a test): edit -> first new answer served. One function's main.rs is rewritten with a new
# marker, and the time is taken from that file write to the first HTTP answer (POST to the Invoke API,
# /2015-03-31/functions/NAME/invocations) that carries the marker. Side by side in one run, alternating:
#   - ours: `invoke-lambda --serve --watch` (the dev build: cargo zigbuild for aarch64-unknown-linux-musl,
#     debug, served under qemu-aarch64 -cpu neoverse-n1);
#   - cargo-lambda 1.9.2's `cargo lambda watch` (a host debug build through cargo run; installed as
#     bench/compare.sh does, into WORK/cargo-lambda-venv).
# Each tool serves its own copy of the workspace with its own target folder; both are warm (built and
# answered once) before the first edit. The client sends a request, and again 50 ms after each answer
# without the marker (or after 20 s without an answer), the same loop for both. Prints each time, the medians and the ratio ours/cargo-lambda.
#   bench/dev-loop.sh [WORKSPACE_DIR (default tests/fixtures/real-runtime)] [FUNCTION (echo-rt)] [EDITS=3]
# The edit puts "rev": MARKER first into the function's first `json!({`; an answer carries the change when it
# holds MARKER. BODY: the event sent (default {"n":1}, for the fixtures' echo functions; an HTTP API function
# gets an API Gateway payload 2.0 event, e.g. bench/dev-loop-http-event.json via BODY="$(cat ...)");
# READY: what the first answer must hold (default "echo"). The functions' environment (TABLE_NAME, AWS_REGION)
# is passed to both tools as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
src="${1:-tests/fixtures/real-runtime}"
fn="${2:-echo-rt}"
edits="${3:-3}"
work="${WORK:-$repo/target/bench-sizes}"
venv="$work/cargo-lambda-venv"
if [ ! -x "$venv/bin/cargo-lambda" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check cargo-lambda==1.9.2 >&2
fi
export NO_COLOR=1
name=$(basename "$src")
ours_ws="$work/dev-loop-$name-ours" cl_ws="$work/dev-loop-$name-cargo-lambda"
for d in "$ours_ws" "$cl_ws"; do
  mkdir -p "$d"
  # the sources afresh; each copy keeps its target folder (target/) between runs
  (cd "$src" && tar --exclude=./target -cf - .) | (cd "$d" && tar -xf -)
  # A workspace under this checkout builds with its rust-toolchain.toml (the pinned Rust, with the musl target);
  # the copies live elsewhere, so they get it too.
  [ -e "$src/rust-toolchain.toml" ] || cp "$repo/rust-toolchain.toml" "$d/"
done
main_rel="$fn/src/main.rs"
original="$(cat "$src/$main_rel")"
# OURS_TARGET / CL_TARGET: target folders to reuse (default: each copy's own target/)
ours_target="${OURS_TARGET:-$ours_ws/target}" cl_target="${CL_TARGET:-$cl_ws/target}"
ours_port=9301 cl_port=9302
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# Each server in its own process group (set -m), so that cleanup stops it and everything it started.
set -m
CARGO_TARGET_DIR="$ours_target" ./jbang invoke-lambda@. --serve --watch --port "$ours_port" \
  --manifest-path "$ours_ws/Cargo.toml" >"$work/dev-loop-ours.log" 2>&1 &
pids+=($!)
(cd "$cl_ws" && exec env PATH="$venv/bin:$PATH" CARGO_TARGET_DIR="$cl_target" cargo-lambda lambda watch \
  --invoke-address 127.0.0.1 --invoke-port "$cl_port") >"$work/dev-loop-cargo-lambda.log" 2>&1 &
pids+=($!)
set +m

now() { date +%s.%N; }
# $2: the longest a request may take (a request cargo-lambda's restart drops hangs: it is sent again after that)
default_body='{"n":1}' default_ready='"echo"'
body_json="${BODY:-$default_body}" ready="${READY:-$default_ready}"
invoke() { curl -s --max-time "${2:-600}" -X POST --data-binary "$body_json" "http://127.0.0.1:$1/2015-03-31/functions/$fn/invocations" || true; }
# Waits for an answer (the servers build first), then measures: write the marker, request until it is answered.
# $2: the server's pid: a server that has exited (its first build failed) ends the run with its log's last lines.
warm() {
  for ((i = 0; i < 1200; i++)); do
    invoke "$1" | grep -qF "$ready" && return 0
    kill -0 "$2" 2>/dev/null || { tail -5 "$3" >&2; echo "the server on port $1 exited (log: $3)" >&2; exit 1; }
    sleep 1
  done
  echo "no answer on port $1" >&2; exit 1
}
edit_and_wait() {
  local port=$1 ws=$2 marker=$3 t0 body
  t0=$(now)
  printf '%s\n' "${original/json!(\{/json!(\{\"rev\": \"$marker\", }" >"$ws/$main_rel.tmp"
  mv "$ws/$main_rel.tmp" "$ws/$main_rel"
  for ((i = 0; i < 12000; i++)); do
    body="$(invoke "$port" 20)"
    if grep -qF "$marker" <<<"$body"; then echo "$(now) - $t0" | bc; return 0; fi
    sleep 0.05
  done
  echo "no answer with $marker on port $port" >&2; exit 1
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

warm "$ours_port" "${pids[0]}" "$work/dev-loop-ours.log"; warm "$cl_port" "${pids[1]}" "$work/dev-loop-cargo-lambda.log"
# one edit each that is not counted: the first change builds what the first build left lazy
edit_and_wait "$ours_port" "$ours_ws" warmup >/dev/null; edit_and_wait "$cl_port" "$cl_ws" warmup >/dev/null
declare -a o=() c=()
for ((r = 1; r <= edits; r++)); do
  o+=("$(edit_and_wait "$ours_port" "$ours_ws" "o$r-$RANDOM")")
  c+=("$(edit_and_wait "$cl_port" "$cl_ws" "c$r-$RANDOM")")
  printf 'edit %d: invoke-lambda --serve --watch %6.2f s   cargo lambda watch %6.2f s\n' "$r" "${o[-1]}" "${c[-1]}"
done
mo=$(printf '%s\n' "${o[@]}" | median) mc=$(printf '%s\n' "${c[@]}" | median)
printf '%s (%s): edit -> first new answer, median of %d: invoke-lambda --serve --watch %.2f s, cargo lambda watch %.2f s, ratio %.2f\n' \
  "$name" "$fn" "$edits" "$mo" "$mc" "$(echo "$mo / $mc" | bc -l)"
