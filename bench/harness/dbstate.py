"""The database a command starts from (none, or a copy of one the same tool
brought to head, kept as a template) and the check of what it leaves."""

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


def check_state(path: Path, want: str, hist: HistorySpec) -> None:
    n = len(hist.revs) if want == "at-head" else 0
    got = schema_counts(path) if path.exists() else (0, 0)
    if got != (n, n):
        raise CommandFailed(f"expected {n} tables and {n} indexes after the command, found {got}")


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
