//! `detector.scanFile` and `detector.sanitizeFile` as JavaScript sees them, under Node
//! (`cargo test --target wasm32-unknown-unknown -p warden-wasm`), on fixtures LibreOffice made
//! (`tests/files/`).
#![cfg(target_arch = "wasm32")]

use serde_json::Value;
use warden_wasm::Detector;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

const DOCX: &[u8] = include_bytes!("../../../tests/files/planted.docx");
const ENCRYPTED: &[u8] = include_bytes!("../../../tests/files/encrypted.docx");
const PDF: &[u8] = include_bytes!("../../../tests/files/planted.pdf");
const AWS: &str = "AKIAQYLPMN5HHHFPZAM2";

fn detector() -> Detector {
    let rules: Vec<Value> = warden_core::builtin::PACKS
        .iter()
        .map(|(source, text)| {
            let value: toml::Value = toml::from_str(text).unwrap();
            serde_json::json!({"source": source, "text": serde_json::to_string(&value).unwrap()})
        })
        .collect();
    let options = serde_json::json!({ "rules": rules }).to_string();
    Detector::new(js_sys::JSON::parse(&options).unwrap()).unwrap()
}

fn plain(value: JsValue) -> Value {
    serde_wasm_bindgen::from_value(value).unwrap()
}

fn options(json: &str) -> JsValue {
    js_sys::JSON::parse(json).unwrap()
}

fn kind(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &"kind".into())
        .unwrap()
        .as_string()
        .unwrap()
}

#[wasm_bindgen_test]
fn scan_file_reports_locations_actions_and_masked_previews() {
    let report = plain(
        detector()
            .scan_file(DOCX, "review.docx", JsValue::UNDEFINED)
            .unwrap(),
    );
    assert_eq!(report["format"], "docx");
    assert_eq!(report["inspectable"], true);
    assert_eq!(report["reason"], Value::Null);
    assert_eq!(report["sanitizable"], true);
    assert!(report["textBytes"].as_u64().unwrap() > 100);
    let findings = report["findings"].as_array().unwrap();
    let aws = findings
        .iter()
        .find(|f| f["ruleId"] == "aws-access-key-id")
        .expect("aws key found");
    assert_eq!(aws["action"], "block");
    assert_eq!(aws["category"], "secret");
    assert_eq!(aws["location"], "word/document.xml, paragraph 2");
    let preview = aws["preview"].as_str().unwrap();
    assert!(
        preview.ends_with("ZAM2") && !preview.contains("AKIA"),
        "{preview}"
    );
    let label = findings
        .iter()
        .find(|f| f["entity"] == "SENSITIVITY_LABEL")
        .expect("label");
    assert_eq!(
        (&label["category"], &label["preview"]),
        (&Value::from("confidential"), &Value::from("Confidential"))
    );
    assert!(
        !serde_json::to_string(&report).unwrap().contains(AWS),
        "no raw value crosses"
    );
}

#[wasm_bindgen_test]
fn unreadable_files_are_reported_not_inspectable() {
    let d = detector();
    let report = plain(
        d.scan_file(ENCRYPTED, "secret.docx", JsValue::UNDEFINED)
            .unwrap(),
    );
    assert_eq!(report["inspectable"], false);
    assert_eq!(report["format"], "encrypted-office");
    assert!(report["reason"].as_str().unwrap().contains("password"));
    assert_eq!(report["findings"].as_array().unwrap().len(), 0);
    let report = plain(
        d.scan_file(DOCX, "review.docx", options(r#"{"maxBytes": 1000}"#))
            .unwrap(),
    );
    assert_eq!(report["inspectable"], false);
    assert!(
        report["reason"].as_str().unwrap().contains("limit"),
        "{report}"
    );
    let err = d
        .scan_file(DOCX, "x", options(r#"{"maxByte": 1}"#))
        .unwrap_err();
    assert_eq!(kind(&err), "invalid-argument");
}

#[wasm_bindgen_test]
fn sanitize_file_replaces_what_the_policy_does_not_allow() {
    let d = detector();
    let out = d
        .sanitize_file(DOCX, "review.docx", options(r#"{"style": "redact"}"#))
        .unwrap();
    let replaced = js_sys::Reflect::get(&out, &"replaced".into())
        .unwrap()
        .as_f64()
        .unwrap();
    assert!(replaced >= 5.0, "{replaced}");
    let bytes =
        js_sys::Uint8Array::new(&js_sys::Reflect::get(&out, &"bytes".into()).unwrap()).to_vec();
    let report = plain(
        d.scan_file(&bytes, "review.docx", JsValue::UNDEFINED)
            .unwrap(),
    );
    assert_eq!(report["inspectable"], true);
    let left: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["action"] != "allow" && f["entity"] != "SENSITIVITY_LABEL")
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let err = d
        .sanitize_file(PDF, "review.pdf", JsValue::UNDEFINED)
        .unwrap_err();
    assert_eq!(kind(&err), "unsupported");
    let err = d
        .sanitize_file(ENCRYPTED, "secret.docx", JsValue::UNDEFINED)
        .unwrap_err();
    assert_eq!(kind(&err), "encrypted");
}
