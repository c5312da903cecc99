#!/usr/bin/env bash
# tests/e2e/srtp_call.sh: a real SRTP client through the sbc. In a private network
# namespace (loopback only): baresip (Debian's baresip-core) on 127.0.0.40 calls the
# external face with SDES SRTP required (mediaenc=srtp-mand, AES_CM_128_HMAC_SHA1_80),
# sending a 440 Hz tone; the sbc compiled from POLICY (samples/loopback.sbc: `media relay
# … to internal as rtp`) converts to plain RTP toward a SIPp media server on
# 127.0.0.30/.31 that echoes what it gets (-rtp_echo) and checks that its INVITE is
# RTP/AVP without crypto (uas_media.xml). baresip hangs up after CALL_S seconds.
#
#   tests/e2e/srtp_call.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
#
# Passes only if: the media server got a plain RTP/AVP offer naming only the internal
# face (its scenario check) and the call succeeded; baresip's own statistics at hang-up
# show at least MIN_PACKETS packets sent and received and 0 errors either way (what it
# received is the echo, encrypted by the sbc with the key of the sbc's answer: 0 receive
# errors means it decrypted); iptables counters in the namespace see the RTP go
# baresip -> sbc -> media server -> sbc -> baresip with as many packets leaving the sbc
# on each leg as reached it on the other; the sbc ended the media on the BYE with 0 SRTP
# (RTP) authentication errors on either side.
#
# Environment: E2E_OUT=DIR keeps the files in DIR/srtp_call/; E2E_CALL_S (default 6).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"

CALL_S=${E2E_CALL_S:-6}
MIN_PACKETS=$(((CALL_S - 2) * 50))  # 20 ms packets, minus set-up time

# A fresh sbc gives the first call the first pair of each face: 30000 outside, 35000 inside.
add_counters() {
  local rules=(
    "caller_to_sbc -d 127.0.0.10 --dport 30000"
    "sbc_to_server -s 127.0.0.20 --sport 35000 -d 127.0.0.30/31 --dport 6000"
    "server_to_sbc -s 127.0.0.30/31 --sport 6000 -d 127.0.0.20 --dport 35000"
    "sbc_to_caller -s 127.0.0.10 --sport 30000"
  )
  local rule name rest
  for rule in "${rules[@]}"; do
    read -r name rest <<<"$rule"
    # shellcheck disable=SC2086
    iptables -A OUTPUT -p udp $rest -m comment --comment "$name" -j ACCEPT ||
      fail "iptables cannot add a counting rule (needs CAP_NET_ADMIN in the namespace)"
  done
}

write_baresip_config() {
  baresip_config "$WORKDIR/baresip" 127.0.0.40
  echo '<sip:caller@127.0.0.40>;regint=0;mediaenc=srtp-mand' >"$WORKDIR/baresip/accounts"
}

start_sbc() {
  start_bg sbc "$WORKDIR/sbc" --log-level=info
  SBC_PID=$LAST_PID
  wait_for_log "$WORKDIR/sbc.log" ready 10 "$SBC_PID" || { show_tail "$WORKDIR/sbc.log"; fail "sbc not ready"; }
  wait_udp_port 127.0.0.10 5060 3 || fail "sbc is not listening on 127.0.0.10:5060"
}

call() {
  e2e_log "baresip calls sip:service@127.0.0.10:5060 with SRTP for ${CALL_S}s"
  start_bg baresip timeout -k 5 $((CALL_S + 20)) baresip -f "$WORKDIR/baresip" -t "$CALL_S" \
    -e "/dial sip:service@127.0.0.10:5060"
  wait "$LAST_PID" || e2e_log "baresip exit status $?"
}

# baresip_stat ROW COLUMN: from its table at hang-up ("packets:  TX  RX", "errors: TX RX").
baresip_stat() {
  awk -v row="$1:" -v col="$2" '$1 == row { v = $(col + 1) } END { print v }' "$WORKDIR/baresip.log"
}

