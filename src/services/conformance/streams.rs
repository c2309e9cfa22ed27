//! The answers of ServerStream and BidiStream: the responses the
//! definition lists, each after its delay, the request info in the first,
//! then the definition's error (with the request info in its details when
//! no response carried it), produced by a task of their own through a
//! [`reply_channel`].
//!
//! testing_servers.md: "Servers should immediately send response headers
//! on the stream before sleeping for any specified response delay and/or
//! sending the first message so that clients can be unblocked reading
//! response headers." Every such response asks for it with
//! [`Response::send_headers_first`].

use std::mem::take;
use std::time::Duration;

use super::echo::{add_headers, to_status, CallFacts};
use super::messages::{
    BidiStreamRequest, BidiStreamResponse, ConformancePayload, Error, RequestInfo,
    ServerStreamResponse, StreamResponseDefinition,
};
use crate::rich_status::Any;
use crate::rpc::{reply_channel, ReplyReceiver, ReplySender, Response, Streaming};
use crate::status::Status;

/// A stream's replies, as they come from the task producing them.
pub type Replies<T> = ReplyReceiver<T>;

/// A response around `replies`, with the definition's headers and trailers.
fn respond<T>(
    replies: ReplyReceiver<T>,
    definition: Option<&StreamResponseDefinition>,
) -> Result<Response<Replies<T>>, Status> {
    let mut response = Response::new(replies);
    response.send_headers_first();
    if let Some(definition) = definition {
        add_headers(response.metadata_mut(), &definition.response_headers)?;
        add_headers(response.trailers_mut(), &definition.response_trailers)?;
    }
    Ok(response)
}

/// ServerStream: "If a response definition is not specified OR is
/// specified, but response data is empty, the server should skip sending
/// anything on the stream. When there are no responses to send, servers
/// should throw an error if one is provided and return without error if
/// one is not."
pub fn server_replies(
    facts: CallFacts,
    definition: Option<StreamResponseDefinition>,
    echoed: Any,
) -> Result<Response<Replies<ServerStreamResponse>>, Status> {
    let (sender, receiver) = reply_channel(1);
    let response = respond(receiver, definition.as_ref())?;
    if let Some(definition) = definition {
        tokio::spawn(async move {
            let mut answers = Answers::new(sender, &definition);
            for data in definition.response_data {
                let info = answers.first().then(|| facts.info(vec![echoed.clone()]));
                if !answers.send(data, info).await {
                    return;
                }
            }
            let info = answers.first().then(|| facts.info(vec![echoed]));
            answers.fail(definition.error.as_ref(), info).await;
        });
    }
    Ok(response)
}

/// BidiStream, after its first request (which holds the definition and
/// `full_duplex`). Full duplex: each request is answered as it arrives
/// with the next response, echoing the requests since the previous
/// response (the first also the headers and timeout); once the responses
/// run out, the stream stops reading. Half duplex: every request is read,
/// then every response sent, the first echoing all the requests.
pub async fn bidi_replies(
    facts: CallFacts,
    mut requests: Streaming<BidiStreamRequest>,
) -> Result<Response<Replies<BidiStreamResponse>>, Status> {
    let (sender, receiver) = reply_channel(1);
    let Some(first) = requests.message().await? else {
        return respond(receiver, None);
    };
    let definition = first.response_definition.clone().unwrap_or_default();
    let full_duplex = first.full_duplex;
    let response = respond(receiver, first.response_definition.as_ref())?;
    tokio::spawn(async move {
        let mut answers = Answers::new(sender, &definition);
        let mut data = definition.response_data.into_iter();
        let mut echoed = Vec::new();
        let mut next = Some(first);
        loop {
            let request = match next.take() {
                Some(request) => request,
                None => match requests.message().await {
                    Ok(Some(request)) => request,
                    Ok(None) => break,
                    Err(status) => return answers.abort(status).await,
                },
            };
            echoed.push(Any::pack(&request));
            if full_duplex {
                let Some(item) = data.next() else { break };
                let info = if answers.first() {
                    facts.info(take(&mut echoed))
                } else {
                    RequestInfo {
                        requests: take(&mut echoed),
                        ..RequestInfo::default()
                    }
                };
                if !answers.send(item, Some(info)).await {
                    return;
                }
            }
        }
        for item in data {
            let info = answers.first().then(|| facts.info(take(&mut echoed)));
            if !answers.send(item, info).await {
                return;
            }
        }
        let info = answers.first().then(|| facts.info(echoed));
        answers.fail(definition.error.as_ref(), info).await;
    });
    Ok(response)
}

/// A reply that carries a [`ConformancePayload`].
trait FromPayload {
    fn from_payload(payload: ConformancePayload) -> Self;
}

impl FromPayload for ServerStreamResponse {
    fn from_payload(payload: ConformancePayload) -> Self {
        ServerStreamResponse {
            payload: Some(payload),
        }
    }
}

impl FromPayload for BidiStreamResponse {
    fn from_payload(payload: ConformancePayload) -> Self {
        BidiStreamResponse {
            payload: Some(payload),
        }
    }
}

/// The sending side of a streamed answer: counts what it sent, waits the
/// definition's delay before each response.
struct Answers<T> {
    sender: ReplySender<T>,
    delay: Duration,
    sent: usize,
}

impl<T: FromPayload> Answers<T> {
    fn new(sender: ReplySender<T>, definition: &StreamResponseDefinition) -> Answers<T> {
        Answers {
            sender,
            delay: Duration::from_millis(definition.response_delay_ms.into()),
            sent: 0,
        }
    }

    /// True while no response has been sent.
    fn first(&self) -> bool {
        self.sent == 0
    }

    /// Sends one response after the delay; false once the call is over.
    async fn send(&mut self, data: bytes::Bytes, info: Option<RequestInfo>) -> bool {
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        let reply = T::from_payload(ConformancePayload {
            data,
            request_info: info,
        });
        self.sent += 1;
        self.sender.send(reply).await.is_ok()
    }

    /// Ends the call with `error`, if the definition has one (`info` added
    /// to its details); else OK.
    async fn fail(self, error: Option<&Error>, info: Option<RequestInfo>) {
        if let Some(error) = error {
            let _ = self.sender.fail(to_status(error, info)).await;
        }
    }

    /// Ends the call with the status reading a request failed with.
    async fn abort(self, status: Status) {
        let _ = self.sender.fail(status).await;
    }
}
