//! Typed client-streaming and bidi methods take their requests as a bare
//! stream or as a stream wrapped in a `Request` (`IntoStreamingRequest`),
//! and what is set on the wrapper (metadata, a timeout) goes with the call.
//!
//! Before `IntoStreamingRequest` these methods took `impl Into<Request<S>>`
//! with `S` a generic of the method, and `Request::new(stream)` did not
//! compile (E0283: `S` could be the stream or `Request<stream>`), so a typed
//! streaming call could carry no metadata and no deadline. That this file
//! compiles is half the test; the calls below, over TCP against the demo
//! server, are the other half.
#![cfg(feature = "demo")] // h2grpc::services exists with the `demo` feature only.

mod support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{stream, StreamExt};
use h2grpc::rpc::Request;
use h2grpc::services::contact::{self, ContactClient};
use h2grpc::services::greeter::{GreeterClient, HelloRequest};
use h2grpc::services::interop::TestServiceClient;
use h2grpc::services::interop::{StreamingInputCallRequest, StreamingOutputCallRequest};
use h2grpc::services::route_guide::{Point, RouteGuideClient, RouteNote};
use h2grpc::transport::Channel;
use h2grpc::{Code, Status};
use support::{within_limit, TestServer};

/// The metadata key the tests set on their wrapped requests.
const TRACE_KEY: &str = "x-trace-id";

/// What the server's interceptor saw of one call.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    /// The method path.
    method: String,
    /// The value of [`TRACE_KEY`], if sent.
    trace: Option<String>,
    /// The `grpc-timeout` the call arrived with, if any.
    timeout: Option<Duration>,
}

/// The demo server with an interceptor recording every call's head, and
/// the record it fills.
async fn start() -> (TestServer, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let server = h2grpc::services::demo_server().intercept(
        move |request: &mut Request<()>| -> Result<(), Status> {
            record.lock().unwrap().push(Seen {
                method: request.context().method().to_owned(),
                trace: request.metadata().get(TRACE_KEY).map(str::to_owned),
                timeout: request.timeout(),
            });
            Ok(())
        },
    );
    (TestServer::start(server).await, seen)
}

fn hello(name: &str) -> HelloRequest {
    HelloRequest {
        name: name.to_owned(),
    }
}

/// Greetings for `names`, as a stream that ends after the last.
fn hellos(names: &[&str]) -> impl futures_core::Stream<Item = HelloRequest> + Send + 'static {
    stream::iter(names.iter().map(|name| hello(name)).collect::<Vec<_>>())
}

#[tokio::test]
async fn bidi_call_with_a_wrapped_stream_sends_its_metadata() {
    within_limit(async {
        let (server, seen) = start().await;
        let client = GreeterClient::new(server.channel().await);
        let mut request = Request::new(hellos(&["Ada", "Grace"]));
        request.metadata_mut().insert(TRACE_KEY, "t-42").unwrap();
        let replies: Vec<String> = client
            .say_hello_bidi_stream(request)
            .await
            .unwrap()
            .into_inner()
            .map(|reply| reply.unwrap().message)
            .collect()
            .await;
        assert_eq!(replies, ["Hello, Ada!", "Hello, Grace!"]);
        assert_eq!(
            *seen.lock().unwrap(),
            [Seen {
                method: "/helloworld.Greeter/SayHelloBidiStream".to_owned(),
                trace: Some("t-42".to_owned()),
                timeout: None,
            }]
        );
    })
    .await;
}

