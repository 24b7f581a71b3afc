"""Alembic (with SQLAlchemy) in a virtual environment under bench/.peers/venv:
its installation, the smallest env.py, and one Python revision file per
revision."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..commands import Command
from ..histories import HistorySpec, Rev
from ..paths import PEERS, log
from ..timing import Invocation, Skip
from .base import Tool, capture, write_if_changed


class Alembic(Tool):
    key = "alembic"
    label = "Alembic"
    graph = True
    mapping = {
        "current": "`alembic current`", "heads": "`alembic heads`", "history": "`alembic history`",
        "upgrade": "`alembic upgrade head`", "downgrade": "`alembic downgrade base`",
        "sql": "`alembic upgrade head --sql`",
    }

    venv = PEERS / "venv"

    @property
    def bin(self) -> Path:
        return self.venv / "bin" / "alembic"

    def ensure(self) -> None:
        if self.bin.exists():
            return
        log("installing Alembic and SQLAlchemy from PyPI into bench/.peers/venv")
        try:
            subprocess.run([sys.executable, "-m", "venv", str(self.venv)], check=True)
            subprocess.run([str(self.venv / "bin" / "pip"), "install", "--quiet",
                            "alembic", "sqlalchemy", "psycopg2-binary", "pymysql"], check=True)
        except (subprocess.CalledProcessError, OSError) as e:
            self.skip_reason = f"could not be installed ({e})"

    def version(self) -> str:
        py = str(self.venv / "bin" / "python")
        v = capture([py, "-c",
                     "import alembic, sqlalchemy, sys, sqlite3; print(f'Alembic {alembic.__version__}, "
                     "SQLAlchemy {sqlalchemy.__version__}, CPython {sys.version.split()[0]}, "
                     "SQLite {sqlite3.sqlite_version} (pysqlite)')"])
        if self.server is None:
            return v
        driver = "psycopg2" if self.engine == "postgres" else "pymysql"
        try:
            dv = capture([py, "-c", f"import {driver}; print({driver}.__version__.split()[0])"])
        except Exception:
            self.skip_reason = f"{driver} is not installed in bench/.peers/venv (pip install {driver})"
            return v
        return v.replace(", SQLite", f", {driver} {dv}, SQLite").split(", SQLite")[0]

    def prepare(self, hist: HistorySpec) -> None:
        p = self.project(hist)
        p.mkdir(parents=True, exist_ok=True)
        write_if_changed(p / "alembic.ini", ALEMBIC_INI.format(url=self.sqlalchemy_url(hist)))
        write_if_changed(p / "migrations" / "env.py", ALEMBIC_ENV)
        write_if_changed(p / "migrations" / "script.py.mako", ALEMBIC_MAKO)
        self.write_revisions(hist, p / "migrations" / "versions",
                             lambda r: [(f"{r.id}_rev{r.n}.py", alembic_file(r))])

    def sqlalchemy_url(self, hist: HistorySpec, port=None) -> str:
        if self.server is None:
            return "sqlite:///bench.db"
        scheme = "postgresql+psycopg2" if self.engine == "postgres" else "mysql+pymysql"
        # configparser reads % as interpolation
        return self.server.url(self.dbname(hist), scheme, port=port).replace("%", "%%")

    def invocation(self, cmd: Command, hist: HistorySpec):
        args = {
            "current": ["current"], "heads": ["heads"], "history": ["history"],
            "upgrade": ["upgrade", "head"], "downgrade": ["downgrade", "base"],
            "sql": ["upgrade", "head", "--sql"],
        }.get(cmd.id)
        if args is None:
            return None
        if cmd.id in ("upgrade", "downgrade") and hist.size > self.opts.max_alembic_upgrade:
            return Skip(f"not run above {self.opts.max_alembic_upgrade} revisions (--max-alembic-upgrade)")
        return Invocation([str(self.bin), *args], self.project(hist))


ALEMBIC_INI = """[alembic]
script_location = migrations
sqlalchemy.url = {url}
"""

# The smallest synchronous env.py: no logging configuration, no metadata.
ALEMBIC_ENV = '''from alembic import context
from sqlalchemy import create_engine

url = context.config.get_main_option("sqlalchemy.url")
if context.is_offline_mode():
    context.configure(url=url, literal_binds=True, transaction_per_migration=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(connection=connection, transaction_per_migration=True)
        with context.begin_transaction():
            context.run_migrations()
'''

ALEMBIC_MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}
"""
from alembic import op

revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''


def alembic_file(r: Rev) -> str:
    if not r.parents:
        down = "None"
    elif len(r.parents) == 1:
        down = repr(r.parents[0])
    else:
        down = repr(tuple(r.parents))
    up = "".join(f"    op.execute({s!r})\n" for s in r.up)
    dn = "".join(f"    op.execute({s!r})\n" for s in r.down)
    return (
        f'"""{r.message}\n\nRevision ID: {r.id}\nRevises: {", ".join(r.parents)}\n'
        f'Create Date: 2025-01-01 00:00:00\n"""\nfrom alembic import op\n\n'
        f"revision = {r.id!r}\ndown_revision = {down}\nbranch_labels = None\ndepends_on = None\n\n\n"
        f"def upgrade():\n{up}\n\ndef downgrade():\n{dn}"
    )
