//! `h2grpc contact`. PLACEHOLDER: being written.

use super::{CliError, Target};

/// Options of `h2grpc contact`.
#[derive(Debug, clap::Args)]
pub struct ContactArgs {
    #[command(flatten)]
    pub target: Target,
}

/// Runs the contact client.
pub async fn run(args: ContactArgs) -> Result<(), CliError> {
    let _channel = args.target.connect().await?;
    Ok(())
}
