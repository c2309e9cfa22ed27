//! `h2grpc conformance-client`: the client under test in the conformance
//! suite's client mode. Reads ClientCompatRequests from stdin until EOF,
//! makes each RPC against the reference server with our [`Client`] (several
//! at once, `--parallel`), and writes one ClientCompatResponse per request
//! to stdout as each finishes (testing_clients.md: "it is acceptable for
//! the results to be written to `stdout` out of order").
//!
//! Each RPC follows testing_clients.md's pseudocode for its stream type:
//! request messages are sent from a task of their own, each after
//! `request_delay_ms` (full duplex: one, then wait for its response);
//! cancellation at the point `cancel` names, through a [`CancelToken`];
//! headers, payloads, the error and trailers recorded whatever happens.
//! Each RPC gets its own connection, so that one case's cancellation or
//! limit cannot touch another's.

use std::sync::Arc;
use std::time::Duration;

use futures_core::Stream;
use h2grpc::codec::MessageSchema;
use h2grpc::rich_status::Any;
use h2grpc::rpc::{CancelToken, Client, Request, Response, Streaming};
use h2grpc::services::conformance::compat::{
    CancelTiming, ClientCompatRequest, ClientCompatResponse, ClientErrorResult,
    ClientResponseResult, CompatResult,
};
use h2grpc::services::conformance::messages::{
    Codec, Compression, HTTPVersion, Protocol, StreamType,
};
use h2grpc::services::conformance::{
    add_headers, to_error, to_headers, BidiStreamRequest, BidiStreamResponse, ClientStreamRequest,
    ConformancePayload, ConformanceServiceClient, ConformanceServiceServer, IdempotentUnaryRequest,
    ServerStreamRequest, ServerStreamResponse, UnaryRequest, UnimplementedRequest,
};
use h2grpc::transport::{Channel, TransportConfig};
use h2grpc::{Encoding, Message, MetadataMap, Status};
use tokio::sync::{mpsc, Semaphore};
use tokio::task::JoinSet;

use super::{read_message, write_message, ConformanceError};
use crate::CommandError;

/// The service the runner's requests name.
const SERVICE: &str = "connectrpc.conformance.v1.ConformanceService";

/// How long connecting to the reference server may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Options of `h2grpc conformance-client`.
#[derive(Debug, clap::Args)]
pub struct ConformanceClientArgs {
    /// How many RPCs run at once.
    #[arg(long, default_value_t = 32)]
    parallel: usize,
}

/// Runs every request on stdin, then waits for the last to finish.
pub async fn run(args: ConformanceClientArgs) -> Result<(), CommandError> {
    let (results, mut to_write) = mpsc::channel::<ClientCompatResponse>(64);
    let writer = tokio::spawn(async move {
        let mut stdout = tokio::io::stdout();
        while let Some(result) = to_write.recv().await {
            write_message(&mut stdout, &result).await?;
        }
        Ok::<(), ConformanceError>(())
    });
    let slots = Arc::new(Semaphore::new(args.parallel.max(1)));
    let mut running = JoinSet::new();
    let mut stdin = tokio::io::stdin();
    while let Some(request) = read_message::<ClientCompatRequest>(&mut stdin).await? {
        // Never closed: acquiring fails only on a closed semaphore.
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            break;
        };
        let results = results.clone();
        running.spawn(async move {
            let result = run_case(request).await;
            let _ = results.send(result).await;
            drop(slot);
        });
        // Reap finished cases as we go, so the set stays small.
        while running.try_join_next().is_some() {}
    }
    while running.join_next().await.is_some() {}
    drop(results);
    match writer.await {
        Ok(written) => Ok(written?),
        Err(join) => Err(ConformanceError::Io(std::io::Error::other(join)).into()),
    }
}

/// One request's outcome: the RPC's result, or why it could not be made.
async fn run_case(request: ClientCompatRequest) -> ClientCompatResponse {
    let test_name = request.test_name.clone();
    let result = match invoke(request).await {
        Ok(response) => CompatResult::response(response),
        Err(message) => CompatResult::error(ClientErrorResult { message }),
    };
    ClientCompatResponse {
        test_name,
        result: Some(result),
    }
}

