"""PLACEHOLDER: the contact service for the grpcio reference server (being written)."""


def register(server, args=None):
    pass
