//! The messages of `contact.Contact`, as in proto/contact.proto.

crate::message! {
    package "contact";
    file "contact.proto";

    /// A status report from a client.
    pub struct ClientMsg {
        /// The status text.
        msg: string = 1,
    }

    /// A task pushed by the server.
    pub struct ServerMsg {
        /// The task text.
        task: string = 1,
    }

    /// No content.
    pub struct Empty {}

    /// An answer: the server's to a status, or a client's acknowledgement
    /// of a task.
    pub struct Result {
        /// The answer text.
        ret: string = 1,
    }
}
