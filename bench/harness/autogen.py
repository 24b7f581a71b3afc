"""The autogenerate benchmarks (aludel issue 8), side by side in one run:

- on a large schema (`--autogen-tables`, default 1,000 tables with indexes, a
  foreign key and a trigger each, created by one revision, the database at
  head): `aludel check` without drift (exit 0) and with drift (exit 1), and
  `aludel revision --autogenerate` towards a `schema.sql` with a few changes;
  against Alembic's `alembic check` and `alembic revision --autogenerate` on
  the same database, with SQLAlchemy models generated from the same schema;
- a table rebuild (`--autogen-rows`, default 1,000,000 rows; a NOT NULL
  relaxed): `aludel upgrade head` running the revision autogenerate wrote,
  against the sqlite3 shell running the same SQL (`upgrade --sql`) and a plain
  `INSERT INTO new SELECT * FROM old` of the same rows;
- Atlas and sqldef, when they can be installed (see `peers`).

Every timed command is a new process after an untimed warm-up, the tools
taking turns run by run, as in the rest of the harness."""

from __future__ import annotations

import datetime
import re
import shutil
import sqlite3
import statistics
import subprocess
import time
from pathlib import Path

from . import autogen_schema as S
from .fmt import fmt_time
from .machine import loadavg, machine_info
from .paths import ROOT, WORK, log, storage_root
from .runner import quantile
from .timing import LAST, METHOD, CommandFailed, Invocation, run_once
from .tools.alembic import ALEMBIC_MAKO
from .tools.base import capture, fresh_dir, write_if_changed

QUICK_TABLES, QUICK_ROWS = 200, 100_000


def root() -> Path:
    """tmpfs when there is one (the tools' own cost, no fsync), else bench/.work."""
    r = storage_root("tmpfs") or WORK
    return r / "autogen"


# The large schema -----------------------------------------------------------

def prepare_large(opts, n: int, alembic_ok: bool) -> Path:
    """The project of the large schema: both tools' files, and the database at
    head (made by aludel, untimed), kept as a template."""
    p = root() / f"large-{n}"
    marker = p / ".generated"
    stamp = f"{n} v1 {Path(opts.aludel).stat().st_mtime_ns}"
    if marker.exists() and marker.read_text() == stamp and (p / "head.db.template").exists():
        return p
    fresh_dir(p)
    up, down = S.schema_statements(n, False), S.drops(n)
    base = 'script_location = "migrations"\ndatabase_url = "sqlite://bench.db"\n'
    (p / "aludel.toml").write_text(base + 'target_schema = "schema.sql"\n')
    (p / "check.toml").write_text(base + 'target_schema = "head.sql"\n')
    (p / "migrations" / "versions").mkdir(parents=True)
    (p / "migrations" / "versions" / f"{S.REV_ID}_schema.sql").write_text(
        S.aludel_revision(S.REV_ID, f"{n} tables", up, down))
    (p / "head.sql").write_text(S.schema_file(n, False))
    (p / "schema.sql").write_text(S.schema_file(n, True))
    (p / "models_head.py").write_text(S.models_py(n, False))
    (p / "models_changed.py").write_text(S.models_py(n, True))
    (p / "alembic.ini").write_text(S.ALEMBIC_INI)
    (p / "alembic" / "versions").mkdir(parents=True)
    (p / "alembic" / "env.py").write_text(S.ALEMBIC_ENV)
    (p / "alembic" / "script.py.mako").write_text(ALEMBIC_MAKO)
    (p / "alembic" / "versions" / f"{S.REV_ID}_schema.py").write_text(
        S.alembic_revision(S.REV_ID, f"{n} tables", up, down))
    log(f"autogen: creating the {n}-table database (aludel upgrade head)")
    run_once(Invocation([opts.aludel, "upgrade", "head"], p), opts.timeout)
    counts = object_counts(p / "bench.db")
    if counts != {"table": n, "index": 2 * n, "trigger": n}:
        raise CommandFailed(f"the database at head holds {counts}, expected {n} tables, {2 * n} "
                            f"indexes and {n} triggers")
    shutil.copyfile(p / "bench.db", p / "head.db.template")
    marker.write_text(stamp)
    return p


def object_counts(db: Path) -> dict:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT type, count(*) FROM sqlite_master WHERE name GLOB '*t[0-9][0-9][0-9][0-9]*' "
                           "GROUP BY type").fetchall()
    finally:
        con.close()
    return dict(rows)


