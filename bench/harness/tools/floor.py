"""The floor: the engine's own command-line client (the sqlite3 shell, `psql`,
`mariadb`) running exactly the statements aludel runs, in the same
transactions.  Its scripts are built from aludel's `--sql` output plus what
aludel's runner and driver add online, and checked against a database aludel
migrated."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import zlib
from pathlib import Path

from ..commands import Command
from ..dbstate import head_template, server_head
from ..histories import HistorySpec
from ..timing import CommandFailed, Invocation
from .aludel import Aludel, aludel_file, file_checksum
from .base import Tool, capture


CLIENT = {"sqlite": "sqlite3", "postgres": "psql", "mysql": "mariadb"}


class Floor(Tool):
    """The engine's client running exactly the statements aludel runs, in the
    same transactions: the floor for `upgrade head` and `downgrade base`."""

    key = "floor"
    label = "floor"
    graph = True
    FORMAT = "floor-v4"  # bump when floor_script() changes, to regenerate the scripts

    def __init__(self, opts, aludel: Aludel):
        super().__init__(opts)
        self.aludel = aludel

    @property
    def mapping(self) -> dict:
        c = {"sqlite": "sqlite3 bench.db", "postgres": "psql", "mysql": "mariadb"}[self.engine]
        return {x: f"`{c} < {x}.sql`" for x in ("current", "upgrade", "downgrade")}

    def ensure(self) -> None:
        if self.server is not None and not self.server.client:
            self.skip_reason = f"no {CLIENT[self.engine]} client on PATH"
        elif self.server is None and not shutil.which("sqlite3"):
            self.skip_reason = "no sqlite3 shell on PATH (apt-get install sqlite3)"
        elif self.aludel.skip_reason:
            self.skip_reason = "needs aludel to write its scripts"

    def version(self) -> str:
        if self.server is not None:
            return capture([self.server.client, "--version"]).replace(" for debian-linux-gnu", "")
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
        checksums = {r.id: file_checksum(aludel_file(r)) for r in hist.revs}
        if self.server is None:
            (proj / "head.db.template").unlink(missing_ok=True)
            create_history = history_table_ddl(head_template(self.aludel, hist, self.opts.timeout))
        else:
            create_history = self.server.history_table_ddl(server_head(self.aludel, hist, self.opts.timeout))
        sql = ENGINE_SQL[self.engine]
        # `aludel current`: runner::current_heads, on a connection that creates nothing.
        (p / "current.sql").write_text(sql["exists"] + "\n" + sql["read"] + "\n")
        for direction, args in (("upgrade", ["upgrade", "head", "--sql"]),
                                ("downgrade", ["downgrade", f"{hist.head}:base", "--sql"])):
            offline = capture([str(self.aludel.bin), *args], cwd=proj)
            script = floor_script(offline, direction, checksums, create_history, self.engine,
                                  self.aludel.dbname(hist))
            (p / f"{direction}.sql").write_text(script)
        marker.write_text(stamp)

    def invocation(self, cmd: Command, hist: HistorySpec):
        if cmd.id not in ("current", "upgrade", "downgrade"):
            return None
        p = self.project(hist)
        if self.server is None:
            return Invocation(["sqlite3", "bench.db"], p, stdin=p / f"{cmd.id}.sql")
        return Invocation(self.server.client_argv(self.dbname(hist)), p, env=self.server.client_env(),
                          stdin=p / f"{cmd.id}.sql")


# What crates/aludel/src/runner.rs and dialect.rs execute around each migration
# besides the statements `--sql` prints.  `verify_floor` checks the result
# against a database aludel migrated, so a drift in aludel shows up as a failure.
VERSION_TABLE_EXISTS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version';"
READ_VERSIONS = "SELECT version_num FROM alembic_version;"
# Per engine: how a migration's transaction starts, the version table's
# existence check and read, and what a run does before its first transaction
# and after its last (the migration lock of lock_mode = "session", aludel's
# default on a server: driver/postgres `pg_try_advisory_lock` and its check
# in pg_locks; driver/mysql `GET_LOCK` and `autocommit = 0`, where the read of
# the version table opens the next transaction). {key} is the lock's key or
# name (the floor takes its own: the cost is the same).
ENGINE_SQL = {
    "sqlite": {"begin": "BEGIN IMMEDIATE;", "exists": VERSION_TABLE_EXISTS, "read": READ_VERSIONS,
               "before": [], "after": []},
    "postgres": {
        "begin": "BEGIN;",
        "exists": "SELECT c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                  "ON n.oid = c.relnamespace WHERE c.relname = 'alembic_version' "
                  "AND n.nspname = current_schema() AND c.relkind IN ('r', 'p');",
        "read": READ_VERSIONS,
        "before": ["SELECT pg_try_advisory_lock({key})::text;",
                   "SELECT count(*) FROM pg_locks l WHERE l.pid = pg_backend_pid() "
                   "AND l.locktype = 'advisory' AND l.objid = {key};"],
        "after": ["SELECT pg_advisory_unlock({key})::text;"],
    },
    "mysql": {
        "begin": "",
        "exists": "SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                  "AND TABLE_NAME = 'alembic_version';",
        "read": READ_VERSIONS,
        "before": ["SELECT GET_LOCK('aludel:{key}', 0);", "SET SESSION autocommit = 0;"],
        "after": ["SELECT RELEASE_LOCK('aludel:{key}');"],
    },
}


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


def floor_script(offline: str, direction: str, checksums: dict, create_history: str,
                 engine: str = "sqlite", lock_key: str = "") -> str:
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
    sql = ENGINE_SQL[engine]
    key = str(zlib.crc32(lock_key.encode())) if engine == "postgres" else f"{lock_key}.alembic_version"
    out = [s.format(key=key) for s in sql["before"]]
    for i, b in enumerate(blocks):
        # The revision the step records: the one whose table (tN) it creates or drops.
        m = re.search(r"\b(?:ix_)?t(\d+)(?:_name)?\b", b["stmts"][0] if b["stmts"] else "")
        if not m:
            raise ValueError(f"cannot tell the revision of the transaction {b['log']!r}")
        rev = f"{int(m.group(1)):013d}"
        if sql["begin"]:
            out.append(sql["begin"])
        if i == 0:
            # runner::ensure_tables
            out.append(sql["exists"])
            if b["create"]:
                out.append(b["create"])
            out.append(create_history)
        # The version-table read after taking the write lock (read_versions).
        out.append(sql["read"])
        out.extend(b["stmts"])
        out.extend(b["ops"])
        out.append(
            "INSERT INTO aludel_history (revision, direction, applied_at, duration_ms, checksum, applied_by) "
            f"VALUES ('{rev}', '{direction}', '2025-01-01T00:00:00.000Z', 0, '{checksums[rev]}', '{who}');")
        out.append("COMMIT;")
    out += [s.format(key=key) for s in sql["after"]]
    return "\n".join(out) + "\n"


def verify_floor(floor: Floor, hist: HistorySpec, timeout: float) -> None:
    """The floor's database must match aludel's: same schema, same version row,
    same history rows (on a server: the same tables and indexes, version rows
    and history rows)."""
    if floor.server is not None:
        got = floor.server.snapshot(floor.dbname(hist))
        want = floor.server.snapshot(server_head(floor.aludel, hist, timeout))
        if got != want:
            raise CommandFailed(f"the {CLIENT[floor.engine]} floor script does not leave the database "
                                "aludel leaves; bench/harness/tools/floor.py's floor_script() is out of "
                                "step with the runner")
        return
    floor_db, aludel_db = floor.db(hist), head_template(floor.aludel, hist, timeout)

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
