//! The client side of gRPC's interop suite (interop-test-descriptions.md,
//! "Client"): every case a plaintext client can run against a
//! `grpc.testing.TestService` server, with the spec's requests, sizes and
//! client asserts, plus the C++ client's concurrent_large_unary and the
//! soak cases with grpc-go's settings.
//!
//! [`TestCase`] names the cases and runs one; a failed check is a
//! [`CaseError`] saying which call and what, never a panic. Every call has a
//! deadline ([`CALL_TIMEOUT`]) and every case a time limit
//! ([`CASE_TIMEOUT`]), so a broken server fails a case instead of hanging
//! the run.
//!
//! One file per group of cases: [`unary`], [`compression`], [`streaming`],
//! [`metadata`], [`status`], [`cancel`], [`soak`]; the requests they send in
//! [`requests`], the checks they share in [`check`].

pub mod cancel;
pub mod check;
pub mod compression;
mod error;
pub mod metadata;
pub mod requests;
pub mod soak;
pub mod status;
pub mod streaming;
pub mod unary;

use std::fmt;
use std::time::Duration;

pub use error::CaseError;
pub use soak::SoakSettings;

use h2grpc::rpc::Client;
use h2grpc::services::interop::{TestServiceClient, UnimplementedServiceClient};
use h2grpc::transport::Channel;

/// The longest one case may take: its calls' deadlines (a case makes at
/// most three calls one after the other) and some slack. Only a bug in a
/// case or in the client could reach it; it is there so that nothing hangs.
pub const CASE_TIMEOUT: Duration = Duration::from_secs(40);

/// The clients the cases call, on one channel, and what the soak cases
/// need besides.
#[derive(Debug, Clone)]
pub struct Clients {
    /// The untyped client under both, for calls the typed ones do not
    /// make (requests compressed per message).
    pub client: Client,
    /// `grpc.testing.TestService`.
    pub test: TestServiceClient,
    /// `grpc.testing.UnimplementedService`.
    pub unimplemented: UnimplementedServiceClient,
    /// The soak cases' settings.
    pub soak: SoakSettings,
    /// The server's `http://HOST:PORT`, for channel_soak's new channels;
    /// `None` fails that case.
    pub url: Option<String>,
}

impl Clients {
    /// Both clients on `channel`, the default soak settings, and no
    /// address for new channels (see [`Clients::with_url`]).
    pub fn new(channel: Channel) -> Clients {
        let client = Client::new(channel);
        Clients {
            test: TestServiceClient::from_client(client.clone()),
            unimplemented: UnimplementedServiceClient::from_client(client.clone()),
            client,
            soak: SoakSettings::default(),
            url: None,
        }
    }

    /// The same clients, with the server's `http://HOST:PORT` for new
    /// channels.
    pub fn with_url(mut self, url: String) -> Clients {
        self.url = Some(url);
        self
    }

    /// The same clients, with these soak settings.
    pub fn with_soak(mut self, soak: SoakSettings) -> Clients {
        self.soak = soak;
        self
    }
}

