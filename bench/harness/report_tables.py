"""The report's tables: the targets from the issue, checked against the linear
chains, and per storage the time, ratio and peak-memory tables of every history
and how aludel scales with the history's length."""

from __future__ import annotations

import math
import statistics

from .commands import COMMANDS
from .fmt import TOOL_LABEL, fmt_mib, fmt_ratio, fmt_time

STORAGE_TITLE = {
    "tmpfs": "Databases in memory (tmpfs): what the tools themselves cost",
    "disk": "Databases on disk: with the cost of every commit's fsync",
}


class Cells:
    """The stored cells by (storage, history, tool, command)."""

    def __init__(self, results: dict):
        self.by_key = {(c["storage"], c["history"], c["tool"], c["command"]): c for c in results["cells"]}

    def cell(self, st, h, t, c):
        return self.by_key.get((st, h, t, c))

    def med(self, st, h, t, c):
        x = self.cell(st, h, t, c)
        return x["median"] if x and x["status"] == "ok" else None

    def ratio(self, st, h, num, den, c):
        """How many times longer `num` takes than `den`. For two cells timed in
        the same rounds (the tools take turns), the median of the run-by-run
        ratios: a burst of load then weighs on both sides of each ratio instead
        of on one side of a ratio of medians. Otherwise the ratio of medians."""
        x, y = self.cell(st, h, num, c), self.cell(st, h, den, c)
        if not (x and y and x["status"] == "ok" and y["status"] == "ok"):
            return None
        if (x.get("batch") and x.get("batch") == y.get("batch")
                and len(x["times"]) == len(y["times"]) >= 3):
            return statistics.median(a / b for a, b in zip(x["times"], y["times"]) if b)
        return x["median"] / y["median"] if y["median"] else None


def tcell(x) -> str:
    """A time cell: median ± half the interquartile range, or why there is none."""
    if x is None or x["status"] == "n/a":
        return "—"
    if x["status"] == "skipped":
        return "not run¹"
    if x["status"] == "failed":
        return "failed¹"
    half = (x["p75"] - x["p25"]) / 2 / x["median"] * 100 if x["median"] else 0
    return f"{fmt_time(x['median'])} ±{half:.0f}%"


