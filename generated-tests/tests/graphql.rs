//! GraphQL queries answered from owned messages, views and bytes: the same response from all
//! three, the spec's errors for bad documents and variables, field errors with paths, FieldMask
//! paths. (graphql-js compares random messages and queries in CI: `graphql_oracle.cjs exec`.)

use prost::Message as _;
use protogen::graphql::{GraphqlType, Plan, RootSchema, Schema};
use protogen_generated_tests::{GRAPHQL_SCHEMA, common, legacy, shop};
use serde_json::{Value, json};

fn schema<T: GraphqlType>() -> RootSchema {
    Schema::new(GRAPHQL_SCHEMA)
        .unwrap()
        .with_root(T::GRAPHQL_TYPE)
        .unwrap()
}

fn order() -> shop::v1::Order {
    shop::v1::Order {
        id: "o-1".into(),
        customer_id: "c-9".into(),
        status: 2,
        items: vec![
            shop::v1::LineItem {
                sku: "a".into(),
                quantity: 2,
                unit_price: Some(common::v1::Money {
                    currency: 1,
                    units: -9_007_199_254_740_993,
                    nanos: 5,
                }),
                attributes: None,
                thumbnail: bytes::Bytes::from_static(b"png"),
            },
            shop::v1::LineItem {
                sku: "b".into(),
                ..Default::default()
            },
        ],
        payment: Some(shop::v1::order::Payment::VoucherCode("SAVE".into())),
        note: Some("leave at door".into()),
        labels: [("k".to_owned(), "v".to_owned())].into(),
        loyalty_points: vec![1, -2],
        adjustments: vec![i64::MAX],
        created_at: Some(prost_types::Timestamp {
            seconds: 1_700_000_000,
            nanos: 500_000_000,
        }),
        ..Default::default()
    }
}

/// The response from the owned message, its view and its bytes, checked equal; parsed.
fn answer(plan: &Plan, order: &shop::v1::Order) -> Value {
    let owned = plan.to_string(order);
    let bytes = order.encode_to_vec();
    let view = shop::v1::OrderView::decode(&bytes).unwrap();
    assert_eq!(plan.to_string(&view), owned, "view");
    let mut from_bytes = Vec::new();
    plan.write_bytes::<shop::v1::Order>(&bytes, &mut from_bytes)
        .unwrap();
    assert_eq!(String::from_utf8(from_bytes).unwrap(), owned, "bytes");
    serde_json::from_str(&owned).unwrap_or_else(|e| panic!("{e}: {owned}"))
}

#[test]
fn selected_fields_in_selection_order_with_aliases_and_typename() {
    let plan = schema::<shop::v1::Order>()
        .query(
            "{ customerId id __typename n: note items { sku price: unitPrice { units } } \
               createdAt loyaltyPoints adjustments status channel labels { key value } }",
        )
        .unwrap();
    let response = answer(&plan, &order());
    assert_eq!(
        response,
        json!({"data": {
            "customerId": "c-9",
            "id": "o-1",
            "__typename": "shop_v1_Order",
            "n": "leave at door",
            "items": [
                {"sku": "a", "price": {"units": "-9007199254740993"}},
                {"sku": "b", "price": null},
            ],
            "createdAt": "2023-11-14T22:13:20.500Z",
            "loyaltyPoints": [1, -2],
            "adjustments": ["9223372036854775807"],
            "status": "STATUS_PAID",
            "channel": "CHANNEL_UNSPECIFIED",
            "labels": [{"key": "k", "value": "v"}],
        }})
    );
    let text = plan.to_string(&order());
    assert!(
        text.starts_with("{\"data\":{\"customerId\":\"c-9\",\"id\":\"o-1\","),
        "keys in selection order: {text}"
    );
}

#[test]
fn oneofs_are_unions_answered_with_fragments() {
    let plan = schema::<shop::v1::Order>()
        .query(
            "{ payment { __typename ... on shop_v1_Order_payment_voucher_code { voucherCode } \
               ...Card } } fragment Card on shop_v1_Order_payment_card { card { last4 } }",
        )
        .unwrap();
    let mut order = order();
    assert_eq!(
        answer(&plan, &order),
        json!({"data": {"payment": {
            "__typename": "shop_v1_Order_payment_voucher_code",
            "voucherCode": "SAVE",
        }}})
    );
    order.payment = Some(shop::v1::order::Payment::Card(shop::v1::Card {
        last4: "4242".into(),
        ..Default::default()
    }));
    assert_eq!(
        answer(&plan, &order),
        json!({"data": {"payment": {"__typename": "shop_v1_Order_payment_card", "card": {"last4": "4242"}}}})
    );
    order.payment = Some(shop::v1::order::Payment::CashOnDelivery(()));
    assert_eq!(
        answer(&plan, &order),
        json!({"data": {"payment": {"__typename": "shop_v1_Order_payment_cash_on_delivery"}}})
    );
    order.payment = None;
    assert_eq!(answer(&plan, &order), json!({"data": {"payment": null}}));
}

