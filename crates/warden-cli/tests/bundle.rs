//! `warden bundle keygen | sign | verify`, spawned on temporary directories: the round trip, what
//! `sign` refuses, and every reason `verify` rejects a bundle for, with its exit code and message.

use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

const RULES: &str = r#"schema_version = 1
[[rule]]
id = "acme-codename"
description = "Project codename"
entity = "PROJECT_CODENAME"
category = "confidential"
terms = ["BLUEHERON"]
confidence = "high"
[rule.examples]
match = ["the BLUEHERON launch"]
no_match = ["a blue heron"]
"#;

mod common;
use common::TempDir;

fn warden(dir: &TempDir, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_warden"))
        .current_dir(&dir.0)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[track_caller]
fn assert_exit(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        stdout(o),
        stderr(o)
    );
}

/// A directory with a key (`k.pem`, `k.pem.pub`) and the rules (`r.toml`).
fn setup() -> TempDir {
    let dir = TempDir::new();
    assert_exit(&warden(&dir, &["bundle", "keygen", "--out", "k.pem"]), 0);
    dir.file("r.toml", RULES);
    dir
}

/// Signs `r.toml` into `out` with extra arguments.
#[track_caller]
fn sign(dir: &TempDir, out: &str, version: &str, extra: &[&str]) {
    let mut args = vec![
        "bundle",
        "sign",
        "--key",
        "k.pem",
        "--rules",
        "r.toml",
        "--version",
        version,
        "--out",
        out,
    ];
    args.extend_from_slice(extra);
    assert_exit(&warden(dir, &args), 0);
}

fn verify(dir: &TempDir, bundle: &str, extra: &[&str]) -> Output {
    let mut args = vec!["bundle", "verify", "--trusted", "k.pem.pub", "--json"];
    args.extend_from_slice(extra);
    args.push(bundle);
    warden(dir, &args)
}

/// Asserts a rejection: exit 1, the kind in the JSON output, `phrase` in the message on stderr.
#[track_caller]
fn assert_rejected(o: &Output, kind: &str, phrase: &str) {
    assert_exit(o, 1);
    let result: Value = serde_json::from_str(&stdout(o)).unwrap();
    assert_eq!(result["valid"], false);
    assert_eq!(result["kind"], kind, "{}", stderr(o));
    let err = stderr(o);
    assert!(
        err.contains(&format!("bundle rejected ({kind}):")) && err.contains(phrase),
        "`{phrase}` not in: {err}"
    );
}

