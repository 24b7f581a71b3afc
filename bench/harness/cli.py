"""The command line: the options, what --quick changes, which tools, commands
and storages to run, and `main`, which runs the benchmarks or only rewrites the
report from the stored results."""

from __future__ import annotations

import argparse
import signal
from pathlib import Path

from . import __doc__ as OVERVIEW
from .autogen import QUICK_ROWS, QUICK_TABLES, run_autogen
from .autogen_peers import try_peers
from .autogen_servers import run_autogen_servers
from .commands import COMMAND_BY_ID, COMMANDS
from .paths import DOC, RESULTS, ROOT, SERVER_ENGINES, WORK, log
from .report import write_report
from .results import load_results, save_results
from .runner import run_storages
from .servers import DEFAULT_URLS, make_servers
from .timing import METHOD, ensure_spawn
from .tools import Alembic, install_tools, make_tools


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=OVERVIEW.split("\n\n")[0])
    ap.add_argument("--sizes", default="100,1000,10000", help="linear chain lengths (default 100,1000,10000)")
    ap.add_argument("--branchy-sizes", default="1000",
                    help="sizes of the branchy history, aludel and Alembic only (default 1000; '' for none)")
    ap.add_argument("--runs", type=int, default=10, help="timed runs per cell after the warm-up (default 10)")
    ap.add_argument("--slow-runs", type=int, default=3,
                    help="timed runs for a cell whose warm-up took longer than --slow-after (default 3)")
    ap.add_argument("--slow-after", type=float, default=5.0, help="seconds (default 5)")
    ap.add_argument("--only", default="", help="comma-separated tools: aludel,alembic,sqlx,dbmate,floor")
    ap.add_argument("--commands", default="", help="comma-separated commands: " + ",".join(COMMAND_BY_ID))
    ap.add_argument("--quick", action="store_true",
                    help="sizes 100,1000 (disk: 100), branchy 100, 3 runs (1 for slow cells): a few minutes")
    ap.add_argument("--max-alembic-upgrade", type=int, default=1000,
                    help="largest history Alembic upgrades/downgrades (default 1000)")
    ap.add_argument("--max-one-by-one", type=int, default=1000,
                    help="largest history undone by one call per migration (default 1000)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds for one invocation (default 1800)")
    ap.add_argument("--storage", default="tmpfs,disk",
                    help="where the databases live: tmpfs (no fsync: the tools' own cost), disk "
                         "(bench/.work, with fsync); default both")
    ap.add_argument("--disk-sizes", default="1000",
                    help="linear sizes measured on disk, upgrade/downgrade only (default 1000)")
    ap.add_argument("--fresh", action="store_true", help="forget earlier results instead of updating them")
    ap.add_argument("--keep", action="store_true", help="keep the tmpfs folder after the run")
    ap.add_argument("--engines", default="sqlite,postgres,mysql",
                    help="comma-separated engines: sqlite (on --storage), postgres, mysql (MariaDB or MySQL); "
                         "default all three")
    ap.add_argument("--server-sizes", default="1000",
                    help="linear sizes measured on the servers: upgrade, current, heads (default 1000)")
    ap.add_argument("--postgres-url", default=DEFAULT_URLS["postgres"],
                    help="PostgreSQL server (default $ALUDEL_TEST_POSTGRES_URL, else "
                         "postgres://postgres@127.0.0.1:5432/postgres); scratch databases aludel_bench_* "
                         "are created and dropped on it")
    ap.add_argument("--mysql-url", default=DEFAULT_URLS["mysql"],
                    help="MariaDB/MySQL server (default $ALUDEL_TEST_MYSQL_URL, else mysql://root@127.0.0.1:3306/mysql)")
    ap.add_argument("--extras", default="locks,tls,round-trips",
                    help="server measurements besides the time table: locks (8 concurrent upgrades, the "
                         "lock's added cost), tls (PostgreSQL: `current` with and without TLS), "
                         "round-trips (through a counting proxy); '' for none")
    ap.add_argument("--lock-runs", type=int, default=5, help="runs of 8 concurrent upgrades (default 5)")
    ap.add_argument("--overhead-runs", type=int, default=20,
                    help="runs of the no-op upgrade with lock_mode session and none, in turns (default 20)")
    ap.add_argument("--autogen", action="store_true",
                    help="only the autogenerate benchmarks (check, revision --autogenerate, a table rebuild; "
                         "a full run includes them)")
    ap.add_argument("--autogen-servers", action="store_true",
                    help="only `check` on a large schema on PostgreSQL and MariaDB, against Alembic and "
                         "migra (issue 9; --autogen-tables sets the size)")
    ap.add_argument("--no-autogen", action="store_true", help="leave the autogenerate benchmarks out of a full run")
    ap.add_argument("--autogen-tables", type=int, default=1000,
                    help=f"tables of the autogenerate schema (default 1000; --quick: {QUICK_TABLES})")
    ap.add_argument("--autogen-rows", type=int, default=1_000_000,
                    help=f"rows of the rebuilt table (default 1000000; --quick: {QUICK_ROWS}; 0: no rebuild)")
    ap.add_argument("--aludel", default=str(ROOT / "target" / "release" / "aludel"), help="aludel binary")
    ap.add_argument("--no-install", action="store_true", help="skip peers that are not installed yet")
    ap.add_argument("--report-only", action="store_true",
                    help="rewrite docs/benchmarks.md from bench/.work/results.json")
    ap.add_argument("--out", default=str(DOC), help="report to write (default docs/benchmarks.md)")
    return ap


