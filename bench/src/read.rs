//! Decode one message and read every field, per decoder and shape. Each returns the same
//! checksum: the sum of every number (floats by bits), enum number and string/bytes length.

use buffa::MessageView as _;
use prost::Message as _;
use quick_protobuf::{BytesReader, MessageRead as _};

use crate::buffa_gen::__buffa::view as bv;
use crate::buffa_gen::__buffa::view::oneof::any_value::Value as BValue;
use crate::pg::bench as pb;
use crate::quick::bench as q;
use crate::quick::bench::mod_AnyValue::OneOfvalue as QValue;

/// Wrapping sum of everything passed.
macro_rules! sum {
    ($($e:expr),* $(,)?) => { 0u64 $(.wrapping_add($e as u64))* };
}

// ---- prost: decode owned, then read the struct.

pub fn prost_log(buf: &[u8]) -> u64 {
    let m = pb::LogRecord::decode(buf).unwrap();
    let attrs = m
        .attributes
        .iter()
        .map(|kv| sum!(kv.key.len(), kv.value.len()))
        .fold(0, u64::wrapping_add);
    let tags = m
        .tags
        .iter()
        .map(|t| t.len() as u64)
        .fold(0, u64::wrapping_add);
    sum!(
        m.time_unix_nano,
        m.severity,
        m.service.len(),
        m.host.len(),
        m.logger.len(),
        m.message.len(),
        m.trace_id.len(),
        m.span_id.len(),
        attrs,
        tags
    )
}

pub fn prost_metric(buf: &[u8]) -> u64 {
    let m = pb::MetricPoint::decode(buf).unwrap();
    sum!(
        m.name.len(),
        m.start_time_unix_nano,
        m.time_unix_nano,
        m.count,
        m.sum.to_bits(),
        m.min.to_bits(),
        m.max.to_bits(),
        m.bucket_counts.iter().fold(0u64, |a, v| a.wrapping_add(*v)),
        m.explicit_bounds
            .iter()
            .fold(0u64, |a, v| a.wrapping_add(v.to_bits())),
        m.deltas.iter().fold(0u64, |a, v| a.wrapping_add(*v as u64)),
        m.samples
            .iter()
            .fold(0u64, |a, v| a.wrapping_add(v.to_bits())),
        m.exemplar_ids
            .iter()
            .fold(0u64, |a, v| a.wrapping_add(u64::from(*v))),
    )
}

fn prost_attr(a: &pb::Attribute) -> u64 {
    use pb::any_value::Value;
    let value = match a.value.as_ref().and_then(|v| v.value.as_ref()) {
        Some(Value::StringValue(s)) => s.len() as u64,
        Some(Value::BoolValue(b)) => u64::from(*b),
        Some(Value::IntValue(i)) => *i as u64,
        Some(Value::DoubleValue(d)) => d.to_bits(),
        Some(Value::BytesValue(b)) => b.len() as u64,
        None => 0,
    };
    sum!(a.key.len(), value)
}

fn prost_attrs(attrs: &[pb::Attribute]) -> u64 {
    attrs.iter().map(prost_attr).fold(0, u64::wrapping_add)
}

pub fn prost_trace(buf: &[u8]) -> u64 {
    let m = pb::Trace::decode(buf).unwrap();
    let mut total = 0u64;
    for rs in &m.resource_spans {
        total = total.wrapping_add(sum!(prost_attrs(&rs.resource), rs.schema_url.len()));
        for s in &rs.spans {
            let events = s
                .events
                .iter()
                .map(|e| sum!(e.time_unix_nano, e.name.len(), prost_attrs(&e.attributes)));
            let status = s
                .status
                .as_ref()
                .map_or(0, |st| sum!(st.message.len(), st.code));
            total = total.wrapping_add(sum!(
                s.trace_id.len(),
                s.span_id.len(),
                s.parent_span_id.len(),
                s.name.len(),
                s.kind,
                s.start_time_unix_nano,
                s.end_time_unix_nano,
                prost_attrs(&s.attributes),
                events.fold(0, u64::wrapping_add),
                status,
            ));
        }
    }
    total
}

// ---- protogen: decode a view, then read through its accessors.

pub fn view_log(buf: &[u8]) -> u64 {
    let m = pb::LogRecordView::decode(buf).unwrap();
    let attrs = m
        .attributes()
        .map(|kv| sum!(kv.key().len(), kv.value().len()))
        .fold(0, u64::wrapping_add);
    let tags = m.tags().map(|t| t.len() as u64).fold(0, u64::wrapping_add);
    sum!(
        m.time_unix_nano(),
        m.severity(),
        m.service().len(),
        m.host().len(),
        m.logger().len(),
        m.message().len(),
        m.trace_id().len(),
        m.span_id().len(),
        attrs,
        tags
    )
}