def targets(L: list, results: dict, cells: Cells, metas: dict, storages: list) -> None:
    """The "Targets" section: each target from the issue, measured or not, met or not."""
    med = cells.med
    L.append("## Targets")
    L.append("")
    L.append("From the issue; measured on the linear chains.")
    L.append("")
    L.append("| target | storage | measured | met |")
    L.append("|---|---|---|---|")

    def target_row(text: str, st: str, value, ok, shown: str) -> None:
        verdict = "—" if ok is None else ("yes" if ok else "**no**")
        L.append(f"| {text} | {st} | {shown if value is not None else 'not measured'} | {verdict} |")

    k1, k10 = "linear-1000", "linear-10000"
    for c in ("current", "heads", "history"):
        st = "tmpfs" if "tmpfs" in metas else storages[0]
        r = cells.ratio(st, k1, "alembic", "aludel", c)
        target_row(f"`{c}` ≥ 50× faster than Alembic at 1,000", st, r, r >= 50 if r else None,
                   fmt_ratio(r) if r else "")
        a10 = med(st, k10, "aludel", c)
        target_row(f"`{c}` under 50 ms at 10,000", st, a10, a10 < 0.05 if a10 else None,
                   fmt_time(a10) if a10 else "")
    for c, label in (("upgrade", "`upgrade head`"), ("downgrade", "`downgrade base`")):
        for st in storages:
            r = cells.ratio(st, k1, "alembic", "aludel", c)
            # No tool can beat the floor: Alembic / floor is the best ratio possible.
            bf = cells.ratio(st, k1, "alembic", "floor", c)
            ceiling = f" (ceiling, Alembic / floor: {fmt_ratio(bf)})" if bf else ""
            target_row(f"{label} of 1,000 ≥ 20× faster than Alembic", st, r,
                       r >= 20 if r else None, (fmt_ratio(r) + ceiling) if r else "")
        for st in storages:
            r = cells.ratio(st, k1, "aludel", "floor", c)
            target_row(f"{label} of 1,000 within 1.3× of the sqlite3 floor", st, r,
                       r <= 1.3 if r else None, fmt_ratio(r) if r else "")
    # Issue 6: faster than every peer on upgrade and downgrade, at every size
    # and on both storages; the branchy history within 1.1x of the floor.
    peers = ("alembic", "sqlx", "dbmate")
    for c, label in (("upgrade", "`upgrade head`"), ("downgrade", "`downgrade base`")):
        for st in storages:
            sizes = sorted({x["size"] for x in results["cells"]
                            if x["shape"] == "linear" and x["storage"] == st})
            for size in sizes:
                k = f"linear-{size}"
                ratios = [(cells.ratio(st, k, p, "aludel", c), p) for p in peers]
                ratios = [(r, p) for r, p in ratios if r]
                if not ratios:
                    continue
                r, p = min(ratios)
                target_row(f"{label} of {size:,} faster than every peer", st, r, r > 1,
                           f"closest: {p} / aludel {fmt_ratio(r)}")
        for st in storages:
            r = cells.ratio(st, "branchy-1000", "aludel", "floor", c)
            if r:
                target_row(f"{label} of the branchy 1,000 within 1.1× of the sqlite3 floor", st, r,
                           r <= 1.1, fmt_ratio(r))
    for st in storages:
        sizes = sorted({c["size"] for c in results["cells"] if c["shape"] == "linear" and c["storage"] == st})
        if len(sizes) >= 2:
            lo, hi = sizes[-2], sizes[-1]
            exps = []
            for c in COMMANDS:
                k = exponent(med, st, lo, hi, "aludel", c.id)
                if k is None:
                    continue
                # SQLite's own DDL cost grows with the schema (each CREATE or DROP
                # rewrites and rescans sqlite_master): judge aludel against the
                # floor running the same statements where there is one.
                kf = exponent(med, st, lo, hi, "floor", c.id)
                allowed = max(1.1, kf + 0.1) if kf is not None else 1.1
                exps.append((k - allowed, k, kf, c.label))
            if exps:
                worst = max(exps)
                floor_note = f" (sqlite3 floor: N^{worst[2]:.2f})" if worst[2] is not None else ""
                target_row(f"no aludel command grows faster than the history or than SQLite itself "
                           f"({lo:,} → {hi:,} revisions)",
                           st, worst[1], worst[0] <= 0,
                           f"steepest: {worst[3]}, time ∝ N^{worst[1]:.2f}{floor_note}")
    L.append("")


def storage_section(L: list, results: dict, cells: Cells, st: str, tools: list) -> None:
    """One storage's section: a time table and a memory table per history, then
    aludel's scaling across the linear chains."""
    L.append(f"## {STORAGE_TITLE[st]}")
    L.append("")
    hists = []
    for c in results["cells"]:
        if c["storage"] == st and (c["history"], c["shape"], c["size"]) not in hists:
            hists.append((c["history"], c["shape"], c["size"]))
    hists.sort(key=lambda h: (h[1] != "linear", h[2]))
    L.append("¹ see the note under the table. — : the tool has no such command or cannot express "
             "the history. Times: median ± half the interquartile range.")
    L.append("")
    for name, shape, size in hists:
        history_tables(L, cells, st, name, shape, size, tools)

    sizes = sorted({c["size"] for c in results["cells"] if c["shape"] == "linear" and c["storage"] == st})
    if len(sizes) >= 2:
        scaling_table(L, cells, st, sizes)


