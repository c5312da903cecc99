#!/usr/bin/env bash
# Side-by-side media benchmark: the sbc's relay against rtpengine 10.5 from Debian
# (userspace forwarding), the same RTP load on the same machine in one run, ratios printed.
#
#   sudo tools/bench/media_vs_rtpengine.sh          (about 6 minutes)
#
# For each relay, each number of concurrent G.711 calls in CALLS and each mode (rtp: RTP
# on both legs; srtp: SDES SRTP AES_CM_128_HMAC_SHA1_80 from the caller, plain RTP to the
# callee), a fresh relay gets CALLS calls set up the way it is driven in production, then
# tools/bench/rtp_load plays both ends of every call for SECONDS s: 50 packets/s each way
# per call (172-byte RTP), counting what arrives. The relay's CPU is read from /proc over
# that window.
#   - rtpengine: offer/answer over its NG protocol (tools/bench/ng_client.py), as
#     Kamailio's rtpengine module sends them (replace origin and session connection,
#     direction external -> internal, RTP/AVP toward the callee);
#     tools/bench/rtpengine/rtpengine.conf, 2 threads.
#   - sbc: real SIP calls from SIPp through tools/bench/policies/article_media.sbc (media
#     relay from external to internal as rtp), each held while the RTP runs; 2 media threads.
# Reported: packets relayed per CPU-second of the relay (received at the far ends / relay
# CPU time), loss, and the SRTP cost against plain relay.
#
# Environment: CALLS ("100 500 1000"), SECONDS_PER_STEP (10), MODES ("rtp srtp"),
# OUT (results, default a fresh mktemp -d; summary.md is written there).
# Everything runs in a private network namespace holding only loopback; processes are
# stopped by PID.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
bench=$root/tools/bench
CALL_STEPS=${CALLS:-"100 500 1000"}
SECONDS_PER_STEP=${SECONDS_PER_STEP:-10}
MODES=${MODES:-"rtp srtp"}
SRTP_KEY=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0e  # also in scenarios/bench_uac_srtp.xml

# shellcheck source=tools/bench/lib.sh
source "$bench/lib.sh"
[[ $(id -u) -eq 0 ]] || die "run as root (installs rtpengine, runs in a network namespace)"
if ! in_bench_netns; then
  "$root/tools/setup" rtpengine-daemon >&2
  [[ -x $root/build/bin/sbcc && -x $root/build/bin/rtp_load ]] || die "build first (cmake --build build)"
  enter_bench_netns "$@"
fi
ip link set lo up
ulimit -n "$(ulimit -Hn)"

OUT=${OUT:-$(mktemp -d /tmp/media_vs_rtpengine.XXXXXX)}
mkdir -p "$OUT/bin"
trap bench_cleanup EXIT
"$root/build/bin/sbcc" "$bench/policies/article_media.sbc" -o "$OUT/bin/sbc"

stop_pid() {
  local pid=$1 i
  kill "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  { wait "$pid"; } 2>/dev/null || true
}

# set_up_rtpengine DIR N MODE: rtpengine running with N calls; RELAY_PID, calls file in DIR
set_up_rtpengine() {
  local dir=$1 n=$2 mode=$3 i
  rtpengine --config-file="$bench/rtpengine/rtpengine.conf" --config-section=rtpengine >"$dir/relay.log" 2>&1 &
  RELAY_PID=$!
  PIDS+=("$RELAY_PID")
  for ((i = 0; i < 50; i++)); do ss -Hlun "sport = :2223" | grep -q . && break; sleep 0.1; done
  local key=()
  [[ $mode == srtp ]] && key=(--srtp-key "$SRTP_KEY")
  python3 "$bench/ng_client.py" "$n" "${key[@]}" >"$dir/calls.txt"
}

# set_up_sbc DIR N MODE: the sbc, a SIPp media server and a SIPp caller holding N calls
set_up_sbc() {
  local dir=$1 n=$2 mode=$3 i
  (cd "$dir" && exec timeout 300 sipp -sf "$bench/scenarios/bench_uas.xml" -i 127.0.0.30 -p 5080 -nostdin \
    -trace_logs -log_file uas_actions.log >uas.log 2>&1) &
  PIDS+=($!)
  UAS_PID=$!
  ${SBC_WRAPPER:-} "$OUT/bin/sbc" --log-level=warn ${SBC_MEDIA_THREADS:+--media-threads=$SBC_MEDIA_THREADS} >"$dir/relay.log" 2>&1 &
  RELAY_PID=$!
  PIDS+=("$RELAY_PID")
  for ((i = 0; i < 50; i++)); do ss -Hlun "sport = :5060" | grep -q . && break; sleep 0.1; done
  sleep 0.5
  local hold_ms=$(((SECONDS_PER_STEP + n / 200 + 20) * 1000))
  (cd "$dir" && exec timeout 300 sipp 127.0.0.10:5060 -sf "$bench/scenarios/bench_uac_$mode.xml" -s service \
    -i 127.0.0.40 -p 5070 -r 200 -m "$n" -l "$n" -d "$hold_ms" -nostdin -trace_logs -log_file uac_actions.log \
    >uac.log 2>&1) &
  UAC_PID=$!
  PIDS+=("$UAC_PID")
  # every call answered: both logs have a line per call
  local answered served
  for ((i = 0; i < 300; i++)); do
    answered=$(grep -c '^A ' "$dir/uac_actions.log" 2>/dev/null || true)
    served=$(grep -c '^B ' "$dir/uas_actions.log" 2>/dev/null || true)
    ((${answered:-0} >= n && ${served:-0} >= n)) && break
    sleep 0.1
  done
  awk 'FNR == NR && $1 == "A" { a[$2] = $3; next } $1 == "B" && ($2 in a) { print "127.0.0.10", a[$2], "127.0.0.20", $3 }' \
    "$dir/uac_actions.log" "$dir/uas_actions.log" >"$dir/calls.txt"
}

