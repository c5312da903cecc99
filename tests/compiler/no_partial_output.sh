#!/usr/bin/env bash
# A policy with errors never produces a binary, and a failed build leaves nothing behind
# (no executable, no object, no temporary file) where -o pointed.
#   no_partial_output.sh SBCC REPO_ROOT
set -euo pipefail
sbcc=$1
root=$2
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if "$sbcc" "$root/tests/compiler/diagnostics/E0002_unknown_name.sbc" -o "$out/sbc" >/dev/null 2>&1; then
  echo "sbcc succeeded on a policy with errors" >&2
  exit 1
fi
leftovers=$(find "$out" -mindepth 1 | wc -l)
if ((leftovers != 0)); then
  echo "a failed build left files behind:" >&2
  find "$out" -mindepth 1 >&2
  exit 1
fi
"$sbcc" "$root/samples/loopback.sbc" -o "$out/sbc" >/dev/null
[[ -x $out/sbc ]] || { echo "a good policy produced no executable" >&2; exit 1; }
[[ $(find "$out" -mindepth 1 | wc -l) == 1 ]] || { echo "a good build left extra files" >&2; exit 1; }
echo "no partial output: ok"
