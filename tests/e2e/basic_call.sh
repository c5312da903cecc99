#!/usr/bin/env bash
# tests/e2e/basic_call.sh: end-to-end test of a compiled SBC. Compiles a
# policy with sbcc, then, in a private network namespace (loopback only):
# the sbc on 127.0.0.10:5060 (external) / 127.0.0.20:5065 (internal), two
# SIPp media-server stand-ins (UAS) on 127.0.0.30:5080 and 127.0.0.31:5080,
# and a SIPp caller (UAC) on 127.0.0.40:5070 placing 200 calls at 20 calls/s
# through the sbc.
#
#   tests/e2e/basic_call.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
#
# Passes (exit 0) only if: sbcc compiles the policy; the sbc is statically
# linked; the UAC exits 0 with 200 successful and 0 failed calls; each UAS
# exits cleanly with 0 failed calls (their checks: two Record-Route entries
# and the sbc's internal Via on every INVITE; see scenarios/uas_rr.xml) and
# together they received 200 INVITEs; the sbc is still running at the end.
# Otherwise exit 1. Everything started here is stopped by PID in all cases.
#
# SIPp strictness: SIPp's default behaviours stay on (NO
# `-default_behaviors all,-abortunexp` as in the Kamailio anchor run). So a
# message a scenario does not expect at that point (a 180 after the 200, a
# response with an unexpected status, a request the scenario does not know)
# aborts the call and counts it as failed. The anchor turned that off
# because Kamailio's parallel workers reorder replies under load; at 20
# calls/s through the sbc any reordering or stray message is a bug we want
# to see. -recv_timeout fails a call that stalls; -timeout/-timeout_error
# and timeout(1) bound the whole run.
#
# Environment: E2E_OUT=DIR keeps the files in DIR/basic_call/ (else a mktemp
# dir, removed when the test passes); E2E_CALLS, E2E_RATE, E2E_HOLD_MS change
# the load (defaults 200, 20, 500); SBC_LOG_LEVEL (default info);
# E2E_UAC_TRANSPORT the caller's SIPp transport (u1, default; t1 for TCP, so the
# call crosses from TCP outside to UDP inside).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"

SBC_EXT_IP=127.0.0.10 SBC_EXT_PORT=5060
SBC_INT_IP=127.0.0.20 SBC_INT_PORT=5065
UAS_IPS=(127.0.0.30 127.0.0.31) UAS_PORT=5080
UAC_IP=127.0.0.40 UAC_PORT=5070
CALLS=${E2E_CALLS:-200}
RATE=${E2E_RATE:-20}
HOLD_MS=${E2E_HOLD_MS:-500}
SIPP_BUFF=4194304            # 4 MB SIP socket buffers (SIPp's 64 KB drop under bursts)
COMPILE_TIMEOUT=180
READY_TIMEOUT=10
UAC_TIMEOUT=$((CALLS / RATE + HOLD_MS / 1000 + 15))   # SIPp -timeout, seconds
RECV_TIMEOUT_MS=5000
UAS_QUIT_TIMEOUT=8           # graceful UAS exit: active calls end + 2 s timewait

SCENARIOS=$HERE/scenarios

