#!/usr/bin/env bash
# `sbcc fmt` over every policy of the repository (samples/ and tests/), on copies in a
# temporary folder so no repository file is touched. For each policy:
#   - with syntax errors: fmt refuses it (exit 1) and leaves the file as it was;
#   - otherwise: formatting is idempotent (fmt --check passes on the result, and
#     formatting it again changes nothing), and `sbcc check` gives the same exit status
#     and the same diagnostic codes before and after (formatting never changes meaning).
#   fmt_roundtrip.sh SBCC REPO_ROOT
set -uo pipefail

sbcc=$(realpath "$1")
root=$(realpath "$2")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
checked=0

fail() {
  echo "FAIL $1: $2" >&2
  failures=$((failures + 1))
}

# `sbcc check`'s exit status and its sorted diagnostic codes, one line.
check_summary() {
  local output status
  output=$(NO_COLOR=1 "$sbcc" check "$1" 2>&1)
  status=$?
  printf 'exit %s codes %s\n' "$status" "$(grep -o '\[E[0-9]\{4\}\]' <<<"$output" | sort | tr '\n' ' ')"
}

roundtrip() {
  local policy=$1 name copy before after
  name=$(realpath --relative-to="$root" "$policy")
  copy="$work/${name//\//_}"
  cp "$policy" "$copy"
  before=$(check_summary "$copy")
  if [[ $before == *"[E0001]"* ]]; then
    cp "$copy" "$copy.orig"
    "$sbcc" fmt "$copy" 2>/dev/null
    [[ $? == 1 ]] || fail "$name" "fmt of a policy with syntax errors did not exit 1"
    cmp -s "$copy" "$copy.orig" || fail "$name" "fmt rewrote a policy with syntax errors"
    return
  fi
  "$sbcc" fmt "$copy" || { fail "$name" "fmt exited $?"; return; }
  "$sbcc" fmt --check "$copy" >"$copy.check" || fail "$name" "not idempotent: $(cat "$copy.check")"
  "$sbcc" fmt --stdout "$copy" | cmp -s - "$copy" || fail "$name" "formatting the formatted text changes it"
  after=$(check_summary "$copy")
  [[ $before == "$after" ]] || fail "$name" "check before: $before; after: $after"
  checked=$((checked + 1))
}

while IFS= read -r -d '' policy; do
  roundtrip "$policy"
done < <(find "$root/samples" "$root/tests" -name '*.sbc' -print0 | sort -z)

echo "$checked policies formatted, $failures failures"
[[ $checked -gt 0 && $failures -eq 0 ]]
