//! The reflection services as a client sees them: one answer per request,
//! in order, on a stream that survives errors; files sent with their
//! dependencies, each dependency once per stream; v1 and v1alpha alike.
#![cfg(feature = "demo")] // The described services are the demo ones.

use futures_util::StreamExt;

use crate::support::server::TestServer;
use crate::support::within_limit;
use h2grpc::services::reflection::descriptor_proto::FileDescriptorProto;
use h2grpc::services::reflection::v1::{
    ExtensionRequest, MessageRequest, MessageResponse, ServerReflectionClient,
    ServerReflectionRequest, ServerReflectionResponse,
};
use h2grpc::services::reflection::{v1alpha, ReflectionClient, ReflectionError};
use h2grpc::services::{greeter, interop, route_guide};
use h2grpc::{Code, Message, Server};

/// Greeter, RouteGuide and TestService, with reflection.
async fn reflecting_server() -> TestServer {
    TestServer::start(
        Server::builder()
            .add_service(greeter::service())
            .add_service(route_guide::service(route_guide::FeatureDb::tutorial()))
            .add_service(interop::service())
            .reflection(),
    )
    .await
}

fn request(message_request: MessageRequest) -> ServerReflectionRequest {
    ServerReflectionRequest {
        host: String::new(),
        message_request: Some(message_request),
    }
}

fn symbol(name: &str) -> ServerReflectionRequest {
    request(MessageRequest::file_containing_symbol(name.to_owned()))
}

/// Sends `requests` on one v1 stream and collects every answer.
async fn ask_v1(
    server: &TestServer,
    requests: Vec<ServerReflectionRequest>,
) -> Vec<ServerReflectionResponse> {
    let client = ServerReflectionClient::new(server.channel().await);
    let answers = within_limit(client.server_reflection_info(futures_util::stream::iter(requests)))
        .await
        .expect("the call starts")
        .into_inner();
    within_limit(answers.map(|answer| answer.expect("an answer")).collect()).await
}

/// The names of the files in a file_descriptor_response.
fn file_names(answer: &ServerReflectionResponse) -> Vec<String> {
    match &answer.message_response {
        Some(MessageResponse::file_descriptor_response(files)) => files
            .file_descriptor_proto
            .iter()
            .map(|encoded| {
                let file =
                    FileDescriptorProto::decode(encoded.clone()).expect("a FileDescriptorProto");
                file.name.unwrap_or_default()
            })
            .collect(),
        other => panic!("not a file_descriptor_response: {other:?}"),
    }
}

fn error_code(answer: &ServerReflectionResponse) -> Code {
    match &answer.message_response {
        Some(MessageResponse::error_response(error)) => Code::from_i32(error.error_code),
        other => panic!("not an error_response: {other:?}"),
    }
}

#[tokio::test]
async fn list_services_names_every_service_and_the_reflection_services_themselves() {
    let server = reflecting_server().await;
    let client = ReflectionClient::new(server.channel().await);
    let services = within_limit(client.list_services()).await.expect("listed");
    assert_eq!(
        services,
        [
            "grpc.reflection.v1.ServerReflection",
            "grpc.reflection.v1alpha.ServerReflection",
            "grpc.testing.TestService",
            "helloworld.Greeter",
            "routeguide.RouteGuide",
        ]
    );
}

#[tokio::test]
async fn a_server_without_reflection_answers_unimplemented() {
    let server = TestServer::start(Server::builder().add_service(greeter::service())).await;
    let client = ReflectionClient::new(server.channel().await);
    match within_limit(client.list_services()).await {
        Err(ReflectionError::Call(status)) => assert_eq!(status.code(), Code::Unimplemented),
        other => panic!("want UNIMPLEMENTED, got {other:?}"),
    }
}

#[tokio::test]
async fn every_kind_of_symbol_is_found_in_its_declared_file() {
    let server = reflecting_server().await;
    let client = ReflectionClient::new(server.channel().await);
    let cases = [
        ("helloworld.Greeter", "helloworld.proto"),
        ("helloworld.Greeter.SayHello", "helloworld.proto"),
        ("helloworld.HelloRequest", "helloworld.proto"),
        ("routeguide.RouteGuide.RouteChat", "route_guide.proto"),
        ("routeguide.Rectangle", "route_guide.proto"),
        ("grpc.testing.TestService", "grpc/testing/test.proto"),
        ("grpc.testing.Empty", "grpc/testing/empty.proto"),
        ("grpc.testing.SimpleRequest", "grpc/testing/messages.proto"),
        ("grpc.testing.PayloadType", "grpc/testing/messages.proto"),
        ("grpc.testing.COMPRESSABLE", "grpc/testing/messages.proto"),
        (
            "grpc.reflection.v1.ServerReflection",
            "grpc/reflection/v1/reflection.proto",
        ),
        (
            "grpc.reflection.v1alpha.ServerReflectionRequest",
            "grpc/reflection/v1alpha/reflection.proto",
        ),
    ];
    for (symbol, file) in cases {
        let files = within_limit(client.file_containing_symbol(symbol))
            .await
            .unwrap_or_else(|error| panic!("{symbol}: {error}"));
        assert_eq!(files[0].name.as_deref(), Some(file), "{symbol}");
    }
    // Protobuf's type names carry a leading dot; it finds the same file.
    let files = within_limit(client.file_containing_symbol(".helloworld.HelloRequest"))
        .await
        .expect("found with a leading dot");
    assert_eq!(files[0].name.as_deref(), Some("helloworld.proto"));
    let files = within_limit(client.file_by_filename("route_guide.proto"))
        .await
        .expect("found");
    assert_eq!(files[0].package.as_deref(), Some("routeguide"));
}

