//! What `helloworld.Greeter` answers: the one place the Rust tests keep these
//! texts (`tests/interop/python/greeter_spec.py` keeps them for the Python
//! peers).

/// Replies sent by `SayHelloStreamReply` for one request.
pub const STREAM_REPLIES: usize = 10;

/// `SayHello`, and each reply of `SayHelloStreamReply` and `SayHelloBidiStream`.
pub fn hello(name: &str) -> String {
    format!("Hello, {name}!")
}

/// `SayHelloAgain`.
pub fn hello_again(name: &str) -> String {
    format!("Hello again, {name}!")
}

/// `SayHello2`.
pub fn hello2(name: &str) -> String {
    format!("Hello 2, {name}!")
}
