#!/usr/bin/env bash
# tests/e2e/outbound_table.sh: end-to-end test of an outbound call routed by
# the policy's SQLite `routing` table (samples/data/routing.sql: domain
# 127.0.0.40 -> udp). Compiles a policy with sbcc, then, in a private network
# namespace (loopback only): the sbc on 127.0.0.10:5060 (external) /
# 127.0.0.20:5065 (internal); a SIPp caller (UAC) on 127.0.0.30:5090 -- a
# media server, i.e. inside -- placing 10 calls at 5 calls/s to
# sip:anyone@127.0.0.40:5060 through the internal face; and a SIPp callee
# (UAS) on 127.0.0.40:5060, the "carrier" the table names. Then one call to
# sip:anyone@127.0.0.99:5060, a domain with no row, which the sbc must answer
# itself with 404 "No route to this domain".
#
#   tests/e2e/outbound_table.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
#
# Nothing listens on the dispatcher's destinations (127.0.0.30:5080,
# 127.0.0.31:5080) here: the sbc's OPTIONS probes just fail, which does not
# matter for calls routed by the table.
#
# Scenarios are generated into $WORKDIR from the shared ones:
#   uac_out.xml  scenarios/uac_rr.xml with the Request-URI (and To) set to
#                sip:[service]@TARGET instead of the SBC address SIPp sends
#                to (the route set / [next_url] handling is unchanged)
#   uas_ext.xml  scenarios/uas_rr.xml expecting the top Via of the SBC's
#                EXTERNAL face (SIP/2.0/UDP 127.0.0.10:5060) on INVITE and BYE;
#                it still requires exactly two Record-Route entries
#   uac_404.xml  one INVITE that must get 404 "No route to this domain"
#                (provisional responses allowed), ACKed per RFC 3261 17.1.1.3
#
# Passes (exit 0) only if: sbcc compiles the policy; the sbc is statically
# linked; the UAC exits 0 with 10 successful and 0 failed calls; the UAS
# received 10 INVITEs, passed its checks on every one (two Record-Route
# entries, the external face's Via) and exits cleanly; the sbc log has no
# "No route" line after the 10 calls; the call to 127.0.0.99 got the 404
# (SIPp exit 0, 1 successful call) and never reached the UAS (its final
# INVITE count is still 10);
# the sbc is still running at the end. Otherwise exit 1. Everything started
# here is stopped by PID in all cases.
#
# Environment: E2E_OUT=DIR keeps the files in DIR/outbound_table/ (else a
# mktemp dir, removed when the test passes); E2E_CALLS, E2E_RATE, E2E_HOLD_MS
# change the load (defaults 10, 5, 500); SBC_LOG_LEVEL (default info).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"

SBC_EXT_IP=127.0.0.10 SBC_EXT_PORT=5060
SBC_INT_IP=127.0.0.20 SBC_INT_PORT=5065
UAC_IP=127.0.0.30 UAC_PORT=5090         # a media server address; not the dispatcher's port 5080
UAS_IP=127.0.0.40 UAS_PORT=5060         # routing table: 127.0.0.40 -> udp
TARGET=$UAS_IP:$UAS_PORT
NOROUTE_TARGET=127.0.0.99:5060          # no row in the routing table
NOROUTE_PORT=5091
CALLS=${E2E_CALLS:-10}
RATE=${E2E_RATE:-5}
HOLD_MS=${E2E_HOLD_MS:-500}
SIPP_BUFF=4194304
COMPILE_TIMEOUT=180
READY_TIMEOUT=10
UAC_TIMEOUT=$((CALLS / RATE + HOLD_MS / 1000 + 15))   # SIPp -timeout, seconds
RECV_TIMEOUT_MS=5000
NOROUTE_TIMEOUT=10                      # SIPp -timeout for the single 404 call
UAS_QUIT_TIMEOUT=8

SCENARIOS=$HERE/scenarios
FAILURES=()

note_failure() {
  FAILURES+=("$*")
  e2e_log "NOT OK: $*"
}

show_tail() {
  [[ -s $1 ]] || return 0
  echo "--- last lines of $1:" >&2
  tail -n "${2:-15}" "$1" | sed 's/^/    /' >&2
}

check_static() {
  local desc
  desc=$(file -b "$WORKDIR/sbc")
  e2e_log "sbc: $desc"
  [[ $desc == *"statically linked"* || $desc == *"static-pie linked"* ]] ||
    fail "sbc is not statically linked: $desc"
}

