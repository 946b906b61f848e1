//! Generated `validate()` against prost-protovalidate's run-time validator, on the same rules
//! (`proto/bench/v1/order.proto`) and the same data (`src/data.rs`).
//!
//! ```text
//! cd bench-validate && cargo bench
//! ```
//!
//! Prints heap allocations per validation first (a counting global allocator), then criterion's
//! timings, then a Markdown table of ns/validation, the speed-up over prost-protovalidate on the
//! same input, and allocations. `tests/agree.rs` checks that both report the same violations.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use criterion::Criterion;
use prost::Message as _;
use prost_reflect::DynamicMessage;
use protogen::Validate as _;
use protogen_bench_validate::bench::v1::{CreateOrderRequest, CreateOrderRequestView};
use protogen_bench_validate::{data, request_descriptor, to_dynamic};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with this layout (see `alloc`).
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// One benchmarked message, in every representation a row needs, built before timing.
struct Input {
    name: &'static str,
    owned: CreateOrderRequest,
    bytes: Vec<u8>,
    dynamic: DynamicMessage,
}

impl Input {
    fn new(name: &'static str, owned: CreateOrderRequest) -> Self {
        Input {
            name,
            bytes: owned.encode_to_vec(),
            dynamic: to_dynamic(&owned),
            owned,
        }
    }
}

/// What a row validates: the message in memory, or the encoded message (decoded in the loop).
#[derive(Clone, Copy, PartialEq)]
enum Source {
    Memory,
    Bytes,
}

#[derive(Clone, Copy, PartialEq)]
enum Row {
    /// `CreateOrderRequest::validate()` on prost's owned struct.
    ProtogenOwned,
    /// prost-protovalidate's `Validator::validate` on a `DynamicMessage`.
    ProtovalidateDynamic,
    /// `CreateOrderRequestView::decode(bytes)?.validate()`.
    ProtogenViewDecode,
    /// `DynamicMessage::decode(bytes)?` then prost-protovalidate.
    ProtovalidateDecode,
}

impl Row {
    const ALL: [Row; 4] = [
        Row::ProtogenOwned,
        Row::ProtovalidateDynamic,
        Row::ProtogenViewDecode,
        Row::ProtovalidateDecode,
    ];

    fn name(self) -> &'static str {
        match self {
            Row::ProtogenOwned => "protogen owned",
            Row::ProtovalidateDynamic => "prost-protovalidate DynamicMessage",
            Row::ProtogenViewDecode => "protogen view decode+validate",
            Row::ProtovalidateDecode => "prost-protovalidate decode+validate",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Row::ProtogenOwned => "protogen `validate()` on the owned struct",
            Row::ProtovalidateDynamic => "prost-protovalidate `Validator` on a `DynamicMessage`",
            Row::ProtogenViewDecode => "protogen `CreateOrderRequestView::decode` + `validate()`",
            Row::ProtovalidateDecode => "`DynamicMessage::decode` + prost-protovalidate",
        }
    }

    fn source(self) -> Source {
        match self {
            Row::ProtogenOwned | Row::ProtovalidateDynamic => Source::Memory,
            Row::ProtogenViewDecode | Row::ProtovalidateDecode => Source::Bytes,
        }
    }

    /// The prost-protovalidate row with the same input.
    fn baseline(self) -> Row {
        match self.source() {
            Source::Memory => Row::ProtovalidateDynamic,
            Source::Bytes => Row::ProtovalidateDecode,
        }
    }
}

/// Validates once; returns the number of violations, so that nothing is optimized away.
fn run(row: Row, input: &Input, validator: &prost_protovalidate::Validator) -> usize {
    let count = |r: Result<(), prost_protovalidate::Error>| match r {
        Ok(()) => 0,
        Err(prost_protovalidate::Error::Validation(v)) => v.len(),
        Err(other) => panic!("{other}"),
    };
    match row {
        Row::ProtogenOwned => black_box(&input.owned)
            .validate()
            .map_or_else(|v| v.len(), |()| 0),
        Row::ProtovalidateDynamic => count(validator.validate(black_box(&input.dynamic))),
        Row::ProtogenViewDecode => CreateOrderRequestView::decode(black_box(&input.bytes))
            .expect("decodes")
            .validate()
            .map_or_else(|v| v.len(), |()| 0),
        Row::ProtovalidateDecode => {
            let message = DynamicMessage::decode(request_descriptor(), black_box(&input.bytes[..]))
                .expect("decodes");
            count(validator.validate(&message))
        }
    }
}

fn allocations_per_validation(
    row: Row,
    input: &Input,
    validator: &prost_protovalidate::Validator,
) -> f64 {
    const TIMES: usize = 100;
    run(row, input, validator); // warm: lazily compiled rules and regexes
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    for _ in 0..TIMES {
        black_box(run(row, input, validator));
    }
    (ALLOCATIONS.load(Ordering::Relaxed) - before) as f64 / TIMES as f64
}

fn main() {
    let inputs = [
        Input::new("valid", data::valid()),
        Input::new("invalid", data::invalid()),
    ];
    let validator = prost_protovalidate::Validator::new();

    let mut allocations = Vec::new();
    for input in &inputs {
        for row in Row::ALL {
            let n = allocations_per_validation(row, input, &validator);
            println!(
                "{}/{}: {n:.1} allocations/validation",
                input.name,
                row.name()
            );
            allocations.push((input.name, row, n));
        }
    }

    let mut criterion = Criterion::default().configure_from_args();
    for input in &inputs {
        let mut group = criterion.benchmark_group(input.name);
        for row in Row::ALL {
            group.bench_function(row.name(), |b| b.iter(|| run(row, input, &validator)));
        }
        group.finish();
    }
    criterion.final_summary();
    report(&inputs, &allocations);
}

/// Reads criterion's estimates back and prints the README's table.
fn report(inputs: &[Input], allocations: &[(&str, Row, f64)]) {
    // Where criterion wrote, found as criterion finds it: `CRITERION_HOME`, `CARGO_TARGET_DIR`,
    // else the target folder this benchmark was built into (what `cargo metadata` says).
    let exe = std::env::current_exe().unwrap_or_default();
    let root = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR").map(|t| PathBuf::from(t).join("criterion"))
        })
        .or_else(|| {
            exe.ancestors()
                .skip(1)
                .map(|dir| dir.join("criterion"))
                .find(|dir| dir.is_dir())
        })
        .unwrap_or_else(|| PathBuf::from("target/criterion"));
    let mean_ns = |input: &str, row: Row| -> Option<f64> {
        let path = root.join(input).join(row.name()).join("new/estimates.json");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
        json["mean"]["point_estimate"].as_f64()
    };
    println!(
        "\n| message | validator | ns/validation | speed-up vs prost-protovalidate | allocations/validation |"
    );
    println!("|---|---|---:|---:|---:|");
    for input in inputs {
        for row in Row::ALL {
            let Some(ns) = mean_ns(input.name, row) else {
                continue;
            };
            let speedup = mean_ns(input.name, row.baseline()).map_or(f64::NAN, |b| b / ns);
            let allocs = allocations
                .iter()
                .find(|(i, r, _)| *i == input.name && *r == row)
                .map_or(f64::NAN, |(_, _, a)| *a);
            println!(
                "| {} | {} | {:.0} | {:.1}× | {:.1} |",
                input.name,
                row.label(),
                ns,
                speedup,
                allocs
            );
        }
    }
}
