#!/usr/bin/env bash
# Measurement (not a test): a clean build of a workspace with the exact cargo call
# `./jbang build-lambda@. --manifest-path examples/Cargo.toml --verbose` prints (speed tuning: thin LTO,
# codegen-units=1, target-cpu=neoverse-n1), with cargo's --timings report, in a fresh target folder.
#   bench/example-build.sh [WORKSPACE_DIR...]   (default: examples)
# e.g. the example as committed at REV beside the working tree's:
#   git worktree add /tmp/ex-before REV && bench/example-build.sh /tmp/ex-before/examples examples
# Prints one row per workspace (wall seconds; CPU seconds, user + system, which another build on the
# machine disturbs far less than the wall time; crates compiled); the HTML reports stay in
# WORK/<n>-timings/ (WORK: target/bench-example-build). The crate registry is not cleared: downloads
# are not timed, only the compile.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work="${WORK:-$repo/target/bench-example-build}"
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=(examples)
mkdir -p "$work"
bins=(backend ws-connect ws-disconnect ws-default ws-broadcast)
cmd=(cargo zigbuild --release --target aarch64-unknown-linux-musl)
for b in "${bins[@]}"; do cmd+=(-p "$b"); done
for b in "${bins[@]}"; do cmd+=(--bin "$b"); done
cmd+=(--config 'build.rustflags = ["-C", "target-cpu=neoverse-n1"]' --timings)
envs=(CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 CARGO_PROFILE_RELEASE_LTO=thin CARGO_PROFILE_RELEASE_STRIP=symbols
  CFLAGS_aarch64_unknown_linux_musl=-mcpu=neoverse-n1 CXXFLAGS_aarch64_unknown_linux_musl=-mcpu=neoverse-n1 NO_COLOR=1)

echo "| workspace | wall seconds (clean) | CPU seconds | crates compiled | bootstraps bytes |"
echo "|---|---|---|---|---|"
n=0
for d in "${dirs[@]}"; do
  n=$((n + 1))
  target="$work/$n-target"
  rm -rf "$target" "$work/$n-timings"
  (cd "$d" && cargo fetch --quiet)   # downloads outside the timed part
  start=$(date +%s.%N)
  (cd "$d" && /usr/bin/time -o "$work/$n.cpu" -f '%U %S' env "${envs[@]}" CARGO_TARGET_DIR="$target" "${cmd[@]}") >"$work/$n.log" 2>&1 \
    || { echo "build of $d failed: $work/$n.log" >&2; exit 1; }
  secs=$(echo "$(date +%s.%N) - $start" | bc)
  cpu=$(awk '{print $1 + $2}' "$work/$n.cpu")
  mkdir -p "$work/$n-timings" && cp "$target"/cargo-timings/cargo-timing-*.html "$work/$n-timings/" 2>/dev/null || true
  crates=$(grep -c '^ *Compiling ' "$work/$n.log" || true)
  bytes=0
  for b in "${bins[@]}"; do bytes=$((bytes + $(stat -c %s "$target/aarch64-unknown-linux-musl/release/$b"))); done
  printf '| %s | %.0f | %.0f | %s | %s |\n' "$d" "$secs" "$cpu" "$crates" "$bytes"
done
