"""What every tool is: installation, version, the project folder it gets for a
history, and the Invocation (or Skip, or None) it runs for each command; plus
the small file and process helpers the tools share."""

from __future__ import annotations

import argparse
import shutil
import subprocess
from pathlib import Path
from typing import Optional

from ..commands import COMMAND_BY_ID, Command
from ..histories import HistorySpec
from ..paths import DATA
from ..timing import Invocation


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
        return DATA["root"] / DATA["engine"] / hist.name / self.key

    @property
    def engine(self) -> str:
        """The engine being measured: sqlite, postgres or mysql."""
        return DATA["engine"]

    @property
    def server(self):
        """The harness.servers.Server being measured, None on SQLite."""
        return DATA["server"]

    def dbname(self, hist: HistorySpec) -> str:
        """On a server: this tool's scratch database (one per tool, so that the
        tools can take turns run by run)."""
        return f"aludel_bench_{self.key}"

    def prepare(self, hist: HistorySpec) -> None:
        raise NotImplementedError

    def write_revisions(self, hist: HistorySpec, folder: Path, files) -> None:
        """Writes the history's revision files into `folder` (emptied first),
        unless they were written for this history already; `files(rev)` gives
        the (file name, text) pairs of one revision."""
        marker = self.project(hist) / ".generated"
        if marker.exists() and marker.read_text() == str(len(hist.revs)):
            return
        fresh_dir(folder)
        for r in hist.revs:
            for name, text in files(r):
                (folder / name).write_text(text)
        marker.write_text(str(len(hist.revs)))

    def db(self, hist: HistorySpec) -> Path:
        """The SQLite database file (SQLite only; see dbname for servers)."""
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