#[tokio::test]
async fn a_file_comes_with_its_dependencies_each_sent_once_per_stream() {
    let server = reflecting_server().await;
    let answers = ask_v1(
        &server,
        vec![
            symbol("grpc.testing.TestService"),
            request(MessageRequest::file_by_filename(
                "grpc/testing/messages.proto".to_owned(),
            )),
            symbol("grpc.testing.TestService.EmptyCall"),
        ],
    )
    .await;
    assert_eq!(
        file_names(&answers[0]),
        [
            "grpc/testing/test.proto",
            "grpc/testing/empty.proto",
            "grpc/testing/messages.proto"
        ]
    );
    // The file asked for is always sent, even when sent before.
    assert_eq!(file_names(&answers[1]), ["grpc/testing/messages.proto"]);
    assert_eq!(file_names(&answers[2]), ["grpc/testing/test.proto"]);
    // A new stream starts afresh.
    let answers = ask_v1(&server, vec![symbol("grpc.testing.TestService.EmptyCall")]).await;
    assert_eq!(file_names(&answers[0]).len(), 3);
}

#[tokio::test]
async fn errors_are_answered_in_the_stream_which_stays_usable() {
    let server = reflecting_server().await;
    let answers = ask_v1(
        &server,
        vec![
            symbol("no.such.Symbol"),
            request(MessageRequest::file_by_filename(
                "no/such/file.proto".to_owned(),
            )),
            request(MessageRequest::file_containing_extension(
                ExtensionRequest {
                    containing_type: "routeguide.Point".to_owned(),
                    extension_number: 100,
                },
            )),
            request(MessageRequest::all_extension_numbers_of_type(
                "no.such.Type".to_owned(),
            )),
            ServerReflectionRequest::default(),
            symbol("helloworld.Greeter"),
        ],
    )
    .await;
    assert_eq!(answers.len(), 6);
    assert_eq!(error_code(&answers[0]), Code::NotFound);
    assert_eq!(error_code(&answers[1]), Code::NotFound);
    assert_eq!(error_code(&answers[2]), Code::NotFound);
    assert_eq!(error_code(&answers[3]), Code::NotFound);
    assert_eq!(error_code(&answers[4]), Code::InvalidArgument);
    assert_eq!(file_names(&answers[5]), ["helloworld.proto"]);
}

#[tokio::test]
async fn a_known_type_has_no_extension_numbers() {
    let server = reflecting_server().await;
    let answers = ask_v1(
        &server,
        vec![request(MessageRequest::all_extension_numbers_of_type(
            "routeguide.Point".to_owned(),
        ))],
    )
    .await;
    match &answers[0].message_response {
        Some(MessageResponse::all_extension_numbers_response(numbers)) => {
            assert_eq!(numbers.base_type_name, "routeguide.Point");
            assert!(numbers.extension_number.is_empty());
        }
        other => panic!("not an all_extension_numbers_response: {other:?}"),
    }
}

#[tokio::test]
async fn each_answer_echoes_its_request_and_host() {
    let server = reflecting_server().await;
    let asked = ServerReflectionRequest {
        host: "example.com".to_owned(),
        message_request: Some(MessageRequest::list_services(String::new())),
    };
    let answers = ask_v1(&server, vec![asked.clone()]).await;
    assert_eq!(answers[0].valid_host, "example.com");
    assert_eq!(answers[0].original_request.as_ref(), Some(&asked));
}

#[tokio::test]
async fn v1alpha_answers_byte_for_byte_as_v1() {
    let server = reflecting_server().await;
    let requests = vec![
        request(MessageRequest::list_services(String::new())),
        symbol("grpc.testing.TestService"),
        symbol("no.such.Symbol"),
        symbol("grpc.testing.SimpleRequest"),
    ];
    let v1_answers: Vec<_> = ask_v1(&server, requests.clone())
        .await
        .iter()
        .map(Message::encode_to_bytes)
        .collect();
    let v1alpha_requests: Vec<v1alpha::ServerReflectionRequest> = requests
        .iter()
        .map(|request| {
            v1alpha::ServerReflectionRequest::decode(request.encode_to_bytes()).expect("same wire")
        })
        .collect();
    let client = v1alpha::ServerReflectionClient::new(server.channel().await);
    let answers =
        within_limit(client.server_reflection_info(futures_util::stream::iter(v1alpha_requests)))
            .await
            .expect("the call starts")
            .into_inner();
    let v1alpha_answers: Vec<_> = within_limit(
        answers
            .map(|answer| answer.expect("an answer").encode_to_bytes())
            .collect::<Vec<_>>(),
    )
    .await;
    assert_eq!(v1alpha_answers.len(), 4);
    assert_eq!(v1alpha_answers, v1_answers);
}
