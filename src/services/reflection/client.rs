//! [`ReflectionClient`]: asks a server's v1 reflection service what it
//! offers, one question per stream; enough for tests and tools that need
//! a server's services or file descriptors.

use std::fmt;

use bytes::Bytes;

use super::descriptor_proto::FileDescriptorProto;
use super::v1::{
    MessageRequest, MessageResponse, ServerReflectionClient, ServerReflectionRequest,
    ServerReflectionResponse,
};
use crate::codec::{DecodeError, Message};
use crate::status::{Code, Status};
use crate::transport::Channel;

/// Why a reflection question got no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ReflectionError {
    /// The call failed (e.g. UNIMPLEMENTED: the server has no v1 reflection).
    Call(Status),
    /// The server answered with an `error_response` (e.g. NOT_FOUND).
    Refused {
        /// The status code it gave.
        code: Code,
        /// Its message.
        message: String,
    },
    /// The stream ended without an answer, or the answer was of another
    /// kind than the question.
    UnexpectedResponse,
    /// A `FileDescriptorProto` in the answer did not decode.
    Decode(DecodeError),
}

impl fmt::Display for ReflectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReflectionError::Call(status) => write!(f, "reflection call failed: {status}"),
            ReflectionError::Refused { code, message } => {
                write!(f, "reflection answered {code:?}: {message}")
            }
            ReflectionError::UnexpectedResponse => {
                f.write_str("reflection answered something other than what was asked")
            }
            ReflectionError::Decode(error) => {
                write!(f, "a file descriptor in the answer did not decode: {error}")
            }
        }
    }
}

impl std::error::Error for ReflectionError {}

/// A client of `grpc.reflection.v1.ServerReflection`. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ReflectionClient {
    client: ServerReflectionClient,
}

impl ReflectionClient {
    /// A reflection client over `channel`.
    pub fn new(channel: Channel) -> ReflectionClient {
        ReflectionClient {
            client: ServerReflectionClient::new(channel),
        }
    }

    /// The full names of every service the server offers.
    pub async fn list_services(&self) -> Result<Vec<String>, ReflectionError> {
        match self
            .ask(MessageRequest::list_services(String::new()))
            .await?
        {
            MessageResponse::list_services_response(list) => Ok(list
                .service
                .into_iter()
                .map(|service| service.name)
                .collect()),
            _ => Err(ReflectionError::UnexpectedResponse),
        }
    }

    /// The file that declares `symbol` (a fully-qualified service, method,
    /// message or enum name), followed by its transitive dependencies.
    pub async fn file_containing_symbol(
        &self,
        symbol: &str,
    ) -> Result<Vec<FileDescriptorProto>, ReflectionError> {
        let question = MessageRequest::file_containing_symbol(symbol.to_owned());
        files(self.ask(question).await?)
    }

    /// The file called `name`, followed by its transitive dependencies.
    pub async fn file_by_filename(
        &self,
        name: &str,
    ) -> Result<Vec<FileDescriptorProto>, ReflectionError> {
        let question = MessageRequest::file_by_filename(name.to_owned());
        files(self.ask(question).await?)
    }

    /// Sends `question` on a stream of its own and reads the one answer.
    async fn ask(&self, question: MessageRequest) -> Result<MessageResponse, ReflectionError> {
        let request = ServerReflectionRequest {
            host: String::new(),
            message_request: Some(question),
        };
        let requests = futures_util::stream::iter([request]);
        let mut answers = self
            .client
            .server_reflection_info(requests)
            .await
            .map_err(ReflectionError::Call)?
            .into_inner();
        let answer: ServerReflectionResponse = answers
            .message()
            .await
            .map_err(ReflectionError::Call)?
            .ok_or(ReflectionError::UnexpectedResponse)?;
        match answer.message_response {
            Some(MessageResponse::error_response(error)) => Err(ReflectionError::Refused {
                code: Code::from_i32(error.error_code),
                message: error.error_message,
            }),
            Some(response) => Ok(response),
            None => Err(ReflectionError::UnexpectedResponse),
        }
    }
}

/// The decoded file descriptors of a `file_descriptor_response`.
fn files(response: MessageResponse) -> Result<Vec<FileDescriptorProto>, ReflectionError> {
    let MessageResponse::file_descriptor_response(files) = response else {
        return Err(ReflectionError::UnexpectedResponse);
    };
    files
        .file_descriptor_proto
        .into_iter()
        .map(|encoded: Bytes| FileDescriptorProto::decode(encoded).map_err(ReflectionError::Decode))
        .collect()
}
