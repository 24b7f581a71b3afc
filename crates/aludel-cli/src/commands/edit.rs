//! `aludel edit REV`: open a revision file in the user's editor.

use aludel::Error;

use super::Outcome;
use super::inspect::resolve_with_current;
use crate::context::Context;

/// Opens the file of each revision `rev` names in `$EDITOR` (or `$VISUAL`).
pub async fn run(ctx: &Context, rev: &str) -> Result<Outcome, Error> {
    let history = ctx.history()?;
    let revisions = resolve_with_current(ctx, history, rev).await?;
    if revisions.is_empty() {
        return Err(Error::Usage(if rev == "current" {
            "No current revisions".into()
        } else {
            format!("No revision files indicated by symbol '{rev}'")
        }));
    }
    let editor = std::env::var("EDITOR")
        .or_else(|_| std::env::var("VISUAL"))
        .map_err(|_| Error::Usage("No editor found; set the EDITOR environment variable".into()))?;
    let mut parts = editor.split_whitespace();
    let program = parts
        .next()
        .ok_or_else(|| Error::Usage("EDITOR is empty".into()))?;
    let args: Vec<&str> = parts.collect();
    // Like Alembic, every file the symbol names is opened, one after the other.
    for idx in revisions {
        let path = &history.file(idx).path;
        let status = std::process::Command::new(program)
            .args(&args)
            .arg(path)
            .status()
            .map_err(|source| Error::Io {
                path: program.into(),
                source,
            })?;
        if !status.success() {
            return Err(Error::Usage(format!(
                "editor `{editor}` exited with {status}"
            )));
        }
    }
    Ok(Outcome::Success)
}
