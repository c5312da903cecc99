#!/usr/bin/env bash
# tests/e2e/resilience.sh: end-to-end tests of the sbc when things go wrong around
# it. Compiles a policy with sbcc (once), then, in a private network namespace
# (loopback only), runs each part with its own sbc instance on 127.0.0.10:5060
# (external) / 127.0.0.20:5065 (internal), SIPp media-server stand-ins (UAS,
# scenarios/uas_rr.xml) on 127.0.0.30:5080 / 127.0.0.31:5080 and a SIPp caller
# (UAC, scenarios/uac_rr.xml) on 127.0.0.40:5070:
#
#   dead_server  Nothing listens on 127.0.0.30:5080 (the kernel answers ICMP port
#                unreachable, which the sbc's unconnected UDP socket never sees),
#                only the UAS on .31 runs. The sbc's OPTIONS probe of .30 gets no
#                answer and ends with timer F (64*T1 = 32 s); with `threshold 1`
#                the sbc then logs "dispatcher mediaservers: sip:127.0.0.30:5080
#                is inactive". The test waits for that line (bounded, 45 s), then
#                places 20 calls at 10 calls/s. Round robin must skip the inactive
#                destination: no failover, no INVITE to .30 at all.
#   lossy        Both UAS and the UAC run with SIPp's `-lost 10`: each message a
#                scenario step sends (retransmissions included), and each
#                message it receives, is dropped with a 10% chance at the SIPp
#                side (the sbc itself loses nothing). 50 calls at 10 calls/s,
#                hold 1 s, 20 s receive timeouts. Retransmissions on every side
#                (SIPp's; the sbc's timers A and E, its relaying of each 2xx
#                copy (RFC 6026) and its answers to retransmitted requests)
#                must recover every call. The scenarios are uac_lossy.xml and
#                uas_lossy.xml: uac_rr.xml/uas_rr.xml with the changes SIPp
#                needs to survive loss itself (see each file's note), checks
#                unchanged.
#   malformed    100 calls at 20 calls/s (normal UAS on .30 and .31) while
#                tools/sip_garbage.py, from another internet address
#                (127.0.0.41:5099), sends 3000 malformed datagrams to the
#                external face; it starts once the UAC has placed 20 calls.
#
#   tests/e2e/resilience.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
#
# Durations: dead_server ~40 s (the 32 s probe timeout), lossy ~35 s, malformed
# ~25 s; ctest runs each part as its own test (E2E_PARTS) within 120 s.
#
# Passes (exit 0) only if every part run passes:
#   dead_server  the sbc logs .30 inactive within 45 s of start-up (and never
#                .31); the UAC exits 0 with 20 successful, 0 failed calls; the UAS
#                on .31 got 20 INVITEs, 0 failed calls, quit cleanly; a packet
#                counter on lo (tools/sip_sniff.py) saw the sbc's OPTIONS probes
#                to .30 and the ICMP port unreachables (so .30 was really dead and
#                watched) but 0 INVITEs to .30; the sbc log forwards no INVITE to
#                .30, has no "handled by the policy" (no failover was needed) and
#                no ".30 is active again"; the sbc ran until SIGTERM and closed
#                with "dialogs 20 established, 20 ended by BYE, 0 expired, 0 still open".
#   lossy        the UAC exits 0 with 50 successful, 0 failed calls; messages
#                were really lost (SIPp's _Lost counts > 0) and retransmitted
#                (Retransmissions(C) > 0); the sbc ran until SIGTERM and closed
#                with "dialogs 50 established, 50 ended by BYE, 0 expired, 0 still
#                open". Reported, not judged: the UAS results, and what the sbc
#                retransmitted or absorbed (its closing line has no count of
#                retransmissions, so sip_sniff.py counts them on lo: datagrams
#                that are byte-identical copies of an earlier one between the
#                same two addresses, by face and kind).
#   malformed    the UAC exits 0 with 100 successful, 0 failed calls; the UAC was
#                still placing calls when the garbage started; sip_garbage.py
#                exits 0 (the sbc still answered OPTIONS right after the garbage)
#                and got 400 replies; the sbc is still running after the calls and
#                still answers an OPTIONS then (sip_garbage.py with 0 datagrams).
#                Mutated INVITEs that still parse are real calls to the media
#                servers that nobody ACKs; their count is reported, not judged.
# Everything started here is stopped by PID in all cases.
#
# SIPp strictness as in basic_call.sh: default behaviours stay on; -recv_timeout
# fails a stalled call; -timeout/-timeout_error and timeout(1) bound each run.
#
# Environment: E2E_OUT=DIR keeps the files in DIR/resilience/ (else a mktemp dir,
# removed when the test passes); E2E_PARTS the parts to run (default "dead_server
# lossy malformed"); SBC_LOG_LEVEL (default info). To check the checks:
# E2E_DEAD_WAIT=0 places the dead_server calls without waiting for the probe
# verdict (round robin then sends INVITEs to .30: the part must fail);
# E2E_LOSSY_SIPP_ARGS adds SIPp options in the lossy part (e.g. "-nr": no SIPp
# retransmissions, so losses are not recovered: the part must fail).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"

