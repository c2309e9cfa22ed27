#!/usr/bin/env python3
"""Many HTTP/2 connections held open on one server, for benches/connections.sh
(issue 14, item 5). Standard library only: raw non-blocking sockets, the
HTTP/2 frames written by hand (RFC 9113), one selector loop.

    connections_client.py PORT COUNT MODE [--sources K] [--batch B] [--timeout S]

MODE idle: each connection sends the preface and an empty SETTINGS, answers
the server's SETTINGS with an ACK and counts as ready once the server has
acknowledged ours: the handshake is done, no stream is opened.

MODE call: the same, then one helloworld.Greeter/SayHelloBidiStream call:
HEADERS, then one DATA frame with one HelloRequest{name: "world"}, without
END_STREAM. The connection counts as ready once the server's reply (a DATA
frame on the stream) has arrived: the handler is running and waits for the
next request, so the call stays in flight.

Connections are spread over K loopback source addresses (127.0.0.2 ..,
IP_BIND_ADDRESS_NO_PORT) so that no address runs out of ephemeral ports, and
at most B are being set up at once. When every connection is ready or failed
(or after --timeout), one line goes to stdout:

    READY ok=N failed=M secs=S

and the client keeps every connection open, answering PINGs, until it gets
SIGTERM or SIGINT. Exit status 0 if all COUNT got ready, else 1.
"""

import errno
import selectors
import signal
import socket
import struct
import sys
import time

PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
IP_BIND_ADDRESS_NO_PORT = getattr(socket, "IP_BIND_ADDRESS_NO_PORT", 24)
DATA, HEADERS, RST_STREAM, SETTINGS, PING, GOAWAY = 0, 1, 3, 4, 6, 7


def frame(ftype, flags, stream, payload=b""):
    """One HTTP/2 frame: 24-bit length, type, flags, 31-bit stream id."""
    return struct.pack(">I", len(payload))[1:] + bytes([ftype, flags]) + \
        struct.pack(">I", stream) + payload


def hpack_literal(index_prefix, value):
    """Literal without indexing, name from the static table (4-bit prefix
    index, RFC 7541 6.2.2), no Huffman. Values here are under 127 bytes."""
    v = value.encode()
    return index_prefix + bytes([len(v)]) + v


def call_frames(port):
    """HEADERS (END_HEADERS) and one DATA frame for a SayHelloBidiStream call
    on stream 1, left open (no END_STREAM)."""
    block = (
        b"\x83"                                   # :method POST (static 3)
        + b"\x86"                                 # :scheme http (static 6)
        + hpack_literal(b"\x04", "/helloworld.Greeter/SayHelloBidiStream")  # :path (4)
        + hpack_literal(b"\x01", f"127.0.0.1:{port}")                       # :authority (1)
        + hpack_literal(b"\x0f\x10", "application/grpc")                    # content-type (31)
        + b"\x00\x02te\x08trailers"               # literal name and value
    )
    message = b"\x0a\x05world"                    # HelloRequest{name: "world"}
    body = b"\x00" + struct.pack(">I", len(message)) + message
    return frame(HEADERS, 0x4, 1, block) + frame(DATA, 0, 1, body)


class Conn:
    __slots__ = ("sock", "buf", "state", "got_settings", "got_ack", "got_reply")

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.state = "connecting"
        self.got_settings = self.got_ack = self.got_reply = False


def main(argv):
    if len(argv) < 4 or argv[3] not in ("idle", "call"):
        print(__doc__, file=sys.stderr)
        return 2
    port, count, mode = int(argv[1]), int(argv[2]), argv[3]
    sources, batch, timeout = 4, 256, 120.0
    rest = argv[4:]
    while rest:
        if rest[0] == "--sources":
            sources = int(rest[1])
        elif rest[0] == "--batch":
            batch = int(rest[1])
        elif rest[0] == "--timeout":
            timeout = float(rest[1])
        else:
            print(__doc__, file=sys.stderr)
            return 2
        rest = rest[2:]

    hello = PREFACE + frame(SETTINGS, 0, 0)
    if mode == "call":
        hello += call_frames(port)
    sel = selectors.DefaultSelector()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    signal.signal(signal.SIGINT, lambda *_: stop.append(1))

    started = ready = failed = 0
    pending = 0
    t0 = time.monotonic()
    reported = False

    def fail(c):
        nonlocal failed, pending
        if c.state != "failed":
            if c.state != "ready":
                pending -= 1
            c.state = "failed"
            failed += 1
            try:
                sel.unregister(c.sock)
            except (KeyError, ValueError):
                pass
            c.sock.close()

    def check_ready(c):
        nonlocal ready, pending
        if c.state == "open" and c.got_settings and c.got_ack and \
                (mode == "idle" or c.got_reply):
            c.state = "ready"
            ready += 1
            pending -= 1

    def handle_frames(c):
        while len(c.buf) >= 9:
            length = int.from_bytes(c.buf[0:3], "big")
            if len(c.buf) < 9 + length:
                break
            ftype, flags = c.buf[3], c.buf[4]
            stream = int.from_bytes(c.buf[5:9], "big") & 0x7FFFFFFF
            payload = c.buf[9:9 + length]
            c.buf = c.buf[9 + length:]
            if ftype == SETTINGS:
                if flags & 1:
                    c.got_ack = True
                else:
                    c.got_settings = True
                    c.sock.send(frame(SETTINGS, 1, 0))
            elif ftype == PING and not flags & 1:
                c.sock.send(frame(PING, 1, 0, payload))
            elif ftype == DATA and stream == 1 and length > 0:
                c.got_reply = True
            elif ftype in (GOAWAY, RST_STREAM):
                fail(c)
                return
        check_ready(c)

    while not stop:
        while started < count and pending < batch:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            try:
                s.setsockopt(socket.IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, 1)
            except OSError:
                pass
            s.bind((f"127.0.0.{2 + started % sources}", 0))
            s.setblocking(False)
            err = s.connect_ex(("127.0.0.1", port))
            c = Conn(s)
            started += 1
            pending += 1
            if err not in (0, errno.EINPROGRESS):
                fail(c)
                continue
            sel.register(s, selectors.EVENT_WRITE, c)
        for key, events in sel.select(timeout=0.5):
            c = key.data
            if c.state == "connecting":
                err = c.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    fail(c)
                    continue
                c.sock.send(hello)
                c.state = "open"
                sel.modify(c.sock, selectors.EVENT_READ, c)
                continue
            try:
                data = c.sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                fail(c)
                continue
            if not data:
                fail(c)
                continue
            c.buf += data
            handle_frames(c)
        secs = time.monotonic() - t0
        if not reported and (ready + failed >= count or secs > timeout):
            print(f"READY ok={ready} failed={count - ready} secs={secs:.1f}",
                  flush=True)
            reported = True
    for key in list(sel.get_map().values()):
        key.fileobj.close()
    return 0 if ready == count else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
