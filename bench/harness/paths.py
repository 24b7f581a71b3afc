"""Where the harness keeps its files, which storage is being measured, and the
progress log on stderr."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent.parent
BENCH = ROOT / "bench"
WORK = BENCH / ".work"
PEERS = BENCH / ".peers"
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = WORK / "results.json"
# Where histories and databases live for the storage being measured: "disk" is
# bench/.work/, "tmpfs" a folder in /dev/shm (no fsync cost).
# "engine" is the database engine being measured (sqlite, postgres, mysql);
# "server" its harness.servers.Server (None for SQLite).
DATA = {"root": WORK, "storage": "disk", "engine": "sqlite", "server": None}
# SQLite runs on two storages; a server is a "storage" of its own in the results.
STORAGES = ("tmpfs", "disk", "postgres", "mysql")
SERVER_ENGINES = ("postgres", "mysql")


def storage_root(storage: str) -> Optional[Path]:
    if storage == "disk":
        return WORK
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return shm / f"aludel-bench-{os.getuid()}"
    return None


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)
