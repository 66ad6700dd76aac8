//! Extraction and sanitizing never panic, whatever the bytes: a property test per format. CI runs a
//! few dozen cases each; `PROPTEST_CASES=1000000 cargo test --release -p warden-extract --test
//! never_panic` is the long run (see docs/uploads.md; the cargo-fuzz targets in `fuzz/` go further).
//!
//! Mutating a real file mostly breaks a ZIP checksum and stops there, so the office formats are also
//! tested with generated XML put in the part that holds their text, and PDF with a generated content
//! stream in a well-formed file.

use proptest::prelude::*;
use std::io::Write;
use warden_extract::{Limits, extract, sanitize};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/../../tests/files/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn limits() -> Limits {
    Limits {
        max_file_bytes: 4 << 20,
        max_expanded_bytes: 32 << 20,
        ..Limits::default()
    }
}

fn run(bytes: &[u8]) {
    let _ = extract(bytes, "input", &limits());
    let _ = sanitize(
        bytes,
        "input",
        &limits(),
        &[("a".into(), "[A]".into()), ("1".into(), "".into())],
    );
}

/// A real file with some bytes overwritten and maybe cut short.
fn mutated(name: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let original = fixture(name);
    let len = original.len();
    (
        prop::collection::vec((0..len, any::<u8>()), 1..16),
        prop::option::of(0..len),
    )
        .prop_map(move |(edits, cut)| {
            let mut bytes = original.clone();
            for (at, b) in edits {
                bytes[at] = b;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut);
            }
            bytes
        })
}

/// XML-ish text from the vocabularies the readers know, with broken pieces mixed in.
fn xmlish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("<w:p>".to_owned()),
        Just("</w:p>".to_owned()),
        Just("<w:t>".to_owned()),
        Just("</w:t>".to_owned()),
        Just("<w:tab/>".to_owned()),
        Just("<a:t>".to_owned()),
        Just("<row>".to_owned()),
        Just("</row>".to_owned()),
        Just("<c r=\"B7\" t=\"s\"><v>0</v></c>".to_owned()),
        Just("<c t=\"inlineStr\"><is><t>".to_owned()),
        Just("<v>".to_owned()),
        Just("</v>".to_owned()),
        Just("<table:table table:name=\"S\">".to_owned()),
        Just("<table:table-row table:number-rows-repeated=\"18446744073709551615\">".to_owned()),
        Just("<table:table-cell table:number-columns-repeated=\"99999999\">".to_owned()),
        Just("</table:table-cell>".to_owned()),
        Just("<text:p>".to_owned()),
        Just("</text:p>".to_owned()),
        Just("<text:s text:c=\"1000000\"/>".to_owned()),
        Just("<property name=\"MSIP_Label_x_Enabled\"><vt:lpwstr>true".to_owned()),
        Just("<![CDATA[a]]>".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#x1F600;".to_owned()),
        Just("&#xD800;".to_owned()),
        Just("&bogus;".to_owned()),
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("\"".to_owned()),
        "[a-z0-9 @.é東-]{0,12}",
    ];
    prop::collection::vec(token, 0..40).prop_map(|t| t.concat())
}

fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in parts {
        w.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(body).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// A well-formed, uncompressed one-page PDF whose page content is `content`.
fn pdf(content: &str) -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{content}\nendstream",
            content.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n{o}\nendobj\n", i + 1).bytes());
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").bytes());
    }
    out.extend(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .bytes(),
    );
    out
}

fn content_stream() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("BT".to_owned()),
        Just("ET".to_owned()),
        Just("/F1 12 Tf".to_owned()),
        Just("/F9 0 Tf".to_owned()),
        Just("(ann@corp.com) Tj".to_owned()),
        Just("[(a) -300 (b)] TJ".to_owned()),
        Just("[(a) -1e999 <00ff>] TJ".to_owned()),
        Just("1 0 0 1 72 700 Tm".to_owned()),
        Just("0 -14 Td".to_owned()),
        Just("T*".to_owned()),
        Just("(x) '".to_owned()),
        Just("1 2 (y) \"".to_owned()),
        Just("Tj".to_owned()),
        Just("[".to_owned()),
        Just("(".to_owned()),
        "[ -~]{0,10}",
    ];
    prop::collection::vec(token, 0..30).prop_map(|t| t.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig {
        // 48 in CI; PROPTEST_CASES sets the long run.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(48),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn text(bytes in prop::collection::vec(any::<u8>(), 0..2048)) { run(&bytes) }

    #[test]
    fn docx(bytes in mutated("planted.docx")) { run(&bytes) }

    #[test]
    fn xlsx(bytes in mutated("planted.xlsx")) { run(&bytes) }

    #[test]
    fn pptx(bytes in mutated("planted.pptx")) { run(&bytes) }

    #[test]
    fn odt(bytes in mutated("planted.odt")) { run(&bytes) }

    #[test]
    fn ods(bytes in mutated("planted.ods")) { run(&bytes) }

    #[test]
    fn odp(bytes in mutated("planted.odp")) { run(&bytes) }

    #[test]
    fn pdf_file(bytes in mutated("planted.pdf")) { run(&bytes) }

    #[test]
    fn eml(bytes in mutated("planted.eml")) { run(&bytes) }

    #[test]
    fn archive(bytes in mutated("archive.zip")) { run(&bytes) }

    #[test]
    fn utf16(bytes in mutated("utf16.txt")) { run(&bytes) }

    #[test]
    fn office_xml(xml in xmlish()) {
        let x = xml.as_bytes();
        run(&zip(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", x), ("docProps/custom.xml", x)]));
        run(&zip(&[("xl/workbook.xml", b"<workbook><sheets><sheet name=\"S\" r:id=\"r\"/></sheets></workbook>"), ("xl/_rels/workbook.xml.rels", b"<Relationships><Relationship Id=\"r\" Target=\"worksheets/sheet1.xml\"/></Relationships>"), ("xl/sharedStrings.xml", x), ("xl/worksheets/sheet1.xml", x)]));
        run(&zip(&[("ppt/presentation.xml", b"<p/>"), ("ppt/slides/slide1.xml", x), ("ppt/notesSlides/notesSlide1.xml", x)]));
        run(&zip(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", x), ("meta.xml", x)]));
        run(xml.as_bytes());
    }

    #[test]
    fn pdf_content(content in content_stream()) { run(&pdf(&content)) }
}

#[test]
fn generated_pdf_is_read() {
    let x = extract(
        &pdf("BT /F1 12 Tf 72 700 Td (ann@corp.com) Tj ET"),
        "x.pdf",
        &limits(),
    )
    .unwrap();
    assert_eq!(x.pieces[0].text.trim(), "ann@corp.com");
}
