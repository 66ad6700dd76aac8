//! E-mail (`.eml`): headers, the text body (HTML parts reduced to text) and every attachment, read as
//! a file of its own — nested mails included — within the nesting limit. Transfer encodings
//! (base64, quoted-printable) and charsets are decoded by `mail-parser`.

use crate::error::Error;
use crate::sniff::Format;
use crate::{Piece, Sink};
use mail_parser::{MessageParser, MimeHeaders};

pub(crate) fn extract(sink: &mut Sink<'_>, bytes: &[u8]) -> Result<(), Error> {
    let Some(message) = MessageParser::default().parse(bytes) else {
        return Err(Error::corrupt(Format::Eml, "no message headers"));
    };
    let mut headers = String::new();
    for (name, value) in message.headers_raw() {
        headers.push_str(name);
        headers.push_str(": ");
        // Unfold continuation lines so a header reads as one line.
        headers.push_str(
            value
                .trim()
                .replace("\r\n", " ")
                .replace('\n', " ")
                .as_str(),
        );
        headers.push('\n');
    }
    // Encoded words (=?utf-8?b?…?=) hide the subject from the raw header; add it decoded.
    if let Some(subject) = message.subject()
        && !headers.contains(subject)
    {
        headers.push_str("Subject (decoded): ");
        headers.push_str(subject);
        headers.push('\n');
    }
    sink.push(
        Piece::new("headers".to_owned(), headers).with_unit("line"),
        Format::Eml,
    )?;
    for i in 0..message.text_body_count() {
        let Some(body) = message.body_text(i) else {
            continue;
        };
        let location = if i == 0 {
            "body".to_owned()
        } else {
            format!("body part {}", i + 1)
        };
        sink.push(
            Piece::new(location, body.into_owned()).with_unit("line"),
            Format::Eml,
        )?;
    }
    for (i, part) in message.attachments().enumerate() {
        let name = part
            .attachment_name()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("part {}", i + 1));
        let contents = part.contents();
        sink.budget.expand(contents.len() as u64, Format::Eml)?;
        sink.nested(contents, &name, &format!("attachment {name}"))?;
    }
    Ok(())
}
