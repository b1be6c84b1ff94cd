#!/usr/bin/env bash
# Benchmark (not a test): where the time of a no-op build goes, and the start-up of the small commands.
#   bench/startup.sh [MANIFEST (default tests/fixtures/chat-lite/Cargo.toml)] [RUNS=9]
# Alternates, in one run, each of:
#   java       a bare JVM start with the scripts' options (`java -XX:TieredStopAtLevel=1 ... -version`)
#   verify     ./jbang verify-elf@. BOOTSTRAP (one file)
#   verifylate the same verify-elf with the file read only after the options are parsed (BUILD_LAMBDA_NO_EARLY_READ=1;
#              by default main reads it beside picocli's start, lib/elf/EarlyRead)
#   verifybase the same verify-elf from another checkout (BASE=DIR, below)
#   version    ./jbang build-lambda@. --version (the wrapper and the script's JVM, nothing else)
#   bare       the exact cargo call build-lambda makes (command and variables from its --verbose lines)
#   noop       ./jbang build-lambda@. --manifest-path MANIFEST, nothing changed (the defaults: last time's cargo call
#              starts before the options are read, docs/guides/building.md)
#   noreplay   the same no-op planned, verified and installed again: the recorded no-op not repeated
#              (BUILD_LAMBDA_NO_REPLAY=1; the early start still on)
#   noearly    the same no-op with that early start off (BUILD_LAMBDA_NO_EARLY_CARGO=1)
#   noarchive  the same no-op with JBang's own //CDS archive only (JBANG_WRAPPER_NO_ARCHIVE=1)
#   base       the same no-op from another checkout (BASE=DIR, e.g. `git worktree add` of an older commit),
#              with a JBang cache of its own: one change measured against the code before it
#   jbang      the same no-op with JBang's own JVM in the loop, as an installed `jbang build-lambda@.`
#              runs it (JBANG_WRAPPER_NO_CACHE=1: the wrapper's launch cache off)
# and prints medians of wall time and of CPU time (user + sys, less hit by other load than wall time), the
# no-op's overhead over the bare call, and verify-elf's over the bare JVM.
# SKIP="jbang base" (space-separated names) leaves rows out. The workspace must have been built once.
set -euo pipefail
cd "$(dirname "$0")/.."
manifest="${1:-tests/fixtures/chat-lite/Cargo.toml}"
runs="${2:-9}"
skip=" ${SKIP:-} "
ws_dir="$(cd "$(dirname "$manifest")" && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/bench-startup/$(basename "$ws_dir")}" NO_COLOR=1
java_exec=java
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java_exec="$JAVA_HOME/bin/java"; fi

verbose="$(./jbang build-lambda@. --manifest-path "$manifest" --verbose 2>&1 >/dev/null)" || { echo "$verbose" >&2; exit 1; }
line="$(grep -m1 ' with cargo zigbuild: ' <<<"$verbose")"
# The command as printed (`cargo zigbuild ...`, or `cargo auditable zigbuild ...` with the SBOM on).
command="${line#*with cargo zigbuild: }"
read -r -a sel <<<"${command%% --config *}"
read -r -a vars <<<"$(grep -m1 '^build-lambda: with ' <<<"$verbose" | sed 's/^build-lambda: with //')"
config="$(sed -n 's/.* --config \(.*\)$/\1/p' <<<"$line")"
bootstrap="$(ls "$CARGO_TARGET_DIR"/lambda/*/bootstrap | head -1)"

