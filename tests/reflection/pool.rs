//! The pool rule by rule, on the services of `declarations`: what each
//! file holds and how each field, map, oneof, nested type and rpc is
//! described, as protoc describes them.

use h2grpc::codec::well_known::Empty;
use h2grpc::codec::MessageSchema;
use h2grpc::services::reflection::descriptor_proto::{
    DescriptorProto, FieldDescriptorProto, FileDescriptorProto, Label, MessageOptions, Type,
};
use h2grpc::services::reflection::{DescriptorPool, NO_PACKAGE_FILE};
use h2grpc::Message;

use super::declarations::{cycle, dup, orphan, plain, shop};

pub fn shop_pool() -> DescriptorPool {
    DescriptorPool::from_services(&[shop::ShopServer::DESCRIPTOR])
}

fn file<'a>(pool: &'a DescriptorPool, name: &str) -> &'a FileDescriptorProto {
    pool.file_by_name(name)
        .unwrap_or_else(|| panic!("no file {name}: {:?}", file_names(pool)))
        .descriptor()
}

fn file_names(pool: &DescriptorPool) -> Vec<&str> {
    pool.files().map(|file| file.name()).collect()
}

fn message<'a>(file: &'a FileDescriptorProto, name: &str) -> &'a DescriptorProto {
    find(&file.message_type, name)
}

fn find<'a>(messages: &'a [DescriptorProto], name: &str) -> &'a DescriptorProto {
    messages
        .iter()
        .find(|message| message.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no message {name}"))
}

fn field<'a>(message: &'a DescriptorProto, name: &str) -> &'a FieldDescriptorProto {
    message
        .field
        .iter()
        .find(|field| field.name.as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no field {name} in {:?}", message.name))
}

/// A field as protoc writes a singular proto3 field.
fn singular(name: &str, number: i32, ty: Type, type_name: Option<&str>) -> FieldDescriptorProto {
    FieldDescriptorProto {
        name: Some(name.into()),
        number: Some(number),
        label: Some(Label::LABEL_OPTIONAL),
        r#type: Some(ty),
        type_name: type_name.map(Into::into),
        json_name: Some(json(name)),
        ..FieldDescriptorProto::default()
    }
}

/// The JSON names this file's fields have, spelled out.
fn json(name: &str) -> String {
    match name {
        "display_name" => "displayName",
        "tag_counts" => "tagCounts",
        "details_by_id" => "detailsById",
        "currency_code" => "currencyCode",
        other => other,
    }
    .to_string()
}

#[test]
fn every_file_the_services_use_is_served_with_its_package_and_syntax() {
    let pool = shop_pool();
    assert_eq!(
        file_names(&pool),
        [
            "google/protobuf/empty.proto",
            "shop/v1/common.proto",
            "shop/v1/service.proto",
            "shop/v1/shop.proto"
        ]
    );
    for entry in pool.files() {
        let descriptor = entry.descriptor();
        assert_eq!(descriptor.name.as_deref(), Some(entry.name()));
        assert_eq!(descriptor.syntax.as_deref(), Some("proto3"));
        assert_eq!(
            FileDescriptorProto::decode(entry.encoded().clone()).as_ref(),
            Ok(descriptor),
            "{} encodes to what it decodes from",
            entry.name()
        );
    }
    assert_eq!(
        file(&pool, "shop/v1/shop.proto").package.as_deref(),
        Some("shop.v1")
    );
    assert_eq!(
        file(&pool, "google/protobuf/empty.proto")
            .package
            .as_deref(),
        Some("google.protobuf")
    );
}

