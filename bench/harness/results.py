"""bench/.work/results.json: the raw numbers of every cell and, per storage, the
run's metadata; read, merged with a new run's cells, and written."""

from __future__ import annotations

import json

from .paths import RESULTS


def load_results() -> dict:
    return json.loads(RESULTS.read_text())


def save_results(results: dict) -> None:
    RESULTS.write_text(json.dumps(results, indent=1))


def merge_results(results: dict, storage: str, meta: dict, cells: list) -> dict:
    """Cells of this run replace the same (storage, history, tool, command)
    cells of earlier runs; the others stay (so a partial run updates a corner)."""
    key = lambda c: (c["storage"], c["history"], c["tool"], c["command"])
    merged = {key(c): c for c in results.get("cells", [])}
    for c in cells:
        merged[key(c)] = c
    old = results.get("storages", {}).get(storage)
    if old:
        meta["started"] = min(old["started"], meta["started"])
        meta["loads"] = old["loads"] + meta["loads"]
        meta["versions"] = {**old["versions"], **meta["versions"]}
        meta["mapping"] = {**old["mapping"], **meta["mapping"]}
        meta["skipped"] = {k: v for k, v in {**old["skipped"], **meta["skipped"]}.items()
                           if k not in meta["versions"]}
        # A run without the lock and round-trip measurements keeps the earlier ones.
        meta["extras"] = {**old.get("extras", {}), **meta.get("extras", {})}
    # Other entries (the autogenerate benchmarks' "autogen") are kept as they are.
    return {**results, "storages": {**results.get("storages", {}), storage: meta},
            "cells": list(merged.values())}
