//! Printing findings: `text` for people (file:line:column, colour on a terminal, values partly
//! hidden), `json` (one document) and `jsonl` (one object per finding — a stable contract).
//!
//! Findings inside documents (DOCX, PDF, mail, …) carry a `location` (`Sheet1!B2`,
//! `word/document.xml, paragraph 4`, `page 2`); their `start` and `end` are then UTF-8 byte offsets
//! into the text extracted from that place, not into the file.

use serde::Serialize;
use std::io::Write;
use termcolor::{Color, ColorChoice, ColorSpec, StandardStream, WriteColor};
use warden_core::{Confidence, Finding};
use warden_extract::FileFinding;

/// Output format of `warden scan`.
#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq, Debug)]
pub enum Format {
    /// file:line:column and a partly hidden value, for people.
    Text,
    /// One JSON document with every finding.
    Json,
    /// One JSON object per finding per line.
    Jsonl,
}

/// The JSON form of a finding (the `jsonl` contract).
#[derive(Serialize)]
pub struct JsonFinding<'a> {
    path: &'a str,
    start: usize,
    end: usize,
    entity: &'a str,
    category: &'a str,
    rule: &'a str,
    confidence: &'a str,
    score: f64,
    /// Where inside a document; absent for text files, whose offsets are into the file itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
}

impl<'a> JsonFinding<'a> {
    /// The JSON form of `f` found in `path`.
    pub fn new(path: &'a str, f: &'a Finding) -> JsonFinding<'a> {
        JsonFinding {
            path,
            start: f.start,
            end: f.end,
            entity: f.entity(),
            category: f.category().as_str(),
            rule: f.rule_id(),
            confidence: f.confidence.as_str(),
            score: (f64::from(f.score) * 100.0).round() / 100.0,
            location: None,
        }
    }

    /// The JSON form of `f` found inside the document `path`.
    pub fn in_document(path: &'a str, f: &'a FileFinding) -> JsonFinding<'a> {
        JsonFinding {
            path,
            start: f.start,
            end: f.end,
            entity: &f.rule.entity,
            category: f.rule.category.as_str(),
            rule: &f.rule.id,
            confidence: f.confidence.as_str(),
            score: (f64::from(f.score) * 100.0).round() / 100.0,
            location: Some(&f.location),
        }
    }
}

/// Writes findings in the chosen format.
pub struct Printer {
    format: Format,
    out: StandardStream,
    json: Vec<serde_json::Value>,
    show_values: bool,
}

impl Printer {
    /// A printer to standard output; colour only on a terminal.
    pub fn new(format: Format, show_values: bool) -> Printer {
        let choice =
            if std::io::IsTerminal::is_terminal(&std::io::stdout()) && format == Format::Text {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            };
        Printer {
            format,
            out: StandardStream::stdout(choice),
            json: Vec::new(),
            show_values,
        }
    }

    /// Prints the findings of one source.
    pub fn print(&mut self, path: &str, text: &str, findings: &[Finding]) -> std::io::Result<()> {
        self.print_at(path, text, findings, 0, 1)
    }

    /// Prints the findings of a window of a source that starts at byte `base` and line `line` of it.
    pub fn print_at(
        &mut self,
        path: &str,
        text: &str,
        findings: &[Finding],
        base: u64,
        line: usize,
    ) -> std::io::Result<()> {
        let base = usize::try_from(base).unwrap_or(usize::MAX);
        fn shift(mut j: JsonFinding<'_>, base: usize) -> JsonFinding<'_> {
            j.start = j.start.saturating_add(base);
            j.end = j.end.saturating_add(base);
            j
        }
        match self.format {
            Format::Jsonl => {
                let mut lock = self.out.lock();
                for f in findings {
                    serde_json::to_writer(&mut lock, &shift(JsonFinding::new(path, f), base))?;
                    lock.write_all(b"\n")?;
                }
                Ok(())
            }
            Format::Json => {
                for f in findings {
                    self.json.push(
                        serde_json::to_value(shift(JsonFinding::new(path, f), base))
                            .map_err(std::io::Error::other)?,
                    );
                }
                Ok(())
            }
            Format::Text => self.print_text(path, text, findings, line),
        }
    }

    /// Prints the findings inside a document.
    pub fn print_document(&mut self, path: &str, findings: &[FileFinding]) -> std::io::Result<()> {
        match self.format {
            Format::Jsonl => {
                let mut lock = self.out.lock();
                for f in findings {
                    serde_json::to_writer(&mut lock, &JsonFinding::in_document(path, f))?;
                    lock.write_all(b"\n")?;
                }
                Ok(())
            }
            Format::Json => {
                for f in findings {
                    self.json.push(
                        serde_json::to_value(JsonFinding::in_document(path, f))
                            .map_err(std::io::Error::other)?,
                    );
                }
                Ok(())
            }
            Format::Text => {
                for f in findings {
                    let shown = if self.show_values {
                        f.value.clone()
                    } else {
                        hide(&f.value)
                    };
                    self.out
                        .set_color(ColorSpec::new().set_fg(Some(Color::Magenta)))?;
                    write!(self.out, "{path}")?;
                    self.out.reset()?;
                    write!(self.out, " › {}: ", f.location)?;
                    self.tier(f.confidence)?;
                    writeln!(
                        self.out,
                        " {} [{}] {}",
                        f.rule.entity,
                        f.rule.id,
                        shown.escape_debug()
                    )?;
                }
                Ok(())
            }
        }
    }

    fn tier(&mut self, confidence: Confidence) -> std::io::Result<()> {
        let colour = match confidence {
            Confidence::High => Color::Red,
            Confidence::Medium => Color::Yellow,
            Confidence::Low => Color::Cyan,
        };
        self.out
            .set_color(ColorSpec::new().set_fg(Some(colour)).set_bold(true))?;
        write!(self.out, "{:<6}", confidence.as_str())?;
        self.out.reset()
    }

    fn print_text(
        &mut self,
        path: &str,
        text: &str,
        findings: &[Finding],
        mut line: usize,
    ) -> std::io::Result<()> {
        let mut line_start = 0;
        let mut scanned = 0;
        for f in findings {
            for (i, b) in text.as_bytes()[scanned..f.start].iter().enumerate() {
                if *b == b'\n' {
                    line += 1;
                    line_start = scanned + i + 1;
                }
            }
            scanned = f.start;
            let column = f.start - line_start + 1;
            let value = &text[f.span()];
            let shown = if self.show_values {
                value.to_owned()
            } else {
                hide(value)
            };
            self.out
                .set_color(ColorSpec::new().set_fg(Some(Color::Magenta)))?;
            write!(self.out, "{path}")?;
            self.out.reset()?;
            write!(self.out, ":{line}:{column}: ")?;
            self.tier(f.confidence)?;
            writeln!(
                self.out,
                " {} [{}] {}",
                f.entity(),
                f.rule_id(),
                shown.escape_debug()
            )?;
        }
        Ok(())
    }

    /// Writes what is buffered (the `json` document).
    pub fn finish(&mut self) -> std::io::Result<()> {
        if self.format == Format::Json {
            let doc = serde_json::json!({ "findings": std::mem::take(&mut self.json) });
            serde_json::to_writer_pretty(&mut self.out, &doc)?;
            writeln!(self.out)?;
        }
        self.out.flush()
    }
}

/// A value with everything but its last four letters or digits hidden, so terminal output and logs do
/// not repeat secrets.
fn hide(value: &str) -> String {
    let one_line: String = value
        .chars()
        .take(80)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    warden_core::mask::partial(&one_line)
}
