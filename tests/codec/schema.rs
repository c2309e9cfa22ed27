//! The schema `message!` and `enumeration!` record: full names, and per
//! field its name, number, type, label, map key, oneof, and the definition
//! of a message or enum type, reachable without any registry.

use h2grpc::codec::{
    EnumDescriptor, FieldDescriptor, Label, MessageDescriptor, MessageSchema, ProtoEnum, ProtoType,
};
use h2grpc::Message;

h2grpc::enumeration! {
    package "schema.v1";
    /// A colour.
    pub enum Color {
        /// The default.
        BLACK = 0,
        WHITE = 1,
        NEGATIVE = -1,
    }
}

h2grpc::message! {
    package "schema.v1";
    /// A point.
    pub struct Point { x: sint32 = 1, y: sint32 = 2 }
    /// Nothing at all.
    pub struct Empty {}
    /// Every label and every kind of type reference.
    pub struct Everything {
        /// A scalar.
        name: string = 1,
        location: message Point = 2,
        tags: repeated string = 3,
        scores: repeated sint64 = 4,
        counts: map<string, int32> = 5,
        maybe: optional uint32 = 6,
        color: enum Color = 7,
        oneof choice: Choice {
            /// Some text.
            text: string = 8,
            flag: bool = 9,
            at: message Point = 10,
        },
        places: map<int64, message Point> = 11,
        colors: map<bool, enum Color> = 12,
        history: repeated enum Color = 13,
        path: repeated message Point = 14,
        maybe_color: optional enum Color = 15,
        oneof other: Other { empty: message Empty = 16, number: fixed64 = 17 },
        children: repeated message Everything = 18,
    }
}

h2grpc::message! {
    /// A message without a package.
    pub struct Bare { raw: bytes = 1 }
}

fn field(
    name: &'static str,
    number: u32,
    label: Label,
    ty: ProtoType,
) -> (&'static str, u32, Label, ProtoType) {
    (name, number, label, ty)
}

#[test]
fn names_numbers_types_and_labels_are_recorded_in_declaration_order() {
    let schema = Everything::schema();
    assert_eq!(schema.full_name(), "schema.v1.Everything");
    assert_eq!(schema.name(), "Everything");
    assert_eq!(schema.package(), "schema.v1");
    assert_eq!(Everything::FULL_NAME, "schema.v1.Everything");
    let point = ProtoType::Message("schema.v1.Point");
    let color = ProtoType::Enum("schema.v1.Color");
    use Label::*;
    let fields: Vec<_> = schema
        .fields()
        .iter()
        .map(|f| (f.name, f.number, f.label, f.ty))
        .collect();
    assert_eq!(
        fields,
        vec![
            field("name", 1, Singular, ProtoType::String),
            field("location", 2, Singular, point),
            field("tags", 3, Repeated, ProtoType::String),
            field("scores", 4, Repeated, ProtoType::Sint64),
            field("counts", 5, Repeated, ProtoType::Int32),
            field("maybe", 6, Optional, ProtoType::Uint32),
            field("color", 7, Singular, color),
            field("text", 8, Singular, ProtoType::String),
            field("flag", 9, Singular, ProtoType::Bool),
            field("at", 10, Singular, point),
            field("places", 11, Repeated, point),
            field("colors", 12, Repeated, color),
            field("history", 13, Repeated, color),
            field("path", 14, Repeated, point),
            field("maybe_color", 15, Optional, color),
            field("empty", 16, Singular, ProtoType::Message("schema.v1.Empty")),
            field("number", 17, Singular, ProtoType::Fixed64),
            field(
                "children",
                18,
                Repeated,
                ProtoType::Message("schema.v1.Everything")
            ),
        ]
    );
}

