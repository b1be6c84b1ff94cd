#!/usr/bin/env bash
# Measurement (not a test): bootstrap sizes of this project's release settings against cargo-lambda's,
# side by side on the same workspaces, each build from a clean target folder, aarch64-unknown-linux-musl.
#   bench/sizes.sh [MANIFEST...]   (default: examples/Cargo.toml bench/c-deps/Cargo.toml)
#   VARIANTS="cargo-lambda speed size" bench/sizes.sh bench/aws-workspace/Cargo.toml   (a few only)
# cargo-lambda 1.9.2 is installed from PyPI into a venv of its own (WORK/cargo-lambda-venv) on first use.
# Every build is checked: ours verify themselves, cargo-lambda's go through verify-elf, and every
# bootstrap is started under qemu-aarch64-static -cpu neoverse-n1 (the c-deps ones print a digest, the
# example's answer its sample event through invoke-lambda).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
work="${WORK:-$repo/target/bench-sizes}"
manifests=("$@")
[ ${#manifests[@]} -gt 0 ] || manifests=(examples/Cargo.toml bench/c-deps/Cargo.toml)
mkdir -p "$work"
venv="$work/cargo-lambda-venv"
if [ ! -x "$venv/bin/cargo-lambda" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check cargo-lambda==1.9.2 >&2
fi

total() { find "$1" -name bootstrap -type f -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }
starts() {   # every bootstrap of a lambda folder starts and answers (an error answer counts: init worked)
  local dir=$1 b name out event code
  for b in "$dir"/*/bootstrap; do
    name=$(basename "$(dirname "$b")")
    if [[ "$name" == *-digest ]]; then
      out=$(timeout 60 qemu-aarch64-static -cpu neoverse-n1 "$b" 2>&1 || true)
      grep -q 'sha256 554e79e652b29f3a01dcf98e494b9928a1dc12cc83b83e730574c9b37ca6359f' <<<"$out" || { echo "no ($name: $out)"; return; }
      continue
    fi
    event=events/$name.json
    [ -f "$event" ] || event=$(mktemp) && [ -s "$event" ] || echo '{}' > "$event"
    code=0
    # the example's functions read the table's name at init (the local run gives them a region too)
    ./jbang invoke-lambda@. "$name" --lambda-dir "$dir" --event "$event" --timeout 60 --env TABLE_NAME=connections \
      --env AWS_REGION=us-east-1 >/dev/null 2>&1 || code=$?
    [ "$code" -le 1 ] || { echo "no ($name: exit $code)"; return; }
  done
  echo yes
}

echo "| workspace | build | total bytes | vs cargo-lambda | seconds | verified | bootstraps start |"
echo "|---|---|---|---|---|---|---|"
for m in "${manifests[@]}"; do
  ws=$(basename "$(dirname "$m")")
  declare -A bytes=()
  for variant in ${VARIANTS:-cargo-lambda speed speed+panic-abort size no-tune}; do
    target="$work/$ws-$variant"
    rm -rf "$target"
    start=$(date +%s.%N)
    case "$variant" in
      cargo-lambda)
        (cd "$(dirname "$m")" && PATH="$venv/bin:$PATH" CARGO_TARGET_DIR="$target" cargo-lambda lambda build --release --target aarch64-unknown-linux-musl) \
          >"$work/$ws-$variant.log" 2>&1
        ./jbang verify-elf@. "$target/lambda" >>"$work/$ws-$variant.log" 2>&1 && verified=yes || verified=NO ;;
      speed) CARGO_TARGET_DIR="$target" ./jbang build-lambda@. --manifest-path "$m" >"$work/$ws-$variant.log" 2>&1; verified=yes ;;
      speed+panic-abort) CARGO_PROFILE_RELEASE_PANIC=abort CARGO_TARGET_DIR="$target" ./jbang build-lambda@. --manifest-path "$m" \
          >"$work/$ws-$variant.log" 2>&1; verified=yes ;;
      size) CARGO_TARGET_DIR="$target" ./jbang build-lambda@. --manifest-path "$m" --tune size >"$work/$ws-$variant.log" 2>&1; verified=yes ;;
      no-tune) CARGO_TARGET_DIR="$target" ./jbang build-lambda@. --manifest-path "$m" --no-tune >"$work/$ws-$variant.log" 2>&1; verified=yes ;;
    esac
    secs=$(printf '%.0f' "$(echo "$(date +%s.%N) - $start" | bc)")
    bytes[$variant]=$(total "$target/lambda")
    ratio=$(echo "scale=3; ${bytes[$variant]} / ${bytes[cargo-lambda]}" | bc)
    printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$ws" "$variant" "${bytes[$variant]}" "$ratio" "$secs" "$verified" "$(starts "$target/lambda")"
  done
  unset bytes
done
