#!/usr/bin/env bash
# Benchmark (not a test): `./jbang build-lambda@.` against the bare `cargo zigbuild` call it
# makes, on the example workspace, in one run, alternating the two so machine load hits both.
#   bench/build-lambda.sh [CLEAN_RUNS (default 3)] [NOOP_RUNS (default 10)]
# Prints the median of each, and the ratio tool/bare (and the overhead in seconds). --no-tune on both
# sides: the tuned defaults change the profile, and the bare command must see the same settings.
set -euo pipefail
cd "$(dirname "$0")/.."
clean_runs="${1:-3}"
noop_runs="${2:-10}"
export CARGO_TARGET_DIR="$PWD/target/bench-target" NO_COLOR=1
triple=aarch64-unknown-linux-musl

# The exact command build-lambda runs, from its own --verbose line.
line="$(./jbang build-lambda@. --manifest-path examples/Cargo.toml --no-tune --verbose 2>&1 >/dev/null | grep -m1 ' with cargo zigbuild: ')"
read -r -a bare <<<"${line#*with cargo zigbuild: }"
strip_var="CARGO_PROFILE_RELEASE_STRIP=symbols"   # what build-lambda adds for the example's profile
echo "bare command: $strip_var ${bare[*]}  (in examples/)"

now() { date +%s.%N; }
time_it() { local t0; t0=$(now); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; echo "$(now) - $t0" | bc; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
run_bare() { (cd examples && env "$strip_var" "${bare[@]}"); }
run_tool() { ./jbang build-lambda@. --manifest-path examples/Cargo.toml --no-tune "$@"; }

clean_bare=() clean_tool=() noop_bare=() noop_tool=()
for ((i = 0; i < clean_runs; i++)); do
  rm -rf "$CARGO_TARGET_DIR/$triple"
  clean_bare+=("$(time_it run_bare)")
  clean_tool+=("$(time_it run_tool --clean)")
done
for ((i = 0; i < noop_runs; i++)); do
  noop_bare+=("$(time_it run_bare)")
  noop_tool+=("$(time_it run_tool)")
done

report() {
  local name=$1 b t
  b=$(printf '%s\n' "${@:2:$(( ($# - 1) / 2 ))}" | median)
  t=$(printf '%s\n' "${@:$(( ($# - 1) / 2 + 2 ))}" | median)
  printf '%-16s bare cargo zigbuild %7.3f s   build-lambda %7.3f s   ratio %.3f   overhead %+.3f s\n' \
    "$name" "$b" "$t" "$(echo "$t / $b" | bc -l)" "$(echo "$t - $b" | bc -l)"
}
echo "medians of $clean_runs clean and $noop_runs no-op runs ($(nproc) cores, $(cd examples && rustc -V))"
report "clean build" "${clean_bare[@]}" "${clean_tool[@]}"
report "no-op rebuild" "${noop_bare[@]}" "${noop_tool[@]}"
