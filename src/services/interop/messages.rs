//! The messages of `grpc.testing.TestService`, as in
//! proto/grpc/testing/{empty,messages}.proto (upstream's field numbers; the
//! ORCA fields are left out there and here).

crate::enumeration! {
    package "grpc.testing";
    file "grpc/testing/messages.proto";

    /// The type of payload that should be returned.
    pub enum PayloadType {
        /// Compressable text format.
        COMPRESSABLE = 0,
    }

    /// The type of route that a client took to reach a server w.r.t. gRPCLB.
    pub enum GrpclbRouteType {
        /// Server didn't detect the route that a client took to reach it.
        GRPCLB_ROUTE_TYPE_UNKNOWN = 0,
        /// A client reached a server via gRPCLB fallback.
        GRPCLB_ROUTE_TYPE_FALLBACK = 1,
        /// A client reached a server as a gRPCLB-given backend.
        GRPCLB_ROUTE_TYPE_BACKEND = 2,
    }
}

crate::message! {
    package "grpc.testing";
    file "grpc/testing/empty.proto";

    /// An empty message.
    #[derive(Copy, Eq)]
    pub struct Empty {}
}

crate::message! {
    package "grpc.testing";
    file "grpc/testing/messages.proto";

    /// A bool the sender may leave unset ("nullable"): `None` when absent.
    #[derive(Copy, Eq)]
    pub struct BoolValue {
        /// The bool value.
        value: bool = 1,
    }

    /// A block of data, to simply increase gRPC message size.
    pub struct Payload {
        /// The type of data in body.
        r#type: enum PayloadType = 1,
        /// Primary contents of payload.
        body: bytes = 2,
    }

    /// A status the client asks the server to end the call with.
    pub struct EchoStatus {
        /// The status code.
        code: int32 = 1,
        /// The status message.
        message: string = 2,
    }

    /// Unary request.
    pub struct SimpleRequest {
        /// Desired payload type in the response from the server.
        response_type: enum PayloadType = 1,
        /// Desired payload size in the response from the server.
        response_size: int32 = 2,
        /// Optional input payload sent along with the request.
        payload: message Payload = 3,
        /// Whether SimpleResponse should include username.
        fill_username: bool = 4,
        /// Whether SimpleResponse should include OAuth scope.
        fill_oauth_scope: bool = 5,
        /// Whether the server should compress the response.
        response_compressed: message BoolValue = 6,
        /// Whether the server should return a given status.
        response_status: message EchoStatus = 7,
        /// Whether the server should expect this request to be compressed.
        expect_compressed: message BoolValue = 8,
        /// Whether SimpleResponse should include server_id.
        fill_server_id: bool = 9,
        /// Whether SimpleResponse should include grpclb_route_type.
        fill_grpclb_route_type: bool = 10,
    }

    /// Unary response, as configured by the request.
    pub struct SimpleResponse {
        /// Payload to increase message size.
        payload: message Payload = 1,
        /// The user the request came from.
        username: string = 2,
        /// OAuth scope.
        oauth_scope: string = 3,
        /// Server ID: the same for every call to one server instance.
        server_id: string = 4,
        /// gRPCLB path.
        grpclb_route_type: enum GrpclbRouteType = 5,
        /// Server hostname.
        hostname: string = 6,
    }

    /// Client-streaming request.
    pub struct StreamingInputCallRequest {
        /// Optional input payload sent along with the request.
        payload: message Payload = 1,
        /// Whether the server should expect this request to be compressed.
        expect_compressed: message BoolValue = 2,
    }

    /// Client-streaming response.
    #[derive(Copy, Eq)]
    pub struct StreamingInputCallResponse {
        /// Aggregated size of payloads received from the client.
        aggregated_payload_size: int32 = 1,
    }

    /// Configuration for a particular response.
    #[derive(Copy, Eq)]
    pub struct ResponseParameters {
        /// Desired payload size in the response.
        size: int32 = 1,
        /// Desired interval before this response, in microseconds.
        interval_us: int32 = 2,
        /// Whether the server should compress this response.
        compressed: message BoolValue = 3,
    }

    /// Server-streaming request.
    pub struct StreamingOutputCallRequest {
        /// Desired payload type in the responses.
        response_type: enum PayloadType = 1,
        /// Configuration for each expected response message.
        response_parameters: repeated message ResponseParameters = 2,
        /// Optional input payload sent along with the request.
        payload: message Payload = 3,
        /// Whether the server should return a given status.
        response_status: message EchoStatus = 7,
    }

    /// Server-streaming response, as configured by the request and parameters.
    pub struct StreamingOutputCallResponse {
        /// Payload to increase response size.
        payload: message Payload = 1,
    }
}