make_scenarios() {
  local n
  # UAC: the Request-URI and To name the far domain, not the SBC
  sed 's/\[service\]@\[remote_ip\]:\[remote_port\]/[service]@[target]/g' \
    "$SCENARIOS/uac_rr.xml" >"$WORKDIR/uac_out.xml.in"
  n=$(grep -c 'INVITE sip:\[service\]@\[target\] SIP/2\.0' "$WORKDIR/uac_out.xml.in" || true)
  ((n == 1)) || fail "could not set the Request-URI in a copy of $SCENARIOS/uac_rr.xml"
  sed "s/\[target\]/$TARGET/g" "$WORKDIR/uac_out.xml.in" >"$WORKDIR/uac_out.xml"

  # UAS: the top Via must be the external face (INVITE and BYE checks)
  sed -e 's/127\\\.0\\\.0\\\.20:5065/127\\.0\\.0\\.10:5060/g' \
    -e 's|SIP/2\.0/UDP 127\.0\.0\.20:5065|SIP/2.0/UDP 127.0.0.10:5060|g; s/SBC internal face/SBC external face/g' \
    "$SCENARIOS/uas_rr.xml" >"$WORKDIR/uas_ext.xml"
  n=$(grep -c '127\\\.0\\\.0\\\.10:5060' "$WORKDIR/uas_ext.xml" || true)
  ((n == 2)) || fail "could not set the expected Via in a copy of $SCENARIOS/uas_rr.xml ($n checks, want 2)"
  ! grep -q '127\\\.0\\\.0\\\.20' "$WORKDIR/uas_ext.xml" ||
    fail "a copy of $SCENARIOS/uas_rr.xml still expects the internal face"

  # one call that the sbc must refuse with 404 "No route to this domain"
  cat >"$WORKDIR/uac_404.xml" <<EOF
<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<!-- generated by tests/e2e/outbound_table.sh: INVITE to a domain with no
     route; the call succeeds only on 404 "No route to this domain". -->
<scenario name="uac no route">
  <send retrans="500">
    <![CDATA[

      INVITE sip:[service]@$NOROUTE_TARGET SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: [service] <sip:[service]@$NOROUTE_TARGET>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: sip:sipp@[local_ip]:[local_port]
      Max-Forwards: 70
      Subject: sbcc e2e no route
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=user1 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0
      a=rtpmap:0 PCMU/8000

    ]]>
  </send>

  <recv response="100" optional="true">
  </recv>

  <recv response="404">
    <action>
      <ereg search_in="msg" check_it="true" assign_to="reason"
            regexp="^SIP/2\.0 404 No route to this domain"/>
      <log message="404 call=[call_id] reason=[\$reason]"/>
    </action>
  </recv>

  <send>
    <![CDATA[

      ACK sip:[service]@$NOROUTE_TARGET SIP/2.0
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      CSeq: 1 ACK
      Max-Forwards: 70
      Content-Length: 0

    ]]>
  </send>
</scenario>
EOF
}

start_uas() {
  start_bg uas40 sipp -sf "$WORKDIR/uas_ext.xml" -i "$UAS_IP" -p "$UAS_PORT" -t u1 \
    -buff_size "$SIPP_BUFF" -nostdin -timeout "$((UAC_TIMEOUT + NOROUTE_TIMEOUT + 60))s" \
    -trace_stat -stf uas40_stat.csv -fd 1 -trace_counts \
    -trace_err -error_file uas40_errors.log \
    -trace_screen -screen_file uas40_screen.log \
    -trace_logs -log_file uas40_actions.log
  UAS_PID=$LAST_PID
  wait_udp_port "$UAS_IP" "$UAS_PORT" 5 || fail "SIPp UAS did not bind $UAS_IP:$UAS_PORT (see $WORKDIR/uas40.log)"
}

start_sbc() {
  start_bg sbc "$WORKDIR/sbc" --log-level="${SBC_LOG_LEVEL:-info}"
  SBC_PID=$LAST_PID
  if ! wait_for_log "$WORKDIR/sbc.log" ready "$READY_TIMEOUT" "$SBC_PID"; then
    show_tail "$WORKDIR/sbc.log"
    is_running "$SBC_PID" || fail "sbc exited during start-up"
    fail "sbc logged no 'ready' line within ${READY_TIMEOUT}s"
  fi
  wait_udp_port "$SBC_EXT_IP" "$SBC_EXT_PORT" 3 || fail "sbc is not listening on udp $SBC_EXT_IP:$SBC_EXT_PORT"
  wait_udp_port "$SBC_INT_IP" "$SBC_INT_PORT" 3 || fail "sbc is not listening on udp $SBC_INT_IP:$SBC_INT_PORT"
  e2e_log "sbc ready (pid $SBC_PID)"
}

