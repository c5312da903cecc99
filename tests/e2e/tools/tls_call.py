#!/usr/bin/env python3
"""One SIP call over TLS through the SBC's external face, as an internet caller would.

Connects to HOST:PORT with TLS (verifying the server against CA_FILE), sends an INVITE,
waits for the 200, sends the ACK and a BYE along the Record-Route set, waits for the
BYE's 200. Prints what it saw; exits 0 only if the call completed over TLS.
Bounded: a socket timeout on every read.
"""
import re
import socket
import ssl
import sys

HOST, PORT, CA_FILE, SOURCE_IP = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
CALL_ID = "tls-call-1@" + SOURCE_IP


def request(method, uri, cseq, branch, to_tag="", routes=(), body=""):
    lines = [
        f"{method} {uri} SIP/2.0",
        f"Via: SIP/2.0/TLS {SOURCE_IP}:5071;branch=z9hG4bK{branch};rport",
        "Max-Forwards: 70",
        f"From: <sip:caller@{SOURCE_IP}>;tag=tlscaller",
        f"To: <sip:service@{HOST}>" + (f";tag={to_tag}" if to_tag else ""),
        f"Call-ID: {CALL_ID}",
        f"CSeq: {cseq} {method}",
        f"Contact: <sip:caller@{SOURCE_IP}:5071;transport=tls>",
    ]
    lines += [f"Route: {r}" for r in routes]
    lines += [f"Content-Length: {len(body)}", "", body]
    return "\r\n".join(lines).encode()


class Reader:
    def __init__(self, tls):
        self.tls, self.buffer = tls, b""

    def message(self):
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end >= 0:
                head = self.buffer[:head_end].decode()
                length = int(re.search(r"(?im)^(?:content-length|l)\s*:\s*(\d+)", head).group(1))
                total = head_end + 4 + length
                if len(self.buffer) >= total:
                    message, self.buffer = self.buffer[:total].decode(), self.buffer[total:]
                    return message
            chunk = self.tls.recv(65536)
            if not chunk:
                raise EOFError("the SBC closed the connection")
            self.buffer += chunk

    def final_response(self, method):
        while True:
            message = self.message()
            status = message.split(" ", 2)[1] if message.startswith("SIP/2.0") else "request"
            print(f"  <- {message.splitlines()[0]}")
            if message.startswith("SIP/2.0") and method in message and int(status) >= 200:
                return message


def main():
    context = ssl.create_default_context(cafile=CA_FILE)
    context.check_hostname = False  # the certificate names 127.0.0.10 by IP SAN; the CA check is what matters
    raw = socket.create_connection((HOST, PORT), timeout=10, source_address=(SOURCE_IP, 0))
    tls = context.wrap_socket(raw)
    print(f"connected to {HOST}:{PORT} with {tls.version()}, cipher {tls.cipher()[0]}")
    reader = Reader(tls)
    uri = f"sip:service@{HOST}:{PORT};transport=tls"
    tls.sendall(request("INVITE", uri, 1, "inv1"))
    ok = reader.final_response("INVITE")
    if " 200 " not in ok.splitlines()[0]:
        print("INVITE was not answered 200")
        return 1
    to_tag = re.search(r"(?im)^(?:to|t)\s*:.*;tag=([^;\s]+)", ok).group(1)
    contact = re.search(r"(?im)^(?:contact|m)\s*:\s*<([^>]+)>", ok).group(1)
    record_routes = []
    for line in ok.splitlines():
        if line.lower().startswith("record-route:"):
            record_routes += [v.strip() for v in line.split(":", 1)[1].split(",")]
    routes = list(reversed(record_routes))
    print(f"  route set: {routes}")
    tls.sendall(request("ACK", contact, 1, "ack1", to_tag, routes))
    tls.sendall(request("BYE", contact, 2, "bye1", to_tag, routes))
    bye_ok = reader.final_response("BYE")
    if " 200 " not in bye_ok.splitlines()[0]:
        print("BYE was not answered 200")
        return 1
    print("call completed over TLS")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:  # a failed call, reported as such
        print(f"call failed: {error!r}")
        sys.exit(1)
