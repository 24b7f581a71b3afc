//! Golden tests against real Alembic.
//!
//! `tests/fixtures/alembic/<history>/` holds one revision history as an aludel
//! project (`project/aludel.toml`, `project/migrations/versions/*.sql`) and
//! what Python Alembic printed for the same history written as Alembic
//! revision files (`expected/`, listed in `cases.tsv`; `expected/steps.txt` for
//! a scripted sequence of upgrades and downgrades on one SQLite database, with
//! the `alembic_version` rows and `t_*` tables after each change). The fixtures
//! are made by `scripts/alembic-golden/generate.py`; these tests never run
//! Python.
//!
//! Each test copies a fixture project into a temporary folder, runs the same
//! commands with the `aludel` binary there and compares stdout (and whether
//! the command succeeded; failures are compared by exit status only).
//!
//! Comparison modes, chosen by the generator, which runs Alembic under several
//! `PYTHONHASHSEED`s:
//! - `exact`: Alembic printed the same text under every seed; compared byte
//!   for byte.
//! - `items`: Alembic's text depended on the seed only in the order of lists
//!   it takes from a Python set or frozenset (`Branches into:` lists
//!   `Revision.nextrev`, `Branch names:` and `r2 (alpha, beta)` list
//!   `branch_labels`), which is unspecified; those lists are sorted on both
//!   sides, line order is kept (`sort_items`).
//! - `sorted`: the line order depended on the seed too (children in
//!   `branches`, the heads printed by `current`, `history` of independent
//!   branches): both sides are compared as sorted multisets of lines after
//!   `sort_items` (`sort_lines`).
//!
//! Both functions are kept in step with those of the same names in the
//! generator, which checks that the chosen mode makes every seed agree.
//!
//! Normalisation, applied to aludel's stdout exactly as the generator applied
//! it to Alembic's: in `Path:` lines the project folder becomes `<project>`
//! (Alembic's `.py` became `.sql`), and `Current revision(s) for <url>:` hides
//! the URL (the tools spell SQLite URLs differently by design).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use aludel::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use aludel::sqlx::{self, ConnectOptions, Connection};

/// The SQLite file of every fixture project (`database_url = "sqlite://test.db"`).
const DB_FILE: &str = "test.db";

