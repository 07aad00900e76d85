"""The ``aeviewer`` command: the GUI with no arguments or with paths to open
(``aeviewer PATH...``), headless subcommands otherwise.

Each subcommand lives in its own module under :mod:`aeviewer.commands` with two functions,
``add_arguments(parser)`` and ``run(args) -> int``, and is imported only when it runs, so
``aeviewer --help`` and the GUI start fast and the headless commands never import Qt.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from aeviewer import __version__
from aeviewer.errors import AeviewerError

#: Subcommand name -> (module under aeviewer.commands, one-line help).
COMMANDS: dict[str, tuple[str, str]] = {
    "datasets": ("datasets", "list the built-in and downloadable data sets"),
    "inspect": ("inspect", "load a data source and describe it"),
    "train": ("train", "train a model headless into a run directory"),
    "evaluate": ("evaluate", "evaluate a run directory against the PCA baseline"),
    "export": ("export", "export a trained model (safetensors, pt2, onnx)"),
    "sweep": ("sweep", "train a grid of runs in parallel processes, with a summary"),
    "benchmark": ("benchmark", "measure a table, e.g. one-class ROC AUC per class against PCA"),
}


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors follow the ``aeviewer: error:`` one-line convention."""

    def error(self, message: str) -> None:  # type: ignore[override]
        sys.stderr.write(f"aeviewer: error: {message}\n")
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    """The full parser with every subcommand's arguments."""
    parser = _Parser(
        prog="aeviewer",
        description="See autoencoders learn.",
        epilog="With no command, or with paths to open, the GUI starts; "
        "--lang ja|en picks its language (default: the system's).",
    )
    parser.add_argument("--version", action="version", version=f"aeviewer {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module_name, help_text) in COMMANDS.items():
        module = _command_module(module_name)
        if module is None:
            continue
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(command_parser)
    return parser


def _command_module(module_name: str):
    try:
        return importlib.import_module(f"aeviewer.commands.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"aeviewer.commands.{module_name}":
            return None
        raise


def main(argv: Sequence[str] | None = None) -> int:
    """Run the GUI (no arguments) or one headless subcommand; return the exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or args_list[0] == "gui" or args_list[0].startswith(("--gui", "--lang")):
        return _gui(args_list[1:] if args_list and args_list[0] == "gui" else args_list)
    if args_list[0] not in COMMANDS and not args_list[0].startswith("-"):
        # aeviewer PATH...: the GUI opens data sets, sessions, models, runs and sweeps.
        return _gui(args_list)
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return 2
    module = _command_module(COMMANDS[args.command][0])
    try:
        return int(module.run(args) or 0)
    except AeviewerError as exc:
        sys.stderr.write(f"aeviewer: error: {_one_line(str(exc))}\n")
        return 2
    except MemoryError:
        # Files are checked against the memory budget before allocation; this is the last net.
        sys.stderr.write(
            "aeviewer: error: out of memory; try fewer samples (--limit) or a smaller model\n"
        )
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("aeviewer: error: interrupted\n")
        return 130


def _gui(args: list[str]) -> int:
    """Run the GUI; a path it cannot open ends here in one line, before any window."""
    from aeviewer.gui.app import main as gui_main

    try:
        return gui_main(args)
    except AeviewerError as exc:
        sys.stderr.write(f"aeviewer: error: {_one_line(str(exc))}\n")
        return 2


def _one_line(message: str) -> str:
    return " ".join(message.split())
