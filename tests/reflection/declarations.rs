//! Small services that use every shape a descriptor has: a nested message
//! and enum, maps (scalar and message values), oneofs around a proto3
//! `optional` field, a message that contains itself, types in three files
//! and one from protobuf's well-known types; and the awkward cases: files
//! named after their package, two definitions of one name, two packages
//! that use each other, a type nested in a message nothing reaches.

pub mod shop {
    //! package shop.v1, in shop/v1/shop.proto, shop/v1/common.proto and
    //! shop/v1/service.proto.

    use h2grpc::codec::well_known::Empty;

    h2grpc::enumeration! {
        package "shop.v1";
        file "shop/v1/shop.proto";
        /// What an item is.
        pub enum Kind { KIND_UNKNOWN = 0, KIND_BOOK = 1, KIND_TOY = 2 }
        /// Where an item is.
        pub enum State in Item { STATE_UNSPECIFIED = 0, STATE_READY = 1 }
    }

    h2grpc::message! {
        package "shop.v1";
        file "shop/v1/shop.proto";
        /// An item, with every kind of field.
        pub struct Item {
            display_name: string = 1,
            kind: enum Kind = 2,
            tag_counts: map<string, int32> = 3,
            oneof price: Price { cents: int64 = 4, free: bool = 5 },
            discount: optional uint32 = 6,
            children: repeated message Item = 7,
            details: message Details = 8,
            state: enum State = 9,
            oneof label: Label { text: string = 10 },
            details_by_id: map<int64, message Details> = 11,
            cost: message super::shop::Money = 12,
            history: repeated enum State = 13,
        }
        /// Declared inside Item.
        pub struct Details in Item { note: string = 1, parts: repeated message Item = 2 }
    }

    h2grpc::message! {
        package "shop.v1";
        file "shop/v1/common.proto";
        /// An amount of money.
        pub struct Money { units: int64 = 1, currency_code: string = 2 }
    }

    h2grpc::service! {
        package "shop.v1";
        file "shop/v1/service.proto";
        /// Sells items.
        pub service Shop {
            rpc Get(Item) returns (Item);
            rpc Watch(Empty) returns (stream Item);
            rpc Upload(stream Item) returns (Empty);
            rpc Chat(stream Item) returns (stream Item);
        }
    }
}

pub mod plain {
    //! A service and messages that name no file (package `plain.pkg`), and
    //! a message of no package.

    h2grpc::message! {
        /// A message of no package.
        pub struct Loose { value: int32 = 1 }
    }

    h2grpc::message! {
        package "plain.pkg";
        /// The request.
        pub struct Ask { loose: message super::plain::Loose = 1 }
    }

    h2grpc::service! {
        package "plain.pkg";
        /// No file named.
        pub service Plain { rpc Call(Ask) returns (Ask); }
    }
}

pub mod dup {
    //! Two definitions of `dup.Thing`; the service reaches `a::Thing` first.

    pub mod a {
        h2grpc::message! {
            package "dup";
            /// The first definition.
            pub struct Thing { first: int32 = 1 }
        }
    }

    pub mod b {
        h2grpc::message! {
            package "dup";
            /// The second definition.
            pub struct Thing { second: string = 1 }
        }
    }

    h2grpc::service! {
        package "dup";
        /// Takes one Thing, returns the other.
        pub service Dup { rpc Swap(a::Thing) returns (b::Thing); }
    }
}

pub mod cycle {
    //! Packages `ping` and `pong` use each other's types, files unnamed.

    pub mod ping {
        h2grpc::message! {
            package "ping";
            /// Holds a Pong.
            pub struct Ping { pongs: repeated message super::pong::Pong = 1 }
        }
        h2grpc::service! {
            package "ping";
            /// Serves a Ping.
            pub service Pinger { rpc Ping(Ping) returns (Ping); }
        }
    }

    pub mod pong {
        h2grpc::message! {
            package "pong";
            /// Holds a Ping.
            pub struct Pong { pings: repeated message super::ping::Ping = 1 }
        }
    }
}

pub mod orphan {
    //! `orphan.Hidden.Inner` is reached; `orphan.Hidden` is not.

    h2grpc::message! {
        package "orphan";
        file "orphan.proto";
        /// No service uses it.
        pub struct Hidden { secret: string = 1 }
        /// Declared inside Hidden, used by the service.
        pub struct Inner in Hidden { value: int32 = 1 }
    }

    h2grpc::service! {
        package "orphan";
        file "orphan.proto";
        /// Uses only the nested type.
        pub service Finder { rpc Find(Inner) returns (Inner); }
    }
}
