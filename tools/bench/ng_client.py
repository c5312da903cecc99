#!/usr/bin/env python3
"""Sets up N calls in rtpengine over its NG control protocol (bencode over UDP), as
Kamailio's rtpengine module would for the article's SBC, and prints one line per call for
tools/bench/rtp_load: "A_IP A_PORT B_IP B_PORT" (rtpengine's address for the caller and
for the callee).

    ng_client.py N [--srtp-key BASE64]   (caller offers RTP/SAVP with that key; the
                                          callee leg is plain RTP/AVP)
"""
import socket
import sys


def encode(value):
    if isinstance(value, int):
        return b"i%de" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"%d:%s" % (len(value), value)
    if isinstance(value, list):
        return b"l" + b"".join(encode(v) for v in value) + b"e"
    if isinstance(value, dict):
        return b"d" + b"".join(encode(k) + encode(value[k]) for k in sorted(value)) + b"e"
    raise TypeError(value)


def decode(data, i=0):
    c = data[i:i + 1]
    if c == b"i":
        end = data.index(b"e", i)
        return int(data[i + 1:end]), end + 1
    if c == b"l":
        items, i = [], i + 1
        while data[i:i + 1] != b"e":
            v, i = decode(data, i)
            items.append(v)
        return items, i + 1
    if c == b"d":
        items, i = {}, i + 1
        while data[i:i + 1] != b"e":
            k, i = decode(data, i)
            v, i = decode(data, i)
            items[k.decode()] = v
        return items, i + 1
    colon = data.index(b":", i)
    length = int(data[i:colon])
    return data[colon + 1:colon + 1 + length], colon + 1 + length


class Ng:
    def __init__(self, address=("127.0.0.1", 2223)):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.settimeout(5)
        self.address = address
        self.cookie = 0

    def command(self, **message):
        self.cookie += 1
        cookie = b"c%d" % self.cookie
        self.sock.sendto(cookie + b" " + encode(message), self.address)
        while True:
            data = self.sock.recv(65536)
            if data.startswith(cookie + b" "):
                reply, _ = decode(data, len(cookie) + 1)
                if reply.get("result") != b"ok":
                    raise RuntimeError(reply)
                return reply


def sdp(address, port, srtp_key=None):
    proto = "RTP/SAVP" if srtp_key else "RTP/AVP"
    body = ("v=0\r\no=- 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
            "m=audio %d %s 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n" % (address, address, port, proto))
    if srtp_key:
        body += "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s\r\n" % srtp_key
    return body


def media_of(body):
    address = port = None
    for line in body.decode().splitlines():
        if line.startswith("c=IN IP4 "):
            address = line.split()[2]
        elif line.startswith("m=audio "):
            port = int(line.split()[1])
    return address, port


def main():
    calls = int(sys.argv[1])
    key = sys.argv[3] if len(sys.argv) > 3 and sys.argv[2] == "--srtp-key" else None
    ng = Ng()
    for n in range(calls):
        call_id = "bench-%d" % n
        offer = dict(command="offer", **{"call-id": call_id, "from-tag": "a%d" % n},
                     sdp=sdp("127.0.0.40", 6000, key), replace=["origin", "session-connection"],
                     direction=["external", "internal"])
        if key:
            offer["transport-protocol"] = "RTP/AVP"  # the callee's leg is plain, as `as rtp`
        b_address, b_port = media_of(ng.command(**offer)["sdp"])
        answer = ng.command(command="answer", **{"call-id": call_id, "from-tag": "a%d" % n, "to-tag": "b%d" % n},
                            sdp=sdp("127.0.0.30", 6000), replace=["origin", "session-connection"])
        a_address, a_port = media_of(answer["sdp"])
        print(a_address, a_port, b_address, b_port)


if __name__ == "__main__":
    main()