#[test]
fn skip_and_include_follow_variables() {
    let document = schema::<shop::v1::Order>()
        .document(
            "query Q($withItems: Boolean!, $noId: Boolean = true) { \
               id @skip(if: $noId) items @include(if: $withItems) { sku } note }",
        )
        .unwrap();
    let plan = |vars: Value| document.plan(Some("Q"), vars.as_object().unwrap()).unwrap();
    assert_eq!(
        answer(&plan(json!({"withItems": true})), &order()),
        json!({"data": {"items": [{"sku": "a"}, {"sku": "b"}], "note": "leave at door"}})
    );
    assert_eq!(
        answer(&plan(json!({"withItems": false, "noId": false})), &order()),
        json!({"data": {"id": "o-1", "note": "leave at door"}})
    );
}

#[test]
fn bad_documents_get_every_error_with_line_and_column() {
    let errors = schema::<shop::v1::Order>()
        .document("{\n  id\n  nope\n  items\n}")
        .unwrap_err();
    let response: Value = serde_json::from_slice(&errors.to_response()).unwrap();
    let errors = response["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{response}");
    assert_eq!(errors[0]["locations"], json!([{"line": 3, "column": 3}]));
    assert!(
        errors[0]["message"].as_str().unwrap().contains("nope"),
        "{response}"
    );
    assert_eq!(errors[1]["locations"], json!([{"line": 4, "column": 3}]));
    assert!(response.get("data").is_none());

    let syntax = schema::<shop::v1::Order>().document("{ id").unwrap_err();
    assert!(!syntax.0.is_empty());
    assert!(!syntax.0[0].locations.is_empty(), "{syntax}");
}

#[test]
fn variables_are_coerced_as_the_spec_says() {
    let document = schema::<shop::v1::Order>()
        .document("query ($on: Boolean!) { id @include(if: $on) }")
        .unwrap();
    let missing = document.plan(None, &serde_json::Map::new()).unwrap_err();
    assert_eq!(missing.0.len(), 1);
    assert_eq!(missing.0[0].locations, [(1, 8)], "{missing}");
    let wrong = document
        .plan(None, json!({"on": "yes"}).as_object().unwrap())
        .unwrap_err();
    assert_eq!(wrong.0.len(), 1, "{wrong}");
}

#[test]
fn field_errors_null_the_nearest_nullable_field_and_carry_their_path() {
    // NaN is no GraphQL Float; an enum number without a name is no enum value.
    let plan = schema::<shop::v1::Order>()
        .query("{ id status discounts { code percent } }")
        .unwrap();
    let order = shop::v1::Order {
        id: "x".into(),
        status: 99,
        discounts: vec![shop::v1::order::Discount {
            code: "a".into(),
            percent: f64::NAN,
            kind: 0,
        }],
        ..Default::default()
    };
    let response = answer(&plan, &order);
    // `status` is non-null, so the error nulls the whole (root) object: data is null, and as
    // in graphql-js the object's later fields are not executed.
    assert_eq!(response["data"], Value::Null, "{response}");
    let errors = response["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{response}");
    assert_eq!(errors[0]["path"], json!(["status"]));
    assert_eq!(
        errors[0]["message"],
        "Enum \"shop_v1_Status\" cannot represent value: 99"
    );
    assert_eq!(errors[0]["locations"], json!([{"line": 1, "column": 6}]));
    let plan = schema::<shop::v1::Order>()
        .query("{ id discounts { code percent } }")
        .unwrap();
    let response = answer(&plan, &order);
    assert_eq!(response["data"], Value::Null, "{response}");
    assert_eq!(
        response["errors"][0]["path"],
        json!(["discounts", 0, "percent"])
    );

    // Under a nullable field, only that field becomes null.
    let plan = schema::<legacy::v1::Product>()
        .query("{ sku rating }")
        .unwrap();
    let product = legacy::v1::Product {
        sku: "s".into(),
        rating: Some(f64::INFINITY),
        ..Default::default()
    };
    let response: Value = serde_json::from_str(&plan.to_string(&product)).unwrap();
    assert_eq!(response["data"], json!({"sku": "s", "rating": null}));
    assert_eq!(response["errors"][0]["path"], json!(["rating"]));
    assert_eq!(
        response["errors"][0]["message"],
        "Float cannot represent non numeric value: Infinity"
    );
}

#[test]
fn bad_bytes_are_a_decode_error_and_nothing_is_written() {
    let plan = schema::<shop::v1::Order>().query("{ id }").unwrap();
    let mut out = Vec::new();
    assert!(
        plan.write_bytes::<shop::v1::Order>(&[0x0a, 0x05, b'a'], &mut out)
            .is_err()
    );
    assert!(out.is_empty());
}

#[test]
fn field_mask_paths_of_a_selection() {
    let plan = schema::<shop::v1::Order>()
        .query(
            "{ id customerId items { sku unitPrice { units } } total { units } total2: total { nanos } \
               payment { ... on shop_v1_Order_payment_card { card { last4 } } __typename } labels { key } \
               createdAt __typename }",
        )
        .unwrap();
    assert_eq!(
        plan.field_mask_paths(),
        [
            "card.last4",
            "cash_on_delivery",
            "created_at",
            "customer_id",
            "id",
            "items.sku",
            "items.unit_price.units",
            "labels",
            "total.nanos",
            "total.units",
            "voucher_code",
        ]
    );
}
