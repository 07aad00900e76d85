"""Run directories: the config, per-epoch metrics, checkpoints and the final model.

Layout::

    RUN/config.json                        the RunConfig (rewritten when a resume extends it)
    RUN/data.json                          how the data were prepared, with a content hash
    RUN/metrics.jsonl                      one JSON object per epoch, appended and flushed
    RUN/checkpoints/epoch-NNNNNNNNNNNN.*   full training states (see checkpoints.py)
    RUN/model.safetensors + RUN/model.json the final model and what is needed to rebuild it

Every file except the appended metrics is written atomically. A model loads from
``model.safetensors`` and ``model.json`` alone, with no code execution.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors
from safetensors.torch import save as save_safetensors
from torch import nn

from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset, Normalization
from aeviewer.errors import AeviewerError, RunError
from aeviewer.io.atomic import atomic_write_bytes, atomic_write_json
from aeviewer.limits import check_allocation, read_json_limited
from aeviewer.models.info import DataInfo
from aeviewer.models.registry import build_model
from aeviewer.training.checkpoints import CHECKPOINT_DIR

CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.jsonl"
DATA_FILE = "data.json"
MODEL_WEIGHTS = "model.safetensors"
MODEL_JSON = "model.json"
MODEL_FORMAT = "aeviewer.model"
MODEL_FORMAT_VERSION = 1
#: The largest description (``model.json``, ``data.json``) read; larger files are refused.
MAX_JSON_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class ModelRecord:
    """What ``model.json`` says besides the config: the data and how training ended."""

    data: DataInfo
    normalization: Normalization
    loss: str
    output: str
    epoch: int
    step: int
    reason: str
    data_name: str = ""
    class_names: tuple[str, ...] | None = None
    #: The SHA-256 of the prepared data (see :mod:`aeviewer.data.fingerprint`); "" if unknown.
    content_sha256: str = ""


# -- weights ---------------------------------------------------------------------------------
def save_weights(
    path: str | Path, model: nn.Module, metadata: dict[str, str] | None = None
) -> None:
    """Write ``model``'s weights to a safetensors file atomically."""
    state = {k: v.detach().to("cpu").contiguous() for k, v in model.state_dict().items()}
    atomic_write_bytes(path, save_safetensors(state, metadata=metadata))


def load_weights(path: str | Path, model: nn.Module) -> None:
    """Load safetensors weights into ``model``, which must have exactly these tensors."""
    path = Path(path)
    try:
        if not path.is_file():
            raise RunError(f"{path}: the weights file is missing (or not a plain file)")
        check_allocation(path.stat().st_size, "reading the weights", path, RunError)
        state = load_safetensors(path.read_bytes())
    except OSError as exc:
        raise RunError(f"{path}: cannot read weights: {exc.strerror or exc}") from None
    except SafetensorError as exc:
        raise RunError(f"{path}: not a complete safetensors file ({exc})") from None
    load_state(model, state, path)


def load_state(model: nn.Module, state: dict[str, torch.Tensor], where: str | Path) -> None:
    """Load ``state`` into ``model`` strictly; a mismatch is a RunError naming ``where``."""
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        first = str(exc).strip().splitlines()[:2]
        raise RunError(f"{where}: weights do not fit the model: {' '.join(first)}") from None


