//! RouteChat's notes: shared by every call on a server, by location. A
//! plain mutex held only to copy a list, never across an await.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use super::messages::{Point, RouteNote};
use crate::status::Status;

/// How many notes a store keeps in all by default: past it, RouteChat
/// answers RESOURCE_EXHAUSTED rather than grow without bound.
pub const MAX_NOTES: usize = 100_000;

/// The notes received so far, by location.
#[derive(Debug, Clone)]
pub struct NoteStore {
    inner: Arc<Mutex<Notes>>,
    limit: usize,
}

impl Default for NoteStore {
    fn default() -> NoteStore {
        NoteStore::with_limit(MAX_NOTES)
    }
}

#[derive(Debug, Default)]
struct Notes {
    by_location: HashMap<Point, Vec<RouteNote>>,
    count: usize,
}

impl NoteStore {
    /// An empty store.
    pub fn new() -> NoteStore {
        NoteStore::default()
    }

    /// An empty store that keeps at most `limit` notes.
    pub fn with_limit(limit: usize) -> NoteStore {
        NoteStore {
            inner: Arc::default(),
            limit,
        }
    }

    /// Returns every earlier note at `note`'s location, oldest first, then
    /// stores `note`.
    pub fn exchange(&self, note: RouteNote) -> Result<Vec<RouteNote>, Status> {
        let location = note.location.unwrap_or_default();
        // A panic elsewhere while holding the lock leaves the map whole (every
        // update is one push), so a poisoned lock is still usable.
        let mut notes = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if notes.count >= self.limit {
            return Err(Status::resource_exhausted(format!(
                "the server keeps at most {} route notes",
                self.limit
            )));
        }
        notes.count += 1;
        let at_location = notes.by_location.entry(location).or_default();
        let earlier = at_location.clone();
        at_location.push(note);
        Ok(earlier)
    }

    /// How many notes are stored.
    pub fn len(&self) -> usize {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .count
    }

    /// Whether no note is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