def history_tables(L: list, cells: Cells, st: str, name: str, shape: str, size: int, tools: list,
                   floor_label: str = "sqlite3 floor", title_where: str = "") -> None:
    """Times with ratios (and the notes of cells not measured), then peak memory."""
    cell, med = cells.cell, cells.med
    present = [t for t in tools if any(cell(st, name, t, c.id) and cell(st, name, t, c.id)["status"] != "n/a"
                                       for c in COMMANDS)]
    title = f"Linear chain, {size:,} revisions" if shape == "linear" else \
        f"Branchy history, {size:,} revisions (branches and merges)"
    L.append(f"### {title} ({title_where or st})")
    L.append("")
    head = ["command"] + (["aludel"] if "aludel" in present else [])
    for t in present:
        if t in ("alembic", "sqlx", "dbmate"):
            head += [TOOL_LABEL[t], f"{TOOL_LABEL[t]} / aludel"]
    if "floor" in present:
        head += [floor_label, "aludel / floor"]
    L.append("| " + " | ".join(head) + " |")
    L.append("|---|" + "---:|" * (len(head) - 1))
    notes = []
    for c in COMMANDS:
        if not any(cell(st, name, t, c.id) for t in present):
            continue
        row = [c.label] + ([tcell(cell(st, name, "aludel", c.id))] if "aludel" in present else [])
        for t in present:
            if t in ("alembic", "sqlx", "dbmate"):
                x = cell(st, name, t, c.id)
                extra = f" ({x['note']})" if x and x.get("note") and x["status"] == "ok" else ""
                row.append(tcell(x) + extra)
                r = cells.ratio(st, name, t, "aludel", c.id)
                row.append(f"**{fmt_ratio(r)}**" if r else "—")
                if x and x["status"] in ("skipped", "failed"):
                    notes.append(f"{TOOL_LABEL[t]} {c.label}: {x['reason']}")
        if "floor" in present:
            x = cell(st, name, "floor", c.id)
            row.append(tcell(x))
            r = cells.ratio(st, name, "aludel", "floor", c.id)
            row.append(f"**{fmt_ratio(r)}**" if r else "—")
            if x and x["status"] in ("skipped", "failed"):
                notes.append(f"{floor_label} {c.label}: {x['reason']}")
        x = cell(st, name, "aludel", c.id)
        if x and x["status"] in ("skipped", "failed"):
            notes.append(f"aludel {c.label}: {x['reason']}")
        L.append("| " + " | ".join(row) + " |")
    L.append("")
    for n in notes:
        L.append(f"- ¹ {n}")
    if notes:
        L.append("")
    L.append(f"Peak memory, MiB (`ru_maxrss`, median of the runs):")
    L.append("")
    labels = {**TOOL_LABEL, "floor": floor_label}
    L.append("| command | " + " | ".join(labels[t] for t in present) + " |")
    L.append("|---|" + "---:|" * len(present))
    for c in COMMANDS:
        if not any(cell(st, name, t, c.id) for t in present):
            continue
        row = [c.label]
        for t in present:
            x = cell(st, name, t, c.id)
            row.append(fmt_mib(x["peak_kib"]) if x and x["status"] == "ok" else "—")
        L.append("| " + " | ".join(row) + " |")
    L.append("")


def exponent(med, st: str, lo: int, hi: int, tool: str, command: str):
    """k in time ∝ N^k between two linear sizes, or None if a median is missing."""
    a, b = med(st, f"linear-{lo}", tool, command), med(st, f"linear-{hi}", tool, command)
    if not (a and b):
        return None
    return math.log(b / a) / math.log(hi / lo)


def scaling_table(L: list, cells: Cells, st: str, sizes: list) -> None:
    """aludel's medians across the linear sizes and the exponent between the two largest."""
    cell, med = cells.cell, cells.med
    L.append(f"### How aludel scales ({st})")
    L.append("")
    L.append("Median time of each aludel command on the linear chains, and the exponent k in "
             "time ∝ N^k between the two largest sizes (1: linear in the history; below 1, "
             "fixed start-up costs still weigh); beside it the sqlite3 floor's k for the same "
             "statements, where there is a floor.")
    L.append("")
    L.append("| command | " + " | ".join(f"{x:,}" for x in sizes)
             + f" | k | floor k | peak MiB at {sizes[-1]:,} |")
    L.append("|---|" + "---:|" * (len(sizes) + 3))
    for c in COMMANDS:
        vals = [med(st, f"linear-{x}", "aludel", c.id) for x in sizes]
        if not any(vals):
            continue
        k = exponent(med, st, sizes[-2], sizes[-1], "aludel", c.id)
        kf = exponent(med, st, sizes[-2], sizes[-1], "floor", c.id)
        x = cell(st, f"linear-{sizes[-1]}", "aludel", c.id)
        row = [c.label] + [fmt_time(v) if v else "—" for v in vals] + [
            f"{k:.2f}" if k is not None else "—", f"{kf:.2f}" if kf is not None else "—",
            fmt_mib(x["peak_kib"]) if x and x["status"] == "ok" else "—"]
        L.append("| " + " | ".join(row) + " |")
    L.append("")
