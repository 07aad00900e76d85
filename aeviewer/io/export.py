"""Exporting trained models: safetensors + JSON, ``torch.export`` programs, and ONNX.

- ``safetensors`` (the default): the weights and a ``.json`` description of the same stem,
  the format aeviewer itself opens (:func:`aeviewer.io.load_exported`). Always the whole model:
  the loaded model has ``encode`` and ``decode``.
- ``pt2``: a ``torch.export`` program of the full model, the encoder or the decoder, with a
  dynamic batch dimension, for ``torch.export.load`` without aeviewer.
- ``onnx``: the same program as ONNX (needs the ``onnx`` extra), for onnxruntime and friends.

Programs take flattened, normalised samples ``(batch, D)`` (the encoder and the full model) or
codes ``(batch, latent)`` (the decoder), float32. A GAN's full model and decoder are both its
generator (noise ``(batch, latent)`` in, samples out); its discriminator is not exported and
``encoder`` is refused. A VAE's encoder gives the posterior mean, its full model reconstructs
from that mean (no sampling), so the programs are deterministic.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import json
import logging
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from aeviewer.errors import ConfigError, RunError
from aeviewer.io.atomic import atomic_open, atomic_write_bytes, atomic_write_json
from aeviewer.io.formats import EXPORT_FORMATS, EXPORT_PARTS, ONNX_INSTALL, SESSION_SUFFIX
from aeviewer.io.models import LoadedModel, open_model
from aeviewer.training.rundir import model_json, save_weights

#: Batch size of the example input the programs are traced with (1 would pin the dimension).
TRACE_BATCH = 2


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: the main file and any companion (the safetensors ``.json``)."""

    path: Path
    format: str
    part: str
    companions: tuple[Path, ...] = ()


