#!/usr/bin/env bash
# tests/e2e/failover.sh: end-to-end test of the policy's failure handler
# (`on failure from mediaservers { retry next }`). Compiles a policy with
# sbcc, then, in a private network namespace (loopback only): the sbc on
# 127.0.0.10:5060 (external) / 127.0.0.20:5065 (internal); a busy media
# server on 127.0.0.30:5080 that answers the OPTIONS probes with 200 but
# rejects every INVITE with 100 + 486 Busy Here (scenarios/uas_busy.xml); a
# normal media server on 127.0.0.31:5080 (scenarios/uas_rr.xml); and a SIPp
# caller (UAC, scenarios/uac_rr.xml) on 127.0.0.40:5070 placing 20 calls at
# 5 calls/s to the external face. The dispatcher picks round robin, so some
# calls go to .30 first; the policy must retry each of them on .31.
#
#   tests/e2e/failover.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
#
# Passes (exit 0) only if: sbcc compiles the policy; the sbc is statically
# linked; the UAC exits 0 with all calls successful and 0 failed, and never
# received a 486 (its -trace_msg log); the UAS on .31 received one INVITE per
# call (every call ends there), passed its Record-Route/Via checks and exits
# cleanly; the busy UAS on .30 received at least one INVITE (round robin does
# pick it), sent a 486 for every INVITE it received, got the ACK for each
# (uas_busy.xml fails a call whose 486 is never ACKed) and exits cleanly;
# the sbc log shows the failure handled by the policy ("handled by the
# policy"); the sbc is still running at the end. Otherwise exit 1.
# Everything started here is stopped by PID in all cases.
#
# As in basic_call.sh, SIPp's default behaviours stay on: an unexpected
# message (e.g. a 486 reaching the caller) aborts the call and counts it as
# failed. -recv_timeout fails a call that stalls; -timeout/-timeout_error and
# timeout(1) bound the whole run.
#
# Environment: E2E_OUT=DIR keeps the files in DIR/failover/ (else a mktemp
# dir, removed when the test passes); E2E_CALLS, E2E_RATE, E2E_HOLD_MS change
# the load (defaults 20, 5, 500); SBC_LOG_LEVEL (default info).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"

SBC_EXT_IP=127.0.0.10 SBC_EXT_PORT=5060
SBC_INT_IP=127.0.0.20 SBC_INT_PORT=5065
BUSY_IP=127.0.0.30 GOOD_IP=127.0.0.31 UAS_PORT=5080
UAC_IP=127.0.0.40 UAC_PORT=5070
CALLS=${E2E_CALLS:-20}
RATE=${E2E_RATE:-5}
HOLD_MS=${E2E_HOLD_MS:-500}
SIPP_BUFF=4194304            # 4 MB SIP socket buffers
COMPILE_TIMEOUT=180
READY_TIMEOUT=10
UAC_TIMEOUT=$((CALLS / RATE + HOLD_MS / 1000 + 20))   # SIPp -timeout, seconds
RECV_TIMEOUT_MS=8000         # a failover costs one extra round trip; 486s must not stall it
UAS_QUIT_TIMEOUT=12          # graceful UAS exit: the busy UAS waits up to 8 s for an ACK + 2 s timewait
HANDLED_PATTERN="handled by the policy"

SCENARIOS=$HERE/scenarios

