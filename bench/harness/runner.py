"""The benchmark loop: for each storage, history and command, set up each
tool's starting database, run one untimed warm-up, check the result, then time
the runs, the tools taking turns, and keep the median, quartiles and peak
memory; after each storage, merge the cells into the results and rewrite the
report."""

from __future__ import annotations

import datetime
import math
import shutil
import statistics
import subprocess
import time
from pathlib import Path

from .commands import Command
from .dbstate import check_state, set_state
from .fmt import fmt_time
from .histories import HistorySpec, branchy, linear
from .machine import fs_type, loadavg, machine_info
from .extras import measure_extras
from .paths import DATA, WORK, log, storage_root
from .report import write_report
from .results import merge_results, save_results
from .timing import METHOD, CommandFailed, Skip, run_once
from .tools.base import Tool
from .tools.floor import verify_floor


def quantile(sorted_values: list, q: float) -> float:
    if len(sorted_values) == 1:
        return sorted_values[0]
    pos = (len(sorted_values) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def start_cell(tool: Tool, hist: HistorySpec, cmd: Command, opts):
    """Sets up one tool for one command: its untimed warm-up, the checks of the
    database it leaves, and how many timed runs it gets. Returns the cell's
    final result when there is nothing to time, else the state of its runs."""
    inv = tool.invocation(cmd, hist)
    if inv is None:
        return {"status": "n/a"}
    if isinstance(inv, Skip):
        return {"status": "skipped", "reason": inv.reason}
    set_state(tool, hist, cmd, opts.timeout)
    warm, _ = run_once(inv, opts.timeout)  # warm-up: page cache, .pyc files
    if cmd.check:
        check_state(tool, hist, cmd.check)
    if tool.key == "floor" and cmd.id == "upgrade":
        verify_floor(tool, hist, opts.timeout)
    runs = opts.runs if warm < opts.slow_after else opts.slow_runs
    return {"tool": tool, "inv": inv, "runs": runs, "times": [], "peaks": []}


def summarise(state: dict) -> dict:
    s = sorted(state["times"])
    return {
        "status": "ok",
        "runs": len(s),
        "times": state["times"],
        "median": statistics.median(s),
        "p25": quantile(s, 0.25),
        "p75": quantile(s, 0.75),
        "min": s[0],
        "max": s[-1],
        "peak_kib": statistics.median(state["peaks"]),
        "peak_kib_max": max(state["peaks"]),
        "note": state["inv"].note,
    }


def measure_command(tools: list, hist: HistorySpec, cmd: Command, opts) -> dict:
    """Times one command for every tool, the tools' runs interleaved (round r
    runs each tool once), so that a burst of load on the machine falls on all
    of them alike instead of on one tool's block of runs. Returns a result per
    tool key."""
    results, states = {}, {}
    for tool in tools:
        try:
            r = start_cell(tool, hist, cmd, opts)
        except CommandFailed as e:
            log(f"  {tool.key} {cmd.id}: FAILED {e}")
            r = {"status": "failed", "reason": str(e).splitlines()[0]}
        if "status" in r:
            results[tool.key] = r
        else:
            states[tool.key] = r
    for round_ in range(max((st["runs"] for st in states.values()), default=0)):
        for key, st in list(states.items()):
            if round_ >= st["runs"]:
                continue
            try:
                if cmd.mutates:
                    set_state(st["tool"], hist, cmd, opts.timeout)
                t, peak = run_once(st["inv"], opts.timeout)
            except CommandFailed as e:
                log(f"  {key} {cmd.id}: FAILED {e}")
                results[key] = {"status": "failed", "reason": str(e).splitlines()[0]}
                del states[key]
                continue
            st["times"].append(t)
            st["peaks"].append(peak)
    # Cells timed in the same rounds can be compared run by run (see Cells.ratio).
    batch = f"{hist.name}/{cmd.id}/{time.time_ns()}"
    for key, st in states.items():
        results[key] = {**summarise(st), "batch": batch}
    return results


def measure_history(storage: str, hist: HistorySpec, tools: list, cmds: list, opts) -> list:
    """The cells of one history: every tool that can express it, every command."""
    cells = []
    log(f"{storage}: history {hist.name}")
    # aludel first: the floor scripts come from it and are checked against it.
    ready, unprepared = [], {}
    for tool in tools:
        if hist.shape != "linear" and not tool.graph:
            continue
        try:
            tool.prepare(hist)
            ready.append(tool)
        except (CommandFailed, subprocess.CalledProcessError, ValueError) as e:
            log(f"  {tool.key}: could not prepare {hist.name}: {e}")
            unprepared[tool.key] = {"status": "failed", "reason": f"preparing: {str(e).splitlines()[0]}"}
    for cmd in cmds:
        measured = measure_command(ready, hist, cmd, opts)
        for tool in tools:
            if tool.key in unprepared:
                r = unprepared[tool.key] if tool.invocation(cmd, hist) is not None else {"status": "n/a"}
            elif tool.key in measured:
                r = measured[tool.key]
            else:
                continue
            if r["status"] == "ok":
                log(f"  {tool.key:7} {cmd.id:9} median {fmt_time(r['median'])} "
                    f"over {r['runs']} runs, peak {r['peak_kib'] / 1024:.1f} MiB")
            cells.append({"storage": storage, "history": hist.name, "shape": hist.shape,
                          "size": hist.size, "tool": tool.key, "command": cmd.id, **r})
    return cells


# The commands measured on a server: what issue 7 asks for (upgrade, and the
# two reading commands whose cost is the server round trip).
SERVER_COMMANDS = ("upgrade", "current", "heads")


def run_storages(opts, tools: list, commands: list, storages: list, versions: dict, skipped: dict,
                 results: dict, servers: dict) -> dict:
    """Measures each storage (tmpfs, disk, or a server) in turn; after each one,
    writes results.json and the report (so an interrupted run keeps what it
    measured); returns the merged results. A server's scratch databases are dropped when its runs end,
    whatever happens."""
    machine = machine_info()
    for storage in storages:
        server = servers.get(storage)
        if server is not None:
            try:
                results = run_server(opts, tools, commands, server, machine, skipped, results)
            finally:
                server.cleanup()
                DATA["engine"], DATA["server"] = "sqlite", None
            continue
        root = storage_root(storage)
        if root is None:
            log(f"no tmpfs at /dev/shm: skipping the {storage} runs")
            continue
        DATA["root"], DATA["storage"] = root, storage
        root.mkdir(parents=True, exist_ok=True)
        if storage == "disk":
            hists = [linear(int(x)) for x in opts.disk_sizes.split(",") if x]
            cmds = [c for c in commands if c.mutates]
        else:
            hists = [linear(int(x)) for x in opts.sizes.split(",") if x]
            hists += [branchy(int(x)) for x in opts.branchy_sizes.split(",") if x]
            cmds = commands
        if not hists or not cmds:
            continue
        started = datetime.datetime.now(datetime.timezone.utc)
        load_before = loadavg()
        cells = []
        for hist in hists:
            cells += measure_history(storage, hist, tools, cmds, opts)
        meta = {
            "started": started.isoformat(timespec="seconds"),
            "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "loads": [load_before, loadavg()],
            "fs": fs_type(root),
            "machine": machine,
            "versions": versions,
            "skipped": skipped,
            "mapping": {t.key: t.mapping for t in tools},
            "measure": METHOD["how"],
            "options": {k: v for k, v in vars(opts).items() if k not in ("aludel", "out")},
        }
        results = merge_results(results, storage, meta, cells)
        save_results(results)
        write_report(results, Path(opts.out))
        if storage == "tmpfs" and not opts.keep:
            shutil.rmtree(root, ignore_errors=True)
    return results


def run_server(opts, tools: list, commands: list, server, machine: dict, skipped: dict,
               results: dict) -> dict:
    """One server's cells (SERVER_COMMANDS on --server-sizes), then aludel's lock
    and round-trip measurements; results.json and the report are rewritten at
    the end."""
    storage = server.key
    DATA["root"], DATA["storage"], DATA["engine"], DATA["server"] = WORK / "servers", storage, storage, server
    server.cleanup()  # an interrupted run's databases
    versions, active = {}, []
    for t in tools:
        t.skip_reason = None
        t.ensure()
        v = t.version() if not t.skip_reason else ""
        if t.skip_reason:
            log(f"skipping {t.label} on {server.label}: {t.skip_reason}")
            skipped[t.key] = t.skip_reason
            continue
        versions[t.key] = v
        active.append(t)
    versions["server"] = server.version()
    hists = [linear(int(x), storage) for x in opts.server_sizes.split(",") if x]
    cmds = [c for c in commands if c.id in SERVER_COMMANDS]
    started = datetime.datetime.now(datetime.timezone.utc)
    load_before = loadavg()
    cells, extras = [], {}
    for hist in hists:
        cells += measure_history(storage, hist, active, cmds, opts)
        aludel = next((t for t in active if t.key == "aludel"), None)
        largest = max(int(x) for x in opts.server_sizes.split(",") if x)
        if aludel is not None and opts.extras and hist.size == largest:
            extras = measure_extras(opts, aludel, active, hist)
    meta = {
        "started": started.isoformat(timespec="seconds"),
        "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "loads": [load_before, loadavg()],
        "fs": "server",
        "machine": machine,
        "versions": versions,
        "skipped": {k: v for k, v in skipped.items() if k not in versions},
        "mapping": {t.key: dict(t.mapping) for t in active},
        "measure": METHOD["how"],
        "options": {k: v for k, v in vars(opts).items() if k not in ("aludel", "out", "postgres_url", "mysql_url")},
        "extras": extras,
    }
    results = merge_results(results, storage, meta, cells)
    save_results(results)
    write_report(results, Path(opts.out))
    return results
