#!/usr/bin/env python3
"""Sends malformed SIP to an SBC and checks it keeps answering.

Sends COUNT datagrams (random bytes, truncations and byte mutations of a valid INVITE,
known-bad headers), then an OPTIONS to the SBC itself, which must be answered 200.
Prints a summary; exits 1 if the SBC stopped answering. Bounded: a fixed count and
per-receive timeouts. Deterministic for one seed.
"""
import random
import socket
import sys
import time

TARGET = (sys.argv[1], int(sys.argv[2]))
SOURCE_IP = sys.argv[3]
COUNT = int(sys.argv[4]) if len(sys.argv) > 4 else 3000
rng = random.Random(20261126)

VALID = (
    "INVITE sip:service@{host}:{port} SIP/2.0\r\n"
    "Via: SIP/2.0/UDP {src}:5099;branch=z9hG4bK-g{n};rport\r\n"
    "Max-Forwards: 70\r\n"
    "From: <sip:fuzz@{src}>;tag=f{n}\r\n"
    "To: <sip:service@{host}>\r\n"
    "Call-ID: garbage-{n}@{src}\r\n"
    "CSeq: 1 INVITE\r\n"
    "Content-Length: 0\r\n\r\n"
)

KNOWN_BAD = [
    "INVITE sip:x@{host} SIP/2.0\r\nVia: SIP/2.0/UDP {src};branch=z9hG4bKa\r\nFrom: <sip:a@b>;tag=1\r\n"
    "To: <sip:x@{host}>\r\nCall-ID: bad-cl-{n}\r\nCSeq: 1 INVITE\r\nContent-Length: 9999\r\n\r\nv=0",
    "INVITE sip:x@{host} SIP/2.0\r\nVia: SIP/2.0/UDP {src};branch=z9hG4bKb\r\nFrom: <sip:a@b>;tag=1\r\n"
    "To: <sip:x@{host}>\r\nCSeq: 1 INVITE\r\n\r\n",  # no Call-ID
    "INVITE sip:x@{host} SIP/2.0\r\nVia: SIP/2.0/UDP {src};branch=z9hG4bKc\r\nFrom: <sip:a@b>;tag=1\r\n"
    "To: <sip:x@{host}>\r\nCall-ID: bad-cseq-{n}\r\nCSeq: one INVITE\r\n\r\n",
    "INVITE sip:x@{host} SIP/2.0\r\nVia: SIP/2.0/UDP {src};branch=z9hG4bKd\r\nMax-Forwards: 0\r\n"
    "From: <sip:a@b>;tag=1\r\nTo: <sip:x@{host}>\r\nCall-ID: hops-{n}\r\nCSeq: 1 INVITE\r\n\r\n",
    "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP {host}:{port};branch=z9hG4bKnot-ours\r\nFrom: <sip:a@b>;tag=1\r\n"
    "To: <sip:x@{host}>;tag=2\r\nCall-ID: stray-{n}\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
    "\r\n\r\n",
    "OPTIONS * SIP/2.0\r\n\r\n",
    "INVITE sip:x@{host} SIP/2.0\r\n" + "X-Filler: y\r\n" * 200 + "\r\n",
]


def mutate(data: bytes) -> bytes:
    data = bytearray(data)
    choice = rng.randrange(4)
    if choice == 0:
        return bytes(data[: rng.randrange(len(data))])
    if choice == 1:
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        return bytes(data)
    if choice == 2:
        at = rng.randrange(len(data))
        return bytes(data[:at] + bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64))) + data[at:])
    return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 1500)))


def main() -> int:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((SOURCE_IP, 5099))
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    fields = {"host": TARGET[0], "port": TARGET[1], "src": SOURCE_IP}
    for n in range(COUNT):
        if n % 10 == 0:
            packet = KNOWN_BAD[(n // 10) % len(KNOWN_BAD)].format(n=n, **fields).encode()
        else:
            packet = mutate(VALID.format(n=n, **fields).encode())
        sock.sendto(packet, TARGET)
        if n % 200 == 0:
            time.sleep(0.01)  # a burst, not a flood: the kernel buffer is the SBC's to drain
    codes = {}
    sock.settimeout(0.5)
    deadline = time.time() + 5
    while time.time() < deadline:
        try:
            data, _ = sock.recvfrom(65536)
        except socket.timeout:
            break
        if data.startswith(b"SIP/2.0 "):
            code = data[8:11].decode(errors="replace")
            codes[code] = codes.get(code, 0) + 1
    probe = (
        "OPTIONS sip:{host}:{port} SIP/2.0\r\nVia: SIP/2.0/UDP {src}:5099;branch=z9hG4bK-alive;rport\r\n"
        "Max-Forwards: 70\r\nFrom: <sip:check@{src}>;tag=alive\r\nTo: <sip:{host}>\r\n"
        "Call-ID: alive@{src}\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n"
    ).format(**fields)
    sock.settimeout(2)
    for _ in range(3):
        sock.sendto(probe.encode(), TARGET)
        try:
            while True:
                data, _ = sock.recvfrom(65536)
                if b"alive@" in data and data.startswith(b"SIP/2.0 200"):
                    print(f"sent {COUNT} malformed datagrams; replies by code: {dict(sorted(codes.items()))}; "
                          "the SBC still answers OPTIONS with 200")
                    return 0
        except socket.timeout:
            continue
    print(f"sent {COUNT} malformed datagrams; replies by code: {codes}; the SBC no longer answers OPTIONS")
    return 1


if __name__ == "__main__":
    sys.exit(main())