run_java() { "$java_exec" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto -version; }
run_verify() { ./jbang verify-elf@. "$bootstrap"; }
run_verifylate() { BUILD_LAMBDA_NO_EARLY_READ=1 ./jbang verify-elf@. "$bootstrap"; }
run_version() { ./jbang build-lambda@. --version; }
run_bare() { (cd "$ws_dir" && env "${vars[@]}" "${sel[@]}" ${config:+--config "$config"}); }
run_noop() { ./jbang build-lambda@. --manifest-path "$manifest"; }
run_noreplay() { BUILD_LAMBDA_NO_REPLAY=1 ./jbang build-lambda@. --manifest-path "$manifest"; }
run_noearly() { BUILD_LAMBDA_NO_EARLY_CARGO=1 ./jbang build-lambda@. --manifest-path "$manifest"; }
run_noarchive() { JBANG_WRAPPER_NO_ARCHIVE=1 ./jbang build-lambda@. --manifest-path "$manifest"; }
run_verifybase() { JBANG_CACHE_DIR="$PWD/target/bench-startup/base-jbang-cache" "$BASE/jbang" verify-elf@"$BASE" "$bootstrap"; }
run_base() { JBANG_CACHE_DIR="$PWD/target/bench-startup/base-jbang-cache" "$BASE/jbang" build-lambda@"$BASE" --manifest-path "$manifest"; }
run_jbang() { JBANG_WRAPPER_NO_CACHE=1 ./jbang build-lambda@. --manifest-path "$manifest"; }
names=()
[ -n "${BASE:-}" ] || skip+=" base verifybase "
for n in java verify verifylate verifybase version bare noop noreplay noearly noarchive base jbang; do [[ "$skip" == *" $n "* ]] || names+=("$n"); done

ms() { echo $(( $(date +%s%N) / 1000000 )); }
declare -A t c
cpu_file="$(mktemp)"
# Twice each first: a new kept line records its class list, then makes its archive.
for n in "${names[@]}"; do for w in 1 2 3; do "run_$n" >/dev/null 2>&1 || { echo "failed: $n" >&2; exit 1; }; done; t[$n]="" c[$n]=""; done
for ((i = 0; i < runs; i++)); do
  for n in "${names[@]}"; do
    t0=$(ms)
    /usr/bin/time -f '%U %S' -o "$cpu_file" bash -c "$(declare -f "run_$n" run_bare); $(declare -p manifest ws_dir vars sel config bootstrap java_exec 2>/dev/null); BASE='${BASE:-}'; run_$n" >/dev/null 2>&1 \
      || { echo "failed: $n" >&2; exit 1; }
    t[$n]+="$(( $(ms) - t0 )) "
    c[$n]+="$(awk '{printf "%d", ($1 + $2) * 1000}' "$cpu_file") "
  done
done
rm -f "$cpu_file"
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : int((a[NR/2] + a[NR/2+1]) / 2)}'; }
declare -A m
echo "medians of $runs alternating runs, ms ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $("$java_exec" -version 2>&1 | head -1), $(basename "$ws_dir"))"
printf '%-10s %8s %8s   %s\n' "" "wall" "cpu" "(every run's wall time)"
for n in "${names[@]}"; do m[$n]=$(median <<<"${t[$n]}"); printf '%-10s %8d %8d   (%s)\n' "$n" "${m[$n]}" "$(median <<<"${c[$n]}")" "${t[$n]% }"; done
[ -n "${m[bare]:-}" ] && [ -n "${m[noop]:-}" ] && echo "no-op overhead over the bare cargo call: $(( m[noop] - m[bare] )) ms"
[ -n "${m[bare]:-}" ] && [ -n "${m[jbang]:-}" ] && echo "with JBang's JVM (installed jbang): $(( m[jbang] - m[bare] )) ms"
[ -n "${m[java]:-}" ] && [ -n "${m[verify]:-}" ] && echo "verify-elf over a bare JVM start: $(( m[verify] - m[java] )) ms"
[ -n "${m[java]:-}" ] && [ -n "${m[verifylate]:-}" ] && echo "verify-elf reading after the options over a bare JVM start: $(( m[verifylate] - m[java] )) ms"
[ -n "${m[java]:-}" ] && [ -n "${m[verifybase]:-}" ] && echo "verify-elf from BASE over a bare JVM start: $(( m[verifybase] - m[java] )) ms"
exit 0
