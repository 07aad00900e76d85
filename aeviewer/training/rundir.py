"""Run directories: the config, per-epoch metrics, checkpoints and the final model.

Layout::

    RUN/config.json                        the RunConfig
    RUN/metrics.jsonl                      one JSON object per epoch, appended and fsync'd
    RUN/checkpoints/epoch-NNNN.safetensors model weights only (no optimiser state)
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
from aeviewer.models.info import DataInfo
from aeviewer.models.registry import build_model

CONFIG_FILE = "config.json"
METRICS_FILE = "metrics.jsonl"
CHECKPOINT_DIR = "checkpoints"
MODEL_WEIGHTS = "model.safetensors"
MODEL_JSON = "model.json"
MODEL_FORMAT = "aeviewer.model"
MODEL_FORMAT_VERSION = 1


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
        state = load_safetensors(path.read_bytes())
    except (OSError, SafetensorError) as exc:
        raise RunError(f"{path}: cannot read weights: {exc}") from None
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
    def create(cls, path: str | Path, config: RunConfig) -> RunDirectory:
        """Start a run in ``path`` (created if needed; refused if it already holds a run)."""
        run = cls(path)
        if run.path.exists() and not run.path.is_dir():
            raise RunError(f"{run.path}: exists and is not a folder")
        if (run.path / CONFIG_FILE).exists() or (run.path / METRICS_FILE).exists():
            raise RunError(f"{run.path}: already holds a run; choose another output folder")
        try:
            (run.path / CHECKPOINT_DIR).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RunError(f"{run.path}: cannot create the run folder: {exc.strerror}") from None
        atomic_write_json(run.path / CONFIG_FILE, config.to_dict())
        return run

    def append_metrics(self, record: dict[str, Any]) -> None:
        """Append one JSON line to ``metrics.jsonl`` and push it to disk."""
        line = json.dumps(record, allow_nan=True) + "\n"
        with open(self.path / METRICS_FILE, "a", encoding="utf-8") as handle:
            handle.write(line)
            handle.flush()
            os.fsync(handle.fileno())

    def checkpoint_path(self, epoch: int) -> Path:
        """Where the checkpoint of ``epoch`` goes."""
        return self.path / CHECKPOINT_DIR / f"epoch-{epoch:04d}.safetensors"

    def save_checkpoint(self, model: nn.Module, epoch: int) -> Path:
        """Write the weights after ``epoch``."""
        path = self.checkpoint_path(epoch)
        save_weights(path, model, {"epoch": str(epoch)})
        return path

    def save_model(self, model: nn.Module, config: RunConfig, record: ModelRecord) -> Path:
        """Write the final ``model.safetensors`` and then ``model.json``."""
        save_weights(self.path / MODEL_WEIGHTS, model)
        atomic_write_json(self.path / MODEL_JSON, model_json(config, record))
        return self.path / MODEL_WEIGHTS


def model_record(
    model: nn.Module, dataset: Dataset, *, epoch: int, step: int, reason: str
) -> ModelRecord:
    """The record of a trained autoencoder on ``dataset``."""
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
    try:
        meta = json.loads(json_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RunError(f"{json_path}: not a readable model description: {exc}") from None
    model, config, record = model_from_description(meta, json_path)
    load_weights(json_path.parent / str(meta.get("weights", MODEL_WEIGHTS)), model)
    model.eval()
    return model, config, record


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
        )
        model = build_model(config.model, record.data)
    except AeviewerError as exc:
        raise RunError(f"{json_path}: {exc}") from None
    except (KeyError, TypeError, ValueError) as exc:
        raise RunError(f"{json_path}: incomplete model description ({exc})") from None
    return model, config, record


def load_checkpoint(run_dir: str | Path, epoch: int, model: nn.Module) -> None:
    """Load the checkpoint of ``epoch`` into ``model``."""
    path = RunDirectory(run_dir).checkpoint_path(epoch)
    if not path.exists():
        raise RunError(f"{path}: no checkpoint for epoch {epoch}")
    load_weights(path, model)


def list_checkpoints(run_dir: str | Path) -> list[Path]:
    """Checkpoint files of a run, oldest first."""
    return sorted((Path(run_dir) / CHECKPOINT_DIR).glob("epoch-*.safetensors"))


def state_copy(model: nn.Module) -> dict[str, torch.Tensor]:
    """A detached copy of ``model``'s state, to restore after a divergence."""
    return {k: v.detach().clone() for k, v in model.state_dict().items()}