SBC_EXT_IP=127.0.0.10 SBC_EXT_PORT=5060
SBC_INT_IP=127.0.0.20 SBC_INT_PORT=5065
DEAD_IP=127.0.0.30 GOOD_IP=127.0.0.31 UAS_PORT=5080
UAC_IP=127.0.0.40 UAC_PORT=5070
GARBAGE_IP=127.0.0.41
read -r -a PARTS <<<"${E2E_PARTS:-dead_server lossy malformed}"
SIPP_BUFF=4194304
COMPILE_TIMEOUT=180
READY_TIMEOUT=10
INACTIVE_TIMEOUT=45          # the first probe of .30 ends with timer F at 32 s
UAS_QUIT_TIMEOUT=12
LOSS_PERCENT=10
GARBAGE_COUNT=3000

SCENARIOS=$HERE/scenarios
TOOLS=$HERE/tools
SUMMARY=()

part_failure() { note_failure "$PART: $*"; }   # a failed condition of the current part

note() { # a line for the part's summary
  PART_NOTES+=("$*")
}

# ----------------------------------------------------------- SIPp output
declare -A UAS_SCENARIO=()   # UAS pid -> its scenario's name (SIPp names files after it)
uas_counts() { echo "$WORKDIR/${UAS_SCENARIO[$1]}_${1}_counts.csv"; }    # uas_counts PID
# newest_uac_counts SCENARIO: the UAC's -trace_counts file (named after the sipp pid,
# which is not $UAC_PID: that is timeout(1)); the part's UAC is the newest one
newest_uac_counts() { ls -t "$WORKDIR/$1"_*_counts.csv 2>/dev/null | head -1; }

# sniff_count FILE SRC DST KIND [FIELD]: from a sip_sniff.py summary, the sum of
# COUNT (FIELD 5, default) or COPIES (FIELD 6) over lines matching; SRC/DST/KIND
# are awk regexes ("." for any).
sniff_count() {
  [[ -f $1 ]] || { echo 0; return 0; }
  awk -v s="$2" -v d="$3" -v k="$4" -v f="${5:-5}" \
    '$1 == "udp" && $2 ~ s && $3 ~ d && $4 ~ k { n += $f } END { print n + 0 }' "$1"
}

# copies_by_kind from|to: the sbc's copies (retransmissions) in a sip_sniff.py summary,
# sent from or received on its faces, by face and kind: "ext 200 12; int BYE 3; "
copies_by_kind() {
  [[ -f $SNIFF_FILE ]] || return 0
  awk -v f="$([[ $1 == from ]] && echo 2 || echo 3)" -v e="$SBC_EXT_IP:$SBC_EXT_PORT" -v i="$SBC_INT_IP:$SBC_INT_PORT" '
    $1 == "udp" && $6 > 0 && ($f == e || $f == i) { k[($f == e ? "ext " : "int ") $4] += $6 }
    END { for (x in k) print x, k[x] }' "$SNIFF_FILE" | sort | tr '\n' ';' | sed 's/;/; /g'
}

sniff_unreachable() { # sniff_unreachable FILE DST: ICMP port unreachables for DST
  [[ -f $1 ]] || { echo 0; return 0; }
  awk -v d="$2" '$1 == "icmp-port-unreachable" && $2 == d { n += $3 } END { print n + 0 }' "$1"
}

