#!/usr/bin/env bash
# tests/e2e/table_reload.sh: routing data changed under a running sbc. In a private
# network namespace (loopback only), an sbc compiled from a policy written here (its
# table `routing`, refresh 1h so that only POST /reload reads it again) answers OPTIONS
# by the table: a row with action "accept" -> 200, any other action -> 403, no row ->
# 404. The table is made by `sbcc schema` from the policy, and a Python SIP client asks
# while the table is changed between the questions:
#   1. example.test = accept                        -> 200
#   2. row changed to reject, not reloaded          -> still 200 (the data in memory)
#   3. POST /reload                                 -> 403
#   4. database gone, POST /reload                  -> 500 naming the table; still 403
#      (the last good rows), /metrics: sbc_database_up 0, one read failure;
#      /health 200 "degraded"
#   5. database back with a new row new.test, reload -> new.test 200; sbc_database_up 1
#   6. column `action` dropped, reload              -> 500 saying the column is missing;
#      the rows stay
# E2E_DB=sqlite (default): an SQLite file in this test's folder, "gone" = moved away.
# E2E_DB=mariadb: a MariaDB server of the test's own (lib.sh) on 127.0.0.50, the
# sbc's password from a file; "gone" = the server stopped, "back" = started again.
# E2E_FLOW=refresh: no POST /reload at all; the policy says `refresh 2s`, and the sbc
# must notice by itself: example.test accept -> 200; database gone -> within 5 s
# sbc_database_up 0, still 200 from memory; back with the row changed to reject ->
# within 5 s 403, sbc_database_up 1, "readable again" logged.
# The second argument (a policy) is not used: this test needs its own.
#
#   tests/e2e/table_reload.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"
DB=${E2E_DB:-sqlite}
FLOW=${E2E_FLOW:-reload}
REFRESH=1h
[[ $FLOW == refresh ]] && REFRESH=2s
[[ $FLOW == reload ]] || E2E_NAME=table_$FLOW
[[ $DB == sqlite ]] || E2E_NAME=${E2E_NAME}_$DB

database_line() {
  if [[ $DB == mariadb ]]; then
    echo "database routes = mysql \"mysql://sbc@127.0.0.50:3306/routes\" password file \"$WORKDIR/db_password\" refresh $REFRESH"
  else
    echo "database routes = sqlite \"$WORKDIR/routes.db\" refresh $REFRESH"
  fi
}

