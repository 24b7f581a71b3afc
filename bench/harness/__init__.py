"""aludel against Alembic, sqlx-cli, dbmate and a floor (the engine's own
client: the sqlite3 shell, psql, mariadb), side by side, on SQLite and on
PostgreSQL and MariaDB/MySQL servers.

Run it through `bench/run` (which builds aludel first); `bench/bench.py` is the
entry point and `harness.cli.main` the program.  Standard library only.

What it does, in order:

1. generates the same histories for every tool under `bench/.work/`
   (git-ignored): linear chains of N revisions, each creating a small table and
   an index and dropping them on downgrade, and a "branchy" history (forks of
   2-4 branches merged again, over and over) for the tools that have a graph
   (aludel and Alembic);
2. installs the peers into `bench/.peers/` if they are missing (Alembic and
   SQLAlchemy into a virtual environment, sqlx-cli with `cargo install`, dbmate
   from npm) and skips, saying so, a peer it cannot install;
3. times every command in a new process each run ("cold": no daemon, no
   in-process cache; the OS page cache is warm after the warm-up run), after one
   untimed warm-up, over several runs, and keeps the median, the interquartile
   range and the peak resident memory of the child (`os.wait4` ->
   `ru_maxrss`);
4. writes `docs/benchmarks.md` (tables of medians and ratios, the machine, the
   versions) and the raw numbers to `bench/.work/results.json`.

The modules, one job each:

- `paths`: where the harness keeps its files, the storage being measured, the log;
- `histories`: the revision histories (linear and branchy) every tool runs;
- `commands`: the commands measured (the rows of the report);
- `timing`: running one invocation and measuring its time and peak memory;
- `tools/`: the tools, how they are installed, prepared and invoked
  (`base`, `aludel`, `alembic`, `sqlx`, `dbmate`, `floor`);
- `dbstate`: the database each command starts from, and checks of the result;
- `servers`: PostgreSQL and MariaDB/MySQL: URLs, scratch databases
  (`aludel_bench_*`, always dropped), what is read back from them;
- `extras`: on a server, 8 concurrent `aludel upgrade head`, the lock's added
  cost, `current` with and without TLS, round trips per migration (`proxy`:
  a counting TCP proxy);
- `autogen`, `autogen_schema`, `autogen_peers`: `check` and `revision
  --autogenerate` on a large schema against Alembic's (and Atlas / sqldef when
  they install), and a table rebuild against a plain copy (`--autogen`);
- `runner`: the benchmark loop (warm-up, timed runs, statistics);
- `machine`: what the report says about the machine;
- `results`: `bench/.work/results.json`, read, merged and written;
- `fmt`, `report`, `report_tables`, `report_servers`, `report_autogen`: the
  Markdown report;
- `cli`: the command line and `main`.

Adding a command (autogenerate, ...) means one `Command` in `COMMANDS` and a
branch in each tool's `invocation()`; a tool that has no equivalent returns
`None` and its cell reads "—".  Adding a database engine means a value of
`--engines`, a `servers.Server` kind, a URL in each tool and its floor's
statements (`tools/floor.py` ENGINE_SQL); the rows and the report do not change.
"""