# ------------------------------------------------------------- processes
start_sbc() {
  start_bg "${PART}_sbc" "$WORKDIR/sbc" --log-level="${SBC_LOG_LEVEL:-info}"
  SBC_PID=$LAST_PID
  SBC_LOG=$WORKDIR/${PART}_sbc.log
  SBC_STARTED=$SECONDS
  if ! wait_for_log "$SBC_LOG" ready "$READY_TIMEOUT" "$SBC_PID"; then
    show_tail "$SBC_LOG"
    is_running "$SBC_PID" || fail "$PART: sbc exited during start-up"
    fail "$PART: sbc logged no 'ready' line within ${READY_TIMEOUT}s"
  fi
  wait_udp_port "$SBC_EXT_IP" "$SBC_EXT_PORT" 3 || fail "$PART: sbc is not listening on udp $SBC_EXT_IP:$SBC_EXT_PORT"
  wait_udp_port "$SBC_INT_IP" "$SBC_INT_PORT" 3 || fail "$PART: sbc is not listening on udp $SBC_INT_IP:$SBC_INT_PORT"
  e2e_log "$PART: sbc ready (pid $SBC_PID)"
}

stop_sbc() { # TERM; the sbc must exit by itself (its closing line is checked); SBC_RC
  if ! is_running "$SBC_PID"; then
    SBC_RC=0
    wait "$SBC_PID" 2>/dev/null || SBC_RC=$?
    part_failure "the sbc exited before the end of the part (exit status $SBC_RC)"
    SBC_RC="exited early ($SBC_RC)"
    return 0
  fi
  kill -TERM "$SBC_PID" 2>/dev/null || true
  if wait_exit "$SBC_PID" 5; then
    SBC_RC=0
    wait "$SBC_PID" 2>/dev/null || SBC_RC=$?
  else
    SBC_RC=timeout
    stop_pid "$SBC_PID" 1
  fi
  [[ $SBC_RC == 0 ]] || part_failure "sbc exit status after SIGTERM: $SBC_RC, want 0"
}

start_uas() { # start_uas TAG IP SCENARIO [SIPP_ARGS...]: a SIPp media-server stand-in; pid in LAST_PID
  local tag=${PART}_$1 ip=$2 scenario=$3
  shift 3
  start_bg "$tag" sipp -sf "$SCENARIOS/$scenario.xml" -i "$ip" -p "$UAS_PORT" -t u1 \
    -buff_size "$SIPP_BUFF" -nostdin -timeout "$((UAC_TIMEOUT + 60))s" \
    -trace_stat -stf "${tag}_stat.csv" -fd 1 -trace_counts \
    -trace_msg -message_file "${tag}_messages.log" \
    -trace_err -error_file "${tag}_errors.log" \
    -trace_screen -screen_file "${tag}_screen.log" \
    -trace_logs -log_file "${tag}_actions.log" "$@"
  UAS_SCENARIO[$LAST_PID]=$scenario
  wait_udp_port "$ip" "$UAS_PORT" 5 || fail "$PART: SIPp UAS did not bind $ip:$UAS_PORT (see $WORKDIR/$tag.log)"
}

stop_uas() { # stop_uas PID...: SIGUSR1 = SIPp's graceful quit; exit status per PID in UAS_RC[PID]
  local pid
  for pid in "$@"; do kill -USR1 "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    UAS_RC[$pid]=0
    if wait_exit "$pid" "$UAS_QUIT_TIMEOUT"; then
      wait "$pid" 2>/dev/null || UAS_RC[$pid]=$?
    else
      UAS_RC[$pid]=timeout
      stop_pid "$pid" 2
    fi
  done
}

start_sniffer() { # a packet counter on lo (tools/sip_sniff.py); pid in SNIFF_PID
  SNIFF_FILE=$WORKDIR/${PART}_sniff.txt
  start_bg "${PART}_sniff" python3 "$TOOLS/sip_sniff.py" "$SNIFF_FILE" 240
  SNIFF_PID=$LAST_PID
  wait_for_log "$WORKDIR/${PART}_sniff.log" "sniffing on lo" 5 "$SNIFF_PID" ||
    fail "$PART: the packet counter did not start (see $WORKDIR/${PART}_sniff.log)"
}

stop_sniffer() { stop_pid "$SNIFF_PID" 3 "packet counter"; }   # TERM: it writes its summary

