//! Decoding a view and reading every field allocates nothing: counted by a global allocator
//! that tallies this thread's allocations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use prost::Message as _;
use protogen_generated_tests::{common, edge, legacy, shop};

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: both methods forward to `System`, a correct allocator, unchanged; counting touches no
// allocation (a `const` thread-local `Cell`).
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|n| n.set(n.get() + 1));
        // SAFETY: forwarded unchanged to the system allocator, which upholds the contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout, via `alloc` above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

fn full_order() -> Vec<u8> {
    let item = |sku: &str| shop::v1::LineItem {
        sku: sku.into(),
        quantity: 3,
        unit_price: Some(common::v1::Money {
            currency: 1,
            units: 5,
            nanos: 7,
        }),
        attributes: None,
        thumbnail: bytes::Bytes::from_static(b"png"),
    };
    let order = shop::v1::Order {
        id: "order-1".into(),
        customer_id: "c".into(),
        status: 2,
        items: vec![item("a"), item("b"), item("c")],
        total: Some(common::v1::Money {
            currency: 1,
            units: 15,
            nanos: 21,
        }),
        shipping_address: Some(common::v1::Address {
            lines: vec!["1 Main St".into(), "Apt 2".into()],
            city: "Lyon".into(),
            postal_code: "69001".into(),
            country: "FR".into(),
        }),
        note: Some("ring twice".into()),
        labels: [
            ("a".to_owned(), "1".to_owned()),
            ("b".to_owned(), "2".to_owned()),
        ]
        .into(),
        items_by_sku: [("a".to_owned(), item("a"))].into(),
        loyalty_points: (0..100).collect(),
        adjustments: vec![-5, 5],
        status_history: vec![1, 2, 3],
        payment: Some(shop::v1::order::Payment::Card(shop::v1::Card {
            token: "tok".into(),
            last4: "4242".into(),
            expiry_month: 1,
            expiry_year: 2030,
        })),
        ..Default::default()
    };
    let mut bytes = order.encode_to_vec();
    // A duplicated `total` makes the view merge two occurrences.
    let extra = common::v1::Money {
        currency: 0,
        units: 0,
        nanos: 1,
    }
    .encode_to_vec();
    bytes.extend_from_slice(&[0x2a, extra.len() as u8]);
    bytes.extend_from_slice(&extra);
    bytes
}

#[test]
fn decoding_and_reading_every_field_allocates_nothing() {
    let bytes = full_order();
    let mut checksum = 0u64;
    let allocations = allocations_during(|| {
        let order = shop::v1::OrderView::decode(&bytes).unwrap();
        checksum += order.id().len() as u64 + order.customer_id().len() as u64;
        checksum += order.status() as u64;
        for item in order.items() {
            checksum += item.sku().len() as u64 + u64::from(item.quantity());
            checksum += item
                .unit_price()
                .map_or(0, |p| p.units() as u64 + p.nanos() as u64);
            checksum += item.thumbnail().len() as u64;
        }
        let total = order.total().unwrap();
        checksum += total.units() as u64 + total.nanos() as u64 + total.currency() as u64;
        let address = order.shipping_address().unwrap();
        checksum += address.lines().map(str::len).sum::<usize>() as u64;
        checksum +=
            (address.city().len() + address.postal_code().len() + address.country().len()) as u64;
        checksum += order.note().len() as u64 + u64::from(order.has_priority());
        for (k, v) in order.labels() {
            checksum += (k.len() + v.len()) as u64;
        }
        checksum += order.labels().get("b").map_or(0, |v| v.len() as u64);
        for (k, v) in order.items_by_sku() {
            checksum += k.len() as u64 + u64::from(v.quantity());
        }
        checksum += order.loyalty_points().map(|p| p as u64).sum::<u64>();
        checksum += order.adjustments().map(i64::unsigned_abs).sum::<u64>();
        checksum += order.status_history().len() as u64;
        if let Some(shop::v1::order_view::Payment::Card(card)) = order.payment() {
            checksum +=
                (card.token().len() + card.last4().len()) as u64 + u64::from(card.expiry_year());
        }
        checksum += order.unknown_fields().count() as u64;
    });
    assert_eq!(allocations, 0);
    assert!(checksum > 0);
    // The counter does count: building the owned message allocates its strings and vectors.
    let view = shop::v1::OrderView::decode(&bytes).unwrap();
    assert!(allocations_during(|| drop(view.to_owned())) > 10);
}

