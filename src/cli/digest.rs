//! `h2grpc digest TEXT`: the digestor tutorial's client: one
//! Digestor.GetDigestor, the answer printed.

use h2grpc::services::digestor::{DigestMessage, DigestorClient};

use super::{say, CliError, Target};

/// Options of `h2grpc digest`.
#[derive(Debug, clap::Args)]
pub struct DigestArgs {
    /// The text to digest (its UTF-8 bytes are hashed).
    pub text: String,
    #[command(flatten)]
    pub target: Target,
}

/// Prints `Digested: HEX` and `WasDigested: true|false`.
pub async fn run(args: DigestArgs) -> Result<(), CliError> {
    let client = DigestorClient::new(args.target.connect().await?);
    let reply = client
        .get_digestor(DigestMessage {
            ToDigest: args.text,
        })
        .await
        .map_err(CliError::call("digestor.Digestor/GetDigestor"))?
        .into_inner();
    say!("Digested: {}", reply.Digested)?;
    say!("WasDigested: {}", reply.WasDigested)?;
    Ok(())
}