fn fixture_dir(history: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/alembic")
        .join(history)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fixture project copied into a temporary folder.
struct Project {
    dir: tempfile::TempDir,
}

/// One run of the binary: did it succeed, and its normalised stdout.
struct Run {
    ok: bool,
    stdout: String,
    stderr: String,
}

impl Project {
    fn new(history: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(&fixture_dir(history).join("project"), dir.path());
        Project { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, args: &[String]) -> Run {
        let out = assert_cmd::Command::cargo_bin("aludel")
            .expect("the aludel binary")
            .current_dir(self.path())
            .env_remove("DATABASE_URL")
            .env_remove("ALUDEL_CONFIG")
            .env_remove("EDITOR")
            .env_remove("VISUAL")
            .timeout(std::time::Duration::from_secs(120))
            .args(args)
            .output()
            .expect("running aludel");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        Run {
            ok: out.status.success(),
            stdout: self.normalise(&stdout),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// The generator's `normalise`, for aludel's output.
    fn normalise(&self, stdout: &str) -> String {
        let mut prefixes = vec![self.path().display().to_string()];
        if let Ok(real) = self.path().canonicalize() {
            prefixes.push(real.display().to_string());
        }
        stdout
            .split('\n')
            .map(|line| {
                if let Some(p) = line.strip_prefix("Path: ") {
                    for prefix in &prefixes {
                        if let Some(rest) = p
                            .strip_prefix(prefix.as_str())
                            .and_then(|r| r.strip_prefix(std::path::MAIN_SEPARATOR))
                        {
                            return format!(
                                "Path: <project>/{}",
                                rest.replace(std::path::MAIN_SEPARATOR, "/")
                            );
                        }
                    }
                    line.to_string()
                } else if line.starts_with("Current revision(s) for ") && line.ends_with(':') {
                    "Current revision(s) for <url>:".to_string()
                } else {
                    line.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `SELECT version_num FROM alembic_version ORDER BY version_num` and the
    /// `t_*` tables, one per line each (empty if there is no database yet).
    fn db_state(&self) -> (String, String) {
        let db = self.path().join(DB_FILE);
        if !db.exists() {
            return (String::new(), String::new());
        }
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async {
            let mut conn: SqliteConnection = SqliteConnectOptions::new()
                .filename(&db)
                .read_only(true)
                .connect()
                .await
                .expect("opening the test database");
            let names: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            let versions: Vec<String> = if names.iter().any(|n| n == "alembic_version") {
                sqlx::query_scalar("SELECT version_num FROM alembic_version ORDER BY version_num")
                    .fetch_all(&mut conn)
                    .await
                    .unwrap()
            } else {
                Vec::new()
            };
            conn.close().await.unwrap();
            let lines = |v: &mut dyn Iterator<Item = &String>| {
                v.fold(String::new(), |mut s, l| {
                    s.push_str(l);
                    s.push('\n');
                    s
                })
            };
            (
                lines(&mut versions.iter()),
                lines(&mut names.iter().filter(|n| n.starts_with("t_"))),
            )
        })
    }
}

/// Sorts a `", "`-separated list.
fn sorted_list(items: &str) -> String {
    let mut items: Vec<&str> = items.split(", ").collect();
    items.sort_unstable();
    items.join(", ")
}

/// Sorts the set-valued lists inside each line, keeping the line order: the
/// value of `Branches into:` / `Branch names:` lines and every parenthesised
/// comma list without nested parentheses (`r2 (alpha, beta) (head)`). The
/// generator's `sort_items`.
fn sort_items(text: &str) -> String {
    text.split('\n')
        .map(|line| {
            for key in ["Branches into: ", "Branch names: "] {
                if let Some(items) = line.strip_prefix(key) {
                    return format!("{key}{}", sorted_list(items));
                }
            }
            let mut out = String::new();
            let mut rest = line;
            while let Some(open) = rest.find('(') {
                let after = &rest[open + 1..];
                match after.find(['(', ')']) {
                    Some(close) if after.as_bytes()[close] == b')' => {
                        let inner = &after[..close];
                        out.push_str(&rest[..=open]);
                        if inner.contains(", ") {
                            out.push_str(&sorted_list(inner));
                        } else {
                            out.push_str(inner);
                        }
                        out.push(')');
                        rest = &after[close + 1..];
                    }
                    Some(nested) => {
                        out.push_str(&rest[..=open + nested]);
                        rest = &after[nested..];
                    }
                    None => break,
                }
            }
            out.push_str(rest);
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `sort_items`, then the lines sorted as a multiset (the generator's `sort_lines`).
fn sort_lines(text: &str) -> String {
    let items = sort_items(text);
    let mut lines: Vec<&str> = items.split('\n').collect();
    lines.sort_unstable();
    lines.join("\n")
}

/// A line diff (longest common subsequence), `-` for Alembic, `+` for aludel.
fn diff(expected: &str, actual: &str) -> String {
    let a: Vec<&str> = expected.split('\n').collect();
    let b: Vec<&str> = actual.split('\n').collect();
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    let show = |l: &str| l.replace(' ', "·");
    while i < a.len() || j < b.len() {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            writeln!(out, "   {}", show(a[i])).unwrap();
            i += 1;
            j += 1;
        } else if i < a.len() && (j == b.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            writeln!(out, "  -{}", show(a[i])).unwrap();
            i += 1;
        } else {
            writeln!(out, "  +{}", show(b[j])).unwrap();
            j += 1;
        }
    }
    out
}

/// Collects the mismatches of one test and reports them all at the end.
#[derive(Default)]
struct Mismatches(Vec<String>);

impl Mismatches {
    /// Compares one command's outcome with Alembic's.
    fn command(&mut self, label: &str, mode: &str, expect_ok: bool, expected: &str, run: &Run) {
        if expect_ok != run.ok {
            self.0.push(format!(
                "{label}: Alembic {}, aludel {}\n  aludel stdout:\n{}  aludel stderr:\n{}",
                if expect_ok { "succeeded" } else { "failed" },
                if run.ok { "succeeded" } else { "failed" },
                indent(&run.stdout),
                indent(&run.stderr),
            ));
            return;
        }
        if !expect_ok {
            return;
        }
        let (e, a) = match mode {
            "exact" => (expected.to_string(), run.stdout.clone()),
            "items" => (sort_items(expected), sort_items(&run.stdout)),
            "sorted" => (sort_lines(expected), sort_lines(&run.stdout)),
            other => panic!("unknown comparison mode {other:?}"),
        };
        if e != a {
            self.0.push(format!(
                "{label} [{mode}]: stdout differs (- Alembic, + aludel, · = space)\n{}",
                diff(&e, &a)
            ));
        }
    }

    /// Compares a query result with Alembic's database.
    fn query(&mut self, label: &str, expected: &str, actual: &str) {
        if expected != actual {
            self.0.push(format!(
                "{label}: differs (- Alembic, + aludel)\n{}",
                diff(expected, actual)
            ));
        }
    }

    fn assert_none(self, what: &str) {
        if !self.0.is_empty() {
            panic!(
                "{what}: {} mismatch(es) with Alembic\n\n{}",
                self.0.len(),
                self.0.join("\n")
            );
        }
    }
}

fn indent(text: &str) -> String {
    text.lines().map(|l| format!("    {l}\n")).collect()
}

/// One line of `cases.tsv`.
struct Case {
    family: String,
    mode: String,
    ok: bool,
    file: String,
    args: Vec<String>,
}

fn cases(history: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(fixture_dir(history).join("cases.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert!(f.len() >= 5, "bad cases.tsv line {l:?}");
            Case {
                family: f[0].to_string(),
                mode: f[1].to_string(),
                ok: match f[2] {
                    "ok" => true,
                    "fail" => false,
                    s => panic!("bad status {s:?}"),
                },
                file: f[3].to_string(),
                args: f[4..].iter().map(|s| s.to_string()).collect(),
            }
        })
        .collect()
}

/// Runs every read-only case of `family` (`heads`, `branches`, `history`, `show`).
fn check_family(history: &str, family: &str) {
    let project = Project::new(history);
    let mut mismatches = Mismatches::default();
    let mut count = 0;
    for case in cases(history).into_iter().filter(|c| c.family == family) {
        count += 1;
        let expected = if case.ok {
            std::fs::read_to_string(fixture_dir(history).join("expected").join(&case.file)).unwrap()
        } else {
            String::new()
        };
        let run = project.run(&case.args);
        let label = format!("{history}: aludel {}", case.args.join(" "));
        mismatches.command(&label, &case.mode, case.ok, &expected, &run);
    }
    assert!(count > 0, "no {family} cases for {history}");
    mismatches.assert_none(&format!("{history} / {family}"));
}

/// One block of `steps.txt`.
enum Block {
    Run {
        /// `false` for the `current` recorded after each change of the database.
        step: bool,
        args: Vec<String>,
        ok: bool,
        mode: String,
        stdout: String,
    },
    Sql {
        name: String,
        rows: String,
    },
}

fn parse_steps(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    // Each block starts with a line `=== run\t<args…>` (a step),
    // `=== check\t<args…>` (a command run after a step to look at the
    // result) or `=== sql\t<name>` (a query after a step);
    // its body runs to the next such line, byte for byte.
    let mut starts: Vec<usize> = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("=== ") {
            starts.push(pos);
        }
        pos += line.len();
    }
    starts.push(text.len());
    for w in starts.windows(2) {
        let block = &text[w[0]..w[1]];
        let (head, mut body) = block.split_once('\n').unwrap_or((block, ""));
        let fields: Vec<&str> = head.trim_start_matches("=== ").split('\t').collect();
        match fields[0] {
            kind @ ("run" | "check") => {
                let mut take = |key: &str| {
                    let (line, rest) = body.split_once('\n').expect("truncated steps.txt");
                    body = rest;
                    line.strip_prefix(key)
                        .unwrap_or_else(|| panic!("expected {key:?}, found {line:?}"))
                        .to_string()
                };
                let status = take("status: ");
                let mode = take("mode: ");
                blocks.push(Block::Run {
                    step: kind == "run",
                    args: fields[1..].iter().map(|s| s.to_string()).collect(),
                    ok: status == "ok",
                    mode,
                    stdout: body.to_string(),
                });
            }
            "sql" => blocks.push(Block::Sql {
                name: fields[1].to_string(),
                rows: body.to_string(),
            }),
            other => panic!("bad steps.txt block {other:?}"),
        }
    }
    blocks
}

/// Runs the scripted sequence of `steps.txt` on one database.
fn check_steps(history: &str) {
    let text = std::fs::read_to_string(fixture_dir(history).join("expected/steps.txt")).unwrap();
    let project = Project::new(history);
    let mut mismatches = Mismatches::default();
    let mut step = 0;
    let mut last = String::new();
    let mut state: Option<(String, String)> = None;
    for block in parse_steps(&text) {
        match block {
            Block::Run {
                step: is_step,
                args,
                ok,
                mode,
                stdout,
            } => {
                let label = if !is_step {
                    format!(
                        "{history}: step {step} ({last}), then aludel {}",
                        args.join(" ")
                    )
                } else {
                    step += 1;
                    last = args.join(" ");
                    state = None;
                    format!("{history}: step {step}: aludel {last}")
                };
                let run = project.run(&args);
                mismatches.command(&label, &mode, ok, &stdout, &run);
            }
            Block::Sql { name, rows } => {
                let (versions, tables) = state.get_or_insert_with(|| project.db_state());
                let actual = match name.as_str() {
                    "alembic_version" => versions.clone(),
                    "tables" => tables.clone(),
                    other => panic!("unknown query {other:?}"),
                };
                let label = format!("{history}: step {step} ({last}), then {name}");
                mismatches.query(&label, &rows, &actual);
            }
        }
    }
    assert!(step > 0, "no steps for {history}");
    mismatches.assert_none(&format!("{history} / steps"));
}

macro_rules! golden {
    ($history:ident: $($name:ident => $family:literal),* $(,)?) => {
        mod $history {
            $(
                #[test]
                fn $name() {
                    super::check_family(stringify!($history), $family);
                }
            )*
            #[test]
            fn steps() {
                super::check_steps(stringify!($history));
            }
        }
    };
}

golden!(linear: heads => "heads", branches => "branches", history => "history", show => "show");
golden!(branchy: heads => "heads", branches => "branches", history => "history", show => "show");
golden!(hexids: heads => "heads", branches => "branches", history => "history", show => "show");
golden!(effective_heads: heads => "heads", branches => "branches", history => "history", show => "show");

#[test]
fn normalisations_sort_set_valued_lists() {
    assert_eq!(
        sort_items("Branches into: c1, a1, b1\nm1 -> r2 (beta, alpha) (head), x (y, b), a"),
        "Branches into: a1, b1, c1\nm1 -> r2 (alpha, beta) (head), x (b, y), a"
    );
    assert_eq!(
        sort_items("a (b (d, c), e) f (h, g"),
        "a (b (c, d), e) f (h, g"
    );
    assert_eq!(
        sort_lines("b\nBranch names: z, y\na"),
        "Branch names: y, z\na\nb"
    );
}

#[test]
fn steps_parse_byte_for_byte() {
    let blocks = parse_steps(
        "# comment\n=== run\tupgrade\thead\nstatus: ok\nmode: exact\n=== check\tcurrent\nstatus: ok\nmode: sorted\na\n\nb\n=== sql\ttables\nt_a\n",
    );
    assert_eq!(blocks.len(), 3);
    match &blocks[1] {
        Block::Run {
            step,
            args,
            ok,
            mode,
            stdout,
        } => {
            assert!(!step);
            assert_eq!(args, &["current"]);
            assert!(*ok);
            assert_eq!(mode, "sorted");
            assert_eq!(stdout, "a\n\nb\n");
        }
        Block::Sql { .. } => panic!("expected a run block"),
    }
}
