//! `embed_migrations!`: compiles a folder of revision files into the binary.
//!
//! Architecture invariant: everything is checked at compile time — headers,
//! sections, statement splitting and the revision graph — so a binary that
//! builds has a history that loads. Errors become `compile_error!`s naming the
//! file and line.

use std::path::{Path, PathBuf};

use proc_macro::TokenStream;
use quote::quote;
use syn::{LitStr, parse_macro_input};

/// Embeds `<dir>/versions/*.sql` (relative to the crate's `Cargo.toml`) as an
/// `aludel::Migrations`, after checking every header, section and the graph.
///
/// Cargo reruns the macro when an embedded file changes. To pick up *new*
/// files too, add a `build.rs` with `println!("cargo:rerun-if-changed=migrations");`.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    let dir = if input.is_empty() {
        LitStr::new("migrations", proc_macro2::Span::call_site())
    } else {
        parse_macro_input!(input as LitStr)
    };
    match expand(&dir.value()) {
        Ok(tokens) => tokens.into(),
        Err(message) => syn::Error::new(dir.span(), message)
            .to_compile_error()
            .into(),
    }
}

fn expand(dir: &str) -> Result<proc_macro2::TokenStream, String> {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .ok_or("CARGO_MANIFEST_DIR is not set; embed_migrations! must be built by cargo")?;
    let versions = manifest.join(dir).join("versions");
    let mut names = Vec::new();
    let entries = std::fs::read_dir(&versions).map_err(|e| {
        format!(
            "cannot read {}: {e}",
            Path::new(dir).join("versions").display()
        )
    })?;
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read {}: {e}", versions.display()))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && name.ends_with(".sql") {
            names.push(name);
        }
    }
    names.sort();
    let mut infos = Vec::new();
    let mut files = Vec::new();
    for name in &names {
        let shown = format!("{dir}/versions/{name}");
        let absolute = versions.join(name);
        let source = std::fs::read_to_string(&absolute).map_err(|e| format!("{shown}: {e}"))?;
        let header = check_file(&shown, &source)?;
        infos.push(aludel_graph::RevisionInfo {
            id: header.revision,
            down_revisions: header.revises,
            branch_labels: header.branch_labels,
            depends_on: header.depends_on,
            origin: shown.clone(),
        });
        let absolute = absolute.to_string_lossy().into_owned();
        files.push(quote! {
            ::aludel::EmbeddedFile { path: #shown, source: include_str!(#absolute) }
        });
    }
    aludel_graph::RevisionGraph::build(infos).map_err(|e| e.to_string())?;
    Ok(quote! {
        ::aludel::Migrations::from_embedded(&[#(#files),*])
    })
}

/// Checks one revision file as the runner would before running it: header,
/// sections, statements (read as SQLite reads them, since `Migrations` runs
/// on SQLite) and no `BEGIN`/`COMMIT`/`ROLLBACK` in a transactional section.
/// Errors name `shown`, the line and, for transaction control, the revision.
fn check_file(shown: &str, source: &str) -> Result<aludel_script::Header, String> {
    let flavor = aludel_script::Flavor::Sqlite;
    let script = aludel_script::parse_script(source, flavor)
        .map_err(|e| format!("{shown}:{}: {}", e.line, e.kind))?;
    for (section, direction) in [
        (&script.upgrade, "upgrade"),
        (&script.downgrade, "downgrade"),
    ] {
        let statements = section
            .statements(flavor)
            .map_err(|e| format!("{shown}:{}: {}", e.line, e.kind))?;
        if !section.transactional {
            continue;
        }
        if let Some((s, control)) = statements
            .iter()
            .find_map(|s| Some((s, s.transaction_control(flavor)?)))
        {
            return Err(format!(
                "{shown}:{}: statement in {direction} of revision {} {control}, but the section runs in a transaction; mark the section `-- migrate:{direction} transaction:false` if the migration manages its transactions by hand\n  statement: {}",
                s.line,
                script.header.revision,
                s.text.lines().next().unwrap_or_default()
            ));
        }
    }
    Ok(script.header)
}

#[cfg(test)]
mod tests {
    use super::check_file;

    const HEADER: &str = "-- m\n--\n-- Revision ID: a1\n-- Revises:\n\n";

    #[test]
    fn transaction_control_is_a_compile_error() {
        let source = format!(
            "{HEADER}-- migrate:upgrade\nCREATE TABLE t (x INTEGER);\nCOMMIT;\n-- migrate:downgrade\nDROP TABLE t;\n"
        );
        let err = check_file("m/versions/a1.sql", &source).unwrap_err();
        assert!(
            err.starts_with("m/versions/a1.sql:8: statement in upgrade of revision a1 commits"),
            "{err}"
        );
        assert!(err.contains("transaction:false"), "{err}");
        let manual = source.replace("-- migrate:upgrade", "-- migrate:upgrade transaction:false");
        assert!(check_file("m/versions/a1.sql", &manual).is_ok());
    }

    #[test]
    fn files_are_read_as_sqlite_reads_them() {
        // SQLite ends the comment at the first `*/`, so the trigger's body
        // with an `end` column splits right and the marker is found.
        let source = format!(
            "{HEADER}-- migrate:upgrade\n/* a /* b */\nCREATE TRIGGER t AFTER INSERT ON ev BEGIN\n  UPDATE ev SET end = NEW.id;\nEND;\n-- migrate:downgrade\nDROP TRIGGER t;\n"
        );
        assert!(check_file("a1.sql", &source).is_ok());
    }
}
