"""Generates the Python stubs of a proto/ file at run time.

Nothing generated is checked in: each process runs grpc_tools.protoc into its own
temporary directory (so parallel tests never race on one output directory), puts
it on sys.path and imports the modules from there.
"""

import atexit
import glob
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
        # The proto and its siblings, which it may import (test.proto
        # imports grpc/testing/empty.proto and messages.proto).
        *sorted(glob.glob(os.path.join(PROTO_DIR, os.path.dirname(proto), "*.proto"))),
    ]
    if protoc.main(args) != 0:
        raise SystemExit(f"grpc_tools.protoc failed on {proto}: {' '.join(args)}")
    sys.path.insert(0, out)
    module = proto[: -len(".proto")].replace("/", ".")
    top = module.split(".")[0]
    if "." in module:
        # A proto in a subdirectory (grpc/testing/test.proto) becomes modules
        # in packages (grpc.testing.test_pb2, which imports
        # grpc.testing.messages_pb2). Its top-level name may already be an
        # installed package: `grpc` is grpcio's own. The generated directory
        # then joins that package's __path__, as a namespace portion, so
        # `grpc.testing` resolves to it beside grpcio's modules (protoc writes
        # no __init__.py, and grpcio has no `grpc.testing` of its own).
        package = importlib.import_module(top)
        portion = os.path.join(out, top)
        if portion not in list(package.__path__):
            package.__path__.append(portion)
        importlib.invalidate_caches()
    return importlib.import_module(f"{module}_pb2"), importlib.import_module(f"{module}_pb2_grpc")
