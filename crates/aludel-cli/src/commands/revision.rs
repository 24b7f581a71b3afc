//! `aludel revision` and `aludel merge`: write a new revision file.

use std::path::{Path, PathBuf};

use aludel::Error;
use aludel::config::Config;
use aludel::history::History;
use chrono::{Datelike, Timelike};

use super::init::DEFAULT_TEMPLATE;
use crate::output::Output;

/// What the new revision is.
pub struct NewRevision<'a> {
    /// Message (first header line).
    pub message: Option<&'a str>,
    /// Revisions it builds on (`head`, `heads`, ids, `base`).
    pub heads: Vec<&'a str>,
    /// Allow non-head parents.
    pub splice: bool,
    /// Branch label of the new revision.
    pub branch_label: Option<&'a str>,
    /// Dependencies (ids, prefixes or labels).
    pub depends_on: &'a [String],
    /// Explicit id.
    pub rev_id: Option<&'a str>,
    /// Folder to write into.
    pub version_path: Option<&'a Path>,
    /// SQL for the sections (empty for a hand-written revision).
    pub upgrades: &'a str,
    /// SQL for the downgrade section.
    pub downgrades: &'a str,
    /// `false`: both sections run outside a transaction (their markers say
    /// `transaction:false`).
    pub transactional: bool,
}

impl<'a> NewRevision<'a> {
    /// The revision `aludel revision` asks for, with these sections.
    pub fn from_args(
        args: &'a crate::cli::RevisionArgs,
        upgrades: &'a str,
        downgrades: &'a str,
    ) -> NewRevision<'a> {
        NewRevision {
            message: args.message.as_deref(),
            heads: vec![args.head.as_str()],
            splice: args.splice,
            branch_label: args.branch_label.as_deref(),
            depends_on: &args.depends_on,
            rev_id: args.rev_id.as_deref(),
            version_path: args.version_path.as_deref(),
            upgrades,
            downgrades,
            transactional: true,
        }
    }
}

