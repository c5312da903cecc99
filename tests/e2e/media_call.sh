#!/usr/bin/env bash
# tests/e2e/media_call.sh: end-to-end test of the media relay with real audio. In a
# private network namespace (loopback only), for each flow: two SIPp media servers on
# 127.0.0.30/.31:5080 that echo RTP (-rtp_echo, media port 6000), a fresh sbc compiled
# from POLICY (samples/loopback.sbc: `media relay from external to internal`), and a
# SIPp caller on 127.0.0.40 placing CALLS calls one after the other, each streaming 2 s
# of PCMU (100 packets, SIPp rtp_stream) to the address the SDP it got names.
#
#   tests/e2e/media_call.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
#
# The flows (scenarios in tests/e2e/scenarios/):
#   basic        uac_media.xml / uas_media.xml: offer in the INVITE, answer in the 200
#   late_offer   uac_late_offer.xml / uas_late_offer.xml: INVITE without SDP, the offer
#                in the 200 (from the inside), the answer in the ACK
#   early_media  uac_early_media.xml / uas_early_media.xml: a 183 with SDP before the 200
#   hold         uac_hold.xml / uas_hold.xml: audio, re-INVITE a=sendonly (answered
#                recvonly), re-INVITE a=sendrecv, audio again (200 packets per call)
#   timeout      uac_timeout.xml / uas_timeout.xml: no audio at all; with the policy's
#                `limits { media timeout 2s }` (POLICY imported by a policy that sets
#                it) the sbc must end each call with a BYE to both parties (Reason:
#                media timeout) and free its ports; instead of packet counts, the sbc
#                must log one ended call and two answered BYEs per call
#
# What is checked per flow (exit 0 only if all hold):
#   - every call succeeds at both ends; the scenarios' checks that each SDP a party gets
#     names only its own face (127.0.0.10 outside, 127.0.0.20 inside) and nothing of the
#     other side are part of success;
#   - packet counts, from iptables counters on the namespace's OUTPUT path, which see
#     every datagram each party hands to loopback (an observer outside the sbc):
#       caller -> sbc        at least 95% of the 100 packets per call SIPp was asked to send
#       sbc -> media server  equal to caller -> sbc       (nothing lost in the relay)
#       media server -> sbc  equal to sbc -> media server (the echo)
#       sbc -> caller        equal to media server -> sbc (nothing lost on the way back)
#       caller <-> media server directly: 0 (media never bypasses the sbc)
#   - after the calls no RTP port of the sbc is still open (ss), the sbc logged one
#     "media ended (BYE)" per call, and its closing line says 0 media sessions open.
#
# Environment: E2E_OUT=DIR keeps the files in DIR/media_call/; E2E_CALLS (default 3);
# E2E_FLOWS (default "basic late_offer early_media hold timeout").
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"

CALLS=${E2E_CALLS:-3}
read -r -a FLOWS <<<"${E2E_FLOWS:-basic late_offer early_media hold timeout}"
declare -A UAC_XML=([basic]=uac_media.xml [late_offer]=uac_late_offer.xml [early_media]=uac_early_media.xml
  [hold]=uac_hold.xml [timeout]=uac_timeout.xml)
declare -A UAS_XML=([basic]=uas_media.xml [late_offer]=uas_late_offer.xml [early_media]=uas_early_media.xml
  [hold]=uas_hold.xml [timeout]=uas_timeout.xml)
declare -A PACKETS=([basic]=100 [late_offer]=100 [early_media]=100 [hold]=200 [timeout]=0)
UAS_IPS=(127.0.0.30 127.0.0.31)
SCENARIOS=$HERE/scenarios

flow_failure() { note_failure "$FLOW: $*"; }   # a failed condition of the current flow

# ------------------------------------------------------------ packet counters
COUNTERS=(caller_to_sbc sbc_to_server server_to_sbc sbc_to_caller bypass)
add_counters() {
  local rules=(
    "caller_to_sbc -s 127.0.0.40 -d 127.0.0.10 --sport 6000"
    "sbc_to_server -s 127.0.0.20 -d 127.0.0.30/31 --dport 6000"
    "server_to_sbc -s 127.0.0.30/31 -d 127.0.0.20 --sport 6000"
    "sbc_to_caller -s 127.0.0.10 -d 127.0.0.40 --dport 6000"
    "bypass -s 127.0.0.40 -d 127.0.0.30/31"
    "bypass -s 127.0.0.30/31 -d 127.0.0.40"
  )
  local rule name
  for rule in "${rules[@]}"; do
    read -r name rest <<<"$rule"
    # shellcheck disable=SC2086
    iptables -A OUTPUT -p udp $rest -m comment --comment "$name" -j ACCEPT ||
      fail "iptables cannot add a counting rule (needs CAP_NET_ADMIN in the namespace)"
  done
}