check_baresip() {
  grep -q "SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_80)" "$WORKDIR/baresip.log" ||
    note_failure "baresip did not enable SRTP (see $WORKDIR/baresip.log)"
  grep -q "Call with .* terminated" "$WORKDIR/baresip.log" || note_failure "baresip logged no ended call"
  local tx rx tx_errors rx_errors
  tx=$(baresip_stat packets 1)
  rx=$(baresip_stat packets 2)
  tx_errors=$(baresip_stat errors 1)
  rx_errors=$(baresip_stat errors 2)
  e2e_log "baresip: ${tx:-?} packets sent, ${rx:-?} received, errors ${tx_errors:-?}/${rx_errors:-?}"
  ((${tx:-0} >= MIN_PACKETS)) || note_failure "baresip sent ${tx:-no} packets, want >= $MIN_PACKETS"
  ((${rx:-0} >= MIN_PACKETS)) || note_failure "baresip received ${rx:-no} packets, want >= $MIN_PACKETS"
  [[ ${tx_errors:-x} == 0 && ${rx_errors:-x} == 0 ]] ||
    note_failure "baresip counted errors (send ${tx_errors:-?}, receive ${rx_errors:-?}): SRTP did not decrypt"
}

check_media_server() {
  local ip invites failed
  invites=0
  for ip in 30 31; do
    failed=$(sipp_stat "$WORKDIR/uas${ip}_stat.csv" "FailedCall(C)")
    [[ ${failed:-0} == 0 ]] || note_failure "media server .$ip: $failed failed calls (SDP check? see uas${ip}_errors.log)"
    invites=$((invites + $(grep -c "^INVITE call=.* avp=m=audio [0-9]* RTP/AVP .*crypto=$" "$WORKDIR/uas${ip}_actions.log" 2>/dev/null || true)))
  done
  ((invites == 1)) || note_failure "$invites plain RTP/AVP INVITEs reached the media servers, want 1"
}

check_packets() {
  local c2s s2m m2s s2c
  c2s=$(iptables_count caller_to_sbc)
  s2m=$(iptables_count sbc_to_server)
  m2s=$(iptables_count server_to_sbc)
  s2c=$(iptables_count sbc_to_caller)
  e2e_log "packets: baresip->sbc $c2s (SRTP), sbc->media server $s2m (RTP), media server->sbc $m2s (RTP)," \
    "sbc->baresip $s2c (SRTP)"
  ((c2s >= MIN_PACKETS)) || note_failure "baresip sent $c2s RTP packets to the sbc, want >= $MIN_PACKETS"
  ((s2m == c2s)) || note_failure "the sbc sent $s2m packets to the media server for $c2s from baresip"
  ((m2s >= s2m - 2)) || note_failure "the media server echoed $m2s of $s2m packets"
  ((s2c == m2s)) || note_failure "the sbc sent $s2c packets to baresip for $m2s from the media server"
}

check_sbc() {
  local line
  line=$(grep "media ended (BYE)" "$WORKDIR/sbc.log" | tail -1 || true)
  e2e_log "sbc: ${line#*] }"
  [[ -n $line ]] || note_failure "the sbc did not end the media on a BYE"
  # RTP must authenticate both ways. baresip 1.0's last SRTCP packet (sent as it hangs up)
  # does not authenticate with its own key; RTCP errors are shown, not failed on.
  [[ $line == *" 0 SRTP errors, "*"callee side"*" 0 SRTP errors, "* ]] || note_failure "SRTP errors in the sbc: '$line'"
  grep "SRTCP packet" "$WORKDIR/sbc.log" | sed 's/^/  note: /' >&2 || true
}

main() {
  (($# == 2)) || usage
  SBCC=$(readlink -f "$1")
  POLICY=$(readlink -f "$2")
  command -v baresip >/dev/null || fail "baresip not found (tools/setup installs baresip-core)"
  command -v sipp >/dev/null || fail "sipp not found"
  command -v iptables >/dev/null || fail "iptables not found"
  e2e_enter_netns "$@"

  compile_policy
  write_baresip_config
  add_counters
  start_sipp_media_servers uas_media.xml -rtp_echo
  start_sbc
  call
  sleep 0.5
  check_baresip
  check_media_server
  check_packets
  check_sbc

  if ((${#E2E_FAILURES[@]})); then
    show_tail "$WORKDIR/sbc.log" 12
    show_tail "$WORKDIR/baresip.log" 12
  fi
  finish_test "baresip SRTP <-> sbc <-> plain RTP media server, audio both ways"
}

main "$@"