/// A new random revision id: 12 lowercase hex characters.
pub fn random_rev_id() -> Result<String, Error> {
    let mut bytes = [0u8; 6];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Usage(format!("cannot draw a random revision id: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Alembic's slug: word characters joined by `_`, lowercased, cut at a word
/// boundary to `max` characters.
pub fn slug(message: &str, max: usize) -> String {
    let words: Vec<String> = message
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let slug = words.join("_");
    if slug.chars().count() <= max {
        return slug;
    }
    let cut: String = slug.chars().take(max).collect();
    match cut.rsplit_once('_') {
        Some((head, _)) => format!("{head}_"),
        None => cut,
    }
}

/// Characters a new revision id must not contain: Alembic's `@ - + :`, the
/// list separator, and what would let the id leave the versions folder or
/// break the SQL text it is quoted in.
fn forbidden_in_new_id(c: char) -> bool {
    matches!(
        c,
        '@' | '-' | '+' | ':' | ',' | '/' | '\\' | '\'' | '"' | '`' | ';'
    ) || c.is_whitespace()
        || c.is_control()
}

/// Checks an id given with `--rev-id`, with Alembic's message
/// (`Character(s) '-' not allowed in revision identifier 'a-b'`).
pub fn check_new_rev_id(id: &str) -> Result<(), Error> {
    let mut bad: Vec<char> = id.chars().filter(|&c| forbidden_in_new_id(c)).collect();
    if !bad.is_empty() {
        bad.sort_unstable();
        bad.dedup();
        // Control characters and spaces other than ' ' are shown escaped, to
        // keep the message on one line and say which space it is.
        let show = |s: &str| -> String {
            s.chars()
                .map(|c| {
                    if c.is_control() || (c.is_whitespace() && c != ' ') {
                        c.escape_default().to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        };
        let chars: Vec<String> = bad.iter().map(|c| show(&c.to_string())).collect();
        return Err(Error::Usage(format!(
            "Character(s) '{}' not allowed in revision identifier '{}'",
            chars.join(", "),
            show(id)
        )));
    }
    aludel::script::validate_revision_id(id)
        .map_err(|e| Error::Usage(format!("invalid revision id '{}': {e}", id.escape_debug())))
}

/// Expands `file_template` with its fields.
pub fn file_name(
    template: &str,
    rev: &str,
    slug: &str,
    now: &chrono::DateTime<chrono::Local>,
) -> String {
    let fields = [
        ("{year}", format!("{:04}", now.year())),
        ("{month}", format!("{:02}", now.month())),
        ("{day}", format!("{:02}", now.day())),
        ("{hour}", format!("{:02}", now.hour())),
        ("{minute}", format!("{:02}", now.minute())),
        ("{second}", format!("{:02}", now.second())),
        ("{rev}", rev.to_string()),
        ("{slug}", slug.to_string()),
    ];
    let mut name = template.to_string();
    for (key, value) in fields {
        name = name.replace(key, &value);
    }
    format!("{name}.sql")
}

/// Refuses a file name the history loader would skip, so that every file
/// `revision` writes is one the next command loads: the loader reads the
/// `*.sql` files directly in each version location, not hidden ones and not
/// subfolders (Alembic's `recursive_version_locations` is not supported).
fn check_file_name(config: &Config, name: &str) -> Result<(), Error> {
    let template = &config.file_template;
    let why = if name.contains(['/', '\\']) {
        "would put it in a subfolder, and aludel loads only the files directly in a version location"
    } else if name.starts_with('.') {
        "would make it a hidden file, which aludel does not load"
    } else {
        return Ok(());
    };
    let message = format!("file_template `{template}` names the new file `{name}`, which {why}");
    Err(match &config.path {
        Some(path) => Error::Config {
            path: path.clone(),
            message,
        },
        None => Error::Usage(message),
    })
}

fn choose_folder(
    config: &Config,
    history: &History,
    parents: &[String],
    explicit: Option<&Path>,
) -> Result<PathBuf, Error> {
    let locations = &config.version_locations;
    if let Some(path) = explicit {
        let wanted = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        return locations
            .iter()
            .find(|l| std::path::absolute(l).is_ok_and(|a| a == wanted))
            .cloned()
            .ok_or_else(|| {
                Error::Usage(format!(
                    "Path {} is not represented in current version locations",
                    path.display()
                ))
            });
    }
    if locations.len() == 1 {
        return Ok(locations[0].clone());
    }
    let graph = history.graph();
    parents
        .first()
        .and_then(|p| graph.find(p))
        .and_then(|idx| history.file(idx).path.parent().map(Path::to_path_buf))
        .ok_or_else(|| {
            Error::Usage("Multiple version locations present, please specify --version-path".into())
        })
}

/// Writes the revision file; returns its revision id.
pub fn create(
    config: &Config,
    history: &History,
    new: &NewRevision<'_>,
    out: &Output,
) -> Result<String, Error> {
    let graph = history.graph();
    let rev_id = match new.rev_id {
        Some(id) => id.to_string(),
        None => random_rev_id()?,
    };
    check_new_rev_id(&rev_id)?;
    if graph.find(&rev_id).is_some() {
        return Err(Error::Usage(format!(
            "Revision {rev_id} is already present"
        )));
    }
    // An id that is also a label makes the graph invalid for every command.
    if let Some(owner) = graph.find_label(&rev_id) {
        return Err(Error::Usage(format!(
            "Revision id '{rev_id}' is already used as a branch name by revision {}",
            graph.id(owner)
        )));
    }
    let parents: Vec<String> = graph
        .new_revision_parents(&new.heads, new.splice)?
        .into_iter()
        .map(|idx| graph.id(idx).to_string())
        .collect();
    if let Some(label) = new.branch_label {
        aludel::script::validate_id(label).map_err(|e| {
            Error::Usage(format!(
                "invalid branch label '{}': {e}",
                label.escape_debug()
            ))
        })?;
        if let Some(owner) = graph.find_label(label).or_else(|| graph.find(label)) {
            return Err(Error::Usage(format!(
                "Branch name '{label}' is already used by revision {}",
                graph.id(owner)
            )));
        }
        if label == rev_id {
            return Err(Error::Usage(format!(
                "Branch name '{label}' is the new revision's own id"
            )));
        }
    }
    let deps: Vec<&str> = new.depends_on.iter().map(String::as_str).collect();
    let depends_on = graph.new_revision_dependencies(&deps)?;
    let folder = choose_folder(config, history, &parents, new.version_path)?;
    let now = chrono::Local::now();
    // As in Alembic, the slug comes from the message given (none: an empty
    // slug), while the header says "empty message".
    let name = file_name(
        &config.file_template,
        &rev_id,
        &slug(new.message.unwrap_or(""), config.truncate_slug_length),
        &now,
    );
    // Several lines continue as `--` comment lines, so the header holds the
    // message verbatim, as Alembic's docstring does; a line that would read as
    // a header key or section marker is escaped.
    check_file_name(config, &name)?;
    let message = aludel::script::render_message(new.message.unwrap_or("empty message"));
    let path = folder.join(name);
    if path.exists() {
        return Err(Error::Usage(format!(
            "{} already exists; file_template `{}` gives the new revision the name of an existing file",
            path.display(),
            config.file_template
        )));
    }
    let template_path = config.template_path();
    let template = match std::fs::read_to_string(&template_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DEFAULT_TEMPLATE.to_string(),
        Err(source) => {
            return Err(Error::Io {
                path: template_path,
                source,
            });
        }
    };
    let mut text = render(
        &template,
        &template_path,
        &rev_id,
        &parents,
        new,
        &depends_on,
        &message,
        &now,
    )?;
    if !new.transactional {
        text = without_transactions(&text);
    }
    // The rendered file must read back as the revision we meant to write,
    // whichever engine will run it.
    let parse = |flavor: aludel::script::Flavor| {
        aludel::script::parse_script(&text, flavor).map_err(|e| Error::Template {
            path: template_path.clone(),
            message: format!(
                "renders a file that does not parse (read as {}): {e}",
                flavor.name()
            ),
        })
    };
    for &flavor in aludel::script::Flavor::ALL {
        parse(flavor)?;
    }
    let check = parse(aludel::script::Flavor::Sqlite)?;
    let labels: Vec<String> = new.branch_label.iter().map(|l| l.to_string()).collect();
    if !new.transactional && (check.upgrade.transactional || check.downgrade.transactional) {
        return Err(Error::Template {
            path: template_path,
            message: "renders no `-- migrate:upgrade` and `-- migrate:downgrade` marker lines of \
                      their own, so the non-transactional revision cannot say transaction:false"
                .into(),
        });
    }
    if check.header.revision != rev_id
        || check.header.revises != parents
        || check.header.branch_labels != labels
        || check.header.depends_on != depends_on
    {
        return Err(Error::Template {
            path: template_path,
            message: "renders a header whose `Revision ID`, `Revises`, `Branch Labels` or \
                      `Depends On` differ from the new revision"
                .into(),
        });
    }
    std::fs::create_dir_all(&folder).map_err(|source| Error::Io {
        path: folder.clone(),
        source,
    })?;
    std::fs::write(&path, text).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    let shown = std::path::absolute(&path).unwrap_or_else(|_| path.clone());
    out.status(&format!("Generating {}", shown.display()));
    Ok(rev_id)
}

/// `text` with its section markers saying `transaction:false`: the first
/// line that is exactly `-- migrate:upgrade`, and the first exactly
/// `-- migrate:downgrade`, after the header.
fn without_transactions(text: &str) -> String {
    let mut seen = [false, false];
    let mut out = String::with_capacity(text.len() + 40);
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end_matches(['\n', '\r']);
        let which = match bare.trim_end() {
            "-- migrate:upgrade" => Some(0),
            "-- migrate:downgrade" => Some(1),
            _ => None,
        };
        match which {
            Some(i) if !seen[i] => {
                seen[i] = true;
                out.push_str(bare.trim_end());
                out.push_str(" transaction:false");
                out.push_str(&line[bare.len()..]);
            }
            _ => out.push_str(line),
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn render(
    template: &str,
    template_path: &Path,
    rev_id: &str,
    parents: &[String],
    new: &NewRevision<'_>,
    depends_on: &[String],
    message: &str,
    now: &chrono::DateTime<chrono::Local>,
) -> Result<String, Error> {
    let mut env = minijinja::Environment::new();
    let fail = |e: minijinja::Error| Error::Template {
        path: template_path.to_path_buf(),
        message: e.to_string(),
    };
    env.set_syntax(
        minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build()
            .map_err(fail)?,
    );
    env.add_template("revision", template).map_err(fail)?;
    let ctx = minijinja::context! {
        message => message,
        revision => rev_id,
        up_revision => rev_id,
        down_revision => parents.join(", "),
        branch_labels => new.branch_label.unwrap_or(""),
        depends_on => depends_on.join(", "),
        create_date => now.format("%Y-%m-%d %H:%M:%S%.6f").to_string(),
        upgrades => new.upgrades,
        downgrades => new.downgrades,
    };
    env.get_template("revision")
        .and_then(|t| t.render(ctx))
        .map_err(fail)
}

#[cfg(test)]
#[path = "revision_tests.rs"]
mod tests;
