#!/usr/bin/env bash
# tests/e2e/shutdown.sh: SIGTERM with calls up. In a private network namespace
# (loopback only): two SIPp media servers (uas_timeout.xml: they wait for a BYE from
# the SBC), the sbc compiled from POLICY (samples/loopback.sbc), a SIPp caller
# (uac_timeout.xml) placing CALLS calls that stay up without media. Once they are up,
# the sbc gets SIGTERM. It must: send every party of every call a BYE (Reason: SBC
# shutting down), which the scenarios require for their calls to succeed; answer a
# new INVITE 503 meanwhile; exit by itself with status 0 within 5 s; and close with
# "0 still open, CALLS ended by the sbc" and no media session left.
#
#   tests/e2e/shutdown.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"

CALLS=${E2E_CALLS:-3}

main() {
  (($# == 2)) || usage
  SBCC=$(readlink -f "$1")
  POLICY=$(readlink -f "$2")
  command -v sipp >/dev/null || fail "sipp not found"
  e2e_enter_netns "$@"
  compile_policy

  start_sipp_media_servers uas_timeout.xml
  start_bg sbc "$WORKDIR/sbc" --log-level=info
  local sbc=$LAST_PID
  wait_for_log "$WORKDIR/sbc.log" ready 10 "$sbc" || fail "sbc not ready"

  start_bg uac timeout -k 5 40 sipp 127.0.0.10:5060 -sf "$HERE/scenarios/uac_timeout.xml" -s service \
    -i 127.0.0.40 -p 5070 -mi 127.0.0.40 -mp 6000 -r 10 -m "$CALLS" -l "$CALLS" -recv_timeout 15000 \
    -timeout 30s -timeout_error -nostdin -trace_stat -stf uac_stat.csv -fd 1
  local uac=$LAST_PID
  local deadline=$((SECONDS + 10)) up=0
  while ((up < CALLS && SECONDS < deadline)); do
    sleep 0.2
    up=$(grep -c "200 OK to INVITE" "$WORKDIR/sbc.log" || true)
  done
  ((up == CALLS)) || note_failure "only $up of $CALLS calls came up before the SIGTERM"
  sleep 0.5

  e2e_log "SIGTERM to the sbc with $up calls up"
  kill -TERM "$sbc"
  # a new call during the shutdown is refused
  sipp 127.0.0.10:5060 -sf "$HERE/scenarios/uac_rr.xml" -s service -i 127.0.0.41 -p 5071 -m 1 \
    -recv_timeout 3000 -timeout 5s -nostdin -trace_msg -message_file "$WORKDIR/late_messages.log" \
    >"$WORKDIR/late.log" 2>&1 || true
  grep -q "SIP/2.0 503" "$WORKDIR/late_messages.log" || note_failure "a new INVITE during the shutdown was not answered 503"
  if wait_exit "$sbc" 5; then
    local rc=0
    wait "$sbc" 2>/dev/null || rc=$?
    ((rc == 0)) || note_failure "sbc exit status $rc after SIGTERM"
  else
    note_failure "sbc still running 5 s after SIGTERM"
  fi
  local rc=0
  wait "$uac" || rc=$?
  local ok
  ok=$(sipp_stat "$WORKDIR/uac_stat.csv" "SuccessfulCall(C)")
  ((rc == 0 && ${ok:-0} == CALLS)) || note_failure "caller: ${ok:-?} calls ended by the sbc's BYE, exit $rc (want $CALLS, 0)"
  local byes
  byes=$(grep -c "our BYE to .* answered 200" "$WORKDIR/sbc.log" || true)
  ((byes == 2 * CALLS)) || note_failure "$byes BYEs of the sbc answered 200, want $((2 * CALLS))"
  grep -q "0 still open, $CALLS ended by the sbc" "$WORKDIR/sbc.log" ||
    note_failure "closing line: '$(grep -o 'dialogs.*ended by the sbc' "$WORKDIR/sbc.log" | tail -1)'"
  grep -q "0 sessions still open" "$WORKDIR/sbc.log" || note_failure "media sessions left open"

  finish_test "$CALLS calls ended with BYEs, new call refused 503, clean exit" "$WORKDIR/sbc.log"
}

main "$@"
