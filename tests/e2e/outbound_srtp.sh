#!/usr/bin/env bash
# tests/e2e/outbound_srtp.sh: an outbound call routed by the routing table to a TLS
# carrier with SRTP, and routing that goes on while the database is away. In a private
# network namespace (loopback only), with POLICY (samples/loopback.sbc) copied into this
# test's folder:
#   - the carrier: baresip on 127.0.0.41, SIP over TLS on 5061, SDES SRTP required,
#     answering by itself and sending a 440 Hz tone;
#   - a SIPp media server on 127.0.0.30 calls sip:carrier@127.0.0.41:5061 through the
#     internal face with plain RTP/AVP (uac_outbound_media.xml: the 200's SDP must name
#     only the internal face, RTP/AVP, no crypto) and streams 100 packets of PCMU;
#   - the table's row for 127.0.0.41 says tls and srtp, so the sbc must reach the carrier
#     over TLS and offer it RTP/SAVP with a key of its own.
# Then the database goes away (E2E_DB=sqlite: the file overwritten; E2E_DB=mariadb: the
# test's own MariaDB server on 127.0.0.50 stopped), POST /reload fails (500), and a
# second call must still be routed the same way from the rows in memory.
#
#   tests/e2e/outbound_srtp.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
#
# Passes only if, for both calls: SIPp counts the call successful (its SDP checks
# included); baresip enabled SRTP with AES_CM_128_HMAC_SHA1_80 and, at hang-up, received
# >= 90 packets with 0 errors (the sbc's encryption decrypted) and sent >= 100; iptables
# in the namespace saw the SIP go over TCP to 127.0.0.41:5061 and the carrier's audio
# reach the media server as plain RTP from the internal face; the sbc ended the media on
# the BYE with 0 SRTP errors. And: the MariaDB variant read the table from the server.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"
DB=${E2E_DB:-sqlite}
[[ $DB == sqlite ]] || E2E_NAME=outbound_srtp_$DB

# The policy in this test's folder, so the SQLite seed creates its file here and the
# MariaDB variant can name its server; certificates are the sample's.
prepare_policy() {
  local dir=$WORKDIR/policy
  mkdir -p "$dir/data"
  ln -s "$(dirname "$SAMPLE")/certs" "$dir/certs"
  cp "$(dirname "$SAMPLE")/data/routing.sql" "$dir/data/"
  POLICY=$dir/loopback.sbc
  if [[ $DB == mariadb ]]; then
    sed -E 's|^database routes = sqlite .*|database routes = mysql "mysql://sbc@127.0.0.50:3306/routes" password env "SBC_DB_PASSWORD"|' \
      "$SAMPLE" >"$POLICY"
    grep -q '^database routes = mysql' "$POLICY" || fail "the sample's database line was not found"
  else
    cp "$SAMPLE" "$POLICY"
  fi
}

create_mariadb() {
  mariadb_start 127.0.0.50
  export SBC_DB_PASSWORD="pw-$RANDOM-$RANDOM"
  mariadb_sql -e "CREATE DATABASE routes; CREATE USER 'sbc'@'127.0.0.%' IDENTIFIED BY '$SBC_DB_PASSWORD';
                  GRANT SELECT ON routes.* TO 'sbc'@'127.0.0.%';"
  "$SBCC" schema "$POLICY" | mariadb_sql routes || fail "the schema from sbcc schema did not load"
  # The sample's rows, from its SQLite seed (INSERT OR REPLACE is REPLACE in MariaDB).
  sed -n 's/^INSERT OR REPLACE INTO/REPLACE INTO/p' "$WORKDIR/policy/data/routing.sql" | mariadb_sql routes
  e2e_log "routing rows: $(mariadb_sql routes -N -e 'SELECT sipdomain, sipproto, rtpproto FROM routing' | tr '\t\n' ' ;')"
}

write_baresip_config() { # a TLS callee that answers by itself, with the sample's certificate
  local dir=$WORKDIR/baresip
  mkdir -p "$dir"
  cat "$(dirname "$SAMPLE")/certs/loopback.crt" "$(dirname "$SAMPLE")/certs/loopback.key" >"$dir/cert.pem"
  baresip_config "$dir" 127.0.0.41 "$dir/cert.pem"
  echo '<sip:carrier@127.0.0.41;transport=tls>;regint=0;mediaenc=srtp-mand;answermode=auto' >"$dir/accounts"
}

add_counters() {
  iptables -A OUTPUT -p tcp -d 127.0.0.41 --dport 5061 -m comment --comment sip_to_carrier_tls -j ACCEPT &&
    iptables -A OUTPUT -p udp -s 127.0.0.20 -d 127.0.0.30 --dport 6000 -m comment --comment rtp_to_media_server -j ACCEPT ||
    fail "iptables cannot add a counting rule (needs CAP_NET_ADMIN in the namespace)"
}

