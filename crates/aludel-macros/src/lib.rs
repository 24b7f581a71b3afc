//! `embed_migrations!`: compiles a folder of revision files into the binary.
//!
//! Architecture invariant: everything is checked at compile time — headers,
//! sections, statement splitting and the revision graph — so a binary that
//! builds has a history that loads. Files are read with the statement rules
//! (`aludel_script::Flavor`) of every engine the application enables (this
//! crate's `sqlite`, `postgres`, `mysql` features, set by aludel's; all of
//! them when none is), since each engine splits a file its own way. Errors
//! become `compile_error!`s naming the file, the line and the flavour.

use std::path::{Path, PathBuf};

use aludel_script::{Flavor, Header};
use proc_macro::TokenStream;
use quote::quote;
use syn::{LitStr, parse_macro_input};

/// Embeds `<dir>/versions/*.sql` (relative to the crate's `Cargo.toml`) as an
/// `aludel::Migrations`, after checking every header, section and the graph,
/// with each enabled engine's reading of the SQL.
///
/// `embed_migrations!()` reads `migrations`; `embed_migrations!("dir")` names
/// the folder. Engine names after it (`embed_migrations!("dir", sqlite)`, any
/// of `sqlite`, `postgres`, `mysql`) choose the readings to check instead of
/// the enabled features, for a crate whose migrations run on fewer engines
/// than a build enables (Cargo unifies features across a workspace build).
///
/// Cargo reruns the macro when an embedded file changes. To pick up *new*
/// files too, add a `build.rs` with `println!("cargo:rerun-if-changed=migrations");`.
#[proc_macro]
pub fn embed_migrations(input: TokenStream) -> TokenStream {
    let args = parse_macro_input!(input as Args);
    let flavors = args.flavors.unwrap_or_else(enabled_flavors);
    match expand(&args.dir.value(), &flavors) {
        Ok(tokens) => tokens.into(),
        Err(message) => syn::Error::new(args.dir.span(), message)
            .to_compile_error()
            .into(),
    }
}

/// The macro's input: `["dir" [, engine]*]`.
struct Args {
    dir: LitStr,
    flavors: Option<Vec<Flavor>>,
}

impl syn::parse::Parse for Args {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        if input.is_empty() {
            return Ok(Self {
                dir: LitStr::new("migrations", proc_macro2::Span::call_site()),
                flavors: None,
            });
        }
        let dir: LitStr = input.parse()?;
        let mut flavors = Vec::new();
        while input.parse::<Option<syn::Token![,]>>()?.is_some() && !input.is_empty() {
            let engine: syn::Ident = input.parse()?;
            let name = engine.to_string();
            match Flavor::ALL.iter().find(|f| f.name() == name) {
                Some(f) if !flavors.contains(f) => flavors.push(*f),
                Some(_) => {}
                None => {
                    return Err(syn::Error::new(
                        engine.span(),
                        format!(
                            "unknown engine `{name}`: expected `sqlite`, `postgres` or `mysql`"
                        ),
                    ));
                }
            }
        }
        Ok(Self {
            dir,
            flavors: (!flavors.is_empty()).then_some(flavors),
        })
    }
}

fn expand(dir: &str, flavors: &[Flavor]) -> Result<proc_macro2::TokenStream, String> {
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
        let header = check_file(&shown, &source, flavors)?;
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

/// The flavours of the engines the application enables (aludel's `sqlite`,
/// `postgres` and `mysql` features set this crate's); every flavour when it
/// enables none.
fn enabled_flavors() -> Vec<Flavor> {
    let enabled: Vec<Flavor> = [
        (cfg!(feature = "sqlite"), Flavor::Sqlite),
        (cfg!(feature = "postgres"), Flavor::Postgres),
        (cfg!(feature = "mysql"), Flavor::MySql),
    ]
    .into_iter()
    .filter_map(|(on, flavor)| on.then_some(flavor))
    .collect();
    if enabled.is_empty() {
        Flavor::ALL.to_vec()
    } else {
        enabled
    }
}

/// Checks one revision file as the runner would before running it, once per
/// flavour in `flavors` (each engine reads the file its own way): header,
/// sections, statements and no `BEGIN`/`COMMIT`/`ROLLBACK` in a
/// transactional section. Errors name `shown`, the line, the flavour and,
/// for transaction control, the revision.
fn check_file(shown: &str, source: &str, flavors: &[Flavor]) -> Result<Header, String> {
    let mut header = None;
    for &flavor in flavors {
        header = Some(check_as(shown, source, flavor)?);
    }
    match header {
        Some(header) => Ok(header),
        None => aludel_script::parse_header(source)
            .map_err(|e| format!("{shown}:{}: {}", e.line, e.kind)),
    }
}

/// [`check_file`] for one flavour.
fn check_as(shown: &str, source: &str, flavor: Flavor) -> Result<Header, String> {
    let located = |e: aludel_script::ScriptError| {
        format!("{shown}:{}: {} (read as {flavor})", e.line, e.kind)
    };
    let script = aludel_script::parse_script(source, flavor).map_err(located)?;
    for (section, direction) in [
        (&script.upgrade, "upgrade"),
        (&script.downgrade, "downgrade"),
    ] {
        let statements = section.statements(flavor).map_err(located)?;
        if !section.transactional {
            continue;
        }
        if let Some((s, control)) = statements
            .iter()
            .find_map(|s| Some((s, s.transaction_control(flavor)?)))
        {
            return Err(format!(
                "{shown}:{}: statement in {direction} of revision {} {control} (read as {flavor}), but the section runs in a transaction; mark the section `-- migrate:{direction} transaction:false` if the migration manages its transactions by hand\n  statement: {}",
                s.line,
                script.header.revision,
                s.text.lines().next().unwrap_or_default()
            ));
        }
    }
    Ok(script.header)
}

#[cfg(test)]
mod tests;
