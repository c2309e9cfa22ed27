//! Interceptors over real sockets: server interceptors (per server, per
//! service, async, in order, rejecting before the handler, passing metadata
//! and extensions on), client interceptors, and bearer-token auth.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use h2grpc::metadata::MetadataMap;
use h2grpc::rpc::{
    BearerAuth, Client, Request, Response, Server, ServerInterceptor, Service, AUTHORIZATION,
};
use h2grpc::{Code, Status};
use support::greeter::{HelloReply, HelloRequest};
use support::{within_limit, TestServer};

const PATH: &str = "/test.Echo/Echo";

/// What an interceptor leaves for the handler in the request's extensions.
#[derive(Clone, Debug)]
struct User(String);

/// `test.Echo/Echo` answers with every `x-order` value, the `User`
/// extension, and counts its runs.
fn echo(runs: Arc<AtomicUsize>) -> Service {
    Service::new("test.Echo").unary("Echo", move |request: Request<HelloRequest>| {
        runs.fetch_add(1, Ordering::SeqCst);
        let order: Vec<&str> = request.metadata().get_all("x-order").collect();
        let user = request
            .extensions()
            .get::<User>()
            .map_or("-".to_owned(), |user| user.0.clone());
        let message = format!("{} user={user}", order.join(","));
        async move { Ok(Response::new(HelloReply { message })) }
    })
}

/// A synchronous interceptor appending `tag` to `x-order`.
fn tagger(tag: &'static str) -> impl Fn(&mut Request<()>) -> Result<(), Status> + Send + Sync {
    move |request: &mut Request<()>| {
        request
            .metadata_mut()
            .append("x-order", tag)
            .map_err(|err| Status::internal(err.to_string()))
    }
}

/// An async interceptor: waits, then admits only `x-user` callers and
/// records who they are, the method and the peer.
struct SlowUserCheck;

impl ServerInterceptor for SlowUserCheck {
    async fn intercept(&self, request: &mut Request<()>) -> Result<(), Status> {
        tokio::time::sleep(Duration::from_millis(5)).await;
        assert_eq!(request.context().method(), PATH);
        let peer = request.context().peer().expect("peer address");
        assert!(peer.ip().is_loopback(), "{peer}");
        let user = request
            .metadata()
            .get("x-user")
            .ok_or_else(|| Status::permission_denied("who are you?"))?
            .to_owned();
        request.extensions_mut().insert(User(user));
        Ok(())
    }
}

fn hello() -> Request<HelloRequest> {
    Request::new(HelloRequest { name: "x".into() })
}

async fn echo_call(client: &Client, request: Request<HelloRequest>) -> Result<String, Status> {
    client
        .unary::<_, HelloReply>(PATH, request)
        .await
        .map(|reply| reply.into_inner().message)
}

#[tokio::test]
async fn server_then_service_interceptors_run_in_order_and_pass_extensions_on() {
    within_limit(async {
        let runs = Arc::new(AtomicUsize::new(0));
        let service = echo(runs.clone())
            .intercept(tagger("service-1"))
            .intercept(SlowUserCheck)
            .intercept(tagger("service-2"));
        let server = Server::builder()
            .intercept(tagger("server-1"))
            .intercept(tagger("server-2"))
            .add_service(service);
        let server = TestServer::start(server).await;
        let client = Client::new(server.channel().await);

        let mut request = hello();
        request.metadata_mut().insert("x-user", "ada").unwrap();
        assert_eq!(
            echo_call(&client, request).await.unwrap(),
            "server-1,server-2,service-1,service-2 user=ada"
        );
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    })
    .await
}

#[tokio::test]
async fn a_rejecting_interceptor_stops_the_call_before_the_handler() {
    within_limit(async {
        let runs = Arc::new(AtomicUsize::new(0));
        let later = Arc::new(AtomicUsize::new(0));
        let later_runs = later.clone();
        let service =
            echo(runs.clone())
                .intercept(SlowUserCheck)
                .intercept(move |_: &mut Request<()>| {
                    later_runs.fetch_add(1, Ordering::SeqCst);
                    Ok(())
                });
        let server = TestServer::start(Server::builder().add_service(service)).await;
        let client = Client::new(server.channel().await);

        let status = echo_call(&client, hello()).await.unwrap_err();
        assert_eq!(status.code(), Code::PermissionDenied);
        assert_eq!(status.message(), "who are you?");
        assert_eq!(runs.load(Ordering::SeqCst), 0, "handler ran");
        assert_eq!(later.load(Ordering::SeqCst), 0, "later interceptor ran");
    })
    .await
}

