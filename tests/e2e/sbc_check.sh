#!/usr/bin/env bash
# tests/e2e/sbc_check.sh: the operator's commands of a compiled sbc, in a private
# network namespace (loopback only).
#   - `sbc --print-policy` shows the faces, listeners, dispatcher set, table, limits and
#     HTTP endpoint of POLICY (samples/loopback.sbc);
#   - `sbc --check` on a free machine: exit 0, "environment ready", every part "ok";
#   - `sbc --check` while another program holds 127.0.0.10:5060/udp: exit 1 and a
#     "problem:" line naming that listener.
#
#   tests/e2e/sbc_check.sh SBCC_BINARY POLICY_FILE   (as root, or with user namespaces)
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
source "$HERE/lib.sh"

expect_line() { # expect_line FILE TEXT: FILE has a line containing TEXT
  grep -qF -- "$2" "$1" || note_failure "$(basename "$1") lacks '$2'"
}

main() {
  (($# == 2)) || usage
  SBCC=$(readlink -f "$1")
  POLICY=$(readlink -f "$2")
  e2e_enter_netns "$@"
  compile_policy

  "$WORKDIR/sbc" --print-policy >"$WORKDIR/print.txt"
  expect_line "$WORKDIR/print.txt" 'sbc "sbcc-loopback/0.1"'
  expect_line "$WORKDIR/print.txt" "sip tls 127.0.0.10:5061 tls default"
  expect_line "$WORKDIR/print.txt" "rtp 127.0.0.20 ports 35000..39999"
  expect_line "$WORKDIR/print.txt" "sip:127.0.0.31:5080 duid mediaserver2"
  expect_line "$WORKDIR/print.txt" "table routing key sipdomain"
  expect_line "$WORKDIR/print.txt" "media timeout 60 s"
  expect_line "$WORKDIR/print.txt" "http 127.0.0.20:8090 { health, metrics, dispatcher, calls, reload }"

  local rc=0
  "$WORKDIR/sbc" --check >"$WORKDIR/check.txt" 2>"$WORKDIR/check.err" || rc=$?
  ((rc == 0)) || note_failure "--check on a free machine: exit $rc"
  expect_line "$WORKDIR/check.txt" "environment ready"
  expect_line "$WORKDIR/check.txt" "ok: 6 SIP listeners can be opened"
  expect_line "$WORKDIR/check.txt" "ok: the HTTP endpoint can listen on 127.0.0.20:8090"

  start_bg occupier python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.10", 5060))
time.sleep(30)'
  wait_udp_port 127.0.0.10 5060 5 || fail "the occupying socket did not bind"
  rc=0
  "$WORKDIR/sbc" --check >"$WORKDIR/check_busy.txt" 2>"$WORKDIR/check_busy.err" || rc=$?
  ((rc == 1)) || note_failure "--check with 127.0.0.10:5060 taken: exit $rc, want 1"
  expect_line "$WORKDIR/check_busy.txt" "problem: cannot bind external.udp on udp 127.0.0.10:5060"
  expect_line "$WORKDIR/check_busy.txt" "environment NOT ready"

  finish_test "--print-policy, --check ready and not ready"
}

main "$@"
