"""aludel, the tool under test: the release binary bench/run builds, its
configuration, and one SQL revision file per revision."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..commands import Command
from ..histories import HistorySpec, Rev
from ..paths import ROOT
from ..timing import Invocation
from .base import Tool, capture, write_if_changed


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

    def fingerprint(self) -> str:
        """Size and modification time of the binary: what caches depend on."""
        st = self.bin.stat()
        return f"{st.st_size}-{st.st_mtime_ns}"

    def prepare(self, hist: HistorySpec) -> None:
        p = self.project(hist)
        p.mkdir(parents=True, exist_ok=True)
        write_if_changed(p / "aludel.toml", self.config(hist))
        self.write_revisions(hist, p / "migrations" / "versions",
                             lambda r: [(f"{r.id}_rev{r.n}.sql", aludel_file(r))])

    def database_url(self, hist: HistorySpec, port=None) -> str:
        if self.server is None:
            return "sqlite://bench.db"
        scheme = "postgresql" if self.engine == "postgres" else "mysql"
        return self.server.url(self.dbname(hist), scheme, port=port)

    def config(self, hist: HistorySpec, lock_mode: str = "", port=None) -> str:
        """aludel.toml; `lock_mode` left out means aludel's default (session on a server)."""
        text = f'script_location = "migrations"\ndatabase_url = "{self.database_url(hist, port)}"\n'
        return text + (f'lock_mode = "{lock_mode}"\n' if lock_mode else "")

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
