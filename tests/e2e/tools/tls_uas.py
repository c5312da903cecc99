#!/usr/bin/env python3
"""A one-call TLS SIP server standing in for a carrier on the internet.

Listens on HOST:PORT with CERT/KEY, accepts one connection, answers the INVITE with
STATUS (a final response), and waits for the ACK on the same connection. Prints the
INVITE's head and the TLS version; exits 0 only if INVITE and ACK both arrived.
Bounded: 15 s to accept, 10 s per read.
"""
import re
import socket
import ssl
import sys

HOST, PORT, CERT, KEY, STATUS = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]


def read_message(tls, buffer):
    while b"\r\n\r\n" not in buffer:
        chunk = tls.recv(65536)
        if not chunk:
            raise EOFError("connection closed")
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    length = int(re.search(rb"(?im)^content-length\s*:\s*(\d+)", head).group(1))
    return head.decode(), rest[length:]


def main():
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(CERT, KEY)
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((HOST, PORT))
    server.listen(1)
    server.settimeout(15)
    raw, peer = server.accept()
    tls = context.wrap_socket(raw, server_side=True)
    tls.settimeout(10)
    invite, rest = read_message(tls, b"")
    print(f"INVITE over {tls.version()} from {peer[0]}:")
    print(invite)
    lines = invite.split("\r\n")
    copied = [line for line in lines[1:] if re.match(r"(?i)(via|from|to|call-id|cseq)\s*:", line)]
    copied = [line + ";tag=carrier" if line.lower().startswith("to:") else line for line in copied]
    tls.sendall((f"SIP/2.0 {STATUS}\r\n" + "\r\n".join(copied) + "\r\nContent-Length: 0\r\n\r\n").encode())
    ack, _ = read_message(tls, rest)
    print("then: " + ack.split("\r\n")[0])
    return 0 if ack.startswith("ACK ") else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as error:
        print(f"failed: {error!r}")
        sys.exit(1)
