#!/usr/bin/env bash
# Side-by-side signalling benchmark: a compiled sbc against Kamailio 5.6 from Debian,
# the same SIPp scenario on the same machine in one run, ratios printed at the end.
#
#   sudo tools/bench/sip_vs_kamailio.sh            (about 15 minutes)
#
# Both SBCs are the reference article's, signalling only: external face
# 127.0.0.10:5060/udp, internal face 127.0.0.20:5065/udp, two media servers (SIPp
# UAS on 127.0.0.30/.31:5080) behind a round-robin dispatcher with OPTIONS probing,
# double Record-Route, dialog tracking. sbc: tools/bench/policies/article_sig.sbc;
# Kamailio: tools/bench/kamailio/sbc.cfg. A SIPp caller on 127.0.0.40 places
# INVITE/180/200/ACK/BYE calls held 1 s (tests/e2e/scenarios/uac_rr.xml; the UAS
# checks both Record-Route entries), with the anchor's method
# (../shared/anchors/kamailio-rtpengine/RESULTS.md): STEP_S seconds of calls per rate,
# 4 MB SIPp socket buffers, a fresh SBC per step, CPU sampled from second 3 of the step.
#
# Three measurements, each for both SBCs:
#   1. highest call rate with 0 failed calls (rates up a list until one fails, then
#      REFINE bisection steps between the last pass and the first failure)
#   2. INVITE->200 and BYE->200 response times (p50, p99) at half of Kamailio's highest
#   3. memory per dialog: DIALOGS calls held 60 s, PSS of the process tree once all are
#      open minus idle (PSS counts Kamailio's shared memory once, not once per worker)
# A pass needs every call successful and at least 95% of the asked rate achieved.
#
# Environment: STEP_S (20), KAM_RATES, SBC_RATES, REFINE (2), DIALOGS (10000),
#   OUT (results directory, default a fresh mktemp -d; summary.md is written there).
# Everything runs in a private network namespace holding only loopback; every SIPp
# run is bounded by a call count and `timeout`; processes are stopped by PID.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=$root/tools/bench
STEP_S=${STEP_S:-20}
KAM_RATES=${KAM_RATES:-"600 800 1000 1200 1400 1600 2000"}
SBC_RATES=${SBC_RATES:-"1000 2000 2500 3000 3500 4000 4500 5000 6000"}
REFINE=${REFINE:-2}
DIALOGS=${DIALOGS:-10000}
HOLD_MS=1000
SIPP_BUFF=4194304
scenarios=$root/tests/e2e/scenarios

# shellcheck source=tools/bench/lib.sh
source "$bench/lib.sh"

[[ $(id -u) -eq 0 ]] || die "run as root (installs Kamailio, runs it in a network namespace)"
if ! in_bench_netns; then
  "$root/tools/setup" kamailio >&2  # gcc for finetime.c comes with build-essential
  [[ -x $root/build/bin/sbcc ]] || die "build sbcc first (tools/test or cmake --build build)"
  enter_bench_netns "$@"
fi
ip link set lo up

OUT=${OUT:-$(mktemp -d /tmp/sip_vs_kamailio.XXXXXX)}
mkdir -p "$OUT"
trap bench_cleanup EXIT

mkdir -p "$OUT/bin"
"$root/build/bin/sbcc" "$bench/policies/article_sig.sbc" -o "$OUT/bin/sbc"
gcc -O2 -shared -fPIC -o "$OUT/finetime.so" "$bench/finetime.c" -ldl
printf '%s\n' "1 sip:127.0.0.30:5080 0 0 duid=mediaserver1;socket=udp:127.0.0.20:5065" \
  "1 sip:127.0.0.31:5080 0 0 duid=mediaserver2;socket=udp:127.0.0.20:5065" >"$OUT/dispatcher.list"

