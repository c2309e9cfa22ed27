//! The pool against protoc (grpcio-tools' protoc, run by the test venv's
//! Python): for every file under proto/, the file the pool derives from the
//! Rust definitions of the services in src/services equals, field by field,
//! the one protoc makes from the `.proto` source; and protobuf's own
//! google/protobuf/empty.proto equals the pool's for
//! `h2grpc::codec::well_known::Empty`.
//!
//! Decoding protoc's output with the pool's own descriptor.proto messages
//! already drops what they do not declare: source_code_info and every
//! options message except `MessageOptions.map_entry` (so proto/'s java
//! options are not compared, map entries are). Messages, enums and services
//! are compared as sets keyed by name (the Rust side does not know their
//! order in the source), imports as sorted lists; fields, values and rpcs in
//! order.

use std::path::{Path, PathBuf};
use std::process::Command;

use h2grpc::services::reflection::descriptor_proto::{
    DescriptorProto, FileDescriptorProto, FileDescriptorSet,
};
use h2grpc::services::reflection::DescriptorPool;
use h2grpc::Message;

use super::support::peers::{proto_dir, python, run};

/// Runs protoc on `files` (relative to `include`, and to protobuf's own
/// include directory, which grpc_tools.protoc adds) and decodes the
/// descriptor set it writes, imports included.
fn protoc(include: &Path, files: &[String]) -> FileDescriptorSet {
    let out = scratch_file("descriptors.pb");
    let mut cmd = Command::new(python());
    cmd.args(["-m", "grpc_tools.protoc"])
        .arg(format!("-I{}", include.display()))
        .arg("--include_imports")
        .arg(format!("--descriptor_set_out={}", out.display()))
        .args(files)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    let output = run(cmd, None);
    assert!(output.status.success(), "protoc: {}", output.describe());
    let bytes = std::fs::read(&out).unwrap_or_else(|e| panic!("{}: {e}", out.display()));
    let _ = std::fs::remove_file(&out);
    FileDescriptorSet::decode(bytes.into()).expect("protoc's descriptor set decodes")
}

/// A path of its own in the temporary directory, per process and call.
fn scratch_file(name: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!(
        "h2grpc-reflection-{}-{n}-{name}",
        std::process::id()
    ))
}

/// Every `.proto` under `dir`, relative to it, `/`-separated, sorted.
fn proto_files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else if path.extension().is_some_and(|ext| ext == "proto") {
                let relative = path.strip_prefix(root).expect("under the root");
                let parts: Vec<_> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}

/// Puts what the comparison ignores in one order: messages (nested ones
/// too), enums and services by name, imports sorted; an options message
/// left empty once undeclared options are dropped is no options.
fn normalize(mut file: FileDescriptorProto) -> FileDescriptorProto {
    fn sort_inside(message: &mut DescriptorProto) {
        message.nested_type.iter_mut().for_each(sort_inside);
        message.nested_type.sort_by(|a, b| a.name.cmp(&b.name));
        message.enum_type.sort_by(|a, b| a.name.cmp(&b.name));
        if message
            .options
            .as_ref()
            .is_some_and(|o| o.map_entry.is_none())
        {
            message.options = None;
        }
    }
    file.message_type.iter_mut().for_each(sort_inside);
    file.message_type.sort_by(|a, b| a.name.cmp(&b.name));
    file.enum_type.sort_by(|a, b| a.name.cmp(&b.name));
    file.service.sort_by(|a, b| a.name.cmp(&b.name));
    file.dependency.sort();
    file
}

/// Fails with a line diff of the two files' pretty Debug forms (`-` the
/// pool's, `+` protoc's) when they differ.
fn assert_same_file(pool: &FileDescriptorProto, protoc: &FileDescriptorProto, name: &str) {
    let (ours, theirs) = (normalize(pool.clone()), normalize(protoc.clone()));
    if ours != theirs {
        let (left, right) = (format!("{ours:#?}"), format!("{theirs:#?}"));
        panic!(
            "{name}: the pool's file (-) and protoc's (+) differ:\n{}",
            line_diff(&left, &right)
        );
    }
}

