#!/usr/bin/env bash
# Measurement (not a test): which zig versions cargo-zigbuild builds Lambda bootstraps with.
# For each zig version, a venv of its own gets ziglang==ZIG and cargo-zigbuild==ZIGBUILD from PyPI;
# then `./jbang build-lambda@.` builds, from a clean target folder, the example workspace (std only)
# and bench/c-deps (ring and aws-lc-sys: C and assembly compiled and archived by zig), and every
# bootstrap is started under qemu-aarch64-static.
#   bench/zig-versions.sh [ZIG_VERSION...]   (default: 0.15.2 0.16.0 0.17.1)
# Environment: ZIGBUILD (default 0.24.0), WORK (default target/zig-versions).
# Prints one Markdown row per zig version and workspace; the logs stay in $WORK.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
zigbuild="${ZIGBUILD:-0.24.0}"
work="${WORK:-$repo/target/zig-versions}"
versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(0.15.2 0.16.0 0.17.1)
mkdir -p "$work"

boots() {   # boots WORKSPACE LAMBDA_DIR: "yes" when every bootstrap starts and does what it should
  local ws=$1 dir=$2 b out bad=0
  for b in "$dir"/*/bootstrap; do
    out=$(timeout 60 qemu-aarch64-static -cpu neoverse-n1 "$b" 2>&1 || true)
    case "$ws" in
      examples) grep -q AWS_LAMBDA_RUNTIME_API <<<"$out" || { bad=1; echo "  $b: $out" >&2; } ;;
      c-deps) grep -q 'sha256 554e79e652b29f3a01dcf98e494b9928a1dc12cc83b83e730574c9b37ca6359f' <<<"$out" \
        || { bad=1; echo "  $b: $out" >&2; } ;;
    esac
  done
  [ "$bad" -eq 0 ] && echo yes || echo NO
}

echo "| zig | cargo-zigbuild | workspace | build | seconds | bootstraps start | first error |"
echo "|---|---|---|---|---|---|---|"
for zig in "${versions[@]}"; do
  venv="$work/venv-$zig"
  if [ ! -x "$venv/bin/cargo-zigbuild" ] || [ "$("$venv/bin/python" -m ziglang version)" != "$zig" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "ziglang==$zig" "cargo-zigbuild==$zigbuild" >&2
  fi
  for ws in examples c-deps; do
    manifest=$repo/examples/Cargo.toml
    [ "$ws" = c-deps ] && manifest=$repo/bench/c-deps/Cargo.toml
    target="$work/target-$zig-$ws"
    log="$work/build-$zig-$ws.log"
    rm -rf "$target"
    start=$(date +%s.%N)
    # zig's own cache is per version too, so nothing compiled by another version is reused.
    if PATH="$venv/bin:$PATH" CARGO_TARGET_DIR="$target" ZIG_GLOBAL_CACHE_DIR="$work/zig-cache-$zig" \
        ./jbang build-lambda@. --manifest-path "$manifest" >"$log" 2>&1; then
      result=ok
      started=$(boots "$ws" "$target/lambda")
      why=""
    else
      result=FAILED
      started=-
      why=$(grep -m1 -E 'error|Error' "$log" | cut -c1-120 | tr '|' '/' || true)
    fi
    secs=$(printf '%.0f' "$(echo "$(date +%s.%N) - $start" | bc)")
    echo "| $zig | $zigbuild | $ws | $result | $secs | $started | ${why:-} |"
  done
done
