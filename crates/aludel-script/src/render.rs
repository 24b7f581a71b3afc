//! Writing the canonical header block of a new revision.

use crate::error::ErrorKind;
use crate::header::{
    ESCAPE, Header, KEY_BRANCH_LABELS, KEY_CREATE_DATE, KEY_DEPENDS_ON, KEY_REVISES, KEY_REVISION,
    check_id, check_list, is_marker_text, key_of,
};

/// The fields written by [`render_header`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeaderFields {
    /// One-line message; line breaks are folded into single spaces.
    pub message: String,
    /// `Revision ID`.
    pub revision: String,
    /// `Revises`; empty for a base.
    pub revises: Vec<String>,
    /// `Branch Labels`; the line is omitted when empty.
    pub branch_labels: Vec<String>,
    /// `Depends On`; the line is omitted when empty.
    pub depends_on: Vec<String>,
    /// `Create Date`; the line is omitted when `None`.
    pub create_date: Option<String>,
}

impl From<&Header> for HeaderFields {
    fn from(h: &Header) -> Self {
        Self {
            message: h.message.clone(),
            revision: h.revision.clone(),
            revises: h.revises.clone(),
            branch_labels: h.branch_labels.clone(),
            depends_on: h.depends_on.clone(),
            create_date: h.create_date.clone(),
        }
    }
}

/// Folds line breaks into single spaces and trims, as `parse_header` would read it back.
fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// One line of a message as header text: escaped with a leading `\\` when
/// [`parse_header`](crate::parse_header) would otherwise read it as a key
/// (`Depends On: x`), a section marker (`migrate:upgrade`) or an escape.
fn message_line(line: &str, first: bool) -> String {
    let needs_escape =
        line.starts_with(ESCAPE) || is_marker_text(line) || (!first && key_of(line).is_some());
    if needs_escape {
        format!("{ESCAPE}{line}")
    } else {
        line.to_string()
    }
}