wait_for_probe() { # wait_for_probe PID TIMEOUT_S: the UAS with that pid answered an OPTIONS probe
  wait_sipp_count "$(uas_counts "$1")" _OPTIONS_Recv 1 "$2"
}

start_uac() { # start_uac SCENARIO CALLS RATE HOLD_MS RECV_TIMEOUT_MS [SIPP_ARGS...]: pid in UAC_PID
  local scenario=$1 calls=$2 rate=$3 hold=$4 recv=$5
  shift 5
  e2e_log "$PART: UAC: $calls calls at $rate calls/s, hold ${hold} ms -> $SBC_EXT_IP:$SBC_EXT_PORT"
  start_bg "${PART}_uac" timeout -k 5 "$((UAC_TIMEOUT + 10))" \
    sipp "$SBC_EXT_IP:$SBC_EXT_PORT" -sf "$SCENARIOS/$scenario.xml" -s service \
    -i "$UAC_IP" -p "$UAC_PORT" -t u1 -r "$rate" -m "$calls" -l 200 -d "$hold" \
    -recv_timeout "$recv" -timeout "${UAC_TIMEOUT}s" -timeout_error \
    -buff_size "$SIPP_BUFF" -nostdin \
    -trace_stat -stf "${PART}_uac_stat.csv" -fd 1 -trace_counts \
    -trace_msg -message_file "${PART}_uac_messages.log" \
    -trace_err -error_file "${PART}_uac_errors.log" \
    -trace_screen -screen_file "${PART}_uac_screen.log" "$@"
  UAC_PID=$LAST_PID
}

wait_uac() { # UAC_RC
  UAC_RC=0
  wait "$UAC_PID" || UAC_RC=$?
}

# ---------------------------------------------------------------- checks
check_uac() { # check_uac CALLS
  local ok failed stat=$WORKDIR/${PART}_uac_stat.csv
  ok=$(sipp_stat "$stat" "SuccessfulCall(C)")
  failed=$(sipp_stat "$stat" "FailedCall(C)")
  note "UAC: ${ok:-?} calls ok, ${failed:-?} failed (exit $UAC_RC)"
  ((UAC_RC == 0)) || part_failure "UAC exit status $UAC_RC (0 = all calls successful; see $WORKDIR/${PART}_uac_errors.log)"
  [[ $ok == "$1" ]] || part_failure "UAC: ${ok:-no} successful calls, want $1"
  [[ $failed == 0 ]] || part_failure "UAC: ${failed:-unknown number of} failed calls, want 0"
}

uas_result() { # uas_result TAG IP PID: sets UAS_INVITES, UAS_FAILED and a summary note
  local tag=${PART}_$1
  UAS_INVITES=$(sipp_stat "$(uas_counts "$3")" _INVITE_Recv)
  UAS_FAILED=$(sipp_stat "$WORKDIR/${tag}_stat.csv" "FailedCall(C)")
  note "UAS $2: ${UAS_INVITES:-0} INVITEs, ${UAS_FAILED:-?} failed calls (exit ${UAS_RC[$3]})"
}

check_uas_clean() { # check_uas_clean IP PID: 0 failed calls and a clean graceful exit
  case ${UAS_RC[$2]} in
    0 | 99) ;;
    *) part_failure "UAS $1: exit ${UAS_RC[$2]} (failed calls or calls left open; see $WORKDIR/${PART}_uas${1##*.}_errors.log)" ;;
  esac
  [[ $UAS_FAILED == 0 ]] || part_failure "UAS $1: ${UAS_FAILED:-unknown number of} failed calls, want 0"
}

dialog_line() {
  grep -o "dialogs [0-9]* established, [0-9]* ended by BYE, [0-9]* expired, [0-9]* still open" "$SBC_LOG" |
    tail -1 || true
}

check_dialogs() { # check_dialogs N: the sbc's closing line: N dialogs, all ended by BYE
  local line want="dialogs $1 established, $1 ended by BYE, 0 expired, 0 still open"
  line=$(dialog_line)
  note "sbc: '${line:-no closing line}' (exit $SBC_RC)"
  [[ $line == "$want" ]] || part_failure "sbc dialog stats: '${line:-none logged}', want '$want'"
}

