//! `warden bench`: figures for the engine on this machine, single thread — rule-set compile time,
//! throughput on a mixed corpus, latency percentiles for prompt-sized inputs, and the time taken by
//! 1 MiB pathological inputs. It prints figures; it does not pass or fail (machines here are shared and
//! noisy), except that it reports an error when an input cannot be read.

use crate::{RuleArgs, input, load};
use anyhow::{Result, bail};
use clap::Args;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use warden_core::RuleSet;

/// Arguments of `warden bench`.
#[derive(Args)]
pub struct BenchArgs {
    #[command(flatten)]
    rules: RuleArgs,
    /// Directory of real text to use as the corpus (binary files skipped); a generated mixed corpus of
    /// prose, code, configuration, logs and planted values when absent.
    #[arg(long, value_name = "DIR")]
    corpus: Option<PathBuf>,
    /// Corpus size in MiB.
    #[arg(long, default_value_t = 16)]
    corpus_mib: usize,
    /// Print the figures as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Latency {
    bytes: usize,
    runs: usize,
    p50_us: f64,
    p99_us: f64,
}

#[derive(Serialize)]
struct Pathological {
    input: &'static str,
    bytes: usize,
    ms: f64,
    findings: usize,
}

#[derive(Serialize)]
struct Report {
    rules: usize,
    compile_ms: f64,
    corpus: String,
    corpus_bytes: usize,
    corpus_findings: usize,
    throughput_mb_s: f64,
    latency: Vec<Latency>,
    pathological: Vec<Pathological>,
}

/// Runs the benchmark.
pub fn run(args: &BenchArgs) -> Result<ExitCode> {
    let files = load::rule_files(&args.rules)?;
    let mut compile_times = Vec::new();
    let mut rules = None;
    for _ in 0..5 {
        let t = Instant::now();
        let set = warden_core::compile(&files)?;
        compile_times.push(t.elapsed());
        rules = Some(set);
    }
    let Some(rules) = rules else {
        bail!("no rule set was compiled")
    };
    let size = args.corpus_mib.clamp(1, 1024) << 20;
    let (corpus, name) = match &args.corpus {
        Some(dir) => (read_corpus(dir, size)?, dir.display().to_string()),
        None => (mixed_corpus(size), "generated mixed corpus".to_owned()),
    };
    let corpus_findings = rules.scan(&corpus).len();
    let throughput = throughput(&rules, &corpus);
    let latency = [200, 2 << 10, 10 << 10, 200 << 10]
        .into_iter()
        .map(|bytes| latency(&rules, &corpus, bytes))
        .collect();
    let report = Report {
        rules: rules.len(),
        compile_ms: ms(median(&mut compile_times)),
        corpus: name,
        corpus_bytes: corpus.len(),
        corpus_findings,
        throughput_mb_s: throughput,
        latency,
        pathological: pathological(&rules),
    };
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print(&report);
    }
    Ok(ExitCode::SUCCESS)
}

fn print(r: &Report) {
    println!(
        "rules            {} (compile {:.1} ms, median of 5)",
        r.rules, r.compile_ms
    );
    println!(
        "corpus           {} — {:.1} MiB, {} findings",
        r.corpus,
        r.corpus_bytes as f64 / f64::from(1 << 20),
        r.corpus_findings
    );
    println!(
        "throughput       {:.0} MB/s (single thread, median of 5 passes)",
        r.throughput_mb_s
    );
    println!("latency          size        runs      p50         p99");
    for l in &r.latency {
        println!(
            "                 {:<10}  {:<8}  {:<10}  {}",
            size(l.bytes),
            l.runs,
            micros(l.p50_us),
            micros(l.p99_us)
        );
    }
    println!("pathological     input                         time        findings");
    for p in &r.pathological {
        println!(
            "                 {:<28}  {:<10}  {}",
            format!("{} ({})", p.input, size(p.bytes)),
            format!("{:.1} ms", p.ms),
            p.findings
        );
    }
}

