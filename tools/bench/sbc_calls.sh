#!/usr/bin/env bash
# Call-rate probe of a compiled sbc alone (not the side-by-side benchmark against
# Kamailio): in a private network namespace, two SIPp media servers behind the sbc and a
# SIPp caller placing RATE calls/s for DURATION s (1 s hold, INVITE/180/200/ACK/BYE with
# Record-Route). Prints successful/failed calls, retransmissions, the sbc's CPU, and its
# resident memory once every call is placed (with HOLD_MS=60000 at 500/s for 20 s that is
# about 10 000 open dialogs).
#   [HOLD_MS=1000] tools/bench/sbc_calls.sh RATE [DURATION] [POLICY]     (as root)
# The calls carry no RTP: with samples/loopback.sbc (media timeout 60s) hold them less
# than a minute, or give a policy without a media timeout.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
rate=${1:?usage: sbc_calls.sh RATE [DURATION] [POLICY]}
duration=${2:-10}
policy=${3:-$root/samples/loopback.sbc}
hold_ms=${HOLD_MS:-1000}

# shellcheck source=tools/bench/lib.sh
source "$root/tools/bench/lib.sh"
in_bench_netns || enter_bench_netns "$@"
ip link set lo up
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"$root/build/bin/sbcc" "$policy" -o "$work/sbc"
scenarios=$root/tests/e2e/scenarios
for ip in 127.0.0.30 127.0.0.31; do
  sipp -sf "$scenarios/uas_rr.xml" -i "$ip" -p 5080 -buff_size 4194304 -nostdin >"$work/uas-$ip.log" 2>&1 &
  pids+=($!)
done
"$work/sbc" --log-level=warn >"$work/sbc.log" 2>&1 &
sbc=$!
pids+=("$sbc")
sleep 1
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$sbc/status"; }
rss_idle=$(rss_kb)
cpu_before=$(awk '{print $14 + $15}' "/proc/$sbc/stat")
hold_s=$((hold_ms / 1000))
timeout $((duration + hold_s + 60)) sipp 127.0.0.10:5060 -sf "$scenarios/uac_rr.xml" -s service -i 127.0.0.40 \
  -p 5070 -r "$rate" -m $((rate * duration)) -l $((rate * (duration + hold_s + 5))) -d "$hold_ms" \
  -buff_size 4194304 -recv_timeout 10000 -timeout $((duration + hold_s + 40)) \
  -trace_stat -stf "$work/stat.csv" -nostdin >"$work/uac.log" 2>&1 &
uac=$!
sleep $((duration + 1))
rss_loaded=$(rss_kb)
wait "$uac" || true
cpu_after=$(awk '{print $14 + $15}' "/proc/$sbc/stat")
ticks=$(getconf CLK_TCK)
column() { awk -F';' -v name="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == name) c = i } END { print $c }' "$work/stat.csv"; }
echo "rate ${rate}/s for ${duration}s: $(column 'SuccessfulCall(C)') successful, $(column 'FailedCall(C)') failed," \
  "$(column 'Retransmissions(C)') retransmissions; sbc CPU $(((cpu_after - cpu_before) * 100 / ticks / duration))% of one core;" \
  "RSS ${rss_idle} kB idle, ${rss_loaded} kB with the calls of the last ${hold_s}s open"
