//! The leading `--` comment block of a revision file.

use crate::error::{ErrorKind, ScriptError};
use crate::ident::{validate_id, validate_revision_id};

/// The parsed header of a revision file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    /// First header line, trimmed.
    pub message: String,
    /// `Revision ID`.
    pub revision: String,
    /// `Revises`: empty for a base, several ids for a merge point.
    pub revises: Vec<String>,
    /// `Branch Labels`.
    pub branch_labels: Vec<String>,
    /// `Depends On`: revisions or labels.
    pub depends_on: Vec<String>,
    /// `Create Date`, verbatim (trimmed); informational only.
    pub create_date: Option<String>,
    /// The whole header block without the `--` prefixes ("longdoc").
    pub doc: String,
}

impl Header {
    /// Alembic's `Script.doc`: the first paragraph of the stripped header text,
    /// which is the whole message (all its lines) for a file aludel wrote.
    pub fn summary(&self) -> &str {
        let doc = self.doc.trim();
        doc.split_once("\n\n").map_or(doc, |(first, _)| first)
    }
}

pub(crate) const KEY_REVISION: &str = "Revision ID";
pub(crate) const KEY_REVISES: &str = "Revises";
pub(crate) const KEY_BRANCH_LABELS: &str = "Branch Labels";
pub(crate) const KEY_DEPENDS_ON: &str = "Depends On";
pub(crate) const KEY_CREATE_DATE: &str = "Create Date";

const KEYS: [&str; 5] = [
    KEY_REVISION,
    KEY_REVISES,
    KEY_BRANCH_LABELS,
    KEY_DEPENDS_ON,
    KEY_CREATE_DATE,
];

/// Starts a header line that is message text, whatever follows.
pub(crate) const ESCAPE: char = '\\';

/// The index in [`KEYS`] of the key a header line sets, if it is `Key: value`.
pub(crate) fn key_of(line: &str) -> Option<usize> {
    let (key, _) = line.split_once(':')?;
    let key = key.trim();
    KEYS.iter().position(|k| k.eq_ignore_ascii_case(key))
}

/// Where the header ends: byte offset and 1-based line of the first line after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HeaderEnd {
    pub offset: usize,
    pub line: usize,
}

/// Parses the header of a revision file.
///
/// Only the leading comment block is read (an optional UTF-8 BOM and blank
/// lines before it are skipped); the body is never scanned. The block ends at
/// the first line that is not a `--` comment or is a `-- migrate:` marker.
///
/// The first line is the message. Later lines of the form `Key: value` with a
/// known key (ASCII case-insensitive) set the fields; `Revises`,
/// `Branch Labels` and `Depends On` are comma-separated lists where an empty
/// value or `None` means an empty list. Other lines only go into `doc`.
///
/// A line whose text (after `--` and one space) starts with `\` is message
/// text, never a key or a marker; the `\` is dropped. That is how a message
/// line such as `Depends On: x` is written (see
/// [`render_message`](crate::render_message)).
pub fn parse_header(source: &str) -> Result<Header, ScriptError> {
    parse_header_block(source).map(|(header, _)| header)
}

/// Whether `prefix`, the start of a longer file, already holds the whole header:
/// the line that ends the header block is present and terminated by `\n`.
/// Lets a caller read only the first bytes of a file to parse its header.
pub fn header_is_complete(prefix: &str) -> bool {
    let mut offset = if prefix.starts_with('\u{feff}') { 3 } else { 0 };
    let mut started = false;
    while let Some(i) = prefix[offset..].find('\n') {
        let line = &prefix[offset..offset + i];
        match comment_text(line) {
            Some(text) if !is_marker_text(text) => started = true,
            _ if !started && line.trim().is_empty() => {}
            _ => return true,
        }
        offset += i + 1;
    }
    false
}

/// Returns `Some(rest)` with the text after `--` if `line` is a `--` comment.
fn comment_text(line: &str) -> Option<&str> {
    line.trim_start().strip_prefix("--")
}

/// True if the text after `--` starts a `migrate:` section marker.
pub(crate) fn is_marker_text(after_dashes: &str) -> bool {
    after_dashes.trim_start().starts_with("migrate:")
}