# call N: one call from the media server; baresip answers and is stopped after it.
call() {
  local n=$1 before_rtp before_tls
  before_rtp=$(iptables_count rtp_to_media_server)
  before_tls=$(iptables_count sip_to_carrier_tls)
  start_bg "baresip$n" timeout -k 5 40 baresip -f "$WORKDIR/baresip" -t 30
  local baresip=$LAST_PID
  wait_for_log "$WORKDIR/baresip$n.log" "baresip is ready" 10 "$baresip" || fail "baresip did not start"
  e2e_log "call $n: media server -> sip:carrier@127.0.0.41:5061"
  start_bg "uac$n" timeout -k 5 40 sipp 127.0.0.20:5065 -sf "$HERE/scenarios/uac_outbound_media.xml" -s carrier \
    -i 127.0.0.30 -p 5090 -mi 127.0.0.30 -mp 6000 -m 1 -recv_timeout 10000 -timeout 30s -timeout_error -nostdin \
    -trace_stat -stf "uac${n}_stat.csv" -fd 1 -trace_err -error_file "uac${n}_errors.log" \
    -trace_logs -log_file "uac${n}_actions.log"
  local rc=0
  wait "$LAST_PID" || rc=$?
  wait_for_log "$WORKDIR/baresip$n.log" "terminated" 5 "$baresip" || true
  stop_pid "$baresip" 5 baresip
  check_call "$n" "$rc" $(($(iptables_count rtp_to_media_server) - before_rtp)) \
    $(($(iptables_count sip_to_carrier_tls) - before_tls))
}

# baresip_stat N ROW COLUMN: from call N's table at hang-up ("packets:  TX  RX").
baresip_stat() {
  awk -v row="$2:" -v col="$3" '$1 == row { v = $(col + 1) } END { print v }' "$WORKDIR/baresip$1.log"
}

check_call() { # check_call N SIPP_EXIT RTP_TO_MEDIA_SERVER SIP_OVER_TLS
  local n=$1 ok tx rx rx_errors
  ok=$(sipp_stat "$WORKDIR/uac${n}_stat.csv" "SuccessfulCall(C)")
  e2e_log "call $n: SIPp exit $2, ${ok:-no} successful call; $3 RTP packets to the media server; $4 TCP segments to 127.0.0.41:5061"
  [[ $2 == 0 && $ok == 1 ]] || note_failure "call $n: SIPp exit $2, ${ok:-no} successful calls (see uac${n}_errors.log)"
  grep -q "SRTP is Enabled (cryptosuite=AES_CM_128_HMAC_SHA1_80)" "$WORKDIR/baresip$n.log" ||
    note_failure "call $n: baresip did not enable SRTP"
  tx=$(baresip_stat "$n" packets 1)
  rx=$(baresip_stat "$n" packets 2)
  rx_errors=$(baresip_stat "$n" errors 2)
  e2e_log "call $n: baresip sent ${tx:-?}, received ${rx:-?} packets, ${rx_errors:-?} receive errors"
  ((${rx:-0} >= 90)) || note_failure "call $n: baresip received ${rx:-no} packets, want >= 90"
  [[ ${rx_errors:-x} == 0 ]] || note_failure "call $n: baresip counted ${rx_errors:-?} receive errors: SRTP did not decrypt"
  ((${tx:-0} >= 100)) || note_failure "call $n: baresip sent ${tx:-no} packets, want >= 100"
  (($3 >= 100)) || note_failure "call $n: $3 RTP packets reached the media server, want >= 100"
  (($4 > 0)) || note_failure "call $n: no SIP over TLS to 127.0.0.41:5061"
  local ended
  ended=$(grep -c "media ended (BYE).* 0 SRTP errors, .*callee side.* 0 SRTP errors," "$WORKDIR/sbc.log" || true)
  ((ended >= n)) || note_failure "call $n: the sbc did not end the media on the BYE with 0 SRTP errors"
}

database_away() {
  # SQLite: a missing file would be made again from the seed, so the file is spoiled.
  if [[ $DB == mariadb ]]; then mariadb_stop; else echo "not a database" >"$WORKDIR/policy/data/routing.db"; fi
  local answer
  answer=$(python3 "$HERE/prom.py" fetch POST http://127.0.0.20:8090/reload)
  e2e_log "database away: POST /reload -> $(tr '\n' ' ' <<<"$answer")"
  [[ ${answer%%$'\n'*} == 500 ]] || note_failure "/reload with the database away answered ${answer%%$'\n'*}, want 500"
}

main() {
  (($# == 2)) || usage
  SBCC=$(readlink -f "$1")
  SAMPLE=$(readlink -f "$2")
  command -v baresip >/dev/null || fail "baresip not found (tools/setup installs baresip-core)"
  command -v sipp >/dev/null || fail "sipp not found"
  e2e_enter_netns "$@"
  prepare_policy
  [[ $DB == mariadb ]] && create_mariadb
  compile_policy
  python3 -c "import sys; sys.stdout.buffer.write(bytes([0xff, 0x7f]) * 8000)" >"$WORKDIR/tone.ulaw"
  write_baresip_config
  add_counters
  start_bg sbc "$WORKDIR/sbc" --log-level=info
  wait_for_log "$WORKDIR/sbc.log" ready 10 "$LAST_PID" || { show_tail "$WORKDIR/sbc.log"; fail "sbc not ready"; }
  if [[ $DB == mariadb ]]; then
    grep -q "table routing: 2 rows from mysql://sbc@127.0.0.50:3306/routes" "$WORKDIR/sbc.log" ||
      note_failure "the sbc did not read the 2 rows from MariaDB"
  fi

  call 1
  database_away
  call 2

  finish_test "$DB: table row -> TLS + SRTP carrier, plain RTP inside, twice, the second with the database away" \
    "$WORKDIR/sbc.log"
}

main "$@"
