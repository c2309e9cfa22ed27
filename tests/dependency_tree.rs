//! What an embedder pulls in: `cargo tree` of this package, per feature set.
//! With `default-features = false` the library depends on h2, http, bytes,
//! tokio, quick-protobuf, futures, base64, percent-encoding and the
//! `tracing` facade (plus pastey, the compile-time proc macro `service!`
//! names its methods with), and nothing of the command's or the demo services'
//! (clap, tracing-subscriber, serde, serde_json, sha2), of gzip (flate2) or
//! of TLS (tokio-rustls, rustls-native-certs, and rustls, rustls-webpki
//! and ring under them); `gzip` brings flate2 back, `tls` its crates, and the default
//! build has all of them.
//!
//! `cargo tree` runs `--offline --locked`: it reads Cargo.lock and the
//! crates already fetched for this build, and never the network.

use std::collections::BTreeSet;
use std::process::Command;

/// The direct normal dependencies of the lean build, by package name.
/// pastey is a proc macro: it runs at compile time and links nothing.
const LEAN_DIRECT: [&str; 11] = [
    "base64",
    "bytes",
    "futures-core",
    "futures-util",
    "h2",
    "http",
    "pastey",
    "percent-encoding",
    "quick-protobuf",
    "tokio",
    "tracing",
];

/// What the features add, and the lean tree must not contain.
const EXTRAS: [&str; 8] = [
    "clap",
    "flate2",
    "rustls-native-certs",
    "serde",
    "serde_json",
    "sha2",
    "tokio-rustls",
    "tracing-subscriber",
];

/// The package names in `cargo tree -e normal` of this package with
/// `features` (e.g. `--no-default-features`), to `depth` levels or all.
fn tree(features: &[&str], depth: Option<u32>) -> BTreeSet<String> {
    let manifest = concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml");
    let mut cmd = Command::new(env!("CARGO"));
    cmd.args(["tree", "--offline", "--locked", "--manifest-path", manifest])
        .args(["-e", "normal", "--prefix", "none"])
        .args(features);
    if let Some(depth) = depth {
        cmd.args(["--depth", &depth.to_string()]);
    }
    let output = cmd.output().expect("run cargo tree");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "cargo tree {features:?} failed: {}\n{stdout}",
        String::from_utf8_lossy(&output.stderr)
    );
    // Lines read `name vX.Y.Z`, then maybe `(path)` and `(*)`.
    stdout
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

/// The direct dependencies: depth 1 without the package itself.
fn direct(features: &[&str]) -> BTreeSet<String> {
    let mut names = tree(features, Some(1));
    assert!(
        names.remove("h2grpc"),
        "the tree starts at h2grpc: {names:?}"
    );
    names
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|name| name.to_string()).collect()
}

#[test]
fn the_lean_build_has_none_of_the_extras_anywhere_in_its_tree() {
    let lean = tree(&["--no-default-features"], None);
    let present: Vec<&str> = EXTRAS
        .into_iter()
        .filter(|extra| lean.contains(*extra))
        .collect();
    assert!(
        present.is_empty(),
        "in the lean tree: {present:?}\n{lean:?}"
    );
}

#[test]
fn the_lean_build_depends_directly_on_exactly_the_allowed_crates() {
    assert_eq!(direct(&["--no-default-features"]), names(&LEAN_DIRECT));
}

#[test]
fn the_gzip_feature_adds_flate2_and_nothing_else() {
    let gzip = ["--no-default-features", "--features", "gzip"];
    let mut expected = names(&LEAN_DIRECT);
    expected.insert("flate2".to_owned());
    assert_eq!(direct(&gzip), expected);
    let whole = tree(&gzip, None);
    for extra in ["clap", "serde", "serde_json", "sha2", "tracing-subscriber"] {
        assert!(!whole.contains(extra), "{extra} with gzip only: {whole:?}");
    }
}

#[test]
fn the_tls_feature_adds_tokio_rustls_the_system_roots_and_webpki_and_nothing_else() {
    let tls = ["--no-default-features", "--features", "tls"];
    let mut expected = names(&LEAN_DIRECT);
    expected.insert("tokio-rustls".to_owned());
    expected.insert("rustls-native-certs".to_owned());
    // Under tokio-rustls already; named to read a certificate's names.
    expected.insert("rustls-webpki".to_owned());
    assert_eq!(direct(&tls), expected);
    let whole = tree(&tls, None);
    // ring's cryptography, not aws-lc-rs's (which needs cmake to build).
    assert!(whole.contains("ring"), "{whole:?}");
    assert!(!whole.contains("aws-lc-rs"), "{whole:?}");
    for extra in ["clap", "flate2", "serde", "sha2", "tracing-subscriber"] {
        assert!(!whole.contains(extra), "{extra} with tls only: {whole:?}");
    }
    let lean = tree(&["--no-default-features"], None);
    for crate_name in ["rustls", "ring"] {
        assert!(
            !lean.contains(crate_name),
            "{crate_name} in the lean tree: {lean:?}"
        );
    }
}

#[test]
fn the_default_build_has_every_extra() {
    let default = direct(&[]);
    for extra in EXTRAS {
        assert!(default.contains(extra), "{extra} missing: {default:?}");
    }
}