# ------------------------------------------------------------- the two SBCs
SBC_PID=""
start_sbc() { # start_sbc KIND DIR: a fresh SBC, pid in SBC_PID once it listens
  local kind=$1 dir=$2 i
  if [[ $kind == sbc ]]; then
    "$OUT/bin/sbc" --log-level=warn >"$dir/sbc.log" 2>&1 &
  else
    mkdir -p "$dir/run"
    kamailio -f "$bench/kamailio/sbc.cfg" -DD -E -m 1024 -M 16 -Y "$dir/run" \
      -A "DS_LIST=\"$OUT/dispatcher.list\"" >"$dir/sbc.log" 2>&1 &
  fi
  SBC_PID=$!
  PIDS+=("$SBC_PID")
  for ((i = 0; i < 50; i++)); do
    ss -Hlnu "src 127.0.0.10:5060" | grep -q . && ss -Hlnu "src 127.0.0.20:5065" | grep -q . && break
    kill -0 "$SBC_PID" 2>/dev/null || die "$kind did not start: $(tail -5 "$dir/sbc.log")"
    sleep 0.1
  done
  sleep 1
}
stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  { wait "$pid"; } 2>/dev/null || true
}

start_media_servers() { # start_media_servers DIR -> UAS_PIDS
  local dir=$1 ip
  UAS_PIDS=()
  for ip in 127.0.0.30 127.0.0.31; do
    (cd "$dir" && exec timeout 600 sipp -sf "$scenarios/uas_rr.xml" -i "$ip" -p 5080 \
      -buff_size $SIPP_BUFF -nostdin >"uas-$ip.log" 2>&1) &
    UAS_PIDS+=($!)
    PIDS+=($!)
  done
  sleep 0.5
}

stat_column() { # stat_column FILE NAME: the column of the last row of a SIPp stat file
  awk -F';' -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i } END { print $c }' "$1"
}
achieved_rate() { # the cumulative call rate while calls were still being placed
  awk -F';' -v total="$2" 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "OutgoingCall(C)") o = i; if ($i == "CallRate(C)") r = i } next }
    $o < total && $o > 0 { rate = $r } END { printf "%d\n", rate + 0.5 }' "$1"
}

# run_calls KIND DIR RATE CALLS HOLD_MS: one step; prints "ok failed retrans achieved cpu%"
# and leaves the SBC running (SBC_PID) for the caller to measure and stop.
run_calls() {
  local kind=$1 dir=$2 rate=$3 calls=$4 hold=$5
  mkdir -p "$dir"
  start_sbc "$kind" "$dir"
  start_media_servers "$dir"
  local gen_s=$(( (calls + rate - 1) / rate )) hold_s=$((hold / 1000))
  local limit=$((rate * (hold_s + 15) + 100)) wall=$((gen_s + hold_s + 40))
  (cd "$dir" && LD_PRELOAD=$OUT/finetime.so exec timeout $((wall + 10)) sipp 127.0.0.10:5060 \
    -sf "$scenarios/uac_rr.xml" -s service -i 127.0.0.40 -p 5070 -r "$rate" -m "$calls" -l "$limit" \
    -d "$hold" -buff_size $SIPP_BUFF -recv_timeout 10000 -timeout "${wall}s" \
    -default_behaviors all,-abortunexp -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq 1 \
    -nostdin >uac.log 2>&1) &
  local uac=$!
  PIDS+=("$uac")
  sleep 3
  local cpu0 cpu1 window=$((gen_s - 3))
  ((window < 1)) && window=1
  cpu0=$("$bench/proctree.py" cpu "$SBC_PID")
  sleep "$window"
  cpu1=$("$bench/proctree.py" cpu "$SBC_PID")
  echo $(((cpu1 - cpu0) * 100 / $(getconf CLK_TCK) / window)) >"$dir/cpu"
  STEP_UAC=$uac
}
# finish_calls DIR CALLS: wait for the caller, stop everything, and set the step's
# figures: OK FAILED RETRANS ACHIEVED CPU (globals: a $(...) subshell could not wait).
finish_calls() {
  local dir=$1 calls=$2 p
  wait "$STEP_UAC" || true
  stop_pid "$SBC_PID"
  for p in "${UAS_PIDS[@]}"; do stop_pid "$p"; done
  OK=$(stat_column "$dir/stat.csv" 'SuccessfulCall(C)')
  FAILED=$(stat_column "$dir/stat.csv" 'FailedCall(C)')
  RETRANS=$(stat_column "$dir/stat.csv" 'Retransmissions(C)')
  ACHIEVED=$(achieved_rate "$dir/stat.csv" "$calls")
  CPU=$(cat "$dir/cpu")
  OK=${OK:-0} FAILED=${FAILED:-?} RETRANS=${RETRANS:-?} ACHIEVED=${ACHIEVED:-0}
}
latencies() { # latencies DIR: "invite_p50 invite_p99 bye_p50 bye_p99" in ms
  local rtt
  rtt=$(ls "$1"/uac_rr_*_rtt.csv 2>/dev/null | head -1)
  [[ -n $rtt ]] || { echo "- - - -"; return; }
  read -r i50 i99 _ < <("$bench/proctree.py" rtt "$rtt" invite)
  read -r b50 b99 _ < <("$bench/proctree.py" rtt "$rtt" bye)
  echo "$i50 $i99 $b50 $b99"
}