# ------------------------------------------------------------------ parts
part_dead_server() {
  local calls=20 rate=10 hold=500 good_pid waited invites_30 options_30 icmp_30 forwarded_30 handled line
  UAC_TIMEOUT=$((calls / rate + 15))
  start_sniffer
  start_uas uas31 "$GOOD_IP" uas_rr
  good_pid=$LAST_PID
  start_sbc
  line="dispatcher mediaservers: sip:$DEAD_IP:$UAS_PORT is inactive"
  if [[ ${E2E_DEAD_WAIT:-1} == 0 ]]; then
    e2e_log "$PART: E2E_DEAD_WAIT=0: placing the calls without waiting for the probe verdict"
  elif wait_for_log "$SBC_LOG" "$line" "$INACTIVE_TIMEOUT" "$SBC_PID"; then
    waited=$((SECONDS - SBC_STARTED))
    e2e_log "$PART: the sbc marked $DEAD_IP inactive ${waited} s after start-up"
    note "sbc: '$line' logged ${waited} s after start-up"
  else
    part_failure "the sbc did not log '$line' within ${INACTIVE_TIMEOUT}s"
  fi
  wait_for_probe "$good_pid" 5 || e2e_log "note: $PART: no OPTIONS probe seen at $GOOD_IP"
  if ! grep -qF "sip:$GOOD_IP:$UAS_PORT is inactive" "$SBC_LOG"; then
    start_uac uac_rr "$calls" "$rate" "$hold" 5000
    wait_uac
  else
    part_failure "the sbc marked the live $GOOD_IP inactive; no calls placed"
    UAC_RC=skipped
  fi
  stop_sbc
  stop_uas "$good_pid"
  stop_sniffer

  [[ $UAC_RC == skipped ]] || check_uac "$calls"
  uas_result uas31 "$GOOD_IP" "$good_pid"
  check_uas_clean "$GOOD_IP" "$good_pid"
  [[ ${UAS_INVITES:-0} == "$calls" ]] || part_failure "UAS $GOOD_IP received ${UAS_INVITES:-0} INVITEs, want $calls"
  invites_30=$(sniff_count "$SNIFF_FILE" . "^$DEAD_IP:$UAS_PORT\$" '^INVITE$')
  options_30=$(sniff_count "$SNIFF_FILE" . "^$DEAD_IP:$UAS_PORT\$" '^OPTIONS$')
  icmp_30=$(sniff_unreachable "$SNIFF_FILE" "$DEAD_IP:$UAS_PORT")
  note "on lo to $DEAD_IP:$UAS_PORT: $invites_30 INVITEs, $options_30 OPTIONS (probes and their retransmissions), $icmp_30 ICMP port unreachable"
  ((options_30 > 0)) || part_failure "the packet counter saw no OPTIONS probe to $DEAD_IP (was it watching?)"
  ((icmp_30 > 0)) || part_failure "no ICMP port unreachable from $DEAD_IP:$UAS_PORT (something listens there?)"
  ((invites_30 == 0)) || part_failure "$invites_30 INVITEs were sent to the dead $DEAD_IP:$UAS_PORT, want 0"
  forwarded_30=$(grep -c -- "-> dispatcher mediaservers sip:$DEAD_IP:$UAS_PORT" "$SBC_LOG" || true)
  ((forwarded_30 == 0)) || part_failure "the sbc log forwards $forwarded_30 requests to $DEAD_IP, want 0"
  handled=$(grep -c -- "handled by the policy" "$SBC_LOG" || true)
  ((handled == 0)) || part_failure "the sbc log has $handled 'handled by the policy' lines, want 0 (no failover needed)"
  ! grep -qF "sip:$DEAD_IP:$UAS_PORT is active again" "$SBC_LOG" || part_failure "the sbc marked the dead $DEAD_IP active again"
  check_dialogs "$calls"
}

