//! `grpc.reflection.v1`: the reflection protocol newer clients (grpcurl,
//! buf) try first, falling back on v1alpha when it answers UNIMPLEMENTED.

super::protocol::reflection_protocol!("grpc.reflection.v1", "grpc/reflection/v1/reflection.proto");
