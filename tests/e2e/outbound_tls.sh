#!/usr/bin/env bash
# tests/e2e/outbound_tls.sh SBCC POLICY: a call from a media server inside (UDP) to a
# carrier outside over TLS. The policy forwards calls for 127.0.0.41 through the external
# face (the sample's routing table says tls for that domain); the carrier (a Python TLS
# server on 127.0.0.41:5061) answers 486, and the sbc must send the hop-by-hop ACK over
# the same TLS connection and relay the 486 to the media server.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
source "$HERE/lib.sh"

[[ $# -eq 2 ]] || { echo "usage: $0 SBCC_BINARY POLICY_FILE" >&2; exit 2; }
SBCC=$(readlink -f "$1")
POLICY=$(readlink -f "$2")
CERTS=$(dirname "$POLICY")/certs
e2e_enter_netns "$@"

timeout 120 "$SBCC" "$POLICY" -o "$WORKDIR/sbc" >"$WORKDIR/sbcc.log" 2>&1 || fail "sbcc could not compile $POLICY"
start_bg carrier python3 "$HERE/tools/tls_uas.py" 127.0.0.41 5061 "$CERTS/loopback.crt" "$CERTS/loopback.key" \
  "486 Busy Here"
CARRIER=$LAST_PID
start_bg sbc "$WORKDIR/sbc" --log-level=debug
wait_for_log "$WORKDIR/sbc.log" "ready" 10 "$LAST_PID" || fail "sbc did not start"

# The media server's side: one INVITE over UDP to the internal face; the answer it gets.
answers=$(timeout 20 python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.30", 5099))
s.settimeout(5)
invite = ("INVITE sip:anyone@127.0.0.41:5061 SIP/2.0\r\n"
          "Via: SIP/2.0/UDP 127.0.0.30:5099;branch=z9hG4bKoutbound-tls;rport\r\n"
          "Max-Forwards: 70\r\nFrom: <sip:ms@127.0.0.30>;tag=ms1\r\nTo: <sip:anyone@127.0.0.41>\r\n"
          "Call-ID: outbound-tls-1@127.0.0.30\r\nCSeq: 1 INVITE\r\nContact: <sip:ms@127.0.0.30:5099>\r\n"
          "Content-Length: 0\r\n\r\n")
s.sendto(invite.encode(), ("127.0.0.20", 5065))
while True:
    try:
        line = s.recv(65536).decode().split("\r\n")[0]
    except socket.timeout:
        break
    print(line)
    if line.startswith("SIP/2.0 486"):
        ack = invite.replace("INVITE sip:", "ACK sip:", 1).replace("CSeq: 1 INVITE", "CSeq: 1 ACK")
        ack = ack.replace("To: <sip:anyone@127.0.0.41>", "To: <sip:anyone@127.0.0.41>;tag=carrier")
        s.sendto(ack.encode(), ("127.0.0.20", 5065))
        break
PY
)
echo "media server received: $(tr '\n' ' ' <<<"$answers")"
carrier_rc=0
wait_exit "$CARRIER" 15 && { wait "$CARRIER" || carrier_rc=$?; }
cat "$WORKDIR/carrier.log"
grep -q "^SIP/2.0 486" <<<"$answers" || fail "the media server did not get the carrier's 486"
grep -q "^INVITE over TLS" "$WORKDIR/carrier.log" || fail "the INVITE did not reach the carrier over TLS"
grep -q "^Via: SIP/2.0/TLS 127.0.0.10:5061" "$WORKDIR/carrier.log" || fail "the carrier did not see the sbc's TLS Via"
grep -q "^then: ACK " "$WORKDIR/carrier.log" || fail "the carrier got no ACK over the TLS connection"
((carrier_rc == 0)) || fail "the carrier stand-in failed"
grep -q "via external.tls" "$WORKDIR/sbc.log" || fail "the sbc did not log the TLS forward"
finish_test "media server (UDP) -> sbc -> carrier over TLS, 486 and its ACK on the same connection"
