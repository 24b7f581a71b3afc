"""The autogenerate benchmark on the servers (aludel issue 9): `check` on a
large schema (`--autogen-tables`, default 1,000 tables, each with two
indexes, a foreign key to the table before it and a trigger; one revision
creates it all and the database is at head; `head.sql` is the same schema,
so `check` finds no drift and exits 0), on PostgreSQL and on MariaDB, side
by side in one run with Alembic's `alembic check` (SQLAlchemy models of the
same schema) and, on PostgreSQL, migra (`migra --unsafe` between the
database and a second database holding `head.sql`).

The number of round trips `aludel check` makes is counted through the
harness's counting proxy at 10 tables and at the large size: the desired
schema is loaded into a scratch database one statement at a time (a round
trip each), so the report shows the round trips less the statements of
`head.sql`: the catalog queries and the fixed statements, which must not
grow with the table count."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
from pathlib import Path

from . import autogen_schema as S
from .autogen import expect_output, root, timed_rounds
from .machine import loadavg, machine_info
from .paths import PEERS, log
from .proxy import CountingProxy
from .servers import PREFIX, Server
from .timing import CommandFailed, Invocation, run_once
from .tools.alembic import ALEMBIC_MAKO
from .tools.base import fresh_dir

SAME = "No new upgrade operations detected."
MIGRA = PEERS / "migra" / "bin" / "migra"
PG_FUNCTION = ("CREATE FUNCTION touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$\n"
               "BEGIN\n    NEW.updated_at := CURRENT_TIMESTAMP;\n    RETURN NEW;\nEND;\n$$")


def table_sql(key: str, i: int) -> list:
    """Table `tNNNN` on server `key`: columns, a foreign key to the table
    before (the first to itself), an index, a unique index and a trigger."""
    t = S.tname(i)
    parent = S.tname(i - 1) if i > 0 else t
    integer, stamp = ("integer", "timestamp") if key == "postgres" else ("INT", "DATETIME")
    cols = [f"id {integer} NOT NULL PRIMARY KEY", f"parent_id {integer}",
            "name VARCHAR(100) NOT NULL", f"qty {integer} NOT NULL DEFAULT 0", "note TEXT",
            f"created_at {stamp} NOT NULL DEFAULT CURRENT_TIMESTAMP", f"updated_at {stamp}",
            f"CONSTRAINT fk_{t}_parent FOREIGN KEY (parent_id) REFERENCES {parent} (id) ON DELETE CASCADE"]
    out = [f"CREATE TABLE {t} (\n    " + ",\n    ".join(cols) + "\n)",
           f"CREATE INDEX ix_{t}_name ON {t} (name)",
           f"CREATE UNIQUE INDEX ux_{t}_parent_name ON {t} (parent_id, name)"]
    if key == "postgres":
        out.append(f"CREATE TRIGGER trg_{t}_touch BEFORE UPDATE OF name, qty ON {t} "
                   "FOR EACH ROW EXECUTE FUNCTION touch_updated_at()")
    else:
        out.append(f"CREATE TRIGGER trg_{t}_touch BEFORE UPDATE ON {t} "
                   "FOR EACH ROW SET NEW.updated_at = CURRENT_TIMESTAMP")
    return out


def statements(key: str, n: int) -> list:
    first = [PG_FUNCTION] if key == "postgres" else []
    return first + [s for i in range(n) for s in table_sql(key, i)]


def drops(key: str, n: int) -> list:
    out = [f"DROP TABLE {S.tname(i)}" for i in reversed(range(n))]
    return out + (["DROP FUNCTION touch_updated_at()"] if key == "postgres" else [])


def models_py(key: str, n: int) -> str:
    """The same tables as SQLAlchemy Core tables (Alembic compares these)."""
    stamp = "DateTime"
    L = ['"""The benchmark\'s server schema as SQLAlchemy tables (bench/harness/autogen_servers.py)."""',
         "from sqlalchemy import (Column, DateTime, ForeignKey, Index, Integer, MetaData, String, Table,",
         "                        Text, text)", "", "metadata = MetaData()", ""]
    for i in range(n):
        t = S.tname(i)
        parent = S.tname(i - 1) if i > 0 else t
        cols = ['Column("id", Integer, primary_key=True, autoincrement=False)',
                f'Column("parent_id", Integer, ForeignKey("{parent}.id", ondelete="CASCADE", '
                f'name="fk_{t}_parent"))',
                'Column("name", String(100), nullable=False)',
                'Column("qty", Integer, nullable=False, server_default=text("0"))',
                'Column("note", Text)',
                f'Column("created_at", {stamp}, nullable=False, server_default=text("CURRENT_TIMESTAMP"))',
                f'Column("updated_at", {stamp})',
                f'Index("ix_{t}_name", "name")',
                f'Index("ux_{t}_parent_name", "parent_id", "name", unique=True)']
        L.append(f'Table("{t}", metadata,\n      ' + ",\n      ".join(cols) + ")")
    return "\n".join(L) + "\n"


