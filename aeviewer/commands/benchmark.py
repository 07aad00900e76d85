"""``aeviewer benchmark oneclass``: the one-class anomaly-detection table of a labelled data set.

Prints, and saves as CSV and JSON, the ROC AUC of each family with each class as the normal one,
beside PCA of the same size and (on MNIST) the published Deep SVDD and DCAE figures.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from aeviewer.commands.data_options import add_label_options, label_choice
from aeviewer.config import MODEL_KINDS, PRECISIONS, DataSpec
from aeviewer.errors import ConfigError

#: What ``aeviewer benchmark`` can measure.
BENCHMARKS = ("oneclass",)


def _kinds(text: str) -> tuple[str, ...]:
    kinds = tuple(k.strip() for k in text.split(",") if k.strip())
    unknown = [k for k in kinds if k not in MODEL_KINDS]
    if unknown or not kinds:
        raise argparse.ArgumentTypeError(
            f"unknown model kind {unknown[0] if unknown else text!r}; "
            f"choose from {', '.join(MODEL_KINDS)}"
        )
    return kinds


def _classes(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(c) for c in text.split(",") if c.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"classes must look like 0,1,2, not {text!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``aeviewer benchmark``."""
    add = parser.add_argument
    add("which", choices=BENCHMARKS, help="oneclass: ROC AUC with each class as the normal one")
    add("--data", required=True, metavar="SOURCE", help="a labelled data source")
    add_label_options(parser)
    add("--models", type=_kinds, default=("ae",), metavar="KINDS", help="e.g. ae,conv,vae")
    add("--latent", type=int, default=16, metavar="K", help="latent size (and PCA components)")
    add("--classes", type=_classes, metavar="C,C,...", help="normal classes (default: all)")
    add("--epochs", type=int, metavar="N", help="exactly N epochs (default: until converged)")
    add("--precision", choices=PRECISIONS, default="fp32")
    add("--device", default="auto", help="auto, cpu, cuda, cuda:N or mps")
    add("--seed", type=int, default=0)
    add("--out", metavar="FOLDER", help="write oneclass.csv and oneclass.json here")
    add("--quiet", action="store_true", help="no progress on stderr")


def format_table(table) -> str:
    """The table as aligned text, AUCs with three decimals."""
    columns = table.columns
    lines = ["class  " + "  ".join(f"{c:>9}" for c in columns)]
    for row in table.rows():
        cells = ["      —" if row[c] is None else f"{row[c]:9.3f}" for c in columns]
        lines.append(f"{row['class']!s:>5}  " + "  ".join(f"{c:>9}" for c in cells))
    return "\n".join(lines)


def table_csv(table) -> str:
    """The table's rows as CSV text."""
    return table.to_csv()


def run(args: argparse.Namespace) -> int:
    """Measure, print and save the table."""
    from aeviewer.analysis.published import CITATION
    from aeviewer.io.atomic import atomic_write_json, atomic_write_text
    from aeviewer.training.oneclass import one_class_table
    from aeviewer.training.setup import load_prepared

    if args.latent < 1:
        raise ConfigError(f"latent size must be at least 1, got {args.latent}")
    spec = DataSpec(source=args.data, label_column=label_choice(args))
    dataset = load_prepared(spec)
    options = {"device": args.device, "seed": args.seed, "precision": args.precision}
    if args.epochs is not None:
        options["epochs"] = args.epochs

    def report(cls: int, kind: str, model_auc: float, pca_auc: float) -> None:
        if not args.quiet:
            sys.stderr.write(f"class {cls} {kind}: AUC {model_auc:.3f} (PCA {pca_auc:.3f})\n")

    table = one_class_table(
        dataset,
        args.models,
        latent=args.latent,
        classes=args.classes,
        train_options=options,
        on_cell=report,
    )
    print(format_table(table))
    if table.published:
        print(f"published figures: {CITATION}")
    if args.out:
        folder = Path(args.out)
        atomic_write_text(folder / "oneclass.csv", table_csv(table))
        atomic_write_json(folder / "oneclass.json", table.to_dict())
        print(f"saved {folder / 'oneclass.csv'} and {folder / 'oneclass.json'}")
    return 0
