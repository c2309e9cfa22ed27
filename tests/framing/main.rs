//! gRPC message framing (PROTOCOL-HTTP2.md, "Length-Prefixed-Message"): the
//! decoder and the encoders.

mod decoder;
mod encoder;
