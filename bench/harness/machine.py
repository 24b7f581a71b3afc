"""What the report says about where it ran: CPU, cores, RAM, OS, rustc, the
SQLite aludel bundles, the load average and the file system."""

from __future__ import annotations

import os
import platform
import re
from pathlib import Path

from .paths import ROOT
from .tools.base import capture


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


def fs_type(path: Path) -> str:
    try:
        t = capture(["stat", "-f", "-c", "%T", str(path)])
        return "ext4 (or ext2/3)" if t == "ext2/ext3" else t
    except Exception:
        return "?"