uas_counts_file() { echo "$WORKDIR/uas_ext_${UAS_PID}_counts.csv"; }

run_uac() { # the 10 routed calls; sets UAC_RC
  e2e_log "UAC $UAC_IP:$UAC_PORT: $CALLS calls at $RATE calls/s to sip:anyone@$TARGET via $SBC_INT_IP:$SBC_INT_PORT"
  start_bg uac timeout -k 5 "$((UAC_TIMEOUT + 10))" \
    sipp "$SBC_INT_IP:$SBC_INT_PORT" -sf "$WORKDIR/uac_out.xml" -s anyone \
    -i "$UAC_IP" -p "$UAC_PORT" -t u1 -r "$RATE" -m "$CALLS" -l 200 -d "$HOLD_MS" \
    -recv_timeout "$RECV_TIMEOUT_MS" -timeout "${UAC_TIMEOUT}s" -timeout_error \
    -buff_size "$SIPP_BUFF" -nostdin \
    -trace_stat -stf uac_stat.csv -fd 1 \
    -trace_msg -message_file uac_messages.log \
    -trace_err -error_file uac_errors.log \
    -trace_screen -screen_file uac_screen.log
  UAC_RC=0
  wait "$LAST_PID" || UAC_RC=$?
}

run_noroute() { # the single call to a domain without a route; sets NR_RC
  e2e_log "UAC $UAC_IP:$NOROUTE_PORT: 1 call to sip:anyone@$NOROUTE_TARGET (no route) via $SBC_INT_IP:$SBC_INT_PORT"
  start_bg uac404 timeout -k 5 "$((NOROUTE_TIMEOUT + 10))" \
    sipp "$SBC_INT_IP:$SBC_INT_PORT" -sf "$WORKDIR/uac_404.xml" -s anyone \
    -i "$UAC_IP" -p "$NOROUTE_PORT" -t u1 -m 1 \
    -recv_timeout "$RECV_TIMEOUT_MS" -timeout "${NOROUTE_TIMEOUT}s" -timeout_error -nostdin \
    -trace_stat -stf uac404_stat.csv -fd 1 \
    -trace_msg -message_file uac404_messages.log \
    -trace_err -error_file uac404_errors.log \
    -trace_screen -screen_file uac404_screen.log \
    -trace_logs -log_file uac404_actions.log
  NR_RC=0
  wait "$LAST_PID" || NR_RC=$?
}

stop_sbc() {
  kill -TERM "$SBC_PID" 2>/dev/null || true
  if wait_exit "$SBC_PID" 5; then
    local rc=0
    wait "$SBC_PID" 2>/dev/null || rc=$?
    e2e_log "sbc stopped on SIGTERM (exit status $rc)"
  else
    e2e_log "note: sbc still running 5 s after SIGTERM; killing it"
    stop_pid "$SBC_PID" 1
  fi
}

stop_uas() { # SIGUSR1 = SIPp's graceful quit
  kill -USR1 "$UAS_PID" 2>/dev/null || true
  UAS_RC=0
  if wait_exit "$UAS_PID" "$UAS_QUIT_TIMEOUT"; then
    wait "$UAS_PID" 2>/dev/null || UAS_RC=$?
  else
    UAS_RC=timeout
    stop_pid "$UAS_PID" 2
  fi
}

check_uac() {
  local ok failed
  ok=$(sipp_stat "$WORKDIR/uac_stat.csv" "SuccessfulCall(C)")
  failed=$(sipp_stat "$WORKDIR/uac_stat.csv" "FailedCall(C)")
  UAC_OK=${ok:-?} UAC_FAILED=${failed:-?}
  ((UAC_RC == 0)) || note_failure "UAC exit status $UAC_RC (0 = all calls successful)"
  [[ $ok == "$CALLS" ]] || note_failure "UAC: ${ok:-no} successful calls, want $CALLS"
  [[ $failed == 0 ]] || note_failure "UAC: ${failed:-unknown number of} failed calls, want 0"
}

check_routed_log() { # called right after the routed calls, before the no-route call
  ROUTED_NOROUTE=$(grep -c -- "No route" "$WORKDIR/sbc.log" || true)
  ((ROUTED_NOROUTE == 0)) ||
    note_failure "the sbc log has $ROUTED_NOROUTE 'No route' lines during the routed calls, want 0"
}

