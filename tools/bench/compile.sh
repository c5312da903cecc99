#!/usr/bin/env bash
# Benchmark of the compiler: `sbcc check` and a full build of a policy, each run N times;
# prints min / median / max wall time in milliseconds. Not a test: nothing fails on time.
#   tools/bench/compile.sh [POLICY] [N]     (defaults: samples/loopback.sbc, 20)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
sbcc=${SBCC:-$root/build/bin/sbcc}
policy=${1:-$root/samples/loopback.sbc}
runs=${2:-20}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

measure() {  # measure LABEL CMD...: N timed runs, then the summary line
  local label=$1
  shift
  local times=()
  for ((i = 0; i < runs; i++)); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=($(((end - start) / 1000000)))
  done
  mapfile -t sorted < <(printf '%s\n' "${times[@]}" | sort -n)
  printf '%-8s %-28s runs %3d   min %5d ms   median %5d ms   max %5d ms\n' "$label" "$(basename "$policy")" \
    "$runs" "${sorted[0]}" "${sorted[$((runs / 2))]}" "${sorted[$((runs - 1))]}"
}

measure check "$sbcc" check "$policy"
measure build "$sbcc" "$policy" -o "$out/sbc"
