//! `verifyBundle` as JavaScript sees it, under Node (`wasm-bindgen-test-runner`): the result object's
//! shape, its rules going straight into `new Detector`, and a `WardenError` with the right `kind` for
//! every rejection reason.
#![cfg(target_arch = "wasm32")]

use serde_json::{Value, json};
use warden_bundle::{Draft, RuleText, SigningKey, sign, sign_unchecked};
use warden_wasm::Detector;
use warden_wasm::bundle::verify_bundle;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

const NOW: u64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const DAY: u64 = 86_400;

const RULES: &str = r#"{"schema_version": 1, "rule": [{"id": "acme-codename",
  "description": "Project codename", "entity": "PROJECT_CODENAME", "category": "confidential",
  "terms": ["BLUEHERON"], "confidence": "high"}]}"#;

fn key(n: u8) -> SigningKey {
    SigningKey::from_seed(&[n; 32])
}

fn draft() -> Draft {
    let mut policy = serde_json::Map::new();
    policy.insert("categories".into(), json!({"confidential": "block"}));
    Draft {
        version: 3,
        issued_at: NOW - DAY,
        expires_at: Some(NOW + DAY),
        rules: vec![RuleText {
            source: "acme.json".into(),
            text: RULES.into(),
        }],
        policy: Some(policy),
        disabled_rules: vec!["generic-password".into()],
    }
}

fn bundle() -> Vec<u8> {
    sign(&draft(), &key(1)).unwrap().bytes
}

fn trusted(keys: &[u8]) -> Value {
    Value::Array(
        keys.iter()
            .map(|&n| {
                let k = key(n).public_key();
                json!({"keyId": k.key_id(), "publicKey": k.public_key()})
            })
            .collect(),
    )
}

fn js(value: &Value) -> JsValue {
    js_sys::JSON::parse(&value.to_string()).unwrap()
}

fn options(change: impl FnOnce(&mut Value)) -> JsValue {
    let mut o = json!({"trustedKeys": trusted(&[1]), "now": NOW, "minVersion": 0});
    change(&mut o);
    js(&o)
}

fn to_json(value: &JsValue) -> Value {
    serde_json::from_str(&js_sys::JSON::stringify(value).unwrap().as_string().unwrap()).unwrap()
}

/// The `kind` and `message` of a thrown error, checking it is a real `Error` named `WardenError`.
fn kind_of(error: JsValue) -> (String, String) {
    let e = error
        .dyn_ref::<js_sys::Error>()
        .expect("a JavaScript Error");
    assert_eq!(String::from(e.name()), "WardenError");
    let kind = js_sys::Reflect::get(e, &"kind".into())
        .unwrap()
        .as_string()
        .unwrap();
    (kind, String::from(e.message()))
}

#[wasm_bindgen_test]
fn valid_bundle_gives_the_documented_object() {
    let result = verify_bundle(&bundle(), options(|_| {})).unwrap();
    let r = to_json(&result);
    let k = key(1).public_key();
    assert_eq!(r["version"], 3);
    assert_eq!(r["keyId"], k.key_id());
    assert_eq!(r["issuedAt"], NOW - DAY);
    assert_eq!(r["expiresAt"], NOW + DAY);
    assert_eq!(r["rules"], json!([{"source": "acme.json", "text": RULES}]));
    assert_eq!(
        r["policy"],
        json!({"categories": {"confidential": "block"}})
    );
    assert_eq!(r["disabledRules"], json!(["generic-password"]));
    let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 7, "{keys:?}");
    // Plain objects, not Maps: the policy reads like JSON.
    let policy = js_sys::Reflect::get(&result, &"policy".into()).unwrap();
    assert!(js_sys::Reflect::has(&policy, &"categories".into()).unwrap());
}

#[wasm_bindgen_test]
fn absent_fields_are_null_or_empty() {
    let minimal = Draft {
        expires_at: None,
        policy: None,
        disabled_rules: Vec::new(),
        ..draft()
    };
    let bytes = sign(&minimal, &key(1)).unwrap().bytes;
    let r = to_json(&verify_bundle(&bytes, options(|_| {})).unwrap());
    assert_eq!(r["expiresAt"], Value::Null);
    assert_eq!(r["policy"], Value::Null);
    assert_eq!(r["disabledRules"], json!([]));
}

