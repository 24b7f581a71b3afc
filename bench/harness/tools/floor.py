"""The sqlite3 floor: the sqlite3 shell running exactly the statements aludel
runs, in the same transactions.  Its scripts are built from aludel's `--sql`
output plus what aludel's runner adds online, and checked against a database
aludel migrated."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from pathlib import Path

from ..commands import Command
from ..dbstate import head_template
from ..histories import HistorySpec
from ..timing import CommandFailed, Invocation
from .aludel import Aludel, aludel_file, file_checksum
from .base import Tool, capture


class Floor(Tool):
    """The sqlite3 shell running exactly the statements aludel runs, in the same
    transactions: the floor for `upgrade head` and `downgrade base`."""

    key = "floor"
    label = "sqlite3 floor"
    graph = True
    mapping = {"current": "`sqlite3 bench.db < current.sql`",
               "upgrade": "`sqlite3 bench.db < upgrade.sql`", "downgrade": "`sqlite3 bench.db < downgrade.sql`"}
    FORMAT = "floor-v3"  # bump when floor_script() changes, to regenerate the scripts

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
        # The scripts and aludel's database at head depend on the aludel binary too.
        stamp = f"{len(hist.revs)} {self.FORMAT} {self.aludel.fingerprint()}"
        if marker.exists() and marker.read_text() == stamp:
            return
        self.aludel.prepare(hist)
        proj = self.aludel.project(hist)
        (proj / "head.db.template").unlink(missing_ok=True)
        checksums = {r.id: file_checksum(aludel_file(r)) for r in hist.revs}
        create_history = history_table_ddl(head_template(self.aludel, hist, self.opts.timeout))
        # `aludel current`: runner::current_heads, on a connection that creates nothing.
        (p / "current.sql").write_text(VERSION_TABLE_EXISTS + "\n" + READ_VERSIONS + "\n")
        for direction, args in (("upgrade", ["upgrade", "head", "--sql"]),
                                ("downgrade", ["downgrade", f"{hist.head}:base", "--sql"])):
            offline = capture([str(self.aludel.bin), *args], cwd=proj)
            (p / f"{direction}.sql").write_text(floor_script(offline, direction, checksums, create_history))
        marker.write_text(stamp)

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
    per migration) into what aludel runs online (crates/aludel/src/runner/,
    `run_locked`): BEGIN IMMEDIATE, the version-table read, the statements,
    the version change, the history insert, COMMIT — the same statements in the
    same transactions, though aludel sends them in two round trips per
    migration (statements and version change; history insert, COMMIT, the next
    BEGIN IMMEDIATE and version-table read). The
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
            # Offline SQL indents with four spaces, as Alembic prints it; online
            # the DDL has SQLAlchemy's tabs, which sqlite_master keeps.
            cur["create"] = re.sub(r"^    ", "\t", piece, flags=re.M)
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
                            "bench/harness/tools/floor.py's floor_script() is out of step with the runner")
