//! Shared helpers for the tests that check a flavour against a live server:
//! server URLs, scratch database names, and generated scripts whose
//! statements are known.

#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use aludel_script::{Flavor, split_statements};
use proptest::test_runner::TestCaseError;

/// The server URL in `var`, or `None` after saying the test is skipped
/// (on the process's stderr, which the test harness does not capture); under
/// `ALUDEL_TEST_REQUIRE_SERVERS=1` (CI) a missing variable fails the test.
pub fn server_url(var: &str, test: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("ALUDEL_TEST_REQUIRE_SERVERS").as_deref() != Ok("1"),
                "ALUDEL_TEST_REQUIRE_SERVERS=1 but {var} is not set: {test} cannot run"
            );
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr().lock(),
                "note: {test} skipped: set {var} to run it"
            );
            None
        }
    }
}

/// A fresh database name: `aludel_split_<pid>_<time>_<n>`.
pub fn scratch_name() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    format!(
        "aludel_split_{}_{nanos}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// Proptest settings for a server test: `cases` cases unless
/// `PROPTEST_CASES` says otherwise, no regression files.
pub fn config(cases: u32) -> proptest::test_runner::Config {
    proptest::test_runner::Config {
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(cases),
        failure_persistence: None,
        ..proptest::test_runner::Config::default()
    }
}

/// A single-threaded tokio runtime for one test.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// One generated piece of a script: the statements it holds, as the engine
/// reads them, and its text in the script (with terminators and trivia).
#[derive(Debug, Clone)]
pub struct Item {
    /// Each statement's text, exactly as the splitter should return it.
    pub statements: Vec<String>,
    /// The text placed in the script.
    pub text: String,
}

impl Item {
    /// A statement ended by `;` (on a line of its own when the statement's
    /// last line may end in a comment) and followed by `trivia`.
    pub fn terminated(statement: String, trivia: &str) -> Self {
        let last_line = statement.rsplit('\n').next().unwrap_or_default();
        let end = if last_line.contains('#') || last_line.contains("--") {
            "\n;"
        } else {
            ";"
        };
        Self {
            text: format!("{statement}{end}{trivia}"),
            statements: vec![statement],
        }
    }
}

/// Numbers each `{k}` in the items' texts (so names and rows are unique) and
/// joins them into a script; returns it with the statements it holds.
pub fn assemble(items: &[Item]) -> (String, Vec<String>) {
    let mut script = String::new();
    let mut statements = Vec::new();
    for (k, item) in items.iter().enumerate() {
        let k = k.to_string();
        script.push_str(&item.text.replace("{k}", &k));
        statements.extend(item.statements.iter().map(|s| s.replace("{k}", &k)));
    }
    (script, statements)
}

/// Splits `script` as `flavor` and checks that the pieces are exactly
/// `expected`; returns them.
pub fn split_as_generated(
    script: &str,
    flavor: Flavor,
    expected: &[String],
) -> Result<Vec<String>, TestCaseError> {
    let pieces: Vec<String> = split_statements(script, 1, flavor)
        .map_err(|e| TestCaseError::fail(format!("{e}\n{script}")))?
        .into_iter()
        .map(|s| s.text.to_owned())
        .collect();
    proptest::prop_assert_eq!(&pieces, expected, "split of\n{}", script);
    Ok(pieces)
}
