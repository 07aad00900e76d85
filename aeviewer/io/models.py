"""Opening saved models without executing code from the file.

A model opens from JSON plus safetensors (a run directory, its ``model.json``, or a
safetensors export with its ``.json`` description), or from a plain state dict ``.pt`` read
with ``torch.load(weights_only=True)`` next to such a description. ``torch.export`` programs
(``.pt2``) are refused: loading one can fall back to full unpickling.
"""

from __future__ import annotations

import pickle
import re
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.errors import RunError
from aeviewer.io.formats import SESSION_SUFFIX
from aeviewer.limits import check_allocation, read_json_limited
from aeviewer.models.info import DataInfo
from aeviewer.training.rundir import (
    CONFIG_FILE,
    MODEL_JSON,
    ModelRecord,
    load_model,
    load_state,
    model_from_description,
)

#: Suffixes of plain state-dict pickles, read with ``weights_only=True``.
STATE_DICT_SUFFIXES = (".pt", ".pth")


@dataclass(frozen=True, eq=False)
class LoadedModel:
    """A model rebuilt from disk (CPU, eval mode) with its config and record.

    ``path`` is the file or folder it came from ("" for a model built in memory).
    """

    model: nn.Module
    config: RunConfig
    record: ModelRecord
    path: str = ""


def open_model(path: str | Path) -> LoadedModel:
    """Open a saved model: a run directory, a ``.json`` description, or its weights file.

    Accepted: a run directory with a final model; ``model.json`` or an export's ``.json``;
    a ``.safetensors`` file with a ``.json`` of the same stem beside it (or ``model.json`` for
    a run's ``model.safetensors``); a state-dict ``.pt``/``.pth`` with such a ``.json``.

    Raises
    ------
    RunError
        For a missing or unsupported file, a pickle holding anything but tensors, or a
        description that does not match its weights (naming the file and the tensor).
    """
    path = Path(path)
    if not path.exists():
        raise RunError(f"{path}: no such file or folder")
    suffix = path.suffix.lower()
    refusal = _refusal(path, suffix)
    if refusal:
        raise RunError(refusal)
    if path.is_dir() or suffix == ".json":
        model, config, record = load_model(path)
        return LoadedModel(model, config, record, str(path))
    if suffix == ".safetensors":
        model, config, record = load_model(description_for(path))
        return LoadedModel(model, config, record, str(path))
    if suffix in STATE_DICT_SUFFIXES:
        return _open_state_dict(path)
    raise RunError(
        f"{path}: not a model aeviewer opens; choose a run directory, a .json model "
        "description, a .safetensors export or a .pt state dict"
    )


def path_kind(path: str | Path) -> str:
    """What an "Open" should do with ``path``: ``"session"``, ``"run"`` or ``"model"``.

    A ``"run"`` is a run directory, finished or still being written (follow it with
    :class:`aeviewer.io.RunFollower`); a ``"model"`` opens with :func:`open_model`; a
    ``"session"`` with :func:`aeviewer.io.open_session`.

    Raises
    ------
    RunError
        For a missing path, a ``.pt2`` or ``.onnx`` export, or a file aeviewer does not open.
    """
    path = Path(path)
    if not path.exists():
        raise RunError(f"{path}: no such file or folder")
    suffix = path.suffix.lower()
    if suffix == SESSION_SUFFIX:
        return "session"
    if path.is_dir():
        if (path / CONFIG_FILE).is_file() or (path / MODEL_JSON).is_file():
            return "run"
        raise RunError(f"{path}: not a run directory (no {CONFIG_FILE} or {MODEL_JSON})")
    refusal = _refusal(path, suffix)
    if refusal:
        raise RunError(refusal)
    if suffix in (".json", ".safetensors", *STATE_DICT_SUFFIXES):
        return "model"
    raise RunError(
        f"{path}: not something aeviewer opens; choose a session ({SESSION_SUFFIX}), a run "
        "directory, or a model (.json, .safetensors, .pt)"
    )


