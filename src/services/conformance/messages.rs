//! The messages and enums of `connectrpc.conformance.v1` that the
//! conformance service and its two programs use, re-declared from the
//! suite's `.proto` files (connectrpc/conformance,
//! `proto/connectrpc/conformance/v1/{config,service}.proto`) with upstream's
//! names and field numbers.
//!
//! Every message a request carries is declared whole, down to the raw HTTP
//! descriptions the reference server understands: the server echoes each
//! request back (packed in an `Any`) and the runner compares it field by
//! field with what it sent, so a field we left out would be dropped on the
//! way back.

use crate::rich_status::Any;

crate::enumeration! {
    package "connectrpc.conformance.v1";
    file "connectrpc/conformance/v1/config.proto";

    /// An HTTP version.
    #[allow(clippy::upper_case_acronyms)]
    pub enum HTTPVersion {
        HTTP_VERSION_UNSPECIFIED = 0,
        HTTP_VERSION_1 = 1,
        HTTP_VERSION_2 = 2,
        HTTP_VERSION_3 = 3,
    }

    /// An RPC protocol.
    pub enum Protocol {
        PROTOCOL_UNSPECIFIED = 0,
        PROTOCOL_CONNECT = 1,
        PROTOCOL_GRPC = 2,
        PROTOCOL_GRPC_WEB = 3,
    }

    /// A message codec ("sub-format").
    pub enum Codec {
        CODEC_UNSPECIFIED = 0,
        CODEC_PROTO = 1,
        CODEC_JSON = 2,
        CODEC_TEXT = 3,
    }

    /// A compression encoding.
    pub enum Compression {
        COMPRESSION_UNSPECIFIED = 0,
        COMPRESSION_IDENTITY = 1,
        COMPRESSION_GZIP = 2,
        COMPRESSION_BR = 3,
        COMPRESSION_ZSTD = 4,
        COMPRESSION_DEFLATE = 5,
        COMPRESSION_SNAPPY = 6,
    }

    /// The kind of a call.
    pub enum StreamType {
        STREAM_TYPE_UNSPECIFIED = 0,
        STREAM_TYPE_UNARY = 1,
        STREAM_TYPE_CLIENT_STREAM = 2,
        STREAM_TYPE_SERVER_STREAM = 3,
        STREAM_TYPE_HALF_DUPLEX_BIDI_STREAM = 4,
        STREAM_TYPE_FULL_DUPLEX_BIDI_STREAM = 5,
    }

    /// A status code: the gRPC codes' numbers, with 0 unused (OK is no error).
    pub enum Code {
        CODE_UNSPECIFIED = 0,
        CODE_CANCELED = 1,
        CODE_UNKNOWN = 2,
        CODE_INVALID_ARGUMENT = 3,
        CODE_DEADLINE_EXCEEDED = 4,
        CODE_NOT_FOUND = 5,
        CODE_ALREADY_EXISTS = 6,
        CODE_PERMISSION_DENIED = 7,
        CODE_RESOURCE_EXHAUSTED = 8,
        CODE_FAILED_PRECONDITION = 9,
        CODE_ABORTED = 10,
        CODE_OUT_OF_RANGE = 11,
        CODE_UNIMPLEMENTED = 12,
        CODE_INTERNAL = 13,
        CODE_UNAVAILABLE = 14,
        CODE_DATA_LOSS = 15,
        CODE_UNAUTHENTICATED = 16,
    }
}

crate::message! {
    package "connectrpc.conformance.v1";
    file "connectrpc/conformance/v1/config.proto";

    /// A TLS certificate and its private key, PEM-encoded.
    #[allow(clippy::upper_case_acronyms)]
    pub struct TLSCreds {
        /// The certificate.
        cert: bytes = 1,
        /// The private key.
        key: bytes = 2,
    }
}