pub fn view_metric(buf: &[u8]) -> u64 {
    let m = pb::MetricPointView::decode(buf).unwrap();
    sum!(
        m.name().len(),
        m.start_time_unix_nano(),
        m.time_unix_nano(),
        m.count(),
        m.sum().to_bits(),
        m.min().to_bits(),
        m.max().to_bits(),
        m.bucket_counts().fold(0u64, u64::wrapping_add),
        m.explicit_bounds()
            .fold(0u64, |a, v| a.wrapping_add(v.to_bits())),
        m.deltas().fold(0u64, |a, v| a.wrapping_add(v as u64)),
        m.samples().fold(0u64, |a, v| a.wrapping_add(v.to_bits())),
        m.exemplar_ids()
            .fold(0u64, |a, v| a.wrapping_add(u64::from(v))),
    )
}

fn view_attr(a: pb::AttributeView<'_>) -> u64 {
    use pb::any_value_view::Value;
    let value = match a.value().and_then(|v| v.value()) {
        Some(Value::StringValue(s)) => s.len() as u64,
        Some(Value::BoolValue(b)) => u64::from(b),
        Some(Value::IntValue(i)) => i as u64,
        Some(Value::DoubleValue(d)) => d.to_bits(),
        Some(Value::BytesValue(b)) => b.len() as u64,
        None => 0,
    };
    sum!(a.key().len(), value)
}

pub fn view_trace(buf: &[u8]) -> u64 {
    let m = pb::TraceView::decode(buf).unwrap();
    let mut total = 0u64;
    for rs in m.resource_spans() {
        total = total.wrapping_add(sum!(
            rs.resource().map(view_attr).fold(0, u64::wrapping_add),
            rs.schema_url().len()
        ));
        for s in rs.spans() {
            let events = s.events().map(|e| {
                sum!(
                    e.time_unix_nano(),
                    e.name().len(),
                    e.attributes().map(view_attr).fold(0, u64::wrapping_add)
                )
            });
            let status = s
                .status()
                .map_or(0, |st| sum!(st.message().len(), st.code()));
            total = total.wrapping_add(sum!(
                s.trace_id().len(),
                s.span_id().len(),
                s.parent_span_id().len(),
                s.name().len(),
                s.kind(),
                s.start_time_unix_nano(),
                s.end_time_unix_nano(),
                s.attributes().map(view_attr).fold(0, u64::wrapping_add),
                events.fold(0, u64::wrapping_add),
                status,
            ));
        }
    }
    total
}

// ---- quick-protobuf: borrowed (Cow) structs with Vecs for repeated fields.

pub fn quick_log(buf: &[u8]) -> u64 {
    let m = q::LogRecord::from_reader(&mut BytesReader::from_bytes(buf), buf).unwrap();
    let attrs = m
        .attributes
        .iter()
        .map(|kv| sum!(kv.key.len(), kv.value.len()))
        .fold(0, u64::wrapping_add);
    let tags = m
        .tags
        .iter()
        .map(|t| t.len() as u64)
        .fold(0, u64::wrapping_add);
    sum!(
        m.time_unix_nano,
        m.severity as i32,
        m.service.len(),
        m.host.len(),
        m.logger.len(),
        m.message.len(),
        m.trace_id.len(),
        m.span_id.len(),
        attrs,
        tags
    )
}

pub fn quick_metric(buf: &[u8]) -> u64 {
    let m = q::MetricPoint::from_reader(&mut BytesReader::from_bytes(buf), buf).unwrap();
    sum!(
        m.name.len(),
        m.start_time_unix_nano,
        m.time_unix_nano,
        m.count,
        m.sum.to_bits(),
        m.min.to_bits(),
        m.max.to_bits(),
        m.bucket_counts.iter().fold(0u64, |a, v| a.wrapping_add(*v)),
        m.explicit_bounds
            .iter()
            .fold(0u64, |a, v| a.wrapping_add(v.to_bits())),
        m.deltas.iter().fold(0u64, |a, v| a.wrapping_add(*v as u64)),
        m.samples
            .iter()
            .fold(0u64, |a, v| a.wrapping_add(v.to_bits())),
        m.exemplar_ids
            .iter()
            .fold(0u64, |a, v| a.wrapping_add(u64::from(*v))),
    )
}

