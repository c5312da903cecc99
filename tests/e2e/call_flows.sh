#!/usr/bin/env bash
# tests/e2e/call_flows.sh: end-to-end test of four SIP call flows beyond the
# basic call, each through its own sbc instance. Compiles a policy with sbcc,
# then, in a private network namespace (loopback only), runs for each flow:
# two SIPp media-server stand-ins (UAS, the flow's scenario) on 127.0.0.30:5080
# and 127.0.0.31:5080, the sbc on 127.0.0.10:5060 (external) / 127.0.0.20:5065
# (internal), and a SIPp caller (UAC, the flow's scenario) on 127.0.0.40:5070
# placing 5 calls at 5 calls/s to the external face; then stops the sbc with
# SIGTERM and the UAS with SIGUSR1, and checks.
#
#   tests/e2e/call_flows.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
#
# The flows (scenarios in tests/e2e/scenarios/; both media servers run the same
# UAS scenario since round robin alternates the calls between them):
#   cancel      uac_cancel.xml / uas_cancel.xml: INVITE, 180, the caller
#               CANCELs; 200 to the CANCEL (from the sbc) and 487 to the INVITE
#               (from the media server, which got the sbc's own CANCEL), ACK of
#               the 487 hop by hop on both sides. No dialog is established.
#   reinvite    uac_reinvite.xml / uas_reinvite.xml: a confirmed call put on
#               hold by a re-INVITE from the caller along its route set; 200,
#               ACK, then BYE/200. The media server checks the re-INVITE is in
#               its dialog (Call-ID, To tag) and came through the sbc.
#   callee_bye  uac_callee_bye.xml / uas_callee_bye.xml: a confirmed call that
#               the media server ends: its BYE goes along its route set to the
#               sbc's internal face, which must route it out to the caller.
#   callee_nat  uac_rr.xml / uas_callee_nat.xml: a media server behind NAT whose
#               Contact names a private address it cannot be reached at; the
#               caller's ACK and BYE arrive only if the sbc sends them where the
#               200 came from (contact fixing for responses, WITH_NAT).
# The scenarios' own checks are described in each XML file.
#
# Passes (exit 0) only if, for every flow: the UAC exits 0 with 5 successful
# and 0 failed calls; each UAS quits cleanly with 0 failed calls; the
# per-message counts (SIPp -trace_counts) are what the flow implies (e.g. 5
# CANCELs, 5 487s and 5 ACKs at the media servers); no SIPp instance saw a
# retransmission (sent or received), an unexpected message, or a message for
# an unknown or finished call; the sbc ran until SIGTERM and its closing line
# reads "dialogs D established, D ended by BYE, 0 expired, 0 still open" with
# D = 0 for cancel and 5 for the others. The static-link check and the
# compilation are done once. Otherwise exit 1. Everything started here is
# stopped by PID in all cases.
#
# SIPp strictness as in basic_call.sh: default behaviours stay on (an
# unexpected message aborts the call), -recv_timeout fails a call that stalls,
# -timeout/-timeout_error and timeout(1) bound each run. Every SIPp instance
# writes a message trace (-trace_msg, FLOW_*_messages.log).
#
# Environment: E2E_OUT=DIR keeps the files in DIR/call_flows/ (else a mktemp
# dir, removed when the test passes); E2E_FLOWS the flows to run (default
# "cancel reinvite callee_bye callee_nat"); E2E_CALLS, E2E_RATE, E2E_HOLD_MS change the
# load (defaults 5, 5, 300; the hold is each pause of the reinvite caller);
# SBC_LOG_LEVEL (default info).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"

SBC_EXT_IP=127.0.0.10 SBC_EXT_PORT=5060
SBC_INT_IP=127.0.0.20 SBC_INT_PORT=5065
UAS_IPS=(127.0.0.30 127.0.0.31) UAS_PORT=5080
UAC_IP=127.0.0.40 UAC_PORT=5070
CALLS=${E2E_CALLS:-5}
RATE=${E2E_RATE:-5}
HOLD_MS=${E2E_HOLD_MS:-300}
read -r -a FLOWS <<<"${E2E_FLOWS:-cancel reinvite callee_bye callee_nat}"
SIPP_BUFF=4194304
COMPILE_TIMEOUT=180
READY_TIMEOUT=10
UAC_TIMEOUT=$((CALLS / RATE + 2 * HOLD_MS / 1000 + 15))   # SIPp -timeout, seconds
RECV_TIMEOUT_MS=5000
UAS_QUIT_TIMEOUT=12          # graceful UAS exit: active calls end (an unACKed 487 waits 8 s) + 2 s timewait

SCENARIOS=$HERE/scenarios

