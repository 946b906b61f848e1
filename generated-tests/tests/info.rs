//! The `info` pass describes each generated type exactly as the descriptor does: checked against
//! prost-reflect's view of the same schemas, compiled independently here by protox.

use prost_reflect::{Cardinality as RCard, DescriptorPool, Kind};
use protogen::{Cardinality, EnumInfo, FieldInfo, FieldKind, MessageInfo};
use protogen_generated_tests::{common, edge, legacy, shop};

fn pool() -> DescriptorPool {
    protox::compile(
        [
            "common/v1/money.proto",
            "shop/v1/order.proto",
            "legacy/v1/catalog.proto",
            "edge/v1/keywords.proto",
        ],
        ["../schemas"],
    )
    .map(|fds| DescriptorPool::from_file_descriptor_set(fds).unwrap())
    .expect("schemas compile")
}

fn expected_kind(kind: &Kind, is_group: bool) -> String {
    match kind {
        Kind::Message(m) if is_group => format!("Group({:?})", m.full_name()),
        Kind::Message(m) => format!("Message({:?})", m.full_name()),
        Kind::Enum(e) => format!("Enum({:?})", e.full_name()),
        // prost-reflect spells scalar kinds in lower case (`int64`), protogen in camel case.
        other => format!("{other:?}").to_lowercase(),
    }
}

fn check_message<M: MessageInfo>(pool: &DescriptorPool) {
    let desc = pool
        .get_message_by_name(M::FULL_NAME)
        .unwrap_or_else(|| panic!("{} is in the schemas", M::FULL_NAME));
    let expected: Vec<_> = desc.fields().collect();
    assert_eq!(M::FIELDS.len(), expected.len(), "{}", M::FULL_NAME);
    for (info, field) in M::FIELDS.iter().zip(&expected) {
        let at = format!("{}.{}", M::FULL_NAME, field.name());
        assert_eq!(info.name, field.name(), "{at}");
        assert_eq!(info.json_name, field.json_name(), "{at}");
        assert_eq!(info.number, field.number(), "{at}");
        let kind = match info.kind {
            FieldKind::Map(key, value) => {
                let Kind::Message(entry) = field.kind() else {
                    panic!("{at}: map entry")
                };
                let (k, v) = (entry.map_entry_key_field(), entry.map_entry_value_field());
                assert_eq!(
                    format!("{key:?}").to_lowercase(),
                    expected_kind(&k.kind(), false),
                    "{at} key"
                );
                let value = match value {
                    FieldKind::Enum(_) | FieldKind::Message(_) => format!("{value:?}"),
                    scalar => format!("{scalar:?}").to_lowercase(),
                };
                assert_eq!(value, expected_kind(&v.kind(), false), "{at} value");
                continue_with_cardinality(info, field, &at);
                continue;
            }
            kind @ (FieldKind::Enum(_) | FieldKind::Message(_) | FieldKind::Group(_)) => {
                format!("{kind:?}")
            }
            scalar => format!("{scalar:?}").to_lowercase(),
        };
        assert_eq!(kind, expected_kind(&field.kind(), field.is_group()), "{at}");
        continue_with_cardinality(info, field, &at);
    }
}

fn continue_with_cardinality(info: &FieldInfo, field: &prost_reflect::FieldDescriptor, at: &str) {
    let expected = match field.cardinality() {
        _ if field.is_map() => Cardinality::Map,
        RCard::Repeated => Cardinality::Repeated,
        RCard::Required => Cardinality::Required,
        RCard::Optional if field.supports_presence() => Cardinality::Optional,
        RCard::Optional => Cardinality::Singular,
    };
    assert_eq!(info.cardinality, expected, "{at}");
    let oneof = field.containing_oneof().filter(|o| !o.is_synthetic());
    assert_eq!(info.oneof, oneof.as_ref().map(|o| o.name()), "{at}");
}

fn check_enum<E: EnumInfo>(pool: &DescriptorPool, closed: bool) {
    let desc = pool
        .get_enum_by_name(E::FULL_NAME)
        .expect("enum is in the schemas");
    let expected: Vec<_> = desc
        .values()
        .map(|v| (v.name().to_owned(), v.number()))
        .collect();
    let actual: Vec<_> = E::VALUES.iter().map(|(n, v)| (n.to_string(), *v)).collect();
    assert_eq!(actual, expected, "{}", E::FULL_NAME);
    assert_eq!(E::CLOSED, closed, "{}", E::FULL_NAME);
}

#[test]
fn message_tables_match_the_descriptors() {
    let pool = pool();
    check_message::<common::v1::Money>(&pool);
    check_message::<common::v1::Address>(&pool);
    check_message::<shop::v1::Order>(&pool);
    check_message::<shop::v1::order::Discount>(&pool);
    check_message::<shop::v1::LineItem>(&pool);
    check_message::<shop::v1::Card>(&pool);
    check_message::<shop::v1::MapShowcase>(&pool);
    check_message::<shop::v1::ScalarShowcase>(&pool);
    check_message::<legacy::v1::Product>(&pool);
    check_message::<legacy::v1::product::Dimensions>(&pool);
    check_message::<legacy::v1::product::Variant>(&pool);
    check_message::<legacy::v1::Category>(&pool);
    check_message::<legacy::v1::OldPrice>(&pool);
    check_message::<edge::v1::Self_>(&pool);
    check_message::<edge::v1::Type>(&pool);
    check_message::<edge::v1::r#type::Payload>(&pool);
    check_message::<edge::v1::Node>(&pool);
}

#[test]
fn enum_tables_match_the_descriptors() {
    let pool = pool();
    check_enum::<common::v1::Currency>(&pool, false);
    check_enum::<shop::v1::Status>(&pool, false);
    check_enum::<shop::v1::order::Channel>(&pool, false);
    check_enum::<shop::v1::order::discount::Kind>(&pool, false);
    check_enum::<legacy::v1::Availability>(&pool, true);
    check_enum::<edge::v1::r#type::Kind>(&pool, false);
    check_enum::<edge::v1::Where>(&pool, false);
}

#[test]
fn lookups_by_name_json_name_and_number() {
    let by_json = shop::v1::Order::field_by_name("customerId").unwrap();
    assert_eq!((by_json.name, by_json.number), ("customer_id", 2));
    assert_eq!(
        shop::v1::Order::field_by_number(10).unwrap().oneof,
        Some("payment")
    );
    assert!(shop::v1::Order::field_by_name("legacy_total").is_none());
    assert_eq!(shop::v1::Status::value_name(2), Some("STATUS_PAID"));
    assert_eq!(shop::v1::Status::value_name(99), None);
}