def alembic_url(server: Server, db: str) -> str:
    scheme = "postgresql+psycopg2" if server.key == "postgres" else "mysql+pymysql"
    return server.url(db, scheme=scheme, query="" if server.key == "mysql" else "sslmode=disable")


def prepare(opts, server: Server, n: int, alembic_bin) -> tuple:
    """The project folder and its database at head (made by aludel, untimed);
    for migra, a second database holding head.sql."""
    p = root() / f"servers-{server.key}-{n}"
    fresh_dir(p)
    db = f"{PREFIX}ag_{server.key}_{n}"
    server.recreate(db)
    up = statements(server.key, n)
    (p / "aludel.toml").write_text(f'script_location = "migrations"\ndatabase_url = "{server.url(db)}"\n'
                                   'target_schema = "head.sql"\n')
    (p / "migrations" / "versions").mkdir(parents=True)
    (p / "migrations" / "versions" / f"{S.REV_ID}_schema.sql").write_text(
        S.aludel_revision(S.REV_ID, f"{n} tables", up, drops(server.key, n)))
    (p / "head.sql").write_text(f"-- The benchmark's schema of {n} tables on {server.label}\n\n"
                                + "".join(s + ";\n\n" for s in up))
    log(f"autogen servers: creating the {n}-table database on {server.label} (aludel upgrade head)")
    run_once(Invocation([opts.aludel, "upgrade", "head"], p), max(opts.timeout, 1800))
    tables, _ = server.schema_counts(db)
    if tables != n:
        raise CommandFailed(f"the database at head holds {tables} tables, expected {n}")
    if alembic_bin:
        (p / "models_head.py").write_text(models_py(server.key, n))
        (p / "alembic.ini").write_text(f"[alembic]\nscript_location = alembic\n"
                                       f"sqlalchemy.url = {alembic_url(server, db)}\n")
        (p / "alembic" / "versions").mkdir(parents=True)
        (p / "alembic" / "env.py").write_text(S.ALEMBIC_ENV)
        (p / "alembic" / "script.py.mako").write_text(ALEMBIC_MAKO)
        (p / "alembic" / "versions" / f"{S.REV_ID}_schema.py").write_text(
            S.alembic_revision(S.REV_ID, f"{n} tables", up, drops(server.key, n)))
    target = None
    if server.key == "postgres" and MIGRA.exists():
        target = f"{PREFIX}ag_target_{n}"
        server.recreate(target)
        r = subprocess.run(server.client_argv(target), input=(p / "head.sql").read_text(), text=True,
                           capture_output=True, env={**os.environ, **server.client_env()})
        if r.returncode != 0:
            raise CommandFailed(f"loading head.sql for migra: {r.stderr[-300:]}")
        # The bookkeeping tables too (migra compares everything): as pg_dump
        # prints them from the database at head.
        dump = subprocess.run(["pg_dump", "--schema-only", "-t", "alembic_version", "-t", "aludel_history",
                               "-h", server.host, "-p", str(server.port), "-U", server.user, db],
                              capture_output=True, text=True, env={**os.environ, **server.client_env()})
        r = subprocess.run(server.client_argv(target), input=dump.stdout, text=True, capture_output=True,
                           env={**os.environ, **server.client_env()})
        if dump.returncode != 0 or r.returncode != 0:
            raise CommandFailed(f"copying the bookkeeping tables for migra: {(dump.stderr + r.stderr)[-300:]}")
    return p, db, target


