//! Writing the canonical header block of a new revision.

use crate::error::ErrorKind;
use crate::header::{
    Header, KEY_BRANCH_LABELS, KEY_CREATE_DATE, KEY_DEPENDS_ON, KEY_REVISES, KEY_REVISION,
    check_id, check_list, is_marker_text,
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
    let message = one_line(&h.message);
    if is_marker_text(&message) {
        return Err(ErrorKind::MessageLooksLikeMarker);
    }
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
        let marker = HeaderFields {
            message: "migrate:upgrade".into(),
            ..fields()
        };
        assert_eq!(
            render_header(&marker),
            Err(ErrorKind::MessageLooksLikeMarker)
        );
    }
}
