//! [`RequestMetadata`]: a request's metadata, filtered from the received
//! headers only when first asked for.
//!
//! Turning a request head into user metadata (dropping `content-type`,
//! `te`, `grpc-*`, invalid values) is a measurable part of a small call,
//! and most handlers never look at the metadata: on the server the head is
//! kept as received and filtered on first use.

use std::sync::OnceLock;

use http::HeaderMap;

use crate::metadata::MetadataMap;

/// A request's metadata: built by the application on the client, filtered
/// from the received headers on first use on the server.
#[derive(Debug, Clone, Default)]
pub(crate) struct RequestMetadata {
    /// The user metadata, once known; authoritative when set. Boxed: a
    /// request moves several times on its way to the handler, and most
    /// handlers never ask for it.
    filtered: OnceLock<Box<MetadataMap>>,
    /// The request head as received, until filtered.
    received: Option<HeaderMap>,
}

impl RequestMetadata {
    /// The head of a received request, filtered when first asked for.
    pub(crate) fn received(headers: HeaderMap) -> RequestMetadata {
        RequestMetadata {
            filtered: OnceLock::new(),
            received: Some(headers),
        }
    }

    /// The user metadata (filtered by copy from a shared borrow).
    pub(crate) fn get(&self) -> &MetadataMap {
        self.filtered.get_or_init(|| {
            self.received
                .as_ref()
                .map_or_else(MetadataMap::new, MetadataMap::from_headers_ref)
                .into()
        })
    }

    /// The user metadata, mutably (filtered in place).
    pub(crate) fn get_mut(&mut self) -> &mut MetadataMap {
        if self.filtered.get().is_none() {
            let headers = self.received.take().unwrap_or_default();
            self.filtered = OnceLock::from(Box::new(MetadataMap::from_headers(headers)));
        }
        self.received = None;
        self.filtered
            .get_mut()
            .expect("the metadata was filtered just above")
    }

    /// The user metadata, by value.
    pub(crate) fn into_map(self) -> MetadataMap {
        match self.filtered.into_inner() {
            Some(metadata) => *metadata,
            None => MetadataMap::from_headers(self.received.unwrap_or_default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("content-type", "application/grpc".parse().unwrap());
        headers.insert("grpc-timeout", "1S".parse().unwrap());
        headers.insert("x-user", "alice".parse().unwrap());
        headers
    }

    #[test]
    fn every_way_in_sees_only_the_user_metadata() {
        let shared = RequestMetadata::received(head());
        assert_eq!(shared.get().len(), 1);
        assert_eq!(shared.get().get("x-user"), Some("alice"));

        let mut mutable = RequestMetadata::received(head());
        mutable.get_mut().insert("x-more", "1").unwrap();
        assert_eq!(mutable.get().len(), 2);
        assert_eq!(mutable.clone().into_map().len(), 2);

        let owned = RequestMetadata::received(head()).into_map();
        assert_eq!(owned.len(), 1);
        assert!(owned.get("content-type").is_none());
    }

    #[test]
    fn changes_after_a_shared_look_are_kept() {
        let mut metadata = RequestMetadata::received(head());
        assert_eq!(metadata.get().len(), 1);
        metadata.get_mut().remove("x-user");
        assert!(metadata.get().is_empty());
        assert!(metadata.into_map().is_empty());
    }
}
