"""The database a command starts from and the check of what it leaves. SQLite:
no file, or a copy of one the same tool brought to head, kept as a template.
A server: a fresh database (DROP and CREATE DATABASE), or the tool's own
database brought to head by the tool and kept while nothing changes it."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from .commands import Command
from .histories import HistorySpec
from .paths import log
from .timing import CommandFailed, Invocation, run_once

if TYPE_CHECKING:
    from .tools.base import Tool


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


# On a server: the (engine, database name) pairs known to be at the head of a
# history (by the history's name), so reading commands do not upgrade again every cell.
AT_HEAD: dict = {}


def check_state(tool: Tool, hist: HistorySpec, want: str) -> None:
    n = len(hist.revs) if want == "at-head" else 0
    if tool.server is not None:
        got = tool.server.schema_counts(tool.dbname(hist))
    else:
        got = schema_counts(tool.db(hist)) if tool.db(hist).exists() else (0, 0)
    if got != (n, n):
        raise CommandFailed(f"expected {n} tables and {n} indexes after the command, found {got}")
    if tool.server is not None and want == "at-head":
        AT_HEAD[(tool.engine, tool.dbname(hist))] = hist.name


def server_head(tool: Tool, hist: HistorySpec, timeout: float) -> str:
    """The tool's server database, brought to head by the tool itself unless it
    is known to be there; returns its name."""
    db = tool.dbname(hist)
    if AT_HEAD.get((tool.engine, db)) == hist.name:
        return db
    tool.server.recreate(db)
    log(f"  {tool.key}: making a database at head")
    run_once(tool.upgrade_invocation(hist), timeout)
    AT_HEAD[(tool.engine, db)] = hist.name
    return db


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
    if tool.server is not None:
        if cmd.state == "empty":
            AT_HEAD.pop((tool.engine, tool.dbname(hist)), None)
            tool.server.recreate(tool.dbname(hist))
        else:
            server_head(tool, hist, timeout)
        return
    db = tool.db(hist)
    if cmd.state == "empty":
        remove_db(db)
    else:
        tpl = head_template(tool, hist, timeout)
        remove_db(db)
        shutil.copyfile(tpl, db)