# -- the run directory -----------------------------------------------------------------------
class RunDirectory:
    """A run directory being written by a training run."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @classmethod
    def create(
        cls, path: str | Path, config: RunConfig, data: dict[str, Any] | None = None
    ) -> RunDirectory:
        """Start a run in ``path`` (created if needed; refused if it already holds a run)."""
        run = cls(path)
        if run.path.exists() and not run.path.is_dir():
            raise RunError(f"{run.path}: exists and is not a folder")
        if (run.path / CONFIG_FILE).exists() or (run.path / METRICS_FILE).exists():
            raise RunError(
                f"{run.path}: already holds a run; choose another output folder, or continue "
                f"it with: aeviewer train --resume {run.path}"
            )
        try:
            (run.path / CHECKPOINT_DIR).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RunError(f"{run.path}: cannot create the run folder: {exc.strerror}") from None
        run._write_header(config, data)
        return run

    @classmethod
    def reopen(
        cls, path: str | Path, config: RunConfig, epoch: int, data: dict[str, Any] | None
    ) -> RunDirectory:
        """Continue the run in ``path`` after ``epoch``: the config is rewritten (a resume may
        extend the epochs) and epochs after ``epoch`` are dropped from the metrics, since they
        are trained again."""
        run = cls(path)
        if not (run.path / CONFIG_FILE).is_file():
            raise RunError(f"{run.path}: not a run directory (no {CONFIG_FILE})")
        (run.path / CHECKPOINT_DIR).mkdir(parents=True, exist_ok=True)
        run._write_header(config, data)
        run.truncate_metrics(epoch)
        for name in (MODEL_JSON, MODEL_WEIGHTS):
            # The old final model no longer describes the run until it finishes again.
            (run.path / name).unlink(missing_ok=True)
        return run

    def _write_header(self, config: RunConfig, data: dict[str, Any] | None) -> None:
        try:
            atomic_write_json(self.path / CONFIG_FILE, config.to_dict())
            if data is not None:
                atomic_write_json(self.path / DATA_FILE, data)
        except OSError as exc:
            raise RunError(f"{self.path}: cannot write the run folder: {exc.strerror}") from None

    def append_metrics(self, record: dict[str, Any]) -> None:
        """Append one JSON line to ``metrics.jsonl`` and flush it (synced by :meth:`sync`)."""
        line = json.dumps(record, allow_nan=True) + "\n"
        with open(self.path / METRICS_FILE, "a", encoding="utf-8") as handle:
            handle.write(line)

    def sync(self) -> None:
        """Push the appended metrics to disk."""
        try:
            fd = os.open(self.path / METRICS_FILE, os.O_RDONLY)
        except FileNotFoundError:
            return
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def truncate_metrics(self, epoch: int) -> None:
        """Keep only the metrics of epochs up to ``epoch`` (and no partly written line)."""
        path = self.path / METRICS_FILE
        if not path.exists():
            return
        kept = [r for r in read_metrics(self.path) if int(r.get("epoch", 0)) <= epoch]
        text = "".join(json.dumps(r, allow_nan=True) + "\n" for r in kept)
        atomic_write_bytes(path, text.encode("utf-8"))

    def save_model(self, model: nn.Module, config: RunConfig, record: ModelRecord) -> Path:
        """Write the final ``model.safetensors`` and then ``model.json``."""
        save_weights(self.path / MODEL_WEIGHTS, model)
        atomic_write_json(self.path / MODEL_JSON, model_json(config, record))
        return self.path / MODEL_WEIGHTS


def saved_model_epoch(run_dir: str | Path) -> int | None:
    """The epoch of the run's saved final model; None when there is none (the run never
    finished, or was killed before its model was written) or its description is unreadable."""
    path = Path(run_dir)
    if not (path / MODEL_WEIGHTS).is_file():
        return None
    try:
        record = read_json_limited(path / MODEL_JSON, what="model description")
    except AeviewerError:
        return None
    epoch = record.get("epoch") if isinstance(record, dict) else None
    return epoch if isinstance(epoch, int) and not isinstance(epoch, bool) else None


def read_data_record(run_dir: str | Path) -> dict[str, Any] | None:
    """The run's ``data.json`` (None for runs written before it existed).

    Raises
    ------
    RunError
        When the file exists but is not a readable JSON object.
    """
    path = Path(run_dir) / DATA_FILE
    if not path.exists():
        return None
    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise RunError(f"{path}: too large for a data description")
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise RunError(f"{path}: not a readable data description ({exc})") from None
    if not isinstance(record, dict):
        raise RunError(f"{path}: not a data description (expected a JSON object)")
    return record


def model_record(
    model: nn.Module,
    dataset: Dataset,
    *,
    epoch: int,
    step: int,
    reason: str,
    content_sha256: str = "",
) -> ModelRecord:
    """The record of a trained autoencoder on ``dataset`` (whose content hash the caller may
    know already)."""
    return ModelRecord(
        data=DataInfo.from_dataset(dataset),
        normalization=dataset.normalization,
        loss=str(getattr(model, "loss_name", "")),
        output=str(getattr(model, "output", "")),
        epoch=epoch,
        step=step,
        reason=reason,
        data_name=dataset.name,
        class_names=dataset.class_names,
        content_sha256=content_sha256,
    )


def model_json(config: RunConfig, record: ModelRecord) -> dict[str, Any]:
    """The JSON object saved beside the weights."""
    return {
        "format": MODEL_FORMAT,
        "version": MODEL_FORMAT_VERSION,
        "kind": config.model.kind,
        "weights": MODEL_WEIGHTS,
        "config": config.to_dict(),
        "data": {
            **record.data.to_dict(),
            "name": record.data_name,
            "class_names": None if record.class_names is None else list(record.class_names),
            "normalization": record.normalization.to_dict(),
            "content_sha256": record.content_sha256,
        },
        "loss": record.loss,
        "output": record.output,
        "epoch": record.epoch,
        "step": record.step,
        "reason": record.reason,
    }


def read_metrics(run_dir: str | Path) -> list[dict[str, Any]]:
    """The per-epoch records of a run so far (a line still being written is skipped)."""
    path = Path(run_dir) / METRICS_FILE
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return records


def load_model(path: str | Path) -> tuple[nn.Module, RunConfig, ModelRecord]:
    """Rebuild a saved model from a run directory or its ``model.json``.

    Reads only JSON and safetensors; nothing is executed. The model is on the CPU in eval mode.

    Raises
    ------
    RunError
        When ``path`` is not a run directory with a final model, or the files do not agree.
    """
    path = Path(path)
    json_path = path / MODEL_JSON if path.is_dir() else path
    if not json_path.exists():
        if path.is_dir() and (path / CONFIG_FILE).exists():
            raise RunError(f"{path}: the run has no final model yet ({MODEL_JSON} is missing)")
        raise RunError(f"{path}: not a run directory (no {MODEL_JSON})")
    meta = read_json_limited(json_path, what="model description", error=RunError)
    model, config, record = model_from_description(meta, json_path)
    load_weights(json_path.parent / weights_name(meta, json_path), model)
    model.eval()
    return model, config, record


def weights_name(meta: dict[str, Any], where: str | Path) -> str:
    """The weights file a description names: a plain file name beside it, nothing else."""
    name = str(meta.get("weights", MODEL_WEIGHTS))
    if not name or name in (".", "..") or Path(name).name != name or "\\" in name:
        raise RunError(
            f"{where}: the weights must be a file beside the description, not {name[:100]!r}"
        )
    return name


def model_from_description(
    meta: Any, where: str | Path
) -> tuple[nn.Module, RunConfig, ModelRecord]:
    """Build the (untrained) model a ``model.json`` object describes; ``where`` names it.

    Raises
    ------
    RunError
        When ``meta`` is not an aeviewer model description or does not describe a valid model.
    """
    json_path = where
    if not isinstance(meta, dict) or meta.get("format") != MODEL_FORMAT:
        raise RunError(f"{json_path}: not an aeviewer model description")
    try:
        config = RunConfig.from_dict(meta["config"])
        data = meta["data"]
        record = ModelRecord(
            data=DataInfo.from_dict(data),
            normalization=Normalization.from_dict(data["normalization"]),
            loss=str(meta.get("loss", "")),
            output=str(meta.get("output", "")),
            epoch=int(meta.get("epoch", 0)),
            step=int(meta.get("step", 0)),
            reason=str(meta.get("reason", "")),
            data_name=str(data.get("name", "")),
            class_names=None if data.get("class_names") is None else tuple(data["class_names"]),
            content_sha256=str(data.get("content_sha256") or ""),
        )
        model = build_model(config.model, record.data)
    except AeviewerError as exc:
        raise RunError(f"{json_path}: {exc}") from None
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        raise RunError(f"{json_path}: incomplete model description ({exc})") from None
    return model, config, record


def state_copy(model: nn.Module) -> dict[str, torch.Tensor]:
    """A detached copy of ``model``'s state, to restore after a divergence."""
    return {k: v.detach().clone() for k, v in model.state_dict().items()}