start_uas() { # start_uas IP: a SIPp media-server stand-in; pid in LAST_PID
  local ip=$1 tag=uas${1##*.}
  start_bg "$tag" sipp -sf "$SCENARIOS/uas_rr.xml" -i "$ip" -p "$UAS_PORT" -t u1 \
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

uas_counts_file() { # uas_counts_file PID: SIPp's -trace_counts file (named after the pid)
  echo "$WORKDIR/uas_rr_${1}_counts.csv"
}

wait_for_probes() { # the sbc has probed every UAS with OPTIONS (bounded; a note if not)
  local i deadline=$((SECONDS + 10)) missing=()
  for i in "${!UAS_IPS[@]}"; do
    wait_sipp_count "$(uas_counts_file "${UAS_PIDS[i]}")" _OPTIONS_Recv 1 $((deadline - SECONDS)) ||
      missing+=("${UAS_IPS[i]}")
  done
  if ((${#missing[@]})); then
    e2e_log "note: no OPTIONS probe seen at ${missing[*]} after 10 s; placing the calls anyway"
  else
    e2e_log "sbc OPTIONS probes answered by every UAS"
  fi
}

run_uac() { # places the calls; sets UAC_RC
  e2e_log "UAC: $CALLS calls at $RATE calls/s, hold ${HOLD_MS} ms -> $SBC_EXT_IP:$SBC_EXT_PORT"
  start_bg uac timeout -k 5 "$((UAC_TIMEOUT + 10))" \
    sipp "$SBC_EXT_IP:$SBC_EXT_PORT" -sf "$SCENARIOS/uac_rr.xml" -s service \
    -i "$UAC_IP" -p "$UAC_PORT" -t "${E2E_UAC_TRANSPORT:-u1}" -r "$RATE" -m "$CALLS" -l 200 -d "$HOLD_MS" \
    -recv_timeout "$RECV_TIMEOUT_MS" -timeout "${UAC_TIMEOUT}s" -timeout_error \
    -buff_size "$SIPP_BUFF" -nostdin \
    -trace_stat -stf uac_stat.csv -fd 1 \
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

stop_uas() { # SIGUSR1 = SIPp's graceful quit: lets active calls end, writes final stats
  local i pid
  for pid in "${UAS_PIDS[@]}"; do kill -USR1 "$pid" 2>/dev/null || true; done
  for i in "${!UAS_PIDS[@]}"; do
    pid=${UAS_PIDS[i]}
    UAS_RCS[i]=0
    if wait_exit "$pid" "$UAS_QUIT_TIMEOUT"; then
      wait "$pid" 2>/dev/null || UAS_RCS[i]=$?
    else
      UAS_RCS[i]=timeout
      stop_pid "$pid" 2
    fi
  done
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

check_uas() {
  local i tag invites failed
  UAS_INVITES_TOTAL=0
  UAS_SUMMARY=""
  for i in "${!UAS_IPS[@]}"; do
    tag=uas${UAS_IPS[i]##*.}
    invites=$(sipp_stat "$(uas_counts_file "${UAS_PIDS[i]}")" _INVITE_Recv)
    failed=$(sipp_stat "$WORKDIR/${tag}_stat.csv" "FailedCall(C)")
    UAS_INVITES_TOTAL=$((UAS_INVITES_TOTAL + ${invites:-0}))
    UAS_SUMMARY+="  UAS ${UAS_IPS[i]}:$UAS_PORT: ${invites:-?} INVITEs, ${failed:-?} failed, exit ${UAS_RCS[i]}"$'\n'
    case ${UAS_RCS[i]} in
      0 | 99) ;;
      1) note_failure "UAS ${UAS_IPS[i]}: exit status 1 (failed calls; see $WORKDIR/${tag}_errors.log)" ;;
      *) note_failure "UAS ${UAS_IPS[i]}: did not quit cleanly (${UAS_RCS[i]}); calls left open?" ;;
    esac
    [[ $failed == 0 ]] || note_failure "UAS ${UAS_IPS[i]}: ${failed:-unknown number of} failed calls, want 0"
    [[ ${invites:-0} -gt 0 ]] || e2e_log "note: UAS ${UAS_IPS[i]} got no INVITE (no round-robin?)"
  done
  ((UAS_INVITES_TOTAL == CALLS)) || note_failure "the UAS together received $UAS_INVITES_TOTAL INVITEs, want $CALLS"
}

print_summary() { # what each party did, and the logs' ends on failure (finish_test gives the verdict)
  {
    echo "  UAC $UAC_IP:$UAC_PORT -> sbc $SBC_EXT_IP:$SBC_EXT_PORT: $UAC_OK calls ok, $UAC_FAILED failed (exit $UAC_RC)"
    printf '%s' "$UAS_SUMMARY"
    echo "  sbc at the end of the calls: $SBC_STATE"
  } >&2
  if ((${#E2E_FAILURES[@]})); then
    show_tail "$WORKDIR/uac_errors.log" 20
    show_tail "$WORKDIR/sbc.log" 20
  fi
}

check_dialogs() { # the sbc's closing stats: one dialog per call, every one ended by its BYE
  local line
  line=$(grep -o "dialogs [0-9]* established, [0-9]* ended by BYE, [0-9]* expired, [0-9]* still open" \
    "$WORKDIR/sbc.log" | tail -1)
  [[ $line == "dialogs $CALLS established, $CALLS ended by BYE, 0 expired, 0 still open" ]] ||
    note_failure "sbc dialog stats: '${line:-none logged}', want $CALLS established and ended, 0 open"
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
  UAS_PIDS=() UAS_RCS=()
  local ip
  for ip in "${UAS_IPS[@]}"; do
    start_uas "$ip"
    UAS_PIDS+=("$LAST_PID")
  done
  for ip in "${UAS_IPS[@]}"; do
    wait_udp_port "$ip" "$UAS_PORT" 5 || fail "SIPp UAS did not bind $ip:$UAS_PORT (see $WORKDIR/uas${ip##*.}.log)"
  done
  start_sbc
  wait_for_probes

  run_uac
  SBC_STATE="still running"
  is_running "$SBC_PID" || { SBC_STATE="NOT running"; note_failure "the sbc exited during the calls"; }
  is_running "$SBC_PID" && stop_sbc
  stop_uas

  check_uac
  check_uas
  check_dialogs
  print_summary
  stop_all
  finish_test "$CALLS calls at $RATE calls/s through the sbc"
}

main "$@"
