#!/usr/bin/env python3
"""Generate aludel's Alembic golden fixtures.

For every history described in HISTORIES below this script

1. writes the history twice into temporary project directories: once as an
   Alembic project (``alembic.ini``, ``migrations/env.py``,
   ``migrations/versions/*.py``) and once as an aludel project
   (``aludel.toml``, ``migrations/versions/*.sql``), from the same description;
2. runs real Alembic (installed in the Python running this script) on a
   SQLite database, in worker processes under several ``PYTHONHASHSEED``
   values, recording stdout and exit status of each command, and after each
   ``upgrade``/``downgrade``/``stamp`` the output of ``current``, the rows of
   ``alembic_version`` and the ``t_*`` tables present. A worker calls
   ``alembic.config.main()`` once per command (``--subprocess``: runs the
   ``alembic`` executable per command instead; slower, same results);
3. writes the aludel project and the expected outputs under
   ``crates/aludel-cli/tests/fixtures/alembic/<history>/``.

Where Alembic's output differs between hash seeds (it iterates Python sets
and frozensets: ``Branches into:``, branch labels, children in ``branches``,
the heads printed by ``current``...), a case is compared in mode ``items``
(set-valued lists inside a line sorted) or ``sorted`` (that, and the lines
sorted as a multiset) instead of ``exact``: the weakest normalisation that
makes every seed's output identical. A step whose exit status or database
state depends on the seed is refused.

The fixtures are committed; the Rust test (crates/aludel-cli/tests/
alembic_compat.rs) never needs Python. See README.md next to this file.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "crates" / "aludel-cli" / "tests" / "fixtures" / "alembic"
DB_FILE = "test.db"
MUTATING = {"upgrade", "downgrade", "stamp"}
# Commands run after each step that changes the database (then the queries).
CHECKS = [["current"], ["current", "--check-heads"]]


# --------------------------------------------------------------------------
# Histories
# --------------------------------------------------------------------------


@dataclasses.dataclass
class Rev:
    id: str
    message: str
    revises: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    depends: tuple[str, ...] = ()
    # Create Date; filled in from the position in the history if empty.
    date: str = ""

    @property
    def stem(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "_", self.message.lower()).strip("_")
        return f"{self.id}_{slug}"


@dataclasses.dataclass
class History:
    name: str
    revisions: list[Rev]
    # Read-only commands, each a list of arguments after `alembic`/`aludel`;
    # their family (the Rust test they belong to) is the command name.
    commands: list[list[str]]
    # A scripted sequence run against one database, in order.
    steps: list[list[str]]
    # Read-only commands of family `relative`: `show`/`history` given relative
    # revisions (`-1`, `l2+2`, `alpha@-1`), which Alembic resolves against the
    # heads of the script directory (or refuses), never against the database.
    relative: list[list[str]] = dataclasses.field(default_factory=list)

    def read_only(self) -> list[tuple[str, list[str]]]:
        """(family, arguments) of every read-only command."""
        return [(a[0], a) for a in self.commands] + [("relative", a) for a in self.relative]


def _dated(revs: list[Rev]) -> list[Rev]:
    for i, r in enumerate(revs):
        if not r.date:
            r.date = f"2025-01-{1 + i // 24:02d} {i % 24:02d}:00:00.{i:06d}"
    return revs


READ_ONLY_COMMON = [
    ["heads"],
    ["heads", "-v"],
    ["heads", "--resolve-dependencies"],
    ["heads", "--resolve-dependencies", "-v"],
    ["branches"],
    ["branches", "-v"],
    ["history"],
    ["history", "-v"],
]

HISTORIES = [
    History(
        name="linear",
        revisions=_dated(
            [
                Rev("l1", "create first table"),
                Rev("l2", "second step", ("l1",)),
                Rev("l3", "third step", ("l2",)),
                Rev("l4", "fourth step", ("l3",)),
                Rev("l5", "fifth step", ("l4",)),
            ]
        ),
        commands=READ_ONLY_COMMON
        + [
            ["history", "-r", "l2:l4"],
            ["history", "-r", "l3:"],
            ["history", "-r", ":l2"],
            ["history", "-r", "base:head"],
            ["history", "-r", "l2:l4", "-v"],
            ["history", "-r", "l4:l2"],
            ["history", "-r", "l2"],
            ["history", "-r", "-2:"],
            ["history", "-r", "l2+1:"],
            ["history", "-r", ":l4-1"],
            ["show", "l3"],
            ["show", "l1"],
            ["show", "head"],
            ["show", "base"],
            ["show", "nope"],
        ],
        relative=[
            ["show", "l2+2"],
            ["show", "l3-1"],
            ["show", "head-1"],
            ["show", "-1"],
            ["show", "-2"],
            ["show", "-9"],
            ["show", "+1"],
            ["history", "--rev-range=-1:"],
            ["history", "--rev-range=:-2"],
        ],
        steps=[
            ["current"],
            ["upgrade", "l2"],
            ["upgrade", "+2"],
            ["current", "-v"],
            ["history", "-i"],
            ["downgrade", "-1"],
            ["upgrade", "head"],
            ["history", "-r", "current:", "-i"],
            ["history", "-i", "-v"],
            ["show", "current"],
            ["upgrade", "+1"],
            ["downgrade", "l5"],
            ["downgrade", "l2"],
            ["downgrade", "l4"],
            ["upgrade", "l3"],
            ["upgrade", "l1"],
            # Stamped past tables that do not exist: the downgrade's SQL fails.
            ["stamp", "l5"],
            ["downgrade", "l3-1"],
            ["stamp", "l3"],
            ["downgrade", "l3-1"],
            ["upgrade", "nope"],
            ["downgrade", "base"],
            ["upgrade", "l1+3"],
            ["stamp", "base"],
            ["stamp", "l4"],
            ["downgrade", "-2"],
            ["upgrade", "+3"],
            ["downgrade", "base"],
        ],
    ),
    History(
        name="branchy",
        revisions=_dated(
            [
                Rev("r0", "root of the main line"),
                Rev("r1", "main line continues", ("r0",)),
                Rev("a1", "alpha starts", ("r1",), labels=("alpha",)),
                Rev("a2", "alpha continues", ("a1",)),
                Rev("b1", "beta starts", ("r1",), labels=("beta",)),
                Rev("b2", "beta continues", ("b1",)),
                Rev("m1", "merge alpha and beta", ("a2", "b2")),
                Rev("r2", "after the merge", ("m1",)),
                Rev("x0", "second root"),
                Rev("x1", "xray branch", ("x0",), labels=("xray",)),
                Rev("c1", "side branch needing beta", ("r1",), depends=("b1",)),
            ]
        ),
        commands=READ_ONLY_COMMON
        + [
            ["history", "-r", "r1:m1"],
            ["history", "-r", "a1:"],
            ["history", "-r", ":b2"],
            ["history", "-r", "r0:r2"],
            ["history", "-r", "x0:"],
            ["history", "-r", "alpha@head:"],
            ["history", "-r", "r1:m1", "-v"],
            ["history", "-r", "b1:c1"],
            ["show", "m1"],
            ["show", "r1"],
            ["show", "c1"],
            ["show", "x1"],
            ["show", "alpha@head"],
            ["show", "xray@head"],
            ["show", "heads"],
            ["show", "head"],
            ["show", "beta"],
        ],
        relative=[
            ["show", "-1"],
            ["show", "alpha@-1"],
            ["show", "xray@-1"],
            ["show", "beta@-2"],
            ["show", "heads-1"],
            ["show", "r1+1"],
            ["history", "--rev-range=-1:"],
            ["history", "--rev-range=alpha@-1:"],
        ],
        steps=[
            ["upgrade", "r1"],
            ["upgrade", "a2"],
            ["upgrade", "b1"],
            ["current", "-v"],
            ["upgrade", "c1"],
            ["upgrade", "+1"],
            ["upgrade", "head"],
            ["upgrade", "beta@head"],
            ["history", "-i"],
            ["upgrade", "xray@head"],
            # Not `downgrade -1` here: with several heads Alembic steps down
            # from the first row of alembic_version (with a warning that this
            # is ambiguous), and the row order depends on the hash seed.
            ["downgrade", "xray@base"],
            ["downgrade", "a1"],
            ["downgrade", "b2"],
            ["upgrade", "heads"],
            ["history", "-i"],
            ["downgrade", "r2-1"],
            ["downgrade", "xray@-1"],
            ["downgrade", "b1@-1"],
            ["upgrade", "alpha@head"],
            ["downgrade", "r0"],
            ["downgrade", "base"],
            ["upgrade", "heads"],
            ["downgrade", "base"],
            # Stamps move only the version table (the t_* tables stay dropped).
            # Not `stamp a1 b2` from r2: Alembic stamps r2 -> a1, then dies of
            # a KeyError ('r2') with the first step already committed.
            ["stamp", "a1", "b1"],
            ["stamp", "c1"],
            ["stamp", "r2"],
            ["stamp", "x0", "b2"],
            ["stamp", "heads", "--purge"],
            ["stamp", "m1"],
            ["stamp", "base"],
        ],
    ),
    History(
        name="hexids",
        revisions=_dated(
            [
                Rev("3f2a9c1d0b7e", "create users"),
                Rev("3f2b7e004a11", "add email", ("3f2a9c1d0b7e",)),
                Rev("9c41d2e8aa00", "add index", ("3f2b7e004a11",)),
                Rev("9c4f00b1c2d3", "add orders", ("9c41d2e8aa00",), labels=("orders",)),
                Rev("a0b1c2d3e4f5", "add audit", ("9c41d2e8aa00",)),
            ]
        ),
        commands=READ_ONLY_COMMON
        + [
            ["show", "3f2"],
            ["show", "3f2a"],
            ["show", "9c4"],
            ["show", "9c41"],
            ["show", "orders"],
            ["show", "orders@head"],
            ["show", "a0b1c2d3e4f5"],
            ["show", "a0b1c2d3e4f5x"],
            ["history", "-r", "3f2b:9c4f"],
            ["history", "-r", "9c41:"],
            ["history", "-r", ":orders@head"],
            ["history", "-r", "3f2:"],
        ],
        steps=[
            ["upgrade", "3f2b"],
            ["upgrade", "9c4f"],
            ["upgrade", "a0b1"],
            ["show", "current"],
            ["downgrade", "3f2b7"],
            ["upgrade", "orders@head"],
            ["upgrade", "orders@+1"],
            ["downgrade", "orders@-1"],
            ["upgrade", "heads"],
            ["current", "-v"],
            ["downgrade", "3f2a+1"],
            ["upgrade", "3f2"],
            ["upgrade", "9c41+1"],
            ["upgrade", "a0b1"],
            ["downgrade", "9c4f"],
            ["downgrade", "base"],
        ],
    ),
    History(
        name="effective_heads",
        revisions=_dated(
            [
                Rev("k0", "kilo root", labels=("kilo",)),
                Rev("k1", "kilo target of a dependency", ("k0",)),
                Rev("z0", "zulu root", labels=("zulu",)),
                Rev("z1", "zulu needs kilo", ("z0",), depends=("k1",)),
                Rev("z2", "zulu continues", ("z1",)),
                Rev("s1", "side of kilo needing zulu", ("k0",), depends=("zulu",)),
                Rev("q0", "lonely root"),
                Rev("q1", "needs two", ("q0",), depends=("z2", "s1")),
            ]
        ),
        commands=READ_ONLY_COMMON
        + [
            ["history", "-r", "k0:"],
            ["history", "-r", ":z2"],
            ["history", "-r", "z0:q1"],
            ["show", "k1"],
            ["show", "k0"],
            ["show", "q1"],
            ["show", "heads"],
            ["show", "kilo@head"],
            ["show", "zulu@head"],
        ],
        steps=[
            ["upgrade", "z1"],
            ["current"],
            ["history", "-i"],
            ["upgrade", "q1"],
            ["current", "-v"],
            ["downgrade", "k1"],
            ["upgrade", "heads"],
            ["downgrade", "k0"],
            ["downgrade", "zulu@base"],
            ["upgrade", "s1"],
            ["upgrade", "kilo@head"],
            ["downgrade", "zulu@-1"],
            ["downgrade", "kilo@-1"],
            ["downgrade", "base"],
            ["upgrade", "heads"],
        ],
    ),
]


# --------------------------------------------------------------------------
# Writing the two project forms
# --------------------------------------------------------------------------


def header_lines(r: Rev) -> list[str]:
    """The header/docstring lines, the same for both forms.

    Alembic's own template writes `Revises: ` with a trailing space for a base
    (``${down_revision | comma,n}`` renders None as ""), and so does aludel's
    header renderer; both forms keep it.
    """
    lines = [r.message, "", f"Revision ID: {r.id}", f"Revises: {', '.join(r.revises)}"]
    if r.labels:
        lines.append(f"Branch Labels: {', '.join(r.labels)}")
    if r.depends:
        lines.append(f"Depends On: {', '.join(r.depends)}")
    lines.append(f"Create Date: {r.date}")
    return lines


def py_value(items: tuple[str, ...]) -> str:
    if not items:
        return "None"
    if len(items) == 1:
        return repr(items[0])
    return "(" + ", ".join(repr(i) for i in items) + ")"


def sql_file(r: Rev) -> str:
    head = "\n".join(("-- " + l) if l else "--" for l in header_lines(r))
    return (
        f"{head}\n\n"
        f"-- migrate:upgrade\nCREATE TABLE t_{r.id} (id INTEGER);\n\n"
        f"-- migrate:downgrade\nDROP TABLE t_{r.id};\n"
    )


def py_file(r: Rev) -> str:
    doc = "\n".join(header_lines(r))
    labels = "None" if not r.labels else "(" + ", ".join(repr(l) for l in r.labels) + ",)"
    return (
        f'"""{doc}\n\n"""\n'
        "from alembic import op\n\n"
        "# revision identifiers, used by Alembic.\n"
        f"revision = {r.id!r}\n"
        f"down_revision = {py_value(r.revises)}\n"
        f"branch_labels = {labels}\n"
        f"depends_on = {py_value(r.depends)}\n\n\n"
        "def upgrade():\n"
        f'    op.execute("CREATE TABLE t_{r.id} (id INTEGER)")\n\n\n'
        "def downgrade():\n"
        f'    op.execute("DROP TABLE t_{r.id}")\n'
    )


ALEMBIC_INI = f"""[alembic]
script_location = %(here)s/migrations
sqlalchemy.url = sqlite:///{DB_FILE}
"""

ENV_PY = '''from alembic import context
from sqlalchemy import create_engine

config = context.config


def run_migrations_online():
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=None,
                transaction_per_migration=True,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline mode is not used by the golden tests")
run_migrations_online()
'''

ALUDEL_TOML = f'script_location = "migrations"\ndatabase_url = "sqlite://{DB_FILE}"\n'


def write_alembic_project(root: Path, h: History) -> None:
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "alembic.ini").write_text(ALEMBIC_INI)
    (root / "migrations" / "env.py").write_text(ENV_PY)
    for r in h.revisions:
        (versions / f"{r.stem}.py").write_text(py_file(r))


def write_aludel_project(root: Path, h: History) -> None:
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "aludel.toml").write_text(ALUDEL_TOML)
    for r in h.revisions:
        (versions / f"{r.stem}.sql").write_text(sql_file(r))


# --------------------------------------------------------------------------
# Running Alembic
# --------------------------------------------------------------------------


@dataclasses.dataclass
class Result:
    ok: bool
    stdout: str


def normalise(stdout: str, project: Path) -> str:
    """The normalisation the Rust test applies to aludel's output as well.

    `Path:` lines: the project directory becomes `<project>`, and Alembic's
    `.py` becomes `.sql` (the same revision in aludel's form).
    `Current revision(s) for <url>:`: the URL is replaced (the two tools spell
    SQLite URLs differently by design).
    """
    out = []
    for line in stdout.split("\n"):
        if line.startswith("Path: "):
            p = line[len("Path: "):]
            for prefix in (str(project.resolve()), str(project)):
                if p.startswith(prefix + os.sep):
                    p = "<project>/" + p[len(prefix) + 1:].replace(os.sep, "/")
                    break
            if p.endswith(".py"):
                p = p[:-3] + ".sql"
            line = "Path: " + p
        elif line.startswith("Current revision(s) for ") and line.endswith(":"):
            line = "Current revision(s) for <url>:"
        out.append(line)
    return "\n".join(out)


def alembic_in_process(args: list[str]) -> tuple[bool, str]:
    """`alembic ARGS` as `alembic.config.main` in this process (cwd = project).

    Alembic's `Config` binds `sys.stdout` when the module is imported, so stdout
    is captured at the file-descriptor level.
    """
    import alembic.config

    sys.stdout.flush()
    saved = os.dup(1)
    with tempfile.TemporaryFile() as f:
        os.dup2(f.fileno(), 1)
        try:
            try:
                alembic.config.main(argv=args, prog="alembic")
                ok = True
            except SystemExit as e:  # CommandError -> util.err -> sys.exit(-1); argparse
                ok = e.code in (None, 0)
            except Exception:  # what the alembic script would die of (e.g. an SQL error)
                ok = False
            sys.stdout.flush()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
        f.seek(0)
        return ok, f.read().decode()


def alembic_subprocess(args: list[str]) -> tuple[bool, str]:
    """`alembic ARGS` as its own process, the executable next to this Python."""
    exe = Path(sys.executable).parent / "alembic"
    p = subprocess.run([str(exe), *args], capture_output=True, text=True)
    return p.returncode == 0, p.stdout


def db_state(project: Path) -> tuple[str, str]:
    db = project / DB_FILE
    if not db.exists():
        return "", ""
    con = sqlite3.connect(db)
    try:
        names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        versions = []
        if "alembic_version" in names:
            versions = [r[0] for r in con.execute(
                "SELECT version_num FROM alembic_version ORDER BY version_num")]
        tables = sorted(n for n in names if n.startswith("t_"))
    finally:
        con.close()
    return "".join(v + "\n" for v in versions), "".join(t + "\n" for t in tables)


def worker(history: str, phase: str, subprocesses: bool) -> list:
    """Runs one phase of one history in a fresh Alembic project; JSON-able result.

    `read_only`: a list of (ok, stdout) per command of `History.commands`.
    `steps`: per step of `History.steps`, [(ok, stdout), checks, state], where
    `checks` (the (ok, stdout) of each of CHECKS) and `state` (the version rows
    and `t_*` tables) are recorded only after a mutating command.
    """
    h = next(h for h in HISTORIES if h.name == history)
    run = alembic_subprocess if subprocesses else alembic_in_process

    with tempfile.TemporaryDirectory(prefix=f"alembic-golden-{h.name}-") as tmp:
        project = Path(tmp)
        write_alembic_project(project, h)
        os.chdir(project)

        def go(args: list[str]) -> tuple[bool, str]:
            ok, out = run(args)
            return ok, normalise(out, project) if ok else ""

        try:
            if phase == "read_only":
                return [go(args) for _, args in h.read_only()]
            records = []
            for args in h.steps:
                res = go(args)
                if args[0] in MUTATING:
                    checks = [go(c) for c in CHECKS]
                    records.append([res, checks, db_state(project)])
                else:
                    records.append([res, None, None])
            return records
        finally:
            os.chdir("/")


def run_worker(history: str, phase: str, seed: int, subprocesses: bool) -> list:
    """`worker` in a fresh Python with `PYTHONHASHSEED=seed`."""
    env = dict(os.environ, PYTHONHASHSEED=str(seed))
    cmd = [sys.executable, __file__, "--worker", history, phase]
    if subprocesses:
        cmd.append("--subprocess")
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([*cmd, out.name], env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        return json.load(open(out.name))


# --------------------------------------------------------------------------
# Comparing seeds and writing fixtures
# --------------------------------------------------------------------------

LIST_LINE = re.compile(r"^(Branches into|Branch names): (.*)$")
PAREN_LIST = re.compile(r"\(([^()]*, [^()]*)\)")


def sort_items(text: str) -> str:
    """Sorts the set-valued lists inside each line, keeping the line order.

    Those lists: the value of `Branches into:` / `Branch names:` lines and
    every parenthesised comma list (`r2 (alpha, beta) (head)`: branch labels).
    Kept in step with `sort_items` in alembic_compat.rs.
    """
    def items(value: str) -> str:
        return ", ".join(sorted(value.split(", ")))

    lines = []
    for line in text.split("\n"):
        m = LIST_LINE.match(line)
        if m:
            line = f"{m.group(1)}: {items(m.group(2))}"
        else:
            line = PAREN_LIST.sub(lambda m: f"({items(m.group(1))})", line)
        lines.append(line)
    return "\n".join(lines)


def sort_lines(text: str) -> str:
    """`sort_items`, then the lines sorted as a multiset."""
    return "\n".join(sorted(sort_items(text).split("\n")))


# Comparison modes, weakest normalisation first; `decide` picks the first one
# under which every seed's output is the same.
MODES = [("exact", lambda t: t), ("items", sort_items), ("sorted", sort_lines)]


def decide(label: str, results: list[Result]) -> tuple[str, Result]:
    """The comparison mode of one case and the result to record (seed 0's)."""
    first = results[0]
    if any(r.ok != first.ok for r in results):
        raise SystemExit(f"{label}: exit status depends on the hash seed")
    for mode, norm in MODES:
        if len({norm(r.stdout) for r in results}) == 1:
            return mode, first
    raise SystemExit(
        f"{label}: output depends on the hash seed beyond line order:\n"
        + "\n----\n".join(sorted({r.stdout for r in results}))
    )


def file_name(args: list[str]) -> str:
    name = "_".join(args)
    name = name.replace(":", "..").replace("@", "AT").replace("+", "PLUS")
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name) + ".txt"


def status(r: Result) -> str:
    return "ok" if r.ok else "fail"


def write_fixture(root: Path, h: History, read_only: list[list], steps: list[list]) -> None:
    """Writes the fixture of `h` from every seed's `worker` results."""
    out = root / h.name
    if out.exists():
        shutil.rmtree(out)
    write_aludel_project(out / "project", h)
    expected = out / "expected"
    expected.mkdir(parents=True)

    manifest = [
        "# family\tmode\tstatus\texpected file\targuments (tab-separated)",
        "# Generated by scripts/alembic-golden/generate.py; do not edit.",
    ]
    seen_names = set()
    for i, (family, args) in enumerate(h.read_only()):
        label = f"{h.name}: {' '.join(args)}"
        mode, res = decide(label, [Result(*seed[i]) for seed in read_only])
        name = file_name(args)
        assert name not in seen_names, name
        seen_names.add(name)
        if res.ok:
            (expected / name).write_text(res.stdout)
        else:
            name = "-"
        manifest.append("\t".join([family, mode, status(res), name, *args]))
    (out / "cases.tsv").write_text("\n".join(manifest) + "\n")

    blocks = []
    for i, args in enumerate(h.steps):
        label = f"{h.name}: step {i + 1}: {' '.join(args)}"
        mode, res = decide(label, [Result(*seed[i][0]) for seed in steps])
        cmd = "\t".join(args)
        blocks.append(f"=== run\t{cmd}\nstatus: {status(res)}\nmode: {mode}\n{res.stdout}")
        if steps[0][i][1] is not None:
            for j, check in enumerate(CHECKS):
                mode, res = decide(f"{label} / {' '.join(check)}",
                                   [Result(*seed[i][1][j]) for seed in steps])
                cmd = "\t".join(check)
                blocks.append(
                    f"=== check\t{cmd}\nstatus: {status(res)}\nmode: {mode}\n{res.stdout}")
            states = {tuple(seed[i][2]) for seed in steps}
            if len(states) != 1:
                raise SystemExit(f"{label}: database state depends on the hash seed")
            versions, tables = steps[0][i][2]
            blocks.append(f"=== sql\talembic_version\n{versions}")
            blocks.append(f"=== sql\ttables\n{tables}")
    (expected / "steps.txt").write_text(
        "# Generated by scripts/alembic-golden/generate.py; do not edit.\n" + "".join(blocks)
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        _, _, history, phase, *rest = sys.argv
        result = worker(history, phase, subprocesses=rest[0] == "--subprocess")
        with open(rest[-1], "w") as f:
            json.dump(result, f)
        return

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=8,
                    help="run everything under PYTHONHASHSEED=0..N-1 (default 8)")
    ap.add_argument("--subprocess", action="store_true",
                    help="run each command as its own `alembic` process instead of "
                         "alembic.config.main() in a worker (slow; a cross-check)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--out", type=Path, default=FIXTURES,
                    help="where to write the fixtures (default: the test's fixture folder)")
    ap.add_argument("histories", nargs="*", help="only these histories (default: all)")
    opts = ap.parse_args()

    import alembic

    version = f"alembic {alembic.__version__}"
    print(version, file=sys.stderr)
    opts.out.mkdir(parents=True, exist_ok=True)
    (opts.out / "ALEMBIC_VERSION").write_text(version + "\n")

    todo = [h for h in HISTORIES if not opts.histories or h.name in opts.histories]
    unknown = set(opts.histories) - {h.name for h in HISTORIES}
    if unknown:
        raise SystemExit(f"unknown histories: {', '.join(sorted(unknown))}")
    with concurrent.futures.ThreadPoolExecutor(max_workers=opts.jobs) as pool:
        jobs = {
            (h.name, phase, seed): pool.submit(run_worker, h.name, phase, seed, opts.subprocess)
            for h in todo
            for phase in ("read_only", "steps")
            for seed in range(opts.seeds)
        }
        for h in todo:
            ro = [jobs[h.name, "read_only", s].result() for s in range(opts.seeds)]
            st = [jobs[h.name, "steps", s].result() for s in range(opts.seeds)]
            write_fixture(opts.out, h, ro, st)
            print(f"{h.name}: written", file=sys.stderr)


if __name__ == "__main__":
    main()
