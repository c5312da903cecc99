#!/usr/bin/env python3
"""Measurements of a process and its descendants for tools/bench (Linux /proc).

    proctree.py cpu PID        CPU time used so far, in clock ticks (user + system)
    proctree.py split PID      the same as "USER SYSTEM" ticks
    proctree.py pss PID        proportional set size in kB (shared memory counted once
                               across the tree, which is what matters for Kamailio's
                               forked workers around one shared-memory segment)
    proctree.py rtt FILE NAME  p50/p99 in ms of SIPp's -trace_rtt file for timer NAME
"""
import os
import sys


def descendants(root):
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(children.get(pid, []))
    return tree


def cpu_split(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]), int(fields[12])  # utime, stime
    except OSError:
        return 0, 0


def cpu_ticks(pid):
    return sum(cpu_split(pid))


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[index]


def rtt(path, name):
    # SIPp writes "Date_ms;response_time_ms;rtd_no" rows, rtd_no being the timer name.
    values = []
    with open(path) as f:
        for line in f:
            parts = line.strip().split(";")
            if len(parts) >= 3 and parts[2] == name:
                try:
                    values.append(float(parts[1]))
                except ValueError:
                    pass
    values.sort()
    return f"{percentile(values, 50):.2f} {percentile(values, 99):.2f} {len(values)}"


def main():
    command, argument = sys.argv[1], sys.argv[2]
    if command == "cpu":
        print(sum(cpu_ticks(p) for p in descendants(int(argument))))
    elif command == "split":
        user = system = 0
        for p in descendants(int(argument)):
            u, s_ = cpu_split(p)
            user, system = user + u, system + s_
        print(user, system)
    elif command == "pss":
        print(sum(pss_kb(p) for p in descendants(int(argument))))
    elif command == "rtt":
        print(rtt(argument, sys.argv[3]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
