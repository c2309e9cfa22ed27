//! Graceful shutdown: GOAWAY, calls in flight finish, the server returns.

mod harness;

use std::time::Duration;

use h2grpc::rpc::{Client, Request, Response, Server, Service};
use h2grpc::Status;
use harness::greeter::{HelloReply, HelloRequest};
use harness::{within_limit, TestServer};

#[tokio::test]
async fn a_call_in_flight_finishes_after_shutdown_starts() {
    within_limit(async {
        let slow =
            Service::new("test.Slow").unary("Wait", |_request: Request<HelloRequest>| async move {
                tokio::time::sleep(Duration::from_millis(300)).await;
                Ok::<_, Status>(Response::new(HelloReply {
                    message: "finished".into(),
                }))
            });
        let server = TestServer::start(Server::builder().add_service(slow)).await;
        let client = Client::new(server.channel().await);
        let call = tokio::spawn(async move {
            client
                .unary::<_, HelloReply>("/test.Slow/Wait", Request::new(HelloRequest::default()))
                .await
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        let addr = server.addr;
        server.shutdown().await.expect("server ends cleanly");
        let reply = call.await.unwrap().expect("the call in flight completes");
        assert_eq!(reply.into_inner().message, "finished");
        assert!(
            tokio::net::TcpStream::connect(addr).await.is_err(),
            "the listener is closed after shutdown"
        );
    })
    .await
}
