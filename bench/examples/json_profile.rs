//! Runs one JSON job (`encode`, `serde`, `wire`, `view`, `decode`, `pbjson_decode`,
//! `pbjson_serialize` (pbjson's encode baseline), `pbjson_bytes` (prost decode + pbjson, the bytes
//! baseline); `pbjson_encode` includes a prost round trip) over one shape in a loop, for profilers: `cargo build --release -p protogen-bench --example json_profile` then
//! `perf record target/release/examples/json_profile encode trace`.

use prost::Message;
use protogen::json::{self, EncodeOptions};
use protogen_bench::{Shape, data, pg, plain};

fn run<M, Q>(job: &str, shape: Shape) -> usize
where
    M: json::JsonMessage
        + json::JsonViewFields
        + json::JsonWire
        + Message
        + Default
        + json::serde::Serialize,
    Q: Message + Default + serde::Serialize + serde::de::DeserializeOwned,
{
    let encoded = data::encoded(shape, 200);
    let owned: Vec<M> = encoded
        .iter()
        .map(|b| M::decode(b.as_slice()).unwrap())
        .collect();
    let texts: Vec<String> = owned.iter().map(|m| json::to_string(m).unwrap()).collect();
    let plain: Vec<Q> = encoded
        .iter()
        .map(|b| Q::decode(b.as_slice()).unwrap())
        .collect();
    if job == "print" {
        println!("{}", texts[0]);
        return 0;
    }
    let mut buf = Vec::new();
    let mut n = 0;
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(200);
    for _ in 0..rounds {
        for (((m, text), bytes), q) in owned.iter().zip(&texts).zip(&encoded).zip(&plain) {
            if job == "wire" {
                buf.clear();
                json::bytes_write_to_vec::<M>(
                    std::hint::black_box(bytes),
                    &EncodeOptions::default(),
                    &mut buf,
                )
                .unwrap();
                n += buf.len();
            } else if job == "view" {
                let view = M::view(std::hint::black_box(bytes)).unwrap();
                buf.clear();
                json::view_write_to_vec(&view, &EncodeOptions::default(), &mut buf).unwrap();
                n += buf.len();
            } else if job == "pbjson_decode" {
                let m: Q = serde_json::from_str(std::hint::black_box(text)).unwrap();
                n += m.encoded_len();
            } else if job == "pbjson_serialize" {
                buf.clear();
                serde_json::to_writer(&mut buf, std::hint::black_box(q)).unwrap();
                n += buf.len();
            } else if job == "pbjson_bytes" {
                let q = Q::decode(std::hint::black_box(bytes.as_slice())).unwrap();
                buf.clear();
                serde_json::to_writer(&mut buf, &q).unwrap();
                n += buf.len();
            } else if job == "pbjson_encode" {
                let q = Q::decode(m.encode_to_vec().as_slice()).unwrap();
                buf.clear();
                serde_json::to_writer(&mut buf, std::hint::black_box(&q)).unwrap();
                n += buf.len();
            } else if job == "serde" {
                buf.clear();
                serde_json::to_writer(&mut buf, std::hint::black_box(m)).unwrap();
                n += buf.len();
            } else if job == "decode" {
                let m: M = json::from_str(std::hint::black_box(text)).unwrap();
                n += m.encoded_len();
            } else {
                buf.clear();
                json::write_to_vec(std::hint::black_box(m), &EncodeOptions::default(), &mut buf)
                    .unwrap();
                n += buf.len();
            }
        }
    }
    n
}

fn main() {
    let mut args = std::env::args().skip(1);
    let job = args.next().unwrap_or_else(|| "encode".into());
    let shape = args.next().unwrap_or_else(|| "trace".into());
    let n = match shape.as_str() {
        "log_record" => run::<pg::bench::LogRecord, plain::LogRecord>(&job, Shape::Log),
        "metric_point" => run::<pg::bench::MetricPoint, plain::MetricPoint>(&job, Shape::Metric),
        _ => run::<pg::bench::Trace, plain::Trace>(&job, Shape::Trace),
    };
    println!("{n}");
}
