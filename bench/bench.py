#!/usr/bin/env python3
"""aludel against Alembic, sqlx-cli, dbmate and the sqlite3 shell, side by side.

Run it through `bench/run` (which builds aludel first).  Standard library only.

What it does, in order:

1. generates the same histories for every tool under `bench/.work/`
   (git-ignored): linear chains of N revisions, each creating a small table and
   an index and dropping them on downgrade, and a "branchy" history (forks of
   2-4 branches merged again, over and over) for the tools that have a graph
   (aludel and Alembic);
2. installs the peers into `bench/.peers/` if they are missing (Alembic and
   SQLAlchemy into a virtual environment, sqlx-cli with `cargo install`, dbmate
   from npm) and skips, saying so, a peer it cannot install;
3. times every command in a new process each run ("cold": no daemon, no
   in-process cache; the OS page cache is warm after the warm-up run), after one
   untimed warm-up, over several runs, and keeps the median, the interquartile
   range and the peak resident memory of the child (`os.wait4` ->
   `ru_maxrss`);
4. writes `docs/benchmarks.md` (tables of medians and ratios, the machine, the
   versions) and the raw numbers to `bench/.work/results.json`.

Adding a command (autogenerate, ...) means one `Command` in `COMMANDS` and a
branch in each tool's `invocation()`; a tool that has no equivalent returns
`None` and its cell reads "—".  Adding a database means a new value of
`--databases` and a URL in each tool; the rows and the report do not change.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import hashlib
import json
import math
import os
import platform
import re
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / ".work"
PEERS = BENCH / ".peers"
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = WORK / "results.json"
# Where histories and databases live for the storage being measured: "disk" is
# bench/.work/, "tmpfs" a folder in /dev/shm (no fsync cost).
DATA = {"root": WORK, "storage": "disk"}
STORAGES = ("tmpfs", "disk")


def storage_root(storage: str) -> Optional[Path]:
    if storage == "disk":
        return WORK
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm / f"aludel-bench-{os.getuid()}"
    return None

NOTES_BEGIN = "<!-- notes:begin (kept when the file is regenerated) -->"
NOTES_END = "<!-- notes:end -->"


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Histories
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class Rev:
    n: int  # 1-based position in generation order (a topological order)
    id: str
    parents: list  # of ids
    up: list  # SQL statements, no trailing ';'
    down: list

    @property
    def message(self) -> str:
        return f"Revision {self.n}"


def make_rev(n: int, parents: list) -> Rev:
    t = f"t{n}"
    return Rev(
        n=n,
        id=f"{n:013d}",
        parents=parents,
        up=[
            f"CREATE TABLE {t} (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TEXT)",
            f"CREATE INDEX ix_{t}_name ON {t} (name)",
        ],
        down=[f"DROP INDEX ix_{t}_name", f"DROP TABLE {t}"],
    )


@dataclasses.dataclass
class HistorySpec:
    shape: str  # "linear" | "branchy"
    size: int
    revs: list = dataclasses.field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.shape}-{self.size}"

    @property
    def head(self) -> str:
        return self.revs[-1].id


def linear(n: int) -> HistorySpec:
    revs = []
    for i in range(1, n + 1):
        revs.append(make_rev(i, [revs[-1].id] if revs else []))
    return HistorySpec("linear", n, revs)


def branchy(n: int) -> HistorySpec:
    """Root, then blocks: from the last merge point, k = 2..4 branches of length
    1..3 each, merged by one merge revision; a linear tail fills up to n.  Every
    revision (merges too) creates a table and an index, so the work per
    revision is the same as in the linear chain.  It ends with one head."""
    revs: list = []

    def add(parents: list) -> str:
        r = make_rev(len(revs) + 1, parents)
        revs.append(r)
        return r.id

    last = add([])
    block = 0
    while len(revs) < n:
        k = 2 + block % 3
        length = 1 + block % 3
        if len(revs) + k * length + 1 > n:
            while len(revs) < n:
                last = add([last])
            break
        tips = []
        for _ in range(k):
            p = last
            for _ in range(length):
                p = add([p])
            tips.append(p)
        last = add(tips)
        block += 1
    return HistorySpec("branchy", n, revs)


def write_if_changed(path: Path, text: str) -> None:
    if path.exists() and path.read_text() == text:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


# ---------------------------------------------------------------------------
# Running one command and measuring it
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class Invocation:
    """What a tool runs for one command: `argv` once, or `repeat` times in a row
    (tools that undo one migration per call); stdin from a file if given."""

    argv: list
    cwd: Path
    env: Optional[dict] = None
    stdin: Optional[Path] = None
    repeat: int = 1
    note: str = ""


@dataclasses.dataclass
class Skip:
    """A cell that is deliberately not measured, with the reason shown."""

    reason: str


class CommandFailed(Exception):
    pass


SPAWN_SRC = BENCH / "spawn.c"
SPAWN = WORK / "spawn"


def ensure_spawn() -> str:
    """Compiles bench/spawn.c; returns how memory and time are measured."""
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if SPAWN.exists() and SPAWN.stat().st_mtime >= SPAWN_SRC.stat().st_mtime:
        return "spawn"
    if cc:
        try:
            subprocess.run([cc, "-O2", "-o", str(SPAWN), str(SPAWN_SRC)], check=True)
            return "spawn"
        except (subprocess.CalledProcessError, OSError) as e:
            log(f"could not compile bench/spawn.c ({e})")
    log("no C compiler: peak memory is measured with os.wait4 from Python and includes the "
        "harness's own high-water mark")
    return "python"


METHOD = {"how": "python"}


def run_once(inv: Invocation, timeout: float) -> tuple:
    """Runs the invocation; returns (seconds, peak RSS in KiB).  For a repeated
    invocation: the total time and the largest peak of any call.

    With bench/spawn.c compiled: the helper forks, execs, times (monotonic
    clock, fork to wait4) and reports the child's ru_maxrss; otherwise
    time.perf_counter around the child and os.wait4's ru_maxrss."""
    peak = 0
    elapsed = 0.0
    env = dict(os.environ)
    if inv.env:
        env.update(inv.env)
    errpath = WORK / "last-stderr.txt"
    respath = WORK / "last-result.txt"
    use_spawn = METHOD["how"] == "spawn"
    argv = [str(SPAWN), str(respath), *map(str, inv.argv)] if use_spawn else list(map(str, inv.argv))
    for _ in range(inv.repeat):
        stdin = open(inv.stdin, "rb") if inv.stdin else subprocess.DEVNULL
        with open(errpath, "wb") as err:
            respath.unlink(missing_ok=True)
            t0 = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=inv.cwd, env=env, stdin=stdin,
                                    stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
            killed = []

            def kill() -> None:
                killed.append(True)
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

            timer = threading.Timer(timeout, kill)
            timer.start()
            _, status, usage = os.wait4(proc.pid, 0)
            t1 = time.perf_counter()
            timer.cancel()
            proc.returncode = os.waitstatus_to_exitcode(status)
        if stdin is not subprocess.DEVNULL:
            stdin.close()
        if killed:
            raise CommandFailed(f"timed out after {timeout:.0f} s")
        code, maxrss, seconds = proc.returncode, usage.ru_maxrss, t1 - t0
        if use_spawn:
            if proc.returncode != 0 or not respath.exists():
                raise CommandFailed(f"bench/spawn failed (exit {proc.returncode}): "
                                    + errpath.read_text(errors="replace")[-2000:])
            c, m, ns = respath.read_text().split()
            code, maxrss, seconds = int(c), int(m), int(ns) / 1e9
        if code != 0:
            tail = errpath.read_text(errors="replace")[-2000:]
            raise CommandFailed(f"exit {code}: {' '.join(map(str, inv.argv))}\n{tail}")
        elapsed += seconds
        peak = max(peak, maxrss)
    return elapsed, peak


