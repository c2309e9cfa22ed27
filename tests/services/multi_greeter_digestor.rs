//! hellostreamingworld.MultiGreeter and digestor.Digestor: their typed
//! clients against `h2grpc::services::demo_server()` over TCP.
#![cfg(feature = "demo")] // h2grpc::services exists with the `demo` feature only.

use crate::support::{within_limit, TestServer};
use futures_util::StreamExt;
use h2grpc::services::digestor::{sha256_hex, DigestMessage, DigestorClient};
use h2grpc::services::multi_greeter::{HelloRequest, MultiGreeterClient};
use h2grpc::services::{demo_server, multi_greeter};
use h2grpc::{Code, Status};

fn request(name: &str, num_greetings: &str) -> HelloRequest {
    HelloRequest {
        name: name.to_owned(),
        num_greetings: num_greetings.to_owned(),
    }
}

async fn greetings(
    client: &MultiGreeterClient,
    name: &str,
    num_greetings: &str,
) -> Result<Vec<String>, Status> {
    let mut replies = client
        .say_hello(request(name, num_greetings))
        .await?
        .into_inner();
    let mut messages = Vec::new();
    while let Some(reply) = replies.next().await {
        messages.push(reply?.message);
    }
    Ok(messages)
}

#[tokio::test]
async fn multi_greeter_sends_num_greetings_numbered_greetings() {
    within_limit(async {
        let server = TestServer::start(demo_server()).await;
        let client = MultiGreeterClient::new(server.channel().await);
        assert_eq!(
            greetings(&client, "you", "3").await.unwrap(),
            [
                "Hello number 1, you!",
                "Hello number 2, you!",
                "Hello number 3, you!"
            ]
        );
        let ten: Vec<String> = (1..=10)
            .map(|n| format!("Hello number {n}, ann!"))
            .collect();
        assert_eq!(greetings(&client, "ann", "").await.unwrap(), ten);
        assert_eq!(
            greetings(&client, "ann", "0").await.unwrap(),
            Vec::<String>::new()
        );
    })
    .await;
}

#[tokio::test]
async fn a_count_that_is_not_a_whole_number_is_invalid_argument() {
    within_limit(async {
        let server = TestServer::start(demo_server()).await;
        let client = MultiGreeterClient::new(server.channel().await);
        for bad in ["abc", "-1", "+3", " 3", "3 ", "3.0", "4294967296", "٣"] {
            let status = greetings(&client, "x", bad).await.unwrap_err();
            assert_eq!(status.code(), Code::InvalidArgument, "{bad:?}: {status}");
            assert!(status.message().contains(&format!("{bad:?}")), "{status}");
        }
        assert_eq!(
            multi_greeter::parse_num_greetings("4294967295").unwrap(),
            u32::MAX
        );
    })
    .await;
}

#[tokio::test]
async fn a_huge_count_streams_lazily_and_a_reader_may_stop_early() {
    within_limit(async {
        let server = TestServer::start(demo_server()).await;
        let client = MultiGreeterClient::new(server.channel().await);
        // Four billion greetings: only a flow-controlled window of them is
        // ever made; dropping the stream cancels the call.
        let mut replies = client
            .say_hello(request("big", &u32::MAX.to_string()))
            .await
            .unwrap()
            .into_inner();
        for n in 1..=5 {
            let reply = replies.next().await.unwrap().unwrap();
            assert_eq!(reply.message, format!("Hello number {n}, big!"));
        }
        drop(replies);
        // The connection and the server go on serving.
        assert_eq!(greetings(&client, "after", "1").await.unwrap().len(), 1);
    })
    .await;
}

#[tokio::test]
async fn digestor_answers_the_lowercase_hex_sha256_of_the_utf8_text() {
    within_limit(async {
        let server = TestServer::start(demo_server()).await;
        let client = DigestorClient::new(server.channel().await);
        for (text, want) in [
            (
                "",
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ),
            (
                "abc",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
            ),
        ] {
            let reply = client
                .get_digestor(DigestMessage {
                    ToDigest: text.to_owned(),
                })
                .await
                .unwrap()
                .into_inner();
            assert_eq!(reply.Digested, want, "{text:?}");
            assert!(reply.WasDigested);
        }
        // Non-ASCII text is hashed as its UTF-8 bytes ("é" is C3 A9).
        assert_eq!(
            sha256_hex("é"),
            "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c"
        );
    })
    .await;
}