/// A unified-style diff of two texts, by longest common subsequence of
/// lines, with two lines of context around each change.
fn line_diff(left: &str, right: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (left.lines().collect(), right.lines().collect());
    let mut common = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            common[i][j] = if a[i] == b[j] {
                common[i + 1][j + 1] + 1
            } else {
                common[i + 1][j].max(common[i][j + 1])
            };
        }
    }
    let mut lines: Vec<(char, &str)> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            lines.push((' ', a[i]));
            (i, j) = (i + 1, j + 1);
        } else if i < a.len() && (j == b.len() || common[i + 1][j] >= common[i][j + 1]) {
            lines.push(('-', a[i]));
            i += 1;
        } else {
            lines.push(('+', b[j]));
            j += 1;
        }
    }
    let near_change = |k: usize| {
        lines[k.saturating_sub(2)..(k + 3).min(lines.len())]
            .iter()
            .any(|(mark, _)| *mark != ' ')
    };
    let mut out = String::new();
    for (k, (mark, line)) in lines.iter().enumerate() {
        if near_change(k) {
            out.push_str(&format!("{mark} {line}\n"));
        } else if k > 0 && near_change(k - 1) {
            out.push_str("  ...\n");
        }
    }
    out
}

#[test]
fn line_diff_marks_what_differs() {
    let diff = line_diff("a\nb\nc\nd\ne\nf\ng", "a\nb\nc\nX\ne\nf\ng");
    assert_eq!(diff, "  b\n  c\n- d\n+ X\n  e\n  f\n  ...\n");
}

#[test]
fn well_known_empty_is_served_as_protobuf_declares_it() {
    use h2grpc::codec::well_known::Empty;

    h2grpc::service! {
        package "wk.test";
        /// Uses google.protobuf.Empty both ways.
        pub service Nothing { rpc Nothing(Empty) returns (Empty); }
    }

    let empty = "google/protobuf/empty.proto";
    // protoc finds it in protobuf's include directory, which
    // grpc_tools.protoc always adds; proto/ has no such file.
    let set = protoc(&proto_dir(), &[empty.to_string()]);
    let theirs = set
        .file
        .iter()
        .find(|file| file.name.as_deref() == Some(empty))
        .expect("protoc describes empty.proto");
    let pool = DescriptorPool::from_services(&[NothingServer::DESCRIPTOR]);
    let ours = pool
        .file_by_name(empty)
        .expect("the pool serves empty.proto");
    assert_same_file(ours.descriptor(), theirs, empty);
    assert_eq!(
        pool.file_by_name("wk.test.proto").unwrap().dependencies(),
        [empty]
    );
}

/// tests/reflection/proto/: the sources of the services `declarations`
/// declares (every shape a descriptor has: nested types, maps, oneofs,
/// proto3 `optional`, files named after their package).
fn own_proto_dir() -> PathBuf {
    super::support::peers::repo_root()
        .join("tests")
        .join("reflection")
        .join("proto")
}

#[test]
fn every_shape_of_the_declared_services_is_described_as_protoc_does() {
    use super::declarations::{plain, shop};

    let files = proto_files(&own_proto_dir());
    let set = protoc(&own_proto_dir(), &files);
    let pool = DescriptorPool::from_services(&[
        shop::ShopServer::DESCRIPTOR,
        plain::PlainServer::DESCRIPTOR,
    ]);
    let served: Vec<&str> = pool.files().map(|file| file.name()).collect();
    let described: Vec<&str> = set
        .file
        .iter()
        .filter_map(|file| file.name.as_deref())
        .collect();
    for name in &served {
        assert!(
            described.contains(name),
            "the pool serves {name}, protoc did not describe it: {described:?}"
        );
    }
    for theirs in &set.file {
        let name = theirs.name.as_deref().unwrap_or_default();
        let ours = pool.file_by_name(name).unwrap_or_else(|| {
            panic!("protoc describes {name}, the pool does not serve it: {served:?}")
        });
        assert_same_file(ours.descriptor(), theirs, name);
    }
    assert_eq!(
        set.file.len(),
        6,
        "five sources and google/protobuf/empty.proto"
    );
}

