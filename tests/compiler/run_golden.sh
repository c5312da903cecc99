#!/usr/bin/env bash
# Golden test of one policy: runs `sbcc check` (diagnostics/), `sbcc --emit=llvm --O0`
# (ir/) or `sbcc schema` for both backends (schema/) on it and compares with the
# .expected file beside it. The first line of
# the expected file is the exit status. With SBCC_UPDATE_GOLDEN=1 it rewrites the file.
#   run_golden.sh SBCC POLICY
set -euo pipefail

sbcc=$(realpath "$1")
policy=$2
dir=$(dirname "$policy")
name=$(basename "$policy")
expected="${policy%.sbc}.expected"

cd "$dir"  # diagnostics show paths relative to the test folder
set +e
case "$(basename "$dir")" in
  ir) output=$("$sbcc" "$name" --emit=llvm --O0 2>&1) ;;
  schema) output=$("$sbcc" schema "$name" 2>&1 && "$sbcc" schema "$name" --backend mysql 2>&1) ;;
  *) output=$(NO_COLOR=1 "$sbcc" check "$name" 2>&1) ;;
esac
status=$?
set -e
actual=$(printf 'exit %s\n%s\n' "$status" "$output")

if [[ "${SBCC_UPDATE_GOLDEN:-0}" == 1 ]]; then
  printf '%s\n' "$actual" > "$(basename "$expected")"
  echo "updated $expected"
  exit 0
fi
if [[ ! -f "$(basename "$expected")" ]]; then
  echo "missing $expected; create it with: SBCC_UPDATE_GOLDEN=1 $0 $*" >&2
  exit 1
fi
if ! diff -u "$(basename "$expected")" <(printf '%s\n' "$actual"); then
  echo "golden mismatch for $policy; if the new output is right: tools/update-golden" >&2
  exit 1
fi
