//! Printing findings: `text` for people (file:line:column, colour on a terminal, values partly
//! hidden), `json` (one document) and `jsonl` (one object per finding — a stable contract).

use serde::Serialize;
use std::io::Write;
use termcolor::{Color, ColorChoice, ColorSpec, StandardStream, WriteColor};
use warden_core::{Confidence, Finding};

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
        match self.format {
            Format::Jsonl => {
                let mut lock = self.out.lock();
                for f in findings {
                    serde_json::to_writer(&mut lock, &JsonFinding::new(path, f))?;
                    lock.write_all(b"\n")?;
                }
                Ok(())
            }
            Format::Json => {
                for f in findings {
                    self.json.push(
                        serde_json::to_value(JsonFinding::new(path, f))
                            .map_err(std::io::Error::other)?,
                    );
                }
                Ok(())
            }
            Format::Text => self.print_text(path, text, findings),
        }
    }

    fn print_text(&mut self, path: &str, text: &str, findings: &[Finding]) -> std::io::Result<()> {
        let mut line = 1;
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
            let colour = match f.confidence {
                Confidence::High => Color::Red,
                Confidence::Medium => Color::Yellow,
                Confidence::Low => Color::Cyan,
            };
            self.out
                .set_color(ColorSpec::new().set_fg(Some(colour)).set_bold(true))?;
            write!(self.out, "{:<6}", f.confidence.as_str())?;
            self.out.reset()?;
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
