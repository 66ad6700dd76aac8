//! Times extraction and scanning of the files given on the command line with the built-in rule packs,
//! natively: `cargo run --release -p warden-extract --example bench_files -- FILE…`. The figures are in
//! docs/uploads.md; the same files go through the WebAssembly build with
//! `node tests/files/bench-wasm.mjs FILE…`.

use std::time::Instant;
use warden_extract::{Limits, extract, scan_file};

fn main() {
    let rules = match warden_core::builtin::rule_set() {
        Ok(rules) => rules,
        Err(e) => {
            eprintln!("bench_files: the built-in rules do not compile: {e}");
            std::process::exit(2);
        }
    };
    for path in std::env::args().skip(1) {
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                eprintln!("bench_files: {path}: {e}");
                std::process::exit(2);
            }
        };
        let limits = Limits::default();
        // Best of three, as the browser figure is: the first run pays for page faults.
        let mut best = (f64::MAX, f64::MAX, 0, 0);
        for _ in 0..3 {
            let start = Instant::now();
            let extraction = extract(&bytes, &path, &limits);
            let extracted = start.elapsed().as_secs_f64();
            let start = Instant::now();
            let scan = scan_file(&rules, &bytes, &path, &limits);
            let total = start.elapsed().as_secs_f64();
            let text = extraction.map(|x| x.text_bytes()).unwrap_or(0);
            let findings = scan.map(|s| s.findings.len()).unwrap_or(0);
            if total < best.1 {
                best = (extracted, total, text, findings);
            }
        }
        println!(
            "{path}: {:.1} MB file, {:.1} MB text, {} findings; extract {:.0} ms, extract + scan {:.0} ms",
            bytes.len() as f64 / 1e6,
            best.2 as f64 / 1e6,
            best.3,
            best.0 * 1e3,
            best.1 * 1e3
        );
    }
}
