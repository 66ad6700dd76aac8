//! ZIP containers: opened only after their declared sizes pass the [`Limits`], entries read with the
//! inflated bytes counted, then handed to the reader of the format they make up (DOCX, XLSX, PPTX,
//! ODT/ODS/ODP) or, for a plain archive, each entry extracted as a file of its own.
//!
//! The design decision to know: a zip bomb is refused from its central directory — entry count,
//! declared sizes and ratios — before a single byte is inflated, so refusing one takes microseconds;
//! an entry that inflates past what it declared is stopped at the first byte over.

use crate::error::{Error, ErrorKind};
use crate::limits::{Budget, Limits, bomb};
use crate::sniff::Format;
use crate::{Sink, odf, ooxml};
use std::io::{Cursor, Read};
use zip::ZipArchive;

/// Entries under this inflated size are not held to the ratio limit: small XML parts of real
/// documents can compress very well.
const RATIO_FLOOR: u64 = 1 << 20;

/// An opened ZIP container.
pub(crate) struct Container<'a> {
    archive: ZipArchive<Cursor<&'a [u8]>>,
    names: Vec<String>,
    pub format: Format,
}

impl<'a> Container<'a> {
    /// Opens `bytes`, refusing bombs by their declared sizes, and recognises the format.
    pub fn open(bytes: &'a [u8], budget: &Budget) -> Result<Container<'a>, Error> {
        let limits = &budget.limits;
        if let Some(entries) = declared_entries(bytes)
            && entries > limits.max_entries as u64
        {
            return Err(bomb(
                Format::Zip,
                format!(
                    "it lists {entries} entries (the limit is {})",
                    limits.max_entries
                ),
            ));
        }
        let mut archive =
            ZipArchive::new(Cursor::new(bytes)).map_err(|e| Error::corrupt(Format::Zip, e))?;
        if archive.len() > limits.max_entries {
            return Err(bomb(
                Format::Zip,
                format!(
                    "it lists {} entries (the limit is {})",
                    archive.len(),
                    limits.max_entries
                ),
            ));
        }
        let mut names = Vec::with_capacity(archive.len());
        let mut declared: u64 = 0;
        let mut encrypted = false;
        for i in 0..archive.len() {
            let entry = archive
                .by_index_raw(i)
                .map_err(|e| Error::corrupt(Format::Zip, e))?;
            let size = entry.size();
            let packed = entry.compressed_size().max(1);
            check_entry(limits, size, packed)?;
            declared = declared.saturating_add(size);
            encrypted |= entry.encrypted();
            names.push(String::from_utf8_lossy(entry.name_raw()).into_owned());
        }
        if declared > budget.expand_left() {
            return Err(bomb(
                Format::Zip,
                format!(
                    "its entries declare {:.0} MB when unpacked (the limit is {} MB)",
                    declared as f64 / 1e6,
                    limits.max_expanded_bytes / 1_000_000
                ),
            ));
        }
        let mut container = Container {
            archive,
            names,
            format: Format::Zip,
        };
        if encrypted {
            return Err(Error::new(
                ErrorKind::Encrypted,
                Format::Zip,
                "this archive is protected by a password, so its content cannot be checked; upload the files unprotected",
            ));
        }
        container.format = container.classify();
        Ok(container)
    }

    fn classify(&mut self) -> Format {
        if self.has("word/document.xml") {
            Format::Docx
        } else if self.has("xl/workbook.xml") {
            Format::Xlsx
        } else if self.has("ppt/presentation.xml") {
            Format::Pptx
        } else {
            let mimetype = self
                .index("mimetype")
                .and_then(|i| self.archive.by_index(i).ok())
                .and_then(|f| {
                    let mut s = String::new();
                    f.take(128).read_to_string(&mut s).ok().map(|_| s)
                })
                .unwrap_or_default();
            match mimetype.trim() {
                m if m.starts_with("application/vnd.oasis.opendocument.text") => Format::Odt,
                m if m.starts_with("application/vnd.oasis.opendocument.spreadsheet") => Format::Ods,
                m if m.starts_with("application/vnd.oasis.opendocument.presentation") => {
                    Format::Odp
                }
                _ => Format::Zip,
            }
        }
    }

    /// The entry names, in archive order.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether an entry of this name exists.
    pub fn has(&self, name: &str) -> bool {
        self.index(name).is_some()
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The inflated bytes of entry `name`, or `None` when there is none.
    pub fn read(&mut self, name: &str, budget: &mut Budget) -> Result<Option<Vec<u8>>, Error> {
        match self.index(name) {
            Some(i) => self.read_index(i, budget).map(Some),
            None => Ok(None),
        }
    }

    /// The inflated bytes of entry `i`, counted against the budget as they are read.
    pub fn read_index(&mut self, i: usize, budget: &mut Budget) -> Result<Vec<u8>, Error> {
        let format = self.format;
        let name = self.names.get(i).cloned().unwrap_or_default();
        let entry = self
            .archive
            .by_index(i)
            .map_err(|e| Error::corrupt(format, format!("{name}: {e}")))?;
        let declared = entry.size();
        let allowed = declared.min(budget.expand_left());
        // Never trust a declared size for an allocation.
        let mut out = Vec::with_capacity(allowed.min(16 << 20) as usize);
        entry.take(allowed + 1).read_to_end(&mut out).map_err(|e| {
            // The ZIP reader stops an entry that inflates past its declared size with this error.
            if e.to_string().contains("larger than its declared") {
                bomb(
                    format,
                    format!("its entry {name} holds more data than its header declares"),
                )
            } else {
                Error::corrupt(format, format!("{name}: {e}"))
            }
        })?;
        let got = out.len() as u64;
        if got > declared {
            return Err(bomb(
                format,
                format!("its entry {name} holds more data than its header declares"),
            ));
        }
        budget.expand(got, format)?;
        Ok(out)
    }

    /// The raw archive, for writing a sanitized copy.
    pub fn archive(&mut self) -> &mut ZipArchive<Cursor<&'a [u8]>> {
        &mut self.archive
    }
}

fn check_entry(limits: &Limits, size: u64, packed: u64) -> Result<(), Error> {
    if size > RATIO_FLOOR && size / packed > limits.max_entry_ratio {
        return Err(bomb(
            Format::Zip,
            format!(
                "one entry expands {}-fold (the limit is {}-fold)",
                size / packed,
                limits.max_entry_ratio
            ),
        ));
    }
    if size > limits.max_expanded_bytes {
        return Err(bomb(
            Format::Zip,
            format!(
                "one entry declares {:.0} MB when unpacked (the limit is {} MB)",
                size as f64 / 1e6,
                limits.max_expanded_bytes / 1_000_000
            ),
        ));
    }
    Ok(())
}

/// The entry count from the end-of-central-directory record (ZIP64 included), read before the
/// directory is parsed, so a file listing millions of entries costs nothing.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    let tail_start = bytes.len().saturating_sub(22 + 65535);
    let tail = &bytes[tail_start..];
    let eocd = tail.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let rec = tail.get(eocd..eocd + 22)?;
    let total = u16::from_le_bytes([rec[10], rec[11]]);
    if total != 0xFFFF {
        return Some(u64::from(total));
    }
    // ZIP64: the locator sits just before the EOCD record and points at the ZIP64 record.
    let locator = tail.get(eocd.checked_sub(20)?..eocd)?;
    if &locator[..4] != b"PK\x06\x07" {
        return None;
    }
    let offset = usize::try_from(u64::from_le_bytes(locator[8..16].try_into().ok()?)).ok()?;
    let rec = bytes.get(offset..offset.checked_add(56)?)?;
    if &rec[..4] != b"PK\x06\x06" {
        return None;
    }
    Some(u64::from_le_bytes(rec[32..40].try_into().ok()?))
}

