"""Following a run directory while a training run (here or on another machine) writes it.

:class:`RunFollower` is cheap to poll: each :meth:`RunFollower.poll` reads only the bytes
appended to ``metrics.jsonl`` since the last one and returns the complete new lines as
:class:`~aeviewer.training.events.EpochEnd` records; a last line still being written (no
newline yet) waits for the next poll. It never blocks and never raises for a run that is
still being set up. It knows nothing of Qt: the GUI calls it from a timer.
"""

from __future__ import annotations

import json
from pathlib import Path

from torch import nn

from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.errors import AeviewerError, RunError
from aeviewer.io.records import epoch_end_from_dict
from aeviewer.models.info import DataInfo
from aeviewer.models.registry import build_model
from aeviewer.training.events import EpochEnd
from aeviewer.training.rundir import (
    CONFIG_FILE,
    METRICS_FILE,
    MODEL_JSON,
    list_checkpoints,
    load_weights,
)


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

    @property
    def metrics_path(self) -> Path:
        """The metrics file followed."""
        return self.run_dir / METRICS_FILE

    def poll(self) -> list[EpochEnd]:
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
        records = []
        for line in chunk[: end + 1].splitlines():
            record = self._parse(line)
            if record is not None and record.epoch > self._last_epoch:
                records.append(record)
                self._last_epoch = record.epoch
        return records

    def _parse(self, line: bytes) -> EpochEnd | None:
        if not line.strip():
            return None
        try:
            return epoch_end_from_dict(json.loads(line.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, ValueError):
            self.skipped_lines += 1
            return None

    def config(self) -> RunConfig | None:
        """The run's config, or None while ``config.json`` is not there (yet) or unreadable."""
        try:
            return RunConfig.from_dict(json.loads((self.run_dir / CONFIG_FILE).read_text("utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, AeviewerError):
            return None

    def newest_checkpoint(self) -> Path | None:
        """The checkpoint of the latest epoch so far, or None."""
        checkpoints = list_checkpoints(self.run_dir)
        return checkpoints[-1] if checkpoints else None

    def new_checkpoint(self) -> Path | None:
        """The newest checkpoint if it changed since the last call, else None."""
        newest = self.newest_checkpoint()
        if newest is None or newest == self._last_checkpoint:
            return None
        self._last_checkpoint = newest
        return newest

    def has_final_model(self) -> bool:
        """True once the run wrote its final model (it has ended)."""
        return (self.run_dir / MODEL_JSON).is_file()

    def model_at(self, checkpoint: str | Path, dataset: Dataset) -> nn.Module:
        """The run's model with the weights of ``checkpoint`` (CPU, eval mode).

        ``dataset`` is the run's data, prepared as the run prepared it: while a run is being
        written its sizes are known only from the data.

        Raises
        ------
        RunError
            Without a config yet, or for weights that do not fit.
        """
        config = self.config()
        if config is None:
            raise RunError(f"{self.run_dir}: no readable {CONFIG_FILE} yet")
        try:
            model = build_model(config.model, DataInfo.from_dataset(dataset))
        except AeviewerError as exc:
            raise RunError(f"{self.run_dir}: {exc}") from None
        load_weights(checkpoint, model)
        return model.eval()
