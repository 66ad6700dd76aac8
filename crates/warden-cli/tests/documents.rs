//! `warden scan` on documents (through `warden-extract`) and on text large enough to be scanned in
//! windows: locations inside files, not-inspected files, and findings at window edges.

use std::path::PathBuf;
use std::process::{Command, Output};

const RULES: &str = r#"schema_version = 1
[[rule]]
id = "ticket-id"
description = "Internal ticket id"
entity = "TICKET_ID"
category = "confidential"
patterns = ['\bTCK-[0-9]{6}\b']
confidence = "medium"
"#;

fn fixture(name: &str) -> String {
    format!("{}/../../tests/files/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn warden(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(args)
        .output()
        .unwrap()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("warden-documents-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

#[test]
fn documents_report_where_inside_the_file() {
    let o = warden(&[
        "scan",
        "--format",
        "jsonl",
        &fixture("planted.docx"),
        &fixture("planted.xlsx"),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let aws = lines
        .iter()
        .find(|v| v["rule"] == "aws-access-key-id")
        .unwrap();
    assert_eq!(aws["location"], "word/document.xml, paragraph 2");
    assert!(aws["path"].as_str().unwrap().ends_with("planted.docx"));
    assert!(aws["end"].as_u64().unwrap() - aws["start"].as_u64().unwrap() == 20);
    assert!(
        lines
            .iter()
            .any(|v| v["location"] == "Payments!A2" && v["entity"] == "CREDIT_CARD")
    );
    assert!(
        lines
            .iter()
            .any(|v| v["entity"] == "SENSITIVITY_LABEL" && v["category"] == "confidential")
    );
    let text = warden(&["scan", &fixture("planted.pptx")]);
    let out = String::from_utf8(text.stdout).unwrap();
    assert!(
        out.contains("planted.pptx › notes of slide 2: high   EMAIL_ADDRESS"),
        "{out}"
    );
    assert!(
        !out.contains("ann.lee@examplecorp.com"),
        "values hidden: {out}"
    );
}

#[test]
fn files_that_cannot_be_read_are_errors_not_clean() {
    for (name, why) in [
        ("encrypted.docx", "password"),
        ("encrypted.pdf", "password"),
        ("image.png", "image"),
        ("bomb.docx", "zip bomb"),
        ("truncated.docx", "damaged"),
    ] {
        let o = warden(&["scan", &fixture(name)]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains("not inspected") && err.contains(why),
            "{name}: {err}"
        );
        assert!(!err.contains("panicked"), "{name}: {err}");
    }
}

#[test]
fn large_text_is_scanned_in_windows_without_losing_or_repeating_edge_findings() {
    let rules = temp("rules.toml");
    std::fs::write(&rules, RULES).unwrap();
    // 20 MB of CSV rows with a ticket in one row per MiB, and in every row of the stretches where the
    // windows (8 MiB, overlapping by 256 KiB) begin and end, so some tickets straddle each edge.
    let row = "1234,routine row of a large export with nothing sensitive in it,ok\n";
    let mut data = String::with_capacity(21 << 20);
    let mut planted = Vec::new();
    let mut n = 0;
    let mut line = 1;
    let dense = |at: usize| (8 << 20..9 << 20).contains(&at) || (16 << 20..17 << 20).contains(&at);
    while data.len() < 20 << 20 {
        if dense(data.len()) || data.len() % (1 << 20) < row.len() {
            n += 1;
            let ticket = format!("TCK-{n:06}");
            planted.push((data.len() + 5, ticket.clone(), line));
            data.push_str(&format!("9999,{ticket},flagged\n"));
        } else {
            data.push_str(row);
        }
        line += 1;
    }
    let path = temp("export.csv");
    std::fs::write(&path, &data).unwrap();
    let o = warden(&[
        "scan",
        "--no-builtin",
        "--rules",
        rules.to_str().unwrap(),
        "--format",
        "jsonl",
        path.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let found: Vec<(usize, usize)> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["start"].as_u64().unwrap() as usize,
                v["end"].as_u64().unwrap() as usize,
            )
        })
        .collect();
    assert_eq!(found.len(), planted.len(), "each planted ticket once");
    for ((start, end), (at, ticket, _)) in found.iter().zip(&planted) {
        assert_eq!((*start, &data[*start..*end]), (*at, ticket.as_str()));
    }
    let text = warden(&[
        "scan",
        "--no-builtin",
        "--rules",
        rules.to_str().unwrap(),
        path.to_str().unwrap(),
    ]);
    let out = String::from_utf8(text.stdout).unwrap();
    for (line_out, (_, _, line)) in out.lines().zip(&planted) {
        assert!(
            line_out.contains(&format!(":{line}:6: ")),
            "{line_out} (want line {line})"
        );
    }
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}
