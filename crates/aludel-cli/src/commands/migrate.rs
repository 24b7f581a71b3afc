//! `upgrade`, `downgrade`, `stamp` and `ensure-version`, online or offline (`--sql`).

use aludel::history::History;
use aludel::offline::{self, OfflineOptions};
use aludel::runner::{self, RunOptions};
use aludel::{Direction, Error};

use super::Outcome;
use crate::cli::MigrateArgs;
use crate::context::Context;
use crate::output::Output;

/// The heads an offline script starts from: those `start` names, or none.
fn offline_start(history: &History, start: Option<&str>) -> Result<Vec<String>, Error> {
    match start {
        None | Some("base") | Some("") => Ok(Vec::new()),
        Some(start) => {
            let graph = history.graph();
            Ok(graph
                .resolve(start, &[])?
                .into_iter()
                .map(|idx| graph.revision(idx).id().to_string())
                .collect())
        }
    }
}

/// `upgrade REV` / `downgrade REV`.
pub async fn migrate(
    ctx: &Context,
    direction: Direction,
    args: &MigrateArgs,
    out: &Output,
) -> Result<Outcome, Error> {
    let history = ctx.history()?;
    let config = &ctx.config;
    if args.sql {
        let (start, target) = match args.revision.split_once(':') {
            Some((s, t)) => (Some(s), t),
            None if direction == Direction::Downgrade => {
                return Err(Error::Usage(
                    "downgrade with --sql requires <fromrev>:<torev>".into(),
                ));
            }
            None => (None, args.revision.as_str()),
        };
        let start_heads = offline_start(history, start)?;
        let heads: Vec<&str> = start_heads.iter().map(String::as_str).collect();
        let plan = match direction {
            Direction::Upgrade => history.graph().plan_upgrade(&heads, target)?,
            Direction::Downgrade => history.graph().plan_downgrade(&heads, target)?,
        };
        let dialect = offline_dialect(ctx)?;
        let sql = offline::render(
            history,
            dialect,
            &plan,
            &OfflineOptions {
                version_table: &config.version_table(),
                transaction_per_migration: config.transaction_per_migration,
                start_heads,
            },
            &mut |line| out.info(line),
        )?;
        out.sql(&sql);
        return Ok(Outcome::Success);
    }
    if args.revision.contains(':') {
        return Err(Error::Usage("Range revision not allowed".into()));
    }
    let (mut db, created) = ctx.connect().await?;
    let mut log = |line: &str| out.info(line);
    let result = runner::migrate(
        &mut db,
        history,
        direction,
        &args.revision,
        RunOptions {
            session: config.session(),
            transaction_per_migration: config.transaction_per_migration,
            on_step: &mut log,
            accept_edited: args.accept_edited,
        },
    )
    .await;
    db.close().await;
    if result.is_err() {
        ctx.discard(created);
    }
    result.map(|_| Outcome::Success)
}

/// The dialect offline SQL is written in: the URL's if one is set, else SQLite.
fn offline_dialect(ctx: &Context) -> Result<&'static dyn aludel::dialect::Dialect, Error> {
    match ctx.url() {
        Ok(url) => Ok(aludel::dialect::for_backend(url.backend())),
        Err(Error::NoUrl) => Ok(&aludel::dialect::SqliteDialect),
        Err(e) => Err(e),
    }
}

/// `stamp REV…`.
pub async fn stamp(
    ctx: &Context,
    revisions: &[String],
    sql: bool,
    purge: bool,
    out: &Output,
) -> Result<Outcome, Error> {
    let history = ctx.history()?;
    let config = &ctx.config;
    let table = &config.version_table();
    if sql {
        if purge {
            return Err(Error::Usage("Can't use --purge with --sql mode".into()));
        }
        let mut start = None;
        let mut targets = Vec::new();
        for r in revisions {
            match r.split_once(':') {
                Some((s, t)) => {
                    start = Some(s);
                    targets.push(t);
                }
                None => targets.push(r.as_str()),
            }
        }
        let start_heads = offline_start(history, start)?;
        let current: Vec<&str> = start_heads.iter().map(String::as_str).collect();
        let steps = history.graph().plan_stamp(&current, &targets, false)?;
        let dialect = offline_dialect(ctx)?;
        let text = offline::render_stamp(
            dialect,
            &steps,
            &OfflineOptions {
                version_table: table,
                transaction_per_migration: config.transaction_per_migration,
                start_heads,
            },
            &mut |line| out.info(line),
        );
        out.sql(&text);
        return Ok(Outcome::Success);
    }
    let targets: Vec<&str> = revisions.iter().map(String::as_str).collect();
    let (mut db, created) = ctx.connect().await?;
    let result = runner::stamp(
        &mut db,
        history,
        &targets,
        purge,
        &config.session(),
        &mut |line| out.info(line),
    )
    .await;
    db.close().await;
    if result.is_err() {
        ctx.discard(created);
    }
    result.map(|_| Outcome::Success)
}

/// `ensure-version`.
pub async fn ensure_version(ctx: &Context, sql: bool, out: &Output) -> Result<Outcome, Error> {
    let table = &ctx.config.version_table();
    if sql {
        let dialect = offline_dialect(ctx)?;
        out.sql(&format!(
            "{};\n\n",
            offline::version_table_ddl(dialect, table)
        ));
        return Ok(Outcome::Success);
    }
    let (mut db, created) = ctx.connect().await?;
    let result =
        runner::ensure_version(&mut db, &ctx.config.session(), &mut |line| out.info(line)).await;
    if result.is_err() {
        ctx.discard(created);
    }
    db.close().await;
    result.map(|()| Outcome::Success)
}
