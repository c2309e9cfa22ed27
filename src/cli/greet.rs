//! `h2grpc greet [NAME]`: the helloworld quickstart client
//! (greeter_client.py): one SayHello, and the reply printed.

use h2grpc::services::greeter::{GreeterClient, HelloRequest};

use super::{say, CliError, Target};

/// Options of `h2grpc greet`.
#[derive(Debug, clap::Args)]
pub struct GreetArgs {
    /// The name to greet.
    #[arg(default_value = "you")]
    pub name: String,
    #[command(flatten)]
    pub target: Target,
}

/// Calls `helloworld.Greeter/SayHello` and prints
/// `Greeter client received: Hello, NAME!`.
pub async fn run(args: GreetArgs) -> Result<(), CliError> {
    let client = GreeterClient::new(args.target.connect().await?);
    let reply = client
        .say_hello(HelloRequest { name: args.name })
        .await
        .map_err(CliError::call("helloworld.Greeter/SayHello"))?;
    say!("Greeter client received: {}", reply.get_ref().message)?;
    Ok(())
}