# Per flow: the scenarios, the sbc's dialogs (per call), and the counts that
# must reach exactly (per call) "SIDE COLUMN-SUFFIX N": summed over every
# column of that side's -trace_counts files ending in the suffix (a scenario
# with two INVITE steps has two _INVITE_Recv columns).
declare -A UAC_XML=([cancel]=uac_cancel.xml [reinvite]=uac_reinvite.xml [callee_bye]=uac_callee_bye.xml
  [callee_nat]=uac_rr.xml)
declare -A UAS_XML=([cancel]=uas_cancel.xml [reinvite]=uas_reinvite.xml [callee_bye]=uas_callee_bye.xml
  [callee_nat]=uas_callee_nat.xml)
declare -A DIALOGS_PER_CALL=([cancel]=0 [reinvite]=1 [callee_bye]=1 [callee_nat]=1)
declare -A COUNTS=(
  [cancel]="uas _INVITE_Recv 1, uas _180_Sent 1, uas _CANCEL_Recv 1, uas _487_Sent 1, uas _ACK_Recv 1, uac _180_Recv 1, uac _487_Recv 1"
  [reinvite]="uas _INVITE_Recv 2, uas _ACK_Recv 2, uas _BYE_Recv 1, uac _200_Recv 3"
  [callee_bye]="uas _INVITE_Recv 1, uas _ACK_Recv 1, uas _BYE_Sent 1, uac _BYE_Recv 1"
  [callee_nat]="uas _INVITE_Recv 1, uas _ACK_Recv 1, uas _BYE_Recv 1, uac _200_Recv 2"
)

SUMMARY=()

flow_failure() { note_failure "$FLOW: $*"; }   # a failed condition of the current flow

# ----------------------------------------------------------- SIPp output
side_counts_files() { # side_counts_files SIDE: the flow's -trace_counts files of uac or uas
  local scen
  if [[ $1 == uac ]]; then scen=${UAC_XML[$FLOW]%.xml}; else scen=${UAS_XML[$FLOW]%.xml}; fi
  compgen -G "$WORKDIR/${scen}_*_counts.csv" || true
}

side_sum() { # side_sum SIDE SUFFIX: sipp_sum over all of that side's counts files
  local f total=0 n
  while IFS= read -r f; do
    [[ -n $f ]] || continue
    n=$(sipp_sum "$f" "$2")
    total=$((total + n))
  done < <(side_counts_files "$1")
  echo "$total"
}