fn read_json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn keygen_writes_a_private_key_and_the_trusted_key() {
    let dir = TempDir::new();
    let o = warden(&dir, &["bundle", "keygen", "--out", "k.pem"]);
    assert_exit(&o, 0);
    let pem = std::fs::read_to_string(dir.path("k.pem")).unwrap();
    assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----"), "{pem}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path("k.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let public = read_json(&dir.path("k.pem.pub"));
    let key_id = public["keyId"].as_str().unwrap();
    assert_eq!(key_id.len(), 16);
    assert!(
        stdout(&o).contains(key_id) && stdout(&o).contains(public["publicKey"].as_str().unwrap())
    );
    // Never overwritten, not even the public half.
    let again = warden(&dir, &["bundle", "keygen", "--out", "k.pem"]);
    assert_exit(&again, 2);
    assert!(
        stderr(&again).contains("already exists"),
        "{}",
        stderr(&again)
    );
    assert_eq!(std::fs::read_to_string(dir.path("k.pem")).unwrap(), pem);
    std::fs::remove_file(dir.path("k.pem")).unwrap();
    assert_exit(&warden(&dir, &["bundle", "keygen", "--out", "k.pem"]), 2);
}

#[test]
fn round_trip() {
    let dir = setup();
    dir.file(
        "policy.json",
        r#"{"categories": {"confidential": "block"}}"#,
    );
    sign(
        &dir,
        "b.json",
        "7",
        &[
            "--policy",
            "policy.json",
            "--expires",
            "30d",
            "--disabled-rule",
            "generic-password",
        ],
    );
    let o = verify(&dir, "b.json", &["--min-version", "6"]);
    assert_exit(&o, 0);
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let public = read_json(&dir.path("k.pem.pub"));
    assert_eq!(r["valid"], true);
    assert_eq!(r["version"], 7);
    assert_eq!(r["keyId"], public["keyId"]);
    assert_eq!(r["ruleFiles"], 1);
    assert_eq!(r["rules"], 1);
    assert_eq!(r["policy"], true);
    assert_eq!(r["disabledRules"], json!(["generic-password"]));
    let issued = r["issuedAt"].as_u64().unwrap();
    assert_eq!(r["expiresAt"].as_u64().unwrap(), issued + 30 * 86_400);

    // The text form for people, with the trusted key given as base64 on the command line.
    let public_key = public["publicKey"].as_str().unwrap();
    let o = warden(
        &dir,
        &["bundle", "verify", "--trusted", public_key, "b.json"],
    );
    assert_exit(&o, 0);
    let text = stdout(&o);
    for line in [
        "valid bundle b.json",
        "version:    7",
        "rules:      1 file(s), 1 rule(s)",
        "expires at: 20",
    ] {
        assert!(text.contains(line), "`{line}` not in:\n{text}");
    }

    // The bundle carries the rules as JSON, without their examples (they may hold real values).
    let bundle = warden_bundle::verify(
        &std::fs::read(dir.path("b.json")).unwrap(),
        &warden_bundle::VerifyOptions {
            trusted_keys: &[warden_bundle::TrustedKey::from_base64(public_key).unwrap()],
            now: issued,
            min_version: 0,
            max_bytes: warden_bundle::DEFAULT_MAX_BYTES,
        },
    )
    .unwrap();
    assert_eq!(bundle.rules[0].source, "r.toml");
    let rule_file: Value = serde_json::from_str(&bundle.rules[0].text).unwrap();
    assert_eq!(rule_file["rule"][0]["terms"], json!(["BLUEHERON"]));
    assert!(
        !bundle.rules[0].text.contains("examples"),
        "{}",
        bundle.rules[0].text
    );
}

#[test]
fn equal_version_is_valid_and_says_nothing_is_new() {
    let dir = setup();
    sign(&dir, "b.json", "3", &[]);
    let o = warden(
        &dir,
        &[
            "bundle",
            "verify",
            "--trusted",
            "k.pem.pub",
            "--min-version",
            "3",
            "b.json",
        ],
    );
    assert_exit(&o, 0);
    assert!(stdout(&o).contains("nothing new"), "{}", stdout(&o));
}

#[test]
fn rotation_trusts_several_keys() {
    let dir = setup();
    assert_exit(&warden(&dir, &["bundle", "keygen", "--out", "new.pem"]), 0);
    sign(&dir, "old.json", "1", &[]);
    let o = warden(
        &dir,
        &[
            "bundle",
            "sign",
            "--key",
            "new.pem",
            "--rules",
            "r.toml",
            "--version",
            "2",
            "--previous",
            "old.json",
            "--out",
            "new.json",
        ],
    );
    assert_exit(&o, 0);
    let both = [
        "bundle",
        "verify",
        "--trusted",
        "k.pem.pub",
        "--trusted",
        "new.pem.pub",
    ];
    for bundle in ["old.json", "new.json"] {
        let mut args = both.to_vec();
        args.push(bundle);
        assert_exit(&warden(&dir, &args), 0);
    }
    // Old key retired: its bundle is refused.
    let o = warden(
        &dir,
        &[
            "bundle",
            "verify",
            "--json",
            "--trusted",
            "new.pem.pub",
            "old.json",
        ],
    );
    assert_rejected(&o, "unknown-key", "not trusted");
}

#[test]
fn sign_refuses_bad_input() {
    let dir = setup();
    sign(&dir, "b1.json", "1", &[]);
    let run = |args: &[&str]| {
        let mut all = vec!["bundle", "sign", "--key", "k.pem", "--out", "x.json"];
        all.extend_from_slice(args);
        warden(&dir, &all)
    };
    dir.file(
        "bad.toml",
        RULES.replace(r#"terms = ["BLUEHERON"]"#, r#"patterns = ['(unclosed']"#),
    );
    dir.file(
        "failing.toml",
        RULES.replace(
            r#"match = ["the BLUEHERON launch"]"#,
            r#"match = ["no codename here"]"#,
        ),
    );
    dir.file(
        "clash.toml",
        RULES.replace("acme-codename", "aws-access-key-id"),
    );
    dir.file("list.json", "[1, 2]");
    dir.file("syntax.toml", "schema_version = 1\n[[rule]\n");
    dir.file("not-a-key.pem", "hello");
    let cases: Vec<(&[&str], i32, &str)> = vec![
        (
            &["--rules", "bad.toml", "--version", "2"],
            1,
            "acme-codename",
        ),
        (&["--rules", "syntax.toml", "--version", "2"], 1, "line 2"),
        (
            &["--rules", "failing.toml", "--version", "2"],
            1,
            "examples fail",
        ),
        (&["--rules", "clash.toml", "--version", "2"], 1, "built-in"),
        (
            &[
                "--rules",
                "r.toml",
                "--version",
                "1",
                "--previous",
                "b1.json",
            ],
            1,
            "use --version 2",
        ),
        (&["--rules", "r.toml", "--version", "0"], 1, "between 1 and"),
        (
            &[
                "--rules",
                "r.toml",
                "--version",
                "2",
                "--policy",
                "list.json",
            ],
            2,
            "JSON object",
        ),
        (
            &["--rules", "r.toml", "--version", "2", "--expires", "soon"],
            2,
            "duration",
        ),
        (
            &[
                "--rules",
                "r.toml",
                "--version",
                "2",
                "--issued-at",
                "2026-01-02",
                "--expires",
                "2026-01-01",
            ],
            1,
            "not after the issue time",
        ),
        (
            &["--rules", "missing.toml", "--version", "2"],
            2,
            "missing.toml",
        ),
    ];
    for (args, code, phrase) in cases {
        let o = run(args);
        assert_exit(&o, code);
        assert!(
            stderr(&o).contains(phrase),
            "{args:?}: `{phrase}` not in: {}",
            stderr(&o)
        );
        assert!(!dir.path("x.json").exists(), "{args:?} wrote a bundle");
    }
    let o = warden(
        &dir,
        &[
            "bundle",
            "sign",
            "--key",
            "not-a-key.pem",
            "--rules",
            "r.toml",
            "--version",
            "2",
            "--out",
            "x.json",
        ],
    );
    assert_exit(&o, 2);
    assert!(stderr(&o).contains("keygen"), "{}", stderr(&o));
}

/// Every reason `verify` rejects a bundle for, as the extension would.
#[test]
fn verify_rejects_with_each_reason() {
    let dir = setup();
    sign(&dir, "v1.json", "1", &["--expires", "30d"]);
    sign(&dir, "v2.json", "2", &["--expires", "30d"]);
    sign(&dir, "future.json", "3", &["--issued-at", "2100-01-01"]);
    assert_exit(
        &warden(&dir, &["bundle", "keygen", "--out", "other.pem"]),
        0,
    );

    // v1's signature over v2's payload: changed after signing.
    let mut tampered = read_json(&dir.path("v1.json"));
    tampered["payload"] = read_json(&dir.path("v2.json"))["payload"].clone();
    dir.file("tampered.json", tampered.to_string());
    let mut format2 = read_json(&dir.path("v1.json"));
    format2["format"] = json!(2);
    dir.file("format2.json", format2.to_string());
    dir.file("garbage.json", "<html>Not Found</html>");

    // A validly signed bundle whose rules do not compile cannot come from `sign`; make one directly.
    let test_key = warden_bundle::SigningKey::from_seed(&[5; 32]);
    let payload = json!({
        "format": 1, "version": 4, "issued_at": 1_767_225_600u64,
        "key_id": test_key.public_key().key_id(),
        "rules": [{"source": "bad.json", "text": r#"{"schema_version": 1, "rule": [{"id": "broken-rule",
            "description": "d", "entity": "E", "category": "pii", "patterns": ["(x"]}]}"#}],
    });
    dir.file(
        "invalid-rules.json",
        warden_bundle::sign_unchecked(payload.to_string().as_bytes(), &test_key),
    );
    let test_public = test_key.public_key().public_key();

    let cases: Vec<(&str, Vec<&str>, &str, &str)> = vec![
        (
            "v1.json",
            vec!["--max-bytes", "100"],
            "too-large",
            "the limit is 100 bytes",
        ),
        ("garbage.json", vec![], "malformed", "malformed"),
        ("format2.json", vec![], "unsupported-format", "format 2"),
        (
            "v1.json",
            vec!["--trusted", "other.pem.pub"],
            "unknown-key",
            "not trusted",
        ),
        (
            "tampered.json",
            vec![],
            "bad-signature",
            "changed after it was signed",
        ),
        (
            "v1.json",
            vec!["--now", "2099-01-01"],
            "expired",
            "expired at",
        ),
        (
            "future.json",
            vec![],
            "not-yet-valid",
            "ahead of this device's clock",
        ),
        (
            "v1.json",
            vec!["--min-version", "2"],
            "downgrade",
            "older than version 2",
        ),
        (
            "invalid-rules.json",
            vec!["--trusted", &test_public],
            "invalid-rules",
            "broken-rule",
        ),
    ];
    for (bundle, extra, kind, phrase) in cases {
        let o = if extra.first() == Some(&"--trusted") {
            let mut args = vec!["bundle", "verify", "--json"];
            args.extend(extra.iter().copied());
            args.push(bundle);
            warden(&dir, &args)
        } else {
            verify(&dir, bundle, &extra)
        };
        assert_rejected(&o, kind, phrase);
    }
    // The good ones, for contrast.
    assert_exit(&verify(&dir, "v2.json", &["--min-version", "2"]), 0);
    assert_exit(&verify(&dir, "future.json", &["--now", "2100-01-01"]), 0);
}

#[test]
fn verify_usage_errors_exit_2() {
    let dir = setup();
    sign(&dir, "b.json", "1", &[]);
    let public = read_json(&dir.path("k.pem.pub"));
    // A trusted key whose id is not its own.
    dir.file(
        "wrong-id.pub",
        json!({"keyId": "0000000000000000", "publicKey": public["publicKey"]}).to_string(),
    );
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["--trusted", "wrong-id.pub", "b.json"],
            "correct the key id",
        ),
        (vec!["--trusted", "not-a-key", "b.json"], "no such file"),
        (vec!["--trusted", "k.pem", "b.json"], "not a public key"),
        (
            vec!["--trusted", "k.pem.pub", "missing.json"],
            "missing.json",
        ),
        (
            vec!["--trusted", "k.pem.pub", "--now", "whenever", "b.json"],
            "not a date",
        ),
        (vec!["b.json"], "--trusted"),
    ];
    for (args, phrase) in cases {
        let mut all = vec!["bundle", "verify"];
        all.extend(args.iter().copied());
        let o = warden(&dir, &all);
        assert_exit(&o, 2);
        assert!(
            stderr(&o).contains(phrase),
            "{args:?}: `{phrase}` not in: {}",
            stderr(&o)
        );
    }
}

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/bundles");

