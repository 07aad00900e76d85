"""``aeviewer datasets``: list the built-in and the downloadable data sets."""

from __future__ import annotations

import argparse
import json
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``--json``."""
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def listing() -> dict[str, list[dict[str, Any]]]:
    """The built-ins and downloads as JSON-ready records."""
    from aeviewer.data.builtins import BUILTINS, PREFIX
    from aeviewer.data.downloads import DOWNLOADS, dataset_folder, is_cached

    builtins = [
        {
            "name": info.name,
            "source": f"{PREFIX}{info.name}",
            "kind": info.kind,
            "n_samples": info.default_n,
            "description": info.description,
        }
        for info in BUILTINS.values()
    ]
    downloads = [
        {
            "name": info.name,
            "source": info.name,
            "title": info.title,
            "cached": is_cached(info.name),
            "folder": str(dataset_folder(info.name)),
            "description": info.description,
        }
        for info in DOWNLOADS.values()
    ]
    return {"builtins": builtins, "downloads": downloads}


def run(args: argparse.Namespace) -> int:
    """Print the listing as a table or as JSON."""
    data = listing()
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    print("Built-in data sets (source builtin:NAME, options ?n=N&seed=S):")
    width = max(len(b["name"]) for b in data["builtins"])
    for b in data["builtins"]:
        print(f"  {b['name']:<{width}}  {b['kind']:<6}  {b['n_samples']:>6}  {b['description']}")
    print()
    print("Downloadable data sets (source NAME, option ?split=train|test):")
    width = max(len(d["name"]) for d in data["downloads"])
    for d in data["downloads"]:
        state = "cached    " if d["cached"] else "not cached"
        print(f"  {d['name']:<{width}}  {state}  {d['description']}")
    from aeviewer.data.downloads import data_root

    print(f"\nDownloads are kept in {data_root()}")
    return 0