#[test]
fn proto2_groups_and_recursive_messages_allocate_nothing() {
    let product = legacy::v1::Product {
        sku: "s".into(),
        dimensions: Some(legacy::v1::product::Dimensions {
            width_mm: Some(1),
            height_mm: Some(2),
            depth_mm: None,
        }),
        variant: vec![
            legacy::v1::product::Variant {
                variant_sku: "v".into(),
                color: Some("red".into())
            };
            3
        ],
        ..Default::default()
    }
    .encode_to_vec();
    let mut node = edge::v1::Node {
        name: "leaf".into(),
        ..Default::default()
    };
    for i in 0..50 {
        node = edge::v1::Node {
            name: format!("n{i}"),
            next: Some(Box::new(node)),
            ..Default::default()
        };
    }
    let node = node.encode_to_vec();
    let mut sum = 0usize;
    let allocations = allocations_during(|| {
        let view = legacy::v1::ProductView::decode(&product).unwrap();
        sum += view.title().len() + view.dimensions().map_or(0, |d| d.width_mm() as usize);
        sum += view
            .variant()
            .map(|v| v.variant_sku().len() + v.color().len())
            .sum::<usize>();
        let mut next = Some(edge::v1::NodeView::decode(&node).unwrap());
        while let Some(n) = next {
            sum += n.name().len();
            next = n.next();
        }
    });
    assert_eq!(allocations, 0);
    assert!(sum > 0);
}

/// A message that passes validation allocates nothing, owned or viewed; patterns are compiled
/// on first use, so one warm-up call comes first.
#[test]
fn validating_a_valid_message_allocates_nothing() {
    use protogen::Validate;
    use protogen_generated_tests::validation::v1 as rules;

    let item = |name: &str| rules::Item {
        name: name.into(),
        quantity: 1,
    };
    let collections = rules::Collections {
        tags: vec!["ab".into(), "cd".into()],
        items: vec![item("a"), item("b")],
        counts: [("ab".to_owned(), 1)].into(),
        by_id: [(1, item("x"))].into(),
        numbers: (0..40).collect(),
        required_list: vec!["x".into()],
    };
    let strings = rules::Strings {
        min_len: "abc".into(),
        max_len: "abc".into(),
        len: "ab".into(),
        bytes_len: "abc".into(),
        pattern: "ab-1".into(),
        prefix: "abmyz".into(),
        not_contains: "ok".into(),
        r#in: "a".into(),
        not_in: "b".into(),
        konst: "exact".into(),
        email: "a@b.c".into(),
        hostname: "example.com".into(),
        ip: "10.0.0.1".into(),
        uri: "https://example.com/a?b=c".into(),
        uuid: "550e8400-e29b-41d4-a716-446655440000".into(),
        header: "x-id".into(),
        optional_email: String::new(),
        maybe: Some("ab".into()),
        host_port: "[::1]:80".into(),
        required: "r".into(),
    };
    let nested = rules::Nested {
        item: Some(item("a")),
        optional_item: Some(item("b")),
        always_ignored: None,
        children: vec![rules::Nested {
            item: Some(item("c")),
            ..Default::default()
        }],
    };
    let encoded = [
        collections.encode_to_vec(),
        strings.encode_to_vec(),
        nested.encode_to_vec(),
    ];
    let check = || {
        collections.validate().unwrap();
        strings.validate().unwrap();
        nested.validate().unwrap();
        rules::CollectionsView::decode(&encoded[0])
            .unwrap()
            .validate()
            .unwrap();
        rules::StringsView::decode(&encoded[1])
            .unwrap()
            .validate()
            .unwrap();
        rules::NestedView::decode(&encoded[2])
            .unwrap()
            .validate()
            .unwrap();
    };
    check();
    assert_eq!(allocations_during(check), 0);
}

/// A compiled GraphQL query answered from bytes (and from the owned message) allocates nothing
/// once the output buffer has room: the plan is read, the view decodes in place, values are
/// written into the buffer.
#[test]
fn answering_a_graphql_query_allocates_nothing_but_the_output() {
    use protogen::graphql::{GraphqlType, Schema};
    let bytes = full_order();
    let plan = Schema::new(protogen_generated_tests::GRAPHQL_SCHEMA)
        .unwrap()
        .with_root(shop::v1::Order::GRAPHQL_TYPE)
        .unwrap()
        .query(
            "{ id status items { sku quantity unitPrice { units } } total { units } \
               labels { key value } payment { __typename } createdAt }",
        )
        .unwrap();
    let mut out = Vec::with_capacity(64 << 10);
    let allocations = allocations_during(|| {
        plan.write_bytes::<shop::v1::Order>(&bytes, &mut out)
            .unwrap();
    });
    assert!(out.len() > 100, "{}", String::from_utf8_lossy(&out));
    assert_eq!(allocations, 0);
    let order = shop::v1::Order::decode(bytes.as_slice()).unwrap();
    out.clear();
    let allocations = allocations_during(|| plan.write(&order, &mut out));
    assert_eq!(allocations, 0);
}
