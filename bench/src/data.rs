//! Deterministic synthetic datasets, encoded by prost.

use prost::Message as _;

use crate::Shape;
use crate::pg::bench::*;

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn word(&mut self, min: u64, max: u64) -> String {
        const WORDS: &[&str] = &[
            "checkout",
            "payment",
            "gateway",
            "timeout",
            "user",
            "session",
            "cache",
            "db",
            "request",
            "eu-west-1",
            "retry",
            "GET /api/v2/orders",
            "200",
            "handler",
        ];
        let n = min + self.below(max - min + 1);
        (0..n)
            .map(|_| WORDS[self.below(WORDS.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

fn log_record(rng: &mut Lcg) -> LogRecord {
    LogRecord {
        time_unix_nano: 1_700_000_000_000_000_000 + rng.next() % 1_000_000_000,
        severity: (1 + rng.below(4)) as i32,
        service: rng.word(1, 2),
        host: format!("host-{}.prod.internal", rng.below(500)),
        logger: rng.word(2, 3),
        message: rng.word(8, 20),
        trace_id: rng.bytes(16),
        span_id: rng.bytes(8),
        attributes: (0..8)
            .map(|_| KeyValue {
                key: rng.word(1, 1),
                value: rng.word(1, 3),
            })
            .collect(),
        tags: (0..3).map(|_| rng.word(1, 1)).collect(),
    }
}

fn metric_point(rng: &mut Lcg) -> MetricPoint {
    MetricPoint {
        name: "http.server.request.duration".into(),
        start_time_unix_nano: 1_700_000_000_000_000_000,
        time_unix_nano: 1_700_000_060_000_000_000 + rng.below(1_000_000),
        count: rng.below(1_000_000),
        sum: rng.below(1 << 40) as f64 / 1000.0,
        min: 0.5,
        max: rng.below(100_000) as f64,
        bucket_counts: (0..32).map(|_| rng.below(10_000)).collect(),
        explicit_bounds: (0..31).map(|i| f64::from(i) * 2.5).collect(),
        deltas: (0..64).map(|_| rng.below(20_000) as i64 - 10_000).collect(),
        samples: (0..64).map(|_| rng.below(1 << 30) as f64 / 7.0).collect(),
        exemplar_ids: (0..16).map(|_| rng.below(1 << 20) as u32).collect(),
    }
}

fn attribute(rng: &mut Lcg) -> Attribute {
    use any_value::Value;
    let value = match rng.below(4) {
        0 => Value::StringValue(rng.word(1, 3)),
        1 => Value::IntValue(rng.below(1 << 40) as i64),
        2 => Value::BoolValue(rng.below(2) == 0),
        _ => Value::DoubleValue(rng.below(1 << 30) as f64 / 3.0),
    };
    Attribute {
        key: rng.word(1, 1),
        value: Some(AnyValue { value: Some(value) }),
    }
}

fn trace(rng: &mut Lcg) -> Trace {
    Trace {
        resource_spans: (0..2)
            .map(|_| ResourceSpans {
                resource: (0..4).map(|_| attribute(rng)).collect(),
                schema_url: "https://opentelemetry.io/schemas/1.21.0".into(),
                spans: (0..8)
                    .map(|_| Span {
                        trace_id: rng.bytes(16),
                        span_id: rng.bytes(8),
                        parent_span_id: rng.bytes(8),
                        name: rng.word(1, 3),
                        kind: (1 + rng.below(3)) as i32,
                        start_time_unix_nano: 1_700_000_000_000_000_000 + rng.below(1 << 30),
                        end_time_unix_nano: 1_700_000_001_000_000_000 + rng.below(1 << 30),
                        attributes: (0..6).map(|_| attribute(rng)).collect(),
                        events: (0..2)
                            .map(|_| Event {
                                time_unix_nano: 1_700_000_000_500_000_000,
                                name: rng.word(1, 2),
                                attributes: (0..2).map(|_| attribute(rng)).collect(),
                            })
                            .collect(),
                        status: Some(Status {
                            message: rng.word(0, 2),
                            code: rng.below(3) as i32,
                        }),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// `count` encoded messages of `shape`, the same on every run.
pub fn encoded(shape: Shape, count: usize) -> Vec<Vec<u8>> {
    let mut rng = Lcg(42 + shape as u64);
    (0..count)
        .map(|_| match shape {
            Shape::Log => log_record(&mut rng).encode_to_vec(),
            Shape::Metric => metric_point(&mut rng).encode_to_vec(),
            Shape::Trace => trace(&mut rng).encode_to_vec(),
        })
        .collect()
}
