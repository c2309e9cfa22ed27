//! The demo services through their typed clients, in process over TCP:
//! routeguide.RouteGuide, contact.Contact, hellostreamingworld.MultiGreeter
//! and digestor.Digestor.

#[path = "../support/mod.rs"]
mod support;

mod contact;
mod multi_greeter_digestor;
mod route_guide;