check_noroute() {
  local ok failed got404
  ok=$(sipp_stat "$WORKDIR/uac404_stat.csv" "SuccessfulCall(C)")
  failed=$(sipp_stat "$WORKDIR/uac404_stat.csv" "FailedCall(C)")
  got404=$(grep -c '^SIP/2\.0 404 No route to this domain' "$WORKDIR/uac404_messages.log" 2>/dev/null || true)
  NR_SUMMARY="${ok:-?} ok, ${failed:-?} failed, ${got404:-0} '404 No route to this domain' received (exit $NR_RC)"
  ((NR_RC == 0)) || note_failure "no-route call: SIPp exit status $NR_RC (want 0: 404 received)"
  [[ $ok == 1 ]] || note_failure "no-route call: not answered 404 'No route to this domain' (see $WORKDIR/uac404_errors.log)"
  ((${got404:-0} >= 1)) || note_failure "no-route call: no 'SIP/2.0 404 No route to this domain' in $WORKDIR/uac404_messages.log"
}

check_uas() {
  local failed
  UAS_INVITES=$(sipp_stat "$(uas_counts_file)" _INVITE_Recv)
  failed=$(sipp_stat "$WORKDIR/uas40_stat.csv" "FailedCall(C)")
  UAS_SUMMARY="UAS $UAS_IP:$UAS_PORT: ${UAS_INVITES:-?} INVITEs, ${failed:-?} failed, exit $UAS_RC"
  case $UAS_RC in
    0 | 99) ;;
    1) note_failure "UAS $UAS_IP: exit status 1 (failed checks; see $WORKDIR/uas40_errors.log)" ;;
    *) note_failure "UAS $UAS_IP: did not quit cleanly ($UAS_RC); calls left open?" ;;
  esac
  [[ $failed == 0 ]] || note_failure "UAS $UAS_IP: ${failed:-unknown number of} failed calls (Record-Route / external Via checks), want 0"
  [[ ${UAS_INVITES:-0} == "$CALLS" ]] || note_failure "UAS $UAS_IP received ${UAS_INVITES:-0} INVITEs, want $CALLS (one per routed call, none from the no-route call)"
}

print_summary() {
  local verdict=PASS
  ((${#FAILURES[@]} == 0)) || verdict=FAIL
  {
    echo "== outbound_table: $verdict"
    echo "  UAC $UAC_IP:$UAC_PORT -> sbc $SBC_INT_IP:$SBC_INT_PORT -> sip:anyone@$TARGET: $UAC_OK calls ok, $UAC_FAILED failed (exit $UAC_RC)"
    echo "  $UAS_SUMMARY"
    echo "  sbc 'No route' lines during the routed calls: $ROUTED_NOROUTE"
    echo "  no-route call to sip:anyone@$NOROUTE_TARGET: $NR_SUMMARY"
    echo "  sbc at the end of the calls: $SBC_STATE"
    local f
    for f in "${FAILURES[@]}"; do echo "  - $f"; done
    if [[ $verdict == PASS && -z ${E2E_OUT:-} ]]; then
      echo "  files: removed (set E2E_OUT=DIR to keep them)"
    else
      echo "  files: $WORKDIR"
    fi
  } >&2
  if [[ $verdict == FAIL ]]; then
    show_tail "$WORKDIR/uac_errors.log" 20
    show_tail "$WORKDIR/uac404_errors.log" 20
    show_tail "$WORKDIR/uas40_errors.log" 20
    show_tail "$WORKDIR/sbc.log" 20
  fi
}

main() {
  (($# == 2)) || usage
  SBCC=$(readlink -f "$1")
  POLICY=$(readlink -f "$2")
  [[ -x $SBCC ]] || fail "sbcc binary not found or not executable: $1"
  [[ -f $POLICY ]] || fail "policy file not found: $2"
  command -v sipp >/dev/null || fail "sipp not found (Debian package sip-tester; tools/setup installs it)"
  e2e_enter_netns "$@"

  compile_policy
  check_static
  make_scenarios
  start_uas
  start_sbc

  run_uac
  check_routed_log
  run_noroute

  SBC_STATE="still running"
  is_running "$SBC_PID" || { SBC_STATE="NOT running"; note_failure "the sbc exited during the calls"; }
  is_running "$SBC_PID" && stop_sbc
  stop_uas

  check_uac
  check_uas
  check_noroute
  print_summary
  stop_all
  if ((${#FAILURES[@]})); then exit 1; fi
  [[ -n ${E2E_OUT:-} ]] || rm -rf -- "$WORKDIR"
  exit 0
}

main "$@"