def stop(signum, frame) -> None:
    """SIGTERM ends the run through the same `finally` blocks as an error, so
    the servers' scratch databases are dropped."""
    raise SystemExit(128 + signum)


def autogen_servers_only(opts, tools: list) -> int:
    """`--autogen-servers`: aludel and Alembic (and migra) on both servers."""
    tools = [t for t in tools if t.key in ("aludel", "alembic")]
    servers = make_servers(["postgres", "mysql"], {"postgres": opts.postgres_url, "mysql": opts.mysql_url})
    for key, server in list(servers.items()):
        why = server.available()
        if why:
            log(f"skipping {server.label}: {why}")
            del servers[key]
    versions, _ = install_tools(tools, opts)
    alembic = next((t for t in tools if isinstance(t, Alembic) and not t.skip_reason), None)
    results = {"storages": {}, "cells": []} if opts.fresh or not RESULTS.exists() else load_results()
    results["autogen_servers"] = run_autogen_servers(opts, servers, alembic, versions)
    save_results(results)
    write_report(results, Path(opts.out))
    return 0


def main() -> int:
    # A run started in the background of a script ignores SIGINT; take both back.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, stop)
    ap = parser()
    opts = ap.parse_args()
    if opts.quick:
        opts.sizes = "100,1000"
        opts.branchy_sizes = "100"
        opts.disk_sizes = "100"
        opts.runs = min(opts.runs, 3)
        opts.slow_runs = 1
        opts.max_one_by_one = min(opts.max_one_by_one, 100)
        opts.server_sizes = "100"
        opts.lock_runs = min(opts.lock_runs, 2)
        opts.overhead_runs = min(opts.overhead_runs, 5)

    if opts.report_only:
        write_report(load_results(), Path(opts.out))
        return 0

    WORK.mkdir(parents=True, exist_ok=True)
    METHOD["how"] = ensure_spawn()
    tools = make_tools(opts)
    if opts.autogen_servers:
        return autogen_servers_only(opts, tools)
    if opts.autogen:  # aludel and Alembic only; the other peers have no autogenerate
        tools = [t for t in tools if t.key in ("aludel", "alembic")]
        opts.engines = "sqlite"
    if opts.only:
        wanted = set(opts.only.split(","))
        unknown = wanted - {t.key for t in tools}
        if unknown:
            ap.error(f"unknown tools: {', '.join(sorted(unknown))}")
        tools = [t for t in tools if t.key in wanted]
    commands = COMMANDS
    if opts.commands:
        unknown = set(opts.commands.split(",")) - set(COMMAND_BY_ID)
        if unknown:
            ap.error(f"unknown commands: {', '.join(sorted(unknown))}")
        commands = [COMMAND_BY_ID[c] for c in opts.commands.split(",")]
    engines = [x for x in opts.engines.split(",") if x]
    if set(engines) - {"sqlite", *SERVER_ENGINES}:
        ap.error("--engines takes sqlite, postgres, mysql")
    storages = [x for x in opts.storage.split(",") if x] if "sqlite" in engines else []
    if set(storages) - {"tmpfs", "disk"}:
        ap.error("--storage takes tmpfs, disk")
    servers = make_servers(engines, {"postgres": opts.postgres_url, "mysql": opts.mysql_url})
    for key, server in list(servers.items()):
        why = server.available()
        if why:
            log(f"skipping {server.label}: {why}")
            del servers[key]
    storages += list(servers)

    versions, skipped = install_tools(tools, opts)
    active = [t for t in tools if not t.skip_reason]

    results = {} if opts.fresh or not RESULTS.exists() else load_results()
    if "storages" not in results:
        results = {"storages": {}, "cells": []}
    if not opts.autogen:
        results = run_storages(opts, active, commands, storages, versions, skipped, results, servers)
    full = "sqlite" in engines and not (opts.only or opts.commands or opts.no_autogen)
    if opts.autogen or full:
        alembic = next((t for t in tools if isinstance(t, Alembic) and not t.skip_reason), None)
        results["autogen"] = run_autogen(opts, alembic, try_peers(),
                                         {k: v for k, v in versions.items() if k in ("aludel", "alembic")})
        save_results(results)
        write_report(results, Path(opts.out))
    log(f"wrote {Path(opts.out).relative_to(ROOT) if Path(opts.out).is_relative_to(ROOT) else opts.out}")
    return 0
