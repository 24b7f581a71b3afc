//! A migration history: the revision files of a project and their graph.
//!
//! Architecture invariant: loading reads each file once and parses only its
//! header; SQL bodies are split only for the revisions a command runs. The graph
//! itself (crate `aludel-graph`) never sees a file.

use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use aludel_graph::{RevIdx, RevisionGraph, RevisionInfo};
use aludel_script::{Flavor, Header, Script};
use sha2::{Digest, Sha256};

use crate::error::Error;

/// How much of a file one read asks for: the whole of a typical revision file.
const READ_CHUNK: usize = 4096;

/// One revision file: where it came from, its parsed header and, once needed,
/// its whole text.
#[derive(Debug)]
pub struct RevisionFile {
    /// Path as shown in messages (relative when the folder was given relative).
    pub path: PathBuf,
    /// The parsed header.
    pub header: Header,
    /// The whole file; read from disk on first use for files loaded by header.
    source: OnceLock<Cow<'static, str>>,
    /// What the header read got when it came back short: most likely the
    /// whole file, which `source` confirms against the file's size.
    short_read: Option<Box<str>>,
}

impl RevisionFile {
    /// A file whose whole text is at hand; the error names the file and line.
    pub fn new(path: PathBuf, source: Cow<'static, str>) -> Result<RevisionFile, Error> {
        let header = parse_header_of(&path, &source)?;
        Ok(RevisionFile {
            path,
            header,
            source: OnceLock::from(source),
            short_read: None,
        })
    }

    /// Reads only as much of a file as its header needs, 4 KiB at a time.
    pub fn read_header(path: PathBuf) -> Result<RevisionFile, Error> {
        RevisionFile::read_header_with(path, &mut [0; READ_CHUNK])
    }

    /// [`RevisionFile::read_header`] with a reusable buffer: one `read` is
    /// enough for the header of a typical file, and when it comes back short
    /// (most likely the whole file) the text is kept for [`RevisionFile::source`].
    fn read_header_with(
        path: PathBuf,
        chunk: &mut [u8; READ_CHUNK],
    ) -> Result<RevisionFile, Error> {
        let io = |source| Error::Io {
            path: path.clone(),
            source,
        };
        let mut file = std::fs::File::open(&path).map_err(io)?;
        let mut buf = Vec::new();
        loop {
            let read = file.read(chunk).map_err(io)?;
            buf.extend_from_slice(&chunk[..read]);
            let text = match std::str::from_utf8(&buf) {
                Ok(text) => text,
                // A character cut at the end of what was read so far.
                Err(e) if e.error_len().is_none() && read != 0 => {
                    std::str::from_utf8(&buf[..e.valid_up_to()]).unwrap_or_default()
                }
                Err(e) => return Err(not_utf8(&path, &buf, e)),
            };
            if read == 0 || aludel_script::header_is_complete(text) {
                let header = parse_header_of(&path, text)?;
                let short_read =
                    (read < READ_CHUNK && text.len() == buf.len()).then(|| text.into());
                return Ok(RevisionFile {
                    path,
                    header,
                    source: OnceLock::new(),
                    short_read,
                });
            }
        }
    }

