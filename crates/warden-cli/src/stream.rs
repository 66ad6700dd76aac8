//! Scanning large plain-text files (a 100 MB CSV export, a log) in bounded memory: the file is read in
//! windows of [`WINDOW`] bytes that overlap by [`OVERLAP`], so a value that straddles a window edge is
//! seen whole by the next window.
//!
//! The design decision to know: each finding is reported by exactly one window — the one whose
//! non-overlapping part it starts in — so nothing is lost at an edge and nothing is reported twice,
//! without keeping a set of what was seen. The overlap is larger than the longest value a rule can
//! match with its context, so a finding near an edge has the same context as in a whole-file scan.

use crate::input;
use crate::output::Printer;
use anyhow::{Context, Result};
use std::fs::File;
use std::io::Read;
use std::path::Path;
use warden_core::{Confidence, RuleSet};

/// Text files at least this large are scanned in windows instead of being read whole.
pub const STREAM_THRESHOLD: u64 = 16 << 20;
/// The bytes scanned at once.
const WINDOW: usize = 8 << 20;
/// How much consecutive windows share: more than the longest match plus its context (PEM blocks up
/// to 64 KiB, context windows of a few hundred bytes).
const OVERLAP: usize = 256 << 10;

/// Scans `file` window by window, printing findings with offsets and line numbers of the whole file.
/// Returns whether anything was found.
pub fn scan(
    path: &Path,
    mut file: File,
    rules: &RuleSet,
    min: Confidence,
    printer: &mut Printer,
) -> Result<bool> {
    let name = path.display().to_string();
    let mut buf: Vec<u8> = Vec::with_capacity(WINDOW + OVERLAP);
    let mut base: u64 = 0;
    let mut line: usize = 1;
    let mut found = false;
    loop {
        let want = WINDOW + OVERLAP - buf.len();
        let before = buf.len();
        (&mut file)
            .take(want as u64)
            .read_to_end(&mut buf)
            .with_context(|| format!("cannot read {name}"))?;
        let eof = buf.len() - before < want;
        // Where the next window starts: the start of a line in the second half of the overlap, so
        // line and column numbers stay exact, else the overlap's start moved to a character boundary.
        let next = if eof {
            buf.len()
        } else {
            let from = buf.len() - OVERLAP;
            let to = buf.len() - OVERLAP / 2;
            match memchr_rev(&buf[from..to]) {
                Some(i) => from + i + 1,
                None => {
                    let mut at = from;
                    while at < to && (buf[at] & 0xC0) == 0x80 {
                        at += 1;
                    }
                    at
                }
            }
        };
        let text = input::to_text(buf.clone());
        let findings: Vec<_> = rules
            .scan(&text)
            .into_iter()
            .filter(|f| f.confidence >= min && (eof || f.start < next))
            .collect();
        found |= !findings.is_empty();
        printer.print_at(&name, &text, &findings, base, line)?;
        if eof {
            return Ok(found);
        }
        line += buf[..next].iter().filter(|&&b| b == b'\n').count();
        base += next as u64;
        buf.drain(..next);
    }
}

/// The position of the last newline in `bytes`.
fn memchr_rev(bytes: &[u8]) -> Option<usize> {
    bytes.iter().rposition(|&b| b == b'\n')
}
