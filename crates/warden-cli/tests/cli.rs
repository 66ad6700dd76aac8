//! The `warden` binary, spawned on temporary directories: output contracts, exit codes, and errors a
//! user can meet.

use std::io::Write;

use std::process::{Command, Output, Stdio};

const RULES: &str = r#"schema_version = 1
[[rule]]
id = "ticket-id"
description = "Internal ticket id"
entity = "TICKET_ID"
category = "confidential"
patterns = ['\bTCK-[0-9]{6}\b']
confidence = "medium"
[rule.examples]
match = ["see TCK-004211"]
no_match = ["see TCK-42"]

[[rule]]
id = "email"
description = "Email"
entity = "EMAIL_ADDRESS"
category = "pii"
patterns = ['\b[a-z0-9._]{1,64}@[a-z0-9.-]{1,64}\.[a-z]{2,10}\b']
confidence = "high"
[rule.examples]
match = ["mail bob@corp.com"]
no_match = ["mail bob at corp"]
"#;

mod common;
use common::TempDir;

fn warden(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_warden"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // warden may exit (an error, say) before reading its input; the exit code is what is tested then.
    if let Err(e) = child.stdin.take().unwrap().write_all(stdin) {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn rules_file(dir: &TempDir) -> String {
    dir.file("rules.toml", RULES).display().to_string()
}

#[test]
fn jsonl_is_one_object_per_finding_with_byte_offsets() {
    let dir = TempDir::new();
    let rules = rules_file(&dir);
    let o = warden(
        &[
            "scan",
            "--no-builtin",
            "--rules",
            &rules,
            "--format",
            "jsonl",
        ],
        "héllo bob@corp.com TCK-004211\n".as_bytes(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            serde_json::json!({"path": "-", "start": 7, "end": 19, "entity": "EMAIL_ADDRESS", "category": "pii", "rule": "email", "confidence": "high", "score": 0.85}),
            serde_json::json!({"path": "-", "start": 20, "end": 30, "entity": "TICKET_ID", "category": "confidential", "rule": "ticket-id", "confidence": "medium", "score": 0.6}),
        ]
    );
}

#[test]
fn exit_codes_say_nothing_found_found_or_error() {
    let dir = TempDir::new();
    let rules = rules_file(&dir);
    assert_eq!(
        warden(
            &["scan", "--no-builtin", "--rules", &rules],
            b"nothing here"
        )
        .status
        .code(),
        Some(0)
    );
    assert_eq!(
        warden(
            &["scan", "--no-builtin", "--rules", &rules, "-"],
            b"TCK-123456"
        )
        .status
        .code(),
        Some(1)
    );
    let missing = warden(&["scan", "/no/such/path"], b"");
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("/no/such/path: no such file or directory"),
        "{}",
        stderr(&missing)
    );
    let bad = dir.file(
        "bad.toml",
        "schema_version = 1\n[[rule]]\nid = \"x\"\npaterns = []\n",
    );
    let o = warden(
        &["scan", "--no-builtin", "--rules", bad.to_str().unwrap()],
        b"x",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("rule `x`: unknown field `paterns`"),
        "{}",
        stderr(&o)
    );
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn invalid_utf8_is_scanned_with_offsets_into_the_original_bytes() {
    let dir = TempDir::new();
    let rules = rules_file(&dir);
    let mut bytes = b"\xff\xfe bad \xc3 then ".to_vec();
    let start = bytes.len();
    bytes.extend_from_slice(b"TCK-000001 end \xe2\x82");
    let file = dir.file("latin.txt", &bytes);
    let o = warden(
        &[
            "scan",
            "--no-builtin",
            "--rules",
            &rules,
            "--format",
            "jsonl",
            file.to_str().unwrap(),
        ],
        b"",
    );
    let v: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().unwrap()).unwrap();
    assert_eq!(v["start"], start);
    assert_eq!(v["end"], start + 10);
    assert_eq!(&bytes[start..start + 10], b"TCK-000001");
}

#[test]
fn directories_are_walked_in_order_skipping_binary_files() {
    let dir = TempDir::new();
    let rules = rules_file(&dir);
    dir.file("tree/.env", "TICKET=TCK-000002\n");
    dir.file(
        "tree/a/notes.md",
        "line one\n  TCK-000003 and bob@corp.com\n",
    );
    dir.file("tree/b.bin", b"\x00\x01TCK-000004");
    dir.file("tree/.git/config", "TCK-000005");
    let tree = dir.0.join("tree");
    let o = warden(
        &[
            "scan",
            "--no-builtin",
            "--rules",
            &rules,
            tree.to_str().unwrap(),
        ],
        b"",
    );
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].contains(".env:1:8: medium TICKET_ID [ticket-id]"),
        "{out}"
    );
    assert!(lines[1].contains("notes.md:2:3: medium"), "{out}");
    assert!(lines[2].contains("notes.md:2:18: high"), "{out}");
    // Values are hidden in text output unless asked for.
    assert!(
        !out.contains("TCK-000003") && out.contains("***-**0003"),
        "{out}"
    );
    let shown = warden(
        &[
            "scan",
            "--no-builtin",
            "--rules",
            &rules,
            "--show-values",
            tree.to_str().unwrap(),
        ],
        b"",
    );
    assert!(stdout(&shown).contains("TCK-000003"));
    // A binary file named explicitly is scanned.
    let bin = dir.0.join("tree/b.bin");
    assert_eq!(
        warden(
            &[
                "scan",
                "--no-builtin",
                "--rules",
                &rules,
                bin.to_str().unwrap()
            ],
            b""
        )
        .status
        .code(),
        Some(1)
    );
}

