//! [`HealthReporter`]: the statuses the Health service reports, one
//! `tokio::sync::watch` channel per service name, so that Check reads the
//! current value and every Watch call is woken by a change.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::watch;

use super::messages::ServingStatus;

/// The name under which the whole server's status is kept.
///
/// health-checking.md: "The server should use an empty string as the key for
/// server's overall health status, so that a client not interested in a
/// specific service can query the server's status with an empty request."
pub const SERVER: &str = "";

/// What one service's watchers see: its status, and whether the reporter has
/// shut down (after which the status never changes again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seen {
    /// The status to report.
    pub(crate) status: ServingStatus,
    /// The server is shutting down: a Watch ends after reporting `status`.
    pub(crate) shut_down: bool,
}

/// One service name's channel.
struct Entry {
    sender: watch::Sender<Seen>,
    /// Set through the reporter (or by the server at start). `false` for a
    /// placeholder a Watch of an unknown name made, so that the watcher is
    /// woken when the name becomes known; Check, List and
    /// [`HealthReporter::status`] do not see placeholders.
    known: bool,
}

#[derive(Default)]
struct Registry {
    entries: HashMap<String, Entry>,
    shut_down: bool,
}

/// The handle an embedder keeps to report its services' health; cheap to
/// clone (an `Arc`), every clone reports to the same Health service.
///
/// Hand one to [`Server::health`](crate::Server::health): when serving
/// starts, every service added to the server and `""` (the whole server) are
/// set SERVING, except names already given a status here; a graceful
/// shutdown sets them all NOT_SERVING before the transport sends GOAWAY.
#[derive(Clone, Default)]
pub struct HealthReporter {
    registry: Arc<Mutex<Registry>>,
}

impl fmt::Debug for HealthReporter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let registry = self.lock();
        let mut known: Vec<(&str, ServingStatus)> = registry
            .entries
            .iter()
            .filter(|(_, entry)| entry.known)
            .map(|(name, entry)| (name.as_str(), entry.sender.borrow().status))
            .collect();
        known.sort_by(|a, b| a.0.cmp(b.0));
        f.debug_struct("HealthReporter")
            .field("statuses", &known)
            .field("shut_down", &registry.shut_down)
            .finish()
    }
}

impl HealthReporter {
    /// A reporter that knows no service yet.
    pub fn new() -> HealthReporter {
        HealthReporter::default()
    }

    /// Reports `service` (a full name such as `helloworld.Greeter`, or `""`
    /// for the whole server) SERVING.
    pub fn set_serving(&self, service: &str) {
        self.set_status(service, ServingStatus::SERVING);
    }

    /// Reports `service` NOT_SERVING.
    pub fn set_not_serving(&self, service: &str) {
        self.set_status(service, ServingStatus::NOT_SERVING);
    }

    /// Reports `service` with `status`, waking its watchers if it changed.
    /// Ignored once the server has begun shutting down, so that nothing
    /// reports SERVING again during the grace period (as grpc-go's
    /// `Shutdown` and grpcio's `enter_graceful_shutdown` do).
    pub fn set_status(&self, service: &str, status: ServingStatus) {
        let mut registry = self.lock();
        if registry.shut_down {
            return;
        }
        let seen = Seen {
            status,
            shut_down: false,
        };
        match registry.entries.get_mut(service) {
            Some(entry) => {
                entry.known = true;
                entry.sender.send_if_modified(|current| {
                    let changed = *current != seen;
                    *current = seen;
                    changed
                });
            }
            None => {
                let (sender, _) = watch::channel(seen);
                let entry = Entry {
                    sender,
                    known: true,
                };
                registry.entries.insert(service.to_owned(), entry);
            }
        }
    }

    /// The status reported for `service`; `None` when it is not known.
    pub fn status(&self, service: &str) -> Option<ServingStatus> {
        let registry = self.lock();
        let entry = registry.entries.get(service).filter(|entry| entry.known)?;
        let status = entry.sender.borrow().status;
        Some(status)
    }

    /// Every known service with its status, by name.
    pub(crate) fn statuses(&self) -> Vec<(String, ServingStatus)> {
        let registry = self.lock();
        let mut all: Vec<(String, ServingStatus)> = registry
            .entries
            .iter()
            .filter(|(_, entry)| entry.known)
            .map(|(name, entry)| (name.clone(), entry.sender.borrow().status))
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }

    /// Sets `service` SERVING unless it already has a status: what the
    /// server does for each of its services when it starts serving.
    pub(crate) fn set_serving_unless_known(&self, service: &str) {
        if self.status(service).is_none() {
            self.set_serving(service);
        }
    }

    /// A receiver of `service`'s status for a Watch call. An unknown name
    /// gets a placeholder reporting SERVICE_UNKNOWN, kept only while someone
    /// watches it (placeholders nobody watches any more are dropped here).
    pub(crate) fn subscribe(&self, service: &str) -> watch::Receiver<Seen> {
        let mut registry = self.lock();
        if let Some(entry) = registry.entries.get(service) {
            return entry.sender.subscribe();
        }
        registry
            .entries
            .retain(|_, entry| entry.known || entry.sender.receiver_count() > 0);
        let shut_down = registry.shut_down;
        let status = if shut_down {
            ServingStatus::NOT_SERVING
        } else {
            ServingStatus::SERVICE_UNKNOWN
        };
        let (sender, receiver) = watch::channel(Seen { status, shut_down });
        let entry = Entry {
            sender,
            known: false,
        };
        registry.entries.insert(service.to_owned(), entry);
        receiver
    }

    /// The server is shutting down: every service (`""` included, and the
    /// names only watched) becomes NOT_SERVING for good, and every Watch
    /// reports that, then ends with UNAVAILABLE.
    pub(crate) fn shutdown(&self) {
        let mut registry = self.lock();
        registry.shut_down = true;
        registry
            .entries
            .entry(SERVER.to_owned())
            .or_insert_with(|| Entry {
                sender: watch::channel(Seen {
                    status: ServingStatus::NOT_SERVING,
                    shut_down: true,
                })
                .0,
                known: true,
            });
        let down = Seen {
            status: ServingStatus::NOT_SERVING,
            shut_down: true,
        };
        for entry in registry.entries.values() {
            entry.sender.send_replace(down);
        }
    }

    /// Whether the server this reporter serves health for has begun a
    /// graceful shutdown (after which every status is NOT_SERVING for good).
    pub fn is_shut_down(&self) -> bool {
        self.lock().shut_down
    }

    fn lock(&self) -> MutexGuard<'_, Registry> {
        // A panic while holding the lock leaves the map consistent (every
        // step above is a single insert or send), so a poisoned lock is
        // still usable.
        self.registry
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
