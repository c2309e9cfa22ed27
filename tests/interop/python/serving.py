"""Runs a test server the way the Rust tests expect every one here to run.

The test that spawned it reads the "listening on HOST:PORT" line to learn the port
(port 0 binds any free one) and stops it with SIGTERM.
"""

import signal
import sys


def serve(server, host, port):
    """Binds HOST:PORT, starts SERVER, says where it listens, serves until SIGTERM
    or SIGINT."""
    bound = server.add_insecure_port(f"{host}:{port}")
    if bound == 0:
        sys.exit(f"could not bind {host}:{port}")
    server.start()
    print(f"listening on {host}:{bound}", flush=True)

    def stop(signum, frame):
        server.stop(grace=None)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server.wait_for_termination()