#[test]
fn min_confidence_filters_and_json_wraps() {
    let dir = TempDir::new();
    let rules = rules_file(&dir);
    let o = warden(
        &[
            "scan",
            "--no-builtin",
            "--rules",
            &rules,
            "--min-confidence",
            "high",
            "--format",
            "json",
        ],
        b"TCK-123456 bob@corp.com",
    );
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["rule"], "email");
}

#[test]
fn rules_check_runs_examples_and_reports_failures() {
    let dir = TempDir::new();
    let rules = rules_file(&dir);
    let o = warden(&["rules", "check", &rules], b"");
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).contains("2 rules, 4 examples run, 0 failed"),
        "{}",
        stdout(&o)
    );

    let broken = dir.file(
        "broken.toml",
        RULES.replace(
            r#"no_match = ["see TCK-42"]"#,
            r#"no_match = ["see TCK-424242"]"#,
        ),
    );
    let o = warden(&["rules", "check", broken.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("rule `ticket-id`: no_match example was found"),
        "{}",
        stdout(&o)
    );

    let no_examples = dir.file("bare.toml", "schema_version = 1\n[[rule]]\nid = \"bare\"\ndescription = \"d\"\nentity = \"B\"\ncategory = \"pii\"\npatterns = ['b{3}']\n");
    let o = warden(&["rules", "check", no_examples.to_str().unwrap()], b"");
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stdout(&o).contains("has no `[rule.examples]`"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        warden(
            &[
                "rules",
                "check",
                "--allow-missing-examples",
                no_examples.to_str().unwrap()
            ],
            b""
        )
        .status
        .code(),
        Some(0)
    );
}

#[test]
fn mask_and_unmask_round_trip_through_a_mapping_file() {
    let dir = TempDir::new();
    let rules = rules_file(&dir);
    let mapping = dir.0.join("mapping.json");
    let m = mapping.to_str().unwrap();
    let o = warden(
        &["mask", "--no-builtin", "--rules", &rules, "--mapping", m],
        b"ask bob@corp.com about TCK-000007",
    );
    assert_eq!(stdout(&o), "ask [EMAIL_ADDRESS_1] about [TICKET_ID_1]");
    assert_eq!(o.status.code(), Some(1));
    let o = warden(
        &["unmask", "--mapping", m],
        b"Sure, I'll email [email address 1] about **[TICKET_ID_1]**.",
    );
    assert_eq!(
        stdout(&o),
        "Sure, I'll email bob@corp.com about **TCK-000007**."
    );
    let o = warden(
        &[
            "mask",
            "--no-builtin",
            "--rules",
            &rules,
            "--style",
            "redact",
        ],
        b"bob@corp.com",
    );
    assert_eq!(stdout(&o), "[REDACTED]");
    let o = warden(
        &[
            "unmask",
            "--mapping",
            dir.0.join("none.json").to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no such mapping file"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn edm_hashes_make_a_working_exact_match_rule() {
    let dir = TempDir::new();
    let salt = "00112233445566778899aabbccddeeff";
    let o = warden(
        &["edm", "hash", "--salt", salt, "--normalize", "alnum-upper"],
        b"cust-004211\nCUST-009999\n",
    );
    let hashes: Vec<String> = stdout(&o).lines().map(str::to_owned).collect();
    assert_eq!(hashes.len(), 2);
    let rule = format!(
        "schema_version = 1\n[[rule]]\nid = \"customer-id\"\ndescription = \"Customer\"\nentity = \"CUSTOMER_ID\"\ncategory = \"confidential\"\n\
         patterns = ['(?i)\\bCUST-[0-9]{{6}}\\b']\nconfidence = \"high\"\n[rule.exact_match]\nsalt = \"{salt}\"\nhashes = {hashes:?}\nnormalize = \"alnum-upper\"\n"
    );
    let file = dir.file("edm.toml", rule);
    let o = warden(
        &[
            "scan",
            "--no-builtin",
            "--rules",
            file.to_str().unwrap(),
            "--format",
            "jsonl",
        ],
        b"CUST-004211 CUST-000001 cust-009999",
    );
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
    let o = warden(&["edm", "hash", "--salt", "xyz", "v"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--salt must be"), "{}", stderr(&o));
}

#[test]
fn builtin_rules_find_real_secrets() {
    let o = warden(
        &["scan", "--format", "jsonl", "--min-confidence", "high"],
        b"export GITHUB_TOKEN=ghp_8x3JqLmN5vB2cD7eF9gH1iK4lM6nO0pQ2rS4\n",
    );
    let out = stdout(&o);
    assert!(
        out.contains("\"entity\":\"GITHUB_TOKEN\""),
        "{out}{}",
        stderr(&o)
    );
    let listed = warden(&["rules", "list"], b"");
    assert!(stdout(&listed).lines().count() > 160);
    let validators = warden(&["rules", "list", "--validators"], b"");
    assert!(stdout(&validators).lines().any(|l| l == "luhn"));
}

#[test]
fn bench_prints_every_figure() {
    let dir = TempDir::new();
    let rules = rules_file(&dir);
    let o = warden(
        &[
            "bench",
            "--no-builtin",
            "--rules",
            &rules,
            "--corpus-mib",
            "1",
            "--json",
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(v["throughput_mb_s"].as_f64().unwrap() > 0.0);
    assert_eq!(v["latency"].as_array().unwrap().len(), 4);
    assert!(v["pathological"].as_array().unwrap().len() >= 4);
}