fn quick_attrs(attrs: &[q::Attribute<'_>]) -> u64 {
    attrs
        .iter()
        .map(|a| {
            let value = match a.value.as_ref().map(|v| &v.value) {
                Some(QValue::string_value(s)) => s.len() as u64,
                Some(QValue::bool_value(b)) => u64::from(*b),
                Some(QValue::int_value(i)) => *i as u64,
                Some(QValue::double_value(d)) => d.to_bits(),
                Some(QValue::bytes_value(b)) => b.len() as u64,
                Some(QValue::None) | None => 0,
            };
            sum!(a.key.len(), value)
        })
        .fold(0, u64::wrapping_add)
}

pub fn quick_trace(buf: &[u8]) -> u64 {
    let m = q::Trace::from_reader(&mut BytesReader::from_bytes(buf), buf).unwrap();
    let mut total = 0u64;
    for rs in &m.resource_spans {
        total = total.wrapping_add(sum!(quick_attrs(&rs.resource), rs.schema_url.len()));
        for s in &rs.spans {
            let events = s
                .events
                .iter()
                .map(|e| sum!(e.time_unix_nano, e.name.len(), quick_attrs(&e.attributes)));
            let status = s
                .status
                .as_ref()
                .map_or(0, |st| sum!(st.message.len(), st.code));
            total = total.wrapping_add(sum!(
                s.trace_id.len(),
                s.span_id.len(),
                s.parent_span_id.len(),
                s.name.len(),
                s.kind as i32,
                s.start_time_unix_nano,
                s.end_time_unix_nano,
                quick_attrs(&s.attributes),
                events.fold(0, u64::wrapping_add),
                status,
            ));
        }
    }
    total
}

// ---- buffa: eager views (a Vec per repeated field).

pub fn buffa_log(buf: &[u8]) -> u64 {
    let m = bv::LogRecordView::decode_view(buf).unwrap();
    let attrs = m
        .attributes
        .iter()
        .map(|kv| sum!(kv.key.len(), kv.value.len()))
        .fold(0, u64::wrapping_add);
    let tags = m
        .tags
        .iter()
        .map(|t| t.len() as u64)
        .fold(0, u64::wrapping_add);
    sum!(
        m.time_unix_nano,
        m.severity.to_i32(),
        m.service.len(),
        m.host.len(),
        m.logger.len(),
        m.message.len(),
        m.trace_id.len(),
        m.span_id.len(),
        attrs,
        tags
    )
}

pub fn buffa_metric(buf: &[u8]) -> u64 {
    let m = bv::MetricPointView::decode_view(buf).unwrap();
    sum!(
        m.name.len(),
        m.start_time_unix_nano,
        m.time_unix_nano,
        m.count,
        m.sum.to_bits(),
        m.min.to_bits(),
        m.max.to_bits(),
        m.bucket_counts.iter().fold(0u64, |a, v| a.wrapping_add(*v)),
        m.explicit_bounds
            .iter()
            .fold(0u64, |a, v| a.wrapping_add(v.to_bits())),
        m.deltas.iter().fold(0u64, |a, v| a.wrapping_add(*v as u64)),
        m.samples
            .iter()
            .fold(0u64, |a, v| a.wrapping_add(v.to_bits())),
        m.exemplar_ids
            .iter()
            .fold(0u64, |a, v| a.wrapping_add(u64::from(*v))),
    )
}

fn buffa_attrs(attrs: &[bv::AttributeView<'_>]) -> u64 {
    attrs
        .iter()
        .map(|a| {
            let value = match a.value.as_option().and_then(|v| v.value.as_ref()) {
                Some(BValue::StringValue(s)) => s.len() as u64,
                Some(BValue::BoolValue(b)) => u64::from(*b),
                Some(BValue::IntValue(i)) => *i as u64,
                Some(BValue::DoubleValue(d)) => d.to_bits(),
                Some(BValue::BytesValue(b)) => b.len() as u64,
                None => 0,
            };
            sum!(a.key.len(), value)
        })
        .fold(0, u64::wrapping_add)
}

pub fn buffa_trace(buf: &[u8]) -> u64 {
    let m = bv::TraceView::decode_view(buf).unwrap();
    let mut total = 0u64;
    for rs in m.resource_spans.iter() {
        total = total.wrapping_add(sum!(buffa_attrs(&rs.resource), rs.schema_url.len()));
        for s in rs.spans.iter() {
            let events = s
                .events
                .iter()
                .map(|e| sum!(e.time_unix_nano, e.name.len(), buffa_attrs(&e.attributes)));
            let status = s
                .status
                .as_option()
                .map_or(0, |st| sum!(st.message.len(), st.code));
            total = total.wrapping_add(sum!(
                s.trace_id.len(),
                s.span_id.len(),
                s.parent_span_id.len(),
                s.name.len(),
                s.kind.to_i32(),
                s.start_time_unix_nano,
                s.end_time_unix_nano,
                buffa_attrs(&s.attributes),
                events.fold(0, u64::wrapping_add),
                status,
            ));
        }
    }
    total
}