tear_down() {
  local p
  for p in ${UAC_PID:-} ${UAS_PID:-} "$RELAY_PID"; do stop_pid "$p"; done
  UAC_PID="" UAS_PID=""
}

# Datagrams the kernel dropped in this namespace because a receive buffer was full
# (relay's or load generator's): tells loss in the kernel from loss in a relay.
udp_rcvbuf_errors() { awk '/^Udp:/ { if (!h) { for (i = 1; i <= NF; i++) if ($i == "RcvbufErrors") c = i; h = 1 } else print $c }' /proc/net/snmp; }

declare -A RESULT
step() { # step RELAY N MODE
  local relay=$1 n=$2 mode=$3 dir="$OUT/$1/$3-$2"
  mkdir -p "$dir"
  "set_up_$relay" "$dir" "$n" "$mode"
  local set_up
  set_up=$(wc -l <"$dir/calls.txt")
  [[ $set_up -eq $n ]] || log "$relay: only $set_up of $n calls set up"
  local key=()
  [[ $mode == srtp ]] && key=(--srtp-caller-key "$SRTP_KEY")
  local cpu0 cpu1 t0 t1
  cpu0=$("$bench/proctree.py" cpu "$RELAY_PID")
  read -r user0 system0 < <("$bench/proctree.py" split "$RELAY_PID")
  local drops0 drops1
  drops0=$(udp_rcvbuf_errors)
  t0=$(date +%s.%N)
  "$root/build/bin/rtp_load" --calls "$dir/calls.txt" --seconds "$SECONDS_PER_STEP" "${key[@]}" >"$dir/load.txt"
  t1=$(date +%s.%N)
  drops1=$(udp_rcvbuf_errors)
  cpu1=$("$bench/proctree.py" cpu "$RELAY_PID")
  read -r user1 system1 < <("$bench/proctree.py" split "$RELAY_PID")
  tear_down
  echo "user_ticks=$((user1 - user0)) system_ticks=$((system1 - system0))" >"$dir/cpu_split.txt"
  local line received lost loss silent cpu_s pps_per_cpu cpu_pct
  line=$(cat "$dir/load.txt")
  received=$(($(sed -E 's/.*caller_to_callee_received=([0-9]+).*/\1/' <<<"$line") + \
    $(sed -E 's/.*callee_to_caller_received=([0-9]+).*/\1/' <<<"$line")))
  lost=$(sed -E 's/.*lost=(-?[0-9]+).*/\1/' <<<"$line")
  loss=$(sed -E 's/.*loss_pct=([0-9.]+).*/\1/' <<<"$line")
  silent=$(sed -E 's/.*silent_calls=([0-9]+).*/\1/' <<<"$line")
  cpu_s=$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz }')
  cpu_pct=$(awk -v c="$cpu_s" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 100 * c / (b - a) }')
  pps_per_cpu=$(awk -v r="$received" -v c="$cpu_s" 'BEGIN { if (c > 0) printf "%.0f", r / c; else print "-" }')
  RESULT[$relay/$mode/$n]=$pps_per_cpu
  printf '| %s | %s | %s | %s | %s | %s (%s%%) | %s | %s%% of a core | %s |\n' "$relay" "$mode" "$n" "$set_up" \
    "$received" "$lost" "$loss" "$silent" "$cpu_pct" "$pps_per_cpu" >>"$OUT/steps.md"
  log "$relay $mode $n calls: $received packets relayed, $lost lost ($loss%), $silent silent calls, relay CPU $cpu_pct%, $pps_per_cpu packets per CPU-second, $((drops1 - drops0)) datagrams dropped by the kernel for full receive buffers"
}

echo "| relay | mode | calls | set up | packets relayed | lost | calls without media | relay CPU | packets per CPU-second |" >"$OUT/steps.md"
echo "|---|---|---|---|---|---|---|---|---|" >>"$OUT/steps.md"
for mode in $MODES; do
  for n in $CALL_STEPS; do
    step rtpengine "$n" "$mode"
    step sbc "$n" "$mode"
  done
done

{
  echo "# sbc vs rtpengine, media ($(date -Is))"
  echo
  echo "machine: $(nproc) CPUs, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), kernel $(uname -r)"
  echo "rtpengine: $(rtpengine --version 2>&1 | head -1); sbc: $("$OUT/bin/sbc" --version | head -1)"
  echo "method: ${SECONDS_PER_STEP} s of 20 ms G.711 both ways per call, calls: $CALL_STEPS"
  echo
  cat "$OUT/steps.md"
  echo
  echo "| mode | calls | packets per CPU-second, sbc / rtpengine |"
  echo "|---|---|---|"
  for mode in $MODES; do
    for n in $CALL_STEPS; do
      echo "| $mode | $n | $(awk -v a="${RESULT[sbc/$mode/$n]}" -v b="${RESULT[rtpengine/$mode/$n]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }') |"
    done
  done
  if [[ $MODES == *srtp* && $MODES == *rtp* ]]; then
    echo
    echo "| relay | calls | SRTP cost: CPU per packet, srtp / rtp |"
    echo "|---|---|---|"
    for relay in sbc rtpengine; do
      for n in $CALL_STEPS; do
        echo "| $relay | $n | $(awk -v a="${RESULT[$relay/rtp/$n]}" -v b="${RESULT[$relay/srtp/$n]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }') |"
      done
    done
  fi
} >"$OUT/summary.md"
cat "$OUT/summary.md"
