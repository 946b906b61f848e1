//! The tables: one per unit (a row per set of passes), then every pass on against none.

use std::fmt::Write as _;

use crate::Config;
use crate::measure::{Build, Cost, Results};
use crate::units::Unit;

fn median(mut xs: Vec<f64>) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let mid = xs.len() / 2;
    Some(if xs.len() % 2 == 1 {
        xs[mid]
    } else {
        (xs[mid - 1] + xs[mid]) / 2.0
    })
}

/// Medians of one cost: generation, debug wall, debug CPU, release wall, release CPU.
fn medians(cost: &Cost) -> [Option<f64>; 5] {
    let wall = |b: &[Build]| median(b.iter().map(|b| b.wall).collect());
    let cpu = |b: &[Build]| median(b.iter().filter_map(|b| b.cpu).collect());
    [
        median(cost.generation.clone()),
        wall(&cost.debug),
        cpu(&cost.debug),
        wall(&cost.release),
        cpu(&cost.release),
    ]
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn ratio(x: Option<f64>, base: Option<f64>) -> String {
    match (x, base) {
        (Some(x), Some(base)) if base > 0.0 => format!("{:.1}×", x / base),
        _ => "-".into(),
    }
}

fn seconds(x: Option<f64>) -> String {
    x.map_or("-".into(), |s| format!("{s:.2} s"))
}

pub fn tables(units: &[Unit], configs: &[Config], results: &Results) -> String {
    let mut out = String::new();
    for (unit, costs) in units.iter().zip(results) {
        unit_table(&mut out, unit, configs, costs);
    }
    summary(&mut out, units, results);
    out
}

fn unit_table(out: &mut String, unit: &Unit, configs: &[Config], costs: &[Cost]) {
    let base_lines = costs[0].lines as f64;
    let base = medians(&costs[0]);
    writeln!(out, "\n#### {}\n", unit.name).unwrap();
    writeln!(
        out,
        "| passes | generated lines | | generation | | debug build | | (CPU) | release build | | (CPU) |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )
    .unwrap();
    for (config, cost) in configs.iter().zip(costs) {
        let m = medians(cost);
        writeln!(
            out,
            "| {} | {} | {:.1}× | {} | {} | {} | {} | {} | {} | {} | {} |",
            config.label,
            thousands(cost.lines),
            cost.lines as f64 / base_lines,
            m[0].map_or("-".into(), |s| format!("{:.0} ms", s * 1000.0)),
            ratio(m[0], base[0]),
            seconds(m[1]),
            ratio(m[1], base[1]),
            ratio(m[2], base[2]),
            seconds(m[3]),
            ratio(m[3], base[3]),
            ratio(m[4], base[4]),
        )
        .unwrap();
    }
}

/// Every pass on against none, per unit: what the targets are stated in.
fn summary(out: &mut String, units: &[Unit], results: &Results) {
    writeln!(
        out,
        "\n#### Every pass on against prost's code alone\n\n\
         | unit | generated lines | generation | debug build (CPU) | release build (CPU) |\n\
         |---|---:|---:|---:|---:|"
    )
    .unwrap();
    for (unit, costs) in units.iter().zip(results) {
        let (none, all) = (&costs[0], &costs[costs.len() - 1]);
        let (b, a) = (medians(none), medians(all));
        writeln!(
            out,
            "| {} | {} / {} ({:.1}×) | {} | {} ({}) | {} ({}) |",
            unit.name,
            thousands(all.lines),
            thousands(none.lines),
            all.lines as f64 / none.lines as f64,
            ratio(a[0], b[0]),
            ratio(a[1], b[1]),
            ratio(a[2], b[2]),
            ratio(a[3], b[3]),
            ratio(a[4], b[4]),
        )
        .unwrap();
    }
}
