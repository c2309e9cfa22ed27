"""The one place the Python peers keep what helloworld.Greeter answers.

The Rust tests keep the same texts in tests/support/greeter.rs; when the server's
wording changes, change both (and greeter_server.py follows from here).
"""

# How many replies SayHelloStreamReply sends for one request.
STREAM_REPLIES = 10


def hello(name):
    """SayHello, each SayHelloStreamReply reply, each SayHelloBidiStream reply."""
    return f"Hello, {name}!"


def hello_again(name):
    """SayHelloAgain."""
    return f"Hello again, {name}!"


def hello2(name):
    """SayHello2."""
    return f"Hello 2, {name}!"
