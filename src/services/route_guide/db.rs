//! The feature database: the tutorial's route_guide_db.json (built in) or
//! another file of the same shape, loaded once at start and read-only after.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::messages::{Feature, Point};

/// The tutorial's database, compiled in so the binary needs no data files.
const TUTORIAL_DB: &str = include_str!("../route_guide_db.json");

/// The features RouteGuide knows, in file order. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct FeatureDb {
    features: Arc<[Feature]>,
}

/// Why a feature database could not be loaded.
#[derive(Debug)]
pub enum FeatureDbError {
    /// The file could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The file is not a JSON list of features.
    Parse {
        /// The file (`None` for the built-in database).
        path: Option<PathBuf>,
        /// What is wrong, with its line and column.
        source: serde_json::Error,
    },
}

impl fmt::Display for FeatureDbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FeatureDbError::Read { path, source } => {
                write!(
                    f,
                    "cannot read the feature database {}: {source}",
                    path.display()
                )
            }
            FeatureDbError::Parse { path, source } => {
                let name = path
                    .as_deref()
                    .map_or_else(|| "(built in)".into(), |path| path.display().to_string());
                write!(
                    f,
                    "the feature database {name} is not a JSON list of \
                     {{\"location\": {{\"latitude\", \"longitude\"}}, \"name\"}}: {source}"
                )
            }
        }
    }
}

impl std::error::Error for FeatureDbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            FeatureDbError::Read { source, .. } => Some(source),
            FeatureDbError::Parse { source, .. } => Some(source),
        }
    }
}

/// One entry of the JSON file. Every field is required, so a typo in a key
/// is an error rather than a feature at (0, 0).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonFeature {
    location: JsonPoint,
    name: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JsonPoint {
    latitude: i32,
    longitude: i32,
}

impl FeatureDb {
    /// The tutorial's database: 100 features around New Jersey and New York.
    pub fn tutorial() -> FeatureDb {
        // The built-in file is checked by a test; should it ever be broken,
        // the server still starts, with no features, and says so.
        FeatureDb::from_json(TUTORIAL_DB, None).unwrap_or_else(|error| {
            tracing::error!("{error}");
            FeatureDb::default()
        })
    }

    /// Loads a JSON file shaped like the tutorial's route_guide_db.json.
    pub fn load(path: &Path) -> Result<FeatureDb, FeatureDbError> {
        let text = std::fs::read_to_string(path).map_err(|source| FeatureDbError::Read {
            path: path.to_owned(),
            source,
        })?;
        FeatureDb::from_json(&text, Some(path))
    }

    /// Parses a database; `path` names it in errors.
    pub fn from_json(text: &str, path: Option<&Path>) -> Result<FeatureDb, FeatureDbError> {
        let parsed: Vec<JsonFeature> =
            serde_json::from_str(text).map_err(|source| FeatureDbError::Parse {
                path: path.map(Path::to_owned),
                source,
            })?;
        Ok(FeatureDb::new(parsed.into_iter().map(|feature| Feature {
            name: feature.name,
            location: Some(Point::new(
                feature.location.latitude,
                feature.location.longitude,
            )),
        })))
    }

    /// A database of these features.
    pub fn new(features: impl IntoIterator<Item = Feature>) -> FeatureDb {
        FeatureDb {
            features: features.into_iter().collect(),
        }
    }

    /// Every feature, in file order.
    pub fn features(&self) -> &[Feature] {
        &self.features
    }

    /// The first feature at exactly `point`, named or not.
    pub fn feature_at(&self, point: Point) -> Option<&Feature> {
        self.features
            .iter()
            .find(|feature| feature.location == Some(point))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_database_is_the_tutorials() {
        let db = FeatureDb::from_json(TUTORIAL_DB, None).expect("built-in database parses");
        assert_eq!(db.features().len(), 100);
        let berkshire = db
            .feature_at(Point::new(409146138, -746188906))
            .expect("the tutorial's first GetFeature point");
        assert_eq!(
            berkshire.name,
            "Berkshire Valley Management Area Trail, Jefferson, NJ, USA"
        );
    }

    #[test]
    fn a_feature_missing_a_field_is_an_error_with_its_position() {
        let error = FeatureDb::from_json(
            "[{\"location\": {\"latitude\": 1}, \"name\": \"x\"}]",
            Some(Path::new("db.json")),
        )
        .unwrap_err();
        let text = error.to_string();
        assert!(
            text.contains("db.json") && text.contains("longitude"),
            "{text}"
        );
        assert!(text.contains("line 1"), "{text}");
    }
}
