//! The `.proto` files in proto/ and the Rust definitions of the services we
//! serve agree, so neither can drift: protoc (grpcio-tools) reads every
//! proto/**/*.proto and tests/interop/python/proto_schema.py prints what it
//! read (subdirectories included); here that is compared with what the Rust side records — each
//! `service!` declaration's method table (name, call type, request and
//! response type) and each message reachable from them, field by field
//! (name, number, label, type, map key, oneof). The services `h2grpc serve`
//! offers must each carry their declaration's table, and register exactly
//! the methods it lists.
#![cfg(feature = "demo")] // h2grpc::services exists with the `demo` feature only.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use h2grpc::codec::{FieldDescriptor, Label, MessageDescriptor};
use h2grpc::rpc::{MethodKind, Service, ServiceDescriptor};
use h2grpc::services::{
    contact, digestor, greeter, health, interop, multi_greeter, reflection, route_guide,
};
use serde_json::Value;

/// Every service `h2grpc serve` offers.
fn served() -> Vec<Service> {
    vec![
        greeter::service(),
        multi_greeter::service(),
        route_guide::service(route_guide::FeatureDb::tutorial()),
        digestor::service(),
        contact::service(contact::TaskQueue::new()),
        interop::service(),
        health::service(health::HealthReporter::new()),
    ]
}

/// Every service declared in src/services: those served, the reflection
/// services (which `Server::reflection` adds), and the one no
/// server implements on purpose (the interop suite calls
/// grpc.testing.UnimplementedService to see UNIMPLEMENTED).
fn declared() -> Vec<&'static ServiceDescriptor> {
    let mut declared: Vec<&'static ServiceDescriptor> = served()
        .iter()
        .map(|service| {
            service
                .descriptor()
                .unwrap_or_else(|| panic!("{} is not declared with service!", service.name()))
        })
        .collect();
    declared.push(interop::UnimplementedServiceServer::DESCRIPTOR);
    declared.push(reflection::v1::ServerReflectionServer::DESCRIPTOR);
    declared.push(reflection::v1alpha::ServerReflectionServer::DESCRIPTOR);
    declared
}

/// One side's view: methods per service, fields per message, each as a line
/// of text so that a mismatch prints as a readable diff.
#[derive(Debug, Default, PartialEq)]
struct Contract {
    services: BTreeMap<String, BTreeSet<String>>,
    messages: BTreeMap<String, Vec<String>>,
}

fn method_line(name: &str, kind: &str, input: &str, output: &str) -> String {
    format!("{name} {kind} ({input}) -> ({output})")
}

fn field_line(
    name: &str,
    number: u64,
    label: &str,
    ty: &str,
    map_key: Option<&str>,
    oneof: Option<&str>,
) -> String {
    let ty = match map_key {
        Some(key) => format!("map<{key}, {ty}>"),
        None => ty.to_string(),
    };
    let oneof = oneof
        .map(|name| format!(" in oneof {name}"))
        .unwrap_or_default();
    format!("{number}: {label} {ty} {name}{oneof}")
}

fn kind_name(kind: MethodKind) -> &'static str {
    match kind {
        MethodKind::Unary => "unary",
        MethodKind::ServerStreaming => "server-streaming",
        MethodKind::ClientStreaming => "client-streaming",
        MethodKind::BidiStreaming => "bidi-streaming",
    }
}

fn rust_field(field: &FieldDescriptor) -> String {
    let label = match (field.label, field.map_key) {
        (_, Some(_)) | (Label::Repeated, _) => "repeated",
        (Label::Optional, _) => "optional",
        (Label::Singular, _) => "singular",
    };
    field_line(
        field.name,
        u64::from(field.number),
        label,
        field.ty.proto_name(),
        field.map_key.map(|key| key.proto_name()),
        field.oneof,
    )
}

/// Adds `message` and every message type its fields reach.
fn collect(message: &'static MessageDescriptor, out: &mut BTreeMap<String, Vec<String>>) {
    if out.contains_key(message.full_name()) {
        return;
    }
    let mut fields: Vec<&FieldDescriptor> = message.fields().iter().collect();
    fields.sort_by_key(|field| field.number);
    out.insert(
        message.full_name().to_string(),
        fields.iter().map(|field| rust_field(field)).collect(),
    );
    for field in fields {
        if let Some(nested) = field.message_type() {
            collect(nested, out);
        }
    }
}

