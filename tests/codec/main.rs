//! The protobuf codec: the wire format rule by rule, the schema the message
//! macros record, and golden bytes from Python's official `protobuf`.

mod golden;
mod schema;
mod wire;