#[cfg(feature = "demo")]
mod demo {
    //! proto/ against the services of src/services.

    use h2grpc::rpc::ServiceDescriptor;
    use h2grpc::services::{
        contact, digestor, greeter, health, interop, multi_greeter, reflection, route_guide,
    };

    use super::*;

    /// Files under proto/ whose services are not served here, each with
    /// the reason. Every other file under proto/ must be in the pool.
    const NOT_SERVED_HERE: &[(&str, &str)] = &[];

    /// Every service declared in src/services: those `h2grpc serve`
    /// offers (`demo_server()`), TestService, and UnimplementedService,
    /// which no server implements on purpose (the interop suite calls it to
    /// see UNIMPLEMENTED) but proto/grpc/testing/test.proto declares.
    fn declared() -> Vec<&'static ServiceDescriptor> {
        vec![
            greeter::GreeterServer::DESCRIPTOR,
            multi_greeter::MultiGreeterServer::DESCRIPTOR,
            route_guide::RouteGuideServer::DESCRIPTOR,
            digestor::DigestorServer::DESCRIPTOR,
            contact::ContactServer::DESCRIPTOR,
            interop::TestServiceServer::DESCRIPTOR,
            interop::UnimplementedServiceServer::DESCRIPTOR,
            reflection::v1::ServerReflectionServer::DESCRIPTOR,
            reflection::v1alpha::ServerReflectionServer::DESCRIPTOR,
            health::HealthServer::DESCRIPTOR,
        ]
    }

    #[test]
    fn the_declared_list_holds_every_demo_service() {
        let served = [
            greeter::service(),
            multi_greeter::service(),
            route_guide::service(route_guide::FeatureDb::tutorial()),
            digestor::service(),
            contact::service(contact::TaskQueue::new()),
            interop::service(),
        ];
        let declared = declared();
        for service in &served {
            let descriptor = service.descriptor().expect("declared with service!");
            assert!(
                declared.iter().any(|d| d.full_name == descriptor.full_name),
                "{} is missing from declared()",
                service.name()
            );
        }
    }

    #[test]
    fn every_file_under_proto_is_served_as_protoc_describes_it() {
        let files = proto_files(&proto_dir());
        assert!(files.contains(&"helloworld.proto".to_string()), "{files:?}");
        let set = protoc(&proto_dir(), &files);
        let pool = DescriptorPool::from_services(&declared());
        let mut compared = 0;
        for name in &files {
            let theirs = set
                .file
                .iter()
                .find(|file| file.name.as_deref() == Some(name.as_str()))
                .unwrap_or_else(|| panic!("protoc did not describe {name}"));
            let listed = NOT_SERVED_HERE.iter().any(|(file, _)| file == name);
            match pool.file_by_name(name) {
                Some(ours) => {
                    assert!(!listed, "{name} is served: take it off NOT_SERVED_HERE");
                    assert_same_file(ours.descriptor(), theirs, name);
                    compared += 1;
                }
                None => assert!(
                    listed,
                    "{name} is in proto/ but no declared service uses it (files served: {:?})",
                    pool.files().map(|f| f.name()).collect::<Vec<_>>()
                ),
            }
        }
        assert_eq!(compared + NOT_SERVED_HERE.len(), files.len());
    }

    #[test]
    fn every_file_the_pool_serves_is_one_protoc_makes_from_proto() {
        let files = proto_files(&proto_dir());
        let set = protoc(&proto_dir(), &files);
        let pool = DescriptorPool::from_services(&declared());
        for ours in pool.files() {
            let theirs = set
                .file
                .iter()
                .find(|file| file.name.as_deref() == Some(ours.name()))
                .unwrap_or_else(|| panic!("the pool serves {} which proto/ lacks", ours.name()));
            assert_same_file(ours.descriptor(), theirs, ours.name());
        }
    }
}