fn size(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 => format!("{} KiB", b >> 10),
        b => format!("{b} B"),
    }
}

fn micros(us: f64) -> String {
    if us >= 1000.0 {
        format!("{:.2} ms", us / 1000.0)
    } else {
        format!("{us:.1} µs")
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn throughput(rules: &RuleSet, corpus: &str) -> f64 {
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(rules.scan(corpus));
            t.elapsed()
        })
        .collect();
    corpus.len() as f64 / median(&mut times).as_secs_f64() / 1e6
}

/// Scans many prompt-sized slices of the corpus, each timed on its own.
fn latency(rules: &RuleSet, corpus: &str, bytes: usize) -> Latency {
    let runs = match bytes {
        b if b <= 256 => 5000,
        b if b <= 4096 => 2000,
        b if b <= 16384 => 1000,
        _ => 100,
    };
    let mut times = Vec::with_capacity(runs);
    let span = corpus.len().saturating_sub(bytes).max(1);
    for i in 0..runs {
        let start = floor_char(corpus, (i * 7919 * 131) % span);
        let end = floor_char(corpus, (start + bytes).min(corpus.len()));
        let prompt = &corpus[start..end];
        let t = Instant::now();
        std::hint::black_box(rules.scan(prompt));
        times.push(t.elapsed());
    }
    times.sort();
    let at = |q: f64| {
        times[((times.len() as f64 * q) as usize).min(times.len() - 1)].as_secs_f64() * 1e6
    };
    Latency {
        bytes,
        runs,
        p50_us: at(0.50),
        p99_us: at(0.99),
    }
}

fn floor_char(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn pathological(rules: &RuleSet) -> Vec<Pathological> {
    const MIB: usize = 1 << 20;
    let mut rng = Rng(0x5eed);
    let digits: String = (0..MIB)
        .map(|_| (b'0' + (rng.next() % 10) as u8) as char)
        .collect();
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let base64: String = (0..MIB)
        .map(|_| B64[(rng.next() % 64) as usize] as char)
        .collect();
    let inputs: Vec<(&'static str, String)> = vec![
        ("one repeated character", "a".repeat(MIB)),
        ("all digits", digits),
        ("repeated -----BEGIN", "-----BEGIN".repeat(MIB / 10)),
        (
            "repeated PEM header",
            "-----BEGIN RSA PRIVATE KEY-----\n".repeat(MIB / 32),
        ),
        ("base64", base64),
        ("repeated email", "a@b.co ".repeat(MIB / 7)),
        ("repeated spaces", " ".repeat(MIB)),
    ];
    inputs
        .into_iter()
        .map(|(input, text)| {
            let mut times: Vec<Duration> = Vec::new();
            let mut findings = 0;
            for _ in 0..3 {
                let t = Instant::now();
                findings = rules.scan(&text).len();
                times.push(t.elapsed());
            }
            Pathological {
                input,
                bytes: text.len(),
                ms: ms(median(&mut times)),
                findings,
            }
        })
        .collect()
}

fn read_corpus(dir: &std::path::Path, limit: usize) -> Result<String> {
    let mut corpus = String::new();
    for source in input::sources(&[dir.to_path_buf()])? {
        if corpus.len() >= limit {
            break;
        }
        if let Ok(Some(input::Content::Text(bytes))) = input::read(&source) {
            corpus.push_str(&input::to_text(bytes));
            corpus.push('\n');
        }
    }
    if corpus.is_empty() {
        bail!("{} holds no readable text files", dir.display());
    }
    let end = floor_char(&corpus, corpus.len().min(limit));
    corpus.truncate(end);
    Ok(corpus)
}

/// xorshift64*: a small deterministic generator, so every run benches the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const WORDS: &[&str] = &[
    "the",
    "report",
    "customer",
    "please",
    "review",
    "attached",
    "quarterly",
    "numbers",
    "before",
    "meeting",
    "could",
    "you",
    "summarise",
    "this",
    "thread",
    "for",
    "our",
    "team",
    "deployment",
    "failed",
    "again",
    "because",
    "service",
    "timeout",
    "on",
    "staging",
    "and",
    "production",
    "we",
    "need",
    "a",
    "fix",
    "today",
    "über",
    "naïve",
    "café",
    "résumé",
    "データ",
    "顧客",
    "報告",
    "🙂",
    "budget",
    "forecast",
    "invoice",
    "contract",
    "renewal",
    "draft",
    "email",
    "to",
    "legal",
    "about",
    "policy",
    "update",
];

