//! Splitting a revision file into its header and `-- migrate:` sections.
//!
//! Markers are found with the same lexer as the statement splitter, read in
//! the [`Flavor`] the caller gives (the engine the file will run on), so a
//! `-- migrate:downgrade` line inside a `/* */` comment, a string or a dollar
//! quote *as that engine reads it* is not a marker; the sections and their
//! statements are then read one way only. (`/* a /* b */` ends the comment
//! for SQLite but not for PostgreSQL, so a marker after it counts for SQLite
//! only.) A marker is recognised whenever a `--` comment is the first thing on
//! its line outside those constructs (even inside a `BEGIN ... END` trigger
//! body, which then reports as unterminated); MySQL's `# migrate:…` is an
//! ordinary comment. Each section is split on its own: a MySQL `DELIMITER`
//! does not carry over into the next section.

use crate::error::{ErrorKind, ScriptError, SectionKind};
use crate::flavor::Flavor;
use crate::header::{Header, is_marker_text, parse_header_block};
use crate::lexer::{Kind, Lexer};
use crate::split::split_statements;
use crate::statement::Statement;

/// A parsed revision file: header plus raw sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Script<'a> {
    /// The header.
    pub header: Header,
    /// The `-- migrate:upgrade` section.
    pub upgrade: Section<'a>,
    /// The `-- migrate:downgrade` section.
    pub downgrade: Section<'a>,
}

/// The SQL text of one section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section<'a> {
    /// Everything after the marker line up to the next marker line or end of file.
    pub text: &'a str,
    /// 1-based line in the file where `text` begins (the line after the
    /// marker; for an absent section, the line just past the end of the file).
    pub first_line: usize,
    /// `false` if the marker said `transaction:false`.
    pub transactional: bool,
    /// Whether the marker was present in the file.
    pub present: bool,
}

impl<'a> Section<'a> {
    fn absent(first_line: usize) -> Self {
        Self {
            text: "",
            first_line,
            transactional: true,
            present: false,
        }
    }

    /// Splits the section into statements with file line numbers, read as
    /// `flavor` does (pass the flavour given to [`parse_script`]).
    pub fn statements(&self, flavor: Flavor) -> Result<Vec<Statement<'a>>, ScriptError> {
        split_statements(self.text, self.first_line, flavor)
    }
}

/// A recognised marker line.
struct Marker {
    kind: SectionKind,
    transactional: bool,
    line: usize,
    /// Byte offset (in the body) where the marker's line starts.
    line_start: usize,
    /// Byte offset (in the body) where the section text starts.
    text_start: usize,
}

/// Parses the marker comment text (after `--`): `migrate:<name> [options]`.
fn parse_marker(after_dashes: &str, line: usize) -> Result<(SectionKind, bool), ScriptError> {
    let err = |kind| Err(ScriptError::new(line, kind));
    let mut words = after_dashes.split_whitespace();
    let name = words
        .next()
        .and_then(|w| w.strip_prefix("migrate:"))
        .unwrap_or_default();
    let kind = match name {
        "upgrade" => SectionKind::Upgrade,
        "downgrade" => SectionKind::Downgrade,
        other => return err(ErrorKind::UnknownSection(other.to_owned())),
    };
    let mut transactional = None;
    for option in words {
        let value = match option {
            "transaction:false" => false,
            "transaction:true" => true,
            other => return err(ErrorKind::UnknownOption(other.to_owned())),
        };
        if transactional.replace(value).is_some() {
            return err(ErrorKind::DuplicateOption("transaction".to_owned()));
        }
    }
    Ok((kind, transactional.unwrap_or(true)))
}

/// Parses a revision file into header and sections (statements are not split).
///
/// Between the header and the first marker only blank lines and comments are
/// allowed. Each section may appear at most once; a missing one is empty with
/// `present == false`. Unterminated strings, comments and dollar quotes are
/// reported here already, since they would hide markers. The body is read as
/// `flavor` reads SQL; split the sections with the same flavour.
pub fn parse_script(source: &str, flavor: Flavor) -> Result<Script<'_>, ScriptError> {
    let (header, end) = parse_header_block(source)?;
    let body = &source[end.offset..];
    let mut markers: Vec<Marker> = Vec::new();
    let mut lexer = Lexer::new(body, end.line, flavor);
    for token in lexer.by_ref() {
        let token = token?;
        match token.kind {
            Kind::Whitespace | Kind::BlockComment => {}
            Kind::LineComment => {
                // `# migrate:…` (a MySQL comment) is not a marker.
                let Some(text) = body[token.start..token.end].strip_prefix("--") else {
                    continue;
                };
                let line_start = body[..token.start].rfind('\n').map_or(0, |i| i + 1);
                if !is_marker_text(text) || !body[line_start..token.start].trim().is_empty() {
                    continue;
                }
                let (kind, transactional) = parse_marker(text, token.line)?;
                if markers.iter().any(|m| m.kind == kind) {
                    return Err(ScriptError::new(
                        token.line,
                        ErrorKind::DuplicateSection(kind),
                    ));
                }
                let text_start = if token.end < body.len() {
                    token.end + 1
                } else {
                    token.end
                };
                markers.push(Marker {
                    kind,
                    transactional,
                    line: token.line,
                    line_start,
                    text_start,
                });
            }
            _ if markers.is_empty() => {
                return Err(ScriptError::new(
                    token.line,
                    ErrorKind::ContentBeforeSection,
                ));
            }
            _ => {}
        }
    }
    let eof_line = lexer.line();
    let mut upgrade = Section::absent(eof_line);
    let mut downgrade = Section::absent(eof_line);
    for (i, m) in markers.iter().enumerate() {
        let end = markers
            .get(i + 1)
            .map_or(body.len(), |next| next.line_start);
        let section = Section {
            text: &body[m.text_start..end],
            first_line: m.line + 1,
            transactional: m.transactional,
            present: true,
        };
        match m.kind {
            SectionKind::Upgrade => upgrade = section,
            SectionKind::Downgrade => downgrade = section,
        }
    }
    Ok(Script {
        header,
        upgrade,
        downgrade,
    })
}
