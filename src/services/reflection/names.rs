//! Names protoc derives from a field's name: its JSON name and, for a map
//! field, the name of the entry type it declares.

/// A field's `json_name` as protoc computes it (descriptor.cc, `ToJsonName`):
/// underscores are dropped and the letter after one is upper-cased; nothing
/// else changes (`ToDigest` stays `ToDigest`, `point_count` becomes
/// `pointCount`).
pub(super) fn json_name(field: &str) -> String {
    let mut name = String::with_capacity(field.len());
    let mut upper_next = false;
    for c in field.chars() {
        if c == '_' {
            upper_next = true;
        } else if upper_next {
            name.push(c.to_ascii_uppercase());
            upper_next = false;
        } else {
            name.push(c);
        }
    }
    name
}

/// The name of the entry type protoc declares for a map field (descriptor.cc,
/// `MapEntryName`): the field name in CamelCase (first letter and every
/// letter after an underscore upper-cased, underscores dropped) + `Entry`.
pub(super) fn map_entry_name(field: &str) -> String {
    let mut name = String::with_capacity(field.len() + 5);
    let mut upper_next = true;
    for c in field.chars() {
        if c == '_' {
            upper_next = true;
        } else if upper_next {
            name.push(c.to_ascii_uppercase());
            upper_next = false;
        } else {
            name.push(c);
        }
    }
    name.push_str("Entry");
    name
}

/// A type reference as descriptors write it: the full name with a leading
/// dot (`.pkg.Msg`), which marks it fully qualified.
pub(super) fn type_name(full_name: &str) -> String {
    format!(".{full_name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_names_follow_protoc() {
        for (field, json) in [
            ("name", "name"),
            ("point_count", "pointCount"),
            ("ToDigest", "ToDigest"),
            ("a__b", "aB"),
            ("trailing_", "trailing"),
            ("_lead", "Lead"),
            ("x_1y", "x1y"),
        ] {
            assert_eq!(json_name(field), json, "{field}");
        }
    }

    #[test]
    fn map_entry_names_follow_protoc() {
        for (field, entry) in [
            ("counts", "CountsEntry"),
            ("my_map", "MyMapEntry"),
            ("Already", "AlreadyEntry"),
            ("a__b", "ABEntry"),
        ] {
            assert_eq!(map_entry_name(field), entry, "{field}");
        }
    }
}
