"""The commands measured: the rows of the report, with the database state each
starts from and the check made after its warm-up."""

from __future__ import annotations

import dataclasses
from typing import Optional


@dataclasses.dataclass
class Command:
    id: str
    label: str
    state: str  # database before each run: "head" (at the last revision) or "empty" (no file)
    mutates: bool  # recreate the state before every run (outside the timing)
    check: Optional[str] = None  # "at-head" | "at-base": verified after the warm-up


COMMANDS = [
    Command("current", "`current`", "head", False),
    Command("heads", "`heads`", "head", False),
    Command("history", "`history`", "head", False),
    Command("upgrade", "`upgrade head`", "empty", True, "at-head"),
    Command("downgrade", "`downgrade base`", "head", True, "at-base"),
    Command("sql", "`upgrade head --sql`", "head", False),
]
COMMAND_BY_ID = {c.id: c for c in COMMANDS}
