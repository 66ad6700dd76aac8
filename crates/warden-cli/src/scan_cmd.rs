//! `warden scan`: findings in files, directories or standard input — text files as they are, large
//! text files in windows, and documents (DOCX, XLSX, PPTX, OpenDocument, PDF, mail, ZIP) through
//! `warden-extract`, reporting where inside the document each finding is.

use crate::input::{self, Content, Source};
use crate::output::{Format, Printer};
use crate::{MinConfidence, RuleArgs, load, stream};
use anyhow::Result;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `warden scan`.
#[derive(Args)]
pub struct ScanArgs {
    #[command(flatten)]
    rules: RuleArgs,
    /// Output format; `jsonl` is a stable contract: one object per finding with UTF-8 byte offsets
    /// (for findings inside documents, a `location` and offsets into the text extracted there).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// The lowest confidence tier reported.
    #[arg(long, value_enum, default_value_t = MinConfidence::Low)]
    min_confidence: MinConfidence,
    /// Print matched values in full in text output (by default all but the last four characters are hidden).
    #[arg(long)]
    show_values: bool,
    /// Files or directories to scan (text, DOCX, XLSX, PPTX, ODT/ODS/ODP, PDF, .eml, ZIP); standard
    /// input when none or `-`.
    paths: Vec<PathBuf>,
}

/// Runs the scan. Exit 0 = nothing found, 1 = findings, 2 = an error (after scanning what could be).
pub fn run(args: &ScanArgs) -> Result<ExitCode> {
    let rules = load::rule_set(&args.rules)?;
    let sources = input::sources(&args.paths)?;
    let min = args.min_confidence.tier();
    let mut printer = Printer::new(args.format, args.show_values);
    let mut found = false;
    let mut failed = false;
    let limits = warden_extract::Limits {
        max_file_bytes: input::MAX_INPUT_BYTES as usize,
        ..warden_extract::Limits::default()
    };
    for source in &sources {
        let content = match input::read(source) {
            Ok(Some(content)) => content,
            Ok(None) => continue,
            Err(e) => {
                eprintln!("warden: {e:#}");
                failed = true;
                continue;
            }
        };
        match content {
            Content::Text(bytes) => {
                let text = input::to_text(bytes);
                let findings: Vec<_> = rules
                    .scan(&text)
                    .into_iter()
                    .filter(|f| f.confidence >= min)
                    .collect();
                found |= !findings.is_empty();
                printer.print(&source.name(), &text, &findings)?;
            }
            Content::Stream(file) => {
                let Source::File(path, _) = source else {
                    continue;
                };
                match stream::scan(path, file, &rules, min, &mut printer) {
                    Ok(any) => found |= any,
                    Err(e) => {
                        eprintln!("warden: {e:#}");
                        failed = true;
                    }
                }
            }
            Content::Document(bytes) => {
                let name = source.name();
                match warden_extract::scan_file(&rules, &bytes, &name, &limits) {
                    Ok(scan) => {
                        let findings: Vec<_> = scan
                            .findings
                            .iter()
                            .filter(|f| f.confidence >= min)
                            .cloned()
                            .collect();
                        found |= !findings.is_empty();
                        printer.print_document(&name, &findings)?;
                        // A part that could not be read leaves the file unchecked: say so, exit 2.
                        for part in &scan.extraction.uninspected {
                            eprintln!(
                                "warden: {name} › {}: not inspected: {}",
                                part.location,
                                part.error.message()
                            );
                            failed = true;
                        }
                    }
                    Err(e) => {
                        eprintln!("warden: {name}: not inspected: {}", e.message());
                        failed = true;
                    }
                }
            }
        }
    }
    printer.finish()?;
    Ok(ExitCode::from(if failed {
        2
    } else if found {
        1
    } else {
        0
    }))
}
