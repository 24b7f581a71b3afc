//! A project on a fresh MariaDB/MySQL database (`ALUDEL_TEST_MYSQL_URL`), for
//! the MySQL-specific tests: revision files, runs of the `aludel` binary, and
//! reads of the database through the test kit.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use aludel_testkit::{Engine, TestDb, engines};

/// One finished run of the binary.
#[derive(Debug)]
pub struct Run {
    /// Exit status (`-1` if killed by a signal).
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// A project folder whose `aludel.toml` points at a fresh database.
pub struct Project {
    pub dir: tempfile::TempDir,
    pub db: TestDb,
}

impl Project {
    /// A project on the MySQL test server, or `None` when it is not
    /// configured (the test kit says so, or fails under CI).
    pub fn new(extra_config: &str) -> Option<Project> {
        if !engines().contains(&Engine::MySql) {
            return None;
        }
        let dir = tempfile::tempdir().expect("a scratch folder");
        let db = TestDb::new(Engine::MySql, dir.path());
        std::fs::create_dir_all(dir.path().join("migrations/versions")).expect("versions");
        std::fs::write(
            dir.path().join("aludel.toml"),
            format!(
                "script_location = \"migrations\"\ndatabase_url = \"{}\"\n{extra_config}\n",
                db.url
            ),
        )
        .expect("aludel.toml");
        Some(Project { dir, db })
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes revision `id` (revising `parent`, "" for a root) with these
    /// sections; returns its path.
    pub fn write_rev(&self, id: &str, parent: &str, up: &str, down: &str) -> PathBuf {
        let path = self.path().join(format!("migrations/versions/{id}.sql"));
        let text = format!(
            "-- Revision {id}\n--\n-- Revision ID: {id}\n-- Revises: {parent}\n\n\
             -- migrate:upgrade\n{up}\n-- migrate:downgrade\n{down}\n"
        );
        std::fs::write(&path, text).expect("revision file");
        path
    }

    /// The `aludel` binary in the project folder.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_aludel"));
        cmd.args(args)
            .current_dir(self.path())
            .env_remove("DATABASE_URL")
            .env_remove("ALUDEL_CONFIG");
        cmd
    }

    pub fn run(&self, args: &[&str]) -> Run {
        finish(self.command(args).output().expect("aludel runs"))
    }

    /// Starts the binary without waiting for it.
    pub fn spawn(&self, args: &[&str]) -> Child {
        self.command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("aludel starts")
    }

    /// `(statement, state)` of every progress row, in order.
    pub fn progress(&self) -> Vec<(String, String)> {
        self.db
            .query("SELECT statement, state FROM aludel_progress ORDER BY revision, statement")
            .into_iter()
            .map(|r| {
                (
                    r[0].clone().unwrap_or_default(),
                    r[1].clone().unwrap_or_default(),
                )
            })
            .collect()
    }
}

pub fn finish(out: std::process::Output) -> Run {
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `(host, port, user)` of a `mysql://user@host:port/...` URL.
pub fn server_parts(url: &str) -> (String, String, String) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or_default();
    let (user, host_port) = authority.rsplit_once('@').unwrap_or(("root", authority));
    let user = user.split(':').next().unwrap_or("root");
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, "3306"));
    (host.to_string(), port.to_string(), user.to_string())
}

/// The `mariadb` (or `mysql`) command-line client on `database` of the
/// test server.
pub fn client(url: &str, database: &str) -> Command {
    let (host, port, user) = server_parts(url);
    let program = if Command::new("mariadb").arg("--version").output().is_ok() {
        "mariadb"
    } else {
        "mysql"
    };
    let mut cmd = Command::new(program);
    cmd.args(["-h", &host, "-P", &port, "-u", &user, database]);
    cmd
}
