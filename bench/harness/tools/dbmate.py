"""dbmate, installed from npm under bench/.peers/npm and called as the native
binary the package ships (no Node launcher): linear histories only, one file
per migration."""

from __future__ import annotations

import platform
import subprocess
from pathlib import Path

from ..commands import Command
from ..histories import HistorySpec
from ..paths import PEERS, log
from ..timing import Invocation, Skip
from .base import Tool, capture


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
        self.write_revisions(hist, self.project(hist) / "db" / "migrations", lambda r: [(
            f"{r.n:014d}_rev{r.n}.sql",
            "-- migrate:up\n" + "".join(s + ";\n" for s in r.up)
            + "\n-- migrate:down\n" + "".join(s + ";\n" for s in r.down),
        )])

    def database_url(self, hist: HistorySpec, port=None) -> str:
        if self.server is None:
            return "sqlite:bench.db"
        if self.engine == "postgres":
            return self.server.url(self.dbname(hist), "postgres", port=port)
        return self.server.url(self.dbname(hist), "mysql", port=port)

    def invocation(self, cmd: Command, hist: HistorySpec):
        if hist.shape != "linear":
            return None
        base = [str(self.bin), "--url", self.database_url(hist), "--no-dump-schema"]
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
