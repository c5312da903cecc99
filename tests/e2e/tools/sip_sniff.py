#!/usr/bin/env python3
"""Counts the SIP datagrams on the loopback interface of a test's network namespace.

    sip_sniff.py OUT_FILE [MAX_SECONDS]

Reads every packet on `lo` through an AF_PACKET socket (the test's user namespace owns
its network namespace, so CAP_NET_RAW there is enough; nothing else on the host is
seen) and counts, for each UDP datagram carrying SIP, its source, destination and kind
(the request method or the response status code), and how many were byte-for-byte
copies of an earlier datagram between the same two addresses (retransmissions, by
whichever side). ICMP port-unreachable messages are counted by the UDP destination
they answer (a "dead" SIP peer: nothing listens there).

OUT_FILE is rewritten every second and at exit (SIGTERM, SIGINT or MAX_SECONDS,
default 300), one line per group, sorted:
    udp SRC DST KIND COUNT COPIES
    icmp-port-unreachable DST COUNT
Loopback shows each packet twice (sent and received); only the sent copy is counted.
"""
import hashlib
import os
import signal
import socket
import struct
import sys
import time

OUT_FILE = sys.argv[1]
MAX_SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 300.0
ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4

counts = {}   # (src, dst, kind) -> [count, copies]
seen = set()  # (src, dst, digest)
unreachable = {}  # "ip:port" -> count


def sip_kind(payload: bytes) -> str:
    line = payload.split(b"\r\n", 1)[0]
    if line.startswith(b"SIP/2.0 ") and len(line) >= 11:
        return line[8:11].decode(errors="replace")
    token = line.split(b" ", 1)[0]
    if line.endswith(b"SIP/2.0") and token.isalpha() and token.isupper():
        return token.decode()
    return "other"


def ipv4_udp(frame: bytes):
    """(src, dst, payload) of a UDP/IPv4 datagram in an Ethernet frame (lo has a zero
    Ethernet header), or ("icmp", dst, None) for an ICMP port unreachable; else None."""
    if len(frame) < 14 + 20 or frame[12:14] != b"\x08\x00":
        return None
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    proto = ip[9]
    src_ip, dst_ip = socket.inet_ntoa(ip[12:16]), socket.inet_ntoa(ip[16:20])
    body = ip[ihl:]
    if proto == 17 and len(body) >= 8:
        sport, dport = struct.unpack("!HH", body[:4])
        return f"{src_ip}:{sport}", f"{dst_ip}:{dport}", body[8:]
    if proto == 1 and len(body) >= 8 + 20 + 4 and body[0] == 3 and body[1] == 3:
        inner = body[8:]
        inner_ihl = (inner[0] & 0x0F) * 4
        if inner[9] == 17 and len(inner) >= inner_ihl + 4:
            dport = struct.unpack("!H", inner[inner_ihl + 2:inner_ihl + 4])[0]
            return "icmp", f"{socket.inet_ntoa(inner[16:20])}:{dport}", None
    return None


def write_summary():
    lines = [f"udp {s} {d} {k} {c[0]} {c[1]}" for (s, d, k), c in sorted(counts.items())]
    lines += [f"icmp-port-unreachable {d} {n}" for d, n in sorted(unreachable.items())]
    tmp = OUT_FILE + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + ("\n" if lines else ""))
    os.replace(tmp, OUT_FILE)


def stop(*_):
    raise SystemExit(0)


def main() -> int:
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    sock.bind(("lo", 0))
    sock.settimeout(0.2)
    start = last_write = time.monotonic()
    write_summary()
    print("sniffing on lo", flush=True)
    try:
        while time.monotonic() - start < MAX_SECONDS:
            try:
                frame, address = sock.recvfrom(65535)
            except socket.timeout:
                frame, address = None, None
            if frame is not None and address[2] == PACKET_OUTGOING:
                parsed = ipv4_udp(frame)
                if parsed and parsed[0] == "icmp":
                    unreachable[parsed[1]] = unreachable.get(parsed[1], 0) + 1
                elif parsed and (parsed[2].startswith(b"SIP/2.0 ") or b" SIP/2.0\r\n" in parsed[2][:300]):
                    src, dst, payload = parsed
                    entry = counts.setdefault((src, dst, sip_kind(payload)), [0, 0])
                    entry[0] += 1
                    digest = (src, dst, hashlib.blake2b(payload, digest_size=16).digest())
                    if digest in seen:
                        entry[1] += 1
                    else:
                        seen.add(digest)
            if time.monotonic() - last_write >= 1.0:
                write_summary()
                last_write = time.monotonic()
    finally:
        write_summary()
    return 0


if __name__ == "__main__":
    sys.exit(main())
