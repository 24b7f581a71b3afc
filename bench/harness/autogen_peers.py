"""The declarative peers of the autogenerate benchmarks, Atlas and sqldef:
each is tried from the registries this harness installs from (npm, PyPI,
crates.io, Debian) and, when found, measured on the autogenerate row (Atlas:
`atlas schema diff`, sqldef: `sqlite3def --dry-run`, each printing the DDL
from the database at head to schema.sql); what happened is recorded in the
report either way.

- Atlas: the npm package `@ariga/atlas` is the only registry package; it
  ships no binary, its install script downloads one from the vendor's site.
- sqldef (`sqlite3def`): no npm, PyPI, crates.io or Debian package; it is
  distributed as GitHub release downloads and `go install`."""

from __future__ import annotations

import shutil
import subprocess

from .paths import PEERS, log

NPM = PEERS / "npm"


def try_atlas() -> dict:
    """Atlas from PATH or bench/.peers/npm; else tries the npm package once per
    run. Returns {"version": ...} or {"skipped": why}."""
    found = shutil.which("atlas") or (str(NPM / "node_modules" / ".bin" / "atlas")
                                      if (NPM / "node_modules" / ".bin" / "atlas").exists() else None)
    if not found and shutil.which("npm"):
        log("autogen: trying Atlas from the npm registry (@ariga/atlas) into bench/.peers/npm")
        r = subprocess.run(["npm", "install", "--prefix", str(NPM), "@ariga/atlas"],
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            why = next((line for line in r.stderr.splitlines() if "ENOTFOUND" in line or "getaddrinfo" in line),
                       r.stderr.strip().splitlines()[-1] if r.stderr.strip() else f"exit {r.returncode}")
            return {"skipped": "the npm package @ariga/atlas has no binary: its install script downloads "
                               f"one from the vendor's site, which failed here ({why.strip()[:160]})"}
    if not found:
        return {"skipped": "not installed, and no npm to try @ariga/atlas"}
    return found_peer(found)


def found_peer(path: str) -> dict:
    try:
        v = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError) as e:
        return {"skipped": f"{path} does not run ({e})"}
    return {"bin": path, "version": v.splitlines()[0] if v else "?"}


def try_sqldef() -> dict:
    found = shutil.which("sqlite3def")
    if found:
        return found_peer(found)
    return {"skipped": "not packaged on npm, PyPI, crates.io or Debian; its binaries are GitHub release "
                       "downloads (and `go install` needs the Go module proxy), neither reachable here"}


def peer_argv(key: str, bin_: str) -> list:
    """The peer's command printing the DDL from bench.db (at head) to schema.sql."""
    if key == "atlas":
        return [bin_, "schema", "diff", "--from", "sqlite://bench.db", "--to", "file://schema.sql",
                "--dev-url", "sqlite://dev?mode=memory"]
    return [bin_, "bench.db", "--dry-run", "--file", "schema.sql"]


def try_peers() -> dict:
    out = {}
    for key, probe in (("atlas", try_atlas), ("sqldef", try_sqldef)):
        try:
            out[key] = probe()
        except (OSError, subprocess.SubprocessError) as e:
            out[key] = {"skipped": f"could not be tried ({e})"}
        log(f"autogen: {key}: {out[key].get('skipped') or out[key].get('version')}")
        if "bin" in out[key]:
            out[key]["argv"] = peer_argv(key, out[key]["bin"])
    return out