#[test]
fn a_file_imports_every_other_file_whose_types_it_uses_sorted() {
    let pool = shop_pool();
    let deps = |name: &str| pool.file_by_name(name).unwrap().dependencies().to_vec();
    assert_eq!(
        deps("shop/v1/service.proto"),
        ["google/protobuf/empty.proto", "shop/v1/shop.proto"]
    );
    assert_eq!(deps("shop/v1/shop.proto"), ["shop/v1/common.proto"]);
    assert!(deps("shop/v1/common.proto").is_empty());
    assert!(deps("google/protobuf/empty.proto").is_empty());
    assert_eq!(
        file(&pool, "shop/v1/service.proto").dependency,
        deps("shop/v1/service.proto")
    );
}

#[test]
fn well_known_empty_is_served_in_its_own_file() {
    assert_eq!(Empty::schema().full_name(), "google.protobuf.Empty");
    let pool = shop_pool();
    let empty = file(&pool, "google/protobuf/empty.proto");
    assert_eq!(
        empty.message_type,
        [DescriptorProto {
            name: Some("Empty".into()),
            ..DescriptorProto::default()
        }]
    );
    assert!(empty.service.is_empty() && empty.enum_type.is_empty());
    assert!(pool.contains_message("google.protobuf.Empty"));
}

#[test]
fn rpcs_name_their_types_with_a_leading_dot_and_set_streaming_only_when_true() {
    let pool = shop_pool();
    let service = &file(&pool, "shop/v1/service.proto").service;
    assert_eq!(service.len(), 1);
    assert_eq!(service[0].name.as_deref(), Some("Shop"));
    let methods: Vec<_> = service[0]
        .method
        .iter()
        .map(|m| {
            (
                m.name.as_deref().unwrap(),
                m.input_type.as_deref().unwrap(),
                m.output_type.as_deref().unwrap(),
                m.client_streaming,
                m.server_streaming,
            )
        })
        .collect();
    let item = ".shop.v1.Item";
    let empty = ".google.protobuf.Empty";
    assert_eq!(
        methods,
        [
            ("Get", item, item, None, None),
            ("Watch", empty, item, None, Some(true)),
            ("Upload", item, empty, Some(true), None),
            ("Chat", item, item, Some(true), Some(true)),
        ]
    );
}

#[test]
fn scalar_message_and_enum_fields_are_described_as_protoc_does() {
    let pool = shop_pool();
    let item = message(file(&pool, "shop/v1/shop.proto"), "Item");
    assert_eq!(
        field(item, "display_name"),
        &singular("display_name", 1, Type::TYPE_STRING, None)
    );
    assert_eq!(
        field(item, "kind"),
        &singular("kind", 2, Type::TYPE_ENUM, Some(".shop.v1.Kind"))
    );
    // A message that contains itself.
    assert_eq!(
        field(item, "children"),
        &FieldDescriptorProto {
            label: Some(Label::LABEL_REPEATED),
            ..singular("children", 7, Type::TYPE_MESSAGE, Some(".shop.v1.Item"))
        }
    );
    assert_eq!(
        field(item, "details"),
        &singular(
            "details",
            8,
            Type::TYPE_MESSAGE,
            Some(".shop.v1.Item.Details")
        )
    );
    assert_eq!(
        field(item, "state"),
        &singular("state", 9, Type::TYPE_ENUM, Some(".shop.v1.Item.State"))
    );
    assert_eq!(
        field(item, "cost"),
        &singular("cost", 12, Type::TYPE_MESSAGE, Some(".shop.v1.Money"))
    );
    assert_eq!(
        field(item, "history"),
        &FieldDescriptorProto {
            label: Some(Label::LABEL_REPEATED),
            ..singular("history", 13, Type::TYPE_ENUM, Some(".shop.v1.Item.State"))
        }
    );
    let numbers: Vec<i32> = item.field.iter().filter_map(|f| f.number).collect();
    assert_eq!(numbers, (1..=13).collect::<Vec<_>>(), "declaration order");
}

