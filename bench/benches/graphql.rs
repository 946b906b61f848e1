//! GraphQL: protobuf bytes → the response to a query selecting about a third of the fields.
//!
//! ```text
//! cargo bench -p protogen-bench --bench graphql
//! ```
//!
//! Contenders, per message, output buffers reused:
//! - **protogen**: the compiled query's `Plan::write_bytes` (a view over the bytes, only the
//!   selected fields read and written);
//! - **prost + pbjson (full JSON)**: prost decode, then the whole message's proto3 JSON, what a
//!   gateway without projection sends.
//!
//! Prints criterion's timings, then a Markdown table: ns/message, speed relative to prost +
//! pbjson, heap allocations per message.

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use prost::Message;
use protogen::graphql::{GraphqlType, Object, Plan, Schema};
use protogen::view::Owned;
use protogen_bench::{Counting, Shape, count_allocations, data, pg, plain};

#[global_allocator]
static GLOBAL: Counting = Counting;

/// About a third of each shape's fields, nested ones included.
const LOG_QUERY: &str = "{ severity service message attributes { key value } }";
const TRACE_QUERY: &str = "{ resourceSpans { spans { name kind startTimeUnixNano \
                           attributes { key } status { code } } } }";

fn count(shape: Shape) -> usize {
    match shape {
        Shape::Log => 1000,
        Shape::Metric => 500,
        Shape::Trace => 100,
    }
}

fn plan<T: GraphqlType>(query: &str) -> Plan {
    Schema::new(pg::GRAPHQL_SCHEMA)
        .expect("the schema parses")
        .with_root(T::GRAPHQL_TYPE)
        .expect("a root")
        .query(query)
        .expect("the query is valid")
}

/// A contender over all of a shape's messages, returning a checksum (output length).
type Job<'a> = Box<dyn Fn() -> usize + 'a>;

fn protogen_job<'a, T>(plan: &'a Plan, bytes: &'a [Vec<u8>]) -> Job<'a>
where
    T: Owned,
    for<'v> T::View<'v>: Object,
{
    Box::new(move || {
        let mut out = Vec::with_capacity(4096);
        let mut total = 0;
        for b in bytes {
            out.clear();
            plan.write_bytes::<T>(b, &mut out).expect("valid bytes");
            total += out.len();
        }
        total
    })
}

fn pbjson_job<'a, Q>(bytes: &'a [Vec<u8>]) -> Job<'a>
where
    Q: Message + Default + serde::Serialize,
{
    Box::new(move || {
        let mut out = Vec::with_capacity(4096);
        let mut total = 0;
        for b in bytes {
            out.clear();
            let message = Q::decode(b.as_slice()).expect("valid bytes");
            serde_json::to_writer(&mut out, &message).expect("JSON");
            total += out.len();
        }
        total
    })
}

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let mut table = Vec::new();
    for shape in [Shape::Log, Shape::Trace] {
        let bytes = data::encoded(shape, count(shape));
        let (plan, jobs): (Plan, Vec<(&str, Job<'_>)>) = match shape {
            Shape::Log => (plan::<pg::bench::LogRecord>(LOG_QUERY), Vec::new()),
            _ => (plan::<pg::bench::Trace>(TRACE_QUERY), Vec::new()),
        };
        let mut jobs = jobs;
        match shape {
            Shape::Log => {
                jobs.push((
                    "protogen",
                    protogen_job::<pg::bench::LogRecord>(&plan, &bytes),
                ));
                jobs.push((
                    "prost + pbjson (full JSON)",
                    pbjson_job::<plain::LogRecord>(&bytes),
                ));
            }
            _ => {
                jobs.push(("protogen", protogen_job::<pg::bench::Trace>(&plan, &bytes)));
                jobs.push((
                    "prost + pbjson (full JSON)",
                    pbjson_job::<plain::Trace>(&bytes),
                ));
            }
        }
        let mut group = criterion.benchmark_group(format!("graphql/{}", shape.name()));
        group.throughput(Throughput::Elements(bytes.len() as u64));
        for (name, job) in &jobs {
            group.bench_function(*name, |b| b.iter(|| black_box(job())));
        }
        group.finish();
        for (name, job) in &jobs {
            // A warm run, then one counted: allocations per message.
            job();
            let (_, allocations) = count_allocations(job);
            let start = std::time::Instant::now();
            let runs = 20;
            for _ in 0..runs {
                black_box(job());
            }
            let ns = start.elapsed().as_nanos() as f64 / (runs * bytes.len()) as f64;
            table.push((
                shape.name(),
                *name,
                ns,
                allocations as f64 / bytes.len() as f64,
            ));
        }
    }
    println!("\n| shape | contender | ns/message | vs prost + pbjson | allocations/message |");
    println!("|---|---|---:|---:|---:|");
    for (shape, name, ns, allocations) in &table {
        let baseline = table
            .iter()
            .find(|(s, n, ..)| s == shape && n.starts_with("prost"))
            .map_or(*ns, |r| r.2);
        println!(
            "| {shape} | {name} | {ns:.0} | {:.2}× | {allocations:.2} |",
            baseline / ns
        );
    }
}
