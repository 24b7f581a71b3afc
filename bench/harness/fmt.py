"""How numbers and tools are written in the report and the log: times, ratios,
MiB, and the tools' order and labels."""

from __future__ import annotations

TOOL_ORDER = ["aludel", "alembic", "sqlx", "dbmate", "floor"]
TOOL_LABEL = {"aludel": "aludel", "alembic": "Alembic", "sqlx": "sqlx-cli", "dbmate": "dbmate",
              "floor": "sqlite3 floor"}


def fmt_time(s: float) -> str:
    ms = s * 1000
    if ms < 10:
        return f"{ms:.2f} ms"
    if ms < 1000:
        return f"{ms:.1f} ms"
    return f"{s:.2f} s" if s < 100 else f"{s:.0f} s"


def fmt_ratio(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}×"
    if x >= 10:
        return f"{x:.0f}×"
    return f"{x:.2f}×"


def fmt_mib(kib: float) -> str:
    return f"{kib / 1024:.1f}"
