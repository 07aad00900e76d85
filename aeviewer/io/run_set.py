"""A set of runs to compare: each with a colour, a visibility, its epochs and its figures.

Qt-free. :class:`RunSource` reads one run directory incrementally (a
:class:`~aeviewer.io.follow.RunFollower`) and is meant to be polled in a background thread;
it returns :class:`RunUpdate` records, which :meth:`RunSet.apply` merges in the GUI thread, so
the set itself is only ever touched by one thread. The window's own run (trained or followed
there) is an entry too, fed by :meth:`RunSet.live_event`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aeviewer.errors import AeviewerError, RunError
from aeviewer.io.follow import RunFollower
from aeviewer.io.records import epoch_end_to_dict
from aeviewer.io.run_summary import (
    RunSummary,
    differing_settings,
    figures_of,
    flatten,
    summarise_run,
)
from aeviewer.training.events import EpochEnd, Event, Started
from aeviewer.training.run_log import baseline_record, read_baseline

#: The key of the window's own run.
LIVE = "live"
#: Run colours, in order of opening (a qualitative palette that stays apart on white).
COLOURS: tuple[str, ...] = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd",
    "#e6550d", "#31a354", "#756bb1", "#636363",
)  # fmt: skip


@dataclass
class RunUpdate:
    """What one poll of a run directory found."""

    key: str
    epochs: list[EpochEnd] = field(default_factory=list)
    status: str = "running"
    summary: RunSummary | None = None
    baseline: dict[str, Any] | None = None
    error: str = ""


class RunSource:
    """One run directory, read incrementally (poll it off the GUI thread).

    Raises
    ------
    RunError
        At construction, when ``path`` is not a run directory this version can read.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        summary = summarise_run(self.path)  # refuses a foreign or incompatible folder
        self.key = str(self.path.resolve())
        self.name = summary.name
        self.follower = RunFollower(self.path)
        self._baseline: dict[str, Any] | None = None
        self._status = ""

    def poll(self) -> RunUpdate:
        """New epochs, the status, and the figures when something changed (a finished run
        costs a look at its metrics file's size; resumed, it is followed again)."""
        try:
            epochs = [e for e in self.follower.poll() if isinstance(e, EpochEnd)]
            status = self.follower.status().state
            if self._baseline is None:
                self._baseline = read_baseline(self.path)
            summary = None
            if epochs or status != self._status:
                summary = summarise_run(self.path)
        except AeviewerError as exc:
            return RunUpdate(self.key, status="error", error=str(exc))
        self._status = status
        return RunUpdate(self.key, epochs, status, summary, self._baseline)


@dataclass
class RunEntry:
    """One run of the set as the views draw it."""

    key: str
    name: str
    colour: str
    path: Path | None = None
    visible: bool = True
    status: str = "running"
    epochs: list[EpochEnd] = field(default_factory=list)
    summary: RunSummary | None = None
    baseline: dict[str, Any] | None = None
    error: str = ""

    @property
    def is_live(self) -> bool:
        """True for the window's own run."""
        return self.key == LIVE

    @property
    def settings(self) -> dict[str, Any]:
        """Flattened config settings (empty before the config is known)."""
        return dict(self.summary.settings) if self.summary is not None else {}

    @property
    def latent(self) -> int | None:
        """The latent size, when known."""
        return None if self.summary is None else self.summary.latent

    @property
    def pca_mse(self) -> float | None:
        """PCA's validation MSE at this run's latent size, when known."""
        value = None if self.summary is None else self.summary.figures.get("pca_mse")
        return None if value is None else float(value)

    def key_settings(self) -> str:
        """``ae · latent 8 · 20 epochs``: what tells runs apart at a glance."""
        s = self.settings
        if not s:
            return ""
        parts = [str(s.get("model.kind", "?")), f"latent {s.get('model.latent', '?')}"]
        parts.append(f"{len(self.epochs)} epochs")
        return " · ".join(parts)


