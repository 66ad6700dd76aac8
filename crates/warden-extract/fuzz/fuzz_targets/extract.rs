//! Any bytes through `extract`, with the format chosen by the first byte so every reader is reached
//! even from an empty corpus: its prefix (a ZIP container of one OOXML or ODF part, a PDF header, an
//! e-mail header, UTF-16) is put in front of the fuzzer's bytes. Seeds: tests/files/.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Write;
use warden_extract::{Limits, extract};

/// A ZIP holding `name` = `body`, plus what makes it the format.
fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, body) in parts {
        let _ = w.start_file(*name, zip::write::SimpleFileOptions::default());
        let _ = w.write_all(body);
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_file_bytes: 1 << 20,
        max_expanded_bytes: 8 << 20,
        ..Limits::default()
    };
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let input: Vec<u8> = match selector % 10 {
        0 => zip(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", rest)]),
        1 => zip(&[("xl/workbook.xml", b"<workbook><sheets><sheet name=\"S\" r:id=\"rId1\"/></sheets></workbook>"), ("xl/_rels/workbook.xml.rels", b"<Relationships><Relationship Id=\"rId1\" Target=\"worksheets/sheet1.xml\"/></Relationships>"), ("xl/sharedStrings.xml", b"<sst><si><t>a</t></si></sst>"), ("xl/worksheets/sheet1.xml", rest)]),
        2 => zip(&[("ppt/presentation.xml", b"<p/>"), ("ppt/slides/slide1.xml", rest)]),
        3 => zip(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", rest)]),
        4 => zip(&[("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:p/>"), ("docProps/custom.xml", rest)]),
        5 => [b"%PDF-1.7\n".as_slice(), rest].concat(),
        6 => [b"From: a@b.c\r\nTo: d@e.f\r\nMIME-Version: 1.0\r\n".as_slice(), rest].concat(),
        7 => [&[0xFF, 0xFE][..], rest].concat(),
        _ => rest.to_vec(),
    };
    let _ = extract(&input, "fuzz", &limits);
});