#[test]
fn json_names_drop_underscores_and_capitalise_the_next_letter() {
    let pool = shop_pool();
    let shop = file(&pool, "shop/v1/shop.proto");
    let item = message(shop, "Item");
    assert_eq!(
        field(item, "display_name").json_name.as_deref(),
        Some("displayName")
    );
    assert_eq!(
        field(item, "details_by_id").json_name.as_deref(),
        Some("detailsById")
    );
    let money = message(file(&pool, "shop/v1/common.proto"), "Money");
    assert_eq!(
        field(money, "currency_code").json_name.as_deref(),
        Some("currencyCode")
    );
}

#[test]
fn a_map_is_a_repeated_field_of_a_nested_entry_type_marked_map_entry() {
    let pool = shop_pool();
    let item = message(file(&pool, "shop/v1/shop.proto"), "Item");
    assert_eq!(
        field(item, "tag_counts"),
        &FieldDescriptorProto {
            label: Some(Label::LABEL_REPEATED),
            ..singular(
                "tag_counts",
                3,
                Type::TYPE_MESSAGE,
                Some(".shop.v1.Item.TagCountsEntry")
            )
        }
    );
    let map_entry = Some(MessageOptions {
        map_entry: Some(true),
    });
    assert_eq!(
        find(&item.nested_type, "TagCountsEntry"),
        &DescriptorProto {
            name: Some("TagCountsEntry".into()),
            field: vec![
                singular("key", 1, Type::TYPE_STRING, None),
                singular("value", 2, Type::TYPE_INT32, None),
            ],
            options: map_entry.clone(),
            ..DescriptorProto::default()
        }
    );
    assert_eq!(
        find(&item.nested_type, "DetailsByIdEntry"),
        &DescriptorProto {
            name: Some("DetailsByIdEntry".into()),
            field: vec![
                singular("key", 1, Type::TYPE_INT64, None),
                singular(
                    "value",
                    2,
                    Type::TYPE_MESSAGE,
                    Some(".shop.v1.Item.Details")
                ),
            ],
            options: map_entry,
            ..DescriptorProto::default()
        }
    );
}

#[test]
fn oneof_members_point_at_their_oneof_and_optional_fields_at_synthetic_ones_after_them() {
    let pool = shop_pool();
    let item = message(file(&pool, "shop/v1/shop.proto"), "Item");
    let oneofs: Vec<_> = item
        .oneof_decl
        .iter()
        .map(|o| o.name.as_deref().unwrap())
        .collect();
    // `discount` is declared between the two real oneofs; its synthetic
    // oneof still comes after both.
    assert_eq!(oneofs, ["price", "label", "_discount"]);
    for (name, index) in [("cents", 0), ("free", 0), ("text", 1), ("discount", 2)] {
        assert_eq!(field(item, name).oneof_index, Some(index), "{name}");
    }
    assert_eq!(field(item, "discount").proto3_optional, Some(true));
    assert_eq!(field(item, "cents").proto3_optional, None);
    assert_eq!(field(item, "display_name").oneof_index, None);
    // oneof_index 0 has explicit presence (proto2): it is on the wire.
    let cents = field(item, "cents").encode_to_bytes();
    assert!(
        cents.windows(2).any(|pair| pair == [9 << 3, 0]),
        "{cents:?} lacks oneof_index = 0"
    );
}

