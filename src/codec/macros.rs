//! The `message!` and `enumeration!` macros: message and enum definitions
//! that read like their `.proto` and record their schema.

/// Defines protobuf messages that read like their `.proto`:
///
/// ```
/// h2grpc::enumeration! {
///     package "demo";
///     /// A colour.
///     pub enum Color { BLACK = 0, WHITE = 1 }
/// }
/// h2grpc::message! {
///     package "demo";
///     /// A latitude-longitude pair in E7 degrees.
///     pub struct Point {
///         /// Latitude in degrees × 10^7.
///         latitude: int32 = 1,
///         longitude: int32 = 2,
///     }
///     pub struct Everything {
///         name: string = 1,
///         location: message Point = 2,
///         tags: repeated string = 3,
///         scores: repeated sint64 = 4,
///         counts: map<string, int32> = 5,
///         maybe: optional uint32 = 6,
///         color: enum Color = 7,
///         oneof choice: Choice { text: string = 8, flag: bool = 9, at: message Point = 10 },
///         places: map<string, message Point> = 11,
///     }
/// }
/// let e = Everything { maybe: Some(0), choice: Some(Choice::flag(true)), ..Default::default() };
/// # use h2grpc::Message;
/// assert_eq!(Everything::decode(e.encode_to_bytes()).unwrap(), e);
/// ```
///
/// Scalar kinds: `int32 int64 uint32 uint64 sint32 sint64 fixed32 fixed64
/// sfixed32 sfixed64 float double bool string bytes` (Rust `i32 i64 u32 u64
/// i32 i64 u32 u64 i32 i64 f32 f64 bool String Bytes`); `message T` (an
/// `Option<T>`), `enum E` (an [`enumeration!`](crate::enumeration) type);
/// each may be `repeated` (a `Vec`) or proto3 `optional` (an `Option`);
/// `map<K, V>` (a `BTreeMap`, so entries are written in key order; `V` may be
/// `message T` or `enum E`); `oneof name: Enum { member: kind = N, ... }` (an
/// `Option<Enum>`, one variant per member, named as the member). Doc comments
/// and other attributes pass through to structs, fields and oneof members.
/// A header may name the `.proto` file the messages belong to, after the
/// package (`package "demo"; file "demo/shapes.proto";`); server reflection
/// serves each type in its file, and types whose declaration names none in
/// a file named after their package. A message or enum nested in another
/// message is declared with `in` and the containing message's name
/// (`pub struct Inner in Outer { .. }`, `pub enum Kind in Outer.Inner { .. }`):
/// its full name is `demo.Outer.Inner`.
///
/// A field named by a Rust keyword is written as a raw identifier
/// (`r#type: enum PayloadType = 1`) and keeps its proto name (`type`) in the
/// schema.
///
/// Each struct derives `Debug`, `Clone`, `PartialEq` and `Default`, and
/// implements [`Message`](crate::Message) and
/// [`MessageSchema`](crate::codec::MessageSchema) (full name, and per field
/// its name, number, type, label, map key type, oneof, and the schema of its
/// message or enum type).
///
/// Encoding follows protobuf (encoding.md): fields are written in the order
/// they are listed, so list them by field number to match other
/// implementations byte for byte; defaults are not written, except set
/// `optional` fields and oneof members; repeated scalars are packed. Decoding
/// accepts packed and unpacked repeated scalars, keeps the last occurrence of
/// a singular field, merges embedded messages seen twice, skips unknown
/// fields (unknown groups included), and refuses with a
/// [`DecodeError`](crate::DecodeError), never a panic, any malformed input,
/// nesting deeper than [`RECURSION_LIMIT`](crate::codec::RECURSION_LIMIT)
/// included.
#[macro_export]
macro_rules! message {
    (package $package:literal; file $file:literal; $($rest:tt)*) => {
        $crate::__messages!([$package] [$file] $($rest)*);
    };
    (package $package:literal; $($rest:tt)*) => {
        $crate::__messages!([$package] [] $($rest)*);
    };
    (file $file:literal; $($rest:tt)*) => {
        $crate::__messages!([] [$file] $($rest)*);
    };
    ($($rest:tt)*) => {
        $crate::__messages!([] [] $($rest)*);
    };
}

