//! The parts of a domain's statement as [`read_catalog`](super::read_catalog)
//! builds it, so that a renderer can alter a domain in place (`ALTER DOMAIN
//! … SET DEFAULT / SET NOT NULL / ADD CONSTRAINT`) instead of dropping a
//! type columns use.

/// A `CREATE DOMAIN` statement the reader built, in parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainParts {
    /// The domain's name as SQL (quoted as needed, qualified outside the
    /// current schema).
    pub name: String,
    /// The base type, as `format_type` prints it.
    pub data_type: String,
    /// `COLLATE` (as SQL), when not the base type's.
    pub collation: Option<String>,
    /// `DEFAULT` expression.
    pub default: Option<String>,
    /// `NOT NULL`.
    pub not_null: bool,
    /// Check constraints in name order: (name as SQL, expression).
    pub checks: Vec<(String, String)>,
}

/// Splits `CREATE DOMAIN name AS type [COLLATE c] [DEFAULT d] [NOT NULL]
/// [CONSTRAINT n CHECK (e)]…` (a [`crate::model::Domain::sql`] the
/// PostgreSQL reader built) into its parts; `None` for other text.
pub fn domain_parts(sql: &str) -> Option<DomainParts> {
    let rest = sql.strip_prefix("CREATE DOMAIN ")?;
    let as_at = top_level(rest, " AS ")?;
    let name = rest[..as_at].to_string();
    let mut rest = &rest[as_at + 4..];
    let next = |text: &str, keys: &[&str]| {
        keys.iter()
            .filter_map(|k| top_level(text, k))
            .min()
            .unwrap_or(text.len())
    };
    let end = next(
        rest,
        &[" COLLATE ", " DEFAULT ", " NOT NULL", " CONSTRAINT "],
    );
    let data_type = rest[..end].to_string();
    rest = &rest[end..];
    let mut collation = None;
    if let Some(after) = rest.strip_prefix(" COLLATE ") {
        let end = next(after, &[" DEFAULT ", " NOT NULL", " CONSTRAINT "]);
        collation = Some(after[..end].to_string());
        rest = &after[end..];
    }
    let mut default = None;
    if let Some(after) = rest.strip_prefix(" DEFAULT ") {
        let end = next(after, &[" NOT NULL", " CONSTRAINT "]);
        default = Some(after[..end].to_string());
        rest = &after[end..];
    }
    let not_null = match rest.strip_prefix(" NOT NULL") {
        Some(after) => {
            rest = after;
            true
        }
        None => false,
    };
    let mut checks = Vec::new();
    while let Some(after) = rest.strip_prefix(" CONSTRAINT ") {
        let at = top_level(after, " CHECK (")?;
        let name = after[..at].to_string();
        let (expr, tail) = super::text::split_check(&after[at + 1..])?;
        checks.push((name, expr.to_string()));
        // What follows, with the space before it (split_check trims it).
        rest = match tail.is_empty() {
            true => "",
            false => after.get(after.len() - tail.len() - 1..)?,
        };
    }
    rest.is_empty().then_some(DomainParts {
        name,
        data_type,
        collation,
        default,
        not_null,
        checks,
    })
}

/// The byte index of `key` in `text` outside string literals, quoted
/// identifiers and parentheses.
fn top_level(text: &str, key: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None => match c {
                '\'' | '"' => quote = Some(c),
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ if depth == 0 && text[i..].starts_with(key) => return Some(i),
                _ => {}
            },
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_domain_splits_into_its_parts() {
        let parts = domain_parts(
            "CREATE DOMAIN other.\"My AS\" AS character varying(10) COLLATE \"C\" \
             DEFAULT 'x NOT NULL'::character varying NOT NULL \
             CONSTRAINT a CHECK (VALUE::text <> ' CONSTRAINT ') CONSTRAINT \"b c\" CHECK (length(VALUE::text) > 1)",
        )
        .expect("parts");
        assert_eq!(
            parts,
            DomainParts {
                name: "other.\"My AS\"".into(),
                data_type: "character varying(10)".into(),
                collation: Some("\"C\"".into()),
                default: Some("'x NOT NULL'::character varying".into()),
                not_null: true,
                checks: vec![
                    ("a".into(), "VALUE::text <> ' CONSTRAINT '".into()),
                    ("\"b c\"".into(), "length(VALUE::text) > 1".into()),
                ],
            }
        );
        let plain = domain_parts("CREATE DOMAIN d AS timestamp with time zone").expect("parts");
        assert_eq!(plain.data_type, "timestamp with time zone");
        assert!(plain.checks.is_empty() && !plain.not_null && plain.default.is_none());
        assert_eq!(domain_parts("CREATE TABLE t (a int)"), None);
    }
}