/// Checks what we can do, connects, and makes the RPC. `Err`: the RPC
/// could not be made (not an RPC error, which is part of the result).
async fn invoke(request: ClientCompatRequest) -> Result<ClientResponseResult, String> {
    if request.protocol != Protocol::PROTOCOL_GRPC {
        return Err(format!(
            "protocol {:?}: only gRPC is supported",
            request.protocol
        ));
    }
    if request.http_version != HTTPVersion::HTTP_VERSION_2 {
        return Err(format!(
            "{:?}: only HTTP/2 is supported",
            request.http_version
        ));
    }
    if request.codec != Codec::CODEC_PROTO {
        return Err(format!(
            "codec {:?}: only proto is supported",
            request.codec
        ));
    }
    if !request.server_tls_cert.is_empty() {
        return Err("TLS is not supported: h2c only".into());
    }
    if request.service.as_deref() != Some(SERVICE) {
        return Err(format!("unknown service {:?}", request.service));
    }
    let encoding = match request.compression {
        Compression::COMPRESSION_UNSPECIFIED | Compression::COMPRESSION_IDENTITY => {
            Encoding::Identity
        }
        Compression::COMPRESSION_GZIP => Encoding::Gzip,
        Compression::COMPRESSION_DEFLATE => Encoding::Deflate,
        other => return Err(format!("compression {other:?} is not supported")),
    };
    let mut metadata = MetadataMap::new();
    add_headers(&mut metadata, &request.request_headers)
        .map_err(|status| format!("request headers: {}", status.message()))?;
    let mut config = TransportConfig::default();
    if request.message_receive_limit > 0 {
        config.max_receive_message_size = request.message_receive_limit as usize;
    }
    let address = format!("http://{}:{}", request.host, request.port);
    let channel = tokio::time::timeout(CONNECT_TIMEOUT, Channel::connect_with(&address, config))
        .await
        .map_err(|_| format!("cannot connect to {address}: timed out"))?
        .map_err(|error| error.to_string())?;
    let call = Call {
        client: ConformanceServiceClient::from_client(
            Client::new(channel).send_compressed(encoding),
        ),
        metadata,
        timeout: request
            .timeout_ms
            .map(|ms| Duration::from_millis(ms.into())),
        delay: Duration::from_millis(request.request_delay_ms.into()),
        cancel: request.cancel.and_then(|cancel| cancel.cancel_timing),
        token: CancelToken::new(),
    };
    let messages = request.request_messages;
    let method = request.method.unwrap_or_default();
    match (method.as_str(), request.stream_type) {
        ("Unary", StreamType::STREAM_TYPE_UNARY) => {
            let message = unpack::<UnaryRequest>(&messages)?;
            let client = call.client.clone();
            Ok(call
                .unary(|request| async move { client.unary(request).await.map(|r| r.map(|m| m.payload)) }, message)
                .await)
        }
        ("IdempotentUnary", StreamType::STREAM_TYPE_UNARY) => {
            let message = unpack::<IdempotentUnaryRequest>(&messages)?;
            let client = call.client.clone();
            Ok(call
                .unary(
                    |request| async move {
                        client
                            .idempotent_unary(request)
                            .await
                            .map(|r| r.map(|m| m.payload))
                    },
                    message,
                )
                .await)
        }
        ("Unimplemented", StreamType::STREAM_TYPE_UNARY) => {
            let message = unpack::<UnimplementedRequest>(&messages)?;
            let client = call.client.clone();
            Ok(call
                .unary(
                    |request| async move {
                        client.unimplemented(request).await.map(|r| r.map(|_| None))
                    },
                    message,
                )
                .await)
        }
        ("ClientStream", StreamType::STREAM_TYPE_CLIENT_STREAM) => {
            let messages = unpack_all::<ClientStreamRequest>(&messages)?;
            Ok(call.client_stream(messages).await)
        }
        ("ServerStream", StreamType::STREAM_TYPE_SERVER_STREAM) => {
            let message = unpack::<ServerStreamRequest>(&messages)?;
            Ok(call.server_stream(message).await)
        }
        ("BidiStream", StreamType::STREAM_TYPE_HALF_DUPLEX_BIDI_STREAM) => {
            let messages = unpack_all::<BidiStreamRequest>(&messages)?;
            Ok(call.bidi_stream(messages, false).await)
        }
        ("BidiStream", StreamType::STREAM_TYPE_FULL_DUPLEX_BIDI_STREAM) => {
            let messages = unpack_all::<BidiStreamRequest>(&messages)?;
            Ok(call.bidi_stream(messages, true).await)
        }
        (method, stream_type) => Err(format!(
            "unknown method {method:?} of {} for {stream_type:?}",
            ConformanceServiceServer::SERVICE_NAME
        )),
    }
}

/// The one request message of a unary or server-streaming call.
fn unpack<M: Message + MessageSchema>(messages: &[Any]) -> Result<M, String> {
    match messages {
        [one] => unpack_one(one),
        _ => Err(format!("{} request messages, expected one", messages.len())),
    }
}

