//! One reflection stream's state and answers, independent of the protocol
//! version: a [`Query`] in, an [`Answer`] out, remembering which files this
//! stream has already been sent so that dependencies go out once.
//!
//! server-reflection.md, on `file_descriptor_response`: "The reflection
//! service is allowed to avoid sending FileDescriptorProtos that were
//! previously sent in response to earlier requests in the stream." As in
//! grpc-go, the file asked for is always sent; only its transitive
//! dependencies already sent on the stream are left out.

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;

use bytes::Bytes;

use super::catalog::Catalog;
use crate::status::Code;

/// What a client asks, whichever version's message carried it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Query {
    /// `file_by_filename`.
    FileByFilename(String),
    /// `file_containing_symbol`: a fully-qualified name.
    FileContainingSymbol(String),
    /// `file_containing_extension`.
    FileContainingExtension {
        /// The extended message's full name.
        containing_type: String,
        /// The extension's field number.
        extension_number: i32,
    },
    /// `all_extension_numbers_of_type`.
    AllExtensionNumbersOfType(String),
    /// `list_services`.
    ListServices,
    /// A request that sets none of the `message_request` fields.
    Empty,
}

/// What the server answers to one [`Query`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    /// Serialized `FileDescriptorProto`s: the file asked for, then those of
    /// its transitive dependencies this stream has not been sent yet.
    Files(Vec<Bytes>),
    /// The extension numbers of a known message type (always none: proto3
    /// declarations have no extensions).
    ExtensionNumbers {
        /// The type asked about.
        base_type_name: String,
        /// Its extensions' field numbers.
        numbers: Vec<i32>,
    },
    /// The full names of every service the server offers.
    Services(Vec<String>),
    /// An `error_response`: the stream stays open for further requests.
    Error {
        /// A gRPC status code.
        code: Code,
        /// What went wrong, for a person.
        message: String,
    },
}

impl Answer {
    fn not_found(message: String) -> Answer {
        Answer::Error {
            code: Code::NotFound,
            message,
        }
    }
}

/// One `ServerReflectionInfo` stream.
#[derive(Debug)]
pub(crate) struct Session {
    catalog: Arc<Catalog>,
    sent: HashSet<String>,
}

impl Session {
    /// A new stream over `catalog`, nothing sent yet.
    pub(crate) fn new(catalog: Arc<Catalog>) -> Session {
        Session {
            catalog,
            sent: HashSet::new(),
        }
    }

    /// The answer to `query`, in the order queries arrive.
    pub(crate) fn answer(&mut self, query: Query) -> Answer {
        match query {
            Query::FileByFilename(name) => match self.catalog.pool().file_by_name(&name) {
                Some(file) => Answer::Files(self.with_dependencies(file.name().to_owned())),
                None => Answer::not_found(format!("file not found: {name}")),
            },
            Query::FileContainingSymbol(symbol) => {
                // A fully-qualified name may come with protobuf's leading dot.
                let name = symbol.strip_prefix('.').unwrap_or(&symbol);
                match self.catalog.pool().file_containing_symbol(name) {
                    Some(file) => Answer::Files(self.with_dependencies(file.name().to_owned())),
                    None => Answer::not_found(format!("symbol not found: {symbol}")),
                }
            }
            Query::FileContainingExtension {
                containing_type,
                extension_number,
            } => Answer::not_found(format!(
                "extension not found: {containing_type} has no extension {extension_number}"
            )),
            Query::AllExtensionNumbersOfType(name) => {
                if self
                    .catalog
                    .pool()
                    .contains_message(name.strip_prefix('.').unwrap_or(&name))
                {
                    Answer::ExtensionNumbers {
                        base_type_name: name,
                        numbers: Vec::new(),
                    }
                } else {
                    Answer::not_found(format!("type not found: {name}"))
                }
            }
            Query::ListServices => Answer::Services(self.catalog.service_names().to_vec()),
            Query::Empty => Answer::Error {
                code: Code::InvalidArgument,
                message: "the request sets none of message_request's fields".to_owned(),
            },
        }
    }

    /// `name`'s serialized descriptor, then (breadth first) those of its
    /// transitive dependencies not yet sent on this stream; marks all sent.
    fn with_dependencies(&mut self, name: String) -> Vec<Bytes> {
        let pool = self.catalog.pool();
        let mut files = Vec::new();
        let mut seen = HashSet::new();
        let mut queue = VecDeque::from([name]);
        while let Some(name) = queue.pop_front() {
            if !seen.insert(name.clone()) {
                continue;
            }
            let Some(file) = pool.file_by_name(&name) else {
                continue;
            };
            let first = files.is_empty();
            if first || !self.sent.contains(&name) {
                files.push(file.encoded().clone());
                self.sent.insert(name);
            }
            queue.extend(file.dependencies().iter().cloned());
        }
        files
    }
}
