# shellcheck shell=bash
# tests/e2e/lib.sh: helpers sourced by the end-to-end tests (tests/e2e/*.sh)
# and by tools/demo. Each test re-executes itself in a private network
# namespace that has only a loopback interface, starts its processes with
# start_bg, and has them all stopped by PID when it exits (never by name).
# Every wait here is bounded in time.
#
#   source "$(dirname "$0")/lib.sh"
#   e2e_enter_netns "$@"          # first thing: re-exec under `unshare --net`
#   start_bg sbc "$WORKDIR/sbc"   # -> $WORKDIR/sbc.log, pid in $LAST_PID
#   wait_for_log "$WORKDIR/sbc.log" ready 10 "$LAST_PID" || fail "sbc not ready"
#
# Environment:
#   E2E_OUT           keep each test's files in $E2E_OUT/<test name>/ (else mktemp)
#   E2E_STOP_TIMEOUT  seconds between TERM and KILL in stop_all (default 5)

E2E_SCRIPT=$(readlink -f "$0")
E2E_LIB_DIR=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
E2E_NAME=$(basename "$E2E_SCRIPT" .sh)
E2E_PIDS=()       # everything start_bg started, in start order
E2E_PID_NAMES=()  # the NAME given to start_bg, same index
LAST_PID=""
WORKDIR=""

# ------------------------------------------------------------------ output
e2e_log() { printf '[%s %s] %s\n' "$E2E_NAME" "$(date +%H:%M:%S)" "$*" >&2; }

fail() { # fail MSG: report and exit 1 (the EXIT trap stops every process)
  printf '[%s] FAIL: %s\n' "$E2E_NAME" "$*" >&2
  [[ -n $WORKDIR ]] && printf '[%s] files: %s\n' "$E2E_NAME" "$WORKDIR" >&2
  exit 1
}

# --------------------------------------------------------------- namespace
# e2e_enter_netns "$@": re-run the calling script under `unshare --net` (once),
# bring lo up there and create $WORKDIR. The guard is E2E_NETNS_PID: `exec
# unshare ... bash script` keeps the PID, so only the re-executed copy sees
# its own PID in it (a test started from another test still gets its own
# namespace). Not root: a user namespace maps us to root (unshare -r).
e2e_enter_netns() {
  if [[ ${E2E_NETNS_PID:-} != "$$" ]]; then
    command -v unshare >/dev/null || fail "unshare (util-linux) not found"
    local userns=()
    [[ $(id -u) -eq 0 ]] || userns=(--map-root-user)
    export E2E_NETNS_PID=$$
    if [[ -n ${E2E_OUT:-} ]]; then
      E2E_OUT=$(readlink -m "$E2E_OUT")
      export E2E_OUT
    fi
    exec unshare --net "${userns[@]}" -- "$BASH" "$E2E_SCRIPT" "$@"
  fi
  ip link set lo up 2>/dev/null || fail "cannot bring lo up in the network namespace"
  e2e_make_workdir
  trap stop_all EXIT
  trap 'e2e_log "interrupted"; exit 130' INT
  trap 'e2e_log "terminated"; exit 143' TERM
}

e2e_make_workdir() { # $WORKDIR: $E2E_OUT/<test>/ (emptied) or a fresh mktemp dir
  if [[ -n ${E2E_OUT:-} ]]; then
    WORKDIR=$E2E_OUT/$E2E_NAME
    rm -rf -- "$WORKDIR"
    mkdir -p -- "$WORKDIR"
  else
    WORKDIR=$(mktemp -d "${TMPDIR:-/tmp}/sbcc-e2e-$E2E_NAME.XXXXXX")
  fi
}

# --------------------------------------------------------- process control
# start_bg NAME CMD...: run CMD in the background in $WORKDIR with stdout and
# stderr in $WORKDIR/NAME.log and stdin from /dev/null. `exec` keeps the
# PID, so $LAST_PID is CMD itself (signals reach it directly).
start_bg() {
  local name=$1
  shift
  [[ -n $WORKDIR ]] || fail "start_bg before e2e_enter_netns"
  (cd "$WORKDIR" && exec "$@") >"$WORKDIR/$name.log" 2>&1 </dev/null &
  LAST_PID=$!
  E2E_PIDS+=("$LAST_PID")
  E2E_PID_NAMES+=("$name")
}

