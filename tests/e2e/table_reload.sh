#!/usr/bin/env bash
# tests/e2e/table_reload.sh: routing data changed under a running sbc. In a private
# network namespace (loopback only), an sbc compiled from a policy written here (its
# SQLite table `routing` in this test's folder, refresh 1h so that only POST /reload
# reads it again) answers OPTIONS by the table: a row with action "accept" -> 200, any
# other action -> 403, no row -> 404. A Python SIP client asks, and the table is changed
# between the questions:
#   1. example.test = accept                        -> 200
#   2. row changed to reject, not reloaded          -> still 200 (the data in memory)
#   3. POST /reload                                 -> 403
#   4. database file moved away, POST /reload       -> 500 naming the table; still 403
#      (the last good rows), /metrics: sbc_database_up 0, one read failure
#   5. file back with a new row new.test, reload    -> new.test 200; sbc_database_up 1
# The second argument (a policy) is not used: this test needs its own.
#
#   tests/e2e/table_reload.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"

FAILURES=()
note_failure() {
  FAILURES+=("$*")
  e2e_log "NOT OK: $*"
}

write_policy() {
  cat >"$WORKDIR/reload.sbc" <<EOF
sbc "sbcc-reload-test"

interface external {
    sip udp 127.0.0.10:5060
}

database routes = sqlite "$WORKDIR/routes.db" refresh 1h

table routing in routes key sipdomain: string {
    action: string
}

http 127.0.0.10:8090 { metrics, reload }

on request OPTIONS {
    match routing[ruri.host] {
        some(route) => {
            if route.action == "accept" {
                reply 200 "Accepted by the table"
            } else {
                reply 403 "Rejected by the table"
            }
        }
        none => reply 404 "No route"
    }
}
EOF
}

sql() { # sql STATEMENTS: run on the test's database with Python's sqlite3
  python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()' \
    "$WORKDIR/routes.db" "$1"
}

ask() { # ask DOMAIN: the status code of an OPTIONS for sip:probe@DOMAIN
  python3 - "$1" <<'EOF'
import socket, sys
domain = sys.argv[1]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.40", 0))
s.settimeout(2)
port = s.getsockname()[1]
s.sendto((
    f"OPTIONS sip:probe@{domain} SIP/2.0\r\n"
    f"Via: SIP/2.0/UDP 127.0.0.40:{port};branch=z9hG4bK-{domain}-{port};rport\r\n"
    "Max-Forwards: 70\r\n"
    f"From: <sip:test@127.0.0.40>;tag=t{port}\r\n"
    f"To: <sip:probe@{domain}>\r\n"
    f"Call-ID: reload-{port}@127.0.0.40\r\n"
    "CSeq: 1 OPTIONS\r\n"
    "Content-Length: 0\r\n\r\n").encode(), ("127.0.0.10", 5060))
try:
    print(s.recv(4096).decode().split(" ", 2)[1])
except socket.timeout:
    print("timeout")
EOF
}

expect() { # expect STEP DOMAIN CODE
  local got
  got=$(ask "$2")
  e2e_log "$1: OPTIONS sip:probe@$2 -> $got"
  [[ $got == "$3" ]] || note_failure "$1: $2 answered $got, want $3"
}

reload() { # reload STEP WANT_STATUS
  local answer
  answer=$(python3 "$HERE/prom.py" fetch POST http://127.0.0.10:8090/reload)
  e2e_log "$1: POST /reload -> $(tr '\n' ' ' <<<"$answer")"
  [[ ${answer%%$'\n'*} == "$2" ]] || note_failure "$1: /reload answered ${answer%%$'\n'*}, want $2"
  RELOAD_ANSWER=$answer
}

metrics_check() { # metrics_check STEP EXPR...
  local step=$1 out
  shift
  python3 "$HERE/prom.py" fetch GET http://127.0.0.10:8090/metrics | tail -n +2 >"$WORKDIR/metrics.txt"
  out=$(python3 "$HERE/prom.py" check "$WORKDIR/metrics.txt" "$@" 2>&1) || note_failure "$step: /metrics: $out"
}

main() {
  (($# == 2)) || usage
  SBCC=$(readlink -f "$1")
  e2e_enter_netns "$@"
  write_policy
  sql "CREATE TABLE routing (sipdomain TEXT PRIMARY KEY, action TEXT);
       INSERT INTO routing VALUES ('example.test', 'accept');"
  POLICY=$WORKDIR/reload.sbc
  compile_policy
  start_bg sbc "$WORKDIR/sbc" --log-level=info
  wait_for_log "$WORKDIR/sbc.log" ready 10 "$LAST_PID" || fail "sbc not ready"

  expect "1 (accept)" example.test 200
  sql "UPDATE routing SET action = 'reject' WHERE sipdomain = 'example.test';"
  expect "2 (changed, not reloaded)" example.test 200
  reload "3" 200
  expect "3 (reloaded)" example.test 403
  expect "3 (no row)" other.test 404

  mv "$WORKDIR/routes.db" "$WORKDIR/routes.db.away"
  reload "4 (database gone)" 500
  [[ $RELOAD_ANSWER == *routing* ]] || note_failure "4: /reload does not name the table: $RELOAD_ANSWER"
  expect "4 (last good rows)" example.test 403
  metrics_check "4" 'sbc_database_up{database="routes"} == 0' \
    'sbc_database_read_failures_total{database="routes"} == 1' 'sbc_table_rows{table="routing"} == 1'

  mv "$WORKDIR/routes.db.away" "$WORKDIR/routes.db"
  sql "INSERT INTO routing VALUES ('new.test', 'accept');"
  reload "5 (database back)" 200
  expect "5 (new row)" new.test 200
  expect "5 (old row)" example.test 403
  metrics_check "5" 'sbc_database_up{database="routes"} == 1' 'sbc_table_rows{table="routing"} == 2'
  grep -q "database routes readable again" "$WORKDIR/sbc.log" || note_failure "the recovery was not logged"

  if ((${#FAILURES[@]})); then
    show_tail "$WORKDIR/sbc.log" 12
    printf '== table_reload: FAIL\n' >&2
    printf '  - %s\n' "${FAILURES[@]}" >&2
    printf '  files: %s\n' "$WORKDIR" >&2
    exit 1
  fi
  printf '== table_reload: PASS (changed row after /reload, last good rows while the database is gone, recovery)\n' >&2
  [[ -n ${E2E_OUT:-} ]] || rm -rf -- "$WORKDIR"
  exit 0
}

main "$@"
