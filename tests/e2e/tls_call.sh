#!/usr/bin/env bash
# tests/e2e/tls_call.sh SBCC POLICY: one call from an internet caller over TLS on the
# external face (127.0.0.10:5061) to a UDP media server inside: TLS is terminated and the
# call leaves over UDP with two Record-Route entries (the media servers' scenario checks
# them and the internal Via). The caller (tools/tls_call.py) verifies the sbc's certificate
# against samples/certs/ca.crt and sends ACK and BYE along the route set over TLS.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

[[ $# -eq 2 ]] || { echo "usage: $0 SBCC_BINARY POLICY_FILE" >&2; exit 2; }
SBCC=$(readlink -f "$1")
POLICY=$(readlink -f "$2")
e2e_enter_netns "$@"

timeout 120 "$SBCC" "$POLICY" -o "$WORKDIR/sbc" >"$WORKDIR/sbcc.log" 2>&1 || fail "sbcc could not compile $POLICY"
start_sipp_media_servers uas_rr.xml
start_bg sbc "$WORKDIR/sbc" --log-level=debug
SBC_PID=$LAST_PID
wait_for_log "$WORKDIR/sbc.log" "ready" 10 "$SBC_PID" || fail "sbc did not start"

result=$(timeout 30 python3 "$HERE/tools/tls_call.py" 127.0.0.10 5061 "$(dirname "$POLICY")/certs/ca.crt" 127.0.0.40) || {
  echo "$result"
  tail -20 "$WORKDIR/sbc.log"
  fail "the TLS call did not complete"
}
echo "$result"
is_running "$SBC_PID" || fail "the sbc exited"
grep -q "on external.tls -> dispatcher" "$WORKDIR/sbc.log" || fail "the sbc did not log the INVITE arriving over TLS"
grep -q "in-dialog BYE on external.tls" "$WORKDIR/sbc.log" || fail "the BYE did not arrive over TLS"
sleep 1
failed=0
for stat in "$WORKDIR"/uas*_stat.csv; do
  n=$(sipp_stat "$stat" "FailedCall(C)")
  failed=$((failed + ${n:-0}))
done
((failed == 0)) || fail "a media server saw a failed call (Record-Route or Via check)"
finish_test "a call over TLS from outside, BYE over TLS"
