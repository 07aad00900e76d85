"""``aeviewer inspect SOURCE``: load a data source and describe it."""

from __future__ import annotations

import argparse
import json
from typing import Any

from aeviewer.commands.data_options import add_label_options, label_choice


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the source, ``--json``, ``--label-column`` and ``--no-labels``."""
    parser.add_argument(
        "source",
        metavar="SOURCE",
        help="builtin:NAME[?n=N&seed=S], a file or folder path, or mnist / fashion-mnist / kmnist",
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    add_label_options(parser)


def run(args: argparse.Namespace) -> int:
    """Load the source and print its description."""
    from aeviewer.data import load_source

    summary = load_source(args.source, label_column=label_choice(args)).describe()
    if args.json:
        print(json.dumps(summary))
    else:
        print(readable(summary))
    return 0


def readable(summary: dict[str, Any]) -> str:
    """A few aligned lines a person can read."""
    shape = "x".join(str(s) for s in summary["sample_shape"])
    lines = [
        f"name:          {summary['name']}",
        f"source:        {summary['source']}",
        f"samples:       {summary['n_samples']} of shape {shape}"
        f" ({summary['n_features']} features)",
        f"values:        {summary['dtype']} in [{summary['min']:.4g}, {summary['max']:.4g}]"
        f" (normalisation {summary['normalization']})",
    ]
    if summary["n_classes"]:
        counts = ", ".join(f"{name}: {count}" for name, count in summary["class_counts"].items())
        lines.append(f"classes:       {summary['n_classes']} ({counts})")
    else:
        lines.append("classes:       none (unlabelled)")
    if summary.get("n_anomalies") is not None:
        lines.append(f"anomalies:     {summary['n_anomalies']}")
    return "\n".join(lines)