#[test]
fn maps_record_their_key_type_and_oneofs_their_members() {
    let schema = Everything::schema();
    let by_name = |name: &str| -> &FieldDescriptor {
        schema.fields().iter().find(|f| f.name == name).unwrap()
    };
    assert_eq!(by_name("counts").map_key, Some(ProtoType::String));
    assert_eq!(by_name("places").map_key, Some(ProtoType::Int64));
    assert_eq!(by_name("colors").map_key, Some(ProtoType::Bool));
    assert_eq!(by_name("tags").map_key, None);
    for (name, oneof) in [
        ("text", Some("choice")),
        ("flag", Some("choice")),
        ("at", Some("choice")),
        ("empty", Some("other")),
        ("number", Some("other")),
        ("maybe", None),
        ("name", None),
    ] {
        assert_eq!(by_name(name).oneof, oneof, "{name}");
    }
    assert_eq!(schema.oneofs(), vec!["choice", "other"]);
    assert_eq!(schema.field(17).unwrap().name, "number");
    assert!(schema.field(99).is_none());
}

#[test]
fn message_and_enum_fields_lead_to_their_types_definitions() {
    let schema = Everything::schema();
    let location = schema.field(2).unwrap();
    assert_eq!(location.message_type(), Some(Point::schema()));
    assert_eq!(location.enum_type(), None);
    assert_eq!(
        schema
            .field(11)
            .unwrap()
            .message_type()
            .unwrap()
            .full_name(),
        "schema.v1.Point"
    );
    assert_eq!(schema.field(12).unwrap().enum_type(), Some(Color::schema()));
    assert_eq!(
        schema.field(16).unwrap().message_type(),
        Some(Empty::schema())
    );
    // A message that contains itself.
    assert_eq!(
        schema.field(18).unwrap().message_type(),
        Some(Everything::schema())
    );
    assert_eq!(schema.field(1).unwrap().type_ref, None);
    assert_eq!(
        format!("{:?}", schema.field(7).unwrap().type_ref.unwrap()),
        "Enum(schema.v1.Color)"
    );
}

/// Every type reachable from `root`, as reflection would collect them.
fn walk(root: &'static MessageDescriptor) -> (Vec<&'static str>, Vec<&'static str>) {
    let mut messages = vec![root];
    let mut enums: Vec<&'static EnumDescriptor> = Vec::new();
    let mut i = 0;
    while i < messages.len() {
        for f in messages[i].fields() {
            if let Some(m) = f.message_type() {
                if !messages.contains(&m) {
                    messages.push(m);
                }
            }
            if let Some(e) = f.enum_type() {
                if !enums.contains(&e) {
                    enums.push(e);
                }
            }
        }
        i += 1;
    }
    (
        messages.iter().map(|m| m.full_name()).collect(),
        enums.iter().map(|e| e.full_name()).collect(),
    )
}

#[test]
fn every_type_a_message_uses_is_reachable_from_it() {
    assert_eq!(
        walk(Everything::schema()),
        (
            vec!["schema.v1.Everything", "schema.v1.Point", "schema.v1.Empty"],
            vec!["schema.v1.Color"]
        )
    );
}

#[test]
fn enums_record_their_values_and_keep_undeclared_ones() {
    let schema = Color::schema();
    assert_eq!(schema.full_name(), "schema.v1.Color");
    assert_eq!(schema.name(), "Color");
    assert_eq!(schema.package(), "schema.v1");
    assert_eq!(
        schema.values(),
        &[("BLACK", 0), ("WHITE", 1), ("NEGATIVE", -1)]
    );
    assert_eq!(Color::full_name(), "schema.v1.Color");
    assert_eq!(Color::default(), Color::BLACK);
    assert_eq!(Color::NEGATIVE.name(), Some("NEGATIVE"));
    assert_eq!(Color::from_number(5).number(), 5);
    assert_eq!(format!("{:?}", Color(5)), "Color(5)");
    assert_eq!(format!("{:?}", Color::WHITE), "WHITE");
}

#[test]
fn empty_and_package_less_messages_work() {
    assert_eq!(Empty::schema().fields(), &[]);
    assert_eq!(Empty {}.encoded_len(), 0);
    assert_eq!(
        Empty::decode(bytes::Bytes::from_static(&[0x08, 0x01])),
        Ok(Empty {})
    );
    assert_eq!(Bare::schema().full_name(), "Bare");
    assert_eq!(Bare::schema().package(), "");
    assert_eq!(Bare::schema().fields()[0].ty, ProtoType::Bytes);
    assert_eq!(ProtoType::Sfixed32.proto_name(), "sfixed32");
    assert_eq!(
        ProtoType::Enum("schema.v1.Color").proto_name(),
        "schema.v1.Color"
    );
}