const CODE: &[&str] = &[
    "fn parse_header(input: &[u8]) -> Result<Header, Error> {",
    "    let mut buf = Vec::with_capacity(1024);",
    "    for (i, line) in reader.lines().enumerate() {",
    "        if line.starts_with(\"#\") { continue; }",
    "def handler(event, context):",
    "    return {\"statusCode\": 200, \"body\": json.dumps(result)}",
    "const client = new Client({ region: process.env.AWS_REGION, timeout: 3000 });",
    "SELECT id, name, created_at FROM orders WHERE status = 'open' ORDER BY id DESC LIMIT 50;",
    "if err != nil { return fmt.Errorf(\"open %s: %w\", path, err) }",
    "    assert_eq!(decode(&encoded).unwrap(), original);",
    "import { useEffect, useState } from 'react';",
    "commit 3f9a2c1b7e4d8a6f0b5c9e2d1a7f3b8c4e6d0a9f",
    "id: 6f1c2a9e-4b7d-4e21-9c3a-8d5f0b2e7a14",
    "sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "version = \"1.4.22\"",
];

const CONFIG: &[&str] = &[
    "LOG_LEVEL=debug",
    "DATABASE_HOST=db.internal",
    "replicas: 3",
    "  image: nginx:1.27-alpine",
    "  ports:\n    - \"8080:80\"",
    "{\"retry\": 3, \"timeout_ms\": 2500, \"feature_flags\": [\"beta\", \"search\"]}",
    "2026-11-02T10:14:22.512Z INFO request completed status=200 duration_ms=12 path=/api/v1/items",
    "2026-11-02T10:14:23.001Z WARN upstream slow host=10.2.3.4 latency_ms=812",
];

const PLANTED: &[&str] = &[
    "Contact me at jane.doe@example.org or +1 (415) 555-0132.",
    "Card 4539 1488 0343 6467 exp 09/27.",
    "IBAN DE89 3704 0044 0532 0130 00 for the transfer.",
    "AWS_ACCESS_KEY_ID=AKIAZ3MHYQ4NXPL7K2RD",
    "export GITHUB_TOKEN=ghp_8x3JqLmN5vB2cD7eF9gH1iK4lM6nO0pQ2rS4",
    "My SSN is 536-22-8741.",
    "api_key = \"q8Zx4Lm2Vn7Rt1Wy5Kp9Bc3Df6Gh0Js\"",
    "password: Tr0ub4dor&3-horse",
];

/// A deterministic mix of prose (with accents, CJK and emoji), code, configuration and logs, with a
/// planted sensitive value about every 2 KiB.
fn mixed_corpus(size: usize) -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out = String::with_capacity(size + 256);
    let mut since_plant = 0;
    while out.len() < size {
        let before = out.len();
        match rng.next() % 10 {
            0..=3 => {
                let n = 8 + rng.next() % 20;
                let sentence: Vec<&str> = (0..n).map(|_| rng.pick(WORDS)).collect();
                out.push_str(&sentence.join(" "));
                out.push_str(".\n");
            }
            4..=6 => {
                out.push_str(rng.pick(CODE));
                out.push('\n');
            }
            _ => {
                out.push_str(rng.pick(CONFIG));
                out.push('\n');
            }
        }
        since_plant += out.len() - before;
        if since_plant >= 2048 {
            out.push_str(rng.pick(PLANTED));
            out.push('\n');
            since_plant = 0;
        }
    }
    out
}