#[tokio::test]
async fn service_interceptors_apply_to_their_own_service_only() {
    within_limit(async {
        let runs = Arc::new(AtomicUsize::new(0));
        let guarded = Service::new("test.Guarded")
            .unary("Echo", |_: Request<HelloRequest>| async {
                Ok(Response::new(HelloReply::default()))
            })
            .intercept(|_: &mut Request<()>| Err(Status::unavailable("closed")));
        let server = Server::builder()
            .add_service(echo(runs.clone()))
            .add_service(guarded);
        let server = TestServer::start(server).await;
        let client = Client::new(server.channel().await);
        assert_eq!(echo_call(&client, hello()).await.unwrap(), " user=-");
        let status = client
            .unary::<_, HelloReply>("/test.Guarded/Echo", hello())
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::Unavailable);
    })
    .await
}

#[tokio::test]
async fn client_interceptors_add_metadata_to_every_call_or_refuse_it() {
    within_limit(async {
        let runs = Arc::new(AtomicUsize::new(0));
        let server = TestServer::start(Server::builder().add_service(echo(runs.clone()))).await;
        let client = Client::new(server.channel().await)
            .with_interceptor(|_: &str, metadata: &mut MetadataMap| {
                metadata
                    .append("x-order", "client-1")
                    .map_err(|err| Status::internal(err.to_string()))
            })
            .with_interceptor(|method: &str, metadata: &mut MetadataMap| {
                assert_eq!(method, PATH);
                metadata
                    .append("x-order", "client-2")
                    .map_err(|err| Status::internal(err.to_string()))
            });
        for _ in 0..2 {
            assert_eq!(
                echo_call(&client, hello()).await.unwrap(),
                "client-1,client-2 user=-"
            );
        }

        let refusing = Client::new(server.channel().await)
            .with_interceptor(|_: &str, _: &mut MetadataMap| Err(Status::aborted("not today")));
        let status = echo_call(&refusing, hello()).await.unwrap_err();
        assert_eq!(status.code(), Code::Aborted);
        assert_eq!(
            runs.load(Ordering::SeqCst),
            2,
            "a refused call reached the server"
        );
    })
    .await
}

#[tokio::test]
async fn bearer_auth_admits_the_right_token_only() {
    within_limit(async {
        let runs = Arc::new(AtomicUsize::new(0));
        let auth = BearerAuth::new("s3cret-t0ken").unwrap();
        let server = Server::builder()
            .intercept(auth.clone())
            .add_service(echo(runs.clone()));
        let server = TestServer::start(server).await;
        let channel = server.channel().await;

        let anonymous = echo_call(&Client::new(channel.clone()), hello())
            .await
            .unwrap_err();
        assert_eq!(anonymous.code(), Code::Unauthenticated);
        assert!(anonymous.message().contains("missing"), "{anonymous:?}");

        let wrong =
            Client::new(channel.clone()).with_interceptor(BearerAuth::new("guess").unwrap());
        let status = echo_call(&wrong, hello()).await.unwrap_err();
        assert_eq!(status.code(), Code::Unauthenticated);
        assert_eq!(status.message(), "invalid bearer token");

        let mut basic = hello();
        basic
            .metadata_mut()
            .insert(AUTHORIZATION, "Basic czNjcmV0")
            .unwrap();
        let status = echo_call(&Client::new(channel.clone()), basic)
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::Unauthenticated);
        assert!(status.message().contains("Bearer"), "{status:?}");
        assert_eq!(runs.load(Ordering::SeqCst), 0);

        let right = Client::new(channel).with_interceptor(auth);
        assert_eq!(echo_call(&right, hello()).await.unwrap(), " user=-");
        assert_eq!(runs.load(Ordering::SeqCst), 1);
    })
    .await
}

#[test]
fn bearer_tokens_must_be_valid_metadata_values() {
    assert!(BearerAuth::new("line\nbreak").is_err());
    assert!(BearerAuth::new("fine.token-123").is_ok());
}
