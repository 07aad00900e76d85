"""What a sweep has to do for each run of its grid, given what its folder holds already.

``SWEEPDIR/sweep.json`` records every run's ``aeviewer train`` arguments. Run again, a sweep
skips the runs that finished, resumes those that have a checkpoint (``aeviewer train
--resume``), starts again those killed before their first checkpoint, and starts the new ones.
A run whose recorded arguments differ from the grid's is refused (a finished run gets more
epochs when only ``--epochs`` grew).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aeviewer.errors import ConfigError
from aeviewer.io.atomic import atomic_write_json
from aeviewer.limits import read_json_limited
from aeviewer.sweeps.grid import GridPoint

SWEEP_FILE = "sweep.json"
SWEEP_FORMAT = "aeviewer.sweep"
SWEEP_VERSION = 1
LOG_DIR = "logs"
SUMMARY_CSV = "summary.csv"
SUMMARY_JSON = "summary.json"


@dataclass
class SweepRun:
    """One run of a sweep and where it stands.

    ``action`` is ``new``, ``resume``, ``restart`` (killed before its first checkpoint) or
    ``skip`` (finished before); ``state`` is ``waiting``, ``running``, ``finished``,
    ``diverged`` or ``failed``.
    """

    point: GridPoint
    path: Path
    action: str
    extra: tuple[str, ...] = ()
    state: str = "waiting"
    epochs_done: int = 0
    message: str = ""
    log: Path | None = None
    history: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The run's folder name."""
        return self.point.name

    def command(self) -> list[str]:
        """The ``aeviewer train`` arguments that (re)start this run."""
        if self.action == "resume":
            return ["train", "--resume", str(self.path), *self.extra, "--quiet"]
        return ["train", *self.point.argv, "--out", str(self.path), "--quiet"]


def plan_sweep(points: list[GridPoint], out: Path) -> list[SweepRun]:
    """Decide what to do for each grid point in the sweep folder ``out`` and record the grid.

    Raises
    ------
    ConfigError
        When ``out`` is not a folder a sweep can use, or holds a run of the same name with
        other settings.
    """
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: exists and is not a folder")
    recorded = read_sweep_file(out)
    runs = []
    for point in points:
        before = recorded.get(point.name)
        extra: tuple[str, ...] = ()
        if before is not None and tuple(before) != point.argv:
            extra = _more_epochs(out / point.name, tuple(before), point)
        runs.append(_plan_run(point, out / point.name, extra))
    try:
        (out / LOG_DIR).mkdir(parents=True, exist_ok=True)
        merged = {**recorded, **{p.name: list(p.argv) for p in points}}
        atomic_write_json(
            out / SWEEP_FILE,
            {
                "format": SWEEP_FORMAT,
                "version": SWEEP_VERSION,
                "runs": [{"name": k, "argv": v} for k, v in merged.items()],
            },
        )
    except OSError as exc:
        raise ConfigError(f"{out}: cannot write the sweep folder: {exc.strerror or exc}") from None
    for run in runs:
        run.log = out / LOG_DIR / f"{run.name}.log"
    return runs


def _plan_run(point: GridPoint, path: Path, extra: tuple[str, ...]) -> SweepRun:
    if (path / "model.json").is_file():
        if extra:
            return SweepRun(point, path, "resume", extra)
        return SweepRun(point, path, "skip", state="finished", epochs_done=_epochs(path))
    if (path / "config.json").is_file():
        if any((path / "checkpoints").glob("epoch-*.json")):
            return SweepRun(point, path, "resume", extra, epochs_done=_epochs(path))
        # Killed before its first checkpoint: nothing to resume from.
        shutil.rmtree(path, ignore_errors=True)
        return SweepRun(point, path, "restart")
    return SweepRun(point, path, "new")


def _more_epochs(path: Path, before: tuple[str, ...], point: GridPoint) -> tuple[str, ...]:
    """``("--epochs", N)`` when the arguments differ only in a larger ``--epochs``."""
    old, new = _without_epochs(before), _without_epochs(point.argv)
    old_epochs, new_epochs = _epochs_arg(before), _epochs_arg(point.argv)
    if old == new and new_epochs is not None and (old_epochs is None or new_epochs > old_epochs):
        return ("--epochs", str(new_epochs))
    raise ConfigError(
        f"{path}: this run was started with other settings ({' '.join(before)}); "
        "give the sweep another --out folder, or the same settings"
    )


def _without_epochs(argv: tuple[str, ...]) -> tuple[str, ...]:
    out, skip = [], False
    for item in argv:
        if skip:
            skip = False
        elif item == "--epochs":
            skip = True
        else:
            out.append(item)
    return tuple(out)


def _epochs_arg(argv: tuple[str, ...]) -> int | None:
    for i, item in enumerate(argv[:-1]):
        if item == "--epochs":
            try:
                return int(argv[i + 1])
            except ValueError:
                return None
    return None


def _epochs(path: Path) -> int:
    try:
        with open(path / "metrics.jsonl", "rb") as handle:
            return handle.read().count(b"\n")
    except OSError:
        return 0


def read_sweep_file(out: Path) -> dict[str, list[str]]:
    """The runs recorded in ``out/sweep.json`` (name -> arguments); empty when there is none.

    Raises
    ------
    ConfigError
        When the file exists but is not a sweep record this version reads.
    """
    path = out / SWEEP_FILE
    if not path.is_file():
        return {}
    data: Any = read_json_limited(path, what="sweep record", error=ConfigError)
    if not isinstance(data, dict) or data.get("format") != SWEEP_FORMAT:
        raise ConfigError(f"{path}: not an aeviewer sweep record")
    if data.get("version") != SWEEP_VERSION:
        raise ConfigError(f"{path}: a sweep record of a version this aeviewer cannot read")
    try:
        return {str(r["name"]): [str(a) for a in r["argv"]] for r in data["runs"]}
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: an incomplete sweep record ({exc})") from None