/// A revision message as header text, to follow the `-- ` that starts a
/// header: further lines continue as `-- ` comment lines (`--` when empty), and
/// a line that would read back as a header key or a section marker is escaped,
/// so the message can never change the revision's header or sections.
/// [`parse_header`](crate::parse_header) reads it back as the same lines
/// (`\r` before a line break dropped).
///
/// ```
/// use aludel_script::render_message;
/// assert_eq!(render_message("fix\nDepends On: x"), "fix\n-- \\Depends On: x");
/// ```
pub fn render_message(message: &str) -> String {
    message
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .enumerate()
        .map(|(i, line)| match (i, line.is_empty()) {
            (0, _) => message_line(line, true),
            (_, true) => "--".to_string(),
            (_, false) => format!("-- {}", message_line(line, false)),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Renders the canonical header block for a new revision, ending in `\n`.
///
/// ```text
/// -- <message>
/// --
/// -- Revision ID: <id>
/// -- Revises: <a, b>          (empty value for a base)
/// -- Branch Labels: <l1, l2>  (only when non-empty)
/// -- Depends On: <x, y>       (only when non-empty)
/// -- Create Date: <date>      (only when given)
/// ```
///
/// The ids and labels are validated with [`validate_id`](crate::validate_id)
/// and lists must not repeat entries, so the result always parses back with
/// [`parse_header`](crate::parse_header) to the same fields (message and date
/// trimmed, line breaks folded to spaces).
pub fn render_header(h: &HeaderFields) -> Result<String, ErrorKind> {
    let message = message_line(&one_line(&h.message), true);
    check_id(KEY_REVISION, &h.revision)?;
    check_list(KEY_REVISES, &h.revises)?;
    check_list(KEY_BRANCH_LABELS, &h.branch_labels)?;
    check_list(KEY_DEPENDS_ON, &h.depends_on)?;

    let mut out = String::new();
    let mut line = |key: Option<&str>, value: &str| {
        out.push_str("--");
        if let Some(key) = key {
            out.push(' ');
            out.push_str(key);
            out.push(':');
        }
        if !value.is_empty() {
            out.push(' ');
            out.push_str(value);
        }
        out.push('\n');
    };
    line(None, &message);
    line(None, "");
    line(Some(KEY_REVISION), &h.revision);
    line(Some(KEY_REVISES), &h.revises.join(", "));
    if !h.branch_labels.is_empty() {
        line(Some(KEY_BRANCH_LABELS), &h.branch_labels.join(", "));
    }
    if !h.depends_on.is_empty() {
        line(Some(KEY_DEPENDS_ON), &h.depends_on.join(", "));
    }
    if let Some(date) = &h.create_date {
        line(Some(KEY_CREATE_DATE), &one_line(date));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::IdError;
    use crate::parse_header;

    fn fields() -> HeaderFields {
        HeaderFields {
            message: "Add database triggers.".into(),
            revision: "78f7e4e33398".into(),
            revises: vec!["423d964333d1".into()],
            branch_labels: vec![],
            depends_on: vec![],
            create_date: Some("2025-06-25 23:50:21.208077".into()),
        }
    }

    #[test]
    fn canonical_layout() {
        assert_eq!(
            render_header(&fields()).unwrap(),
            "-- Add database triggers.\n--\n-- Revision ID: 78f7e4e33398\n-- Revises: 423d964333d1\n-- Create Date: 2025-06-25 23:50:21.208077\n"
        );
    }

    #[test]
    fn base_merge_labels_depends() {
        let f = HeaderFields {
            message: "merge\nheads ".into(),
            revision: "m".into(),
            revises: vec!["a".into(), "b".into()],
            branch_labels: vec!["x".into(), "y".into()],
            depends_on: vec!["z".into()],
            create_date: None,
        };
        let text = render_header(&f).unwrap();
        assert_eq!(
            text,
            "-- merge heads\n--\n-- Revision ID: m\n-- Revises: a, b\n-- Branch Labels: x, y\n-- Depends On: z\n"
        );
        let h = parse_header(&text).unwrap();
        assert_eq!(h.message, "merge heads");
        assert_eq!(h.revises, f.revises);
        assert_eq!(h.branch_labels, f.branch_labels);
        assert_eq!(h.depends_on, f.depends_on);

        let base = HeaderFields {
            revises: vec![],
            ..fields()
        };
        let text = render_header(&base).unwrap();
        assert!(text.contains("\n-- Revises:\n"));
        assert!(parse_header(&text).unwrap().revises.is_empty());
    }

    #[test]
    fn round_trips_through_parse() {
        let text = render_header(&fields()).unwrap();
        let h = parse_header(&text).unwrap();
        assert_eq!(HeaderFields::from(&h), fields());
    }

    #[test]
    fn rejects_what_would_not_round_trip() {
        let bad = HeaderFields {
            revision: "a b".into(),
            ..fields()
        };
        assert!(matches!(
            render_header(&bad),
            Err(ErrorKind::InvalidValue {
                reason: IdError::ForbiddenChar(' '),
                ..
            })
        ));
        let dup = HeaderFields {
            revises: vec!["a".into(), "a".into()],
            ..fields()
        };
        assert!(matches!(
            render_header(&dup),
            Err(ErrorKind::DuplicateValue { .. })
        ));
    }

    #[test]
    fn messages_that_look_like_markers_or_keys_stay_messages() {
        for message in [
            "migrate:upgrade",
            "  migrate:downgrade",
            "\\x",
            "Revises: a",
        ] {
            let f = HeaderFields {
                message: message.into(),
                ..fields()
            };
            let text = render_header(&f).unwrap();
            let h = parse_header(&text).unwrap();
            assert_eq!(h.message, message.trim(), "{text}");
            assert_eq!(h.revises, fields().revises, "{text}");
        }
    }

    #[test]
    fn multi_line_messages_continue_as_comments() {
        assert_eq!(render_message("one"), "one");
        assert_eq!(render_message("two\nlines"), "two\n-- lines");
        assert_eq!(render_message("a\r\n\r\nb"), "a\n--\n-- b");
    }

    #[test]
    fn message_lines_never_become_header_keys() {
        let message = "fix\nDepends On: x\nBranch Labels: y\n  revision id: z\nmigrate:upgrade\n\\kept\n\nend";
        let text = format!(
            "-- {}\n--\n-- Revision ID: abc\n-- Revises:\n\n-- migrate:upgrade\n",
            render_message(message)
        );
        let h = parse_header(&text).unwrap();
        assert_eq!(h.revision, "abc");
        assert!(h.depends_on.is_empty() && h.branch_labels.is_empty());
        assert_eq!(h.message, "fix");
        assert!(h.doc.starts_with(message), "{:?}", h.doc);
    }
}