/// The committed sample bundles the extension's end-to-end tests serve are what their names say, and
/// their rules find what the tests type.
#[test]
fn committed_sample_bundles() {
    let fixtures = Path::new(FIXTURES);
    let public = read_json(&fixtures.join("test-signing.pem.pub"));
    let trusted = [warden_bundle::TrustedKey::new(
        public["keyId"].as_str().unwrap(),
        public["publicKey"].as_str().unwrap(),
    )
    .unwrap()];
    let now = 1_800_000_000; // 2027-01-15
    let check = |name: &str, min_version: u64| {
        let bytes = std::fs::read(fixtures.join(name)).unwrap();
        let options = warden_bundle::VerifyOptions {
            trusted_keys: &trusted,
            now,
            min_version,
            max_bytes: warden_bundle::DEFAULT_MAX_BYTES,
        };
        warden_bundle::verify(&bytes, &options)
    };
    let scan = |bundle: &warden_bundle::Bundle, text: &str| -> Vec<String> {
        let files: Vec<_> = bundle
            .rules
            .iter()
            .map(|r| warden_core::RuleFile::from_json(&r.source, &r.text).unwrap())
            .collect();
        warden_core::compile(&files)
            .unwrap()
            .scan(text)
            .iter()
            .map(|f| f.rule_id().to_owned())
            .collect()
    };
    let v1 = check("v1.json", 0).unwrap();
    let v2 = check("v2.json", 1).unwrap();
    assert_eq!((v1.version, v2.version), (1, 2));
    let text = "BLUEHERON for CUST-004512, REDKITE for CUST-777001, not CUST-000001";
    assert_eq!(
        scan(&v1, text),
        ["acme-codename", "acme-customer-id"],
        "v1 knows BLUEHERON and CUST-004512 only"
    );
    assert_eq!(
        scan(&v2, text),
        [
            "acme-codename",
            "acme-customer-id",
            "acme-codename",
            "acme-customer-id"
        ]
    );
    assert_eq!(
        v1.policy.as_ref().unwrap()["rules"]["acme-codename"],
        "block"
    );
    for bundle in [&v1, &v2] {
        for rule in &bundle.rules {
            for id in ["004512", "118230", "777001"] {
                assert!(!rule.text.contains(id), "customer {id} in {}", rule.source);
            }
        }
    }
    for (name, min_version, kind) in [
        ("tampered.json", 2, "bad-signature"),
        ("expired.json", 2, "expired"),
        ("downgraded.json", 2, "downgrade"),
        ("future.json", 2, "not-yet-valid"),
        ("unknown-key.json", 2, "unknown-key"),
    ] {
        let error = check(name, min_version).unwrap_err();
        assert_eq!(error.kind().as_str(), kind, "{name}: {error}");
    }
    // The downgraded bundle is validly signed: only the last-known-good version rejects it.
    assert_eq!(check("downgraded.json", 0).unwrap().version, 1);
}

/// `tests/bundles/make.sh` reproduces the committed bundles byte for byte with this CLI.
#[cfg(unix)]
#[test]
fn make_sh_reproduces_the_committed_bundles() {
    let dir = TempDir::new();
    let o = Command::new("bash")
        .arg(Path::new(FIXTURES).join("make.sh"))
        .arg(&dir.0)
        .env("WARDEN", env!("CARGO_BIN_EXE_warden"))
        .output()
        .unwrap();
    assert_exit(&o, 0);
    for name in [
        "v1.json",
        "v2.json",
        "tampered.json",
        "expired.json",
        "downgraded.json",
        "future.json",
        "unknown-key.json",
    ] {
        let made = std::fs::read(dir.path(name)).unwrap();
        let committed = std::fs::read(Path::new(FIXTURES).join(name)).unwrap();
        assert!(
            made == committed,
            "{name} differs from what make.sh makes; run tests/bundles/make.sh and commit the result"
        );
    }
}
