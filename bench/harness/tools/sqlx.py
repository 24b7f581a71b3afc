"""sqlx-cli, installed with `cargo install` under bench/.peers/cargo: linear
histories only, as pairs of .up.sql/.down.sql files."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ..commands import Command
from ..histories import HistorySpec
from ..paths import PEERS, log
from ..timing import Invocation, Skip
from .base import Tool, capture


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
        base = ["cargo", "install", "sqlx-cli", "--no-default-features", "--features", "sqlite,postgres,mysql",
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
        self.write_revisions(hist, self.project(hist) / "migrations", lambda r: [
            (f"{r.n}_rev{r.n}.up.sql", "".join(s + ";\n" for s in r.up)),
            (f"{r.n}_rev{r.n}.down.sql", "".join(s + ";\n" for s in r.down)),
        ])

    def database_url(self, hist: HistorySpec, port=None) -> str:
        if self.server is None:
            return "sqlite://bench.db?mode=rwc"
        return self.server.url(self.dbname(hist), port=port)

    def invocation(self, cmd: Command, hist: HistorySpec):
        if hist.shape != "linear":
            return None
        url = ["--source", "migrations", "--database-url", self.database_url(hist)]
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
