//! `file_containing_symbol` and `contains_message`: every kind of symbol
//! leads to the file that declares it; anything else to nothing.

use h2grpc::services::reflection::DescriptorPool;

use super::pool::shop_pool;

fn file_of<'a>(pool: &'a DescriptorPool, symbol: &str) -> Option<&'a str> {
    pool.file_containing_symbol(symbol).map(|file| file.name())
}

#[test]
fn services_and_methods_lead_to_the_service_file() {
    let pool = shop_pool();
    for symbol in ["shop.v1.Shop", "shop.v1.Shop.Get", "shop.v1.Shop.Chat"] {
        assert_eq!(
            file_of(&pool, symbol),
            Some("shop/v1/service.proto"),
            "{symbol}"
        );
    }
}

#[test]
fn messages_nested_ones_map_entries_fields_and_oneofs_lead_to_their_file() {
    let pool = shop_pool();
    for symbol in [
        "shop.v1.Item",
        "shop.v1.Item.Details",
        "shop.v1.Item.TagCountsEntry",
        "shop.v1.Item.display_name",
        "shop.v1.Item.Details.note",
        "shop.v1.Item.TagCountsEntry.key",
        "shop.v1.Item.price",
        "shop.v1.Item._discount",
    ] {
        assert_eq!(
            file_of(&pool, symbol),
            Some("shop/v1/shop.proto"),
            "{symbol}"
        );
    }
    assert_eq!(
        file_of(&pool, "shop.v1.Money.units"),
        Some("shop/v1/common.proto")
    );
    assert_eq!(
        file_of(&pool, "google.protobuf.Empty"),
        Some("google/protobuf/empty.proto")
    );
}

#[test]
fn enums_and_their_values_lead_to_their_file_by_either_scope() {
    let pool = shop_pool();
    for symbol in [
        "shop.v1.Kind",
        // C++ scoping: values are siblings of their enum...
        "shop.v1.KIND_BOOK",
        // ...and, as some clients ask, children of it.
        "shop.v1.Kind.KIND_BOOK",
        "shop.v1.Item.State",
        "shop.v1.Item.STATE_READY",
        "shop.v1.Item.State.STATE_READY",
    ] {
        assert_eq!(
            file_of(&pool, symbol),
            Some("shop/v1/shop.proto"),
            "{symbol}"
        );
    }
}

#[test]
fn unknown_symbols_lead_nowhere() {
    let pool = shop_pool();
    for symbol in [
        "",
        "shop",
        "shop.v1",
        "shop.v1.Missing",
        "shop.v1.Shop.Missing",
        "shop.v1.Item.missing",
        "shop.v1.STATE_READY",
        ".shop.v1.Item",
        "Item",
    ] {
        assert_eq!(file_of(&pool, symbol), None, "{symbol}");
    }
}

#[test]
fn contains_message_knows_messages_and_nothing_else() {
    let pool = shop_pool();
    for name in [
        "shop.v1.Item",
        "shop.v1.Item.Details",
        "shop.v1.Item.TagCountsEntry",
        "shop.v1.Money",
        "google.protobuf.Empty",
    ] {
        assert!(pool.contains_message(name), "{name}");
    }
    for name in [
        "shop.v1.Kind",
        "shop.v1.Shop",
        "shop.v1.Item.display_name",
        "shop.v1.Missing",
    ] {
        assert!(!pool.contains_message(name), "{name}");
    }
}

#[test]
fn files_are_found_by_name_only() {
    let pool = shop_pool();
    assert_eq!(
        pool.file_by_name("shop/v1/shop.proto").map(|f| f.name()),
        Some("shop/v1/shop.proto")
    );
    assert!(pool.file_by_name("shop.proto").is_none());
    assert!(pool.file_by_name("shop.v1.Item").is_none());
}
