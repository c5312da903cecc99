# shellcheck shell=bash
# tools/bench/lib.sh: what the benchmark scripts share. Each runs as root, installs what
# it compares against through tools/setup (which starts no service), then re-runs itself
# in a private network namespace holding only loopback, and stops what it started by
# PID (PIDS) when it exits.

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# in_bench_netns: true in the copy of the script that runs in the namespace.
in_bench_netns() { [[ ${SBC_BENCH_NETNS:-} == "$$" ]]; }

# enter_bench_netns "$@": re-runs the calling script in a new network namespace, with
# the script brings loopback up there; does not return.
enter_bench_netns() {
  export SBC_BENCH_NETNS=$$
  exec unshare --net -- "$BASH" "$0" "$@"
}

PIDS=()
bench_cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
