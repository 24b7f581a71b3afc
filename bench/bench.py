#!/usr/bin/env python3
"""Entry point of the benchmarks: aludel against Alembic, sqlx-cli, dbmate and
the sqlite3 shell.  Run it through `bench/run` (which builds aludel first);
`python3 bench/bench.py --help` lists the options.  The harness itself is the
package bench/harness/ (see its __init__.py for what each module does)."""

import sys

from harness.cli import main

if __name__ == "__main__":
    sys.exit(main())
