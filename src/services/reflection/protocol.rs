//! The reflection protocol's messages and service, written once for both
//! versions: `grpc.reflection.v1` and `grpc.reflection.v1alpha` declare the
//! same messages with the same numbers in two packages. Each version module
//! expands [`reflection_protocol!`] with its package and file, and gets the
//! messages, the `ServerReflection` service, and [`Reflector`]s that turn
//! its requests into [`Query`]s and [`Answer`]s into its responses.
//!
//! [`Reflector`]: super::v1::Reflector
//! [`Query`]: super::session::Query
//! [`Answer`]: super::session::Answer

/// Declares one version of the reflection protocol in the calling module.
macro_rules! reflection_protocol {
    ($package:literal, $file:literal) => {
        use std::sync::Arc;

        use futures_util::StreamExt;

        use super::catalog::Catalog;
        use super::session::{Answer, Query, Session};
        use crate::rpc::{ReplyStream, Request, Response, Streaming};
        use crate::status::Status;

        crate::message! {
            package $package;
            file $file;

            /// The message sent by the client when calling ServerReflectionInfo.
            pub struct ServerReflectionRequest {
                /// The host the client addressed.
                host: string = 1,
                /// What the client asks; the server answers by which is set.
                oneof message_request: MessageRequest {
                    /// Find a proto file by the file name.
                    file_by_filename: string = 3,
                    /// Find the proto file that declares the given
                    /// fully-qualified symbol name.
                    file_containing_symbol: string = 4,
                    /// Find the proto file which defines an extension
                    /// extending the given message type with the given
                    /// field number.
                    file_containing_extension: message ExtensionRequest = 5,
                    /// The tag numbers used by all known extensions of the
                    /// given message type.
                    all_extension_numbers_of_type: string = 6,
                    /// List the full names of registered services.
                    list_services: string = 7,
                },
            }

            /// The type name and extension number of a
            /// file_containing_extension request.
            pub struct ExtensionRequest {
                /// Fully-qualified type name.
                containing_type: string = 1,
                /// The extension's field number.
                extension_number: int32 = 2,
            }

            /// The message sent by the server to answer ServerReflectionInfo.
            pub struct ServerReflectionResponse {
                /// The request's host.
                valid_host: string = 1,
                /// The request this answers.
                original_request: message ServerReflectionRequest = 2,
                /// The answer, by the kind of request.
                oneof message_response: MessageResponse {
                    /// Answers file_by_filename, file_containing_symbol and
                    /// file_containing_extension, with transitive
                    /// dependencies.
                    file_descriptor_response: message FileDescriptorResponse = 4,
                    /// Answers all_extension_numbers_of_type.
                    all_extension_numbers_response: message ExtensionNumberResponse = 5,
                    /// Answers list_services.
                    list_services_response: message ListServiceResponse = 6,
                    /// Used when an error occurs.
                    error_response: message ErrorResponse = 7,
                },
            }

            /// Serialized FileDescriptorProto messages.
            pub struct FileDescriptorResponse {
                /// Serialized FileDescriptorProto messages.
                file_descriptor_proto: repeated bytes = 1,
            }

            /// The extension numbers of a type.
            pub struct ExtensionNumberResponse {
                /// Full name of the base type, including the package name.
                base_type_name: string = 1,
                /// The extensions' field numbers.
                extension_number: repeated int32 = 2,
            }

            /// The services a server offers.
            pub struct ListServiceResponse {
                /// One entry per service.
                service: repeated message ServiceResponse = 1,
            }

            /// One service, in a ListServiceResponse.
            pub struct ServiceResponse {
                /// Full name of a registered service, including its package.
                name: string = 1,
            }

            /// The error code and message sent when a request fails.
            pub struct ErrorResponse {
                /// A grpc::StatusCode.
                error_code: int32 = 1,
                /// What went wrong.
                error_message: string = 2,
            }
        }

        crate::service! {
            package $package;
            file $file;

            /// Server reflection: what a server offers and the file
            /// descriptors that describe it (doc/server-reflection.md).
            pub service ServerReflection {
                /// The reflection service is structured as a bidirectional
                /// stream, ensuring all related requests go to a single
                /// server.
                rpc ServerReflectionInfo(stream ServerReflectionRequest) returns (stream ServerReflectionResponse);
            }
        }

        impl ServerReflectionRequest {
            /// What this request asks.
            fn query(&self) -> Query {
                match &self.message_request {
                    Some(MessageRequest::file_by_filename(name)) => Query::FileByFilename(name.clone()),
                    Some(MessageRequest::file_containing_symbol(symbol)) => {
                        Query::FileContainingSymbol(symbol.clone())
                    }
                    Some(MessageRequest::file_containing_extension(extension)) => {
                        Query::FileContainingExtension {
                            containing_type: extension.containing_type.clone(),
                            extension_number: extension.extension_number,
                        }
                    }
                    Some(MessageRequest::all_extension_numbers_of_type(name)) => {
                        Query::AllExtensionNumbersOfType(name.clone())
                    }
                    Some(MessageRequest::list_services(_)) => Query::ListServices,
                    None => Query::Empty,
                }
            }
        }

        impl ServerReflectionResponse {
            /// The response carrying `answer` to `request`.
            fn answering(request: ServerReflectionRequest, answer: Answer) -> ServerReflectionResponse {
                let message_response = match answer {
                    Answer::Files(files) => MessageResponse::file_descriptor_response(
                        FileDescriptorResponse { file_descriptor_proto: files },
                    ),
                    Answer::ExtensionNumbers { base_type_name, numbers } => {
                        MessageResponse::all_extension_numbers_response(ExtensionNumberResponse {
                            base_type_name,
                            extension_number: numbers,
                        })
                    }
                    Answer::Services(names) => MessageResponse::list_services_response(ListServiceResponse {
                        service: names.into_iter().map(|name| ServiceResponse { name }).collect(),
                    }),
                    Answer::Error { code, message } => MessageResponse::error_response(ErrorResponse {
                        error_code: code as i32,
                        error_message: message,
                    }),
                };
                ServerReflectionResponse {
                    valid_host: request.host.clone(),
                    original_request: Some(request),
                    message_response: Some(message_response),
                }
            }
        }

        /// Serves this version of reflection from a server's [`Catalog`]:
        /// one [`Session`] per stream, one response per request, in order.
        #[derive(Debug, Clone)]
        pub(crate) struct Reflector {
            catalog: Arc<Catalog>,
        }

        impl Reflector {
            /// Reflection over `catalog`.
            pub(crate) fn new(catalog: Arc<Catalog>) -> Reflector {
                Reflector { catalog }
            }
        }

        impl ServerReflection for Reflector {
            async fn server_reflection_info(
                &self,
                request: Request<Streaming<ServerReflectionRequest>>,
            ) -> Result<Response<impl ReplyStream<ServerReflectionResponse> + use<>>, Status> {
                let mut session = Session::new(Arc::clone(&self.catalog));
                let replies = request.into_inner().map(move |received| {
                    received.map(|request| {
                        let answer = session.answer(request.query());
                        ServerReflectionResponse::answering(request, answer)
                    })
                });
                Ok(Response::new(replies))
            }
        }
    };
}

pub(super) use reflection_protocol;
