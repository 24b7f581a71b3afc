"""Running one command in a new process and measuring it: wall time and the
child's peak resident memory, through the small C helper bench/spawn.c when a
C compiler is available, else from Python with os.wait4."""

from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Optional

from .paths import BENCH, WORK, log


@dataclasses.dataclass
class Invocation:
    """What a tool runs for one command: `argv` once, or `repeat` times in a row
    (tools that undo one migration per call); stdin from a file if given."""

    argv: list
    cwd: Path
    env: Optional[dict] = None
    stdin: Optional[Path] = None
    repeat: int = 1
    note: str = ""
    ok_codes: tuple = (0,)  # exit statuses that are a success (`check` exits 1 on drift)


@dataclasses.dataclass
class Skip:
    """A cell that is deliberately not measured, with the reason shown."""

    reason: str


class CommandFailed(Exception):
    pass


SPAWN_SRC = BENCH / "spawn.c"
SPAWN = WORK / "spawn"


def ensure_spawn() -> str:
    """Compiles bench/spawn.c; returns how memory and time are measured."""
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if SPAWN.exists() and SPAWN.stat().st_mtime >= SPAWN_SRC.stat().st_mtime:
        return "spawn"
    if cc:
        try:
            subprocess.run([cc, "-O2", "-o", str(SPAWN), str(SPAWN_SRC)], check=True)
            return "spawn"
        except (subprocess.CalledProcessError, OSError) as e:
            log(f"could not compile bench/spawn.c ({e})")
    log("no C compiler: peak memory is measured with os.wait4 from Python and includes the "
        "harness's own high-water mark")
    return "python"


# How run_once measures: "spawn" (bench/spawn.c) or "python"; set by main.
METHOD = {"how": "python"}
# The CPU time (user + system, seconds) of the last run_once, all repeats
# together: on a loaded machine it says what wall time cannot.
LAST = {"cpu": 0.0}


def run_once(inv: Invocation, timeout: float) -> tuple:
    """Runs the invocation; returns (seconds, peak RSS in KiB).  For a repeated
    invocation: the total time and the largest peak of any call.

    With bench/spawn.c compiled: the helper forks, execs, times (monotonic
    clock, fork to wait4) and reports the child's ru_maxrss; otherwise
    time.perf_counter around the child and os.wait4's ru_maxrss."""
    peak = 0
    elapsed = cpu_total = 0.0
    env = dict(os.environ)
    if inv.env:
        env.update(inv.env)
    errpath = WORK / "last-stderr.txt"
    respath = WORK / "last-result.txt"
    use_spawn = METHOD["how"] == "spawn"
    argv = [str(SPAWN), str(respath), *map(str, inv.argv)] if use_spawn else list(map(str, inv.argv))
    for _ in range(inv.repeat):
        stdin = open(inv.stdin, "rb") if inv.stdin else subprocess.DEVNULL
        with open(errpath, "wb") as err:
            respath.unlink(missing_ok=True)
            t0 = time.perf_counter()
            proc = subprocess.Popen(argv, cwd=inv.cwd, env=env, stdin=stdin,
                                    stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
            killed = []

            def kill() -> None:
                killed.append(True)
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

            timer = threading.Timer(timeout, kill)
            timer.start()
            _, status, usage = os.wait4(proc.pid, 0)
            t1 = time.perf_counter()
            timer.cancel()
            proc.returncode = os.waitstatus_to_exitcode(status)
        if stdin is not subprocess.DEVNULL:
            stdin.close()
        if killed:
            raise CommandFailed(f"timed out after {timeout:.0f} s")
        code, maxrss, seconds = proc.returncode, usage.ru_maxrss, t1 - t0
        cpu_s = usage.ru_utime + usage.ru_stime
        if use_spawn:
            if proc.returncode != 0 or not respath.exists():
                raise CommandFailed(f"bench/spawn failed (exit {proc.returncode}): "
                                    + errpath.read_text(errors="replace")[-2000:])
            c, m, ns, *cpu = respath.read_text().split()
            code, maxrss, seconds = int(c), int(m), int(ns) / 1e9
            cpu_s = int(cpu[0]) / 1e9 if cpu else 0.0
        if code not in inv.ok_codes:
            tail = errpath.read_text(errors="replace")[-2000:]
            raise CommandFailed(f"exit {code}: {' '.join(map(str, inv.argv))}\n{tail}")
        elapsed += seconds
        cpu_total += cpu_s
        peak = max(peak, maxrss)
    LAST["cpu"] = cpu_total
    return elapsed, peak