part_lossy() {
  local calls=50 rate=10 hold=1000 pid30 pid31 lost=0 retrans=0 f n extra=()
  local UAS_QUIT_TIMEOUT=15    # uas_lossy.xml's timewait is 10 s
  read -r -a extra <<<"${E2E_LOSSY_SIPP_ARGS:-}"
  UAC_TIMEOUT=$((calls / rate + 45))
  start_sniffer
  start_uas uas30 "$DEAD_IP" uas_lossy -lost "$LOSS_PERCENT" "${extra[@]}"
  pid30=$LAST_PID
  start_uas uas31 "$GOOD_IP" uas_lossy -lost "$LOSS_PERCENT" "${extra[@]}"
  pid31=$LAST_PID
  start_sbc
  wait_for_probe "$pid30" 10 || e2e_log "note: $PART: no OPTIONS probe seen at $DEAD_IP after 10 s"
  wait_for_probe "$pid31" 10 || e2e_log "note: $PART: no OPTIONS probe seen at $GOOD_IP after 10 s"
  start_uac uac_lossy "$calls" "$rate" "$hold" 20000 -lost "$LOSS_PERCENT" "${extra[@]}"
  wait_uac
  stop_sbc
  stop_uas "$pid30" "$pid31"
  stop_sniffer

  check_uac "$calls"
  uas_result uas30 "$DEAD_IP" "$pid30"
  uas_result uas31 "$GOOD_IP" "$pid31"
  note "ACKs that reached the UAS: $(($(sipp_stat "$(uas_counts "$pid30")" _ACK_Recv) + $(sipp_stat "$(uas_counts "$pid31")" _ACK_Recv))) of $calls"
  # evidence that messages were lost and recovered by retransmission (SIPp's view)
  for f in "$(newest_uac_counts uac_lossy)" "$(uas_counts "$pid30")" "$(uas_counts "$pid31")"; do
    n=$(sipp_sum "$f" _Lost)
    lost=$((lost + n))
  done
  for f in uac uas30 uas31; do
    n=$(sipp_stat "$WORKDIR/${PART}_${f}_stat.csv" "Retransmissions(C)")
    retrans=$((retrans + ${n:-0}))
  done
  note "SIPp: $lost messages dropped on purpose (-lost $LOSS_PERCENT), $retrans retransmissions (UAC and both UAS)"
  ((lost > 0)) || part_failure "SIPp dropped no message: the loss was not exercised"
  ((retrans > 0)) || part_failure "SIPp retransmitted nothing: the loss was not exercised"
  # what the sbc did with retransmissions, from the datagrams on lo
  local ext_in ext_in_copies ext_out ext_out_copies int_in int_in_copies int_out int_out_copies
  ext_in=$(sniff_count "$SNIFF_FILE" . "^$SBC_EXT_IP:$SBC_EXT_PORT\$" .)
  ext_in_copies=$(sniff_count "$SNIFF_FILE" . "^$SBC_EXT_IP:$SBC_EXT_PORT\$" . 6)
  ext_out=$(sniff_count "$SNIFF_FILE" "^$SBC_EXT_IP:$SBC_EXT_PORT\$" . .)
  ext_out_copies=$(sniff_count "$SNIFF_FILE" "^$SBC_EXT_IP:$SBC_EXT_PORT\$" . . 6)
  int_in=$(sniff_count "$SNIFF_FILE" . "^$SBC_INT_IP:$SBC_INT_PORT\$" .)
  int_in_copies=$(sniff_count "$SNIFF_FILE" . "^$SBC_INT_IP:$SBC_INT_PORT\$" . 6)
  int_out=$(sniff_count "$SNIFF_FILE" "^$SBC_INT_IP:$SBC_INT_PORT\$" . .)
  int_out_copies=$(sniff_count "$SNIFF_FILE" "^$SBC_INT_IP:$SBC_INT_PORT\$" . . 6)
  note "on lo, external face: $ext_in in ($ext_in_copies copies of an earlier one), $ext_out out ($ext_out_copies copies)"
  note "on lo, internal face: $int_in in ($int_in_copies copies), $int_out out ($int_out_copies copies)"
  note "copies sent by the sbc, by kind: $(copies_by_kind from)"
  note "copies received by the sbc, by kind: $(copies_by_kind to)"
  check_dialogs "$calls"
}

