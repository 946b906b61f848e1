//! proto3 JSON: protogen against pbjson (+ serde_json) and prost-reflect.
//!
//! ```text
//! cargo bench -p protogen-bench --bench json
//! ```
//!
//! Three jobs on the three shapes of the decode benchmark:
//! - **encode**: owned message → JSON bytes (protogen's writer, protogen's `Serialize` through
//!   serde_json, pbjson + serde_json, prost-reflect's `DynamicMessage` + serde_json);
//! - **bytes**: protobuf bytes → JSON (protogen's one-pass transcoder, protogen views, prost
//!   decode + protogen, prost decode + pbjson);
//! - **decode**: JSON text → owned message (protogen, protogen's `Deserialize` through
//!   serde_json, pbjson + serde_json, prost-reflect).
//!
//! Output buffers are reused across messages by every contender. Prints criterion's timings, then
//! a Markdown table: ns/message, speed relative to pbjson, heap allocations per message.

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use prost::Message;
use prost_reflect::{DescriptorPool, DynamicMessage, ReflectMessage};
use protogen::json::{self, EncodeOptions, JsonMessage, JsonViewFields, JsonWire};
use protogen_bench::{Counting, DESCRIPTORS, Shape, count_allocations, data, pg, plain};

#[global_allocator]
static GLOBAL: Counting = Counting;

fn count(shape: Shape) -> usize {
    match shape {
        Shape::Log => 1000,
        Shape::Metric => 500,
        Shape::Trace => 100,
    }
}

/// One shape's inputs in every form the contenders start from.
struct Inputs<P, Q> {
    owned: Vec<P>,
    plain: Vec<Q>,
    dynamic: Vec<DynamicMessage>,
    bytes: Vec<Vec<u8>>,
    json: Vec<String>,
}

/// What protogen generates for a message, as the contenders use it.
trait Ours:
    JsonMessage
    + JsonViewFields
    + JsonWire
    + Message
    + Default
    + json::serde::Serialize
    + json::serde::de::DeserializeOwned
{
}

impl Ours for pg::bench::LogRecord {}
impl Ours for pg::bench::MetricPoint {}
impl Ours for pg::bench::Trace {}

/// A plain prost-build struct with pbjson's serde impls.
trait Plain: Message + Default + serde::Serialize + serde::de::DeserializeOwned {}

impl<T: Message + Default + serde::Serialize + serde::de::DeserializeOwned> Plain for T {}

/// A contender: a job over all of a shape's messages, returning a checksum (output length).
type Job<'a> = Box<dyn Fn() -> usize + 'a>;