/// Extracts a ZIP container: an office document or an archive of files.
pub(crate) fn extract(sink: &mut Sink<'_>, bytes: &[u8]) -> Result<Format, Error> {
    let mut container = Container::open(bytes, sink.budget)?;
    let format = container.format;
    match format {
        Format::Docx | Format::Xlsx | Format::Pptx => ooxml::extract(sink, &mut container)?,
        Format::Odt | Format::Ods | Format::Odp => odf::extract(sink, &mut container)?,
        _ => {
            let names = container.names().to_vec();
            for (i, name) in names.iter().enumerate() {
                if name.ends_with('/') {
                    continue;
                }
                let inner = container.read_index(i, sink.budget)?;
                sink.nested(&inner, name, name)?;
            }
        }
    }
    Ok(format)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use zip::write::SimpleFileOptions;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn entry_count_is_read_from_the_end_record() {
        let bytes = zip_of(&[("a.txt", b"a"), ("b.txt", b"b")]);
        assert_eq!(declared_entries(&bytes), Some(2));
        assert_eq!(declared_entries(b"not a zip"), None);
    }

    #[test]
    fn ratio_bomb_is_refused_before_inflating() {
        let zeros = vec![0u8; 8 << 20];
        let bytes = zip_of(&[("zeros.txt", &zeros)]);
        let budget = Budget::new(Limits::default());
        let err = Container::open(&bytes, &budget).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::Bomb, "{err}");
        assert!(err.message().contains("fold"), "{err}");
    }

    #[test]
    fn too_many_entries() {
        let entries: Vec<(String, &[u8])> =
            (0..20).map(|i| (format!("{i}.txt"), &b"x"[..])).collect();
        let refs: Vec<(&str, &[u8])> = entries.iter().map(|(n, d)| (n.as_str(), *d)).collect();
        let bytes = zip_of(&refs);
        let budget = Budget::new(Limits {
            max_entries: 10,
            ..Limits::default()
        });
        let err = Container::open(&bytes, &budget).err().unwrap();
        assert_eq!(err.kind(), ErrorKind::Bomb);
    }
}