fn rust_contract() -> Contract {
    let mut contract = Contract::default();
    for service in declared() {
        let mut methods = BTreeSet::new();
        for method in service.methods {
            let (input, output) = ((method.input)(), (method.output)());
            methods.insert(method_line(
                method.name,
                kind_name(method.kind),
                input.full_name(),
                output.full_name(),
            ));
            collect(input, &mut contract.messages);
            collect(output, &mut contract.messages);
        }
        contract
            .services
            .insert(service.full_name.to_string(), methods);
    }
    contract
}

fn text(value: &Value, key: &str) -> String {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} missing in {value}"))
        .to_string()
}

fn proto_contract() -> Contract {
    let output = support::peers::python_script("proto_schema.py", &[]);
    assert!(output.status.success(), "{}", output.describe());
    let parsed: Value = serde_json::from_str(&output.stdout)
        .unwrap_or_else(|error| panic!("proto_schema.py printed no JSON ({error})"));

    let mut contract = Contract::default();
    for (service, methods) in parsed["services"].as_object().expect("services") {
        let lines = methods
            .as_array()
            .expect("methods")
            .iter()
            .map(|method| {
                let kind = match (
                    method["client_streaming"].as_bool(),
                    method["server_streaming"].as_bool(),
                ) {
                    (Some(false), Some(false)) => "unary",
                    (Some(false), Some(true)) => "server-streaming",
                    (Some(true), Some(false)) => "client-streaming",
                    (Some(true), Some(true)) => "bidi-streaming",
                    _ => panic!("bad method {method}"),
                };
                method_line(
                    &text(method, "name"),
                    kind,
                    &text(method, "input"),
                    &text(method, "output"),
                )
            })
            .collect();
        contract.services.insert(service.clone(), lines);
    }
    for (message, fields) in parsed["messages"].as_object().expect("messages") {
        let mut fields: Vec<&Value> = fields.as_array().expect("fields").iter().collect();
        fields.sort_by_key(|field| field["number"].as_u64());
        let lines = fields
            .iter()
            .map(|field| {
                field_line(
                    &text(field, "name"),
                    field["number"].as_u64().expect("number"),
                    &text(field, "label"),
                    &text(field, "type"),
                    field["map_key"].as_str(),
                    field["oneof"].as_str(),
                )
            })
            .collect();
        contract.messages.insert(message.clone(), lines);
    }
    contract
}

#[test]
fn every_served_service_registers_the_methods_its_declaration_lists() {
    for service in served() {
        let declaration = service.descriptor().expect("declared with service!");
        let registered: Vec<(String, MethodKind)> = service
            .methods()
            .map(|method| (method.name.to_string(), method.kind))
            .collect();
        let listed: Vec<(String, MethodKind)> = declaration
            .methods
            .iter()
            .map(|method| (method.name.to_string(), method.kind))
            .collect();
        assert_eq!(registered, listed, "{}", service.name());
        for method in declaration.methods {
            let path = format!("/{}/{}", declaration.full_name, method.name);
            assert_eq!(method.path, path);
        }
    }
}

#[test]
fn every_declared_service_matches_its_proto_method_by_method() {
    let rust = rust_contract();
    let proto = proto_contract();
    assert_eq!(
        rust.services.keys().collect::<Vec<_>>(),
        proto.services.keys().collect::<Vec<_>>(),
        "the services declared and the services in proto/ differ"
    );
    for (service, methods) in &rust.services {
        assert_eq!(
            methods, &proto.services[service],
            "{service}: methods in Rust (left) and in proto/ (right) differ"
        );
    }
}

#[test]
fn every_message_matches_its_proto_field_by_field() {
    let rust = rust_contract();
    let proto = proto_contract();
    assert_eq!(
        rust.messages.keys().collect::<Vec<_>>(),
        proto.messages.keys().collect::<Vec<_>>(),
        "the messages the services use (left) and the messages in proto/ (right) differ"
    );
    for (message, fields) in &rust.messages {
        assert_eq!(
            fields, &proto.messages[message],
            "{message}: fields in Rust (left) and in proto/ (right) differ"
        );
    }
}