/// Every request message of a client-streaming or bidi call.
fn unpack_all<M: Message + MessageSchema>(messages: &[Any]) -> Result<Vec<M>, String> {
    messages.iter().map(unpack_one).collect()
}

/// testing_clients.md: "the client program must verify that the type name
/// matches the expected request type name, and then unmarshal the value".
fn unpack_one<M: Message + MessageSchema>(any: &Any) -> Result<M, String> {
    match any.unpack::<M>() {
        Some(Ok(message)) => Ok(message),
        Some(Err(error)) => Err(format!("request {}: {error}", M::FULL_NAME)),
        None => Err(format!(
            "request of type {}, expected {}",
            any.type_name(),
            M::FULL_NAME
        )),
    }
}

/// One RPC's settings.
struct Call {
    client: ConformanceServiceClient,
    metadata: MetadataMap,
    timeout: Option<Duration>,
    delay: Duration,
    cancel: Option<CancelTiming>,
    token: CancelToken,
}

/// What the RPC returned so far.
#[derive(Default)]
struct Outcome {
    result: ClientResponseResult,
}

impl Outcome {
    /// Records a failed call's status: its error and trailing metadata.
    fn failed(&mut self, status: &Status) {
        self.result.error = Some(to_error(status));
        self.result.response_trailers = to_headers(status.metadata().as_headers());
    }

    /// Records a response's headers.
    fn headers<T>(&mut self, response: &Response<T>) {
        self.result.response_headers = to_headers(response.metadata().as_headers());
    }
}

impl Call {
    /// A request around `message` with the call's metadata, timeout and
    /// cancel token.
    fn request<T>(&self, message: T) -> Request<T> {
        let mut request = Request::new(message);
        *request.metadata_mut() = self.metadata.clone();
        if let Some(timeout) = self.timeout {
            request.set_timeout(timeout);
        }
        request.set_cancel_token(self.token.clone());
        request
    }

    /// Cancels `after_close_send_ms` after now, from a task of its own (the
    /// unary call is one await: "you must arrange for the RPC to be
    /// canceled asynchronously after the indicated number of
    /// milliseconds").
    fn cancel_after_close_send(&self) {
        if let Some(CancelTiming::after_close_send_ms(ms)) = self.cancel {
            let token = self.token.clone();
            tokio::spawn(async move {
                tokio::time::sleep(Duration::from_millis(ms.into())).await;
                token.cancel();
            });
        }
    }

    /// Unary, IdempotentUnary, Unimplemented: one request, its response's
    /// payload or the error.
    async fn unary<M, F, Fut>(self, call: F, message: M) -> ClientResponseResult
    where
        F: FnOnce(Request<M>) -> Fut,
        Fut: std::future::Future<Output = Result<Response<Option<ConformancePayload>>, Status>>,
    {
        let request = self.request(message);
        self.cancel_after_close_send();
        let mut outcome = Outcome::default();
        match call(request).await {
            Ok(response) => {
                outcome.headers(&response);
                outcome.result.response_trailers = to_headers(response.trailers().as_headers());
                outcome.result.payloads = vec![response.into_inner().unwrap_or_default()];
            }
            Err(status) => outcome.failed(&status),
        }
        outcome.result
    }

    /// ClientStream: the requests, then one response or the error.
    async fn client_stream(self, messages: Vec<ClientStreamRequest>) -> ClientResponseResult {
        let (requests, sender) = Sender::start(messages, &self, None);
        let request = self.request(requests);
        let mut outcome = Outcome::default();
        match self.client.client_stream(request).await {
            Ok(response) => {
                outcome.headers(&response);
                outcome.result.response_trailers = to_headers(response.trailers().as_headers());
                outcome.result.payloads = vec![response.into_inner().payload.unwrap_or_default()];
            }
            Err(status) => outcome.failed(&status),
        }
        outcome.result.num_unsent_requests = sender.unsent().await;
        outcome.result
    }

    /// ServerStream: one request, then the responses as they come.
    async fn server_stream(self, message: ServerStreamRequest) -> ClientResponseResult {
        let request = self.request(message);
        let mut outcome = Outcome::default();
        match self.client.server_stream(request).await {
            Ok(response) => {
                self.cancel_after_close_send();
                self.read_responses(response, &mut outcome, None, |r: ServerStreamResponse| {
                    r.payload
                })
                .await;
            }
            Err(status) => outcome.failed(&status),
        }
        outcome.result
    }