# proc_state PID: "STATE PPID" of PID from /proc (empty and 1 if it is gone).
# `read` (not $(<file)): a vanished file must be a plain failure under set -e.
proc_state() {
  local stat fields
  read -r stat 2>/dev/null <"/proc/$1/stat" || return 1
  stat=${stat##*) }             # drop "pid (comm) "; comm may contain spaces
  read -r -a fields <<<"$stat"
  echo "${fields[0]} ${fields[1]}"
}

is_our_child() { # is_our_child PID: alive (or a zombie) and its parent is this shell
  local state
  state=$(proc_state "$1") || return 1
  [[ ${state#* } == "$$" ]]
}

is_running() { # is_running PID: our child and not yet exited
  local state
  state=$(proc_state "$1") || return 1
  [[ ${state#* } == "$$" && ${state%% *} != Z ]]
}

wait_exit() { # wait_exit PID TIMEOUT_S: wait until PID exits; 1 if still running
  local pid=$1 deadline=$((SECONDS + $2))
  while is_running "$pid"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
  return 0
}

stop_pid() { # stop_pid PID [TIMEOUT_S] [NAME]: TERM, wait, then KILL; only our own children
  local pid=$1 timeout=${2:-${E2E_STOP_TIMEOUT:-5}} name=${3:-pid $1}
  is_our_child "$pid" || return 0
  if is_running "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_exit "$pid" "$timeout"; then
      e2e_log "$name did not stop on TERM within ${timeout}s, sending KILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  wait "$pid" 2>/dev/null || true
}

stop_all() { # stop everything start_bg started, newest first
  local i
  for ((i = ${#E2E_PIDS[@]} - 1; i >= 0; i--)); do
    stop_pid "${E2E_PIDS[i]}" "${E2E_STOP_TIMEOUT:-5}" "${E2E_PID_NAMES[i]} (pid ${E2E_PIDS[i]})"
  done
  E2E_PIDS=()
  E2E_PID_NAMES=()
}

# ---------------------------------------------------------------- waiting
# wait_for_log FILE PATTERN TIMEOUT_S [PID]: wait until FILE has a line
# matching the extended regex PATTERN; returns 1 on timeout or when PID
# (if given) has exited first.
wait_for_log() {
  local file=$1 pattern=$2 deadline=$((SECONDS + $3)) pid=${4:-}
  while :; do
    [[ -f $file ]] && grep -Eq -- "$pattern" "$file" && return 0
    [[ -n $pid ]] && ! is_running "$pid" && {
      [[ -f $file ]] && grep -Eq -- "$pattern" "$file" && return 0
      return 1
    }
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# wait_udp_port ADDR PORT TIMEOUT_S: wait until a UDP socket listens on
# ADDR:PORT (or on the wildcard address with that port).
wait_udp_port() {
  local addr=$1 port=$2 deadline=$((SECONDS + $3))
  while :; do
    ss -Hlun "sport = :$port" 2>/dev/null |
      awk -v a="$addr:$port" -v p=":$port" '$4 == a || $4 == "0.0.0.0" p || $4 == "*" p { f = 1 } END { exit !f }' &&
      return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# ------------------------------------------------------------ SIPp output
# sipp_stat CSV COLUMN: the last value of COLUMN (e.g. "FailedCall(C)") in a
# SIPp -trace_stat/-stf file, or of the first column whose name ends in
# COLUMN for a -trace_counts file (e.g. "_INVITE_Recv"); empty if absent.
sipp_stat() {
  [[ -f $1 ]] || return 0
  awk -F';' -v col="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == col || (!c && substr($i, length($i) - length(col) + 1) == col)) c = i; next }
    NF > 1 { v = $c }
    END { if (c) print v }' "$1"
}

# wait_sipp_count CSV COLUMN MIN TIMEOUT_S: wait until sipp_stat CSV COLUMN
# is at least MIN (SIPp rewrites its -trace_counts/-trace_stat files every
# -fd seconds, so use -fd 1); returns 1 on timeout.
wait_sipp_count() {
  local csv=$1 column=$2 min=$3 deadline=$((SECONDS + $4)) n
  while :; do
    n=$(sipp_stat "$csv" "$column")
    ((${n:-0} >= min)) && return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# sipp_sum CSV SUFFIX: the sum over the last row of a -trace_counts file of every column ending in SUFFIX (0 if none or no file)
sipp_sum() {
  [[ -f $1 ]] || { echo 0; return 0; }
  awk -F';' -v suf="$2" '
    NR == 1 { for (i = 1; i <= NF; i++) if (length($i) >= length(suf) && substr($i, length($i) - length(suf) + 1) == suf) c[i] = 1; next }
    NF > 1 { s = 0; for (i in c) s += $i }
    END { print s + 0 }' "$1"
}

# -------------------------------------------------------- packet counters
# iptables_count NAME: packets counted by the namespace's OUTPUT rules commented NAME (added by the test)
iptables_count() {
  iptables -L OUTPUT -v -x -n | awk -v name="/* $1 */" 'index($0, name) { sum += $1 } END { print sum + 0 }'
}

# ------------------------------------------------------------ test plumbing
# Shared by the test scripts: the usage line, a log's tail, and compiling the policy
# under test into $WORKDIR/sbc ($SBCC, $POLICY; bounded by $COMPILE_TIMEOUT, default 180 s).
usage() {
  echo "usage: $0 SBCC_BINARY POLICY_FILE" >&2
  exit 2
}

show_tail() { # show_tail FILE [LINES]: the end of a log, indented
  [[ -s $1 ]] || return 0
  echo "--- last lines of $1:" >&2
  tail -n "${2:-15}" "$1" | sed 's/^/    /' >&2
}

compile_policy() {
  e2e_log "compiling $POLICY"
  if ! timeout "${COMPILE_TIMEOUT:-180}" "$SBCC" "$POLICY" -o "$WORKDIR/sbc" >"$WORKDIR/sbcc.log" 2>&1; then
    show_tail "$WORKDIR/sbcc.log" 30
    fail "sbcc could not compile $POLICY (see $WORKDIR/sbcc.log)"
  fi
  [[ -x $WORKDIR/sbc ]] || fail "sbcc succeeded but wrote no executable $WORKDIR/sbc"
}

# start_sipp_media_servers SCENARIO [SIPP_ARGS...]: the loopback sample's two media
# servers as SIPp UASes running tests/e2e/scenarios/SCENARIO on 127.0.0.30:5080 and
# 127.0.0.31:5080 (start_bg names uas30, uas31; media on port 6000; files
# uasNN_stat.csv, uasNN_errors.log, uasNN_actions.log in $WORKDIR), SIPP_ARGS added
# (-rtp_echo, say); each must bind within 5 s.
start_sipp_media_servers() {
  local scenario=$1 ip n
  shift
  for ip in 127.0.0.30 127.0.0.31; do
    n=${ip##*.}
    start_bg "uas$n" sipp -sf "$E2E_LIB_DIR/scenarios/$scenario" -i "$ip" -p 5080 -mi "$ip" -mp 6000 \
      -nostdin -timeout 60s -trace_stat -stf "uas${n}_stat.csv" -fd 1 -trace_err -error_file "uas${n}_errors.log" \
      -trace_logs -log_file "uas${n}_actions.log" "$@"
    wait_udp_port "$ip" 5080 5 || fail "SIPp media server did not bind $ip:5080"
  done
}

# check_static: the compiled $WORKDIR/sbc is one static executable (no loader);
# `file` says "static-pie linked" for static PIE executables.
check_static() {
  local desc
  desc=$(file -b "$WORKDIR/sbc")
  e2e_log "sbc: $desc"
  [[ $desc == *"statically linked"* || $desc == *"static-pie linked"* ]] ||
    fail "sbc is not statically linked: $desc"
}

# baresip_config DIR ADDRESS [CERT_PEM]: a headless baresip in DIR (../shared/peers/
# baresip.md): SIP on ADDRESS:5060 (TLS on 5061 with CERT_PEM, certificate and key),
# PCMU, a 440 Hz tone as the microphone, what it hears into DIR/received.wav, SDES SRTP
# available, RTP statistics printed at hang-up. The account is the caller's to write.
baresip_config() {
  local dir=$1 address=$2 cert=${3:-}
  mkdir -p "$dir"
  {
    echo "sip_listen        $address:5060"
    [[ -z $cert ]] || echo "sip_certificate   $cert"
    cat <<EOF
net_interface     $address
audio_player      aufile,$dir/received.wav
audio_source      ausine,440
ausrc_srate       48000
auplay_srate      48000
ausrc_channels    2
auplay_channels   2
audio_alert       aufile,/dev/null
module_path       /usr/lib/baresip/modules
module            g711.so
module            ausine.so
module            aufile.so
module            srtp.so
module_app        account.so
module_app        menu.so
rtp_stats         yes
EOF
  } >"$dir/config"
}

# ----------------------------------------------------------------- verdict
# Checks note what failed and go on, so one run says everything that is wrong;
# finish_test then prints the verdict and exits (0 only without failures).
E2E_FAILURES=()
note_failure() { # note_failure MSG
  E2E_FAILURES+=("$*")
  e2e_log "NOT OK: $*"
}

finish_test() { # finish_test WHAT_PASSED [LOG_TO_SHOW]: PASS/FAIL summary and exit
  if ((${#E2E_FAILURES[@]})); then
    [[ -n ${2:-} ]] && show_tail "$2" 15
    printf '== %s: FAIL\n' "$E2E_NAME" >&2
    printf '  - %s\n' "${E2E_FAILURES[@]}" >&2
    printf '  files: %s\n' "$WORKDIR" >&2
    exit 1
  fi
  printf '== %s: PASS (%s)\n' "$E2E_NAME" "$1" >&2
  [[ -n ${E2E_OUT:-} ]] || rm -rf -- "$WORKDIR"
  exit 0
}

# ----------------------------------------------------------------- MariaDB
# A private MariaDB server for one test, in its namespace: data in
# $WORKDIR/mariadb, TCP on ADDRESS:3306 and a Unix socket for root (who logs in
# by socket, without a password). Debian's mariadb-server package gives the
# binaries; its system service is never used.
#   mariadb_start ADDRESS   -> $MARIADB_PID; waits (10 s at most) until it answers
#   mariadb_sql [ARGS...]   -> the mariadb client as root on that server
#   mariadb_stop            -> stops it (SHUTDOWN by PID), the data stays
MARIADB_PID=""
MARIADB_ADDRESS=""
mariadb_sql() { mariadb --no-defaults --socket="$WORKDIR/mariadb/socket" -uroot "$@"; }

mariadb_start() {
  local dir=$WORKDIR/mariadb deadline=$((SECONDS + 10))
  MARIADB_ADDRESS=${1:-$MARIADB_ADDRESS}
  command -v mariadbd >/dev/null || fail "mariadbd not found (Debian package mariadb-server; tools/setup installs it)"
  if [[ ! -d $dir/data ]]; then
    mkdir -p "$dir"
    mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
      --auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1 ||
      { show_tail "$dir/install.log"; fail "mariadb-install-db failed"; }
  fi
  start_bg mariadb mariadbd --no-defaults --datadir="$dir/data" --user="$(id -un)" --socket="$dir/socket" \
    --pid-file="$dir/mariadbd.pid" --bind-address="$MARIADB_ADDRESS" --port=3306 --skip-log-bin \
    --innodb-buffer-pool-size=16M --log-error="$dir/error.log"
  MARIADB_PID=$LAST_PID
  until mariadb_sql -e 'SELECT 1' >/dev/null 2>&1; do
    is_running "$MARIADB_PID" || { show_tail "$dir/error.log"; fail "mariadbd exited"; }
    ((SECONDS < deadline)) || { show_tail "$dir/error.log"; fail "mariadbd not answering after 10 s"; }
    sleep 0.2
  done
  e2e_log "mariadb on $MARIADB_ADDRESS:3306 (pid $MARIADB_PID)"
}

mariadb_stop() {
  stop_pid "$MARIADB_PID" 20 "mariadbd (pid $MARIADB_PID)"
  e2e_log "mariadb stopped"
}
