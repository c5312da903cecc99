#!/usr/bin/env bash
# tests/e2e/ops_http.sh: the policy's HTTP endpoint against calls actually made. In a
# private network namespace (loopback only): two SIPp media servers, the sbc compiled
# from POLICY (samples/loopback.sbc: `http 127.0.0.20:8090 { health, metrics,
# dispatcher, calls, reload }`), and a SIPp caller placing CALLS calls held HOLD_MS.
#
#   tests/e2e/ops_http.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
#
# Checked, with Python's urllib and a Prometheus text-format parser (tests/e2e/prom.py):
#   - GET /health: 200 {"status":"ready"} once both media servers answered their probes;
#   - while the calls are up: GET /calls lists CALLS calls with media;
#   - after them, GET /metrics: every sample belongs to a family with HELP and TYPE, and
#     sbc_calls_total, sbc_calls_ended_total{reason="bye"}, sbc_media_sessions_total
#     equal CALLS, sbc_calls_active and sbc_media_sessions are 0, 2xx replies >= 2*CALLS,
#     both dispatcher destinations are up, the routing table has its 2 rows;
#   - GET /dispatcher: both destinations active; POST /reload: 200 with 2 rows and
#     both destinations probed at once;
#     GET /reload: 405; GET /nosuch: 404;
#   - the sbc runs with --log-format=json: every line of its log is a JSON object with
#     time, level and message, and the call lines carry their call_id.
#
# Environment: E2E_OUT=DIR keeps the files in DIR/ops_http/; E2E_CALLS (default 4).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"

CALLS=${E2E_CALLS:-4}
HOLD_MS=3000
BASE=http://127.0.0.20:8090

http() { # http METHOD PATH: prints "STATUS" then the body
  python3 "$HERE/prom.py" fetch "$1" "$BASE$2"
}

main() {
  (($# == 2)) || usage
  SBCC=$(readlink -f "$1")
  POLICY=$(readlink -f "$2")
  command -v sipp >/dev/null || fail "sipp not found"
  e2e_enter_netns "$@"
  compile_policy

  start_sipp_media_servers uas_rr.xml
  start_bg sbc "$WORKDIR/sbc" --log-level=info --log-format=json
  SBC_PID=$LAST_PID
  wait_for_log "$WORKDIR/sbc.log" "http endpoint on 127.0.0.20:8090" 10 "$SBC_PID" || {
    show_tail "$WORKDIR/sbc.log"
    fail "sbc did not open its HTTP endpoint"
  }

  # ready once the probes (every 5 s, the first at start-up) have answers
  local health deadline=$((SECONDS + 10))
  while health=$(http GET /health) && [[ ${health%%$'\n'*} != 200 ]] && ((SECONDS < deadline)); do sleep 0.5; done
  e2e_log "GET /health: $(tr '\n' ' ' <<<"$health")"
  [[ ${health%%$'\n'*} == 200 && $health == *'"status":"ready"'* ]] || note_failure "/health is not 200 ready: $health"

  e2e_log "caller: $CALLS calls held ${HOLD_MS} ms"
  start_bg uac timeout -k 5 60 sipp 127.0.0.10:5060 -sf "$HERE/scenarios/uac_rr.xml" -s service \
    -i 127.0.0.40 -p 5070 -mi 127.0.0.40 -mp 6000 -r 10 -m "$CALLS" -l "$CALLS" -d "$HOLD_MS" \
    -recv_timeout 5000 -timeout 40s -timeout_error -nostdin -trace_stat -stf uac_stat.csv -fd 1
  local uac=$LAST_PID
  # the calls are held 3 s: poll /calls (bounded) until all of them are up
  local calls listed=0 deadline=$((SECONDS + 3))
  while ((listed < CALLS && SECONDS < deadline)); do
    sleep 0.2
    calls=$(http GET /calls)
    listed=$(python3 -c 'import json,sys; d=json.loads(sys.stdin.read().split("\n",1)[1]); print(sum(1 for c in d["calls"] if c["media"]))' <<<"$calls")
  done
  e2e_log "GET /calls during the calls: $listed calls with media"
  ((listed == CALLS)) || note_failure "/calls listed $listed calls with media during the calls, want $CALLS"
  local rc=0
  wait "$uac" || rc=$?
  ((rc == 0)) || note_failure "the caller failed (exit $rc)"
  sleep 0.5

  local metrics
  metrics=$(http GET /metrics)
  printf '%s\n' "${metrics#*$'\n'}" >"$WORKDIR/metrics.txt"
  local checks
  if ! checks=$(python3 "$HERE/prom.py" check "$WORKDIR/metrics.txt" \
    "sbc_calls_total == $CALLS" \
    "sbc_calls_ended_total{reason=\"bye\"} == $CALLS" \
    "sbc_media_sessions_total == $CALLS" \
    "sbc_calls_active == 0" \
    "sbc_media_sessions == 0" \
    "sbc_sip_replies_total{class=\"2xx\"} >= $((2 * CALLS))" \
    "sbc_dispatcher_destination_up{set=\"mediaservers\",uri=\"sip:127.0.0.30:5080\",duid=\"mediaserver1\"} == 1" \
    "sbc_dispatcher_destination_up{set=\"mediaservers\",uri=\"sip:127.0.0.31:5080\",duid=\"mediaserver2\"} == 1" \
    "sbc_table_rows{table=\"routing\"} == 2" \
    "sbc_database_up{database=\"routes\"} == 1" \
    "sbc_database_read_failures_total{database=\"routes\"} == 0" 2>&1); then
    note_failure "/metrics: $checks"
  fi
  e2e_log "GET /metrics: $(grep -c '^sbc_' "$WORKDIR/metrics.txt") samples; $checks"

  local dispatcher
  dispatcher=$(http GET /dispatcher)
  [[ $(grep -o '"active":true' <<<"$dispatcher" | wc -l) == 2 ]] ||
    note_failure "/dispatcher does not show 2 active destinations: $dispatcher"
  local reload
  reload=$(http POST /reload)
  [[ ${reload%%$'\n'*} == 200 && $reload == *'"rows":2'* ]] || note_failure "POST /reload: $reload"
  [[ $reload == *'"probes_sent":2'* ]] || note_failure "POST /reload did not probe both media servers: $reload"
  [[ $(http GET /reload | head -1) == 405 ]] || note_failure "GET /reload is not 405"
  [[ $(http GET /nosuch | head -1) == 404 ]] || note_failure "GET /nosuch is not 404"

  local log_check
  log_check=$(python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
objects = [json.loads(line) for line in lines]
assert all({"time", "level", "message"} <= set(o) for o in objects), "a line without time/level/message"
print(len(objects), "JSON lines,", sum(1 for o in objects if "call_id" in o), "with a call_id")
' "$WORKDIR/sbc.log" 2>&1) || note_failure "sbc log is not JSON lines: $log_check"
  e2e_log "sbc log: $log_check"

  finish_test "/health, /calls, /metrics, /dispatcher, /reload against $CALLS calls" "$WORKDIR/sbc.log"
}

main "$@"
