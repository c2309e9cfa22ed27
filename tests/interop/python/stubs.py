"""Generates the Python stubs of proto/helloworld.proto at run time.

Nothing generated is checked in: each process runs grpc_tools.protoc into its own
temporary directory (so parallel tests never race on one output directory), puts
it on sys.path and imports the modules from there.
"""

import atexit
import importlib
import os
import shutil
import sys
import tempfile

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PROTO_DIR = os.path.join(REPO_ROOT, "proto")


def load(proto="helloworld.proto"):
    """Returns (messages module, services module) generated from proto/PROTO."""
    from grpc_tools import protoc

    out = tempfile.mkdtemp(prefix="h2grpc-pystubs-")
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    args = [
        "grpc_tools.protoc",
        f"-I{PROTO_DIR}",
        f"--python_out={out}",
        f"--grpc_python_out={out}",
        os.path.join(PROTO_DIR, proto),
    ]
    if protoc.main(args) != 0:
        raise SystemExit(f"grpc_tools.protoc failed on {proto}: {' '.join(args)}")
    sys.path.insert(0, out)
    base = proto[: -len(".proto")]
    return importlib.import_module(f"{base}_pb2"), importlib.import_module(f"{base}_pb2_grpc")
