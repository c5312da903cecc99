#!/usr/bin/env bash
# Fails when a diagnostic kind in compiler/basic/diagnostic_kinds.def has no golden
# test whose expected output shows its code.
#   check_coverage.sh REPO_ROOT
set -euo pipefail
root=$1
missing=0
for code in $(grep -o '"E[0-9]\{4\}"' "$root/compiler/basic/diagnostic_kinds.def" | tr -d '"'); do
  if ! grep -qs "\[$code\]" "$root"/tests/compiler/diagnostics/*.expected; then
    echo "diagnostic $code has no golden test in tests/compiler/diagnostics/" >&2
    missing=1
  fi
done
exit $missing
