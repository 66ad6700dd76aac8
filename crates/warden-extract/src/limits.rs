//! Bounds on what one file may cost: its size, the entries and expansion of compressed containers,
//! nesting and the amount of text kept. A [`Budget`] carries the running totals through one
//! extraction, including every nested container, so a bomb spread over many entries or levels is
//! caught as surely as one big entry.

use crate::error::{Error, ErrorKind};
use crate::sniff::Format;

/// The bounds of one extraction. [`Limits::default`] suits a browser upload guard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The largest file accepted, in bytes (50 MB by default; an administrator's policy may change it).
    pub max_file_bytes: usize,
    /// The most entries a ZIP container may list.
    pub max_entries: usize,
    /// The most bytes all compressed entries together may inflate to, nested containers included.
    pub max_expanded_bytes: u64,
    /// The largest ratio of inflated to compressed size of one entry. Real documents stay below 100;
    /// bombs reach thousands.
    pub max_entry_ratio: u64,
    /// How deep containers may nest (a DOCX in a ZIP in a mail is depth 3).
    pub max_depth: usize,
    /// The most text kept from one file, in UTF-8 bytes.
    pub max_text_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_file_bytes: 50_000_000,
            max_entries: 10_000,
            max_expanded_bytes: 500_000_000,
            max_entry_ratio: 200,
            max_depth: 4,
            max_text_bytes: 64 << 20,
        }
    }
}

/// Running totals of one extraction, checked against its [`Limits`].
#[derive(Debug)]
pub(crate) struct Budget {
    pub limits: Limits,
    expanded: u64,
    text: usize,
}

impl Budget {
    pub fn new(limits: Limits) -> Budget {
        Budget {
            limits,
            expanded: 0,
            text: 0,
        }
    }

    /// Counts `n` more inflated bytes.
    pub fn expand(&mut self, n: u64, format: Format) -> Result<(), Error> {
        self.expanded = self.expanded.saturating_add(n);
        if self.expanded > self.limits.max_expanded_bytes {
            return Err(bomb(
                format,
                format!(
                    "it expands to more than {} MB when unpacked",
                    self.limits.max_expanded_bytes / 1_000_000
                ),
            ));
        }
        Ok(())
    }

    /// Bytes that may still be inflated.
    pub fn expand_left(&self) -> u64 {
        self.limits.max_expanded_bytes.saturating_sub(self.expanded)
    }

    /// Counts `n` more bytes of extracted text.
    pub fn text(&mut self, n: usize, format: Format) -> Result<(), Error> {
        self.text = self.text.saturating_add(n);
        if self.text > self.limits.max_text_bytes {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format,
                format!(
                    "the file holds more than {} MB of text, more than can be checked; split it into smaller files",
                    self.limits.max_text_bytes >> 20
                ),
            ));
        }
        Ok(())
    }
}

/// A zip-bomb error with its reason.
pub(crate) fn bomb(format: Format, why: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorKind::Bomb,
        format,
        format!(
            "this {} file was not opened because {why}, which is how a zip bomb looks; it is not inspected",
            format.name()
        ),
    )
}
