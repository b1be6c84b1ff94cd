#!/usr/bin/env bash
# Benchmark (not a test): build-lambda against the bare `cargo zigbuild` call it makes and against
# cargo-lambda 1.9.2, on one workspace, alternating the three in one run:
#   - no-op: nothing changed since the last build;
#   - incremental: one function's main.rs touched, then a build.
#   bench/compare.sh [MANIFEST (default examples/Cargo.toml)] [NOOP_RUNS=7] [TOUCH_RUNS=3]
# The bare call gets exactly build-lambda's command and environment (from its --verbose lines) and
# shares its target folder, so both see the same cargo state; cargo-lambda (installed by
# bench/sizes.sh, or here, into WORK/cargo-lambda-venv) builds in a target folder of its own, for
# aarch64-unknown-linux-musl. Prints medians and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
manifest="${1:-examples/Cargo.toml}"
noop_runs="${2:-7}"
touch_runs="${3:-3}"
work="${WORK:-$repo/target/bench-sizes}"
ws_dir="$(cd "$(dirname "$manifest")" && pwd)"
ws=$(basename "$ws_dir")
venv="$work/cargo-lambda-venv"
if [ ! -x "$venv/bin/cargo-lambda" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check cargo-lambda==1.9.2 >&2
fi
ours_target="$work/$ws-speed" cl_target="$work/$ws-cargo-lambda"
export NO_COLOR=1

run_ours() { CARGO_TARGET_DIR="$ours_target" ./jbang build-lambda@. --manifest-path "$manifest"; }
run_cl() { (cd "$ws_dir" && PATH="$venv/bin:$PATH" CARGO_TARGET_DIR="$cl_target" cargo-lambda lambda build --release --target aarch64-unknown-linux-musl); }

# build-lambda's own cargo call, from its --verbose lines: the command, and the variables it sets.
verbose="$(CARGO_TARGET_DIR="$ours_target" ./jbang build-lambda@. --manifest-path "$manifest" --verbose 2>&1 >/dev/null)"
line="$(grep -m1 ' with cargo zigbuild: ' <<<"$verbose")"
# The command as printed (`cargo zigbuild ...`, or `cargo auditable zigbuild ...` with the SBOM on), then its
# one --config value (build.rustflags: the tuning's flags and the path remaps), taken whole.
command="${line#*with cargo zigbuild: }"
read -r -a cmd <<<"${command%% --config *}"
config="$(sed -n 's/.* --config \(.*\)$/\1/p' <<<"$line")"
read -r -a vars <<<"$(grep -m1 '^build-lambda: with ' <<<"$verbose" | sed 's/^build-lambda: with //')"
run_bare() { (cd "$ws_dir" && env CARGO_TARGET_DIR="$ours_target" "${vars[@]}" "${cmd[@]}" ${config:+--config "$config"}); }
echo "bare: ${vars[*]} ${cmd[*]} --config '$config'  (in $ws_dir)"

now() { date +%s.%N; }
time_it() { local t0; t0=$(now); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; echo "$(now) - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
first_main="$(ls "$ws_dir"/*/src/main.rs | head -1)"

run_bare >/dev/null 2>&1; run_ours >/dev/null 2>&1; run_cl >/dev/null 2>&1   # warm: every target up to date
declare -a nb=() no=() nc=() tb=() to=() tc=()
for ((i = 0; i < noop_runs; i++)); do
  nb+=("$(time_it run_bare)"); no+=("$(time_it run_ours)"); nc+=("$(time_it run_cl)")
done
for ((i = 0; i < touch_runs; i++)); do
  touch "$first_main"; tb+=("$(time_it run_bare)")
  touch "$first_main"; to+=("$(time_it run_ours)")
  touch "$first_main"; tc+=("$(time_it run_cl)")
done
report() {
  local name=$1 b=$2 o=$3 c=$4
  printf '%-22s bare %7.3f s   build-lambda %7.3f s (%+.3f s, x%.2f)   cargo-lambda %7.3f s   build-lambda/cargo-lambda %.2f\n' \
    "$name" "$b" "$o" "$(echo "$o - $b" | bc -l)" "$(echo "$o / $b" | bc -l)" "$c" "$(echo "$o / $c" | bc -l)"
}
echo "medians of $noop_runs no-op and $touch_runs touched runs ($(nproc) cores, $(rustc -V)), $ws"
report "no-op" "$(printf '%s\n' "${nb[@]}" | median)" "$(printf '%s\n' "${no[@]}" | median)" "$(printf '%s\n' "${nc[@]}" | median)"
[ "$touch_runs" -eq 0 ] || report "one main.rs touched" "$(printf '%s\n' "${tb[@]}" | median)" "$(printf '%s\n' "${to[@]}" | median)" "$(printf '%s\n' "${tc[@]}" | median)"
