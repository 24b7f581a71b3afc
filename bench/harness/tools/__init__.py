"""The tools compared, one module each: aludel, Alembic, sqlx-cli, dbmate and
the sqlite3 floor.  `make_tools` builds them in the order they are measured
(aludel first: the floor's scripts come from it and are checked against it);
`install_tools` installs the missing peers and collects their versions."""

from __future__ import annotations

import argparse

from ..paths import log
from .alembic import Alembic
from .aludel import Aludel
from .base import Tool
from .dbmate import Dbmate
from .floor import Floor
from .sqlx import SqlxCli

__all__ = ["Alembic", "Aludel", "Dbmate", "Floor", "SqlxCli", "Tool", "install_tools", "make_tools"]


def make_tools(opts: argparse.Namespace) -> list:
    aludel = Aludel(opts)
    return [aludel, Alembic(opts), SqlxCli(opts), Dbmate(opts), Floor(opts, aludel)]


def install_tools(tools: list, opts: argparse.Namespace) -> tuple:
    """Installs the missing peers (unless --no-install) and asks every tool its
    version; returns (versions, skipped), each by tool key.  A tool that cannot
    be installed gets a skip_reason."""
    versions, skipped = {}, {}
    for t in tools:
        if opts.no_install and t.key in ("alembic", "sqlx", "dbmate") and not t.bin.exists():
            t.skip_reason = "not installed (--no-install)"
        else:
            t.ensure()
        if t.skip_reason:
            log(f"skipping {t.label}: {t.skip_reason}")
            skipped[t.key] = t.skip_reason
            continue
        versions[t.key] = t.version()
        if t.key == "sqlx" and t.revert_all_flag():
            t.mapping = {**t.mapping, "downgrade": "`sqlx migrate revert --target-version 0`"}
        elif t.key == "sqlx":
            t.mapping = {**t.mapping, "downgrade": "`sqlx migrate revert` × N"}
    return versions, skipped