start_uas() { # start_uas TAG IP SCENARIO: a SIPp media-server stand-in; pid in LAST_PID
  local tag=$1 ip=$2 scenario=$3
  start_bg "$tag" sipp -sf "$scenario" -i "$ip" -p "$UAS_PORT" -t u1 \
    -buff_size "$SIPP_BUFF" -nostdin -timeout "$((UAC_TIMEOUT + 60))s" \
    -trace_stat -stf "${tag}_stat.csv" -fd 1 -trace_counts \
    -trace_err -error_file "${tag}_errors.log" \
    -trace_screen -screen_file "${tag}_screen.log" \
    -trace_logs -log_file "${tag}_actions.log"
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

busy_counts() { echo "$WORKDIR/uas_busy_${BUSY_PID}_counts.csv"; }
good_counts() { echo "$WORKDIR/uas_rr_${GOOD_PID}_counts.csv"; }

wait_for_probes() { # the sbc has probed both UAS with OPTIONS (bounded; a note if not)
  local deadline=$((SECONDS + 10)) missing=()
  wait_sipp_count "$(busy_counts)" _OPTIONS_Recv 1 $((deadline - SECONDS)) || missing+=("$BUSY_IP")
  wait_sipp_count "$(good_counts)" _OPTIONS_Recv 1 $((deadline - SECONDS)) || missing+=("$GOOD_IP")
  if ((${#missing[@]})); then
    e2e_log "note: no OPTIONS probe seen at ${missing[*]} after 10 s; placing the calls anyway"
  else
    e2e_log "sbc OPTIONS probes answered by both UAS"
  fi
}

run_uac() { # places the calls; sets UAC_RC
  e2e_log "UAC: $CALLS calls at $RATE calls/s, hold ${HOLD_MS} ms -> $SBC_EXT_IP:$SBC_EXT_PORT"
  start_bg uac timeout -k 5 "$((UAC_TIMEOUT + 10))" \
    sipp "$SBC_EXT_IP:$SBC_EXT_PORT" -sf "$SCENARIOS/uac_rr.xml" -s service \
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

stop_sbc() { # TERM; the sbc should exit by itself (a note, not a failure, if not)
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

stop_one_uas() { # stop_one_uas PID: wait for the graceful quit (bounded); exit status in STOP_RC
  local pid=$1
  STOP_RC=0   # not $(...): `wait` works only in the shell that started the process
  if wait_exit "$pid" "$UAS_QUIT_TIMEOUT"; then
    wait "$pid" 2>/dev/null || STOP_RC=$?
  else
    STOP_RC=timeout
    stop_pid "$pid" 2
  fi
}

stop_uas() { # SIGUSR1 = SIPp's graceful quit: lets active calls end, writes final stats
  kill -USR1 "$BUSY_PID" "$GOOD_PID" 2>/dev/null || true
  stop_one_uas "$BUSY_PID"
  BUSY_RC=$STOP_RC
  stop_one_uas "$GOOD_PID"
  GOOD_RC=$STOP_RC
}

check_uas_rc() { # check_uas_rc NAME RC TAG
  case $2 in
    0 | 99) ;;
    1) note_failure "$1: exit status 1 (failed calls; see $WORKDIR/${3}_errors.log)" ;;
    *) note_failure "$1: did not quit cleanly ($2); calls left open?" ;;
  esac
}

check_uac() {
  local ok failed
  ok=$(sipp_stat "$WORKDIR/uac_stat.csv" "SuccessfulCall(C)")
  failed=$(sipp_stat "$WORKDIR/uac_stat.csv" "FailedCall(C)")
  UAC_OK=${ok:-?} UAC_FAILED=${failed:-?}
  ((UAC_RC == 0)) || note_failure "UAC exit status $UAC_RC (0 = all calls successful)"
  [[ $ok == "$CALLS" ]] || note_failure "UAC: ${ok:-no} successful calls, want $CALLS"
  [[ $failed == 0 ]] || note_failure "UAC: ${failed:-unknown number of} failed calls, want 0"
  UAC_486=0
  if [[ -f $WORKDIR/uac_messages.log ]]; then
    # each "UDP message received" block whose status line is a 486 (SIPp logs an
    # unexpected message a second time under "Unexpected UDP message received")
    UAC_486=$(awk '/^SIP\/2\.0 486/ && prev ~ /^UDP message received/ { n++ } NF { prev = $0 } END { print n + 0 }' \
      "$WORKDIR/uac_messages.log")
  else
    note_failure "UAC: no message trace ($WORKDIR/uac_messages.log)"
  fi
  ((UAC_486 == 0)) || note_failure "UAC: received $UAC_486 486 responses, want 0 (the sbc passed the busy server's rejection on)"
}

check_good_uas() { # .31: every call ends here
  local failed
  GOOD_INVITES=$(sipp_stat "$(good_counts)" _INVITE_Recv)
  failed=$(sipp_stat "$WORKDIR/uas31_stat.csv" "FailedCall(C)")
  GOOD_SUMMARY="UAS $GOOD_IP:$UAS_PORT (answers): ${GOOD_INVITES:-?} INVITEs, ${failed:-?} failed, exit $GOOD_RC"
  check_uas_rc "UAS $GOOD_IP" "$GOOD_RC" uas31
  [[ $failed == 0 ]] || note_failure "UAS $GOOD_IP: ${failed:-unknown number of} failed calls, want 0"
  [[ ${GOOD_INVITES:-0} == "$CALLS" ]] ||
    note_failure "UAS $GOOD_IP received ${GOOD_INVITES:-0} INVITEs, want $CALLS (every call must end there)"
}

check_busy_uas() { # .30: picked by round robin, rejected every INVITE, got every ACK
  local invites rejected acks failed
  invites=$(sipp_stat "$(busy_counts)" _INVITE_Recv)
  rejected=$(sipp_stat "$(busy_counts)" _486_Sent)
  acks=$(sipp_stat "$(busy_counts)" _ACK_Recv)
  failed=$(sipp_stat "$WORKDIR/uas30_stat.csv" "FailedCall(C)")
  BUSY_INVITES=${invites:-0}
  BUSY_SUMMARY="UAS $BUSY_IP:$UAS_PORT (busy): ${invites:-?} INVITEs, ${rejected:-?} 486 sent, ${acks:-?} ACKs, ${failed:-?} failed, exit $BUSY_RC"
  check_uas_rc "busy UAS $BUSY_IP" "$BUSY_RC" uas30
  [[ $failed == 0 ]] || note_failure "busy UAS $BUSY_IP: ${failed:-unknown number of} failed calls, want 0 (a 486 not ACKed?)"
  ((${invites:-0} >= 1)) || note_failure "busy UAS $BUSY_IP received no INVITE (round robin never picked it: the failover was not exercised)"
  [[ ${rejected:-0} == "${invites:-0}" ]] ||
    note_failure "busy UAS $BUSY_IP sent ${rejected:-0} 486 for ${invites:-0} INVITEs, want one per INVITE"
  [[ ${acks:-0} == "${invites:-0}" ]] ||
    note_failure "busy UAS $BUSY_IP got ${acks:-0} ACKs for ${invites:-0} rejected INVITEs, want one per 486"
}

check_sbc_log() {
  HANDLED=$(grep -c -- "$HANDLED_PATTERN" "$WORKDIR/sbc.log" || true)
  ((HANDLED > 0)) || note_failure "the sbc log has no '$HANDLED_PATTERN' line (the failure was not handled by the policy)"
  # one handled failure per INVITE the busy server rejected (a note, not a condition)
  ((HANDLED == ${BUSY_INVITES:-0})) ||
    e2e_log "note: $HANDLED '$HANDLED_PATTERN' lines for ${BUSY_INVITES:-0} INVITEs rejected by $BUSY_IP"
}

print_summary() { # what each party did, and the logs' ends on failure (finish_test gives the verdict)
  {
    echo "  UAC $UAC_IP:$UAC_PORT -> sbc $SBC_EXT_IP:$SBC_EXT_PORT: $UAC_OK calls ok, $UAC_FAILED failed, $UAC_486 486 seen (exit $UAC_RC)"
    echo "  $BUSY_SUMMARY"
    echo "  $GOOD_SUMMARY"
    echo "  sbc: $HANDLED '$HANDLED_PATTERN' lines; at the end of the calls: $SBC_STATE"
  } >&2
  if ((${#E2E_FAILURES[@]})); then
    show_tail "$WORKDIR/uac_errors.log" 20
    show_tail "$WORKDIR/uas30_errors.log" 10
    show_tail "$WORKDIR/uas31_errors.log" 10
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

  # the media servers first: the sbc probes them with OPTIONS from start-up on
  start_uas uas30 "$BUSY_IP" "$SCENARIOS/uas_busy.xml"
  BUSY_PID=$LAST_PID
  start_uas uas31 "$GOOD_IP" "$SCENARIOS/uas_rr.xml"
  GOOD_PID=$LAST_PID
  wait_udp_port "$BUSY_IP" "$UAS_PORT" 5 || fail "SIPp UAS did not bind $BUSY_IP:$UAS_PORT (see $WORKDIR/uas30.log)"
  wait_udp_port "$GOOD_IP" "$UAS_PORT" 5 || fail "SIPp UAS did not bind $GOOD_IP:$UAS_PORT (see $WORKDIR/uas31.log)"
  start_sbc
  wait_for_probes

  run_uac
  SBC_STATE="still running"
  is_running "$SBC_PID" || { SBC_STATE="NOT running"; note_failure "the sbc exited during the calls"; }
  is_running "$SBC_PID" && stop_sbc
  stop_uas

  check_uac
  check_busy_uas
  check_good_uas
  check_sbc_log
  print_summary
  stop_all
  finish_test "$CALLS calls; $BUSY_INVITES rejected by $BUSY_IP and retried on $GOOD_IP by the policy"
}

main "$@"