def load_exported(path: str | Path) -> nn.Module:
    """The model of a safetensors export (or a run directory), on the CPU in eval mode.

    ``model(x)`` reconstructs flattened, normalised samples ``x`` of shape ``(batch, D)``;
    ``model.encode(x)`` gives the codes and ``model.decode(z)`` maps codes back.

    Examples
    --------
    >>> from aeviewer.io import load_exported
    >>> model = load_exported("model.safetensors")  # doctest: +SKIP
    """
    return open_model(path).model


def description_for(weights: Path) -> Path:
    """The ``.json`` description that belongs to a weights file."""
    candidates = [weights.with_suffix(".json"), weights.parent / MODEL_JSON]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise RunError(
        f"{weights}: no model description beside it (looked for {candidates[0].name} and "
        f"{MODEL_JSON}); a weights file alone does not say which model it belongs to"
    )


def read_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """A plain state dict from a ``.pt`` file, unpickled with ``weights_only=True``.

    Raises
    ------
    RunError
        When the file holds anything but a mapping of names to tensors, including a pickle
        that would run code: it is refused before anything in it executes.
    """
    path = Path(path)
    try:
        check_allocation(path.stat().st_size, "reading the state dict", path, RunError)
        state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        raise RunError(
            f"{path}: refused: the pickle holds more than plain tensors and would run code when "
            f"loaded{_unsafe_detail(str(exc))}; only state dicts of tensors are opened"
        ) from None
    except (
        OSError,
        RuntimeError,
        EOFError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
    ) as exc:
        detail = " ".join(str(exc).split())[:200] or type(exc).__name__
        raise RunError(f"{path}: not a readable PyTorch state dict ({detail})") from None
    if isinstance(state, dict) and "state_dict" in state and isinstance(state["state_dict"], dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in state.items()
    ):
        raise RunError(f"{path}: not a state dict (a mapping of names to tensors)")
    return state


def check_data_fits(info: DataInfo, dataset: Dataset, where: str | Path) -> None:
    """Raise a RunError unless ``dataset``'s samples have the shape the model was built for.

    The shape, not only the feature count, must match: the views draw samples in it.
    """
    shape = tuple(int(s) for s in dataset.sample_shape)
    if shape != info.sample_shape:
        raise RunError(
            f"{dataset.source or dataset.name}: samples of shape {list(shape)} "
            f"({dataset.n_features} features) do not fit the model of {where}, built for shape "
            f"{list(info.sample_shape)} ({info.n_features} features)"
        )


def _open_state_dict(path: Path) -> LoadedModel:
    json_path = description_for(path)
    meta = read_json_limited(json_path, what="model description", error=RunError)
    model, config, record = model_from_description(meta, json_path)
    load_state(model, read_state_dict(path), path)
    model.eval()
    return LoadedModel(model, config, record, str(path))


def _unsafe_detail(message: str) -> str:
    # torch's message advises loading the file anyway; keep only the line naming the culprit.
    for line in message.splitlines():
        line = re.sub(r"\x1b\[[0-9;]*m", "", line).strip()
        if line.startswith("WeightsUnpickler error:"):
            detail = line.removeprefix("WeightsUnpickler error:").split(". Please")[0]
            return f" ({detail.strip()})"
    return ""


def _refusal(path: Path, suffix: str) -> str:
    if suffix == ".pt2":
        return (
            f"{path}: a torch.export program; aeviewer does not open .pt2 files because loading "
            "one can unpickle arbitrary code. Open the run directory or a safetensors export "
            "instead (load .pt2 files with torch.export.load only if you trust them)"
        )
    if suffix == ".onnx":
        return (
            f"{path}: an ONNX export, meant for ONNX runtimes; open the run directory or a "
            "safetensors export instead"
        )
    if suffix == SESSION_SUFFIX:
        return f"{path}: a saved session, not a model; open it as a session"
    return ""