def expect_output(argv: list, cwd: Path, code: int, says: str, timeout: float, stdin=None) -> None:
    """Runs the command once more (untimed) and checks its exit status and
    that its output says `says`: an error must not pass for a drift."""
    with open(stdin or "/dev/null", "rb") as f:
        r = subprocess.run(argv, cwd=cwd, stdin=f, capture_output=True, timeout=timeout)
    r.stdout, r.stderr = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
    if r.returncode != code or says not in r.stdout + r.stderr:
        raise CommandFailed(f"exit {r.returncode} (expected {code}) without {says!r}: "
                            + (r.stderr or r.stdout)[-300:])


def new_files(folder: Path, before: set) -> list:
    return sorted(f for f in folder.iterdir() if f.is_file() and f.name not in before)


def large_cells(opts, p: Path, n: int, alembic_bin, peers: dict) -> dict:
    """What each tool runs on the large schema, by row: (argv, folder of
    generated files, expected exit, text its output must contain[, stdin])."""
    a = opts.aludel
    same = "No new upgrade operations detected."
    drift = "New upgrade operations detected"
    rows = {
        "check": {"aludel": ([a, "-c", "check.toml", "check"], None, 0, same)},
        "check-drift": {"aludel": ([a, "check"], None, 1, drift)},
        "autogenerate": {"aludel": ([a, "revision", "--autogenerate", "-m", "changes"],
                                    p / "migrations" / "versions", 0, "Generating")},
    }
    if alembic_bin:
        al = str(alembic_bin)
        rows["check"]["alembic"] = ([al, "-x", "models=head", "check"], None, 0, same)
        # Alembic's check exits 255 on drift (its util.err exits with -1).
        rows["check-drift"]["alembic"] = ([al, "-x", "models=changed", "check"], None, 255, drift)
        rows["autogenerate"]["alembic"] = ([al, "-x", "models=changed", "revision", "--autogenerate",
                                            "-m", "changes"], p / "alembic" / "versions", 0, "Generating")
    for key, peer in peers.items():
        if "argv" in peer:
            rows["autogenerate"][key] = (peer["argv"], None, 0, S.tname(n))
    # The floor of the desired side: the sqlite3 shell only loading the DDL
    # into an in-memory database, as autogenerate's scratch database does.
    if shutil.which("sqlite3"):
        rows["check"]["floor"] = (["sqlite3", ":memory:"], None, 0, "", p / "head.sql")
        rows["check-drift"]["floor"] = (["sqlite3", ":memory:"], None, 0, "", p / "schema.sql")
        rows["autogenerate"]["floor"] = (["sqlite3", ":memory:"], None, 0, "", p / "schema.sql")
    return rows


def verify_generated(opts, p: Path, n: int, tool: str, files: list) -> None:
    """After the warm-up: one file was written and it has the changes; for
    aludel, applying it to a copy of the database leaves no drift."""
    if len(files) != 1:
        raise CommandFailed(f"{tool} wrote {len(files)} revision files, expected 1")
    text = files[0].read_text()
    new_table = S.tname(n)
    if new_table not in text:
        raise CommandFailed(f"{tool}'s generated revision does not create {new_table}")
    if tool != "aludel":
        return
    work = p / "verify"
    fresh_dir(work)
    shutil.copytree(p / "migrations", work / "migrations")
    for f in ("aludel.toml", "schema.sql"):
        shutil.copyfile(p / f, work / f)
    shutil.copyfile(p / "head.db.template", work / "bench.db")
    run_once(Invocation([opts.aludel, "upgrade", "head"], work), opts.timeout)
    run_once(Invocation([opts.aludel, "check"], work), opts.timeout)
    shutil.rmtree(work)


