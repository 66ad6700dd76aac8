//! The fixtures of `tests/files/` (made by LibreOffice, msoffcrypto-tool, Python's `email` and
//! `zipfile`; see its README) through extraction, scanning with the built-in packs, and sanitizing.

use std::collections::BTreeSet;
use std::sync::OnceLock;
use std::time::{Duration, Instant};
use warden_core::RuleSet;
use warden_core::mask::MaskStyle;
use warden_core::policy::Policy;
use warden_extract::{ErrorKind, Format, Limits, extract, sanitize, sanitize_file, scan_file};

const EMAIL: &str = "ann.lee@examplecorp.com";
const AWS: &str = "AKIAQYLPMN5HHHFPZAM2";
const CARD: &str = "4539 1488 0343 6467";
const IBAN: &str = "DE44 5001 0517 5407 3249 31";
const SSN: &str = "536-22-8841";
const GHP: &str = "ghp_4kT9pQ2mX7vL1nR8sW3yZ6bC0dF5gH2jK9aE";

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/../../tests/files/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| warden_core::builtin::rule_set().expect("built-in packs compile"))
}

/// `(value, location)` of every finding, for readable assertions.
fn found(name: &str) -> BTreeSet<(String, String)> {
    let scan = scan_file(rules(), &fixture(name), name, &Limits::default())
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(
        scan.inspected(),
        "{name}: {:?}",
        scan.extraction.uninspected
    );
    scan.findings
        .iter()
        .map(|f| (f.value.clone(), f.location.clone()))
        .collect()
}

fn has(found: &BTreeSet<(String, String)>, value: &str, location: &str) -> bool {
    found.iter().any(|(v, l)| v == value && l == location)
}

#[track_caller]
fn expect(name: &str, wanted: &[(&str, &str)]) {
    let found = found(name);
    for (value, location) in wanted {
        assert!(
            has(&found, value, location),
            "{name}: no {value:?} at {location:?} in {found:#?}"
        );
    }
}

#[test]
fn docx_body_runs_header_footer_comment_footnote_and_label() {
    expect(
        "planted.docx",
        &[
            (AWS, "word/document.xml, paragraph 2"),
            (SSN, "word/document.xml, paragraph 3"),
            (EMAIL, "word/header1.xml, paragraph 1"),
            (IBAN, "word/footer1.xml, paragraph 1"),
            (CARD, "word/comments.xml, paragraph 1"),
            (GHP, "word/footnotes.xml, paragraph 1"),
            ("Confidential", "docProps/custom.xml"),
        ],
    );
    let scan = scan_file(rules(), &fixture("planted.docx"), "x", &Limits::default()).unwrap();
    assert_eq!(scan.extraction.format, Format::Docx);
    let label = scan
        .findings
        .iter()
        .find(|f| f.value == "Confidential")
        .unwrap();
    assert_eq!(label.rule.category, warden_core::Category::Confidential);
    assert_eq!(scan.extraction.labels.len(), 1);
    assert_eq!(
        scan.extraction.labels[0].id,
        "3a2fed65-62e7-46ea-af74-187e0c17143a"
    );
}

#[test]
fn xlsx_cells_are_located() {
    expect(
        "planted.xlsx",
        &[
            (EMAIL, "People!B2"),
            (SSN, "People!C2"),
            (CARD, "Payments!A2"),
            (IBAN, "Payments!B2"),
        ],
    );
}

#[test]
fn pptx_slides_and_notes() {
    expect(
        "planted.pptx",
        &[(AWS, "slide 2"), (EMAIL, "notes of slide 2")],
    );
}

#[test]
fn opendocument_text_spreadsheet_and_presentation() {
    expect(
        "planted.odt",
        &[
            (AWS, "content.xml, paragraph 2"),
            (EMAIL, "styles.xml, paragraph 1"),
            (IBAN, "styles.xml, paragraph 2"),
            ("Confidential", "meta.xml"),
        ],
    );
    let odt = found("planted.odt");
    for value in [CARD, SSN, GHP] {
        assert!(
            odt.iter().any(|(v, _)| v == value),
            "odt: {value} missing in {odt:#?}"
        );
    }
    expect(
        "planted.ods",
        &[
            (EMAIL, "People!B2"),
            (SSN, "People!C2"),
            (IBAN, "Payments!B2"),
        ],
    );
    expect("planted.odp", &[(AWS, "slide 2"), (EMAIL, "slide 2")]);
}

#[test]
fn pdf_pages() {
    let found = found("planted.pdf");
    for value in [AWS, SSN, EMAIL] {
        assert!(
            found
                .iter()
                .any(|(v, l)| v.replace(' ', "") == value && l.starts_with("page ")),
            "pdf: {value} missing in {found:#?}"
        );
    }
}

#[test]
fn text_formats_and_encodings() {
    expect("planted.csv", &[(EMAIL, "line 2"), (CARD, "line 2")]);
    expect("planted.json", &[(AWS, "line 1"), (EMAIL, "line 1")]);
    expect("utf16.txt", &[(EMAIL, "line 1"), (IBAN, "line 1")]);
    expect("cp1252.txt", &[(EMAIL, "line 1"), (IBAN, "line 1")]);
    expect("planted.html", &[(EMAIL, "text")]);
    assert!(found("planted.html").iter().any(|(v, _)| v == AWS));
}

#[test]
fn mail_headers_body_and_attached_docx() {
    expect(
        "planted.eml",
        &[
            (EMAIL, "headers, line 1"),
            (SSN, "body, line 2"),
            (
                AWS,
                "attachment review.docx › word/document.xml, paragraph 2",
            ),
            (
                "Confidential",
                "attachment review.docx › docProps/custom.xml",
            ),
        ],
    );
}