def reason(e: Exception) -> str:
    """The line of a failure that says why (aludel's `FAILED: …`), else its first."""
    lines = str(e).splitlines()
    return next((line for line in lines if "FAILED" in line or "Error" in line), lines[0] if lines else "")


def round_trips(opts, server: Server, p: Path, db: str) -> dict:
    """`aludel check` through the counting proxy: round trips, connections."""
    with CountingProxy(server.host, server.port) as proxy:
        env = {"DATABASE_URL": server.url(db, port=proxy.port)}
        run_once(Invocation([opts.aludel, "check"], p, env=env), opts.timeout)
    return {"turns": proxy.turns, "connections": proxy.connections,
            "statements": len(statements(server.key, int(p.name.rsplit("-", 1)[1])))}


def measure_server(opts, server: Server, n: int, alembic_bin) -> dict:
    cells, trips = [], {}
    small, small_db, _ = prepare(opts, server, 10, None)
    p, db, target = prepare(opts, server, n, alembic_bin)
    for size, folder, name in ((10, small, small_db), (n, p, db)):
        try:
            trips[size] = round_trips(opts, server, folder, name)
        except CommandFailed as e:
            trips[size] = {"failed": reason(e)}
            log(f"  autogen servers {server.key} round trips at {size}: FAILED {e}")
    tools = {"aludel": ([opts.aludel, "check"], 0, SAME)}
    if alembic_bin:
        tools["alembic"] = ([str(alembic_bin), "-x", "models=head", "check"], 0, SAME)
    if target:
        tools["migra"] = ([str(MIGRA), "--unsafe", server.url(db, scheme="postgresql+psycopg2"),
                           server.url(target, scheme="postgresql+psycopg2")], 0, "")
    states = {}
    for tool, (argv, code, says) in tools.items():
        inv = Invocation(argv, p, ok_codes=(code,))
        try:
            warm, _ = run_once(inv, opts.timeout)
            expect_output(argv, p, code, says, opts.timeout)
        except CommandFailed as e:
            log(f"  autogen servers {server.key} {tool}: FAILED {e}")
            cells.append({"part": server.key, "row": "check", "tool": tool, "status": "failed",
                          "reason": reason(e)})
            continue
        runs = opts.runs if warm < opts.slow_after else opts.slow_runs
        states[tool] = {"inv": inv, "runs": runs, "times": [], "peaks": []}
    cells += timed_rounds(opts, server.key, "check", states)
    return {"label": server.label, "version": server.version(), "cells": cells, "round_trips": trips}


def run_autogen_servers(opts, servers: dict, alembic, versions: dict) -> dict:
    """Both servers' part; returns the `autogen_servers` entry of results.json."""
    n = 200 if opts.quick else opts.autogen_tables
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = loadavg()
    alembic_bin = alembic.bin if alembic is not None and not alembic.skip_reason else None
    out = {}
    for key, server in servers.items():
        try:
            out[key] = measure_server(opts, server, n, alembic_bin)
        except CommandFailed as e:
            log(f"autogen servers {key}: FAILED {e}")
            out[key] = {"label": server.label, "failed": reason(e), "cells": [],
                        "round_trips": {}}
        finally:
            server.cleanup()
        if not opts.keep:
            shutil.rmtree(root(), ignore_errors=True)
    migra = "not installed"
    if MIGRA.exists():
        r = subprocess.run([str(PEERS / "migra" / "bin" / "pip"), "show", "migra"], capture_output=True,
                           text=True)
        migra = next((f"migra {line.split()[1]}" for line in r.stdout.splitlines()
                      if line.startswith("Version:")), "migra")
    return {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "loads": [load_before, loadavg()], "machine": machine_info(), "versions": versions,
        "migra": migra, "tables": n, "servers": out, "runs": opts.runs, "slow_runs": opts.slow_runs,
    }
