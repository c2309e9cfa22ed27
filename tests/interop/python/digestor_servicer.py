"""digestor.Digestor for the grpcio reference server, as in the tutorial:
Digested is the lowercase hex SHA-256 of ToDigest's UTF-8 bytes."""

import hashlib

import stubs

pb2, pb2_grpc = stubs.load("digestor.proto")


def digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Digestor(pb2_grpc.DigestorServicer):
    def GetDigestor(self, request, context):
        return pb2.DigestedMessage(Digested=digest(request.ToDigest), WasDigested=True)


def register(server, args=None):
    pb2_grpc.add_DigestorServicer_to_server(Digestor(), server)