def measure_rows(opts, p: Path, n: int, rows: dict) -> list:
    """Each row's tools in turns; returns the cells."""
    cells = []
    for row, tools in rows.items():
        states = {}
        for tool, (argv, gen_dir, code, says, *stdin) in tools.items():
            inv = Invocation(argv, p, ok_codes=(code,), stdin=stdin[0] if stdin else None)
            before = {f.name for f in gen_dir.iterdir()} if gen_dir else set()
            try:
                shutil.copyfile(p / "head.db.template", p / "bench.db")
                warm, _ = run_once(inv, opts.timeout)
                if gen_dir:
                    for f in new_files(gen_dir, before):
                        f.unlink()
                expect_output(argv, p, code, says, opts.timeout, inv.stdin)
                if gen_dir:
                    made = new_files(gen_dir, before)
                    verify_generated(opts, p, n, tool, made)
                    for f in made:
                        f.unlink()
            except CommandFailed as e:
                log(f"  autogen {tool} {row}: FAILED {e}")
                cells.append({"part": "large", "row": row, "tool": tool, "status": "failed",
                              "reason": str(e).splitlines()[0]})
                continue
            runs = opts.runs if warm < opts.slow_after else opts.slow_runs
            states[tool] = {"inv": inv, "gen": gen_dir, "before": before, "runs": runs, "times": [], "peaks": []}
        cells += timed_rounds(opts, "large", row, states)
    return cells


def timed_rounds(opts, part: str, row: str, states: dict, reset=None) -> list:
    """Timed runs, the tools taking turns; `reset(tool)` restores the starting
    state before each run (outside the timing)."""
    out = []
    for r in range(max((s["runs"] for s in states.values()), default=0)):
        for tool, st in list(states.items()):
            if r >= st["runs"]:
                continue
            try:
                if reset:
                    reset(tool)
                t, peak = run_once(st["inv"], opts.timeout)
            except CommandFailed as e:
                log(f"  autogen {tool} {row}: FAILED {e}")
                out.append({"part": part, "row": row, "tool": tool, "status": "failed",
                            "reason": str(e).splitlines()[0]})
                del states[tool]
                continue
            if st.get("gen"):
                for f in new_files(st["gen"], st["before"]):
                    f.unlink()
            st["times"].append(t)
            st["peaks"].append(peak)
            st.setdefault("cpu", []).append(LAST["cpu"])
    batch = f"{part}/{row}/{time.time_ns()}"
    for tool, st in states.items():
        s = sorted(st["times"])
        out.append({"part": part, "row": row, "tool": tool, "status": "ok", "runs": len(s),
                    "times": st["times"], "median": statistics.median(s), "p25": quantile(s, 0.25),
                    "p75": quantile(s, 0.75), "peak_kib": statistics.median(st["peaks"]), "batch": batch,
                    "cpu": statistics.median(st.get("cpu") or [0.0])})
        log(f"  autogen {tool:7} {row:13} median {fmt_time(statistics.median(s))} over {len(s)} runs, "
            f"CPU {fmt_time(statistics.median(st.get('cpu') or [0.0]))}")
    return out


# The rebuild -----------------------------------------------------------------

def prepare_rebuild(opts, rows: int) -> Path:
    """events with `rows` rows at revision 1, and revision 2 written by
    `aludel revision --autogenerate` (payload loses NOT NULL); the offline SQL
    of revision 2 and the plain copy for the sqlite3 shell."""
    p = root() / f"rebuild-{rows}"
    marker = p / ".generated"
    stamp = f"{rows} v2 {Path(opts.aludel).stat().st_mtime_ns}"
    if marker.exists() and marker.read_text() == stamp:
        return p
    fresh_dir(p)
    (p / "aludel.toml").write_text('script_location = "migrations"\ndatabase_url = "sqlite://bench.db"\n'
                                   'target_schema = "schema.sql"\n')
    versions = p / "migrations" / "versions"
    versions.mkdir(parents=True)
    (versions / f"{S.REBUILD_REV_ID}_events.sql").write_text(
        S.aludel_revision(S.REBUILD_REV_ID, "events", [S.events_table(True)], ["DROP TABLE events"]))
    (p / "schema.sql").write_text(S.events_table(False) + ";\n")
    run_once(Invocation([opts.aludel, "upgrade", "head"], p), opts.timeout)
    log(f"autogen: filling events with {rows:,} rows")
    subprocess.run(["sqlite3", "bench.db"], input=S.fill_events(rows), text=True, cwd=p, check=True)
    before = {f.name for f in versions.iterdir()}
    run_once(Invocation([opts.aludel, "revision", "--autogenerate", "-m", "payload nullable"], p), opts.timeout)
    made = new_files(versions, before)
    if len(made) != 1 or "_aludel_new_events" not in made[0].read_text():
        raise CommandFailed("autogenerate did not write one revision rebuilding events")
    rev2 = made[0].name.split("_")[0]
    offline = capture([opts.aludel, "upgrade", f"{S.REBUILD_REV_ID}:head", "--sql"], cwd=p)
    (p / "rebuild.sql").write_text(offline + "\n")
    (p / "copy.sql").write_text(S.plain_copy())
    (p / "hand.sql").write_text(S.hand_rebuild())
    shutil.move(p / "bench.db", p / "rev1.db.template")
    (p / "rev2").write_text(rev2)
    marker.write_text(stamp)
    return p


