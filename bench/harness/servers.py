"""The database servers (PostgreSQL, MariaDB/MySQL): their URLs, the scratch
databases every cell gets (`aludel_bench_*`, created and dropped through the
servers' own command-line clients, `psql` and `mariadb`), and what the harness
reads back from them (schema counts, version rows, history rows).

A password in a server URL is passed to the clients through their environment
(`PGPASSWORD`, `MYSQL_PWD`), never on a command line or in the log."""

from __future__ import annotations

import os
import shutil
import subprocess
import urllib.parse
from typing import Optional

from .paths import log
from .timing import CommandFailed

PREFIX = "aludel_bench_"
DEFAULT_URLS = {
    "postgres": os.environ.get("ALUDEL_TEST_POSTGRES_URL") or "postgres://postgres@127.0.0.1:5432/postgres",
    "mysql": os.environ.get("ALUDEL_TEST_MYSQL_URL") or "mysql://root@127.0.0.1:3306/mysql",
}


class ServerError(CommandFailed):
    """A statement the harness sent to a server failed."""


class Server:
    """One server, reached as the URL's user; `key` is `postgres` or `mysql`."""

    def __init__(self, key: str, url: str):
        self.key = key
        self.label = "PostgreSQL" if key == "postgres" else "MariaDB"
        u = urllib.parse.urlsplit(url)
        self.host = u.hostname or "127.0.0.1"
        self.port = u.port or (5432 if key == "postgres" else 3306)
        self.user = urllib.parse.unquote(u.username or ("postgres" if key == "postgres" else "root"))
        self.password = urllib.parse.unquote(u.password) if u.password else None
        self.created: set = set()
        self.client = shutil.which("psql" if key == "postgres" else "mariadb") or \
            (shutil.which("mysql") if key == "mysql" else None)

    # URLs ---------------------------------------------------------------
    def url(self, db: str, scheme: Optional[str] = None, query: str = "", port: Optional[int] = None) -> str:
        """The URL of database `db` (the password included: only ever handed to a
        tool, never logged). On PostgreSQL without TLS (`sslmode=disable`) unless
        `query` says otherwise: every tool then speaks the same plain protocol
        (sqlx-cli is built without TLS; libpq and sqlx would otherwise negotiate
        it, see measure_tls)."""
        scheme = scheme or self.key
        if self.key == "postgres" and not query:
            query = "sslmode=disable"
        auth = urllib.parse.quote(self.user, safe="")
        if self.password:
            auth += ":" + urllib.parse.quote(self.password, safe="")
        return f"{scheme}://{auth}@{self.host}:{port or self.port}/{db}{'?' + query if query else ''}"

    def client_env(self, tls: bool = False) -> dict:
        if self.key == "postgres":
            env = {} if tls else {"PGSSLMODE": "disable"}
            return {**env, "PGPASSWORD": self.password} if self.password else env
        return {"MYSQL_PWD": self.password} if self.password else {}

    def client_argv(self, db: str, port: Optional[int] = None) -> list:
        """The server's command-line client connected to `db` (through `port` if
        given), reading SQL from stdin or -c/-e."""
        port = str(port or self.port)
        if self.key == "postgres":
            return [self.client, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                    "-h", self.host, "-p", port, "-U", self.user, "-d", db]
        return [self.client, "-h", self.host, "-P", port, "--protocol=TCP", "-u", self.user, "-N", "-B", db]

    # administration ---------------------------------------------------
    def query(self, sql: str, db: Optional[str] = None) -> list:
        """Runs `sql` (one statement) and returns its rows as lists of strings."""
        db = db or ("postgres" if self.key == "postgres" else "mysql")
        flag = "-c" if self.key == "postgres" else "-e"
        argv = self.client_argv(db) + [flag, sql]
        if self.key == "postgres":
            argv += ["-F", "\t"]
        r = subprocess.run(argv, capture_output=True, text=True, env={**os.environ, **self.client_env()})
        if r.returncode != 0:
            raise ServerError(f"{self.label}: {sql.split()[0]} failed: {r.stderr.strip()[:500]}")
        return [line.split("\t") for line in r.stdout.splitlines() if line]

    def available(self) -> Optional[str]:
        """None if the server answers, else why not."""
        if not self.client:
            return f"no {'psql' if self.key == 'postgres' else 'mariadb'} client on PATH"
        try:
            self.query("SELECT 1")
        except (ServerError, OSError) as e:
            return str(e)
        return None

    def version(self) -> str:
        return self.query("SELECT version()")[0][0].split(" on ")[0]

    def drop(self, db: str) -> None:
        if not db.startswith(PREFIX):
            raise ValueError(f"refusing to drop {db}: not a benchmark database")
        force = " WITH (FORCE)" if self.key == "postgres" else ""
        self.query(f"DROP DATABASE IF EXISTS {db}{force}")
        self.created.discard(db)

    def recreate(self, db: str) -> None:
        """A fresh, empty database `db` (dropped first if it exists)."""
        self.drop(db)
        self.created.add(db)
        self.query(f"CREATE DATABASE {db}")

    def leftovers(self) -> list:
        if self.key == "postgres":
            sql = f"SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%'"
        else:
            sql = f"SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE '{PREFIX}%'"
        return [r[0] for r in self.query(sql)]

    def cleanup(self) -> None:
        """Drops every benchmark database (this run's and an interrupted run's)."""
        for db in sorted(set(self.leftovers()) | self.created):
            try:
                self.drop(db)
            except ServerError as e:
                log(f"could not drop {db}: {e}")

    # what the harness reads back ----------------------------------------
    def exists(self, db: str) -> bool:
        if self.key == "postgres":
            return bool(self.query(f"SELECT 1 FROM pg_database WHERE datname = '{db}'"))
        return bool(self.query(f"SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{db}'"))

    def schema_counts(self, db: str) -> tuple:
        if self.key == "postgres":
            t = "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+$'"
            i = "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' AND indexname ~ '^ix_t[0-9]+_name$'"
        else:
            t = ("SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() "
                 "AND TABLE_NAME REGEXP '^t[0-9]+$'")
            i = ("SELECT count(DISTINCT TABLE_NAME, INDEX_NAME) FROM information_schema.STATISTICS "
                 "WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME REGEXP '^ix_t[0-9]+_name$'")
        return int(self.query(t, db)[0][0]), int(self.query(i, db)[0][0])

    def snapshot(self, db: str) -> tuple:
        """Schema counts, version rows and the history rows' (revision, direction):
        what the floor must leave as aludel does."""
        versions = self.query("SELECT version_num FROM alembic_version ORDER BY 1", db)
        hist = self.query("SELECT revision, direction FROM aludel_history ORDER BY id", db)
        return self.schema_counts(db), versions, hist

    def history_table_ddl(self, db: str) -> str:
        """aludel's `CREATE TABLE IF NOT EXISTS aludel_history (…)`, read back from a
        database aludel made: MySQL keeps it (`SHOW CREATE TABLE`); on PostgreSQL
        it is rebuilt from the catalog (a `nextval` default is a BIGSERIAL)."""
        if self.key == "mysql":
            ddl = self.query("SHOW CREATE TABLE aludel_history", db)[0][1].replace("\\n", "\n")
            return ddl.replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1) + ";"
        rows = self.query(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
            "coalesce(pg_get_expr(d.adbin, d.adrelid), ''), "
            "coalesce((SELECT 'pk' FROM pg_index x WHERE x.indrelid = a.attrelid AND x.indisprimary "
            "AND a.attnum = ANY(x.indkey)), '') "
            "FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE a.attrelid = 'aludel_history'::regclass AND a.attnum > 0 AND NOT a.attisdropped "
            "ORDER BY a.attnum", db)
        cols = []
        for name, typ, notnull, default, pk in rows:
            if default.startswith("nextval("):
                col = f"{name} {'BIGSERIAL' if typ == 'bigint' else 'SERIAL'}"
            else:
                col = f"{name} {typ}" + (" NOT NULL" if notnull == "t" and not pk else "")
                col += f" DEFAULT {default}" if default else ""
            cols.append(col + (" PRIMARY KEY" if pk else ""))
        return "CREATE TABLE IF NOT EXISTS aludel_history (" + ", ".join(cols) + ");"


def make_servers(engines: list, urls: dict) -> dict:
    return {e: Server(e, urls[e]) for e in engines if e in ("postgres", "mysql")}
