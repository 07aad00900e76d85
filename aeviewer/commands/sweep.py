"""``aeviewer sweep``: train a grid of runs in parallel processes, resumably, with a summary.

Every option of ``aeviewer train`` is accepted, and each may be a comma-separated list
(``--latent 2,4,8``); the sizes options, whose values hold commas themselves, separate their
list items with semicolons (``--hidden "256,128;64"``). The grid is the product of the lists;
each run is an ``aeviewer train`` process writing ``SWEEPDIR/NAME``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from aeviewer.commands import train as train_command
from aeviewer.errors import ConfigError
from aeviewer.sweeps.grid import GridOption, GridPoint, expand, split_values

#: ``aeviewer train`` options a sweep sets itself.
OWN_OPTIONS = frozenset({"--out", "--resume", "--quiet", "--help", "-h"})


def train_parser() -> argparse.ArgumentParser:
    """A parser with exactly the options of ``aeviewer train``."""
    parser = argparse.ArgumentParser(prog="aeviewer train", add_help=False)
    train_command.add_arguments(parser)
    return parser


def _train_actions() -> list[argparse.Action]:
    return [
        action
        for action in train_parser()._actions
        if action.option_strings and not OWN_OPTIONS & set(action.option_strings)
    ]


def _separator(action: argparse.Action) -> str:
    return ";" if action.type is getattr(train_command, "_sizes", None) else ","


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the options of ``aeviewer sweep``: those of train (as lists) and the sweep's own."""
    for action in _train_actions():
        flag = action.option_strings[-1]
        if action.nargs == 0:
            parser.add_argument(flag, action="store_true", help=action.help)
            continue
        sep = _separator(action)
        what = "semicolon" if sep == ";" else "comma"
        parser.add_argument(
            flag,
            dest=action.dest,
            metavar=action.metavar or action.dest.upper(),
            default=None,
            help=f"{action.help or ''} (a {what}-separated list sweeps it)".strip(),
        )
    parser.add_argument("--out", required=True, metavar="SWEEPDIR", help="the sweep folder")
    parser.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="runs trained at the same time"
    )
    parser.add_argument(
        "--threads", type=int, default=1, metavar="T", help="CPU threads per run (default 1)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")


def grid_options(args: argparse.Namespace) -> list[GridOption]:
    """The grid the options describe, each value checked as ``aeviewer train`` checks it.

    Raises
    ------
    ConfigError
        Naming the option and the value that is not valid.
    """
    options = []
    for action in _train_actions():
        flag = action.option_strings[-1]
        value = getattr(args, action.dest, None)
        if action.nargs == 0:
            if value:
                options.append(GridOption(flag, ()))
            continue
        if value is None:
            continue
        try:
            values = split_values(value, _separator(action))
        except ConfigError as exc:
            raise ConfigError(f"{flag}: {exc}") from None
        for item in values:
            _check_value(action, flag, item)
        options.append(GridOption(flag, values))
    return options


def _check_value(action: argparse.Action, flag: str, text: str) -> None:
    try:
        value = action.type(text) if callable(action.type) else text
    except (argparse.ArgumentTypeError, TypeError, ValueError):
        kind = getattr(action.type, "__name__", "value").strip("_")
        raise ConfigError(f"{flag}: {text!r} is not a valid {kind}") from None
    if action.choices is not None and value not in action.choices:
        choices = ", ".join(map(str, action.choices))
        raise ConfigError(f"{flag}: {text!r} is not one of {choices}")


def check_points(points: Sequence[GridPoint]) -> None:
    """Build every run's config as ``aeviewer train`` would, before anything starts.

    Raises
    ------
    ConfigError
        Naming the run (its varying values) whose settings are not valid.
    """
    parser = train_parser()
    for point in points:
        where = ", ".join(f"--{k} {v}" for k, v in point.values) or "the run"
        try:
            namespace = parser.parse_args([*point.argv, "--out", "x"])
        except SystemExit:
            raise ConfigError(f"{where}: these options do not go together") from None
        try:
            train_command.config_from_args(namespace)
        except ConfigError as exc:
            raise ConfigError(f"{where}: {exc}") from None


class SweepDisplay:
    """The grid's state on a stream: one line rewritten in place on a terminal, else a line
    whenever a run starts or ends."""

    def __init__(self, stream: TextIO, live: bool, quiet: bool = False) -> None:
        self.stream = stream
        self.live = live
        self.quiet = quiet
        self._states: dict[str, str] = {}

    def __call__(self, runs) -> None:
        if self.quiet:
            return
        for run in runs:
            before = self._states.get(run.name)
            self._states[run.name] = run.state
            if before == run.state or (before is None and run.state == "waiting"):
                continue
            if run.state != "running" or not self.live:
                text = f"{run.name}: {run.state}"
                if run.state == "running" and run.action == "resume":
                    text += f" (resumed after epoch {run.epochs_done})"
                if run.message and run.state != "running":
                    text += f" ({run.message})"
                self._line(text)
        if self.live:
            self.stream.write("\r\x1b[K" + status_line(runs))
            self.stream.flush()

    def _line(self, text: str) -> None:
        clear = "\r\x1b[K" if self.live else ""
        self.stream.write(f"{clear}{text}\n")
        self.stream.flush()

    def close(self, runs) -> None:
        """End the display with the final counts."""
        if not self.quiet:
            self._line(status_line(runs))


def status_line(runs) -> str:
    """``sweep: 3/8 finished · 2 running (latent-2 epoch 4, …) · 0 failed · 3 waiting``."""
    counts: dict[str, int] = {}
    for run in runs:
        counts[run.state] = counts.get(run.state, 0) + 1
    running = [f"{r.name} epoch {r.epochs_done}" for r in runs if r.state == "running"]
    text = f"sweep: {counts.get('finished', 0)}/{len(runs)} finished"
    text += f" · {len(running)} running"
    if running:
        text += f" ({', '.join(running)})"
    for state in ("diverged", "failed", "waiting"):
        if counts.get(state):
            text += f" · {counts[state]} {state}"
    return text


def run(args: argparse.Namespace) -> int:
    """Plan, train and summarise the sweep; 1 when a run failed or diverged."""
    from aeviewer.sweeps.plan import plan_sweep
    from aeviewer.sweeps.scheduler import run_sweep
    from aeviewer.sweeps.summary import write_summary

    if args.jobs < 1:
        raise ConfigError(f"--jobs: {args.jobs} is not a number of processes (at least 1)")
    if args.threads < 1:
        raise ConfigError(f"--threads: {args.threads} is not a number of threads (at least 1)")
    points = expand(grid_options(args))
    check_points(points)
    out = Path(args.out)
    runs = plan_sweep(points, out)
    skipped = sum(run.action == "skip" for run in runs)
    display = SweepDisplay(sys.stderr, sys.stderr.isatty(), args.quiet)
    if not args.quiet:
        resumed = sum(run.action == "resume" for run in runs)
        sys.stderr.write(
            f"sweep of {len(runs)} runs in {out} with {args.jobs} jobs: {skipped} finished "
            f"already, {resumed} to resume\n"
        )
    run_sweep(runs, args.jobs, args.threads, display)
    display.close(runs)
    csv_path, json_path = write_summary(out, runs)
    print(f"summary: {csv_path} and {json_path}")
    return 0 if all(run.state == "finished" for run in runs) else 1
