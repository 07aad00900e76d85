"""Following a run directory while a training run (here or on another machine) writes it.

:class:`RunFollower` is cheap to poll: each :meth:`RunFollower.poll` reads only the bytes
appended to ``metrics.jsonl`` since the last one and returns the complete new lines as
:class:`~aeviewer.training.events.EpochEnd` records (each after the
:class:`~aeviewer.training.events.LrChanged` events recorded with it); a last line still being
written (no newline yet) waits for the next poll. It never raises for a run that is still being
set up, and :meth:`RunFollower.status` tells whether the run is running, finished, or stopped
without finishing. It knows nothing of Qt: the GUI polls it in a background thread.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from torch import nn

from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.errors import AeviewerError, RunError
from aeviewer.io.records import events_from_metrics_line
from aeviewer.models.info import DataInfo
from aeviewer.models.registry import build_model
from aeviewer.training.checkpoints import CheckpointFile, list_checkpoints, read_checkpoint
from aeviewer.training.data_record import check_same_data
from aeviewer.training.events import EpochEnd, LrChanged
from aeviewer.training.rundir import (
    CONFIG_FILE,
    METRICS_FILE,
    MODEL_JSON,
    load_state,
)
from aeviewer.training.state import TrainingState

#: A run with no new epoch for this long, and at least this many times its slowest epoch, and
#: no final model, is taken to have stopped without finishing.
STALLED_AFTER_S = 60.0
STALLED_EPOCHS = 5.0


@dataclass(frozen=True)
class RunStatus:
    """Where a followed run stands: ``running``, ``finished`` or ``stalled``."""

    state: str
    epoch: int
    message: str


class RunFollower:
    """Reads a run directory incrementally.

    Parameters
    ----------
    run_dir
        The run directory; it may not exist yet, or hold only part of a run.

    Attributes
    ----------
    skipped_lines
        Complete lines of ``metrics.jsonl`` that were not valid epoch records.
    """

    def __init__(self, run_dir: str | Path) -> None:
        self.run_dir = Path(run_dir)
        self.skipped_lines = 0
        self._offset = 0
        self._last_epoch = 0
        self._last_checkpoint: Path | None = None
        self._last_change = time.monotonic()
        self._slowest_epoch_s = 0.0

    @property
    def metrics_path(self) -> Path:
        """The metrics file followed."""
        return self.run_dir / METRICS_FILE

    def poll(self) -> list[EpochEnd | LrChanged]:
        """The epochs completed since the last poll, oldest first.

        A file that shrank (rewritten by a new run or a sync tool) is read again from the start,
        and only epochs after the last one returned are reported.
        """
        try:
            with open(self.metrics_path, "rb") as handle:
                handle.seek(0, 2)
                size = handle.tell()
                if size < self._offset:
                    self._offset = 0
                handle.seek(self._offset)
                chunk = handle.read(size - self._offset)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise RunError(f"{self.metrics_path}: cannot read: {exc.strerror or exc}") from None
        end = chunk.rfind(b"\n")
        if end < 0:
            return []
        self._offset += end + 1
        records: list[EpochEnd | LrChanged] = []
        for line in chunk[: end + 1].splitlines():
            events = self._parse(line)
            if events and events[-1].epoch > self._last_epoch:
                records.extend(events)
                self._last_epoch = events[-1].epoch
                self._last_change = time.monotonic()
                seconds = getattr(events[-1], "seconds", 0.0)
                self._slowest_epoch_s = max(self._slowest_epoch_s, float(seconds))
        return records

    def _parse(self, line: bytes) -> list[EpochEnd | LrChanged]:
        if not line.strip():
            return []
        try:
            return events_from_metrics_line(json.loads(line.decode("utf-8")))
        except (
            UnicodeDecodeError,
            json.JSONDecodeError,
            RecursionError,
            KeyError,
            TypeError,
            ValueError,
        ):
            self.skipped_lines += 1
            return []

    def status(self, now: float | None = None) -> RunStatus:
        """Whether the run is still being written, has finished, or stopped without finishing
        (no new epoch for a while and no final model); the message says what to do."""
        now = time.monotonic() if now is None else now
        epoch = self._last_epoch
        if self.has_final_model():
            return RunStatus("finished", epoch, f"The run finished after epoch {epoch}.")
        quiet = now - self._last_change
        if quiet >= max(STALLED_AFTER_S, STALLED_EPOCHS * self._slowest_epoch_s):
            return RunStatus(
                "stalled",
                epoch,
                f"No new epoch for {quiet:.0f} s and no final model: the run stopped without "
                f"finishing after epoch {epoch}. Continue it with: "
                f"aeviewer train --resume {self.run_dir}",
            )
        return RunStatus("running", epoch, f"Following {self.run_dir.name}: epoch {epoch}.")

    def config(self) -> RunConfig | None:
        """The run's config, or None while ``config.json`` is not there (yet) or unreadable."""
        try:
            # Read with the JSON size and depth limits: a run directory may come from anywhere.
            return RunConfig.load(self.run_dir / CONFIG_FILE)
        except AeviewerError:
            return None

    def newest_checkpoint(self) -> CheckpointFile | None:
        """The checkpoint of the latest epoch so far, or None."""
        checkpoints = list_checkpoints(self.run_dir)
        return checkpoints[-1] if checkpoints else None

    def new_checkpoint(self) -> CheckpointFile | None:
        """The newest checkpoint if it changed since the last call, else None."""
        newest = self.newest_checkpoint()
        if newest is None or newest.meta_path == self._last_checkpoint:
            return None
        self._last_checkpoint = newest.meta_path
        return newest

    def has_final_model(self) -> bool:
        """True once the run wrote its final model (it has ended)."""
        return (self.run_dir / MODEL_JSON).is_file()

    def model_at(
        self,
        checkpoint: CheckpointFile | str | Path,
        dataset: Dataset,
        *,
        state: TrainingState | None = None,
    ) -> nn.Module:
        """The run's model with the weights of ``checkpoint`` (CPU, eval mode).

        ``dataset`` is the run's data, prepared as the run prepared it; data that differ from
        what the run trained on are refused. ``state`` is the checkpoint when read already.

        Raises
        ------
        RunError
            For a damaged checkpoint, other data, or weights that do not fit.
        """
        path = checkpoint.meta_path if isinstance(checkpoint, CheckpointFile) else checkpoint
        if state is None:
            state = read_checkpoint(path)
        check_same_data(state.data, dataset, path)
        try:
            model = build_model(state.config.model, DataInfo.from_dataset(dataset))
        except AeviewerError as exc:
            raise RunError(f"{path}: {exc}") from None
        load_state(model, state.model_state(), path)
        return model.eval()