def quantile(sorted_values: list, q: float) -> float:
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = (len(sorted_values) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


# ---------------------------------------------------------------------------
# Commands (rows of the report)
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class Command:
    id: str
    label: str
    state: str  # database before each run: "head" (at the last revision) or "empty" (no file)
    mutates: bool  # recreate the state before every run (outside the timing)
    check: Optional[str] = None  # "at-head" | "at-base": verified after the warm-up


COMMANDS = [
    Command("current", "`current`", "head", False),
    Command("heads", "`heads`", "head", False),
    Command("history", "`history`", "head", False),
    Command("upgrade", "`upgrade head`", "empty", True, "at-head"),
    Command("downgrade", "`downgrade base`", "head", True, "at-base"),
    Command("sql", "`upgrade head --sql`", "head", False),
]
COMMAND_BY_ID = {c.id: c for c in COMMANDS}


# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------


class Tool:
    key = ""
    label = ""
    graph = False  # can express branches and merges
    mapping: dict = {}  # command id -> how it is spelled by this tool (for the doc)

    def __init__(self, opts: argparse.Namespace):
        self.opts = opts
        self.skip_reason: Optional[str] = None

    # installation ------------------------------------------------------
    def ensure(self) -> None:
        """Installs the tool if missing; sets skip_reason if it cannot."""

    def version(self) -> str:
        return ""

    # per history -------------------------------------------------------
    def project(self, hist: HistorySpec) -> Path:
        return DATA["root"] / self.opts.database / hist.name / self.key

    def prepare(self, hist: HistorySpec) -> None:
        raise NotImplementedError

    def db(self, hist: HistorySpec) -> Path:
        return self.project(hist) / "bench.db"

    def invocation(self, cmd: Command, hist: HistorySpec):
        """An Invocation, a Skip, or None when the tool has no such command."""
        raise NotImplementedError

    def upgrade_invocation(self, hist: HistorySpec) -> Invocation:
        inv = self.invocation(COMMAND_BY_ID["upgrade"], hist)
        assert isinstance(inv, Invocation)
        return inv


def capture(argv: list, **kw) -> str:
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kw).stdout.strip()