#[test]
fn archive_members() {
    expect(
        "archive.zip",
        &[
            (EMAIL, "export/people.csv, line 2"),
            (AWS, "export/review.docx › word/document.xml, paragraph 2"),
        ],
    );
}

#[test]
fn not_inspectable_files_say_why() {
    let cases = [
        (
            "encrypted.docx",
            ErrorKind::Encrypted,
            Format::EncryptedOffice,
        ),
        ("encrypted.odt", ErrorKind::Encrypted, Format::Odt),
        ("encrypted.pdf", ErrorKind::Encrypted, Format::Pdf),
        ("image.png", ErrorKind::Unsupported, Format::Image),
        ("scanned.pdf", ErrorKind::Unsupported, Format::Pdf),
        ("truncated.docx", ErrorKind::Corrupt, Format::Zip),
        ("bomb.docx", ErrorKind::Bomb, Format::Zip),
        ("lying-bomb.zip", ErrorKind::Bomb, Format::Zip),
    ];
    for (name, kind, format) in cases {
        let err = extract(&fixture(name), name, &Limits::default()).expect_err(name);
        assert_eq!((err.kind(), err.format()), (kind, format), "{name}: {err}");
        assert!(err.message().len() > 30, "{name}: {err}");
    }
    // A damaged PDF is refused or read in part, never reported clean without saying so.
    match extract(&fixture("corrupt.pdf"), "corrupt.pdf", &Limits::default()) {
        Err(e) => assert_eq!(e.kind(), ErrorKind::Corrupt),
        Ok(x) => assert!(!x.uninspected.is_empty() || !x.pieces.is_empty()),
    }
}

#[test]
fn zip_bomb_is_refused_quickly() {
    let bomb = fixture("bomb.docx");
    let start = Instant::now();
    let err = extract(&bomb, "bomb.docx", &Limits::default()).unwrap_err();
    assert!(
        start.elapsed() < Duration::from_millis(100),
        "{:?}",
        start.elapsed()
    );
    assert!(err.message().contains("zip bomb"), "{err}");
}

#[test]
fn file_size_limit() {
    let limits = Limits {
        max_file_bytes: 1000,
        ..Limits::default()
    };
    let err = extract(&fixture("planted.docx"), "x", &limits).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::TooLarge);
}

#[test]
fn nested_too_deep_is_uninspected() {
    let limits = Limits {
        max_depth: 1,
        ..Limits::default()
    };
    // eml (0) › docx (1) is fine; archive (0) › docx (1) too; depth 0 allows no nesting.
    let ok = extract(&fixture("planted.eml"), "m.eml", &limits).unwrap();
    assert!(ok.uninspected.is_empty());
    let limits = Limits {
        max_depth: 0,
        ..Limits::default()
    };
    let shallow = extract(&fixture("planted.eml"), "m.eml", &limits).unwrap();
    assert_eq!(shallow.uninspected.len(), 1);
    assert_eq!(shallow.uninspected[0].error.kind(), ErrorKind::TooDeep);
}

/// Sanitizes with the default policy and checks nothing it does not allow is left.
fn sanitized(name: &str) -> Vec<u8> {
    let copy = sanitize_file(
        rules(),
        &Policy::default(),
        &fixture(name),
        name,
        &Limits::default(),
        MaskStyle::Placeholder,
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"));
    assert!(copy.replaced > 0, "{name}");
    copy.bytes
}

#[test]
fn sanitized_office_copies_keep_structure_and_lose_values() {
    for name in [
        "planted.docx",
        "planted.xlsx",
        "planted.pptx",
        "planted.odt",
        "planted.ods",
        "planted.odp",
    ] {
        let copy = sanitized(name);
        let x = extract(&copy, name, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let text: String = x.pieces.iter().map(|p| p.text.as_str()).collect();
        for value in [AWS, CARD, IBAN, SSN, GHP] {
            assert!(!text.contains(value), "{name}: {value} left in {text}");
        }
        assert!(
            text.contains('[') && text.contains("_1]"),
            "{name}: no placeholder in {text}"
        );
        // The label is kept: removing it would be a downgrade.
        if name == "planted.docx" {
            assert_eq!(x.labels.len(), 1);
            assert!(text.contains("Vendor review"));
        }
    }
}

#[test]
fn sanitized_text_keeps_its_encoding_and_other_bytes() {
    let original = fixture("planted.csv");
    let copy = sanitized("planted.csv");
    let (o, c) = (
        String::from_utf8(original).unwrap(),
        String::from_utf8(copy).unwrap(),
    );
    assert_eq!(
        o.lines().next(),
        c.lines().next(),
        "the header row is untouched"
    );
    assert!(!c.contains(CARD) && c.contains("[CREDIT_CARD_1]"), "{c}");
    let copy = sanitized("utf16.txt");
    assert_eq!(
        &copy[..2],
        &[0xFF, 0xFE],
        "still UTF-16 with its byte-order mark"
    );
    let copy = sanitized("cp1252.txt");
    assert!(copy.contains(&0xFC), "still windows-1252 (ü is one byte)");
}

#[test]
fn clean_copy_is_byte_identical_and_unsupported_formats_say_so() {
    let docx = fixture("planted.docx");
    let same = sanitize(&docx, "x.docx", &Limits::default(), &[]).unwrap();
    assert_eq!((same.bytes == docx, same.replaced), (true, 0));
    for name in ["planted.pdf", "planted.eml", "archive.zip", "image.png"] {
        let err = sanitize_file(
            rules(),
            &Policy::default(),
            &fixture(name),
            name,
            &Limits::default(),
            MaskStyle::Redact,
        )
        .expect_err(name);
        assert_eq!(err.kind(), ErrorKind::Unsupported, "{name}: {err}");
    }
}