# ------------------------------------------------------------- measurements
passes() { # passes OK FAILED ACHIEVED RATE CALLS
  [[ $1 == "$5" && $2 == 0 ]] && (($3 * 100 >= $4 * 95))
}
declare -A MAX
sweep() { # sweep KIND RATES...: highest rate with 0 failed calls -> MAX[KIND]
  local kind=$1; shift
  local last_pass=0 first_fail=0 rate
  try_rate() {
    local r=$1 calls=$(($1 * STEP_S)) dir="$OUT/$kind/rate-$1"
    run_calls "$kind" "$dir" "$r" "$calls" $HOLD_MS
    finish_calls "$dir" "$calls"
    local verdict=fail
    passes "$OK" "$FAILED" "$ACHIEVED" "$r" "$calls" && verdict=pass
    printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$kind" "$r" "$ACHIEVED" "$OK" "$FAILED" "$RETRANS" "$CPU" "$verdict" \
      >>"$OUT/sweep.md"
    log "$kind $r/s: $OK ok, $FAILED failed, $RETRANS retransmissions, achieved $ACHIEVED/s, CPU $CPU% -> $verdict"
    [[ $verdict == pass ]]
  }
  for rate in "$@"; do
    if try_rate "$rate"; then last_pass=$rate; else first_fail=$rate; break; fi
  done
  local i mid
  for ((i = 0; i < REFINE && first_fail > 0 && last_pass > 0; i++)); do
    mid=$(((last_pass + first_fail) / 2 / 10 * 10))
    ((mid > last_pass)) || break
    if try_rate "$mid"; then last_pass=$mid; else first_fail=$mid; fi
  done
  MAX[$kind]=$last_pass
  log "$kind: highest rate with 0 failed calls $last_pass/s (first failing ${first_fail:-none})"
}

declare -A LAT
latency_step() { # latency_step KIND RATE -> LAT[KIND]
  local kind=$1 rate=$2 dir="$OUT/$1/latency-$2"
  run_calls "$kind" "$dir" "$rate" $((rate * STEP_S)) $HOLD_MS
  finish_calls "$dir" $((rate * STEP_S))
  LAT[$kind]="$(latencies "$dir") $CPU $OK $FAILED"
  log "$kind at $rate/s: INVITE/BYE p50 p99 ms, CPU, ok, failed = ${LAT[$kind]}"
}