part_malformed() {
  local calls=100 rate=20 hold=500 pid30 pid31 placed result garbage_rc=0 alive alive_rc=0 uac_running
  local UAS_QUIT_TIMEOUT=3     # the garbage calls never end by themselves; the UAS are not judged here
  UAC_TIMEOUT=$((calls / rate + 15))
  start_uas uas30 "$DEAD_IP" uas_rr
  pid30=$LAST_PID
  start_uas uas31 "$GOOD_IP" uas_rr
  pid31=$LAST_PID
  start_sbc
  wait_for_probe "$pid30" 10 || e2e_log "note: $PART: no OPTIONS probe seen at $DEAD_IP after 10 s"
  wait_for_probe "$pid31" 10 || e2e_log "note: $PART: no OPTIONS probe seen at $GOOD_IP after 10 s"
  start_uac uac_rr "$calls" "$rate" "$hold" 5000
  # the garbage goes in while the calls are being placed
  wait_sipp_count "$WORKDIR/${PART}_uac_stat.csv" "OutgoingCall(C)" 20 10 ||
    e2e_log "note: $PART: the UAC had not placed 20 calls after 10 s"
  placed=$(sipp_stat "$WORKDIR/${PART}_uac_stat.csv" "OutgoingCall(C)")
  uac_running=no
  is_running "$UAC_PID" && uac_running=yes
  e2e_log "$PART: $GARBAGE_COUNT malformed datagrams from $GARBAGE_IP (UAC running: $uac_running, ${placed:-?} calls placed)"
  result=$(timeout 60 python3 "$TOOLS/sip_garbage.py" "$SBC_EXT_IP" "$SBC_EXT_PORT" "$GARBAGE_IP" "$GARBAGE_COUNT" 2>&1) ||
    garbage_rc=$?
  echo "$result" >"$WORKDIR/${PART}_garbage.log"
  note "garbage (started at ${placed:-?} calls placed, UAC running: $uac_running): $result (exit $garbage_rc)"
  wait_uac
  if is_running "$SBC_PID"; then
    alive=$(timeout 20 python3 "$TOOLS/sip_garbage.py" "$SBC_EXT_IP" "$SBC_EXT_PORT" "$GARBAGE_IP" 0 2>&1) || alive_rc=$?
    note "after the calls: $alive (exit $alive_rc)"
    ((alive_rc == 0)) || part_failure "the sbc no longer answers OPTIONS after the calls"
  else
    part_failure "the sbc is not running after the calls"
  fi
  stop_sbc
  stop_uas "$pid30" "$pid31"

  check_uac "$calls"
  [[ $uac_running == yes ]] || part_failure "the UAC was not running when the garbage started (no overlap)"
  ((garbage_rc == 0)) || part_failure "sip_garbage.py exit $garbage_rc: the sbc stopped answering OPTIONS during/after the garbage"
  grep -q "'400'" <<<"$result" || part_failure "no 400 replies to the malformed requests"
  uas_result uas30 "$DEAD_IP" "$pid30"
  uas_result uas31 "$GOOD_IP" "$pid31"
  local garbage_calls
  garbage_calls=$(cat "$WORKDIR/${PART}"_uas3?_messages.log 2>/dev/null | grep -a "^Call-ID: garbage-" | sort -u | wc -l)
  note "mutated INVITEs that still parsed and reached a media server: $garbage_calls (distinct garbage Call-IDs in the UAS traces; nobody ACKs their 200)"
  note "sbc: '$(dialog_line)'; $(grep -c "malformed SIP from $GARBAGE_IP" "$SBC_LOG" || true) 'malformed SIP from $GARBAGE_IP' lines"
}

run_part() {
  PART=$1
  PART_NOTES=()
  declare -gA UAS_RC=()
  local before=${#E2E_FAILURES[@]} verdict=PASS n
  declare -F "part_$PART" >/dev/null || fail "unknown part '$PART' (known: dead_server lossy malformed)"
  e2e_log "=== part $PART"
  "part_$PART"
  ((${#E2E_FAILURES[@]} == before)) || verdict=FAIL
  SUMMARY+=("$PART: $verdict")
  for n in "${PART_NOTES[@]}"; do SUMMARY+=("    $n"); done
  if [[ $verdict == FAIL ]]; then
    show_tail "$WORKDIR/${PART}_uac_errors.log" 10
    show_tail "$WORKDIR/${PART}_uas30_errors.log" 10
    show_tail "$WORKDIR/${PART}_uas31_errors.log" 10
    show_tail "$SBC_LOG" 10
  fi
  stop_all
}

print_summary() { # each part's verdict and notes (finish_test gives the overall verdict)
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
  command -v python3 >/dev/null || fail "python3 not found"
  e2e_enter_netns "$@"

  compile_policy
  local part
  for part in "${PARTS[@]}"; do run_part "$part"; done

  print_summary
  finish_test "${PARTS[*]}"
}

main "$@"
