//! Decode and read every field: protogen views against prost, quick-protobuf and buffa views.
//!
//! ```text
//! cargo bench -p protogen-bench --bench decode
//! ```
//!
//! Prints heap allocations per message first (a counting global allocator), then criterion's
//! timings, then a Markdown table of ns/message, MB/s and speed relative to prost.

use std::hint::black_box;

use criterion::{Criterion, Throughput};
use protogen_bench::{Counting, Decoder, Shape, count_allocations, data};

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Messages per shape and iteration: about 200-400 KiB of input each.
fn count(shape: Shape) -> usize {
    match shape {
        Shape::Log => 1000,
        Shape::Metric => 500,
        Shape::Trace => 100,
    }
}

fn read_all(read: fn(&[u8]) -> u64, messages: &[Vec<u8>]) -> u64 {
    messages
        .iter()
        .map(|m| read(black_box(m)))
        .fold(0, u64::wrapping_add)
}

fn allocations_per_message(decoder: Decoder, shape: Shape, messages: &[Vec<u8>]) -> f64 {
    let read = decoder.reader(shape);
    let (sum, allocations) = count_allocations(|| read_all(read, messages));
    black_box(sum);
    allocations as f64 / messages.len() as f64
}

fn main() {
    let datasets: Vec<(Shape, Vec<Vec<u8>>)> = Shape::ALL
        .iter()
        .map(|&s| (s, data::encoded(s, count(s))))
        .collect();

    let mut allocations = Vec::new();
    for (shape, messages) in &datasets {
        for decoder in Decoder::ALL {
            allocations.push((
                *shape,
                decoder,
                allocations_per_message(decoder, *shape, messages),
            ));
        }
    }

    let mut criterion = Criterion::default().configure_from_args();
    for (shape, messages) in &datasets {
        let bytes: usize = messages.iter().map(Vec::len).sum();
        let mut group = criterion.benchmark_group(shape.name());
        group.throughput(Throughput::Bytes(bytes as u64));
        for decoder in Decoder::ALL {
            let read = decoder.reader(*shape);
            group.bench_function(decoder.name(), |b| b.iter(|| read_all(read, messages)));
        }
        group.finish();
    }
    criterion.final_summary();
    report(&datasets, &allocations);
}

/// Reads criterion's estimates back and prints the README's table.
fn report(datasets: &[(Shape, Vec<Vec<u8>>)], allocations: &[(Shape, Decoder, f64)]) {
    let root = protogen_bench::criterion_dir();
    println!("\n| shape | decoder | ns/message | MB/s | vs prost | allocations/message |");
    println!("|---|---|---:|---:|---:|---:|");
    let mut rows = 0;
    for (shape, messages) in datasets {
        let bytes: usize = messages.iter().map(Vec::len).sum();
        let mean_ns = |d: Decoder| -> Option<f64> {
            let path = root
                .join(shape.name())
                .join(d.name())
                .join("new/estimates.json");
            let json: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
            json["mean"]["point_estimate"].as_f64()
        };
        let Some(prost) = mean_ns(Decoder::ProstOwned) else {
            continue;
        };
        for decoder in Decoder::ALL {
            let Some(ns) = mean_ns(decoder) else { continue };
            let allocs = allocations
                .iter()
                .find(|(s, d, _)| s == shape && *d == decoder)
                .map_or(f64::NAN, |(_, _, a)| *a);
            println!(
                "| {} | {} | {:.0} | {:.0} | {:.2}× | {:.1} |",
                shape.name(),
                decoder.name(),
                ns / messages.len() as f64,
                bytes as f64 / ns * 1e3,
                prost / ns,
                allocs
            );
            rows += 1;
        }
    }
    if rows == 0 {
        println!("(no criterion estimates under {})", root.display());
    }
}
