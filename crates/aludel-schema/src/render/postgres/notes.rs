//! What a reviewer should know about a statement: the lock it takes and
//! whether PostgreSQL rewrites the table for it.

use crate::model::ObjectName;

/// `takes an ACCESS EXCLUSIVE lock on <table>`.
pub(crate) fn exclusive(table: &ObjectName) -> String {
    format!("takes an ACCESS EXCLUSIVE lock on {table} (reads and writes wait)")
}

/// The note of a statement that rewrites the table.
pub(crate) fn rewrites(table: &ObjectName) -> String {
    format!("rewrites the table {table} and its indexes while holding the lock")
}

/// The note of `SET NOT NULL` / `VALIDATE`: a full scan.
pub(crate) fn scans(table: &ObjectName) -> String {
    format!("scans the whole table {table}")
}

/// Whether changing a column's type from `from` to `to` rewrites the table
/// (PostgreSQL skips the rewrite when the change is binary-coercible and
/// the new type accepts every old value: a longer or unlimited `varchar`,
/// `varchar` to `text`, a `numeric` with more precision and the same scale).
pub(crate) fn type_change_rewrites(from: &str, to: &str) -> bool {
    let (from, to) = (from.trim().to_lowercase(), to.trim().to_lowercase());
    if from == to {
        return false;
    }
    let (fb, fm) = split_mods(&from);
    let (tb, tm) = split_mods(&to);
    let varying = |b: &str| {
        matches!(
            b,
            "character varying" | "varchar" | "bit varying" | "varbit"
        )
    };
    if varying(fb) && fb == tb {
        return match (fm, tm) {
            (_, None) => false,
            (Some(f), Some(t)) => !number_le(f, t),
            (None, Some(_)) => true,
        };
    }
    if matches!(fb, "character varying" | "varchar") && tb == "text" {
        return false;
    }
    if fb == "text" && matches!(tb, "character varying" | "varchar") && tm.is_none() {
        return false;
    }
    if fb == "numeric" && tb == "numeric" {
        return match (fm, tm) {
            (_, None) => false,
            (Some(f), Some(t)) => {
                let (fp, fs) = f.split_once(',').unwrap_or((f, "0"));
                let (tp, ts) = t.split_once(',').unwrap_or((t, "0"));
                fs.trim() != ts.trim() || !number_le(fp, tp)
            }
            (None, Some(_)) => true,
        };
    }
    true
}

/// `character varying(10)` → (`character varying`, `Some("10")`).
fn split_mods(ty: &str) -> (&str, Option<&str>) {
    match (ty.find('('), ty.strip_suffix(')')) {
        (Some(at), Some(inner)) => (ty[..at].trim_end(), Some(&inner[at + 1..])),
        _ => (ty, None),
    }
}

fn number_le(a: &str, b: &str) -> bool {
    match (a.trim().parse::<u64>(), b.trim().parse::<u64>()) {
        (Ok(a), Ok(b)) => a <= b,
        _ => false,
    }
}

/// Functions whose result changes at every call: a column added with such
/// a default (or an identity or stored generated column) is written into
/// every row, so `ADD COLUMN` rewrites the table.
const VOLATILE: &[&str] = &[
    "nextval(",
    "random(",
    "gen_random_uuid(",
    "uuid_generate_v1",
    "uuid_generate_v4",
    "clock_timestamp(",
    "timeofday(",
    "txid_current(",
    "statement_timestamp(",
    "setseed(",
];

/// Whether a default expression is volatile (as far as the text tells).
pub(crate) fn volatile(default: &str) -> bool {
    let d = default.to_lowercase();
    VOLATILE.iter().any(|f| d.contains(f))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn which_type_changes_rewrite() {
        assert!(!type_change_rewrites(
            "character varying(10)",
            "character varying(20)"
        ));
        assert!(!type_change_rewrites("character varying(10)", "text"));
        assert!(!type_change_rewrites(
            "character varying(10)",
            "character varying"
        ));
        assert!(!type_change_rewrites("text", "character varying"));
        assert!(!type_change_rewrites("numeric(10,2)", "numeric(12,2)"));
        assert!(!type_change_rewrites("numeric(10,2)", "numeric"));
        assert!(type_change_rewrites(
            "character varying(20)",
            "character varying(10)"
        ));
        assert!(type_change_rewrites("numeric(10,2)", "numeric(12,3)"));
        assert!(type_change_rewrites("integer", "bigint"));
        assert!(type_change_rewrites("text", "character varying(5)"));
        assert!(volatile("gen_random_uuid()"));
        assert!(!volatile("now()"));
    }
}