    /// The whole text of the file.
    pub fn source(&self) -> Result<&str, Error> {
        if let Some(text) = self.source.get() {
            return Ok(text);
        }
        if let Some(text) = &self.short_read
            && std::fs::metadata(&self.path).is_ok_and(|m| m.len() == text.len() as u64)
        {
            return Ok(self.source.get_or_init(|| Cow::Owned(text.to_string())));
        }
        let text = std::fs::read_to_string(&self.path).map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })?;
        // The graph was built from the header read earlier; refuse a file that
        // changed under our feet rather than run something else.
        if parse_header_of(&self.path, &text)? != self.header {
            return Err(self.error_at(1, "the file's header changed while aludel was running"));
        }
        Ok(self.source.get_or_init(|| Cow::Owned(text)))
    }

    /// Splits the file into header and sections (statements are split
    /// later), read as the engine of `flavor` reads SQL.
    pub fn script(&self, flavor: Flavor) -> Result<Script<'_>, Error> {
        aludel_script::parse_script(self.source()?, flavor)
            .map_err(|e| self.error_at(e.line, e.kind))
    }

    /// An error located in this file.
    pub fn error_at(&self, line: usize, message: impl ToString) -> Error {
        Error::Script {
            path: self.path.display().to_string(),
            line,
            message: message.to_string(),
        }
    }

    /// SHA-256 of the file with `\r\n` turned into `\n`, as lowercase hex.
    pub fn checksum(&self) -> Result<String, Error> {
        let mut hasher = Sha256::new();
        let mut rest: &str = self.source()?;
        while let Some(pos) = rest.find("\r\n") {
            hasher.update(&rest.as_bytes()[..pos]);
            hasher.update(b"\n");
            rest = &rest[pos + 2..];
        }
        hasher.update(rest.as_bytes());
        let digest = hasher.finalize();
        Ok(digest.iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// The error for a file that is not UTF-8, at the line of the first bad byte.
fn not_utf8(path: &Path, bytes: &[u8], e: std::str::Utf8Error) -> Error {
    Error::Script {
        path: path.display().to_string(),
        line: 1 + bytes[..e.valid_up_to()]
            .iter()
            .filter(|b| **b == b'\n')
            .count(),
        message: "the file is not valid UTF-8".into(),
    }
}

fn parse_header_of(path: &Path, text: &str) -> Result<Header, Error> {
    aludel_script::parse_header(text).map_err(|e| Error::Script {
        path: path.display().to_string(),
        line: e.line,
        message: e.kind.to_string(),
    })
}

/// All revision files of a project, with their validated graph.
#[derive(Debug)]
pub struct History {
    files: Vec<RevisionFile>,
    graph: RevisionGraph,
}

impl History {
    /// Builds a history from files already read; validates the graph.
    pub fn from_files(files: Vec<RevisionFile>) -> Result<History, Error> {
        let infos = files.iter().map(revision_info).collect();
        let graph = RevisionGraph::build(infos)?;
        Ok(History { files, graph })
    }

    /// Reads every `*.sql` file of the given folders (missing folders are
    /// empty), in Alembic's load order: folder by folder, names sorted within
    /// each. That order breaks ties in heads, history and plans.
    pub fn load(folders: &[PathBuf]) -> Result<History, Error> {
        let mut paths = Vec::new();
        for folder in folders {
            list_sql_files(folder, &mut paths)?;
        }
        let (files, infos) = read_all(paths)?.into_iter().unzip();
        let graph = RevisionGraph::build(infos)?;
        Ok(History { files, graph })
    }

    /// The revision graph.
    pub fn graph(&self) -> &RevisionGraph {
        &self.graph
    }

    /// The file of a revision.
    pub fn file(&self, idx: RevIdx) -> &RevisionFile {
        &self.files[idx.index()]
    }

    /// Number of revisions.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no revisions at all.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// What the graph needs of a file.
fn revision_info(f: &RevisionFile) -> RevisionInfo {
    RevisionInfo {
        id: f.header.revision.clone(),
        down_revisions: f.header.revises.clone(),
        branch_labels: f.header.branch_labels.clone(),
        depends_on: f.header.depends_on.clone(),
        // `to_str` is a fast check; `display` only for odd names.
        origin: f
            .path
            .to_str()
            .map_or_else(|| f.path.display().to_string(), str::to_owned),
    }
}

/// Appends the revision files of `folder` to `out`, sorted by name.
fn list_sql_files(folder: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => {
            return Err(Error::Io {
                path: folder.to_path_buf(),
                source,
            });
        }
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io {
            path: folder.to_path_buf(),
            source,
        })?;
        let name = entry.file_name();
        let shown = name.to_string_lossy();
        if shown.starts_with('.') || !shown.ends_with(".sql") {
            continue;
        }
        // Like Alembic, only files are revisions (a link is followed). A link
        // that leads nowhere is an error, as in Alembic ("Can't find Python
        // file"): skipping it would hide a missing revision.
        let is_file = match entry.file_type() {
            Ok(t) if !t.is_symlink() => t.is_file(),
            _ => {
                let path = folder.join(&name);
                std::fs::metadata(&path)
                    .map_err(|source| Error::Io { path, source })?
                    .is_file()
            }
        };
        if is_file {
            names.push(name);
        }
    }
    // Names, not paths: comparing whole paths component by component costs
    // more, and within one folder gives the same order.
    names.sort_unstable();
    out.extend(names.into_iter().map(|name| folder.join(name)));
    Ok(())
}

/// Reads the headers of files, spreading large histories over all cores.
fn read_all(paths: Vec<PathBuf>) -> Result<Vec<(RevisionFile, RevisionInfo)>, Error> {
    // Each worker also copies out what the graph needs, which would otherwise
    // be one more serial pass over every header.
    let read_chunk = |paths: Vec<PathBuf>| {
        let mut chunk = [0; READ_CHUNK];
        paths
            .into_iter()
            .map(|p| {
                let file = RevisionFile::read_header_with(p, &mut chunk)?;
                let info = revision_info(&file);
                Ok((file, info))
            })
            .collect::<Result<Vec<_>, Error>>()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if paths.len() < 512 || threads < 2 {
        return read_chunk(paths);
    }
    let chunk = paths.len().div_ceil(threads);
    let mut chunks: Vec<Vec<PathBuf>> = Vec::new();
    let mut iter = paths.into_iter().peekable();
    while iter.peek().is_some() {
        chunks.push(iter.by_ref().take(chunk).collect());
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|c| scope.spawn(move || read_chunk(c)))
            .collect();
        let mut files = Vec::new();
        for h in handles {
            match h.join() {
                Ok(part) => files.extend(part?),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        Ok(files)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str =
        "-- one\n--\n-- Revision ID: a1\n-- Revises:\n\n-- migrate:upgrade\nCREATE TABLE t (x);\n";

    #[test]
    fn a_short_file_is_read_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a1.sql");
        std::fs::write(&path, FILE).unwrap();
        let file = RevisionFile::read_header(path.clone()).unwrap();
        assert_eq!(file.header.revision, "a1");
        assert_eq!(file.source().unwrap(), FILE);
    }

    #[test]
    fn a_file_that_grew_after_the_header_read_is_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a1.sql");
        std::fs::write(&path, FILE).unwrap();
        let file = RevisionFile::read_header(path.clone()).unwrap();
        let grown = format!("{FILE}CREATE TABLE u (y);\n");
        std::fs::write(&path, &grown).unwrap();
        assert_eq!(file.source().unwrap(), grown);
    }

    #[test]
    fn a_long_file_is_read_past_the_first_chunk_on_demand() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a1.sql");
        let long = format!("{FILE}{}", "INSERT INTO t VALUES (1);\n".repeat(400));
        std::fs::write(&path, &long).unwrap();
        let file = RevisionFile::read_header(path).unwrap();
        assert!(file.short_read.is_none());
        assert_eq!(file.source().unwrap(), long);
    }

    /// A revision file that is a link to nothing hides a revision: it is an
    /// error naming the file, not a file to skip.
    #[cfg(unix)]
    #[test]
    fn a_revision_link_to_nothing_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let versions = dir.path().join("versions");
        std::fs::create_dir_all(&versions).unwrap();
        let target = dir.path().join("moved/a1.sql");
        std::os::unix::fs::symlink(&target, versions.join("a1.sql")).unwrap();
        let err = History::load(std::slice::from_ref(&versions))
            .unwrap_err()
            .to_string();
        assert!(err.contains("a1.sql"), "{err}");
        // A link to a revision file is one.
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, FILE).unwrap();
        let history = History::load(std::slice::from_ref(&versions)).unwrap();
        assert_eq!(history.len(), 1);
    }
}
