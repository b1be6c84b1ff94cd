#!/usr/bin/env bash
# Benchmark (not a test): the shared compile cache. sccache (setup.sh installs it) with a Redis server on
# 127.0.0.1 as the backend CI runners would share. Three clean builds of one workspace, each of its own copy
# in a folder of its own (as on three runners), one after the other:
#   1. plain: no sccache (the baseline);
#   2. cold: --sccache, Redis empty (it fills Redis: sccache's own cost);
#   3. warm: --sccache in another folder, with a new sccache server and local folder (another runner).
#   bench/sccache.sh [WORKSPACE_DIR (default bench/aws-workspace)]
#   BUILD_ARGS="--no-tune" bench/sccache.sh     # extra build-lambda options for all three builds
# Prints each build's wall time, the cache's counts, and the ratios to the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
src="$(cd "${1:-bench/aws-workspace}" && pwd)"
work="${WORK:-$repo/target/bench-sccache}"
rm -rf "$work" && mkdir -p "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
redis_pid=$!
export SCCACHE_REDIS_ENDPOINT="redis://127.0.0.1:$port"
export SCCACHE_SERVER_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export NO_COLOR=1
unset CARGO_TARGET_DIR RUSTC_WRAPPER SCCACHE_BASEDIRS
trap 'sccache --stop-server >/dev/null 2>&1 || true; kill "$redis_pid" 2>/dev/null || true' EXIT
until redis-cli -p "$port" ping >/dev/null 2>&1; do sleep 0.2; done

build() {   # build NAME [ARGS...]: copy the workspace to WORK/NAME, build it from clean, print seconds and counts
  local name=$1; shift
  mkdir -p "$work/$name"
  (cd "$src" && tar --exclude=./target -cf - .) | (cd "$work/$name" && tar -xf -)
  sccache --stop-server >/dev/null 2>&1 || true
  export SCCACHE_DIR="$work/$name.sccache-dir"
  local t0 t1
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  ./jbang build-lambda@. --manifest-path "$work/$name/Cargo.toml" --json ${BUILD_ARGS:-} "$@" >"$work/$name.json" 2>"$work/$name.log"
  t1=$(date +%s.%N)
  python3 - "$name" "$t0" "$t1" "$work/$name.json" <<'PY'
import json, sys
name, t0, t1, f = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
c = json.load(open(f)).get("sccache")
counts = "" if c is None else f"  requests {c['requests']}, hits {c['hits']}, misses {c['misses']}, not cacheable {c['not_cacheable']}"
print(f"{name:6s} {t1 - t0:8.1f} s{counts}")
open(f + ".seconds", "w").write(str(t1 - t0))
PY
}

echo "build-lambda options: --json ${BUILD_ARGS:-} (plain), the same and --sccache (cold, warm)"
echo "workspace: $src ($(rustc -V), sccache $(sccache --version | cut -d' ' -f2), Redis $(redis-server --version | grep -o 'v=[0-9.]*'))"
build plain
build cold --sccache
build warm --sccache
echo "redis keys: $(redis-cli -p "$port" dbsize)"
python3 - "$work" <<'PY'
import sys
w = sys.argv[1]
s = {n: float(open(f"{w}/{n}.json.seconds").read()) for n in ("plain", "cold", "warm")}
print(f"cold/plain {s['cold'] / s['plain']:.2f}   warm/plain {s['warm'] / s['plain']:.2f}")
PY
