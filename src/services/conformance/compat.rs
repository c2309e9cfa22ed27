//! The messages the conformance runner exchanges with the programs under
//! test over their stdin and stdout (connectrpc/conformance,
//! `proto/connectrpc/conformance/v1/{server,client}_compat.proto`), with
//! upstream's names and field numbers: what to start and how it started
//! (server mode), which RPC to make and how it went (client mode).
//!
//! Left out: `ClientCompatRequest.raw_request` (a raw HTTP request only the
//! reference client sends) and `WireDetails` (the reference client's
//! feedback); unknown fields are skipped on decode.

use super::messages::{
    Codec, Compression, ConformancePayload, Error, HTTPVersion, Header, Protocol, StreamType,
    TLSCreds,
};
use crate::codec::well_known::Empty;
use crate::rich_status::Any;

crate::message! {
    package "connectrpc.conformance.v1";
    file "connectrpc/conformance/v1/server_compat.proto";

    /// Server mode: what the server under test must offer.
    pub struct ServerCompatRequest {
        /// A protocol it must speak (it may speak others).
        protocol: enum Protocol = 1,
        /// The lowest HTTP version it must speak.
        http_version: enum HTTPVersion = 2,
        /// Whether to serve over TLS.
        use_tls: bool = 4,
        /// The certificate clients authenticate with, under TLS.
        client_tls_cert: bytes = 5,
        /// The largest request message to accept; 0: no limit asked for.
        message_receive_limit: uint32 = 6,
        /// The certificate and key to serve TLS with.
        server_creds: message TLSCreds = 7,
    }

    /// Server mode: where the server under test listens.
    pub struct ServerCompatResponse {
        /// The host to connect to.
        host: string = 1,
        /// The port.
        port: uint32 = 2,
        /// The server's certificate, under TLS.
        pem_cert: bytes = 3,
    }
}

crate::message! {
    package "connectrpc.conformance.v1";
    file "connectrpc/conformance/v1/client_compat.proto";

    /// Client mode: one RPC for the client under test to make.
    pub struct ClientCompatRequest {
        /// The test case's full name, echoed in the response.
        test_name: string = 1,
        /// The HTTP version to use.
        http_version: enum HTTPVersion = 2,
        /// The protocol to use.
        protocol: enum Protocol = 3,
        /// The codec to use.
        codec: enum Codec = 4,
        /// The compression to send with.
        compression: enum Compression = 5,
        /// The server's host.
        host: string = 6,
        /// The server's port.
        port: uint32 = 7,
        /// The server's certificate; empty: no TLS.
        server_tls_cert: bytes = 8,
        /// The client certificate to present, under TLS.
        client_tls_creds: message TLSCreds = 9,
        /// The largest response message to accept; 0: no limit asked for.
        message_receive_limit: uint32 = 10,
        /// The service's full name.
        service: optional string = 11,
        /// The method's name.
        method: optional string = 12,
        /// The call's kind (which tells half- from full-duplex bidi).
        stream_type: enum StreamType = 13,
        /// Connect only: call with GET.
        use_get_http_method: bool = 14,
        /// Request headers to send.
        request_headers: repeated message Header = 15,
        /// The request messages, each in an `Any`.
        request_messages: repeated message Any = 16,
        /// The call's timeout.
        timeout_ms: optional uint32 = 17,
        /// How long to wait before sending each request message (streams).
        request_delay_ms: uint32 = 18,
        /// When to cancel the call, if at all.
        cancel: message Cancel = 19,
    }

    /// When the client cancels the call.
    pub struct Cancel in ClientCompatRequest {
        /// The moment.
        oneof cancel_timing: CancelTiming {
            before_close_send: message Empty = 1,
            after_close_send_ms: uint32 = 2,
            after_num_responses: uint32 = 3,
        },
    }

    /// Client mode: how one RPC went.
    pub struct ClientCompatResponse {
        /// The request's `test_name`.
        test_name: string = 1,
        /// The RPC's outcome, or why it could not be made.
        oneof result: CompatResult {
            response: message ClientResponseResult = 2,
            error: message ClientErrorResult = 3,
        },
    }

    /// What the client saw of an RPC it made.
    pub struct ClientResponseResult {
        /// The response headers.
        response_headers: repeated message Header = 1,
        /// Each response message's payload, in order.
        payloads: repeated message ConformancePayload = 2,
        /// The RPC's error, if it failed.
        error: message Error = 3,
        /// The response trailers.
        response_trailers: repeated message Header = 4,
        /// Request messages never sent (the call ended first).
        num_unsent_requests: int32 = 5,
        /// The HTTP status, when the client can see it.
        http_status_code: optional int32 = 6,
        /// Notes for the runner.
        feedback: repeated string = 7,
    }

    /// Why an RPC could not be made at all.
    pub struct ClientErrorResult {
        /// The reason.
        message: string = 1,
    }
}