write_policy() {
  cat >"$WORKDIR/reload.sbc" <<EOF
sbc "sbcc-reload-test"

interface external {
    sip udp 127.0.0.10:5060
}

$(database_line)

table routing in routes key sipdomain: string {
    action: string
}

http 127.0.0.10:8090 { health, metrics, reload }

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

sql() { # sql STATEMENTS: run on the test's database
  if [[ $DB == mariadb ]]; then
    mariadb_sql routes -e "$1"
  else
    python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()' \
      "$WORKDIR/routes.db" "$1"
  fi
}

create_database() {
  if [[ $DB == mariadb ]]; then
    mariadb_start 127.0.0.50
    printf 'secret-%s\n' "$RANDOM" >"$WORKDIR/db_password"
    mariadb_sql -e "CREATE DATABASE routes; CREATE USER 'sbc'@'127.0.0.%' IDENTIFIED BY '$(head -1 "$WORKDIR/db_password")';
                    GRANT SELECT ON routes.* TO 'sbc'@'127.0.0.%';"
  fi
  "$SBCC" schema "$POLICY" >"$WORKDIR/schema.sql" || fail "sbcc schema failed"
  e2e_log "sbcc schema: $(tr '\n' ' ' <"$WORKDIR/schema.sql")"
  sql "$(cat "$WORKDIR/schema.sql")"
}

database_away() {
  if [[ $DB == mariadb ]]; then mariadb_stop; else mv "$WORKDIR/routes.db" "$WORKDIR/routes.db.away"; fi
}

database_back() {
  if [[ $DB == mariadb ]]; then mariadb_start; else mv "$WORKDIR/routes.db.away" "$WORKDIR/routes.db"; fi
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
  POLICY=$WORKDIR/reload.sbc
  create_database
  sql "INSERT INTO routing VALUES ('example.test', 'accept');"
  compile_policy
  start_bg sbc "$WORKDIR/sbc" --log-level=info
  wait_for_log "$WORKDIR/sbc.log" ready 10 "$LAST_PID" || fail "sbc not ready"
  if [[ $FLOW == refresh ]]; then
    refresh_flow
  else
    reload_flow
  fi
}

# eventually STEP SECONDS COMMAND...: COMMAND succeeds within SECONDS (checked twice a second).
eventually() {
  local step=$1 within=$2 deadline=$((SECONDS + $2))
  shift 2
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || { note_failure "$step: not so after ${within} s: $*"; return 0; }
    sleep 0.5
  done
  e2e_log "$step: ok"
}

metric_is() { # metric_is EXPR: the sbc's /metrics satisfies EXPR (prom.py check)
  python3 "$HERE/prom.py" fetch GET http://127.0.0.10:8090/metrics | tail -n +2 >"$WORKDIR/metrics.txt"
  python3 "$HERE/prom.py" check "$WORKDIR/metrics.txt" "$1"
}

answers() { [[ $(ask "$1") == "$2" ]]; } # answers DOMAIN CODE

refresh_flow() {
  expect "1 (accept)" example.test 200
  database_away
  eventually "2 (database gone, noticed without a reload)" 5 metric_is 'sbc_database_up{database="routes"} == 0'
  expect "2 (rows from memory)" example.test 200
  database_back
  sql "UPDATE routing SET action = 'reject' WHERE sipdomain = 'example.test';"
  eventually "3 (back: the change is read without a reload)" 5 answers example.test 403
  eventually "3 (database up again)" 5 metric_is 'sbc_database_up{database="routes"} == 1'
  grep -q "database routes readable again" "$WORKDIR/sbc.log" || note_failure "the recovery was not logged"
  finish_test "$DB: refresh 2s: the database gone and back noticed by the sbc itself, rows from memory meanwhile" \
    "$WORKDIR/sbc.log"
}

reload_flow() {
  expect "1 (accept)" example.test 200
  sql "UPDATE routing SET action = 'reject' WHERE sipdomain = 'example.test';"
  expect "2 (changed, not reloaded)" example.test 200
  reload "3" 200
  expect "3 (reloaded)" example.test 403
  expect "3 (no row)" other.test 404

  database_away
  reload "4 (database gone)" 500
  [[ $RELOAD_ANSWER == *routing* ]] || note_failure "4: /reload does not name the table: $RELOAD_ANSWER"
  expect "4 (last good rows)" example.test 403
  metrics_check "4" 'sbc_database_up{database="routes"} == 0' \
    'sbc_database_read_failures_total{database="routes"} == 1' 'sbc_table_rows{table="routing"} == 1'
  health=$(python3 "$HERE/prom.py" fetch GET http://127.0.0.10:8090/health)
  e2e_log "4: GET /health -> $(tr '\n' ' ' <<<"$health")"
  [[ ${health%%$'\n'*} == 200 && $health == *'"status":"degraded"'* ]] ||
    note_failure "4: /health is not 200 degraded while routing from the last rows: $health"

  database_back
  sql "INSERT INTO routing VALUES ('new.test', 'accept');"
  reload "5 (database back)" 200
  expect "5 (new row)" new.test 200
  expect "5 (old row)" example.test 403
  metrics_check "5" 'sbc_database_up{database="routes"} == 1' 'sbc_table_rows{table="routing"} == 2'
  grep -q "database routes readable again" "$WORKDIR/sbc.log" || note_failure "the recovery was not logged"

  sql "ALTER TABLE routing DROP COLUMN action;"
  reload "6 (column dropped)" 500
  [[ $RELOAD_ANSWER == *"column action is missing"* ]] ||
    note_failure "6: /reload does not say the column is missing: $RELOAD_ANSWER"
  expect "6 (rows kept)" new.test 200

  [[ $(grep -c "ERROR.*(database routes)" "$WORKDIR/sbc.log") -le 2 ]] ||
    note_failure "the database errors were logged more than once per outage"
  finish_test "$DB: changed row after /reload, last good rows while the database is gone, recovery, schema check" \
    "$WORKDIR/sbc.log"
}

main "$@"
