//! `h2grpc multi-greet NAME N`: the hellostreamingworld client: one
//! MultiGreeter.sayHello, each streamed greeting printed as it arrives.

use futures_util::StreamExt;
use h2grpc::services::multi_greeter::{HelloRequest, MultiGreeterClient};

use super::{say, CliError, Target};

const METHOD: &str = "hellostreamingworld.MultiGreeter/sayHello";

/// Options of `h2grpc multi-greet`.
#[derive(Debug, clap::Args)]
pub struct MultiGreetArgs {
    /// The name to greet.
    pub name: String,
    /// How many greetings to ask for (sent as a string, as the proto says).
    pub count: String,
    #[command(flatten)]
    pub target: Target,
}

/// Prints `Greeter client received: Hello number I, NAME!` for each reply.
pub async fn run(args: MultiGreetArgs) -> Result<(), CliError> {
    let client = MultiGreeterClient::new(args.target.connect().await?);
    let request = HelloRequest {
        name: args.name,
        num_greetings: args.count,
    };
    let mut replies = client
        .say_hello(request)
        .await
        .map_err(CliError::call(METHOD))?
        .into_inner();
    while let Some(reply) = replies.next().await {
        let reply = reply.map_err(CliError::call(METHOD))?;
        say!("Greeter client received: {}", reply.message)?;
    }
    Ok(())
}