pub(crate) fn parse_header_block(source: &str) -> Result<(Header, HeaderEnd), ScriptError> {
    let mut offset = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let mut line_no = 1;
    let mut builder: Option<Builder> = None;
    while offset < source.len() {
        let rest = &source[offset..];
        let (line, len) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        match comment_text(line) {
            Some(text) if !is_marker_text(text) => {
                // Keep trailing spaces: `doc` is Alembic's docstring, byte for byte.
                let text = text
                    .strip_prefix(' ')
                    .unwrap_or(text)
                    .trim_end_matches('\r');
                let (text, escaped) = match text.strip_prefix(ESCAPE) {
                    Some(unescaped) => (unescaped, true),
                    None => (text, false),
                };
                match &mut builder {
                    None => builder = Some(Builder::new(text, line_no)),
                    Some(b) => b.line(text, escaped, line_no)?,
                }
            }
            _ if builder.is_none() && line.trim().is_empty() => {}
            _ => break,
        }
        offset += len;
        line_no += 1;
    }
    let Some(builder) = builder else {
        return Err(ScriptError::new(line_no, ErrorKind::MissingHeader));
    };
    let header = builder.finish()?;
    Ok((
        header,
        HeaderEnd {
            offset,
            line: line_no,
        },
    ))
}

/// Accumulates header lines in one pass.
struct Builder {
    header: Header,
    first_line: usize,
    revision: Option<String>,
    seen: [bool; KEYS.len()],
    /// Length of `doc` up to the last non-empty line.
    doc_keep: usize,
}

impl Builder {
    fn new(message: &str, first_line: usize) -> Self {
        let mut doc = String::with_capacity(160);
        doc.push_str(message);
        Self {
            header: Header {
                message: message.trim().to_owned(),
                doc,
                ..Header::default()
            },
            first_line,
            revision: None,
            seen: [false; KEYS.len()],
            doc_keep: message.len(),
        }
    }

