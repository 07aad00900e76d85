"""``aeviewer evaluate``: compare a trained model with the PCA baseline."""

from __future__ import annotations

import argparse
import json

from aeviewer.commands.data_options import add_label_options


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``aeviewer evaluate``."""
    parser.add_argument("run_dir", metavar="RUNDIR", help="a run directory written by train")
    parser.add_argument("--data", metavar="SOURCE", help="evaluate on this data instead")
    add_label_options(parser, default="the run's own")
    parser.add_argument("--device", default="cpu", help="auto, cpu, cuda, cuda:N or mps")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    """Evaluate and print the result."""
    from aeviewer.training.evaluation import evaluate_run

    result = evaluate_run(
        args.run_dir,
        args.data,
        args.device,
        label_column=args.label_column,
        no_labels=args.no_labels,
    )
    if args.json:
        print(json.dumps(result))
        return 0
    width = max(len(key) for key in result)
    for key, value in result.items():
        text = f"{value:.6g}" if isinstance(value, float) else str(value)
        print(f"{key:>{width}}: {text}")
    return 0