/// Defines protobuf enums: a newtype over `i32` with one associated
/// constant per declared value, so that values a newer peer sends survive a
/// decode and re-encode.
///
/// ```
/// h2grpc::enumeration! {
///     package "demo";
///     /// A colour.
///     pub enum Color { BLACK = 0, WHITE = 1 }
/// }
/// assert_eq!(Color::WHITE.name(), Some("WHITE"));
/// assert_eq!(Color(7).name(), None);
/// ```
#[macro_export]
macro_rules! enumeration {
    (package $package:literal; file $file:literal; $($rest:tt)*) => {
        $crate::__enumerations!([$package] [$file] $($rest)*);
    };
    (package $package:literal; $($rest:tt)*) => {
        $crate::__enumerations!([$package] [] $($rest)*);
    };
    (file $file:literal; $($rest:tt)*) => {
        $crate::__enumerations!([] [$file] $($rest)*);
    };
    ($($rest:tt)*) => {
        $crate::__enumerations!([] [] $($rest)*);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __full_name {
    ([$($package:literal)?] [$($parent:ident)*] $name:ident) => {
        concat!($($package, ".",)? $(stringify!($parent), ".",)* stringify!($name))
    };
    ([$package:literal] $name:ident) => {
        concat!($package, ".", stringify!($name))
    };
    ([] $name:ident) => {
        stringify!($name)
    };
}

/// A declaration's package, or `""`.
#[doc(hidden)]
#[macro_export]
macro_rules! __package {
    ([$package:literal]) => {
        $package
    };
    ([]) => {
        ""
    };
}

/// A declaration's `.proto` file name, if it gives one.
#[doc(hidden)]
#[macro_export]
macro_rules! __file {
    ([$file:literal]) => {
        ::core::option::Option::Some($file)
    };
    ([]) => {
        ::core::option::Option::None
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __kind {
    (int32) => { $crate::__private::kinds::Int32 };
    (int64) => { $crate::__private::kinds::Int64 };
    (uint32) => { $crate::__private::kinds::Uint32 };
    (uint64) => { $crate::__private::kinds::Uint64 };
    (sint32) => { $crate::__private::kinds::Sint32 };
    (sint64) => { $crate::__private::kinds::Sint64 };
    (fixed32) => { $crate::__private::kinds::Fixed32 };
    (fixed64) => { $crate::__private::kinds::Fixed64 };
    (sfixed32) => { $crate::__private::kinds::Sfixed32 };
    (sfixed64) => { $crate::__private::kinds::Sfixed64 };
    (float) => { $crate::__private::kinds::Float };
    (double) => { $crate::__private::kinds::Double };
    (bool) => { $crate::__private::kinds::Bool };
    (string) => { $crate::__private::kinds::Str };
    (bytes) => { $crate::__private::kinds::Blob };
    (message $t:path) => { $crate::__private::kinds::Msg<$t> };
    (enum $t:path) => { $crate::__private::kinds::Enumeration<$t> };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __rust {
    (int32) => {
        i32
    };
    (int64) => {
        i64
    };
    (uint32) => {
        u32
    };
    (uint64) => {
        u64
    };
    (sint32) => {
        i32
    };
    (sint64) => {
        i64
    };
    (fixed32) => {
        u32
    };
    (fixed64) => {
        u64
    };
    (sfixed32) => {
        i32
    };
    (sfixed64) => {
        i64
    };
    (float) => {
        f32
    };
    (double) => {
        f64
    };
    (bool) => {
        bool
    };
    (string) => {
        ::std::string::String
    };
    (bytes) => {
        $crate::__private::Bytes
    };
    (message $t:path) => {
        $t
    };
    (enum $t:path) => {
        $t
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __messages {
    ($package:tt $file:tt) => {};
    ($package:tt $file:tt $(#[$attr:meta])* $vis:vis struct $name:ident $(in $($parent:ident).+)? { $($body:tt)* } $($rest:tt)*) => {
        $crate::__message_fields! {
            @parse { $package $file [$($($parent)+)?] } [$(#[$attr])*] [$vis] $name [] [] $($body)*
        }
        $crate::__messages!($package $file $($rest)*);
    };
}

/// Parses a message body one field at a time into a uniform list:
/// `{ [attrs] name (codec) first_number [all numbers] }`, and oneofs into a
/// second list, then writes the struct, its oneof enums and its impls.
#[doc(hidden)]
#[macro_export]
macro_rules! __message_fields {
    // oneof name: Enum { member: kind = N, ... }
    (@parse $p:tt $a:tt $v:tt $name:ident [$($fields:tt)*] [$($oneofs:tt)*]
        $(#[$fm:meta])* oneof $f:ident : $e:ident {
            $( $(#[$vm:meta])* $member:ident : $mk:ident $($mt:path)? = $mn:literal ),* $(,)?
        } $(, $($rest:tt)*)?) => {
        $crate::__message_fields! { @parse $p $a $v $name
            [$($fields)* { [$(#[$fm])*] $f (::std::option::Option<$e>) ($crate::__private::field::Oneof<$e>) 0 [$($mn)|*] }]
            [$($oneofs)* { $f $e [ $( [$(#[$vm])*] $member ($crate::__rust!($mk $($mt)?)) ($crate::__kind!($mk $($mt)?)) $mn ),* ] }]
            $($($rest)*)? }
    };
    (@parse $p:tt $a:tt $v:tt $name:ident [$($fields:tt)*] $o:tt
        $(#[$fm:meta])* $f:ident : repeated message $t:path = $n:literal $(, $($rest:tt)*)?) => {
        $crate::__message_fields! { @parse $p $a $v $name
            [$($fields)* { [$(#[$fm])*] $f (::std::vec::Vec<$t>) ($crate::__private::field::Repeated<$crate::__private::kinds::Msg<$t>>) $n [$n] }]
            $o $($($rest)*)? }
    };
    (@parse $p:tt $a:tt $v:tt $name:ident [$($fields:tt)*] $o:tt
        $(#[$fm:meta])* $f:ident : repeated enum $t:path = $n:literal $(, $($rest:tt)*)?) => {
        $crate::__message_fields! { @parse $p $a $v $name
            [$($fields)* { [$(#[$fm])*] $f (::std::vec::Vec<$t>) ($crate::__private::field::Repeated<$crate::__private::kinds::Enumeration<$t>>) $n [$n] }]
            $o $($($rest)*)? }
    };
    (@parse $p:tt $a:tt $v:tt $name:ident [$($fields:tt)*] $o:tt
        $(#[$fm:meta])* $f:ident : repeated $k:ident = $n:literal $(, $($rest:tt)*)?) => {
        $crate::__message_fields! { @parse $p $a $v $name
            [$($fields)* { [$(#[$fm])*] $f (::std::vec::Vec<$crate::__rust!($k)>) ($crate::__private::field::Repeated<$crate::__kind!($k)>) $n [$n] }]
            $o $($($rest)*)? }
    };
    (@parse $p:tt $a:tt $v:tt $name:ident [$($fields:tt)*] $o:tt
        $(#[$fm:meta])* $f:ident : optional message $t:path = $n:literal $(, $($rest:tt)*)?) => {
        $crate::__message_fields! { @parse $p $a $v $name
            [$($fields)* { [$(#[$fm])*] $f (::std::option::Option<$t>) ($crate::__private::field::Optional<$crate::__private::kinds::Msg<$t>>) $n [$n] }]
            $o $($($rest)*)? }
    };
    (@parse $p:tt $a:tt $v:tt $name:ident [$($fields:tt)*] $o:tt
        $(#[$fm:meta])* $f:ident : optional enum $t:path = $n:literal $(, $($rest:tt)*)?) => {
        $crate::__message_fields! { @parse $p $a $v $name
            [$($fields)* { [$(#[$fm])*] $f (::std::option::Option<$t>) ($crate::__private::field::Optional<$crate::__private::kinds::Enumeration<$t>>) $n [$n] }]
            $o $($($rest)*)? }
    };
    (@parse $p:tt $a:tt $v:tt $name:ident [$($fields:tt)*] $o:tt
        $(#[$fm:meta])* $f:ident : optional $k:ident = $n:literal $(, $($rest:tt)*)?) => {
        $crate::__message_fields! { @parse $p $a $v $name
            [$($fields)* { [$(#[$fm])*] $f (::std::option::Option<$crate::__rust!($k)>) ($crate::__private::field::Optional<$crate::__kind!($k)>) $n [$n] }]
            $o $($($rest)*)? }
    };
    (@parse $p:tt $a:tt $v:tt $name:ident [$($fields:tt)*] $o:tt
        $(#[$fm:meta])* $f:ident : message $t:path = $n:literal $(, $($rest:tt)*)?) => {
        $crate::__message_fields! { @parse $p $a $v $name
            [$($fields)* { [$(#[$fm])*] $f (::std::option::Option<$t>) ($crate::__private::field::MessageField<$t>) $n [$n] }]
            $o $($($rest)*)? }
    };
    (@parse $p:tt $a:tt $v:tt $name:ident [$($fields:tt)*] $o:tt
        $(#[$fm:meta])* $f:ident : enum $t:path = $n:literal $(, $($rest:tt)*)?) => {
        $crate::__message_fields! { @parse $p $a $v $name
            [$($fields)* { [$(#[$fm])*] $f ($t) ($crate::__private::field::Singular<$crate::__private::kinds::Enumeration<$t>>) $n [$n] }]
            $o $($($rest)*)? }
    };
    (@parse $p:tt $a:tt $v:tt $name:ident [$($fields:tt)*] $o:tt
        $(#[$fm:meta])* $f:ident : map < $k:ident , $vk:ident $($vt:path)? > = $n:literal $(, $($rest:tt)*)?) => {
        $crate::__message_fields! { @parse $p $a $v $name
            [$($fields)* { [$(#[$fm])*] $f (::std::collections::BTreeMap<$crate::__rust!($k), $crate::__rust!($vk $($vt)?)>) ($crate::__private::field::MapOf<$crate::__kind!($k), $crate::__kind!($vk $($vt)?)>) $n [$n] }]
            $o $($($rest)*)? }
    };
    (@parse $p:tt $a:tt $v:tt $name:ident [$($fields:tt)*] $o:tt
        $(#[$fm:meta])* $f:ident : $k:ident = $n:literal $(, $($rest:tt)*)?) => {
        $crate::__message_fields! { @parse $p $a $v $name
            [$($fields)* { [$(#[$fm])*] $f ($crate::__rust!($k)) ($crate::__private::field::Singular<$crate::__kind!($k)>) $n [$n] }]
            $o $($($rest)*)? }
    };
    // Every field parsed: write it all.
    (@parse { [$($package:literal)?] [$($file:literal)?] [$($parent:ident)*] } [$(#[$attr:meta])*] [$vis:vis] $name:ident
        [$({ [$(#[$fm:meta])*] $f:ident ($rust:ty) ($codec:ty) $first:literal [$($num:literal)|*] })*]
        [$({ $of:ident $oe:ident $members:tt })*]) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Default)]
        $vis struct $name {
            $( $(#[$fm])* pub $f: $rust, )*
        }

        $( $crate::__oneof! { [$vis] $name $of $oe $members } )*

        impl $crate::codec::Message for $name {
            #[inline]
            fn encoded_len(&self) -> usize {
                0 $( + <$codec as $crate::__private::field::FieldCodec>::encoded_len($first, &self.$f) )*
            }
            #[inline]
            fn encode<B: $crate::__private::BufMut>(&self, buf: &mut B) {
                let _ = &buf;
                $( <$codec as $crate::__private::field::FieldCodec>::encode($first, &self.$f, buf); )*
            }
            fn descriptor() -> ::std::option::Option<&'static $crate::codec::MessageDescriptor> {
                ::std::option::Option::Some(<Self as $crate::codec::MessageSchema>::schema())
            }
            #[inline]
            fn decode(buf: $crate::__private::Bytes) -> ::std::result::Result<Self, $crate::codec::DecodeError> {
                let mut message = <Self as ::std::default::Default>::default();
                $crate::codec::MessageSchema::merge_fields(&mut message, &mut $crate::__private::wire::Input::new(&buf), 0)?;
                ::std::result::Result::Ok(message)
            }
        }

        impl $crate::codec::MessageSchema for $name {
            const FULL_NAME: &'static str = $crate::__full_name!([$($package)?] [$($parent)*] $name);
            fn schema() -> &'static $crate::codec::MessageDescriptor {
                static SCHEMA: ::std::sync::OnceLock<$crate::codec::MessageDescriptor> = ::std::sync::OnceLock::new();
                SCHEMA.get_or_init(|| {
                    #[allow(unused_mut)]
                    let mut fields = ::std::vec::Vec::new();
                    $( <$codec as $crate::__private::field::FieldCodec>::describe($crate::__private::field::proto_name(stringify!($f)), $first, &mut fields); )*
                    $crate::codec::MessageDescriptor::new(<Self as $crate::codec::MessageSchema>::FULL_NAME, fields)
                        .with_scope($crate::__package!([$($package)?]), $crate::__file!([$($file)?]))
                })
            }
            #[inline]
            // A oneof's members are matched by their numbers as listed.
            #[allow(clippy::manual_range_patterns)]
            fn merge_fields(&mut self, input: &mut $crate::__private::wire::Input<'_>, depth: u32) -> ::std::result::Result<(), $crate::codec::DecodeError> {
                let _ = depth;
                while !input.is_empty() {
                    let (number, wire) = input.read_key()?;
                    match number {
                        $( $($num)|* => <$codec as $crate::__private::field::FieldCodec>::merge(number, wire, &mut self.$f, input, depth)?, )*
                        _ => input.skip(wire)?,
                    }
                }
                ::std::result::Result::Ok(())
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __oneof {
    ([$vis:vis] $message:ident $oneof:ident $enum_name:ident [ $( [$(#[$vm:meta])*] $member:ident ($rust:ty) ($kind:ty) $number:literal ),* ]) => {
        #[doc = concat!("The `", stringify!($oneof), "` oneof of `", stringify!($message), "`: one variant per member.")]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(non_camel_case_types)]
        $vis enum $enum_name {
            $( $(#[$vm])* #[allow(missing_docs)] $member($rust), )*
        }

        impl $crate::__private::field::OneofValue for $enum_name {
            #[inline]
            fn encoded_len(&self) -> usize {
                match self {
                    $( $enum_name::$member(value) => $crate::__private::wire::key_len($number)
                        + <$kind as $crate::__private::kinds::Kind>::value_len(value), )*
                }
            }
            #[inline]
            fn encode(&self, buf: &mut impl $crate::__private::BufMut) {
                match self {
                    $( $enum_name::$member(value) => {
                        $crate::__private::wire::put_key(buf, $number, <$kind as $crate::__private::kinds::Kind>::WIRE);
                        <$kind as $crate::__private::kinds::Kind>::put(value, buf);
                    } )*
                }
            }
            fn merge(
                slot: &mut ::std::option::Option<Self>,
                number: u32,
                wire: $crate::__private::wire::WireType,
                input: &mut $crate::__private::wire::Input<'_>,
                depth: u32,
            ) -> ::std::result::Result<(), $crate::codec::DecodeError> {
                match number {
                    $( $number => {
                        let current = match slot {
                            Some($enum_name::$member(existing)) => Some(existing),
                            _ => None,
                        };
                        if let Some(value) = $crate::__private::field::merge_oneof_member::<$kind>(current, wire, input, depth)? {
                            *slot = Some($enum_name::$member(value));
                        }
                        Ok(())
                    } )*
                    _ => input.skip(wire),
                }
            }
            fn describe(oneof: &'static str, out: &mut ::std::vec::Vec<$crate::codec::FieldDescriptor>) {
                $( out.push($crate::__private::field::oneof_member::<$kind>(stringify!($member), $number, oneof)); )*
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __enumerations {
    ([$($package:literal)?] [$($file:literal)?]) => {};
    ([$($package:literal)?] [$($file:literal)?] $(#[$attr:meta])* $vis:vis enum $name:ident $(in $($parent:ident).+)? {
        $( $(#[$vm:meta])* $value:ident = $number:literal ),* $(,)?
    } $($rest:tt)*) => {
        $(#[$attr])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
        $vis struct $name(pub i32);

        #[allow(non_upper_case_globals)]
        impl $name {
            $( $(#[$vm])* #[allow(missing_docs)] pub const $value: $name = $name($number); )*

            /// The declared name of this value; `None` for a number the
            /// definition does not declare.
            pub fn name(&self) -> ::std::option::Option<&'static str> {
                <Self as $crate::codec::ProtoEnum>::values()
                    .iter()
                    .find(|(_, number)| *number == self.0)
                    .map(|(name, _)| *name)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.name() {
                    Some(name) => f.write_str(name),
                    None => write!(f, "{}({})", stringify!($name), self.0),
                }
            }
        }

        impl $crate::codec::ProtoEnum for $name {
            fn schema() -> &'static $crate::codec::EnumDescriptor {
                static SCHEMA: $crate::codec::EnumDescriptor = $crate::codec::EnumDescriptor::new(
                    $crate::__full_name!([$($package)?] [$($($parent)+)?] $name),
                    &[$( (stringify!($value), $number) ),*],
                )
                .with_scope($crate::__package!([$($package)?]), $crate::__file!([$($file)?]));
                &SCHEMA
            }
            fn number(&self) -> i32 {
                self.0
            }
            fn from_number(number: i32) -> Self {
                $name(number)
            }
        }

        $crate::__enumerations!([$($package)?] [$($file)?] $($rest)*);
    };
}
