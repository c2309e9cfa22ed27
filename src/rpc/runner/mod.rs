//! The one engine behind the four call types. Every call is "messages in,
//! messages out"; the call types differ only in how many of each, which
//! [`FromRequestBody`] and [`IntoResponseBody`] decide, so the cardinality
//! rules, deadlines, cancellation, panics and the final status are handled
//! once, here. Split by job:
//! - `mod.rs`: [`run`], one call from its head to its trailers;
//! - `input`: the request body as the handler's input ([`OneRequest`] or a
//!   stream);
//! - `output`: the handler's output as the response body ([`OneReply`] or
//!   [`StreamedReplies`]);
//! - `settings`: [`CallSettings`] and the choice of the response encoding;
//! - `ending`: the status a call's outcome becomes.

mod ending;
mod input;
mod output;
mod settings;

pub use input::{FromRequestBody, OneRequest};
pub use output::{IntoResponseBody, OneReply, StreamedReplies};
pub use settings::CallSettings;

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::time::Instant;

use futures_util::FutureExt;
use http::HeaderValue;

use super::context::CallContext;
use super::guard::guarded;
use super::interceptor::InterceptorChain;
use super::request::{Request, Response};
use crate::codec::message_codec::MessageEncoder;
use crate::status::Status;
use crate::transport::{RequestHead, ServerCall};
use ending::{final_status, Ended};
use settings::handler_encoding;

/// Runs one call: runs the interceptors, reads the input, runs the handler
/// under the call's deadline, writes the output, and ends the call with its
/// status. A panicking handler ends its own call with UNKNOWN and nothing
/// else.
///
/// The call's future is kept small, because every byte of it is copied into
/// the box a spawned call lives in, and a box past glibc's thread-cache
/// limit (1,032 bytes) never gets the allocator's fast path (BENCHMARKS.md,
/// "What the code's shape owes to measurement"). So the head is taken
/// apart here, before the future exists; the steps are awaited one after
/// another in this one future, each pinned where it is created and
/// [`guarded`] (deadline, panic, reset), rather than nested inside a
/// timeout and a panic catcher that would hold second copies of what moves
/// into them; and the request body is lent to the step that reads it.
pub fn run<In, Out, F, Fut>(
    call: ServerCall,
    settings: &CallSettings,
    interceptors: Option<Arc<InterceptorChain>>,
    handler: Arc<F>,
) -> impl Future<Output = ()> + use<In, Out, F, Fut>
where
    In: FromRequestBody,
    Out: IntoResponseBody,
    F: Fn(Request<In>) -> Fut,
    Fut: Future<Output = Result<Response<Out>, Status>> + Send,
{
    // The clock is read only when the debug line below will be written:
    // reading it is a visible part of a small call's cost.
    let started = tracing::enabled!(tracing::Level::DEBUG).then(Instant::now);
    let default_encoding = settings.response_encoding(&call.head);
    let limits = settings.limits;
    let ServerCall {
        head,
        body,
        mut sink,
    } = call;
    let RequestHead {
        uri,
        headers,
        deadline,
        encoding: request_encoding,
        peer,
        accept_encoding,
    } = head;
    // The call's one timer, at the deadline fixed when its head arrived;
    // only when the client set one.
    let mut timer = deadline.map(|deadline| Box::pin(deadline.sleep()));
    let context = CallContext::server(uri, peer, deadline);
    let mut request = Request::from_call((), headers, request_encoding, context.clone());
    let mut body = Some(body);

    async move {
        // One step of the call, pinned where it is created and guarded; a
        // step's error or interruption ends the call.
        macro_rules! step {
            ($call:lifetime, $step:expr, $reset_watch:expr) => {
                match guarded(pin!($step), &mut timer, $reset_watch).await {
                    Ok(Ok(value)) => value,
                    Ok(Err(status)) => break $call Err(Ended::Failed(status)),
                    Err(interruption) => break $call Err(Ended::Interrupted(interruption)),
                }
            };
        }
        let outcome: Result<(), Ended> = 'call: {
            // Interceptors see the head only: a rejected call's body is never read.
            if let Some(interceptors) = &interceptors {
                step!('call, interceptors.run(&mut request), None);
            }
            let input = step!('call, In::from_body(&mut body), None);
            let compressed = input.message_compressed();
            // The client may cancel while the handler works: stop waiting
            // then, dropping the handler's future.
            let mut response = step!(
                'call,
                handler(request.map(|()| input).with_message_compressed(compressed)),
                Some(&mut sink)
            );
            // The handler's trailing metadata from its response goes out
            // with the final status, ahead of any set through the context.
            let trailers = response.take_trailers();
            if !trailers.is_empty() {
                let mut all = trailers;
                all.extend(&context.take_trailers());
                context.set_trailing_metadata(all);
            }
            let encoding = handler_encoding(
                response.compression(),
                default_encoding,
                accept_encoding.as_ref().map(HeaderValue::as_bytes),
            );
            let headers_first = response.headers_first();
            let (initial_metadata, output) = response.into_parts();
            if !initial_metadata.is_empty() {
                sink.initial_metadata_mut()
                    .extend(initial_metadata.into_headers());
            }
            sink.set_encoding(encoding);
            // The head goes out with the first message (or, when none
            // comes, the call is answered Trailers-Only), unless the
            // handler asked for it now.
            if headers_first {
                if let Err(status) = sink.send_headers() {
                    break 'call Err(Ended::Failed(status));
                }
            }
            let mut encoder = MessageEncoder::new(encoding, limits.max_send);
            step!('call, output.write(&mut sink, &mut encoder), None);
            Ok(())
        };
        // Tell whatever the handler spawned that nobody is listening. A call
        // that failed may have seen the client's reset through its request
        // stream rather than through the sink: look at the sink once more then
        // (never on the success path, which stays free of the extra lock).
        let failed = outcome.is_err();
        if sink.was_reset() || (failed && sink.reset().now_or_never().is_some()) {
            context.cancel();
        }
        let mut status = final_status(outcome, &context);
        let trailers = context.take_trailers();
        if !trailers.is_empty() {
            status.metadata_mut().extend(&trailers);
        }
        if let Some(started) = started {
            tracing::debug!(
                path = context.method(),
                code = ?status.code(),
                elapsed_us = started.elapsed().as_micros() as u64,
                "call finished"
            );
        }
        sink.finish(&status);
    }
}
