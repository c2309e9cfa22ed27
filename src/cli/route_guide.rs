//! `h2grpc route-guide`. PLACEHOLDER: being written.

use super::{CliError, Target};

/// Options of `h2grpc route-guide`.
#[derive(Debug, clap::Args)]
pub struct RouteGuideArgs {
    #[command(flatten)]
    pub target: Target,
}

/// Runs the tutorial client's four calls.
pub async fn run(args: RouteGuideArgs) -> Result<(), CliError> {
    let _channel = args.target.connect().await?;
    Ok(())
}