/// Declares [`TestCase`] from `Variant => name => function` lines, in the
/// order `all` runs them, so that a name, its variant and its function
/// cannot drift apart.
macro_rules! test_cases {
    ($($(#[$doc:meta])* $variant:ident => $name:literal => $run:path;)*) => {
        /// One interop case, by its spec name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum TestCase {
            $($(#[$doc])* $variant,)*
        }

        impl TestCase {
            /// Every case, in the order `all` runs them (the spec's).
            pub const ALL: &'static [TestCase] = &[$(TestCase::$variant,)*];

            /// The spec's name (`--test_case`).
            pub const fn name(self) -> &'static str {
                match self {
                    $(TestCase::$variant => $name,)*
                }
            }

            /// Runs the case's calls and checks.
            async fn run_checks(self, clients: &Clients) -> Result<(), CaseError> {
                match self {
                    $(TestCase::$variant => $run(clients).await,)*
                }
            }
        }
    };
}

test_cases! {
    /// EmptyCall with an Empty.
    EmptyUnary => "empty_unary" => unary::empty_unary;
    /// UnaryCall with 271828 bytes out, 314159 back.
    LargeUnary => "large_unary" => unary::large_unary;
    /// UnaryCall compressed, after a probe that the server checks.
    ClientCompressedUnary => "client_compressed_unary" => compression::client_compressed_unary;
    /// UnaryCall asking for a compressed, then an uncompressed response.
    ServerCompressedUnary => "server_compressed_unary" => compression::server_compressed_unary;
    /// StreamingInputCall with four payloads.
    ClientStreaming => "client_streaming" => streaming::client_streaming;
    /// StreamingInputCall with one compressed and one uncompressed message.
    ClientCompressedStreaming => "client_compressed_streaming" => compression::client_compressed_streaming;
    /// StreamingOutputCall asking for four responses.
    ServerStreaming => "server_streaming" => streaming::server_streaming;
    /// StreamingOutputCall asking for a compressed and an uncompressed response.
    ServerCompressedStreaming => "server_compressed_streaming" => compression::server_compressed_streaming;
    /// FullDuplexCall, one request per reply.
    PingPong => "ping_pong" => streaming::ping_pong;
    /// FullDuplexCall with no message either way.
    EmptyStream => "empty_stream" => streaming::empty_stream;
    /// Metadata echoed as initial and trailing metadata.
    CustomMetadata => "custom_metadata" => metadata::custom_metadata;
    /// A status code and message echoed.
    StatusCodeAndMessage => "status_code_and_message" => status::status_code_and_message;
    /// A status message with whitespace and Unicode echoed.
    SpecialStatusMessage => "special_status_message" => status::special_status_message;
    /// TestService/UnimplementedCall is UNIMPLEMENTED.
    UnimplementedMethod => "unimplemented_method" => status::unimplemented_method;
    /// UnimplementedService/UnimplementedCall is UNIMPLEMENTED.
    UnimplementedService => "unimplemented_service" => status::unimplemented_service;
    /// A client-streaming call cancelled once begun.
    CancelAfterBegin => "cancel_after_begin" => cancel::cancel_after_begin;
    /// A full-duplex call cancelled after its first response.
    CancelAfterFirstResponse => "cancel_after_first_response" => cancel::cancel_after_first_response;
    /// A full-duplex call past its 1 ms deadline.
    TimeoutOnSleepingServer => "timeout_on_sleeping_server" => cancel::timeout_on_sleeping_server;
    /// Many large_unary calls at once on one channel.
    ConcurrentLargeUnary => "concurrent_large_unary" => unary::concurrent_large_unary;
    /// large_unary again and again on one channel.
    RpcSoak => "rpc_soak" => soak::rpc_soak;
    /// large_unary again and again, each on a new channel.
    ChannelSoak => "channel_soak" => soak::channel_soak;
}

/// `--test_case` names a case that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownTestCase(pub String);

impl fmt::Display for UnknownTestCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown test case {:?}; known: all", self.0)?;
        for case in TestCase::ALL {
            write!(f, ", {}", case.name())?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownTestCase {}

impl TestCase {
    /// The case named `name`.
    pub fn from_name(name: &str) -> Result<TestCase, UnknownTestCase> {
        TestCase::ALL
            .iter()
            .copied()
            .find(|case| case.name() == name)
            .ok_or_else(|| UnknownTestCase(name.to_owned()))
    }

    /// The cases a `--test_case` list names, in its order: names separated
    /// by commas, `all` for every case.
    pub fn parse_list(list: &str) -> Result<Vec<TestCase>, UnknownTestCase> {
        let mut cases = Vec::new();
        for name in list.split(',').map(str::trim) {
            if name == "all" {
                cases.extend_from_slice(TestCase::ALL);
            } else {
                cases.push(TestCase::from_name(name)?);
            }
        }
        Ok(cases)
    }

    /// Runs the case against the server `clients` call, within
    /// [`CASE_TIMEOUT`] (a soak case: within its overall time and
    /// [`CASE_TIMEOUT`] more, for the last call's end).
    pub async fn run(self, clients: &Clients) -> Result<(), CaseError> {
        let limit = match self {
            TestCase::RpcSoak | TestCase::ChannelSoak => {
                clients.soak.overall_timeout.saturating_add(CASE_TIMEOUT)
            }
            _ => CASE_TIMEOUT,
        };
        tokio::time::timeout(limit, self.run_checks(clients))
            .await
            .unwrap_or(Err(CaseError::TimedOut(limit)))
    }
}

impl fmt::Display for TestCase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_case_is_found_by_its_name() {
        assert_eq!(TestCase::ALL.len(), 21);
        for &case in TestCase::ALL {
            assert_eq!(TestCase::from_name(case.name()), Ok(case));
        }
    }

    #[test]
    fn lists_expand_all_and_keep_their_order() {
        assert_eq!(TestCase::parse_list("all").as_deref(), Ok(TestCase::ALL));
        assert_eq!(
            TestCase::parse_list("ping_pong,empty_unary"),
            Ok(vec![TestCase::PingPong, TestCase::EmptyUnary])
        );
        let unknown = TestCase::parse_list("empty_unary,nope").unwrap_err();
        assert_eq!(unknown, UnknownTestCase("nope".into()));
        assert!(unknown.to_string().contains("known: all, empty_unary"));
    }
}
