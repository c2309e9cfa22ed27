//! Protobuf's well-known types that services use as is, declared in their
//! upstream files, so that server reflection serves them where protoc puts
//! them (`google/protobuf/empty.proto`) and a service using one imports
//! that file.

crate::message! {
    package "google.protobuf";
    file "google/protobuf/empty.proto";

    /// A generic empty message, for an rpc that takes or returns nothing
    /// (`google.protobuf.Empty`).
    #[derive(Copy, Eq)]
    pub struct Empty {}
}
