"""What a server run measures besides the time table (aludel issue 7):

- the migration lock: 8 `aludel upgrade head` started at once on a database
  at head and on an empty one (wall time until the last exits; every process
  must succeed and every migration must run exactly once), and the lock's
  added cost on an uncontended no-op `upgrade head` (lock_mode = "session"
  against "none", run by run in turns);
- TLS (PostgreSQL): `current` with and without TLS, aludel and psql;
- round trips: every tool's `upgrade head` of the history and a no-op
  `upgrade head` after it, through harness.proxy.CountingProxy, so that
  (upgrade − no-op) / N is the round trips per migration."""

from __future__ import annotations

import statistics
import subprocess
import time

from .commands import COMMAND_BY_ID
from .dbstate import AT_HEAD, check_state, server_head
from .histories import HistorySpec
from .paths import WORK, log
from .proxy import CountingProxy
from .timing import CommandFailed, Invocation, run_once
from .tools.base import write_if_changed

CONCURRENT = 8


def measure_extras(opts, aludel, tools: list, hist: HistorySpec) -> dict:
    out = {"history": hist.name}
    wanted = set(x for x in opts.extras.split(",") if x)
    if "locks" in wanted:
        try:
            out["locks"] = measure_locks(opts, aludel, hist)
        except CommandFailed as e:
            log(f"  locks: FAILED {e}")
            out["locks"] = {"failed": str(e).splitlines()[0]}
    if "tls" in wanted and aludel.engine == "postgres":
        try:
            out["tls"] = measure_tls(opts, aludel, tools, hist)
        except CommandFailed as e:
            log(f"  tls: FAILED {e}")
    if "round-trips" in wanted:
        out["round_trips"] = {}
        for tool in tools:
            try:
                out["round_trips"][tool.key] = count_round_trips(opts, tool, hist)
            except CommandFailed as e:
                log(f"  {tool.key} round trips: FAILED {e}")
                out["round_trips"][tool.key] = {"failed": str(e).splitlines()[0]}
    return out


def variant(aludel, hist: HistorySpec, name: str, lock_mode: str, lock_timeout: int = 0) -> list:
    """`aludel -c NAME.toml`: aludel's project for the history with its own
    database (`aludel_bench_NAME`) and lock settings."""
    p = aludel.project(hist)
    db = f"aludel_bench_{name}"
    scheme = "postgresql" if aludel.engine == "postgres" else "mysql"
    text = (f'script_location = "migrations"\ndatabase_url = "{aludel.server.url(db, scheme)}"\n'
            + (f'lock_mode = "{lock_mode}"\n' if lock_mode else "")
            + (f"lock_timeout = {lock_timeout}\n" if lock_timeout else ""))
    write_if_changed(p / f"{name}.toml", text)
    return [str(aludel.bin), "-c", f"{name}.toml", "upgrade", "head"]


def run_together(argv: list, cwd, n: int, timeout: float) -> float:
    """Starts `n` copies of argv at once; the seconds until the last exits. Each must exit 0."""
    errs = [WORK / f"concurrent-{i}.err" for i in range(n)]
    files = [open(e, "wb") for e in errs]
    t0 = time.perf_counter()
    procs = [subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=f, start_new_session=True) for f in files]
    codes = [p.wait(timeout=timeout) for p in procs]
    elapsed = time.perf_counter() - t0
    for f in files:
        f.close()
    bad = [i for i, c in enumerate(codes) if c != 0]
    if bad:
        raise CommandFailed(f"{len(bad)} of {n} concurrent runs failed: "
                            + errs[bad[0]].read_text(errors="replace")[-500:])
    return elapsed


def summary(times: list) -> dict:
    s = sorted(times)
    return {"median": statistics.median(s), "min": s[0], "max": s[-1], "runs": len(s), "times": times}


