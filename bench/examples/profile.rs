//! Runs one decoder over one shape in a loop, for profilers:
//! `cargo build --release -p protogen-bench --example profile` then
//! `valgrind --tool=callgrind target/release/examples/profile protogen_view log_record`.

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
    let messages = data::encoded(shape, 200);
    let read = decoder.reader(shape);
    let mut sum = 0u64;
    for _ in 0..20 {
        for m in &messages {
            sum = sum.wrapping_add(read(std::hint::black_box(m)));
        }
    }
    println!("{sum}");
}