#[wasm_bindgen_test]
fn rules_go_straight_into_a_detector() {
    let result = verify_bundle(&bundle(), options(|_| {})).unwrap();
    let detector_options = js_sys::Object::new();
    for field in ["rules", "policy"] {
        let value = js_sys::Reflect::get(&result, &field.into()).unwrap();
        js_sys::Reflect::set(&detector_options, &field.into(), &value).unwrap();
    }
    let detector = Detector::new(detector_options.into()).unwrap();
    let findings = to_json(&detector.scan("ship BLUEHERON friday").unwrap());
    assert_eq!(findings[0]["ruleId"], "acme-codename");
    assert_eq!(findings[0]["action"], "block");
    assert_eq!(
        (findings[0]["start"].clone(), findings[0]["end"].clone()),
        (json!(5), json!(14))
    );
}

#[wasm_bindgen_test]
fn rotation_and_fractional_now() {
    let bytes = sign(&draft(), &key(2)).unwrap().bytes;
    let o = options(|o| {
        o["trustedKeys"] = trusted(&[1, 2]);
        o["now"] = json!(NOW as f64 + 0.75);
    });
    let r = to_json(&verify_bundle(&bytes, o).unwrap());
    assert_eq!(r["keyId"], key(2).public_key().key_id());
}

#[wasm_bindgen_test]
fn every_rejection_is_an_error_with_its_kind() {
    let good = bundle();
    let envelope: Value = serde_json::from_slice(&good).unwrap();
    let with_envelope = |change: &dyn Fn(&mut Value)| {
        let mut e = envelope.clone();
        change(&mut e);
        serde_json::to_vec(&e).unwrap()
    };
    let bad_rules = sign_unchecked(
        json!({"format": 1, "version": 3, "issued_at": NOW, "key_id": key(1).public_key().key_id(),
               "rules": [{"source": "bad.json",
                          "text": RULES.replace(r#""terms": ["BLUEHERON"]"#, r#""patterns": ["(x"]"#)}]})
        .to_string()
        .as_bytes(),
        &key(1),
    );
    let expired = sign(
        &Draft {
            expires_at: Some(NOW - 1),
            issued_at: NOW - DAY,
            ..draft()
        },
        &key(1),
    )
    .unwrap()
    .bytes;
    let future = sign(
        &Draft {
            issued_at: NOW + DAY,
            expires_at: None,
            ..draft()
        },
        &key(1),
    )
    .unwrap()
    .bytes;
    let other: Value = serde_json::from_slice(
        &sign(
            &Draft {
                version: 4,
                ..draft()
            },
            &key(1),
        )
        .unwrap()
        .bytes,
    )
    .unwrap();
    let other_signature = other["signature"]["value"].clone();
    let wrong_id = key(2).public_key().key_id().to_owned();
    let cases: Vec<(&str, Vec<u8>, JsValue, &str)> = vec![
        (
            "too-large",
            good.clone(),
            options(|o| o["maxBytes"] = json!(64)),
            "limit",
        ),
        (
            "malformed",
            b"not json".to_vec(),
            options(|_| {}),
            "malformed",
        ),
        (
            "unsupported-format",
            with_envelope(&|e| e["format"] = json!(2)),
            options(|_| {}),
            "format 2",
        ),
        (
            "invalid-key",
            good.clone(),
            options(|o| o["trustedKeys"][0]["keyId"] = json!(wrong_id)),
            "key id",
        ),
        (
            "unknown-key",
            good.clone(),
            options(|o| o["trustedKeys"] = trusted(&[3])),
            "not trusted",
        ),
        (
            "bad-signature",
            // The signature of another bundle by the same key.
            with_envelope(&|e| e["signature"]["value"] = other_signature.clone()),
            options(|_| {}),
            "does not match",
        ),
        ("expired", expired, options(|_| {}), "expired"),
        ("not-yet-valid", future, options(|_| {}), "ahead of"),
        (
            "downgrade",
            good.clone(),
            options(|o| o["minVersion"] = json!(4)),
            "older than",
        ),
        ("invalid-rules", bad_rules, options(|_| {}), "acme-codename"),
        (
            "invalid-argument",
            good.clone(),
            options(|o| {
                o.as_object_mut().unwrap().remove("minVersion");
            }),
            "minVersion",
        ),
        (
            "invalid-argument",
            good.clone(),
            options(|o| o["now"] = json!(-1)),
            "now",
        ),
    ];
    for (want, bytes, o, phrase) in cases {
        let error = verify_bundle(&bytes, o).expect_err(want);
        let (kind, message) = kind_of(error);
        assert_eq!(kind, want, "{message}");
        assert!(
            message.contains(phrase),
            "{want}: `{phrase}` not in: {message}"
        );
    }
}