#[test]
fn nested_types_are_inside_their_container_and_never_at_file_level() {
    let pool = shop_pool();
    let shop = file(&pool, "shop/v1/shop.proto");
    let top: Vec<_> = shop
        .message_type
        .iter()
        .map(|m| m.name.as_deref().unwrap())
        .collect();
    assert_eq!(top, ["Item"]);
    let enums: Vec<_> = shop
        .enum_type
        .iter()
        .map(|e| e.name.as_deref().unwrap())
        .collect();
    assert_eq!(enums, ["Kind"]);
    let item = message(shop, "Item");
    let details = find(&item.nested_type, "Details");
    assert_eq!(
        field(details, "parts"),
        &FieldDescriptorProto {
            label: Some(Label::LABEL_REPEATED),
            ..singular("parts", 2, Type::TYPE_MESSAGE, Some(".shop.v1.Item"))
        }
    );
    assert_eq!(item.enum_type.len(), 1);
    let state = &item.enum_type[0];
    assert_eq!(state.name.as_deref(), Some("State"));
    let values: Vec<_> = state
        .value
        .iter()
        .map(|v| (v.name.as_deref().unwrap(), v.number.unwrap()))
        .collect();
    assert_eq!(values, [("STATE_UNSPECIFIED", 0), ("STATE_READY", 1)]);
    let kind = &shop.enum_type[0];
    let values: Vec<_> = kind
        .value
        .iter()
        .map(|v| (v.name.as_deref().unwrap(), v.number.unwrap()))
        .collect();
    assert_eq!(
        values,
        [("KIND_UNKNOWN", 0), ("KIND_BOOK", 1), ("KIND_TOY", 2)],
        "declaration order"
    );
}

#[test]
fn declarations_naming_no_file_go_in_a_file_named_after_their_package() {
    let pool = DescriptorPool::from_services(&[plain::PlainServer::DESCRIPTOR]);
    assert_eq!(file_names(&pool), [NO_PACKAGE_FILE, "plain.pkg.proto"]);
    assert_eq!(NO_PACKAGE_FILE, "default.proto");
    let plain = file(&pool, "plain.pkg.proto");
    assert_eq!(plain.package.as_deref(), Some("plain.pkg"));
    assert_eq!(plain.dependency, [NO_PACKAGE_FILE]);
    assert_eq!(plain.service[0].name.as_deref(), Some("Plain"));
    assert_eq!(
        field(message(plain, "Ask"), "loose").type_name.as_deref(),
        Some(".Loose")
    );
    let loose = file(&pool, NO_PACKAGE_FILE);
    assert_eq!(loose.package, None);
    assert_eq!(loose.message_type[0].name.as_deref(), Some("Loose"));
}

#[test]
fn of_two_definitions_of_one_name_the_first_reached_is_served() {
    let pool = DescriptorPool::from_services(&[dup::DupServer::DESCRIPTOR]);
    let dup = file(&pool, "dup.proto");
    assert_eq!(dup.message_type.len(), 1);
    assert_eq!(
        dup.message_type[0].field,
        [singular("first", 1, Type::TYPE_INT32, None)]
    );
    assert_eq!(
        dup.service[0].method[0].output_type.as_deref(),
        Some(".dup.Thing")
    );
}

#[test]
fn two_packages_that_use_each_other_are_both_served_importing_each_other() {
    let pool = DescriptorPool::from_services(&[cycle::ping::PingerServer::DESCRIPTOR]);
    assert_eq!(file_names(&pool), ["ping.proto", "pong.proto"]);
    assert_eq!(file(&pool, "ping.proto").dependency, ["pong.proto"]);
    assert_eq!(file(&pool, "pong.proto").dependency, ["ping.proto"]);
    assert_eq!(
        pool.file_containing_symbol("pong.Pong.pings")
            .map(|file| file.name()),
        Some("pong.proto")
    );
}

#[test]
fn a_type_nested_in_a_message_nothing_reaches_is_served_in_a_fieldless_container() {
    let pool = DescriptorPool::from_services(&[orphan::FinderServer::DESCRIPTOR]);
    let orphan = file(&pool, "orphan.proto");
    let hidden = message(orphan, "Hidden");
    assert!(hidden.field.is_empty(), "{hidden:?}");
    assert_eq!(
        find(&hidden.nested_type, "Inner").field,
        [singular("value", 1, Type::TYPE_INT32, None)]
    );
    assert_eq!(orphan.message_type.len(), 1);
    assert!(pool.contains_message("orphan.Hidden.Inner"));
}

#[test]
fn the_pool_can_be_shared_between_threads() {
    fn shared<T: Send + Sync + 'static>() {}
    shared::<DescriptorPool>();
}