rtp_ports_open() { # sockets of the sbc still bound in the policy's RTP ranges
  ss -Hlun | awk '{ n = split($4, a, ":"); p = a[n] + 0; if (p >= 30000 && p <= 39999) c++ } END { print c + 0 }'
}

# ------------------------------------------------------------------- steps
start_media_servers() {
  local ip
  UAS_PIDS=()
  for ip in "${UAS_IPS[@]}"; do
    local tag=${FLOW}_uas${ip##*.}
    start_bg "$tag" sipp -sf "$SCENARIOS/${UAS_XML[$FLOW]}" -i "$ip" -p 5080 -mi "$ip" -mp 6000 -rtp_echo \
      -nostdin -timeout 120s -trace_stat -stf "${tag}_stat.csv" -fd 1 \
      -trace_err -error_file "${tag}_errors.log" -trace_logs -log_file "${tag}_actions.log"
    UAS_PIDS+=("$LAST_PID")
  done
  for ip in "${UAS_IPS[@]}"; do
    wait_udp_port "$ip" 5080 5 || fail "SIPp media server did not bind $ip:5080"
  done
}

start_sbc() {
  local binary=$WORKDIR/sbc
  [[ $FLOW == timeout ]] && binary=$WORKDIR/sbc_timeout
  start_bg "${FLOW}_sbc" "$binary" --log-level=info
  SBC_PID=$LAST_PID
  SBC_LOG=$WORKDIR/${FLOW}_sbc.log
  wait_for_log "$SBC_LOG" ready 10 "$SBC_PID" || {
    show_tail "$SBC_LOG"
    fail "sbc not ready"
  }
  wait_udp_port 127.0.0.10 5060 3 || fail "sbc is not listening on 127.0.0.10:5060"
}

place_calls() {
  e2e_log "$FLOW: caller ${UAC_XML[$FLOW]}: $CALLS calls, one at a time, ${PACKETS[$FLOW]} RTP packets each way"
  start_bg "${FLOW}_uac" timeout -k 5 $((CALLS * 9 + 30)) sipp 127.0.0.10:5060 -sf "$SCENARIOS/${UAC_XML[$FLOW]}" \
    -s service -i 127.0.0.40 -p 5070 -mi 127.0.0.40 -mp 6000 -r 1 -m "$CALLS" -l 1 -recv_timeout 5000 \
    -timeout $((CALLS * 9 + 20))s -timeout_error -nostdin -trace_stat -stf "${FLOW}_uac_stat.csv" -fd 1 \
    -trace_err -error_file "${FLOW}_uac_errors.log" -trace_logs -log_file "${FLOW}_uac_actions.log"
  UAC_RC=0
  wait "$LAST_PID" || UAC_RC=$?
}

check_calls() {
  local ok failed
  ok=$(sipp_stat "$WORKDIR/${FLOW}_uac_stat.csv" "SuccessfulCall(C)")
  failed=$(sipp_stat "$WORKDIR/${FLOW}_uac_stat.csv" "FailedCall(C)")
  e2e_log "$FLOW: caller: ${ok:-?} calls ok, ${failed:-?} failed (exit $UAC_RC)"
  ((UAC_RC == 0)) || flow_failure "caller exit status $UAC_RC (see $WORKDIR/${FLOW}_uac_errors.log)"
  [[ $ok == "$CALLS" ]] || flow_failure "caller: ${ok:-no} successful calls, want $CALLS"
  [[ $failed == 0 ]] || flow_failure "caller: ${failed:-?} failed calls (SDP check or signalling)"
}

check_packets() {
  local name
  declare -A n
  for name in "${COUNTERS[@]}"; do n[$name]=$(iptables_count "$name"); done
  e2e_log "$FLOW: packets: caller->sbc ${n[caller_to_sbc]}, sbc->server ${n[sbc_to_server]}," \
    "server->sbc ${n[server_to_sbc]}, sbc->caller ${n[sbc_to_caller]}, bypassing the sbc ${n[bypass]}"
  local want=$((CALLS * PACKETS[$FLOW] * 95 / 100))
  ((n[caller_to_sbc] >= want)) || flow_failure "caller sent ${n[caller_to_sbc]} RTP packets, want >= $want"
  ((n[sbc_to_server] == n[caller_to_sbc])) ||
    flow_failure "sbc relayed ${n[sbc_to_server]} of ${n[caller_to_sbc]} packets to the media servers"
  ((n[server_to_sbc] == n[sbc_to_server])) ||
    flow_failure "media servers echoed ${n[server_to_sbc]} of ${n[sbc_to_server]} packets"
  ((n[sbc_to_caller] == n[server_to_sbc])) ||
    flow_failure "sbc relayed ${n[sbc_to_caller]} of ${n[server_to_sbc]} echoed packets back to the caller"
  ((n[bypass] == 0)) || flow_failure "${n[bypass]} packets went between caller and media server without the sbc"
}

check_ended_by_sbc() { # the timeout flow: the sbc ended every call, both BYEs answered
  local ended answered
  ended=$(grep -c "ending the call (media timeout): BYE to both parties" "$SBC_LOG" || true)
  answered=$(grep -c "our BYE to .* answered 200" "$SBC_LOG" || true)
  e2e_log "$FLOW: sbc ended $ended calls, $answered of its BYEs answered 200"
  ((ended == CALLS)) || flow_failure "sbc ended $ended calls on media timeout, want $CALLS"
  ((answered == 2 * CALLS)) || flow_failure "$answered BYEs of the sbc answered 200, want $((2 * CALLS))"
}

check_release() {
  local open deadline=$((SECONDS + 3))
  while open=$(rtp_ports_open) && ((open > 0 && SECONDS < deadline)); do sleep 0.2; done
  ((open == 0)) || flow_failure "$open RTP sockets of the sbc still open after every call ended"
  local ended why="BYE"
  [[ $FLOW == timeout ]] && why="media timeout"
  ended=$(grep -c "media ended ($why)" "$SBC_LOG" || true)
  ((ended == CALLS)) || flow_failure "sbc logged $ended 'media ended ($why)', want $CALLS"
}

check_closing_line() {
  local line
  line=$(grep -o "media: [0-9]* sessions.*still open" "$SBC_LOG" | tail -1 || true)
  e2e_log "$FLOW: sbc: ${line:-no closing media line}"
  [[ $line == "media: $CALLS sessions"*" 0 sessions still open" ]] ||
    flow_failure "sbc closing media line: '${line:-none}', want $CALLS sessions and 0 still open"
}

run_flow() { # run_flow FLOW: fresh media servers and sbc, the calls, the checks
  FLOW=$1
  [[ -n ${UAC_XML[$FLOW]:-} ]] || fail "unknown flow '$FLOW' (known: ${!UAC_XML[*]})"
  e2e_log "=== flow $FLOW"
  iptables -Z OUTPUT
  start_media_servers
  start_sbc
  place_calls
  check_calls
  if [[ $FLOW == timeout ]]; then check_ended_by_sbc; else check_packets; fi
  check_release
  kill -TERM "$SBC_PID" 2>/dev/null || true
  wait_exit "$SBC_PID" 5 || true
  check_closing_line
  if ((${#E2E_FAILURES[@]})); then
    show_tail "$SBC_LOG" 15
    show_tail "$WORKDIR/${FLOW}_uac_errors.log" 10
  fi
  stop_all
}

main() {
  (($# == 2)) || usage
  SBCC=$(readlink -f "$1")
  POLICY=$(readlink -f "$2")
  command -v sipp >/dev/null || fail "sipp not found (tools/setup installs sip-tester)"
  command -v iptables >/dev/null || fail "iptables not found (tools/setup installs it)"
  e2e_enter_netns "$@"

  compile_policy
  # The timeout flow's sbc: the same policy with a 2 s media timeout.
  printf 'import "%s"\n\nlimits {\n    media timeout 2s\n}\n' "$POLICY" >"$WORKDIR/timeout.sbc"
  "$SBCC" "$WORKDIR/timeout.sbc" -o "$WORKDIR/sbc_timeout" >"$WORKDIR/sbcc_timeout.log" 2>&1 ||
    fail "sbcc could not compile the timeout variant (see $WORKDIR/sbcc_timeout.log)"
  # 2 s of PCMU silence-ish tone: 16000 bytes = 100 packets of 160 bytes.
  python3 -c "import sys; sys.stdout.buffer.write(bytes([0xff, 0x7f]) * 8000)" >"$WORKDIR/tone.ulaw"
  add_counters
  local flow
  for flow in "${FLOWS[@]}"; do run_flow "$flow"; done

  finish_test "${FLOWS[*]}: $CALLS calls each, audio both ways through the sbc"
}

main "$@"