class ModelPart(nn.Module):
    """One map of a model as a module whose ``forward`` is that map (for tracing)."""

    def __init__(self, model: nn.Module, part: str) -> None:
        super().__init__()
        self.model = model
        self.map = _part_map(model, part)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Apply the part."""
        return self.map(x)


def export_model(
    source: str | Path | LoadedModel,
    out: str | Path,
    *,
    format: str = "safetensors",
    part: str = "full",
) -> ExportResult:
    """Export a model to ``out`` (the format's suffix is added when ``out`` has none).

    Parameters
    ----------
    source
        A run directory or saved model (anything :func:`aeviewer.io.open_model` opens), a
        ``.aev`` session with a model, or a :class:`LoadedModel` built in memory (for example
        from a paused run).
    format
        ``safetensors``, ``pt2`` or ``onnx``.
    part
        ``full``, ``encoder`` or ``decoder`` (programs only; safetensors holds the whole model).

    Raises
    ------
    ConfigError
        For an unknown format or part, a suffix that does not fit the format, a part the family
        lacks, or ONNX without its extra installed.
    RunError
        When the source cannot be opened, the model cannot be traced, or the file cannot be
        written.
    """
    if format not in EXPORT_FORMATS:
        raise ConfigError(
            f"unknown export format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}"
        )
    if part not in EXPORT_PARTS:
        raise ConfigError(f"unknown model part {part!r}; choose one of {', '.join(EXPORT_PARTS)}")
    if format == "safetensors" and part != "full":
        raise ConfigError(
            "a safetensors export always holds the whole model (the loaded model has encode and "
            "decode); --part applies to the pt2 and onnx formats"
        )
    if format == "onnx":
        _require_onnx()
    target = output_path(out, format)
    loaded = source if isinstance(source, LoadedModel) else _open_source(Path(source))
    # A copy, so that a model still training elsewhere keeps its device and mode.
    model = copy.deepcopy(loaded.model).to("cpu").eval()
    loaded = LoadedModel(model, loaded.config, loaded.record, loaded.path)
    try:
        return _write(loaded, target, format, part)
    except OSError as exc:
        raise RunError(f"{target}: cannot write the export: {exc.strerror or exc}") from None


def _write(loaded: LoadedModel, target: Path, format: str, part: str) -> ExportResult:
    if format == "safetensors":
        description = target.with_suffix(".json")
        save_weights(target, loaded.model)
        meta = model_json(loaded.config, loaded.record)
        meta["weights"] = target.name
        atomic_write_json(description, meta)
        return ExportResult(target, format, part, (description,))
    module = ModelPart(loaded.model, part).eval()
    example = example_input(loaded, part)
    if format == "pt2":
        program = export_program(module, example)
        extra = {"aeviewer.json": json.dumps(_program_info(loaded, part))}
        with atomic_open(target, "wb") as handle:
            torch.export.save(program, handle, extra_files=extra)
    else:
        atomic_write_bytes(target, onnx_bytes(module, example))
    return ExportResult(target, format, part)


def output_path(out: str | Path, format: str) -> Path:
    """``out`` with the format's suffix; a different suffix is refused."""
    path = Path(out)
    suffix = EXPORT_FORMATS[format]
    if path.suffix.lower() == suffix:
        return path
    if path.suffix and path.suffix.lower() in EXPORT_FORMATS.values():
        raise ConfigError(f"{path}: a {format} export ends in {suffix}, not {path.suffix}")
    if path.is_dir():
        raise ConfigError(
            f"{path}: is a folder; give the file to write, e.g. {path / ('model' + suffix)}"
        )
    return path.with_name(path.name + suffix)


def input_width(loaded: LoadedModel, part: str) -> int:
    """Features of the part's input: ``latent`` for a decoder or a GAN, ``D`` otherwise."""
    if part == "decoder" or loaded.config.model.kind == "gan":
        return loaded.config.model.latent
    return loaded.record.data.n_features


def example_input(loaded: LoadedModel, part: str) -> torch.Tensor:
    """A float32 input batch of the part: samples ``(2, D)`` or codes ``(2, latent)``."""
    generator = torch.Generator().manual_seed(0)
    return torch.rand(TRACE_BATCH, input_width(loaded, part), generator=generator)


def export_program(module: nn.Module, example: torch.Tensor) -> torch.export.ExportedProgram:
    """``torch.export`` of ``module`` at ``example`` with a dynamic batch dimension."""
    batch = torch.export.Dim("batch", min=1)
    try:
        return torch.export.export(module, (example,), dynamic_shapes=({0: batch},))
    except Exception as exc:  # torch raises many types here; the user needs one message
        raise RunError(f"torch.export could not trace the model: {_first_line(exc)}") from None


def onnx_bytes(module: nn.Module, example: torch.Tensor) -> bytes:
    """The ONNX model of ``module`` (``torch.onnx.export`` with dynamo, dynamic batch axis)."""
    _require_onnx()
    batch = torch.export.Dim("batch", min=1)
    with warnings.catch_warnings(), _quiet_logger("torch.onnx"), _no_tqdm_monitor():
        warnings.simplefilter("ignore")
        try:
            program = torch.onnx.export(
                module,
                (example,),
                input_names=["input"],
                output_names=["output"],
                dynamic_shapes=({0: batch},),
                dynamo=True,
                verbose=False,
            )
        except Exception as exc:  # as above: one clear message instead of a tracer's traceback
            raise RunError(f"ONNX export failed: {_first_line(exc)}") from None
    return program.model_proto.SerializeToString()


def _open_source(path: Path) -> LoadedModel:
    if path.suffix.lower() == SESSION_SUFFIX:
        from aeviewer.io.session import open_session

        return open_session(path).loaded_model()
    return open_model(path)


def _part_map(model: nn.Module, part: str) -> Callable[[torch.Tensor], torch.Tensor]:
    kind = getattr(model, "kind", type(model).__name__)
    if part == "full":
        return model
    name = "encode" if part == "encoder" else "decode"
    method = getattr(model, name, None)
    if method is None:
        if kind == "gan" and part == "encoder":
            raise ConfigError(
                "a GAN has no encoder and its discriminator is not exported; export the "
                "generator with --part decoder (or full)"
            )
        raise ConfigError(f"a {kind} model has no {part}; export the full model instead")
    return method


def _program_info(loaded: LoadedModel, part: str) -> dict[str, object]:
    info = model_json(loaded.config, loaded.record)
    info["part"] = part
    info.pop("weights", None)
    return info


@contextlib.contextmanager
def _quiet_logger(name: str) -> Iterator[None]:
    # The dynamo exporter logs a warning per optional torchvision operator it skips.
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


@contextlib.contextmanager
def _no_tqdm_monitor() -> Iterator[None]:
    # onnxscript's optimiser uses tqdm, whose monitor thread would outlive the export.
    try:
        from tqdm import tqdm
    except ImportError:
        yield
        return
    interval = tqdm.monitor_interval
    tqdm.monitor_interval = 0
    try:
        yield
    finally:
        tqdm.monitor_interval = interval


def _require_onnx() -> None:
    missing = [m for m in ("onnx", "onnxscript") if importlib.util.find_spec(m) is None]
    if missing:
        raise ConfigError(
            f"ONNX export needs the optional packages {', '.join(missing)}: {ONNX_INSTALL}"
        )


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