#[test]
fn every_field_kind_round_trips_through_the_macro() {
    let value = Everything {
        name: "n".into(),
        location: Some(Point { x: -1, y: 1 }),
        tags: vec!["a".into(), "".into()],
        scores: vec![i64::MIN, 0, i64::MAX],
        counts: [("x".to_string(), -5)].into(),
        maybe: Some(0),
        color: Color::NEGATIVE,
        choice: Some(Choice::at(Point::default())),
        places: [(-1, Point { x: 3, y: 4 })].into(),
        colors: [(true, Color(9)), (false, Color::WHITE)].into(),
        history: vec![Color::WHITE, Color(-7)],
        path: vec![Point::default(), Point { x: 1, y: 0 }],
        maybe_color: Some(Color::BLACK),
        other: Some(Other::empty(Empty {})),
        children: vec![Everything {
            other: Some(Other::number(u64::MAX)),
            ..Everything::default()
        }],
    };
    let bytes = value.encode_to_bytes();
    assert_eq!(bytes.len(), value.encoded_len());
    assert_eq!(Everything::decode(bytes).unwrap(), value);
}

mod scoped {
    //! Declarations that name their `.proto` file and nest types in a
    //! message, as descriptor.proto scopes them.

    use h2grpc::codec::{MessageSchema, ProtoEnum};
    use h2grpc::Message;

    h2grpc::message! {
        package "scoped.v1";
        file "scoped/v1/outer.proto";
        pub struct Outer { inner: message Inner = 1, status: enum Status = 2 }
        pub struct Inner in Outer { deep: message Deep = 1 }
        pub struct Deep in Outer.Inner { value: int32 = 1 }
    }

    h2grpc::enumeration! {
        package "scoped.v1";
        file "scoped/v1/outer.proto";
        pub enum Status in Outer { UNKNOWN = 0, READY = 1 }
    }

    h2grpc::message! {
        pub struct Unscoped { flag: bool = 1 }
    }

    #[test]
    fn a_nested_message_is_named_inside_its_container_and_keeps_the_package() {
        let deep = Deep::schema();
        assert_eq!(deep.full_name(), "scoped.v1.Outer.Inner.Deep");
        assert_eq!(deep.name(), "Deep");
        assert_eq!(deep.package(), "scoped.v1");
        assert_eq!(deep.containing_type(), Some("scoped.v1.Outer.Inner"));
        assert_eq!(Inner::schema().containing_type(), Some("scoped.v1.Outer"));
        assert_eq!(Outer::schema().containing_type(), None);
    }

    #[test]
    fn a_nested_enum_is_named_inside_its_container_and_keeps_the_package() {
        let status = Status::schema();
        assert_eq!(status.full_name(), "scoped.v1.Outer.Status");
        assert_eq!(status.name(), "Status");
        assert_eq!(status.package(), "scoped.v1");
        assert_eq!(status.containing_type(), Some("scoped.v1.Outer"));
    }

    #[test]
    fn the_declared_file_is_recorded_and_absent_when_not_declared() {
        assert_eq!(Outer::schema().file(), Some("scoped/v1/outer.proto"));
        assert_eq!(Deep::schema().file(), Some("scoped/v1/outer.proto"));
        assert_eq!(Status::schema().file(), Some("scoped/v1/outer.proto"));
        let unscoped = Unscoped::schema();
        assert_eq!(unscoped.file(), None);
        assert_eq!(unscoped.package(), "");
        assert_eq!(unscoped.full_name(), "Unscoped");
    }

    #[test]
    fn nested_types_encode_like_any_other() {
        let outer = Outer {
            inner: Some(Inner {
                deep: Some(Deep { value: 7 }),
            }),
            status: Status::READY,
        };
        assert_eq!(Outer::decode(outer.encode_to_bytes()).unwrap(), outer);
    }
}
