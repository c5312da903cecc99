#!/usr/bin/env bash
# tests/e2e/malformed_sip.sh SBCC POLICY: bad SIP never crashes the SBC. Compiles the
# policy, starts the sbc in its own network namespace, sends it thousands of malformed
# datagrams from an "internet" address, and passes only if the sbc is still running,
# answered the known-bad requests with 400 (and 483 for Max-Forwards 0), and still
# answers a valid OPTIONS.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

[[ $# -eq 2 ]] || { echo "usage: $0 SBCC_BINARY POLICY_FILE" >&2; exit 2; }
SBCC=$(readlink -f "$1")
POLICY=$(readlink -f "$2")
e2e_enter_netns "$@"

timeout 120 "$SBCC" "$POLICY" -o "$WORKDIR/sbc" >"$WORKDIR/sbcc.log" 2>&1 || fail "sbcc could not compile $POLICY"
start_bg sbc "$WORKDIR/sbc" --log-level=error
SBC_PID=$LAST_PID
wait_udp_port 127.0.0.10 5060 10 || fail "sbc did not bind 127.0.0.10:5060"

result=$(timeout 60 python3 "$HERE/tools/sip_garbage.py" 127.0.0.10 5060 127.0.0.40 3000) || {
  echo "$result"
  fail "the sbc stopped answering after malformed input"
}
echo "$result"
is_running "$SBC_PID" || fail "the sbc exited during the malformed input"
grep -q "'400'" <<<"$result" || fail "no 400 replies to malformed requests"
grep -q "'483'" <<<"$result" || fail "no 483 reply to Max-Forwards: 0"
finish_test "malformed requests answered 400/483, the sbc still answering"
