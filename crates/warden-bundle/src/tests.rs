//! Every rejection reason, table-driven, plus round trips and key rotation.

use super::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

const NOW: u64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const DAY: u64 = 86_400;

const CODENAME_RULES: &str = r#"{"schema_version": 1, "rule": [{"id": "acme-codename",
  "description": "Project codename", "entity": "PROJECT_CODENAME", "category": "confidential",
  "terms": ["BLUEHERON"], "confidence": "high"}]}"#;

fn key(n: u8) -> SigningKey {
    SigningKey::from_seed(&[n; 32])
}

fn draft() -> Draft {
    let mut policy = serde_json::Map::new();
    policy.insert("categories".into(), json!({"confidential": "block"}));
    Draft {
        version: 5,
        issued_at: NOW - DAY,
        expires_at: Some(NOW + 30 * DAY),
        rules: vec![RuleText {
            source: "acme.json".into(),
            text: CODENAME_RULES.into(),
        }],
        policy: Some(policy),
        disabled_rules: vec!["generic-password".into()],
    }
}

fn signed(draft: &Draft) -> Vec<u8> {
    sign(draft, &key(1)).unwrap().bytes
}

/// The payload of `draft` as a JSON value, to be changed and sealed by hand.
fn payload_value(draft: &Draft) -> Value {
    let bytes = signed(draft);
    let envelope: Value = serde_json::from_slice(&bytes).unwrap();
    let payload = STANDARD
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    serde_json::from_slice(&payload).unwrap()
}

/// `draft`'s payload with `change` applied, validly signed by key 1.
fn sealed_with(change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut payload = payload_value(&draft());
    change(&mut payload);
    sign_unchecked(&serde_json::to_vec(&payload).unwrap(), &key(1))
}

/// The valid bundle's envelope with `change` applied (the signature is left as it was).
fn envelope_with(change: impl FnOnce(&mut Value)) -> Vec<u8> {
    let mut envelope: Value = serde_json::from_slice(&signed(&draft())).unwrap();
    change(&mut envelope);
    serde_json::to_vec(&envelope).unwrap()
}

fn options(trusted: &[TrustedKey]) -> VerifyOptions<'_> {
    VerifyOptions {
        trusted_keys: trusted,
        now: NOW,
        min_version: 0,
        max_bytes: DEFAULT_MAX_BYTES,
    }
}

fn rules_text(text: &str) -> Draft {
    Draft {
        rules: vec![RuleText {
            source: "acme.json".into(),
            text: text.into(),
        }],
        ..draft()
    }
}

