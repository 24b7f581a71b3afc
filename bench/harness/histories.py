"""The histories every tool runs: linear chains and a "branchy" graph of forks
and merges, each revision creating a table and an index (and dropping them on
downgrade)."""

from __future__ import annotations

import dataclasses


@dataclasses.dataclass
class Rev:
    n: int  # 1-based position in generation order (a topological order)
    id: str
    parents: list  # of ids
    up: list  # SQL statements, no trailing ';'
    down: list

    @property
    def message(self) -> str:
        return f"Revision {self.n}"


# The table every revision creates, per engine: MySQL/MariaDB cannot index a
# TEXT column without a prefix length, so the servers get VARCHAR columns (the
# same on PostgreSQL, so both servers run the same DDL); its DROP INDEX names
# the table.
COLUMNS = {
    "sqlite": "id INTEGER PRIMARY KEY, name TEXT NOT NULL, created_at TEXT",
    "postgres": "id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, created_at VARCHAR(32)",
    "mysql": "id INTEGER PRIMARY KEY, name VARCHAR(100) NOT NULL, created_at VARCHAR(32)",
}


def make_rev(n: int, parents: list, engine: str = "sqlite") -> Rev:
    t = f"t{n}"
    drop_index = f"DROP INDEX ix_{t}_name ON {t}" if engine == "mysql" else f"DROP INDEX ix_{t}_name"
    return Rev(
        n=n,
        id=f"{n:013d}",
        parents=parents,
        up=[
            f"CREATE TABLE {t} ({COLUMNS[engine]})",
            f"CREATE INDEX ix_{t}_name ON {t} (name)",
        ],
        down=[drop_index, f"DROP TABLE {t}"],
    )


@dataclasses.dataclass
class HistorySpec:
    shape: str  # "linear" | "branchy"
    size: int
    revs: list = dataclasses.field(default_factory=list)
    engine: str = "sqlite"  # whose SQL the revisions are written in

    @property
    def name(self) -> str:
        return f"{self.shape}-{self.size}"

    @property
    def head(self) -> str:
        return self.revs[-1].id


def linear(n: int, engine: str = "sqlite") -> HistorySpec:
    revs = []
    for i in range(1, n + 1):
        revs.append(make_rev(i, [revs[-1].id] if revs else [], engine))
    return HistorySpec("linear", n, revs, engine)


def branchy(n: int) -> HistorySpec:
    """Root, then blocks: from the last merge point, k = 2..4 branches of length
    1..3 each, merged by one merge revision; a linear tail fills up to n.  Every
    revision (merges too) creates a table and an index, so the work per
    revision is the same as in the linear chain.  It ends with one head."""
    revs: list = []

    def add(parents: list) -> str:
        r = make_rev(len(revs) + 1, parents)
        revs.append(r)
        return r.id

    last = add([])
    block = 0
    while len(revs) < n:
        k = 2 + block % 3
        length = 1 + block % 3
        if len(revs) + k * length + 1 > n:
            while len(revs) < n:
                last = add([last])
            break
        tips = []
        for _ in range(k):
            p = last
            for _ in range(length):
                p = add([p])
            tips.append(p)
        last = add(tips)
        block += 1
    return HistorySpec("branchy", n, revs)