    fn line(&mut self, line: &str, escaped: bool, line_no: usize) -> Result<(), ScriptError> {
        let doc = &mut self.header.doc;
        doc.push('\n');
        doc.push_str(line);
        if !line.trim().is_empty() {
            self.doc_keep = doc.len();
        }
        if escaped {
            return Ok(());
        }
        let Some(k) = key_of(line) else {
            return Ok(());
        };
        let Some((_, value)) = line.split_once(':') else {
            return Ok(());
        };
        let err = |kind| ScriptError::new(line_no, kind);
        if std::mem::replace(&mut self.seen[k], true) {
            return Err(err(ErrorKind::DuplicateKey(KEYS[k])));
        }
        let value = value.trim();
        let h = &mut self.header;
        match KEYS[k] {
            KEY_REVISION => {
                check_id(KEY_REVISION, value).map_err(err)?;
                self.revision = Some(value.to_owned());
            }
            KEY_REVISES => h.revises = parse_list(KEY_REVISES, value).map_err(err)?,
            KEY_BRANCH_LABELS => {
                h.branch_labels = parse_list(KEY_BRANCH_LABELS, value).map_err(err)?;
            }
            KEY_DEPENDS_ON => h.depends_on = parse_list(KEY_DEPENDS_ON, value).map_err(err)?,
            _ => h.create_date = Some(value.to_owned()),
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Header, ScriptError> {
        self.header.revision = self
            .revision
            .ok_or_else(|| ScriptError::new(self.first_line, ErrorKind::MissingRevisionId))?;
        self.header.doc.truncate(self.doc_keep);
        Ok(self.header)
    }
}

/// Validates one id for `key` (a `Revision ID` must also fit the version table).
pub(crate) fn check_id(key: &'static str, value: &str) -> Result<(), ErrorKind> {
    let checked = if key == KEY_REVISION {
        validate_revision_id(value)
    } else {
        validate_id(value)
    };
    checked.map_err(|reason| ErrorKind::InvalidValue {
        key,
        value: value.to_owned(),
        reason,
    })
}

/// Validates a whole list for `key`: every entry valid, no duplicates.
pub(crate) fn check_list<S: AsRef<str>>(key: &'static str, items: &[S]) -> Result<(), ErrorKind> {
    for (i, item) in items.iter().enumerate() {
        let item = item.as_ref();
        check_id(key, item)?;
        if items[..i].iter().any(|x| x.as_ref() == item) {
            return Err(ErrorKind::DuplicateValue {
                key,
                value: item.to_owned(),
            });
        }
    }
    Ok(())
}

fn parse_list(key: &'static str, value: &str) -> Result<Vec<String>, ErrorKind> {
    if value.is_empty() || value == "None" {
        return Ok(Vec::new());
    }
    let mut items: Vec<String> = Vec::with_capacity(1);
    for item in value.split(',').map(str::trim) {
        check_id(key, item)?;
        if items.iter().any(|x| x == item) {
            return Err(ErrorKind::DuplicateValue {
                key,
                value: item.to_owned(),
            });
        }
        items.push(item.to_owned());
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::IdError;

    const EXAMPLE: &str = "-- Add database triggers.
--
-- Revision ID: 78f7e4e33398
-- Revises: 423d964333d1
-- Create Date: 2025-06-25 23:50:21.208077

-- migrate:upgrade
UPDATE feed SET total_downloads = 0;
";

    fn err(src: &str) -> ScriptError {
        parse_header(src).expect_err("expected an error")
    }

    #[test]
    fn parses_example() {
        let h = parse_header(EXAMPLE).unwrap();
        assert_eq!(h.message, "Add database triggers.");
        assert_eq!(h.revision, "78f7e4e33398");
        assert_eq!(h.revises, ["423d964333d1"]);
        assert!(h.branch_labels.is_empty());
        assert!(h.depends_on.is_empty());
        assert_eq!(h.create_date.as_deref(), Some("2025-06-25 23:50:21.208077"));
        assert_eq!(
            h.doc,
            "Add database triggers.\n\nRevision ID: 78f7e4e33398\nRevises: 423d964333d1\nCreate Date: 2025-06-25 23:50:21.208077"
        );
    }

    #[test]
    fn header_end_is_first_non_comment_line() {
        let (_, end) = parse_header_block(EXAMPLE).unwrap();
        assert_eq!(end.line, 6);
        assert!(EXAMPLE[end.offset..].starts_with("\n-- migrate:upgrade"));
    }

    #[test]
    fn marker_ends_header_without_blank_line() {
        let src = "-- msg\n-- Revision ID: a\n-- migrate:upgrade\n-- Revises: b\n";
        let (h, end) = parse_header_block(src).unwrap();
        assert!(h.revises.is_empty());
        assert_eq!(end.line, 3);
        assert_eq!(h.doc, "msg\nRevision ID: a");
    }

    #[test]
    fn bom_crlf_and_leading_blank_lines() {
        let src = "\u{feff}\r\n  \r\n-- Hello  \r\n--\r\n-- revision id:  abc \r\n-- REVISES: x, y\r\n\r\nSELECT 1;";
        let h = parse_header(src).unwrap();
        assert_eq!(h.message, "Hello");
        assert_eq!(h.revision, "abc");
        assert_eq!(h.revises, ["x", "y"]);
        // doc keeps trailing spaces (Alembic prints its docstring verbatim).
        assert_eq!(h.doc, "Hello  \n\nrevision id:  abc \nREVISES: x, y");
    }

    #[test]
    fn base_spellings() {
        for src in [
            "-- m\n-- Revision ID: a\n",
            "-- m\n-- Revision ID: a\n-- Revises:\n",
            "-- m\n-- Revision ID: a\n-- Revises:   \n",
            "-- m\n-- Revision ID: a\n-- Revises: None\n",
        ] {
            let h = parse_header(src).unwrap();
            assert!(h.revises.is_empty(), "{src:?}");
        }
    }

    #[test]
    fn merge_labels_depends() {
        let src = "-- merge\n-- Revision ID: m1\n-- Revises: a,b , c\n-- Branch Labels: core, api\n-- Depends On: lbl,  x9\n-- Note: free text\n-- just text\n--\n--\n";
        let h = parse_header(src).unwrap();
        assert_eq!(h.revises, ["a", "b", "c"]);
        assert_eq!(h.branch_labels, ["core", "api"]);
        assert_eq!(h.depends_on, ["lbl", "x9"]);
        assert_eq!(h.create_date, None);
        assert_eq!(
            h.doc,
            "merge\nRevision ID: m1\nRevises: a,b , c\nBranch Labels: core, api\nDepends On: lbl,  x9\nNote: free text\njust text"
        );
    }

    #[test]
    fn comment_prefix_strips_one_space_only() {
        let src = "--msg\n-- Revision ID: a\n--    indented\n";
        let h = parse_header(src).unwrap();
        assert_eq!(h.message, "msg");
        assert_eq!(h.doc, "msg\nRevision ID: a\n   indented");
    }

    #[test]
    fn first_line_is_always_the_message() {
        let e = err("-- Revision ID: a\n-- other\n");
        assert_eq!(e, ScriptError::new(1, ErrorKind::MissingRevisionId));
    }

    #[test]
    fn missing_revision_id_names_header_start() {
        let e = err("\n\n-- msg\n-- Revises: a\n");
        assert_eq!(e.line, 3);
        assert_eq!(e.to_string(), "line 3: missing `Revision ID` in header");
    }

    #[test]
    fn missing_header() {
        assert_eq!(err("").kind, ErrorKind::MissingHeader);
        assert_eq!(
            err("\n\nSELECT 1;\n"),
            ScriptError::new(3, ErrorKind::MissingHeader)
        );
        assert_eq!(
            err("-- migrate:upgrade\n"),
            ScriptError::new(1, ErrorKind::MissingHeader)
        );
    }

    #[test]
    fn invalid_ids_name_their_line() {
        let e = err("-- m\n-- Revision ID: a b\n");
        assert_eq!(
            e,
            ScriptError::new(
                2,
                ErrorKind::InvalidValue {
                    key: "Revision ID",
                    value: "a b".into(),
                    reason: IdError::ForbiddenChar(' ')
                }
            )
        );
        assert_eq!(err("-- m\n-- Revision ID:\n").line, 2);
        let e = err("-- m\n-- Revision ID: a\n-- Revises: x,,y\n");
        assert_eq!(e.line, 3);
        assert!(matches!(
            e.kind,
            ErrorKind::InvalidValue {
                reason: IdError::Empty,
                ..
            }
        ));
        let e = err("-- m\n-- Revision ID: a\n-- Revises: x\n-- Branch Labels: a@b\n");
        assert_eq!(e.line, 4);
        assert!(matches!(
            e.kind,
            ErrorKind::InvalidValue {
                key: "Branch Labels",
                reason: IdError::ForbiddenChar('@'),
                ..
            }
        ));
        let e = err("-- m\n-- Revision ID: a\n-- Depends On: x-1\n");
        assert_eq!(e.line, 3);
        let e = err("-- m\n-- Revision ID: None\n");
        assert!(matches!(
            e.kind,
            ErrorKind::InvalidValue {
                reason: IdError::Reserved,
                ..
            }
        ));
    }

    #[test]
    fn duplicates_are_errors() {
        let e = err("-- m\n-- Revision ID: a\n-- Revises: x, y, x\n");
        assert_eq!(
            e,
            ScriptError::new(
                3,
                ErrorKind::DuplicateValue {
                    key: "Revises",
                    value: "x".into()
                }
            )
        );
        let e = err("-- m\n-- Revision ID: a\n-- revision id: b\n");
        assert_eq!(
            e,
            ScriptError::new(3, ErrorKind::DuplicateKey("Revision ID"))
        );
    }

    #[test]
    fn does_not_scan_body() {
        // An unterminated string in the body is not the header's business.
        let h =
            parse_header("-- m\n-- Revision ID: a\n\n-- migrate:upgrade\nSELECT 'oops\n").unwrap();
        assert_eq!(h.revision, "a");
    }
}

#[cfg(test)]
mod completeness_tests {
    use super::header_is_complete;

    #[test]
    fn complete_only_once_the_ending_line_is_whole() {
        assert!(!header_is_complete("-- msg\n-- Revision ID: a"));
        assert!(!header_is_complete("-- msg\n-- Revision ID: a\n"));
        assert!(!header_is_complete("-- msg\n-- Revision ID: a\nCREATE"));
        assert!(header_is_complete("-- msg\n-- Revision ID: a\n\n"));
        assert!(header_is_complete(
            "-- msg\n-- Revision ID: a\n-- migrate:upgrade\n"
        ));
        assert!(!header_is_complete("\n\n"));
        assert!(header_is_complete("\nSELECT 1;\n"));
    }
}
