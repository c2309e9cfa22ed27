"""The grpcio reference helloworld.Greeter, compressing its responses.

Usage: compression_server.py --compression gzip|deflate [--host 127.0.0.1] [--port 0]
Serves greeter_server.py's Greeter with server-wide compression (the
`compression=` of grpc.server), so its replies reach the client compressed
(C-core compresses a message only when that shrinks it: ask with long names).
Prints `listening on HOST:PORT` (flushed) once it accepts calls; runs until killed.
"""

import argparse
from concurrent import futures

import grpc

import greeter_server
import serving

ALGORITHMS = {"gzip": grpc.Compression.Gzip, "deflate": grpc.Compression.Deflate}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compression", choices=sorted(ALGORITHMS), required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=8),
        compression=ALGORITHMS[args.compression],
    )
    greeter_server.register(server)
    serving.serve(server, args.host, args.port)


if __name__ == "__main__":
    main()