class Aludel(Tool):
    key = "aludel"
    label = "aludel"
    graph = True
    mapping = {
        "current": "`aludel current`", "heads": "`aludel heads`", "history": "`aludel history`",
        "upgrade": "`aludel upgrade head`", "downgrade": "`aludel downgrade base`",
        "sql": "`aludel upgrade head --sql`",
    }

    @property
    def bin(self) -> Path:
        return Path(self.opts.aludel)

    def ensure(self) -> None:
        if not self.bin.exists():
            self.skip_reason = f"{self.bin.name} not built (run bench/run, which builds it)"

    def version(self) -> str:
        v = capture([str(self.bin), "--version"])
        try:
            rev = capture(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
            dirty = capture(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no", "--", "crates"])
            v += f" (commit {rev}{', crates/ modified' if dirty else ''}; release build)"
        except Exception:
            pass
        return v

    def prepare(self, hist: HistorySpec) -> None:
        p = self.project(hist)
        p.mkdir(parents=True, exist_ok=True)
        write_if_changed(p / "aludel.toml",
                         'script_location = "migrations"\ndatabase_url = "sqlite://bench.db"\n')
        versions = p / "migrations" / "versions"
        marker = p / ".generated"
        if marker.exists() and marker.read_text() == str(len(hist.revs)):
            return
        fresh_dir(versions)
        for r in hist.revs:
            (versions / f"{r.id}_rev{r.n}.sql").write_text(aludel_file(r))
        marker.write_text(str(len(hist.revs)))

    def invocation(self, cmd: Command, hist: HistorySpec):
        args = {
            "current": ["current"], "heads": ["heads"], "history": ["history"],
            "upgrade": ["upgrade", "head"], "downgrade": ["downgrade", "base"],
            "sql": ["upgrade", "head", "--sql"],
        }.get(cmd.id)
        if args is None:
            return None
        return Invocation([str(self.bin), *args], self.project(hist))


def aludel_file(r: Rev) -> str:
    up = "".join(s + ";\n" for s in r.up)
    down = "".join(s + ";\n" for s in r.down)
    return (
        f"-- {r.message}\n--\n-- Revision ID: {r.id}\n-- Revises: {', '.join(r.parents)}\n"
        f"-- Create Date: 2025-01-01 00:00:00\n\n"
        f"-- migrate:upgrade\n{up}\n-- migrate:downgrade\n{down}"
    )


def file_checksum(text: str) -> str:
    return hashlib.sha256(text.replace("\r\n", "\n").encode()).hexdigest()


class Alembic(Tool):
    key = "alembic"
    label = "Alembic"
    graph = True
    mapping = {
        "current": "`alembic current`", "heads": "`alembic heads`", "history": "`alembic history`",
        "upgrade": "`alembic upgrade head`", "downgrade": "`alembic downgrade base`",
        "sql": "`alembic upgrade head --sql`",
    }

    venv = PEERS / "venv"

    @property
    def bin(self) -> Path:
        return self.venv / "bin" / "alembic"

    def ensure(self) -> None:
        if self.bin.exists():
            return
        log("installing Alembic and SQLAlchemy from PyPI into bench/.peers/venv")
        try:
            subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True)
            subprocess.run([str(self.venv / "bin" / "pip"), "install", "--quiet",
                            "alembic", "sqlalchemy"], check=True)
        except (subprocess.CalledProcessError, OSError) as e:
            self.skip_reason = f"could not be installed ({e})"

    def version(self) -> str:
        py = str(self.venv / "bin" / "python")
        return capture([py, "-c",
                        "import alembic, sqlalchemy, sys, sqlite3; print(f'Alembic {alembic.__version__}, "
                        "SQLAlchemy {sqlalchemy.__version__}, CPython {sys.version.split()[0]}, "
                        "SQLite {sqlite3.sqlite_version} (pysqlite)')"])

    def prepare(self, hist: HistorySpec) -> None:
        p = self.project(hist)
        p.mkdir(parents=True, exist_ok=True)
        write_if_changed(p / "alembic.ini", ALEMBIC_INI)
        write_if_changed(p / "migrations" / "env.py", ALEMBIC_ENV)
        write_if_changed(p / "migrations" / "script.py.mako", ALEMBIC_MAKO)
        versions = p / "migrations" / "versions"
        marker = p / ".generated"
        if marker.exists() and marker.read_text() == str(len(hist.revs)):
            return
        fresh_dir(versions)
        for r in hist.revs:
            (versions / f"{r.id}_rev{r.n}.py").write_text(alembic_file(r))
        marker.write_text(str(len(hist.revs)))

    def invocation(self, cmd: Command, hist: HistorySpec):
        args = {
            "current": ["current"], "heads": ["heads"], "history": ["history"],
            "upgrade": ["upgrade", "head"], "downgrade": ["downgrade", "base"],
            "sql": ["upgrade", "head", "--sql"],
        }.get(cmd.id)
        if args is None:
            return None
        if cmd.id in ("upgrade", "downgrade") and hist.size > self.opts.max_alembic_upgrade:
            return Skip(f"not run above {self.opts.max_alembic_upgrade} revisions (--max-alembic-upgrade)")
        return Invocation([str(self.bin), *args], self.project(hist))


ALEMBIC_INI = """[alembic]
script_location = migrations
sqlalchemy.url = sqlite:///bench.db
"""

# The smallest synchronous env.py: no logging configuration, no metadata.
ALEMBIC_ENV = '''from alembic import context
from sqlalchemy import create_engine

url = context.config.get_main_option("sqlalchemy.url")
if context.is_offline_mode():
    context.configure(url=url, literal_binds=True, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
'''

ALEMBIC_MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""
from alembic import op

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''


def alembic_file(r: Rev) -> str:
    if not r.parents:
        down = "None"
    elif len(r.parents) == 1:
        down = repr(r.parents[0])
    else:
        down = repr(tuple(r.parents))
    up = "".join(f"    op.execute({s!r})\n" for s in r.up)
    dn = "".join(f"    op.execute({s!r})\n" for s in r.down)
    return (
        f'"""{r.message}\n\nRevision ID: {r.id}\nRevises: {", ".join(r.parents)}\n'
        f'Create Date: 2025-01-01 00:00:00\n"""\nfrom alembic import op\n\n'
        f"revision = {r.id!r}\ndown_revision = {down}\nbranch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n{up}\n\ndef downgrade():\n{dn}"
    )


class SqlxCli(Tool):
    key = "sqlx"
    label = "sqlx-cli"
    mapping = {
        "current": "`sqlx migrate info`", "history": "`sqlx migrate info`",
        "upgrade": "`sqlx migrate run`", "downgrade": "`sqlx migrate revert`",
    }
    root = PEERS / "cargo"

    @property
    def bin(self) -> Path:
        return self.root / "bin" / "sqlx"

    def ensure(self) -> None:
        if self.bin.exists():
            return
        log("installing sqlx-cli from crates.io into bench/.peers/cargo (takes several minutes)")
        base = ["cargo", "install", "sqlx-cli", "--no-default-features", "--features", "sqlite",
                "--root", str(self.root)]
        for extra in (["--locked"], []):
            try:
                subprocess.run(base + extra, check=True)
                return
            except (subprocess.CalledProcessError, OSError) as e:
                err = e
        self.skip_reason = f"could not be installed ({err})"

    def version(self) -> str:
        return capture([str(self.bin), "--version"])

    def revert_all_flag(self) -> bool:
        if not hasattr(self, "_target"):
            try:
                self._target = "--target-version" in capture([str(self.bin), "migrate", "revert", "--help"])
            except Exception:
                self._target = False
        return self._target

    def prepare(self, hist: HistorySpec) -> None:
        if hist.shape != "linear":
            return
        p = self.project(hist)
        marker = p / ".generated"
        if marker.exists() and marker.read_text() == str(len(hist.revs)):
            return
        versions = fresh_dir(p / "migrations")
        for r in hist.revs:
            (versions / f"{r.n}_rev{r.n}.up.sql").write_text("".join(s + ";\n" for s in r.up))
            (versions / f"{r.n}_rev{r.n}.down.sql").write_text("".join(s + ";\n" for s in r.down))
        marker.write_text(str(len(hist.revs)))

    def invocation(self, cmd: Command, hist: HistorySpec):
        if hist.shape != "linear":
            return None
        url = ["--source", "migrations", "--database-url", "sqlite://bench.db?mode=rwc"]
        p = self.project(hist)
        if cmd.id in ("current", "history"):
            return Invocation([str(self.bin), "migrate", "info", *url], p)
        if cmd.id == "upgrade":
            return Invocation([str(self.bin), "migrate", "run", *url], p)
        if cmd.id == "downgrade":
            if self.revert_all_flag():
                return Invocation([str(self.bin), "migrate", "revert", *url, "--target-version", "0"], p)
            if hist.size > self.opts.max_one_by_one:
                return Skip(f"one call per migration; not run above {self.opts.max_one_by_one} (--max-one-by-one)")
            return Invocation([str(self.bin), "migrate", "revert", *url], p, repeat=hist.size,
                              note=f"{hist.size} calls")
        return None


class Dbmate(Tool):
    key = "dbmate"
    label = "dbmate"
    mapping = {
        "current": "`dbmate status`", "history": "`dbmate status`",
        "upgrade": "`dbmate up`", "downgrade": "`dbmate rollback` × N",
    }
    prefix = PEERS / "npm"

    @property
    def bin(self) -> Path:
        # The npm package's `dbmate` is a Node launcher for this native binary;
        # calling the binary directly keeps Node's start-up out of the numbers.
        arch = {"x86_64": "x64", "aarch64": "arm64"}.get(platform.machine(), platform.machine())
        return self.prefix / "node_modules" / "@dbmate" / f"linux-{arch}" / "bin" / "dbmate"

    def ensure(self) -> None:
        if self.bin.exists():
            return
        log("installing dbmate from the npm registry into bench/.peers/npm")
        try:
            subprocess.run(["npm", "install", "--prefix", str(self.prefix), "dbmate"], check=True)
        except (subprocess.CalledProcessError, OSError) as e:
            self.skip_reason = f"could not be installed ({e})"
            return
        if not self.bin.exists():
            self.skip_reason = f"npm package installed but no native binary for {platform.machine()}"

    def version(self) -> str:
        return capture([str(self.bin), "--version"])

    def prepare(self, hist: HistorySpec) -> None:
        if hist.shape != "linear":
            return
        p = self.project(hist)
        marker = p / ".generated"
        if marker.exists() and marker.read_text() == str(len(hist.revs)):
            return
        versions = fresh_dir(p / "db" / "migrations")
        for r in hist.revs:
            up = "".join(s + ";\n" for s in r.up)
            down = "".join(s + ";\n" for s in r.down)
            (versions / f"{r.n:014d}_rev{r.n}.sql").write_text(
                f"-- migrate:up\n{up}\n-- migrate:down\n{down}")
        marker.write_text(str(len(hist.revs)))

    def invocation(self, cmd: Command, hist: HistorySpec):
        if hist.shape != "linear":
            return None
        base = [str(self.bin), "--url", "sqlite:bench.db", "--no-dump-schema"]
        p = self.project(hist)
        if cmd.id in ("current", "history"):
            return Invocation(base + ["status"], p)
        if cmd.id == "upgrade":
            return Invocation(base + ["up"], p)
        if cmd.id == "downgrade":
            if hist.size > self.opts.max_one_by_one:
                return Skip(f"one call per migration; not run above {self.opts.max_one_by_one} (--max-one-by-one)")
            return Invocation(base + ["rollback"], p, repeat=hist.size, note=f"{hist.size} calls")
        return None


class Floor(Tool):
    """The sqlite3 shell running exactly the statements aludel runs, in the same
    transactions: the floor for `upgrade head` and `downgrade base`."""

    key = "floor"
    label = "sqlite3 floor"
    graph = True
    mapping = {"current": "`sqlite3 bench.db < current.sql`",
               "upgrade": "`sqlite3 bench.db < upgrade.sql`", "downgrade": "`sqlite3 bench.db < downgrade.sql`"}
    FORMAT = "floor-v2"  # bump when floor_script() changes, to regenerate the scripts

    def __init__(self, opts, aludel: Aludel):
        super().__init__(opts)
        self.aludel = aludel

    def ensure(self) -> None:
        if not shutil.which("sqlite3"):
            self.skip_reason = "no sqlite3 shell on PATH (apt-get install sqlite3)"
        elif self.aludel.skip_reason:
            self.skip_reason = "needs aludel to write its scripts"

    def version(self) -> str:
        return "sqlite3 shell " + capture(["sqlite3", "--version"]).split()[0]

    def prepare(self, hist: HistorySpec) -> None:
        p = self.project(hist)
        p.mkdir(parents=True, exist_ok=True)
        marker = p / ".generated"
        if marker.exists() and marker.read_text() == f"{len(hist.revs)} {self.FORMAT}":
            return
        self.aludel.prepare(hist)
        proj = self.aludel.project(hist)
        checksums = {r.id: file_checksum(aludel_file(r)) for r in hist.revs}
        create_history = history_table_ddl(head_template(self.aludel, hist, self.opts.timeout))
        # `aludel current`: runner::current_heads, on a connection that creates nothing.
        (p / "current.sql").write_text(VERSION_TABLE_EXISTS + "\n" + READ_VERSIONS + "\n")
        for direction, args in (("upgrade", ["upgrade", "head", "--sql"]),
                                ("downgrade", ["downgrade", f"{hist.head}:base", "--sql"])):
            offline = capture([str(self.aludel.bin), *args], cwd=proj)
            (p / f"{direction}.sql").write_text(floor_script(offline, direction, checksums, create_history))
        marker.write_text(f"{len(hist.revs)} {self.FORMAT}")

    def invocation(self, cmd: Command, hist: HistorySpec):
        if cmd.id not in ("current", "upgrade", "downgrade"):
            return None
        p = self.project(hist)
        return Invocation(["sqlite3", "bench.db"], p, stdin=p / f"{cmd.id}.sql")


# What crates/aludel/src/runner.rs and dialect.rs execute around each migration
# besides the statements `--sql` prints.  `verify_floor` checks the result
# against a database aludel migrated, so a drift in aludel shows up as a failure.
VERSION_TABLE_EXISTS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version';"
READ_VERSIONS = "SELECT version_num FROM alembic_version;"


def history_table_ddl(aludel_db: Path) -> str:
    """aludel's `CREATE TABLE IF NOT EXISTS aludel_history (…)`, read back from a
    database aludel made (SQLite keeps the text, minus `IF NOT EXISTS`)."""
    con = sqlite3.connect(f"file:{aludel_db}?mode=ro", uri=True)
    try:
        row = con.execute("SELECT sql FROM sqlite_master WHERE name = 'aludel_history'").fetchone()
    finally:
        con.close()
    if not row or not row[0].startswith("CREATE TABLE "):
        raise CommandFailed("aludel left no aludel_history table")
    return "CREATE TABLE IF NOT EXISTS " + row[0][len("CREATE TABLE "):] + ";"


def applied_by() -> str:
    user = os.environ.get("USER") or os.environ.get("USERNAME") or "unknown"
    try:
        host = Path("/proc/sys/kernel/hostname").read_text().strip()
    except OSError:
        host = os.environ.get("HOSTNAME", "localhost")
    return f"{user}@{host}"


def floor_script(offline: str, direction: str, checksums: dict, create_history: str) -> str:
    """Turns `aludel … --sql` output (BEGIN; statements; version change; COMMIT;
    per migration) into what aludel runs online (crates/aludel/src/runner.rs,
    `run_locked`, as of commit 0ceb53c): BEGIN IMMEDIATE, the version-table
    read, the statements, the version change, the history insert, COMMIT. The
    first transaction also does `runner::ensure_tables` (the version table's
    check and creation, the history table's CREATE IF NOT EXISTS); online, a
    downgrade to base keeps the (empty) version table, so the offline
    `DROP TABLE alembic_version` is left out. Update this when the runner's
    statements change; `verify_floor` only checks the resulting database."""
    blocks = []
    cur = None
    for piece in offline.split("\n\n"):
        piece = piece.strip()
        if not piece:
            continue
        if piece == "BEGIN;":
            cur = {"log": None, "create": None, "stmts": [], "ops": []}
        elif piece == "COMMIT;":
            blocks.append(cur)
            cur = None
        elif piece.startswith("-- Running "):
            cur["log"] = piece
        elif piece.startswith("CREATE TABLE alembic_version"):
            cur["create"] = piece
        elif piece == "DROP TABLE alembic_version;":
            pass
        elif re.match(r"(INSERT INTO|UPDATE|DELETE FROM) alembic_version\b", piece):
            cur["ops"].append(piece)
        else:
            cur["stmts"].append(piece)
    if cur is not None:
        raise ValueError("unterminated transaction in --sql output")
    who = applied_by().replace("'", "''")
    out = []
    for i, b in enumerate(blocks):
        # The revision the step records: the one whose table (tN) it creates or drops.
        m = re.search(r"\b(?:ix_)?t(\d+)(?:_name)?\b", b["stmts"][0] if b["stmts"] else "")
        if not m:
            raise ValueError(f"cannot tell the revision of the transaction {b['log']!r}")
        rev = f"{int(m.group(1)):013d}"
        out.append("BEGIN IMMEDIATE;")
        if i == 0:
            # runner::ensure_tables
            out.append(VERSION_TABLE_EXISTS)
            if b["create"]:
                out.append(b["create"])
            out.append(create_history)
        # The version-table read after taking the write lock (SqliteDb::read_versions).
        out.append(READ_VERSIONS)
        out.extend(b["stmts"])
        out.extend(b["ops"])
        out.append(
            "INSERT INTO aludel_history (revision, direction, applied_at, duration_ms, checksum, applied_by) "
            f"VALUES ('{rev}', '{direction}', '2025-01-01T00:00:00.000Z', 0, '{checksums[rev]}', '{who}');")
        out.append("COMMIT;")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# Database state
# ---------------------------------------------------------------------------


def remove_db(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def schema_counts(path: Path) -> tuple:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = con.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='table' AND name GLOB 't[0-9]*'").fetchone()[0]
        indexes = con.execute(
            "SELECT count(*) FROM sqlite_master WHERE type='index' AND name GLOB 'ix_t[0-9]*'").fetchone()[0]
    finally:
        con.close()
    return tables, indexes


def check_state(path: Path, want: str, hist: HistorySpec) -> None:
    n = len(hist.revs) if want == "at-head" else 0
    got = schema_counts(path) if path.exists() else (0, 0)
    if got != (n, n):
        raise CommandFailed(f"expected {n} tables and {n} indexes after the command, found {got}")


def verify_floor(floor_db: Path, aludel_db: Path) -> None:
    """The floor's database must match aludel's: same schema, same version row,
    same number of history rows."""
    def snapshot(p: Path) -> tuple:
        con = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
        try:
            schema = con.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
            versions = con.execute("SELECT version_num FROM alembic_version ORDER BY 1").fetchall()
            hist = con.execute("SELECT count(*), group_concat(revision || direction, ',') "
                               "FROM aludel_history").fetchone()
        finally:
            con.close()
        return schema, versions, hist
    a, b = snapshot(floor_db), snapshot(aludel_db)
    if a != b:
        raise CommandFailed("the sqlite3 floor script does not leave the database aludel leaves; "
                            "bench/bench.py's floor_script() is out of step with the runner")


# ---------------------------------------------------------------------------
# The benchmark loop
# ---------------------------------------------------------------------------


def head_template(tool: Tool, hist: HistorySpec, timeout: float) -> Path:
    """A database at head made by the tool itself (kept for the next runs)."""
    tpl = tool.project(hist) / "head.db.template"
    if tpl.exists():
        return tpl
    db = tool.db(hist)
    remove_db(db)
    if tool.key == "alembic" and hist.size > tool.opts.max_alembic_upgrade:
        # Reading commands need a database at head; stamp it instead of running
        # every migration (the schema is not read by current/heads/history).
        inv = Invocation([str(tool.bin), "stamp", "head"], tool.project(hist))
    else:
        inv = tool.upgrade_invocation(hist)
    log(f"  {tool.key}: making a database at head")
    run_once(inv, timeout)
    if not db.exists():
        raise CommandFailed(f"{tool.label} left no database at head")
    shutil.copyfile(db, tpl)
    return tpl


def set_state(tool: Tool, hist: HistorySpec, cmd: Command, timeout: float) -> None:
    db = tool.db(hist)
    if cmd.state == "empty":
        remove_db(db)
    else:
        tpl = head_template(tool, hist, timeout)
        remove_db(db)
        shutil.copyfile(tpl, db)


def measure(tool: Tool, hist: HistorySpec, cmd: Command, opts) -> dict:
    inv = tool.invocation(cmd, hist)
    if inv is None:
        return {"status": "n/a"}
    if isinstance(inv, Skip):
        return {"status": "skipped", "reason": inv.reason}
    try:
        set_state(tool, hist, cmd, opts.timeout)
        warm, _ = run_once(inv, opts.timeout)  # warm-up: page cache, .pyc files
        if cmd.check:
            check_state(tool.db(hist), cmd.check, hist)
        if tool.key == "floor" and cmd.id == "upgrade":
            verify_floor(tool.db(hist), head_template(tool.aludel, hist, opts.timeout))
        runs = opts.runs if warm < opts.slow_after else opts.slow_runs
        times, peaks = [], []
        for _ in range(runs):
            if cmd.mutates:
                set_state(tool, hist, cmd, opts.timeout)
            t, peak = run_once(inv, opts.timeout)
            times.append(t)
            peaks.append(peak)
    except CommandFailed as e:
        log(f"  {tool.key} {cmd.id}: FAILED {e}")
        return {"status": "failed", "reason": str(e).splitlines()[0]}
    s = sorted(times)
    return {
        "status": "ok",
        "runs": len(times),
        "times": times,
        "median": statistics.median(s),
        "p25": quantile(s, 0.25),
        "p75": quantile(s, 0.75),
        "min": s[0],
        "max": s[-1],
        "peak_kib": statistics.median(peaks),
        "peak_kib_max": max(peaks),
        "note": inv.note,
    }


def machine_info() -> dict:
    info = {}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    info["cpu"] = info.get("cpu") or platform.processor() or platform.machine()
    info["cores"] = os.cpu_count()
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        info["ram"] = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        info["ram"] = "?"
    osname = platform.system()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                osname = line.split("=", 1)[1].strip('"')
    except OSError:
        pass
    info["os"] = f"{osname}, Linux {platform.release()}" if platform.system() == "Linux" else osname
    try:
        info["rustc"] = capture(["rustc", "--version"])
    except Exception:
        info["rustc"] = "?"
    info["python"] = platform.python_version()
    info["bundled_sqlite"] = bundled_sqlite_version()
    return info


def bundled_sqlite_version() -> str:
    """The SQLite aludel links (sqlx's bundled libsqlite3-sys), from Cargo.lock
    and the crate source in cargo's registry."""
    try:
        lock = (ROOT / "Cargo.lock").read_text()
        m = re.search(r'name = "libsqlite3-sys"\nversion = "([^"]+)"', lock)
        if not m:
            return "?"
        crate = f"libsqlite3-sys-{m.group(1)}"
        home = Path(os.environ.get("CARGO_HOME", Path.home() / ".cargo"))
        for header in (home / "registry" / "src").glob(f"*/{crate}/sqlite3/sqlite3.h"):
            v = re.search(r'#define SQLITE_VERSION\s+"([^"]+)"', header.read_text(errors="replace"))
            if v:
                return f"SQLite {v.group(1)} (bundled by {crate})"
        return f"bundled by {crate}"
    except OSError:
        return "?"


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="linear chain lengths (default 100,1000,10000)")
    ap.add_argument("--branchy-sizes", default="1000",
                    help="sizes of the branchy history, aludel and Alembic only (default 1000; '' for none)")
    ap.add_argument("--runs", type=int, default=10, help="timed runs per cell after the warm-up (default 10)")
    ap.add_argument("--slow-runs", type=int, default=3,
                    help="timed runs for a cell whose warm-up took longer than --slow-after (default 3)")
    ap.add_argument("--slow-after", type=float, default=5.0, help="seconds (default 5)")
    ap.add_argument("--only", default="", help="comma-separated tools: aludel,alembic,sqlx,dbmate,floor")
    ap.add_argument("--commands", default="", help="comma-separated commands: " + ",".join(COMMAND_BY_ID))
    ap.add_argument("--quick", action="store_true",
                    help="sizes 100,1000 (disk: 100), branchy 100, 3 runs (1 for slow cells): a few minutes")
    ap.add_argument("--max-alembic-upgrade", type=int, default=1000,
                    help="largest history Alembic upgrades/downgrades (default 1000)")
    ap.add_argument("--max-one-by-one", type=int, default=1000,
                    help="largest history undone by one call per migration (default 1000)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds for one invocation (default 1800)")
    ap.add_argument("--storage", default="tmpfs,disk",
                    help="where the databases live: tmpfs (no fsync: the tools' own cost), disk "
                         "(bench/.work, with fsync); default both")
    ap.add_argument("--disk-sizes", default="1000",
                    help="linear sizes measured on disk, upgrade/downgrade only (default 1000)")
    ap.add_argument("--fresh", action="store_true", help="forget earlier results instead of updating them")
    ap.add_argument("--keep", action="store_true", help="keep the tmpfs folder after the run")
    ap.add_argument("--database", default="sqlite", choices=["sqlite"], help="database engine (sqlite)")
    ap.add_argument("--aludel", default=str(ROOT / "target" / "release" / "aludel"), help="aludel binary")
    ap.add_argument("--no-install", action="store_true", help="skip peers that are not installed yet")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite docs/benchmarks.md from bench/.work/results.json")
    ap.add_argument("--out", default=str(DOC), help="report to write (default docs/benchmarks.md)")
    opts = ap.parse_args()
    if opts.quick:
        opts.sizes = "100,1000"
        opts.branchy_sizes = "100"
        opts.disk_sizes = "100"
        opts.runs = min(opts.runs, 3)
        opts.slow_runs = 1
        opts.max_one_by_one = min(opts.max_one_by_one, 100)

    if opts.report_only:
        write_report(json.loads(RESULTS.read_text()), Path(opts.out))
        return 0

    WORK.mkdir(parents=True, exist_ok=True)
    METHOD["how"] = ensure_spawn()
    aludel = Aludel(opts)
    tools = [aludel, Alembic(opts), SqlxCli(opts), Dbmate(opts), Floor(opts, aludel)]
    if opts.only:
        wanted = set(opts.only.split(","))
        unknown = wanted - {t.key for t in tools}
        if unknown:
            ap.error(f"unknown tools: {', '.join(sorted(unknown))}")
        tools = [t for t in tools if t.key in wanted]
    commands = COMMANDS
    if opts.commands:
        unknown = set(opts.commands.split(",")) - set(COMMAND_BY_ID)
        if unknown:
            ap.error(f"unknown commands: {', '.join(sorted(unknown))}")
        commands = [COMMAND_BY_ID[c] for c in opts.commands.split(",")]
    storages = [x for x in opts.storage.split(",") if x]
    if set(storages) - set(STORAGES):
        ap.error(f"--storage takes {', '.join(STORAGES)}")

    versions, skipped = {}, {}
    for t in tools:
        if opts.no_install and t.key in ("alembic", "sqlx", "dbmate") and not t.bin.exists():
            t.skip_reason = "not installed (--no-install)"
        else:
            t.ensure()
        if t.skip_reason:
            log(f"skipping {t.label}: {t.skip_reason}")
            skipped[t.key] = t.skip_reason
            continue
        versions[t.key] = t.version()
        if t.key == "sqlx" and t.revert_all_flag():
            t.mapping = {**t.mapping, "downgrade": "`sqlx migrate revert --target-version 0`"}
        elif t.key == "sqlx":
            t.mapping = {**t.mapping, "downgrade": "`sqlx migrate revert` × N"}
    active = [t for t in tools if not t.skip_reason]

    results = {} if opts.fresh or not RESULTS.exists() else json.loads(RESULTS.read_text())
    if "storages" not in results:
        results = {"storages": {}, "cells": []}
    machine = machine_info()
    for storage in storages:
        root = storage_root(storage)
        if root is None:
            log(f"no tmpfs at /dev/shm: skipping the {storage} runs")
            continue
        DATA["root"], DATA["storage"] = root, storage
        root.mkdir(parents=True, exist_ok=True)
        if storage == "disk":
            hists = [linear(int(x)) for x in opts.disk_sizes.split(",") if x]
            cmds = [c for c in commands if c.mutates]
        else:
            hists = [linear(int(x)) for x in opts.sizes.split(",") if x]
            hists += [branchy(int(x)) for x in opts.branchy_sizes.split(",") if x]
            cmds = commands
        if not hists or not cmds:
            continue
        started = datetime.datetime.now(datetime.timezone.utc)
        load_before = loadavg()
        cells = []
        for hist in hists:
            log(f"{storage}: history {hist.name}")
            # aludel first: the floor scripts come from it and are checked against it.
            for tool in active:
                if hist.shape != "linear" and not tool.graph:
                    continue
                try:
                    tool.prepare(hist)
                    prepared = None
                except (CommandFailed, subprocess.CalledProcessError, ValueError) as e:
                    log(f"  {tool.key}: could not prepare {hist.name}: {e}")
                    prepared = {"status": "failed", "reason": f"preparing: {str(e).splitlines()[0]}"}
                for cmd in cmds:
                    if prepared and tool.invocation(cmd, hist) is not None:
                        r = prepared
                    else:
                        r = measure(tool, hist, cmd, opts)
                    if r["status"] == "ok":
                        log(f"  {tool.key:7} {cmd.id:9} median {fmt_time(r['median'])} "
                            f"over {r['runs']} runs, peak {r['peak_kib'] / 1024:.1f} MiB")
                    cells.append({"storage": storage, "history": hist.name, "shape": hist.shape,
                                  "size": hist.size, "tool": tool.key, "command": cmd.id, **r})
        meta = {
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "loads": [load_before, loadavg()],
            "fs": fs_type(root),
            "machine": machine,
            "versions": versions,
            "skipped": skipped,
            "mapping": {t.key: t.mapping for t in active},
            "measure": METHOD["how"],
            "options": {k: v for k, v in vars(opts).items() if k not in ("aludel", "out")},
        }
        results = merge_results(results, storage, meta, cells)
        RESULTS.write_text(json.dumps(results, indent=1))
        write_report(results, Path(opts.out))
        if storage == "tmpfs" and not opts.keep:
            shutil.rmtree(root, ignore_errors=True)
    log(f"wrote {Path(opts.out).relative_to(ROOT) if Path(opts.out).is_relative_to(ROOT) else opts.out}")
    return 0


def merge_results(results: dict, storage: str, meta: dict, cells: list) -> dict:
    """Cells of this run replace the same (storage, history, tool, command)
    cells of earlier runs; the others stay (so a partial run updates a corner)."""
    key = lambda c: (c["storage"], c["history"], c["tool"], c["command"])
    merged = {key(c): c for c in results.get("cells", [])}
    for c in cells:
        merged[key(c)] = c
    old = results.get("storages", {}).get(storage)
    if old:
        meta["started"] = min(old["started"], meta["started"])
        meta["loads"] = old["loads"] + meta["loads"]
        meta["versions"] = {**old["versions"], **meta["versions"]}
        meta["mapping"] = {**old["mapping"], **meta["mapping"]}
        meta["skipped"] = {k: v for k, v in {**old["skipped"], **meta["skipped"]}.items()
                           if k not in meta["versions"]}
    return {"storages": {**results.get("storages", {}), storage: meta}, "cells": list(merged.values())}


def fs_type(path: Path) -> str:
    try:
        t = capture(["stat", "-f", "-c", "%T", str(path)])
        return "ext4 (or ext2/3)" if t == "ext2/ext3" else t
    except Exception:
        return "?"


# ---------------------------------------------------------------------------
# The report
# ---------------------------------------------------------------------------

TOOL_ORDER = ["aludel", "alembic", "sqlx", "dbmate", "floor"]
TOOL_LABEL = {"aludel": "aludel", "alembic": "Alembic", "sqlx": "sqlx-cli", "dbmate": "dbmate",
              "floor": "sqlite3 floor"}


def fmt_time(s: float) -> str:
    ms = s * 1000
    if ms < 10:
        return f"{ms:.2f} ms"
    if ms < 1000:
        return f"{ms:.1f} ms"
    return f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def fmt_ratio(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}×"
    if x >= 10:
        return f"{x:.0f}×"
    return f"{x:.2f}×"


def fmt_mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"


STORAGE_TITLE = {
    "tmpfs": "Databases in memory (tmpfs): what the tools themselves cost",
    "disk": "Databases on disk: with the cost of every commit's fsync",
}


def write_report(results: dict, out: Path) -> None:
    cells = {(c["storage"], c["history"], c["tool"], c["command"]): c for c in results["cells"]}
    metas = results["storages"]
    storages = [x for x in STORAGES if x in metas]
    latest = max(metas.values(), key=lambda m: m["finished"])
    m = latest["machine"]
    versions, mapping, skipped = {}, {}, {}
    for meta in metas.values():
        versions.update(meta["versions"])
        mapping.update(meta["mapping"])
        skipped.update(meta["skipped"])
    skipped = {k: v for k, v in skipped.items() if k not in versions}
    o = latest["options"]
    tools = [t for t in TOOL_ORDER if any(c["tool"] == t for c in results["cells"])]

    def cell(st, h, t, c):
        return cells.get((st, h, t, c))

    def med(st, h, t, c):
        x = cell(st, h, t, c)
        return x["median"] if x and x["status"] == "ok" else None

    def tcell(x) -> str:
        if x is None or x["status"] == "n/a":
            return "—"
        if x["status"] == "skipped":
            return "not run¹"
        if x["status"] == "failed":
            return "failed¹"
        half = (x["p75"] - x["p25"]) / 2 / x["median"] * 100 if x["median"] else 0
        return f"{fmt_time(x['median'])} ±{half:.0f}%"

    L = []
    L.append("# Benchmarks")
    L.append("")
    L.append("aludel against [Alembic](https://alembic.sqlalchemy.org/), "
             "[sqlx-cli](https://crates.io/crates/sqlx-cli), [dbmate](https://github.com/amacneil/dbmate) "
             "and the `sqlite3` shell, on the same histories, in one run. Generated by `bench/run` "
             "(`bench/bench.py`); do not edit the tables by hand — rerun it. Text between the "
             "`notes` markers at the end is kept when the file is regenerated.")
    L.append("")
    L.append("```sh")
    L.append("bench/run            # everything below")
    L.append("bench/run --quick    # sizes 100 and 1,000, 3 runs: a few minutes")
    L.append("bench/run --only aludel,floor --sizes 1000 --runs 20 --storage tmpfs   # one corner")
    L.append("bench/run --help")
    L.append("```")
    L.append("")
    L.append("`bench/run` builds aludel in release mode, installs the peers into `bench/.peers/` if "
             "they are missing (Alembic and SQLAlchemy from PyPI into a virtual environment, "
             "sqlx-cli with `cargo install`, dbmate from npm; a peer that cannot be installed is "
             "skipped and the report says so), generates the histories under `bench/.work/` (and a "
             "tmpfs folder), and rewrites this file; the raw numbers go to "
             "`bench/.work/results.json`. A partial run updates only its own cells.")
    L.append("")
    L.append("## Machine and versions")
    L.append("")
    L.append(f"- Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM; {m['os']}.")
    for st in storages:
        meta = metas[st]
        where = "tmpfs" if st == "tmpfs" else f"disk ({meta['fs']}, a virtual disk)"
        L.append(f"- {st} runs: databases and revision files on {where}; from {meta['started']} to "
                 f"{meta['finished']} (UTC); load average (1/5/15 min) "
                 + ", ".join(meta["loads"]) + " at the starts and ends of its runs.")
    L.append(f"- **Shared machine:** other engineers were compiling on the same {m['cores']} cores "
             "while this ran (see the load averages). Medians of several runs absorb most of it; "
             "differences of a few percent are noise, and so is the spread of the disk runs.")
    for key in tools:
        if key in versions:
            extra = f"; built with {m['rustc']}; {m['bundled_sqlite']}" if key == "aludel" else ""
            L.append(f"- {TOOL_LABEL[key]}: {versions[key]}{extra}")
    for key, why in skipped.items():
        L.append(f"- {TOOL_LABEL.get(key, key)}: **skipped** — {why}")
    if latest.get("measure") == "spawn":
        how = ("each command is started by `bench/spawn.c` (fork, exec, `wait4`), which reports the "
               "wall time from fork to `wait4` and the child's `ru_maxrss`; forked from the Python "
               "harness directly, a child's `ru_maxrss` would include the harness's own ~25 MiB "
               "high-water mark (Linux carries the pre-exec peak over), so the helper is a small C "
               "program. A do-nothing command reads about 1 MiB.")
    else:
        how = ("`time.perf_counter` around each child and `os.wait4`'s `ru_maxrss` (no C compiler "
               "was found for `bench/spawn.c`, so peak memory includes the harness's own "
               "high-water mark, about 25 MiB: compare memory only above that).")
    L.append(f"- Harness: CPython {m['python']}; {how}")
    L.append("")
    L.append("## Method")
    L.append("")
    L.append(f"- Every number is a new process per run (\"cold\": no daemon, no in-process cache), after "
             f"one untimed warm-up run of the same command (it fills the OS page cache and Alembic's "
             f"`__pycache__`). {o['runs']} timed runs per cell; cells whose warm-up took more than "
             f"{o['slow_after']:g} s get {o['slow_runs']}. Shown: the **median**, and ± half the "
             "interquartile range as a percentage of it (the spread).")
    L.append("- `upgrade head` starts from no database file; `downgrade base` from a database the same "
             "tool brought to head (a fresh copy before every run, outside the timing). The reading "
             "commands run against a database at head. After each warm-up the harness checks that "
             "the database holds N tables and N indexes (or none).")
    L.append("- Every revision creates a table and an index (`CREATE TABLE tN (id INTEGER PRIMARY KEY, "
             "name TEXT NOT NULL, created_at TEXT)`, `CREATE INDEX ix_tN_name ON tN (name)`) and its "
             "downgrade drops them. The branchy history forks 2–4 branches of 1–3 revisions from "
             "each merge point and merges them again, over and over; merges do the same work as "
             "other revisions; it ends in one head.")
    L.append("- Two storages. **tmpfs**: fsync costs nothing, so the numbers are the tools' own "
             "work (parsing, planning, SQL, bookkeeping); all sizes and commands. **disk**: the "
             "databases in `bench/.work/` on the machine's disk, where every commit waits for "
             "fsync; `upgrade head` and `downgrade base` only, at the sizes listed there (a "
             "10,000-revision run on this disk takes minutes per tool and per run).")
    L.append("- All tools use SQLite's defaults: rollback journal (`journal_mode=DELETE`), "
             "`synchronous=FULL`, foreign keys off, one transaction per migration (Alembic with "
             "`transaction_per_migration=True`).")
    L.append("- **sqlite3 floor**: the `sqlite3` shell reading a script with exactly the statements "
             "aludel executes, in the same transactions: `BEGIN IMMEDIATE`, the version-table check "
             "and read, the revision's statements, the `alembic_version` change, the "
             "`aludel_history` insert, `COMMIT` (the first transaction also creates the two tables). "
             "The script is built from `aludel upgrade head --sql` / `downgrade head:base --sql` plus "
             "what `crates/aludel/src/runner.rs` adds online, and the harness checks that the floor "
             "leaves the same schema, version row and history rows as aludel. It is the cost of the "
             "SQL alone (one process, one connection); aludel / floor is aludel's overhead on top.")
    L.append("- Ratios: **peer / aludel** (how many times longer the peer takes: above 1×, aludel is "
             "faster) and **aludel / floor** (1× is the floor).")
    L.append("")
    L.append("What each tool runs for each row:")
    L.append("")
    L.append("| row | " + " | ".join(TOOL_LABEL[t] for t in tools) + " |")
    L.append("|---|" + "---|" * len(tools))
    for cmd in COMMANDS:
        L.append(f"| {cmd.label} | " + " | ".join(mapping.get(t, {}).get(cmd.id, "—") for t in tools) + " |")
    L.append("")
    L.append("sqlx-cli and dbmate have no revision graph: they have no `heads`, and they run only the "
             "linear histories. Their closest reading command lists every migration with its state, "
             "so it stands in for both `current` and `history`. dbmate runs with `--no-dump-schema` "
             "(by default it also writes `db/schema.sql` after each migration command, through the "
             "sqlite3 shell) and is called as the native binary its npm package ships, without the "
             "Node launcher; `dbmate rollback` undoes one migration per call, so its `downgrade base` "
             "is N calls, timed together (peak memory: the largest call). Alembic's `env.py` is the "
             "smallest synchronous one (no logging configuration, so it prints nothing). Alembic "
             "runs through CPython: its time includes starting the interpreter and importing "
             "SQLAlchemy (about 0.3–0.5 s here), which is what a user waits for too.")
    L.append("")

    # Targets ---------------------------------------------------------------
    L.append("## Targets")
    L.append("")
    L.append("From the issue; measured on the linear chains.")
    L.append("")
    L.append("| target | storage | measured | met |")
    L.append("|---|---|---|---|")

    def target_row(text: str, st: str, value, ok, shown: str) -> None:
        verdict = "—" if ok is None else ("yes" if ok else "**no**")
        L.append(f"| {text} | {st} | {shown if value is not None else 'not measured'} | {verdict} |")

    k1, k10 = "linear-1000", "linear-10000"
    for c in ("current", "heads", "history"):
        st = "tmpfs" if "tmpfs" in metas else storages[0]
        a, b = med(st, k1, "aludel", c), med(st, k1, "alembic", c)
        r = b / a if a and b else None
        target_row(f"`{c}` ≥ 50× faster than Alembic at 1,000", st, r, r >= 50 if r else None,
                   fmt_ratio(r) if r else "")
        a10 = med(st, k10, "aludel", c)
        target_row(f"`{c}` under 50 ms at 10,000", st, a10, a10 < 0.05 if a10 else None,
                   fmt_time(a10) if a10 else "")
    for c, label in (("upgrade", "`upgrade head`"), ("downgrade", "`downgrade base`")):
        for st in storages:
            a, b = med(st, k1, "aludel", c), med(st, k1, "alembic", c)
            f = med(st, k1, "floor", c)
            r = b / a if a and b else None
            # No tool can beat the floor: Alembic / floor is the best ratio possible.
            ceiling = f" (ceiling, Alembic / floor: {fmt_ratio(b / f)})" if b and f else ""
            target_row(f"{label} of 1,000 ≥ 20× faster than Alembic", st, r,
                       r >= 20 if r else None, (fmt_ratio(r) + ceiling) if r else "")
        for st in storages:
            a, f = med(st, k1, "aludel", c), med(st, k1, "floor", c)
            r = a / f if a and f else None
            target_row(f"{label} of 1,000 within 1.3× of the sqlite3 floor", st, r,
                       r <= 1.3 if r else None, fmt_ratio(r) if r else "")
    for st in storages:
        sizes = sorted({c["size"] for c in results["cells"] if c["shape"] == "linear" and c["storage"] == st})
        if len(sizes) >= 2:
            lo, hi = sizes[-2], sizes[-1]
            exps = []
            for c in COMMANDS:
                a, b = med(st, f"linear-{lo}", "aludel", c.id), med(st, f"linear-{hi}", "aludel", c.id)
                if a and b:
                    exps.append((math.log(b / a) / math.log(hi / lo), c.label))
            if exps:
                worst = max(exps)
                target_row(f"no aludel command grows faster than the history ({lo:,} → {hi:,} revisions)",
                           st, worst[0], worst[0] <= 1.1,
                           f"steepest: {worst[1]}, time ∝ N^{worst[0]:.2f}")
    L.append("")

    # Per storage, per history ---------------------------------------------
    for st in storages:
        L.append(f"## {STORAGE_TITLE[st]}")
        L.append("")
        hists = []
        for c in results["cells"]:
            if c["storage"] == st and (c["history"], c["shape"], c["size"]) not in hists:
                hists.append((c["history"], c["shape"], c["size"]))
        hists.sort(key=lambda h: (h[1] != "linear", h[2]))
        L.append("¹ see the note under the table. — : the tool has no such command or cannot express "
                 "the history. Times: median ± half the interquartile range.")
        L.append("")
        for name, shape, size in hists:
            present = [t for t in tools if any(cell(st, name, t, c.id) and cell(st, name, t, c.id)["status"] != "n/a"
                                               for c in COMMANDS)]
            title = f"Linear chain, {size:,} revisions" if shape == "linear" else \
                f"Branchy history, {size:,} revisions (branches and merges)"
            L.append(f"### {title} ({st})")
            L.append("")
            head = ["command"] + (["aludel"] if "aludel" in present else [])
            for t in present:
                if t in ("alembic", "sqlx", "dbmate"):
                    head += [TOOL_LABEL[t], f"{TOOL_LABEL[t]} / aludel"]
            if "floor" in present:
                head += ["sqlite3 floor", "aludel / floor"]
            L.append("| " + " | ".join(head) + " |")
            L.append("|---|" + "---:|" * (len(head) - 1))
            notes = []
            for c in COMMANDS:
                if not any(cell(st, name, t, c.id) for t in present):
                    continue
                a = med(st, name, "aludel", c.id)
                row = [c.label] + ([tcell(cell(st, name, "aludel", c.id))] if "aludel" in present else [])
                for t in present:
                    if t in ("alembic", "sqlx", "dbmate"):
                        x = cell(st, name, t, c.id)
                        extra = f" ({x['note']})" if x and x.get("note") and x["status"] == "ok" else ""
                        row.append(tcell(x) + extra)
                        p = med(st, name, t, c.id)
                        row.append(f"**{fmt_ratio(p / a)}**" if a and p else "—")
                        if x and x["status"] in ("skipped", "failed"):
                            notes.append(f"{TOOL_LABEL[t]} {c.label}: {x['reason']}")
                if "floor" in present:
                    x = cell(st, name, "floor", c.id)
                    row.append(tcell(x))
                    f = med(st, name, "floor", c.id)
                    row.append(f"**{fmt_ratio(a / f)}**" if a and f else "—")
                    if x and x["status"] in ("skipped", "failed"):
                        notes.append(f"sqlite3 floor {c.label}: {x['reason']}")
                x = cell(st, name, "aludel", c.id)
                if x and x["status"] in ("skipped", "failed"):
                    notes.append(f"aludel {c.label}: {x['reason']}")
                L.append("| " + " | ".join(row) + " |")
            L.append("")
            for n in notes:
                L.append(f"- ¹ {n}")
            if notes:
                L.append("")
            L.append(f"Peak memory, MiB (`ru_maxrss`, median of the runs):")
            L.append("")
            L.append("| command | " + " | ".join(TOOL_LABEL[t] for t in present) + " |")
            L.append("|---|" + "---:|" * len(present))
            for c in COMMANDS:
                if not any(cell(st, name, t, c.id) for t in present):
                    continue
                row = [c.label]
                for t in present:
                    x = cell(st, name, t, c.id)
                    row.append(fmt_mib(x["peak_kib"]) if x and x["status"] == "ok" else "—")
                L.append("| " + " | ".join(row) + " |")
            L.append("")

        sizes = sorted({c["size"] for c in results["cells"] if c["shape"] == "linear" and c["storage"] == st})
        if len(sizes) >= 2:
            L.append(f"### How aludel scales ({st})")
            L.append("")
            L.append("Median time of each aludel command on the linear chains, and the exponent k in "
                     "time ∝ N^k between the two largest sizes (1: linear in the history; below 1, "
                     "fixed start-up costs still weigh).")
            L.append("")
            L.append("| command | " + " | ".join(f"{x:,}" for x in sizes) + f" | k | peak MiB at {sizes[-1]:,} |")
            L.append("|---|" + "---:|" * (len(sizes) + 2))
            for c in COMMANDS:
                vals = [med(st, f"linear-{x}", "aludel", c.id) for x in sizes]
                if not any(vals):
                    continue
                k = "—"
                if vals[-1] and vals[-2]:
                    k = f"{math.log(vals[-1] / vals[-2]) / math.log(sizes[-1] / sizes[-2]):.2f}"
                x = cell(st, f"linear-{sizes[-1]}", "aludel", c.id)
                row = [c.label] + [fmt_time(v) if v else "—" for v in vals] + [
                    k, fmt_mib(x["peak_kib"]) if x and x["status"] == "ok" else "—"]
                L.append("| " + " | ".join(row) + " |")
            L.append("")

    # Notes (kept) -------------------------------------------------------------
    notes_text = ""
    if out.exists():
        old = out.read_text()
        if NOTES_BEGIN in old and NOTES_END in old:
            notes_text = old.split(NOTES_BEGIN, 1)[1].split(NOTES_END, 1)[0].strip("\n")
    L.append("## Findings")
    L.append("")
    L.append(NOTES_BEGIN)
    L.append(notes_text if notes_text else "_No notes yet._")
    L.append(NOTES_END)
    L.append("")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(L))


if __name__ == "__main__":
    sys.exit(main())