declare -A MEM
memory_step() { # memory_step KIND -> MEM[KIND] = "idle_kB loaded_kB ok failed"
  local kind=$1 rate=500 dir="$OUT/$1/dialogs"
  mkdir -p "$dir"
  start_sbc "$kind" "$dir"
  local idle
  idle=$("$bench/proctree.py" pss "$SBC_PID")
  start_media_servers "$dir"
  local calls=$DIALOGS gen_s=$(((DIALOGS + rate - 1) / rate))
  (cd "$dir" && exec timeout $((gen_s + 140)) sipp 127.0.0.10:5060 -sf "$scenarios/uac_rr.xml" -s service \
    -i 127.0.0.40 -p 5070 -r $rate -m "$calls" -l $((calls + 1000)) -d 60000 -buff_size $SIPP_BUFF \
    -recv_timeout 10000 -timeout "$((gen_s + 130))s" -default_behaviors all,-abortunexp \
    -trace_stat -stf stat.csv -fd 1 -nostdin >uac.log 2>&1) &
  STEP_UAC=$!
  PIDS+=("$STEP_UAC")
  sleep $((gen_s + 3))
  local loaded
  loaded=$("$bench/proctree.py" pss "$SBC_PID")
  echo 0 >"$dir/cpu"
  finish_calls "$dir" "$calls"
  MEM[$kind]="$idle $loaded $OK $FAILED"
  log "$kind with $DIALOGS dialogs: PSS idle $idle kB, loaded $loaded kB ($OK ok, $FAILED failed)"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

# ------------------------------------------------------------------- run
log "results in $OUT"
{
  echo "# sbc vs Kamailio, signalling ($(date -Is))"
  echo
  echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
  echo "kamailio: $(kamailio -v 2>/dev/null | head -1); sipp: $(sipp -v 2>&1 | grep -m1 SIPp | sed 's/^ *//')"
  echo "sbc: $("$OUT/bin/sbc" --version 2>/dev/null | head -1)"
  echo "method: STEP_S=$STEP_S, calls held ${HOLD_MS} ms, two SIPp media servers, SIPp buffers $SIPP_BUFF"
} >"$OUT/summary.md"
echo "| SBC | asked/s | achieved/s | ok | failed | retransmissions | SBC CPU % of a core | |" >"$OUT/sweep.md"
echo "|---|---|---|---|---|---|---|---|" >>"$OUT/sweep.md"

sweep kamailio $KAM_RATES
sweep sbc $SBC_RATES
half=$((MAX[kamailio] / 2))
((half > 0)) || half=100
latency_step kamailio "$half"
latency_step sbc "$half"
memory_step kamailio
memory_step sbc

read -r ki50 ki99 kb50 kb99 kcpu _ <<<"${LAT[kamailio]}"
read -r si50 si99 sb50 sb99 scpu _ <<<"${LAT[sbc]}"
read -r kidle kload kok _ <<<"${MEM[kamailio]}"
read -r sidle sload sok _ <<<"${MEM[sbc]}"
kper=$(awk -v a="$kload" -v b="$kidle" -v n="$DIALOGS" 'BEGIN { printf "%.2f", (a - b) / n }')
sper=$(awk -v a="$sload" -v b="$sidle" -v n="$DIALOGS" 'BEGIN { printf "%.2f", (a - b) / n }')
{
  echo
  echo "## 1. Highest call rate with 0 failed calls"
  echo
  cat "$OUT/sweep.md"
  echo
  echo "kamailio ${MAX[kamailio]}/s, sbc ${MAX[sbc]}/s: **ratio $(ratio "${MAX[sbc]}" "${MAX[kamailio]}")** (target ≥ 2)"
  echo
  echo "## 2. Response times at $half calls/s (half of Kamailio's highest)"
  echo
  echo "| SBC | INVITE→200 p50 | INVITE→200 p99 | BYE→200 p50 | BYE→200 p99 | SBC CPU % |"
  echo "|---|---|---|---|---|---|"
  echo "| kamailio | $ki50 ms | $ki99 ms | $kb50 ms | $kb99 ms | $kcpu |"
  echo "| sbc | $si50 ms | $si99 ms | $sb50 ms | $sb99 ms | $scpu |"
  echo
  echo "INVITE p99 ratio kamailio/sbc: **$(ratio "$ki99" "$si99")** (target > 1)"
  echo
  echo "## 3. Memory with $DIALOGS open dialogs (PSS of the process tree)"
  echo
  echo "| SBC | idle | loaded | per dialog | calls ok |"
  echo "|---|---|---|---|---|"
  echo "| kamailio | $kidle kB | $kload kB | $kper kB | $kok |"
  echo "| sbc | $sidle kB | $sload kB | $sper kB | $sok |"
  echo
  echo "memory per dialog ratio kamailio/sbc: **$(ratio "$kper" "$sper")** (target > 1)"
} >>"$OUT/summary.md"
cat "$OUT/summary.md"
