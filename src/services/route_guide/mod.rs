//! `routeguide.RouteGuide` (proto/route_guide.proto). PLACEHOLDER: being written.

use crate::rpc::Service;

/// The features RouteGuide knows.
#[derive(Debug, Clone, Default)]
pub struct FeatureDb;

impl FeatureDb {
    /// The tutorial's database.
    pub fn tutorial() -> FeatureDb {
        FeatureDb
    }
}

/// The RouteGuide service.
pub fn service(_features: FeatureDb) -> Service {
    Service::new("routeguide.RouteGuide")
}

/// Why a feature database could not be loaded.
#[derive(Debug)]
pub struct FeatureDbError;

impl std::fmt::Display for FeatureDbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "placeholder")
    }
}

impl std::error::Error for FeatureDbError {}

impl FeatureDb {
    /// Loads a database file.
    pub fn load(_path: &std::path::Path) -> Result<FeatureDb, FeatureDbError> {
        Ok(FeatureDb)
    }
}