crate::message! {
    package "connectrpc.conformance.v1";
    file "connectrpc/conformance/v1/service.proto";

    /// How the server answers a unary or client-streaming call.
    pub struct UnaryResponseDefinition {
        /// Response headers to send.
        response_headers: repeated message Header = 1,
        /// The answer: data for the payload, or an error.
        oneof response: UnaryAnswer {
            response_data: bytes = 2,
            error: message Error = 3,
        },
        /// Response trailers to send.
        response_trailers: repeated message Header = 4,
        /// A raw HTTP answer (the reference server's; not ours).
        raw_response: message RawHTTPResponse = 5,
        /// How long to wait before answering.
        response_delay_ms: uint32 = 6,
    }

    /// How the server answers a server-streaming or bidi call.
    pub struct StreamResponseDefinition {
        /// Response headers to send.
        response_headers: repeated message Header = 1,
        /// One response per item, each carrying it as its payload's data.
        response_data: repeated bytes = 2,
        /// How long to wait before each response.
        response_delay_ms: uint32 = 3,
        /// The error to end the call with, after the responses.
        error: message Error = 4,
        /// Response trailers to send.
        response_trailers: repeated message Header = 5,
        /// A raw HTTP answer (the reference server's; not ours).
        raw_response: message RawHTTPResponse = 6,
    }

    /// Unary's request.
    pub struct UnaryRequest {
        /// How to answer; unset: an empty payload with the request info.
        response_definition: message UnaryResponseDefinition = 1,
        /// Data to make the request bigger.
        request_data: bytes = 2,
    }

    /// Unary's response.
    pub struct UnaryResponse {
        /// The answer.
        payload: message ConformancePayload = 1,
    }

    /// IdempotentUnary's request.
    pub struct IdempotentUnaryRequest {
        /// How to answer.
        response_definition: message UnaryResponseDefinition = 1,
        /// Data to make the request bigger.
        request_data: bytes = 2,
    }

    /// IdempotentUnary's response.
    pub struct IdempotentUnaryResponse {
        /// The answer.
        payload: message ConformancePayload = 1,
    }

    /// ServerStream's request.
    pub struct ServerStreamRequest {
        /// How to answer.
        response_definition: message StreamResponseDefinition = 1,
        /// Data to make the request bigger.
        request_data: bytes = 2,
    }

    /// One of ServerStream's responses.
    pub struct ServerStreamResponse {
        /// The answer.
        payload: message ConformancePayload = 1,
    }

    /// One of ClientStream's requests (the first one's definition counts).
    pub struct ClientStreamRequest {
        /// How to answer.
        response_definition: message UnaryResponseDefinition = 1,
        /// Data to make the request bigger.
        request_data: bytes = 2,
    }

    /// ClientStream's response.
    pub struct ClientStreamResponse {
        /// The answer.
        payload: message ConformancePayload = 1,
    }

    /// One of BidiStream's requests (the first one's definition and
    /// `full_duplex` count).
    pub struct BidiStreamRequest {
        /// How to answer.
        response_definition: message StreamResponseDefinition = 1,
        /// Full duplex: one response per request, as they come; half
        /// duplex: every response after the last request.
        full_duplex: bool = 2,
        /// Data to make the request bigger.
        request_data: bytes = 3,
    }

    /// One of BidiStream's responses.
    pub struct BidiStreamResponse {
        /// The answer.
        payload: message ConformancePayload = 1,
    }

    /// Unimplemented's request.
    pub struct UnimplementedRequest {}

    /// Unimplemented's response.
    pub struct UnimplementedResponse {}

    /// What a response carries: its data and what the server saw.
    pub struct ConformancePayload {
        /// The data the response definition asked for.
        data: bytes = 1,
        /// What the server saw of the request(s).
        request_info: message RequestInfo = 2,
    }

    /// What the server saw of a call.
    pub struct RequestInfo in ConformancePayload {
        /// The request headers.
        request_headers: repeated message Header = 1,
        /// The call's timeout as the server saw it, if it had one.
        timeout_ms: optional int64 = 2,
        /// The requests, in order.
        requests: repeated message Any = 3,
        /// Connect GET's query parameters.
        connect_get_info: message ConnectGetInfo = 4,
    }

    /// Connect GET's query parameters.
    pub struct ConnectGetInfo in ConformancePayload {
        /// The parameters.
        query_params: repeated message Header = 1,
    }

    /// An RPC error.
    pub struct Error {
        /// The code.
        code: enum Code = 1,
        /// The message, if any.
        message: optional string = 2,
        /// Error details.
        details: repeated message Any = 3,
    }

    /// A header or trailer and its values.
    pub struct Header {
        /// The name.
        name: string = 1,
        /// Its values, in order.
        value: repeated string = 2,
    }

    /// A raw HTTP request (the reference client's).
    #[allow(clippy::upper_case_acronyms)]
    pub struct RawHTTPRequest {
        /// The method.
        verb: string = 1,
        /// The URI.
        uri: string = 2,
        /// The headers.
        headers: repeated message Header = 3,
        /// Query parameters as they are.
        raw_query_params: repeated message Header = 4,
        /// Query parameters holding encoded messages.
        encoded_query_params: repeated message EncodedQueryParam = 5,
        /// The body.
        oneof body: RawRequestBody {
            unary: message MessageContents = 6,
            stream: message StreamContents = 7,
        },
    }

    /// A query parameter holding an encoded message.
    pub struct EncodedQueryParam in RawHTTPRequest {
        /// The name.
        name: string = 1,
        /// The value.
        value: message MessageContents = 2,
        /// Whether the value is base64-encoded.
        base64_encode: bool = 3,
    }

    /// A message's bytes, or text, or a message to encode.
    pub struct MessageContents {
        /// The contents.
        oneof data: Contents {
            binary: bytes = 1,
            text: string = 2,
            binary_message: message Any = 3,
        },
        /// How to compress them.
        compression: enum Compression = 4,
    }

    /// A stream of length-prefixed items.
    pub struct StreamContents {
        /// The items.
        items: repeated message StreamItem = 1,
    }

    /// One length-prefixed item.
    pub struct StreamItem in StreamContents {
        /// The flags byte.
        flags: uint32 = 1,
        /// The length to claim; absent: the payload's.
        length: optional uint32 = 2,
        /// The payload.
        payload: message MessageContents = 3,
    }

    /// A raw HTTP response (the reference server's).
    #[allow(clippy::upper_case_acronyms)]
    pub struct RawHTTPResponse {
        /// The HTTP status.
        status_code: uint32 = 1,
        /// The headers.
        headers: repeated message Header = 2,
        /// The body.
        oneof body: RawResponseBody {
            unary: message MessageContents = 3,
            stream: message StreamContents = 4,
        },
        /// The trailers.
        trailers: repeated message Header = 5,
    }
}