def measure_locks(opts, aludel, hist: HistorySpec) -> dict:
    server, p = aludel.server, aludel.project(hist)
    runs = opts.lock_runs
    res = {}
    log(f"  locks: {CONCURRENT} concurrent `aludel upgrade head`, lock overhead")
    # Uncontended, on a database at head: session (the default) against none.
    session = variant(aludel, hist, "lock_session", "session")
    none = variant(aludel, hist, "lock_none", "none")
    for name in ("lock_session", "lock_none"):
        server.recreate(f"aludel_bench_{name}")
        run_once(Invocation(session if name == "lock_session" else none, p), opts.timeout)
    times = {"session": [], "none": []}
    for _ in range(opts.overhead_runs + 1):  # the first round is the warm-up
        for mode, argv in (("session", session), ("none", none)):
            times[mode].append(run_once(Invocation(argv, p), opts.timeout)[0])
    times = {k: v[1:] for k, v in times.items()}
    diffs = [a - b for a, b in zip(times["session"], times["none"])]
    res["noop_session"] = summary(times["session"])
    res["noop_none"] = summary(times["none"])
    res["added"] = statistics.median(diffs)
    # 8 at once on the database at head (session lock).
    res["head_x8"] = summary([run_together(session, p, CONCURRENT, opts.timeout) for _ in range(runs)])
    # 8 at once on an empty database: one migrates, seven wait and find it done.
    fresh = variant(aludel, hist, "lock_fresh", "session", lock_timeout=int(opts.timeout))
    times_fresh = []
    for _ in range(max(1, runs // 2)):
        server.recreate("aludel_bench_lock_fresh")
        times_fresh.append(run_together(fresh, p, CONCURRENT, opts.timeout))
        n = len(hist.revs)
        counts = server.schema_counts("aludel_bench_lock_fresh")
        ran = server.query("SELECT count(*) FROM aludel_history WHERE direction = 'upgrade'",
                           "aludel_bench_lock_fresh")[0][0]
        if counts != (n, n) or int(ran) != n:
            raise CommandFailed(f"{CONCURRENT} concurrent upgrades left {counts} tables/indexes and "
                                f"{ran} history rows; expected {n} of each, each migration once")
    res["fresh_x8"] = summary(times_fresh)
    for name in ("lock_session", "lock_none", "lock_fresh"):
        server.drop(f"aludel_bench_{name}")
    return res


def measure_tls(opts, aludel, tools: list, hist: HistorySpec) -> dict:
    """`current` against the database at head with TLS negotiated as libpq and
    sqlx do by default (`sslmode=prefer`) and without (`sslmode=disable`), for
    aludel and psql, in turns: the cost of the TLS handshake."""
    log("  tls: `current` with sslmode=prefer and sslmode=disable")
    server, p = aludel.server, aludel.project(hist)
    db = server_head(aludel, hist, opts.timeout)
    invs = {
        "aludel_tls": Invocation([str(aludel.bin), "--url", server.url(db, "postgresql", "sslmode=prefer"),
                                  "current"], p),
        "aludel_plain": Invocation([str(aludel.bin), "--url", server.url(db, "postgresql"), "current"], p),
    }
    floor = next((t for t in tools if t.key == "floor"), None)
    if floor is not None:
        fp = floor.project(hist)
        invs["psql_tls"] = Invocation(server.client_argv(db), fp, env=server.client_env(tls=True),
                                      stdin=fp / "current.sql")
        invs["psql_plain"] = Invocation(server.client_argv(db), fp, env=server.client_env(),
                                        stdin=fp / "current.sql")
    times: dict = {k: [] for k in invs}
    for _ in range(opts.overhead_runs + 1):
        for k, inv in invs.items():
            times[k].append(run_once(inv, opts.timeout)[0])
    return {k: summary(v[1:]) for k, v in times.items()}


def proxied(tool, hist: HistorySpec, port: int) -> Invocation:
    """The tool's `upgrade head` against the server through `port`."""
    inv = tool.invocation(COMMAND_BY_ID["upgrade"], hist)
    p = tool.project(hist)
    if tool.key == "aludel":
        return Invocation([str(tool.bin), "--url", tool.database_url(hist, port), "upgrade", "head"], p)
    if tool.key == "alembic":
        ini = (p / "alembic.ini").read_text()
        write_if_changed(p / "alembic-proxied.ini", "\n".join(
            f"sqlalchemy.url = {tool.sqlalchemy_url(hist, port)}" if line.startswith("sqlalchemy.url") else line
            for line in ini.splitlines()) + "\n")
        return Invocation([str(tool.bin), "-c", "alembic-proxied.ini", "upgrade", "head"], p)
    if tool.key in ("sqlx", "dbmate"):
        url = tool.database_url(hist)
        return Invocation([tool.database_url(hist, port) if a == url else a for a in inv.argv], p)
    if tool.key == "floor":
        return Invocation(tool.server.client_argv(tool.dbname(hist), port), p,
                          env=tool.server.client_env(), stdin=inv.stdin)
    raise CommandFailed(f"no proxied invocation for {tool.key}")


def count_round_trips(opts, tool, hist: HistorySpec) -> dict:
    """Round trips of the tool's `upgrade head` from an empty database, then of
    a no-op `upgrade head` (at head already)."""
    server = tool.server
    db = tool.dbname(hist)
    AT_HEAD.pop((tool.engine, db), None)
    server.recreate(db)
    log(f"  {tool.key}: counting round trips")
    out = {}
    for phase in ("upgrade", "noop"):
        with CountingProxy(server.host, server.port) as proxy:
            inv = proxied(tool, hist, proxy.port)
            if tool.key == "floor" and phase == "noop":
                # The floor has no "nothing to do": its no-op is the current.sql script.
                inv.stdin = tool.project(hist) / "current.sql"
            t, _ = run_once(inv, opts.timeout)
        out[phase] = {"round_trips": proxy.turns, "connections": proxy.connections, "seconds": t}
        if phase == "upgrade":
            check_state(tool, hist, "at-head")
    n = len(hist.revs)
    out["per_migration"] = (out["upgrade"]["round_trips"] - out["noop"]["round_trips"]) / n
    return out

