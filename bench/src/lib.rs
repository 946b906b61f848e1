//! The decoding benchmark: three message shapes, each decoded and read field by field with
//! prost (owned), protogen views, quick-protobuf (pb-rs) and buffa views, generated from the
//! same `proto/bench.proto` by `build.rs`. Every reader returns the same checksum over the same
//! fields, so each contender does the same work (a test checks that they agree).

pub mod data;
pub mod read;

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Where criterion wrote this run's estimates, for the summary tables, found as criterion finds
/// it: `CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else the `criterion` folder of the
/// target folder the running benchmark was built into (what criterion asks `cargo metadata`
/// for: a cargo config's `target-dir` included), else `target/criterion`.
pub fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    let exe = std::env::current_exe().unwrap_or_default();
    criterion_dir_above(&exe).unwrap_or_else(|| PathBuf::from("target/criterion"))
}

/// The `criterion` folder in the nearest folder above `exe` that has one (the benchmark binary
/// sits in `<target>/release/deps/`, or `<target>/<triple>/release/deps/`).
pub fn criterion_dir_above(exe: &Path) -> Option<PathBuf> {
    exe.ancestors()
        .skip(1)
        .map(|dir| dir.join("criterion"))
        .find(|dir| dir.is_dir())
}

/// A global allocator that counts allocations inside [`count_allocations`], for the benchmarks'
/// allocations per message: `#[global_allocator] static GLOBAL: Counting = Counting;`.
///
/// Outside it, every call goes straight to the system allocator after one relaxed load: timed
/// runs pay no atomic increment per allocation, and `realloc` is the system's (`GlobalAlloc`'s
/// default would allocate, copy and free on every `Vec` growth), so the contenders that allocate
/// are timed at their real cost.
pub struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

/// Runs `f` and returns its result with the number of heap allocations it made (a `realloc`
/// counts as one: it may move).
pub fn count_allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    let out = f();
    COUNTING.store(false, Ordering::Relaxed);
    (out, ALLOCATIONS.load(Ordering::Relaxed) - before)
}

#[inline]
fn count() {
    if COUNTING.load(Ordering::Relaxed) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every method forwards to `System`, a correct allocator, unchanged; counting touches
// no allocation.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: `ptr` was allocated by `System` with `layout` (every method forwards to it),
        // and the caller upholds `realloc`'s contract for `new_size`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with this layout (see `alloc`).
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// prost structs and protogen views (`protogen-build`).
#[allow(clippy::all)]
pub mod pg {
    protogen::include_protos!();
}

/// Plain prost-build structs with pbjson's serde impls (pbjson-build): the JSON baseline.
#[allow(clippy::all)]
pub mod plain {
    include!(concat!(env!("OUT_DIR"), "/plain/bench.rs"));
    include!(concat!(env!("OUT_DIR"), "/pbjson/bench.serde.rs"));
}

/// The descriptor set of `proto/bench.proto` (for prost-reflect).
pub const DESCRIPTORS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/bench.fds"));

/// quick-protobuf types (pb-rs), in the `bench` module its code expects.
#[allow(
    clippy::all,
    non_camel_case_types,
    non_snake_case,
    unused_imports,
    dead_code
)]
pub mod quick {
    pub mod bench {
        include!(concat!(env!("OUT_DIR"), "/quick/bench.rs"));
    }
}

/// buffa types and views (buffa-build).
#[allow(clippy::all, unused_imports, dead_code)]
pub mod buffa_gen {
    include!(concat!(env!("OUT_DIR"), "/buffa/bench.mod.rs"));
}

/// A message shape of the benchmark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// String-heavy log records.
    Log,
    /// Numeric-heavy metric points with packed repeated fields.
    Metric,
    /// Nested traces: resource spans, spans, attributes, events.
    Trace,
}

impl Shape {
    pub const ALL: [Shape; 3] = [Shape::Log, Shape::Metric, Shape::Trace];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Log => "log_record",
            Shape::Metric => "metric_point",
            Shape::Trace => "trace",
        }
    }
}

/// A way to decode: the contenders.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decoder {
    ProstOwned,
    ProtogenView,
    QuickProtobuf,
    BuffaView,
}

impl Decoder {
    pub const ALL: [Decoder; 4] = [
        Decoder::ProstOwned,
        Decoder::ProtogenView,
        Decoder::QuickProtobuf,
        Decoder::BuffaView,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Decoder::ProstOwned => "prost",
            Decoder::ProtogenView => "protogen_view",
            Decoder::QuickProtobuf => "quick_protobuf",
            Decoder::BuffaView => "buffa_view",
        }
    }

    /// The function that decodes one message of `shape` and reads every field.
    pub fn reader(self, shape: Shape) -> fn(&[u8]) -> u64 {
        use read::*;
        match (self, shape) {
            (Decoder::ProstOwned, Shape::Log) => prost_log,
            (Decoder::ProstOwned, Shape::Metric) => prost_metric,
            (Decoder::ProstOwned, Shape::Trace) => prost_trace,
            (Decoder::ProtogenView, Shape::Log) => view_log,
            (Decoder::ProtogenView, Shape::Metric) => view_metric,
            (Decoder::ProtogenView, Shape::Trace) => view_trace,
            (Decoder::QuickProtobuf, Shape::Log) => quick_log,
            (Decoder::QuickProtobuf, Shape::Metric) => quick_metric,
            (Decoder::QuickProtobuf, Shape::Trace) => quick_trace,
            (Decoder::BuffaView, Shape::Log) => buffa_log,
            (Decoder::BuffaView, Shape::Metric) => buffa_metric,
            (Decoder::BuffaView, Shape::Trace) => buffa_trace,
        }
    }
}

#[cfg(test)]
mod criterion_dir_tests {
    use super::*;

    #[test]
    fn criterion_results_are_found_above_the_benchmark_wherever_the_target_folder_is() {
        let target = tempfile::tempdir().unwrap();
        let deps = target.path().join("x86_64-unknown-linux-gnu/release/deps");
        std::fs::create_dir_all(&deps).unwrap();
        assert_eq!(criterion_dir_above(&deps.join("decode-0123")), None);
        std::fs::create_dir_all(target.path().join("criterion")).unwrap();
        assert_eq!(
            criterion_dir_above(&deps.join("decode-0123")),
            Some(target.path().join("criterion"))
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_decoder_reads_the_same_values() {
        for shape in Shape::ALL {
            let messages = data::encoded(shape, 50);
            let sums: Vec<u64> = Decoder::ALL
                .iter()
                // quick-protobuf reads packed fixed-width fields by casting the (unaligned)
                // buffer to `&[u64]`/`&[f64]`: undefined behaviour that debug builds abort on.
                // Release builds (the benchmark) run it, as its users do.
                .filter(|d| {
                    !(cfg!(debug_assertions)
                        && **d == Decoder::QuickProtobuf
                        && shape == Shape::Metric)
                })
                .map(|d| {
                    messages
                        .iter()
                        .map(|m| d.reader(shape)(m))
                        .fold(0, u64::wrapping_add)
                })
                .collect();
            assert!(sums.iter().all(|s| *s == sums[0]), "{shape:?}: {sums:?}");
            assert_ne!(sums[0], 0);
        }
    }
}
