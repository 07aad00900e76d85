"""The options every command that reads data shares: which column holds the labels."""

from __future__ import annotations

import argparse

from aeviewer.config import LABELS_AUTO


def add_label_options(parser: argparse.ArgumentParser, *, default: str = LABELS_AUTO) -> None:
    """Add ``--label-column NAME|INDEX`` and ``--no-labels`` (one or the other).

    ``default`` is what neither option means, for the help text.
    """
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--label-column",
        metavar="NAME|INDEX",
        default=None,
        help="for CSV/TSV tables: the column (name or 0-based index) holding class labels "
        f"(default: {default}; auto takes a column named label, class, target or y, any case)",
    )
    group.add_argument(
        "--no-labels",
        action="store_true",
        help="load no class labels, whatever the data carry",
    )


def label_choice(args: argparse.Namespace, default: str | None = LABELS_AUTO) -> str | None:
    """The label column the options ask for: a name or index, None for none, else ``default``."""
    if getattr(args, "no_labels", False):
        return None
    column = getattr(args, "label_column", None)
    return default if column is None else column
