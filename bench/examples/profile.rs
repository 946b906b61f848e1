//! Runs one decoder over one shape in a loop, for profilers:
//! `cargo build --release -p protogen-bench --example profile` then
//! `valgrind --tool=callgrind target/release/examples/profile protogen_view log_record`.
//! Optional third and fourth arguments: how many distinct messages (200) and how many rounds
//! over them (20). Many distinct messages keep the branch predictor from learning the data:
//! `time target/release/examples/profile protogen_view log_record 1000 1000`.

use protogen_bench::{Decoder, Shape, data};

fn main() {
    let mut args = std::env::args().skip(1);
    let decoder = args.next().unwrap_or_else(|| "protogen_view".into());
    let shape = args.next().unwrap_or_else(|| "log_record".into());
    let decoder = Decoder::ALL
        .into_iter()
        .find(|d| d.name() == decoder)
        .expect("decoder");
    let shape = Shape::ALL
        .into_iter()
        .find(|s| s.name() == shape)
        .expect("shape");
    let count: usize = args.next().map_or(200, |c| c.parse().expect("count"));
    let messages = data::encoded(shape, count);
    let read = decoder.reader(shape);
    let mut sum = 0u64;
    let rounds: usize = args.next().map_or(20, |r| r.parse().expect("rounds"));
    for _ in 0..rounds {
        for m in &messages {
            sum = sum.wrapping_add(read(std::hint::black_box(m)));
        }
    }
    println!("{sum}");
}