def check_rebuilt(db: Path, rows: int, table: str) -> None:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        count = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        nn = con.execute(f"SELECT \"notnull\" FROM pragma_table_info('{table}') WHERE name = 'payload'").fetchone()
    finally:
        con.close()
    if count != rows or nn is None or nn[0] != 0:
        raise CommandFailed(f"{table} after the run: {count} rows (expected {rows}), payload notnull {nn}")


def measure_rebuild(opts, p: Path, rows: int) -> list:
    invs = {
        "aludel": (Invocation([opts.aludel, "upgrade", "head"], p), "events"),
        "floor": (Invocation(["sqlite3", "bench.db"], p, stdin=p / "rebuild.sql"), "events"),
        "copy": (Invocation(["sqlite3", "bench.db"], p, stdin=p / "copy.sql"), "events_copy"),
        "hand": (Invocation(["sqlite3", "bench.db"], p, stdin=p / "hand.sql"), "events"),
    }
    reset = lambda tool: shutil.copyfile(p / "rev1.db.template", p / "bench.db")
    states, cells = {}, []
    for tool, (inv, table) in invs.items():
        try:
            reset(tool)
            warm, _ = run_once(inv, opts.timeout)
            check_rebuilt(p / "bench.db", rows, table)
        except CommandFailed as e:
            log(f"  autogen {tool} rebuild: FAILED {e}")
            cells.append({"part": "rebuild", "row": "rebuild", "tool": tool, "status": "failed",
                          "reason": str(e).splitlines()[0]})
            continue
        runs = opts.runs if warm < opts.slow_after else opts.slow_runs
        states[tool] = {"inv": inv, "runs": runs, "times": [], "peaks": []}
    return cells + timed_rounds(opts, "rebuild", "rebuild", states, reset)


# The run ------------------------------------------------------------------------

def catalog_queries():
    """How many queries introspection runs, whatever the schema's size: the
    length of `CATALOG_QUERIES` in crates/aludel/src/autogen/introspect.rs
    (crates/aludel/tests/introspect_queries.rs counts them at 3 and 300
    tables); None if it cannot be read."""
    try:
        text = (ROOT / "crates" / "aludel" / "src" / "autogen" / "introspect.rs").read_text()
    except OSError:
        return None
    m = re.search(r"CATALOG_QUERIES: \[&str; (\d+)\]", text)
    return int(m.group(1)) if m else None


def run_autogen(opts, alembic, peers: dict, versions: dict) -> dict:
    """Measures both parts; returns the `autogen` entry of results.json."""
    n = QUICK_TABLES if opts.quick else opts.autogen_tables
    rows = QUICK_ROWS if opts.quick else opts.autogen_rows
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = loadavg()
    alembic_bin = alembic.bin if alembic is not None and not alembic.skip_reason else None
    cells = []
    p = prepare_large(opts, n, alembic_bin is not None)
    cells += measure_rows(opts, p, n, large_cells(opts, p, n, alembic_bin, peers))
    if rows:
        q = prepare_rebuild(opts, rows)
        cells += measure_rebuild(opts, q, rows)
        generated = (q / "migrations" / "versions")
        rev2 = (q / "rev2").read_text()
        excerpt = next(f for f in generated.iterdir() if f.name.startswith(rev2)).read_text()
    else:
        excerpt = ""
    if not opts.keep and storage_root("tmpfs"):
        shutil.rmtree(root(), ignore_errors=True)  # the rebuild's databases are large
    return {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "loads": [load_before, loadavg()],
        "storage": "tmpfs" if storage_root("tmpfs") else "disk",
        "machine": machine_info(),
        "versions": versions,
        "peers": peers,
        "tables": n,
        "rows": rows,
        "changes": S.CHANGES,
        "rebuild_revision": excerpt,
        "catalog_queries": catalog_queries(),
        "measure": METHOD["how"],
        "runs": opts.runs, "slow_runs": opts.slow_runs, "slow_after": opts.slow_after,
        "cells": cells,
    }