# ------------------------------------------------------------- processes
start_uas() { # start_uas IP: a SIPp media-server stand-in for the flow; pid in LAST_PID
  local tag=${FLOW}_uas${1##*.}
  start_bg "$tag" sipp -sf "$SCENARIOS/${UAS_XML[$FLOW]}" -i "$1" -p "$UAS_PORT" -t u1 \
    -buff_size "$SIPP_BUFF" -nostdin -timeout "$((UAC_TIMEOUT + 60))s" \
    -trace_stat -stf "${tag}_stat.csv" -fd 1 -trace_counts \
    -trace_msg -message_file "${tag}_messages.log" \
    -trace_err -error_file "${tag}_errors.log" \
    -trace_screen -screen_file "${tag}_screen.log" \
    -trace_logs -log_file "${tag}_actions.log"
}

start_sbc() {
  start_bg "${FLOW}_sbc" "$WORKDIR/sbc" --log-level="${SBC_LOG_LEVEL:-info}"
  SBC_PID=$LAST_PID
  SBC_LOG=$WORKDIR/${FLOW}_sbc.log
  if ! wait_for_log "$SBC_LOG" ready "$READY_TIMEOUT" "$SBC_PID"; then
    show_tail "$SBC_LOG"
    is_running "$SBC_PID" || fail "$FLOW: sbc exited during start-up"
    fail "$FLOW: sbc logged no 'ready' line within ${READY_TIMEOUT}s"
  fi
  wait_udp_port "$SBC_EXT_IP" "$SBC_EXT_PORT" 3 || fail "$FLOW: sbc is not listening on udp $SBC_EXT_IP:$SBC_EXT_PORT"
  wait_udp_port "$SBC_INT_IP" "$SBC_INT_PORT" 3 || fail "$FLOW: sbc is not listening on udp $SBC_INT_IP:$SBC_INT_PORT"
  e2e_log "$FLOW: sbc ready (pid $SBC_PID)"
}

wait_for_probes() { # the sbc has probed every UAS with OPTIONS (bounded; a note if not)
  local i deadline=$((SECONDS + 10)) missing=() scen=${UAS_XML[$FLOW]%.xml}
  for i in "${!UAS_IPS[@]}"; do
    wait_sipp_count "$WORKDIR/${scen}_${UAS_PIDS[i]}_counts.csv" _OPTIONS_Recv 1 $((deadline - SECONDS)) ||
      missing+=("${UAS_IPS[i]}")
  done
  if ((${#missing[@]})); then
    e2e_log "note: $FLOW: no OPTIONS probe seen at ${missing[*]} after 10 s; placing the calls anyway"
  fi
}

run_uac() { # places the flow's calls; sets UAC_RC
  e2e_log "$FLOW: UAC ${UAC_XML[$FLOW]}: $CALLS calls at $RATE calls/s -> $SBC_EXT_IP:$SBC_EXT_PORT"
  start_bg "${FLOW}_uac" timeout -k 5 "$((UAC_TIMEOUT + 10))" \
    sipp "$SBC_EXT_IP:$SBC_EXT_PORT" -sf "$SCENARIOS/${UAC_XML[$FLOW]}" -s service \
    -i "$UAC_IP" -p "$UAC_PORT" -t u1 -r "$RATE" -m "$CALLS" -l "$CALLS" -d "$HOLD_MS" \
    -recv_timeout "$RECV_TIMEOUT_MS" -timeout "${UAC_TIMEOUT}s" -timeout_error \
    -buff_size "$SIPP_BUFF" -nostdin \
    -trace_stat -stf "${FLOW}_uac_stat.csv" -fd 1 -trace_counts \
    -trace_msg -message_file "${FLOW}_uac_messages.log" \
    -trace_err -error_file "${FLOW}_uac_errors.log" \
    -trace_screen -screen_file "${FLOW}_uac_screen.log" \
    -trace_logs -log_file "${FLOW}_uac_actions.log"
  UAC_RC=0
  wait "$LAST_PID" || UAC_RC=$?
}

stop_sbc() { # TERM; the sbc must exit by itself (its closing line is checked)
  kill -TERM "$SBC_PID" 2>/dev/null || true
  if wait_exit "$SBC_PID" 5; then
    SBC_RC=0
    wait "$SBC_PID" 2>/dev/null || SBC_RC=$?
    e2e_log "$FLOW: sbc stopped on SIGTERM (exit status $SBC_RC)"
  else
    SBC_RC=timeout
    e2e_log "$FLOW: sbc still running 5 s after SIGTERM; killing it"
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

# ---------------------------------------------------------------- checks
check_uac() {
  local ok failed stat=$WORKDIR/${FLOW}_uac_stat.csv
  ok=$(sipp_stat "$stat" "SuccessfulCall(C)")
  failed=$(sipp_stat "$stat" "FailedCall(C)")
  UAC_LINE="UAC: ${ok:-?} calls ok, ${failed:-?} failed (exit $UAC_RC)"
  ((UAC_RC == 0)) || flow_failure "UAC exit status $UAC_RC (0 = all calls successful; see $WORKDIR/${FLOW}_uac_errors.log)"
  [[ $ok == "$CALLS" ]] || flow_failure "UAC: ${ok:-no} successful calls, want $CALLS"
  [[ $failed == 0 ]] || flow_failure "UAC: ${failed:-unknown number of} failed calls, want 0"
}

check_uas() {
  local i tag invites failed
  UAS_LINE=""
  for i in "${!UAS_IPS[@]}"; do
    tag=${FLOW}_uas${UAS_IPS[i]##*.}
    invites=$(sipp_stat "$WORKDIR/${UAS_XML[$FLOW]%.xml}_${UAS_PIDS[i]}_counts.csv" _INVITE_Recv)
    failed=$(sipp_stat "$WORKDIR/${tag}_stat.csv" "FailedCall(C)")
    UAS_LINE+="UAS ${UAS_IPS[i]}: ${invites:-?} calls, ${failed:-?} failed (exit ${UAS_RCS[i]}); "
    case ${UAS_RCS[i]} in
      0 | 99) ;;
      1) flow_failure "UAS ${UAS_IPS[i]}: exit status 1 (failed calls; see $WORKDIR/${tag}_errors.log)" ;;
      *) flow_failure "UAS ${UAS_IPS[i]}: did not quit cleanly (${UAS_RCS[i]}); calls left open?" ;;
    esac
    [[ $failed == 0 ]] || flow_failure "UAS ${UAS_IPS[i]}: ${failed:-unknown number of} failed calls, want 0 (see $WORKDIR/${tag}_errors.log)"
    [[ ${invites:-0} -gt 0 ]] || e2e_log "note: $FLOW: UAS ${UAS_IPS[i]} got no INVITE (no round robin?)"
  done
}

check_counts() { # the flow's message counts, then no retransmission or stray message anywhere
  local spec side suffix per want got f column n
  local -a specs
  IFS=',' read -r -a specs <<<"${COUNTS[$FLOW]}"
  COUNTS_LINE=""
  for spec in "${specs[@]}"; do
    read -r side suffix per <<<"$spec"
    want=$((per * CALLS))
    got=$(side_sum "$side" "$suffix")
    COUNTS_LINE+="$side ${suffix#_} $got; "
    ((got == want)) || flow_failure "$side: $got ${suffix#_} in all, want $want"
  done
  for side in uac uas; do
    for suffix in _Retrans _Unexp; do
      got=$(side_sum "$side" "$suffix")
      ((got == 0)) || flow_failure "$side: $got ${suffix#_} (retransmitted or unexpected messages), want 0"
    done
  done
  for f in "$WORKDIR/${FLOW}_uac_stat.csv" "$WORKDIR/${FLOW}_uas30_stat.csv" "$WORKDIR/${FLOW}_uas31_stat.csv"; do
    for column in "OutOfCallMsgs(C)" "DeadCallMsgs(C)" "Retransmissions(C)"; do
      n=$(sipp_stat "$f" "$column")
      [[ ${n:-0} == 0 ]] || flow_failure "$(basename "$f" _stat.csv): $column = $n, want 0"
    done
  done
}

check_sbc() { # ran until SIGTERM; its closing line counts the flow's dialogs
  local line want_dialogs=$((DIALOGS_PER_CALL[$FLOW] * CALLS)) want
  want="dialogs $want_dialogs established, $want_dialogs ended by BYE, 0 expired, 0 still open"
  [[ $SBC_RC == 0 ]] || flow_failure "sbc exit status after SIGTERM: $SBC_RC, want 0"
  line=$(grep -o "dialogs [0-9]* established, [0-9]* ended by BYE, [0-9]* expired, [0-9]* still open" \
    "$SBC_LOG" | tail -1 || true)
  SBC_LINE="sbc: '${line:-no closing line}'"
  [[ $line == "$want" ]] || flow_failure "sbc dialog stats: '${line:-none logged}', want '$want'"
}

# ------------------------------------------------------------------ flows
run_flow() { # run_flow FLOW: start everything for one flow, place the calls, stop, check
  FLOW=$1
  local before=${#E2E_FAILURES[@]} ip verdict=PASS
  [[ -n ${UAC_XML[$FLOW]:-} ]] || fail "unknown flow '$FLOW' (known: ${!UAC_XML[*]})"
  e2e_log "=== flow $FLOW: ${UAC_XML[$FLOW]} -> sbc -> ${UAS_XML[$FLOW]}"

  # the media servers first: the sbc probes them with OPTIONS from start-up on
  UAS_PIDS=() UAS_RCS=()
  for ip in "${UAS_IPS[@]}"; do
    start_uas "$ip"
    UAS_PIDS+=("$LAST_PID")
  done
  for ip in "${UAS_IPS[@]}"; do
    wait_udp_port "$ip" "$UAS_PORT" 5 || fail "$FLOW: SIPp UAS did not bind $ip:$UAS_PORT (see $WORKDIR/${FLOW}_uas${ip##*.}.log)"
  done
  start_sbc
  wait_for_probes

  run_uac
  if is_running "$SBC_PID"; then
    stop_sbc
  else
    SBC_RC=0
    wait "$SBC_PID" 2>/dev/null || SBC_RC=$?
    flow_failure "the sbc exited during the calls (exit status $SBC_RC)"
    SBC_RC="exited early ($SBC_RC)"
  fi
  stop_uas

  check_uac
  check_uas
  check_counts
  check_sbc
  ((${#E2E_FAILURES[@]} == before)) || verdict=FAIL
  SUMMARY+=("$FLOW: $verdict"$'\n'"    $UAC_LINE"$'\n'"    $UAS_LINE"$'\n'"    counts: $COUNTS_LINE"$'\n'"    $SBC_LINE")
  if [[ $verdict == FAIL ]]; then
    show_tail "$WORKDIR/${FLOW}_uac_errors.log" 10
    show_tail "$WORKDIR/${FLOW}_uas30_errors.log" 10
    show_tail "$WORKDIR/${FLOW}_uas31_errors.log" 10
    show_tail "$SBC_LOG" 10
  fi
  stop_all
}

print_summary() { # each flow's verdict and what its parties did (finish_test gives the overall verdict)
  local s
  for s in "${SUMMARY[@]}"; do echo "  $s"; done >&2
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

  local flow
  for flow in "${FLOWS[@]}"; do run_flow "$flow"; done

  print_summary
  finish_test "$CALLS calls per flow"
}

main "$@"
