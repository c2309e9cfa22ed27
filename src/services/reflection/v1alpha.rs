//! `grpc.reflection.v1alpha`: the same protocol as v1 in its first package,
//! the only one older clients (grpcurl 1.8.6, grpcio's reflection client)
//! speak.

super::protocol::reflection_protocol!(
    "grpc.reflection.v1alpha",
    "grpc/reflection/v1alpha/reflection.proto"
);
