//! Services written only against the public API, each module one service
//! with its messages and typed client: those any server may offer about
//! itself, and (feature `demo`) the demo services `h2grpc serve` offers.

#[cfg(feature = "demo")]
pub mod conformance;
#[cfg(feature = "demo")]
pub mod contact;
#[cfg(feature = "demo")]
pub mod digestor;
#[cfg(feature = "demo")]
pub mod greeter;
pub mod health;
#[cfg(feature = "demo")]
pub mod interop;
#[cfg(feature = "demo")]
pub mod multi_greeter;
pub mod reflection;
#[cfg(feature = "demo")]
pub mod route_guide;

#[cfg(feature = "demo")]
mod demo_server;
#[cfg(feature = "demo")]
pub use demo_server::{demo_server, demo_server_with};
