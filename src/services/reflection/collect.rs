//! Which declarations a set of services reaches: the services, then every
//! message and enum their rpcs take or return, and every type those use
//! through their fields, transitively (a message may contain itself, so each
//! type is visited once). Full names are unique here: when two different
//! definitions declare the same full name, the first one reached wins and
//! the other is skipped with a warning.

use std::collections::HashMap;

use crate::codec::{EnumDescriptor, MessageDescriptor};
use crate::rpc::ServiceDescriptor;

/// The declarations reached, each list in the order first reached.
#[derive(Debug, Default)]
pub(super) struct Reached {
    /// The services, as given.
    pub services: Vec<&'static ServiceDescriptor>,
    /// Every message type reached.
    pub messages: Vec<&'static MessageDescriptor>,
    /// Every enum type reached.
    pub enums: Vec<&'static EnumDescriptor>,
}

/// A declaration by identity, to tell the same definition reached twice
/// from two definitions with one name. Message and enum schemas are
/// statics, so their address is their identity; a service's descriptor is
/// a `const`, which may be copied, so a service is known by its rpcs (names
/// and paths).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Service(Vec<&'static str>),
    Message(*const MessageDescriptor),
    Enum(*const EnumDescriptor),
}

fn service_identity(service: &ServiceDescriptor) -> Seen {
    Seen::Service(service.methods.iter().map(|method| method.path).collect())
}

/// Walks `services` and everything they use.
pub(super) fn reach(services: &[&'static ServiceDescriptor]) -> Reached {
    let mut walk = Walk::default();
    for &service in services {
        if walk.first_of(service.full_name, service_identity(service)) {
            walk.reached.services.push(service);
        }
    }
    let services = walk.reached.services.clone();
    for service in services {
        for method in service.methods {
            walk.message((method.input)());
            walk.message((method.output)());
        }
    }
    // Breadth first: each message reached is walked once, in turn.
    let mut next = 0;
    while let Some(&message) = walk.reached.messages.get(next) {
        next += 1;
        for field in message.fields() {
            if let Some(used) = field.message_type() {
                walk.message(used);
            }
            if let Some(used) = field.enum_type() {
                walk.enumeration(used);
            }
        }
    }
    walk.reached
}

#[derive(Default)]
struct Walk {
    reached: Reached,
    names: HashMap<&'static str, Seen>,
}

impl Walk {
    /// True the first time `name` is met; false when it was met before,
    /// with a warning when by another definition.
    fn first_of(&mut self, name: &'static str, seen: Seen) -> bool {
        match self.names.get(name) {
            None => {
                self.names.insert(name, seen);
                true
            }
            Some(first) if *first == seen => false,
            Some(_) => {
                tracing::warn!(
                    name,
                    "two definitions declare the same full name: reflection serves the first reached"
                );
                false
            }
        }
    }

    fn message(&mut self, message: &'static MessageDescriptor) {
        if self.first_of(message.full_name(), Seen::Message(message)) {
            self.reached.messages.push(message);
        }
    }

    fn enumeration(&mut self, enumeration: &'static EnumDescriptor) {
        if self.first_of(enumeration.full_name(), Seen::Enum(enumeration)) {
            self.reached.enums.push(enumeration);
        }
    }
}