#[tokio::test]
async fn client_streaming_call_with_a_wrapped_stream_obeys_its_timeout() {
    within_limit(async {
        let (server, seen) = start().await;
        let client = RouteGuideClient::new(server.channel().await);
        // One point, then nothing, ever: only the deadline can end the call.
        let points = stream::once(async { Point::new(1, 2) }).chain(stream::pending());
        let mut request = Request::new(points);
        request.set_timeout(Duration::from_millis(200));
        request.metadata_mut().insert(TRACE_KEY, "route").unwrap();
        let status = client.record_route(request).await.unwrap_err();
        assert_eq!(status.code(), Code::DeadlineExceeded, "{status:?}");
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert_eq!(seen[0].method, "/routeguide.RouteGuide/RecordRoute");
        assert_eq!(seen[0].trace.as_deref(), Some("route"));
        // The timeout went over the wire as grpc-timeout, not only into a
        // client-side timer.
        let sent = seen[0].timeout.expect("the server saw no grpc-timeout");
        assert!(
            sent > Duration::ZERO && sent <= Duration::from_millis(200),
            "{sent:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn bare_streams_still_work_with_no_metadata_and_no_timeout() {
    within_limit(async {
        let (server, seen) = start().await;
        let channel = server.channel().await;
        let greeter = GreeterClient::new(channel.clone());
        let replies: Vec<String> = greeter
            .say_hello_bidi_stream(hellos(&["Linus"]))
            .await
            .unwrap()
            .into_inner()
            .map(|reply| reply.unwrap().message)
            .collect()
            .await;
        assert_eq!(replies, ["Hello, Linus!"]);

        let route_guide = RouteGuideClient::new(channel);
        let points = stream::iter([Point::new(1, 2), Point::new(3, 4), Point::new(5, 6)]);
        let summary = route_guide.record_route(points).await.unwrap().into_inner();
        assert_eq!(summary.point_count, 3);

        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 2, "{seen:?}");
        assert!(
            seen.iter()
                .all(|call| call.trace.is_none() && call.timeout.is_none()),
            "{seen:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn bidi_route_chat_takes_a_wrapped_stream_too() {
    within_limit(async {
        let (server, seen) = start().await;
        let client = RouteGuideClient::new(server.channel().await);
        let here = Point::new(7, 8);
        let notes = [("first", here), ("second", here)].map(|(message, location)| RouteNote {
            location: Some(location),
            message: message.to_owned(),
        });
        let mut request = Request::new(stream::iter(notes));
        request.metadata_mut().insert(TRACE_KEY, "chat").unwrap();
        request.set_timeout(Duration::from_secs(10));
        let earlier: Vec<String> = client
            .route_chat(request)
            .await
            .unwrap()
            .into_inner()
            .map(|note| note.unwrap().message)
            .collect()
            .await;
        // The second note at a location brings back the first.
        assert_eq!(earlier, ["first"]);
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert_eq!(seen[0].trace.as_deref(), Some("chat"));
        assert!(seen[0].timeout.is_some(), "{seen:?}");
    })
    .await;
}

/// Never run: it compiles only if every typed client-streaming and bidi
/// method takes both a bare stream and a `Request` around one.
#[allow(dead_code)]
async fn every_typed_streaming_method_takes_both_forms(channel: Channel) {
    let greeter = GreeterClient::new(channel.clone());
    let _ = greeter.say_hello_bidi_stream(stream::empty()).await;
    let _ = greeter
        .say_hello_bidi_stream(Request::new(stream::empty()))
        .await;

    let route_guide = RouteGuideClient::new(channel.clone());
    let _ = route_guide.record_route(stream::empty()).await;
    let _ = route_guide
        .record_route(Request::new(stream::empty()))
        .await;
    let _ = route_guide.route_chat(stream::empty()).await;
    let _ = route_guide.route_chat(Request::new(stream::empty())).await;

    let contact = ContactClient::new(channel.clone());
    let _ = contact
        .send_status(stream::empty::<contact::ClientMsg>())
        .await;
    let _ = contact
        .send_status(Request::new(stream::empty::<contact::ClientMsg>()))
        .await;
    let _ = contact
        .tell_result(stream::empty::<contact::Result>())
        .await;
    let _ = contact
        .tell_result(Request::new(stream::empty::<contact::Result>()))
        .await;

    let interop = TestServiceClient::new(channel);
    let _ = interop
        .streaming_input_call(stream::empty::<StreamingInputCallRequest>())
        .await;
    let _ = interop
        .streaming_input_call(Request::new(stream::empty::<StreamingInputCallRequest>()))
        .await;
    let _ = interop
        .full_duplex_call(stream::empty::<StreamingOutputCallRequest>())
        .await;
    let _ = interop
        .full_duplex_call(Request::new(stream::empty()))
        .await;
    let _ = interop.half_duplex_call(stream::empty()).await;
    let _ = interop
        .half_duplex_call(Request::new(stream::empty()))
        .await;
}