/// (job, contender, function) rows for one shape; pbjson is each job's baseline.
fn contenders<'a, P, Q>(inputs: &'a Inputs<P, Q>) -> Vec<(&'static str, &'static str, Job<'a>)>
where
    P: Ours,
    Q: Plain,
{
    let options = EncodeOptions::default();
    let mut rows: Vec<(&'static str, &'static str, Job<'a>)> = Vec::new();
    rows.push((
        "encode",
        "protogen",
        Box::new(move || {
            let mut buf = Vec::with_capacity(4096);
            let mut n = 0;
            for m in &inputs.owned {
                buf.clear();
                json::write_to_vec(black_box(m), &options, &mut buf).unwrap();
                n += buf.len();
            }
            n
        }),
    ));
    rows.push((
        "encode",
        "protogen_serde",
        Box::new(|| {
            let mut buf = Vec::with_capacity(4096);
            let mut n = 0;
            for m in &inputs.owned {
                buf.clear();
                serde_json::to_writer(&mut buf, black_box(m)).unwrap();
                n += buf.len();
            }
            n
        }),
    ));
    rows.push((
        "encode",
        "pbjson",
        Box::new(|| {
            let mut buf = Vec::with_capacity(4096);
            let mut n = 0;
            for m in &inputs.plain {
                buf.clear();
                serde_json::to_writer(&mut buf, black_box(m)).unwrap();
                n += buf.len();
            }
            n
        }),
    ));
    rows.push((
        "encode",
        "prost_reflect",
        Box::new(|| {
            let mut buf = Vec::with_capacity(4096);
            let mut n = 0;
            for m in &inputs.dynamic {
                buf.clear();
                serde::Serialize::serialize(
                    black_box(m),
                    &mut serde_json::Serializer::new(&mut buf),
                )
                .unwrap();
                n += buf.len();
            }
            n
        }),
    ));
    rows.push((
        "bytes",
        "protogen",
        Box::new(move || {
            let mut buf = Vec::with_capacity(4096);
            let mut n = 0;
            for b in &inputs.bytes {
                buf.clear();
                json::bytes_write_to_vec::<P>(black_box(b), &options, &mut buf).unwrap();
                n += buf.len();
            }
            n
        }),
    ));
    rows.push((
        "bytes",
        "protogen_view",
        Box::new(move || {
            let mut buf = Vec::with_capacity(4096);
            let mut n = 0;
            for b in &inputs.bytes {
                buf.clear();
                let view = P::view(black_box(b)).unwrap();
                json::view_write_to_vec(&view, &options, &mut buf).unwrap();
                n += buf.len();
            }
            n
        }),
    ));
    rows.push((
        "bytes",
        "prost_protogen",
        Box::new(move || {
            let mut buf = Vec::with_capacity(4096);
            let mut n = 0;
            for b in &inputs.bytes {
                buf.clear();
                let m = P::decode(black_box(b.as_slice())).unwrap();
                json::write_to_vec(&m, &options, &mut buf).unwrap();
                n += buf.len();
            }
            n
        }),
    ));
    rows.push((
        "bytes",
        "pbjson",
        Box::new(|| {
            let mut buf = Vec::with_capacity(4096);
            let mut n = 0;
            for b in &inputs.bytes {
                buf.clear();
                let m = Q::decode(black_box(b.as_slice())).unwrap();
                serde_json::to_writer(&mut buf, &m).unwrap();
                n += buf.len();
            }
            n
        }),
    ));
    rows.push((
        "decode",
        "protogen",
        decode_each(&inputs.json, |text| json::from_str::<P>(text).unwrap()),
    ));
    rows.push((
        "decode",
        "protogen_serde",
        decode_each(&inputs.json, |text| {
            serde_json::from_str::<P>(text).unwrap()
        }),
    ));
    rows.push((
        "decode",
        "pbjson",
        decode_each(&inputs.json, |text| {
            serde_json::from_str::<Q>(text).unwrap()
        }),
    ));
    rows.push((
        "decode",
        "prost_reflect",
        Box::new(|| {
            let mut n = 0;
            for (text, d) in inputs.json.iter().zip(&inputs.dynamic) {
                let mut de = serde_json::Deserializer::from_str(black_box(text));
                let m = DynamicMessage::deserialize(d.descriptor(), &mut de).unwrap();
                n += m.encoded_len();
            }
            n
        }),
    ));
    rows
}

/// A decode job: every text through `decode`, summing the messages' encoded lengths.
fn decode_each<'a, M: Message + 'a>(texts: &'a [String], decode: fn(&str) -> M) -> Job<'a> {
    Box::new(move || {
        texts
            .iter()
            .map(|text| decode(black_box(text)).encoded_len())
            .sum()
    })
}

fn inputs<P, Q>(shape: Shape, pool: &DescriptorPool, name: &str) -> Inputs<P, Q>
where
    P: JsonMessage + Message + Default,
    Q: Message + Default,
{
    let bytes = data::encoded(shape, count(shape));
    let desc = pool.get_message_by_name(name).unwrap();
    let owned: Vec<P> = bytes
        .iter()
        .map(|b| P::decode(b.as_slice()).unwrap())
        .collect();
    Inputs {
        plain: bytes
            .iter()
            .map(|b| Q::decode(b.as_slice()).unwrap())
            .collect(),
        dynamic: bytes
            .iter()
            .map(|b| DynamicMessage::decode(desc.clone(), b.as_slice()).unwrap())
            .collect(),
        json: owned.iter().map(|m| json::to_string(m).unwrap()).collect(),
        owned,
        bytes,
    }
}

struct Measured {
    shape: Shape,
    job: &'static str,
    contender: &'static str,
    allocations: f64,
    bytes: usize,
    messages: usize,
}

fn run_shape<P, Q>(
    criterion: &mut Criterion,
    shape: Shape,
    inputs: &Inputs<P, Q>,
    measured: &mut Vec<Measured>,
) where
    P: Ours,
    Q: Plain,
{
    let rows = contenders(inputs);
    // Every contender of a job produces the same amount: the same JSON, or the same message.
    for job in ["encode", "bytes", "decode"] {
        let sums: Vec<usize> = rows
            .iter()
            .filter(|r| r.0 == job)
            .map(|r| (r.2)())
            .collect();
        if job != "decode" {
            assert!(sums.iter().all(|s| *s == sums[0]), "{job}: {sums:?}");
        }
    }
    let json_bytes: usize = inputs.json.iter().map(String::len).sum();
    for (job, contender, f) in &rows {
        let (out, allocations) = count_allocations(f);
        black_box(out);
        let allocations = allocations as f64;
        measured.push(Measured {
            shape,
            job,
            contender,
            allocations: allocations / inputs.bytes.len() as f64,
            bytes: json_bytes,
            messages: inputs.bytes.len(),
        });
    }
    for job in ["encode", "bytes", "decode"] {
        let mut group = criterion.benchmark_group(format!("json_{job}/{}", shape.name()));
        group.throughput(Throughput::Bytes(json_bytes as u64));
        for (_, contender, f) in rows.iter().filter(|r| r.0 == job) {
            group.bench_function(*contender, |b| b.iter(f));
        }
        group.finish();
    }
}

fn main() {
    let pool = DescriptorPool::decode(DESCRIPTORS).unwrap();
    let log =
        inputs::<pg::bench::LogRecord, plain::LogRecord>(Shape::Log, &pool, "bench.LogRecord");
    let metric = inputs::<pg::bench::MetricPoint, plain::MetricPoint>(
        Shape::Metric,
        &pool,
        "bench.MetricPoint",
    );
    let trace = inputs::<pg::bench::Trace, plain::Trace>(Shape::Trace, &pool, "bench.Trace");

    let mut criterion = Criterion::default().configure_from_args();
    let mut measured = Vec::new();
    run_shape(&mut criterion, Shape::Log, &log, &mut measured);
    run_shape(&mut criterion, Shape::Metric, &metric, &mut measured);
    run_shape(&mut criterion, Shape::Trace, &trace, &mut measured);
    criterion.final_summary();
    report(&measured);
}

/// Reads criterion's estimates back and prints the README's table.
fn report(measured: &[Measured]) {
    let root = protogen_bench::criterion_dir();
    let mean_ns = |shape: Shape, job: &str, contender: &str| -> Option<f64> {
        let path = root
            .join(format!("json_{job}_{}", shape.name()))
            .join(contender)
            .join("new/estimates.json");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
        json["mean"]["point_estimate"].as_f64()
    };
    println!(
        "\n| job | shape | contender | ns/message | MB/s of JSON | vs pbjson | allocations/message |"
    );
    println!("|---|---|---|---:|---:|---:|---:|");
    let mut rows = 0;
    for m in measured {
        let Some(ns) = mean_ns(m.shape, m.job, m.contender) else {
            continue;
        };
        let baseline = mean_ns(m.shape, m.job, "pbjson").unwrap_or(f64::NAN);
        println!(
            "| {} | {} | {} | {:.0} | {:.0} | {:.2}× | {:.1} |",
            m.job,
            m.shape.name(),
            m.contender,
            ns / m.messages as f64,
            m.bytes as f64 / ns * 1e3,
            baseline / ns,
            m.allocations
        );
        rows += 1;
    }
    if rows == 0 {
        println!("(no criterion estimates under {})", root.display());
    }
}