/// One case: a bundle, how the verifier is set up, and the kind expected (`None` = accepted) with a
/// phrase the message must contain.
struct Case {
    name: &'static str,
    bytes: Vec<u8>,
    setup: fn(&mut VerifyOptions<'_>),
    expect: Option<(ErrorKind, &'static str)>,
}

fn case(
    name: &'static str,
    bytes: Vec<u8>,
    setup: fn(&mut VerifyOptions<'_>),
    expect: Option<(ErrorKind, &'static str)>,
) -> Case {
    Case {
        name,
        bytes,
        setup,
        expect,
    }
}

fn none(_: &mut VerifyOptions<'_>) {}

#[test]
fn every_rejection_reason() {
    use ErrorKind::*;
    let good = signed(&draft());
    let mut tampered_payload = payload_value(&draft());
    tampered_payload["version"] = json!(6);
    let cases = vec![
        case("valid", good.clone(), none, None),
        case(
            "equal version is accepted",
            good.clone(),
            |o| o.min_version = 5,
            None,
        ),
        case(
            "issued within the clock skew",
            signed(&Draft {
                issued_at: NOW + MAX_CLOCK_SKEW_SECS,
                ..draft()
            }),
            none,
            None,
        ),
        case(
            "too large",
            good.clone(),
            |o| o.max_bytes = 100,
            Some((TooLarge, "the limit is 100 bytes")),
        ),
        case(
            "too large beyond the cap",
            vec![b' '; MAX_BUNDLE_BYTES + 1],
            |o| o.max_bytes = usize::MAX,
            Some((TooLarge, "the limit")),
        ),
        case(
            "too many rule files",
            sealed_with(|p| {
                let one = p["rules"][0].clone();
                p["rules"] = Value::Array(vec![one; MAX_RULE_FILES + 1]);
            }),
            none,
            Some((TooLarge, "rule files")),
        ),
        case(
            "not JSON",
            b"<html>404</html>".to_vec(),
            none,
            Some((Malformed, "bundle file is malformed")),
        ),
        case(
            "no signature",
            envelope_with(|e| {
                e.as_object_mut().unwrap().remove("signature");
            }),
            none,
            Some((Malformed, "signature")),
        ),
        case(
            "unknown envelope field",
            envelope_with(|e| e["extra"] = json!(1)),
            none,
            Some((Malformed, "extra")),
        ),
        case(
            "payload not base64",
            envelope_with(|e| e["payload"] = json!("***")),
            none,
            Some((Malformed, "not base64")),
        ),
        case(
            "signature not 64 bytes",
            envelope_with(|e| e["signature"]["value"] = json!(STANDARD.encode([0u8; 63]))),
            none,
            Some((Malformed, "64-byte")),
        ),
        case(
            "signed payload missing version",
            sealed_with(|p| {
                p.as_object_mut().unwrap().remove("version");
            }),
            none,
            Some((Malformed, "version")),
        ),
        case(
            "signed payload with version 0",
            sealed_with(|p| p["version"] = json!(0)),
            none,
            Some((Malformed, "between 1 and")),
        ),
        case(
            "version beyond JavaScript's safe integers",
            sealed_with(|p| p["version"] = json!(MAX_NUMBER + 1)),
            none,
            Some((Malformed, "between 1 and")),
        ),
        case(
            "expiry before issue",
            sealed_with(|p| p["expires_at"] = json!(NOW - 2 * DAY)),
            none,
            Some((Malformed, "must be after")),
        ),
        case(
            "payload names another key",
            sealed_with(|p| p["key_id"] = json!(key(2).public_key().key_id())),
            none,
            Some((Malformed, "names key")),
        ),
        case(
            "policy not an object",
            sealed_with(|p| p["policy"] = json!(["block"])),
            none,
            Some((Malformed, "policy")),
        ),
        case(
            "envelope format 2",
            envelope_with(|e| e["format"] = json!(2)),
            none,
            Some((UnsupportedFormat, "format 2")),
        ),
        case(
            "payload format 2",
            sealed_with(|p| p["format"] = json!(2)),
            none,
            Some((UnsupportedFormat, "format 2")),
        ),
        case(
            "other algorithm",
            envelope_with(|e| e["signature"]["algorithm"] = json!("rsa-pss")),
            none,
            Some((UnsupportedFormat, "rsa-pss")),
        ),
        case(
            "unknown key",
            good.clone(),
            |o| o.trusted_keys = &OTHER_KEYS[..],
            Some((UnknownKey, "not trusted")),
        ),
        case(
            "no trusted key",
            good.clone(),
            |o| o.trusted_keys = &[],
            Some((UnknownKey, "no key is trusted")),
        ),
        case(
            "payload changed after signing",
            envelope_with(|e| {
                e["payload"] =
                    json!(STANDARD.encode(serde_json::to_vec(&tampered_payload).unwrap()))
            }),
            none,
            Some((BadSignature, "changed after it was signed")),
        ),
        case(
            "signature changed",
            envelope_with(|e| e["signature"]["value"] = json!(STANDARD.encode([7u8; 64]))),
            none,
            Some((BadSignature, "does not match")),
        ),
        case(
            "signed by another key under this key's id",
            {
                let mut e: Value =
                    serde_json::from_slice(&sign(&draft(), &key(2)).unwrap().bytes).unwrap();
                e["signature"]["key_id"] = json!(key(1).public_key().key_id());
                serde_json::to_vec(&e).unwrap()
            },
            none,
            Some((BadSignature, "does not match")),
        ),
        case(
            "expired",
            good.clone(),
            |o| o.now = NOW + 30 * DAY,
            Some((Expired, "expired at")),
        ),
        case(
            "issued in the future",
            signed(&Draft {
                issued_at: NOW + MAX_CLOCK_SKEW_SECS + 1,
                expires_at: None,
                ..draft()
            }),
            none,
            Some((NotYetValid, "check the clock")),
        ),
        case(
            "downgrade",
            good.clone(),
            |o| o.min_version = 6,
            Some((Downgrade, "older than version 6")),
        ),
        case(
            "bad pattern",
            sealed_with(|p| {
                p["rules"][0]["text"] = json!(
                    CODENAME_RULES
                        .replace(r#""terms": ["BLUEHERON"]"#, r#""patterns": ["(unclosed"]"#)
                )
            }),
            none,
            Some((InvalidRules, "acme-codename")),
        ),
        case(
            "TOML text",
            sealed_with(|p| p["rules"][0]["text"] = json!("schema_version = 1\n")),
            none,
            Some((InvalidRules, "converts TOML")),
        ),
        case(
            "duplicate rule ids",
            sealed_with(|p| {
                let one = p["rules"][0].clone();
                p["rules"] = json!([one.clone(), one]);
            }),
            none,
            Some((InvalidRules, "already defined")),
        ),
        case(
            "rule file for a newer engine",
            sealed_with(|p| {
                p["rules"][0]["text"] = json!(CODENAME_RULES.replace(
                    r#""schema_version": 1"#,
                    r#""schema_version": 1, "min_engine_version": "99.0.0""#
                ))
            }),
            none,
            Some((InvalidRules, "99.0.0")),
        ),
    ];
    let trusted = [key(1).public_key()];
    let mut seen = std::collections::HashSet::new();
    for c in cases {
        let mut o = options(&trusted);
        (c.setup)(&mut o);
        let result = verify(&c.bytes, &o);
        match (c.expect, result) {
            (None, Ok(bundle)) => assert!(bundle.version >= 5, "{}", c.name),
            (None, Err(e)) => panic!("{}: rejected ({}) {e}", c.name, e.kind()),
            (Some((kind, _)), Ok(_)) => panic!("{}: accepted, expected {kind}", c.name),
            (Some((kind, phrase)), Err(e)) => {
                assert_eq!(e.kind(), kind, "{}: {e}", c.name);
                assert!(
                    e.message().contains(phrase),
                    "{}: `{phrase}` not in: {e}",
                    c.name
                );
                seen.insert(kind);
            }
        }
    }
    // Every kind but `invalid-key` (a setup error, tested below) is a reason a bundle is rejected.
    for kind in ErrorKind::ALL {
        assert!(
            kind == ErrorKind::InvalidKey || seen.contains(&kind),
            "no case for {kind}"
        );
    }
}

static OTHER_KEYS: std::sync::LazyLock<[TrustedKey; 1]> =
    std::sync::LazyLock::new(|| [key(3).public_key()]);

#[test]
fn too_many_trusted_keys_is_a_key_error() {
    let many: Vec<TrustedKey> = (0..=MAX_TRUSTED_KEYS as u8)
        .map(|n| key(n).public_key())
        .collect();
    let err = verify(&signed(&draft()), &options(&many)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidKey);
}

#[test]
fn round_trip_keeps_everything() {
    let d = draft();
    let trusted = [key(1).public_key()];
    let bundle = verify(&signed(&d), &options(&trusted)).unwrap();
    assert_eq!(bundle.version, d.version);
    assert_eq!(bundle.issued_at, d.issued_at);
    assert_eq!(bundle.expires_at, d.expires_at);
    assert_eq!(bundle.key_id, key(1).public_key().key_id());
    assert_eq!(bundle.rules, d.rules);
    assert_eq!(bundle.policy, d.policy);
    assert_eq!(bundle.disabled_rules, d.disabled_rules);
    assert_eq!(bundle.rule_count, 1);
    // The rules are what the engine compiles, and they find the codename.
    let files: Vec<_> = bundle
        .rules
        .iter()
        .map(|r| warden_core::RuleFile::from_json(&r.source, &r.text).unwrap())
        .collect();
    let set = warden_core::compile(&files).unwrap();
    assert_eq!(
        set.scan("the BLUEHERON launch")[0].rule_id(),
        "acme-codename"
    );
}

#[test]
fn signing_is_deterministic_and_optional_fields_are_omitted() {
    let minimal = Draft {
        expires_at: None,
        policy: None,
        disabled_rules: Vec::new(),
        ..draft()
    };
    assert_eq!(signed(&minimal), signed(&minimal));
    let payload = payload_value(&minimal);
    let keys: Vec<&str> = payload
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys.len(),
        5,
        "format, version, issued_at, key_id, rules: {keys:?}"
    );
    let trusted = [key(1).public_key()];
    let bundle = verify(&signed(&minimal), &options(&trusted)).unwrap();
    assert_eq!((bundle.expires_at, bundle.policy), (None, None));
}

#[test]
fn the_signature_covers_the_stored_bytes_not_a_reserialization() {
    // Whitespace and key order that serde would never write still verify: nothing is re-serialized.
    let payload = payload_value(&draft());
    let text = format!(
        "{{ \"rules\" : {},\n \"key_id\": {}, \"version\": 5, \"issued_at\": {}, \"format\": 1 }}",
        payload["rules"],
        payload["key_id"],
        NOW - DAY
    );
    let trusted = [key(1).public_key()];
    let bundle = verify(
        &sign_unchecked(text.as_bytes(), &key(1)),
        &options(&trusted),
    )
    .unwrap();
    assert_eq!(bundle.version, 5);
}

#[test]
fn rotation_accepts_any_trusted_key() {
    let (old, new) = (key(1), key(2));
    let trusted = [old.public_key(), new.public_key()];
    for k in [&old, &new] {
        let bytes = sign(&draft(), k).unwrap().bytes;
        let bundle = verify(&bytes, &options(&trusted)).unwrap();
        assert_eq!(bundle.key_id, k.public_key().key_id());
    }
    // Once the old key is removed from the trusted keys, its bundles are refused.
    let only_new = [new.public_key()];
    let old_bundle = sign(&draft(), &old).unwrap().bytes;
    assert_eq!(
        verify(&old_bundle, &options(&only_new)).unwrap_err().kind(),
        ErrorKind::UnknownKey
    );
}

#[test]
fn sign_refuses_what_verify_would_refuse() {
    let k = key(1);
    let cases: Vec<(Draft, ErrorKind)> = vec![
        (
            Draft {
                version: 0,
                ..draft()
            },
            ErrorKind::Malformed,
        ),
        (
            Draft {
                expires_at: Some(NOW - DAY),
                ..draft()
            },
            ErrorKind::Malformed,
        ),
        (
            rules_text(r#"{"schema_version": 1, "rule": [{"id": "Bad Id"}]}"#),
            ErrorKind::InvalidRules,
        ),
        (rules_text("not json"), ErrorKind::InvalidRules),
        (
            Draft {
                disabled_rules: vec![String::new()],
                ..draft()
            },
            ErrorKind::Malformed,
        ),
    ];
    for (d, kind) in cases {
        assert_eq!(sign(&d, &k).unwrap_err().kind(), kind, "{d:?}");
    }
}

#[test]
fn peek_version_reads_unverified_bundles() {
    assert_eq!(peek_version(&signed(&draft())).unwrap(), 5);
    assert_eq!(
        peek_version(b"{}").unwrap_err().kind(),
        ErrorKind::Malformed
    );
}

#[test]
fn kind_names_are_kebab_case_and_distinct() {
    let names: std::collections::HashSet<&str> =
        ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
    assert_eq!(names.len(), ErrorKind::ALL.len());
    assert!(
        names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
    );
}
