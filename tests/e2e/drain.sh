#!/usr/bin/env bash
# tests/e2e/drain.sh: SIGTERM with `sbc --drain=30` while calls are up — what a rolling
# deployment behind a load balancer does. In a private network namespace (loopback
# only): two SIPp media servers (uas_rr.xml), the sbc compiled from POLICY
# (samples/loopback.sbc), and a SIPp caller placing CALLS calls held HOLD_MS each. With
# the calls up the sbc gets SIGTERM. It must: answer a new INVITE 503 and GET /health
# 503 (so the balancer sends new calls elsewhere); let every call in progress go on and
# relay the caller's own BYE (no BYE of its own, "0 ended by the sbc"); and exit by
# itself with status 0 once the last call ended, long before the 30 s drain is over.
#
#   tests/e2e/drain.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"

CALLS=${E2E_CALLS:-3}
HOLD_MS=${E2E_HOLD_MS:-4000}

main() {
  (($# == 2)) || usage
  SBCC=$(readlink -f "$1")
  POLICY=$(readlink -f "$2")
  command -v sipp >/dev/null || fail "sipp not found"
  e2e_enter_netns "$@"
  compile_policy

  start_sipp_media_servers uas_rr.xml
  start_bg sbc "$WORKDIR/sbc" --log-level=info --drain=30
  local sbc=$LAST_PID
  wait_for_log "$WORKDIR/sbc.log" ready 10 "$sbc" || fail "sbc not ready"

  start_bg uac timeout -k 5 40 sipp 127.0.0.10:5060 -sf "$HERE/scenarios/uac_rr.xml" -s service \
    -i 127.0.0.40 -p 5070 -r 10 -m "$CALLS" -l "$CALLS" -d "$HOLD_MS" -recv_timeout 15000 \
    -timeout 30s -timeout_error -nostdin -trace_stat -stf uac_stat.csv -fd 1
  local uac=$LAST_PID
  local deadline=$((SECONDS + 10)) up=0
  while ((up < CALLS && SECONDS < deadline)); do
    sleep 0.2
    up=$(grep -c "200 OK to INVITE" "$WORKDIR/sbc.log" || true)
  done
  ((up == CALLS)) || note_failure "only $up of $CALLS calls came up before the SIGTERM"

  e2e_log "SIGTERM to the sbc with $up calls up, --drain=30"
  local signalled=$SECONDS
  kill -TERM "$sbc"
  sipp 127.0.0.10:5060 -sf "$HERE/scenarios/uac_rr.xml" -s service -i 127.0.0.41 -p 5071 -m 1 \
    -recv_timeout 3000 -timeout 5s -nostdin -trace_msg -message_file "$WORKDIR/late_messages.log" \
    >"$WORKDIR/late.log" 2>&1 || true
  grep -q "SIP/2.0 503" "$WORKDIR/late_messages.log" || note_failure "a new INVITE while draining was not answered 503"
  local health
  health=$(python3 "$HERE/prom.py" fetch GET http://127.0.0.20:8090/health)
  e2e_log "GET /health while draining: $(tr '\n' ' ' <<<"$health")"
  [[ ${health%%$'\n'*} == 503 && $health == *stopping* ]] || note_failure "/health is not 503 while draining: $health"
  is_running "$sbc" || note_failure "the sbc did not wait for the calls in progress"

  local rc=0
  wait "$uac" || rc=$?
  local ok
  ok=$(sipp_stat "$WORKDIR/uac_stat.csv" "SuccessfulCall(C)")
  ((rc == 0 && ${ok:-0} == CALLS)) || note_failure "caller: ${ok:-?} calls completed with its own BYE, exit $rc (want $CALLS, 0)"
  if wait_exit "$sbc" 5; then
    rc=0
    wait "$sbc" 2>/dev/null || rc=$?
    ((rc == 0)) || note_failure "sbc exit status $rc after draining"
    e2e_log "the sbc exited $((SECONDS - signalled)) s after SIGTERM"
  else
    note_failure "sbc still running 5 s after the last call ended"
  fi
  grep -q "every call has ended, stopping" "$WORKDIR/sbc.log" || note_failure "the sbc did not stop on the last call's end"
  if grep -q "SBC shutting down" "$WORKDIR/sbc.log"; then note_failure "the sbc ended calls itself while draining"; fi
  grep -q "0 still open, 0 ended by the sbc" "$WORKDIR/sbc.log" ||
    note_failure "closing line: '$(grep -o 'dialogs.*ended by the sbc' "$WORKDIR/sbc.log" | tail -1)'"

  finish_test "$CALLS calls went on through the drain and ended by their BYE, new call 503, /health 503, clean exit" \
    "$WORKDIR/sbc.log"
}

main "$@"