    /// BidiStream, half or full duplex.
    async fn bidi_stream(
        self,
        messages: Vec<BidiStreamRequest>,
        full_duplex: bool,
    ) -> ClientResponseResult {
        let (turns, turn) = if full_duplex {
            let (tx, rx) = mpsc::channel(1);
            (Some(tx), Some(rx))
        } else {
            (None, None)
        };
        let (requests, sender) = Sender::start(messages, &self, turn);
        let request = self.request(requests);
        let mut outcome = Outcome::default();
        match self.client.bidi_stream(request).await {
            Ok(response) => {
                self.read_responses(response, &mut outcome, turns, |r: BidiStreamResponse| {
                    r.payload
                })
                .await;
            }
            Err(status) => {
                // The sender may wait for a turn that will never come.
                drop(turns);
                outcome.failed(&status);
            }
        }
        outcome.result.num_unsent_requests = sender.unsent().await;
        outcome.result
    }

    /// Reads a response stream to its end: each payload, cancelling after
    /// `after_num_responses` of them; full duplex, telling the sender after
    /// each response that it may send the next request.
    async fn read_responses<R: Message>(
        &self,
        response: Response<Streaming<R>>,
        outcome: &mut Outcome,
        turns: Option<mpsc::Sender<()>>,
        payload: impl Fn(R) -> Option<ConformancePayload>,
    ) {
        outcome.headers(&response);
        let cancel_after = match self.cancel {
            Some(CancelTiming::after_num_responses(n)) => Some(n as usize),
            _ => None,
        };
        if cancel_after == Some(0) {
            self.token.cancel();
        }
        let mut responses = response.into_inner();
        loop {
            match responses.message().await {
                Ok(Some(message)) => {
                    outcome
                        .result
                        .payloads
                        .push(payload(message).unwrap_or_default());
                    if cancel_after == Some(outcome.result.payloads.len()) {
                        self.token.cancel();
                    }
                    if let Some(turns) = &turns {
                        let _ = turns.try_send(());
                    }
                }
                Ok(None) => {
                    let trailers = responses.trailers().cloned().unwrap_or_default();
                    outcome.result.response_trailers = to_headers(trailers.as_headers());
                    break;
                }
                Err(status) => {
                    outcome.failed(&status);
                    break;
                }
            }
        }
        // A bidi call whose request stream had nothing to send yet returned
        // before the response head: its headers came with the stream.
        if let Ok(Some(late)) = responses.initial_metadata().await {
            outcome.result.response_headers = to_headers(late.as_headers());
        }
    }
}

/// The task sending a streaming call's requests, counting those it could
/// not send.
struct Sender {
    task: tokio::task::JoinHandle<i32>,
}

impl Sender {
    /// Starts sending `messages` into the returned stream: each after the
    /// call's delay; full duplex (`turn`), each after the previous one's
    /// response; then cancels or closes as the call's `cancel` says.
    fn start<M: Send + 'static>(
        messages: Vec<M>,
        call: &Call,
        mut turn: Option<mpsc::Receiver<()>>,
    ) -> (impl Stream<Item = M> + Send + 'static, Sender) {
        let (tx, rx) = mpsc::channel::<M>(1);
        let delay = call.delay;
        let cancel = call.cancel.clone();
        let token = call.token.clone();
        let task = tokio::spawn(async move {
            let total = messages.len();
            for (index, message) in messages.into_iter().enumerate() {
                if !delay.is_zero() {
                    tokio::time::sleep(delay).await;
                }
                if tx.send(message).await.is_err() {
                    return unsent(total - index);
                }
                if let Some(turn) = turn.as_mut() {
                    if turn.recv().await.is_none() && index + 1 < total {
                        return unsent(total - index - 1);
                    }
                }
            }
            if let Some(CancelTiming::before_close_send(_)) = cancel {
                token.cancel();
            }
            drop(tx);
            if let Some(CancelTiming::after_close_send_ms(ms)) = cancel {
                tokio::time::sleep(Duration::from_millis(ms.into())).await;
                token.cancel();
            }
            0
        });
        let requests = futures_util::stream::unfold(rx, |mut rx| async move {
            rx.recv().await.map(|message| (message, rx))
        });
        (requests, Sender { task })
    }

    /// How many requests were never sent.
    async fn unsent(self) -> i32 {
        self.task.await.unwrap_or(0)
    }
}

/// A count of requests as the result's `int32`.
fn unsent(count: usize) -> i32 {
    i32::try_from(count).unwrap_or(i32::MAX)
}