class RunSet:
    """The runs open for comparison, in the order they were added."""

    def __init__(self) -> None:
        self.entries: dict[str, RunEntry] = {}
        self._next_colour = 0
        #: What the live run's summary needs of its Started event (not the event itself, so
        #: that nothing of a run outlives a reset here).
        self._live_start: dict[str, Any] | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries.values())

    def add(self, source: RunSource) -> RunEntry | None:
        """Add the run of ``source``; None when it is open already."""
        if source.key in self.entries:
            return None
        entry = RunEntry(source.key, source.name, self._colour(), path=source.path)
        self.entries[source.key] = entry
        return entry

    def remove(self, key: str) -> None:
        """Remove a run (the live run stays: it is the window's)."""
        if key != LIVE:
            self.entries.pop(key, None)

    def _colour(self) -> str:
        colour = COLOURS[self._next_colour % len(COLOURS)]
        self._next_colour += 1
        return colour

    def apply(self, update: RunUpdate) -> bool:
        """Merge a poll's result; True when something changed."""
        entry = self.entries.get(update.key)
        if entry is None:
            return False
        changed = bool(update.epochs) or update.status != entry.status
        entry.epochs.extend(update.epochs)
        entry.status = update.status
        entry.error = update.error
        if update.summary is not None and update.summary != entry.summary:
            entry.summary, changed = update.summary, True
        if update.baseline is not None and entry.baseline is None:
            entry.baseline, changed = update.baseline, True
        return changed

    # -- the window's own run ------------------------------------------------------------------
    def live_event(self, event: Event, name: str = "this window") -> bool:
        """Feed the live entry from the window's training events; True when it changed."""
        if isinstance(event, Started):
            if event.first_epoch == 0 or LIVE not in self.entries:
                entry = RunEntry(LIVE, name, "#000000", status="running")
                self.entries = {LIVE: entry, **{k: v for k, v in self.entries.items() if k != LIVE}}
            config = event.config
            self._live_start = {
                "baseline": baseline_record(event),
                "kind": config.model.kind,
                "source": config.data.source,
                "settings": flatten(config.to_dict()),
            }
            self.entries[LIVE].status = "running"
            self._live_summary()
            return True
        entry = self.entries.get(LIVE)
        if entry is None:
            return False
        if isinstance(event, EpochEnd):
            entry.epochs.append(event)
            self._live_summary()
            return True
        return False

    def live_finished(self, status: str = "finished") -> None:
        """The window's run ended (or stopped)."""
        if LIVE in self.entries:
            self.entries[LIVE].status = status

    def clear_live(self) -> None:
        """The window's run was reset: drop its entry."""
        self.entries.pop(LIVE, None)
        self._live_start = None

    def _live_summary(self) -> None:
        start, entry = self._live_start, self.entries[LIVE]
        if start is None:
            return
        metrics = [epoch_end_to_dict(e) for e in entry.epochs]
        figures = figures_of(metrics, start["baseline"], None, start["kind"])
        entry.summary = RunSummary(
            Path("."), entry.name, entry.status, start["source"], figures, start["settings"]
        )

    # -- reading -------------------------------------------------------------------------------
    def visible(self) -> list[RunEntry]:
        """The runs shown, in order."""
        return [e for e in self.entries.values() if e.visible]

    def differing(self) -> list[str]:
        """Setting keys that differ between the runs."""
        return differing_settings(e.summary for e in self if e.summary is not None)

    def data_sets(self) -> set[str]:
        """The distinct data the run directories trained on (source and content hash)."""
        return {e.summary.data_id for e in self if e.summary is not None and not e.is_live}

    def rows(self) -> tuple[list[str], list[dict[str, Any]]]:
        """The comparison table: column names and one row per run."""
        keys = self.differing()
        mixed = len(self.data_sets()) > 1
        rows = []
        for entry in self:
            if entry.summary is None:
                row: dict[str, Any] = {"run": entry.name, "status": entry.status}
            else:
                row = entry.summary.row(keys)
                row.pop("path", None)
                row["status"] = entry.status
            row["data_differs"] = mixed
            rows.append(row)
        columns = ["run", "status", "data", "model_mse", "pca_mse", "mse_ratio"]
        columns += ["model_auc", "pca_auc", "epochs", "samples_per_s", "train_seconds", *keys]
        return columns, rows


def open_sources(paths: Iterable[str | Path]) -> tuple[list[RunSource], list[str]]:
    """Sources for ``paths`` (run directories, or folders of runs such as sweeps), and one
    message for each path that is neither; meant for a background thread."""
    from aeviewer.io.open_paths import sweep_runs

    sources, problems = [], []
    for path in paths:
        path = Path(path)
        folders = [path] if (path / "config.json").is_file() else sweep_runs(path)
        if not folders:
            problems.append(
                f"{path}: neither a run directory nor a folder of runs (no config.json)"
            )
            continue
        for folder in folders:
            try:
                sources.append(RunSource(folder))
            except RunError as exc:
                problems.append(str(exc))
    return sources, problems
