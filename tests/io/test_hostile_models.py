"""Hostile model files: descriptions, weights, state dicts and configs, refused before use.

A description can ask for layers no machine holds, nest JSON without end, point its weights
anywhere on disk or come with weights that lie about their size. Each is refused with a
:class:`RunError` (or :class:`ConfigError` for a config) naming the file and the problem, and
through the CLI with status 2 and one line on stderr.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from aeviewer.config import ModelSpec, RunConfig
from aeviewer.errors import AeviewerError, ConfigError, RunError
from aeviewer.io.models import open_model
from aeviewer.limits import MAX_JSON_BYTES, MAX_JSON_DEPTH, MEMORY_BUDGET_ENV
from aeviewer.models.info import DataInfo
from aeviewer.models.registry import (
    FAMILIES,
    build_model,
    count_parameters,
    estimate_parameters,
)
from aeviewer.training.rundir import model_json, save_weights

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def export(model_of, tmp_path: Path) -> Callable[..., Path]:
    """Write a good export ``m.json`` + ``m.safetensors``, then let a test spoil the JSON."""

    def make(change: Callable[[dict], object] | None = None) -> Path:
        loaded = model_of("ae")
        meta = model_json(loaded.config, loaded.record)
        meta["weights"] = "m.safetensors"
        save_weights(tmp_path / "m.safetensors", loaded.model)
        if change is not None:
            meta = change(meta) or meta
        path = tmp_path / "m.json"
        path.write_text(json.dumps(meta))
        return path

    return make


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def huge_layers(meta: dict) -> None:
    meta["config"]["model"]["hidden"] = [10**9, 10**9]


def huge_samples(meta: dict) -> None:
    meta["data"]["sample_shape"] = [10**6, 10**6, 10**6]


def many_layers(meta: dict) -> None:
    meta["config"]["model"]["hidden"] = [8] * 1000


def weights_elsewhere(meta: dict) -> None:
    meta["weights"] = "../../../../etc/passwd"


def deep_config(meta: dict) -> None:
    meta["config"]["train"]["note"] = json.loads(nested(MAX_JSON_DEPTH - 5))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (huge_layers, r"a model of kind ae with 2,000,000,[\d,]+ parameters .* would need "),
        (huge_samples, r"parameters for samples of shape \[1000000, 1000000, 1000000\]"),
        (many_layers, r"at most 64 hidden or convolutional layers, got 1000"),
        (weights_elsewhere, r"the weights must be a file beside the description"),
        (lambda meta: [meta], r"not an aeviewer model description"),
    ],
    ids=["huge-layers", "huge-samples", "many-layers", "weights-elsewhere", "not-an-object"],
)
def test_a_description_asking_too_much_is_refused(export, change, message) -> None:
    path = export(change)
    with pytest.raises(RunError, match=message) as info:
        open_model(path)
    assert str(path) in str(info.value)


def test_json_too_large_too_deep_or_not_text_is_refused_before_parsing(tmp_path: Path) -> None:
    cases = {
        "large.json": (b" " * (MAX_JSON_BYTES + 1), r"a model description of 16\.0 MB is too"),
        "deep.json": (nested(100_000).encode(), r"nests deeper than 64 levels"),
        "latin1.json": (b'{"format": "\xe9"}', r"is not UTF-8 text"),
        "digits.json": (b'{"n": ' + b"9" * 10_000 + b"}", r"holds a value JSON cannot represent"),
    }
    for name, (data, message) in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(RunError, match=message) as info:
            open_model(path)
        assert str(path) in str(info.value)


def test_weights_that_lie_about_their_size_are_refused(export, tmp_path: Path) -> None:
    path = export()
    weights = tmp_path / "m.safetensors"
    data = weights.read_bytes()
    weights.write_bytes(data[: len(data) // 2])
    with pytest.raises(RunError, match=r"m\.safetensors: not a complete safetensors file"):
        open_model(path)
    header = json.dumps({"w": {"dtype": "F32", "shape": [10**6, 10**6], "data_offsets": [0, 4]}})
    raw = header.encode()
    weights.write_bytes(len(raw).to_bytes(8, "little") + raw + bytes(4))
    with pytest.raises(RunError, match=r"m\.safetensors: not a complete safetensors file"):
        open_model(path)


def test_files_over_the_budget_are_not_read(export, tmp_path, monkeypatch) -> None:
    path = export()
    # Enough for the model's weights in memory, one byte short of the file that holds them.
    monkeypatch.setenv(MEMORY_BUDGET_ENV, str((tmp_path / "m.safetensors").stat().st_size - 1))
    with pytest.raises(RunError, match=r"reading the weights would need"):
        open_model(path)
    state = tmp_path / "s.pt"
    torch.save({"w": torch.zeros(10_000)}, state)
    (tmp_path / "s.json").write_text(path.read_text())
    with pytest.raises(RunError, match=r"s\.pt: reading the state dict would need"):
        open_model(state)


def test_a_hostile_config_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(nested(1000))
    with pytest.raises(ConfigError, match=r"config\.json: the run config nests deeper"):
        RunConfig.load(path)
    path.write_text(json.dumps({"model": {"hidden": [4] * 100}}))
    with pytest.raises(ConfigError, match=r"config\.json: .*at most 64 hidden"):
        RunConfig.load(path)


def test_build_model_refuses_a_model_over_the_budget(monkeypatch) -> None:
    spec, info = ModelSpec(kind="ae", latent=2, hidden=(64,)), DataInfo((784,), True)
    monkeypatch.setenv(MEMORY_BUDGET_ENV, "64K")
    message = r"kind ae with 101,522 parameters .* 396\.6 KB .* than the 64\.0 KB"
    with pytest.raises(ConfigError, match=message):
        build_model(spec, info)


@pytest.mark.parametrize("kind", list(FAMILIES))
@pytest.mark.parametrize("shape", [(1, 9, 7), (3, 8, 8), (5,)], ids=["gray", "rgb", "vector"])
def test_the_estimate_is_the_parameter_count(kind: str, shape: tuple[int, ...]) -> None:
    if kind == "conv" and len(shape) == 1:
        pytest.skip("a convolutional autoencoder needs images")
    for hidden in ((7,), (11, 6)):
        spec = ModelSpec(kind=kind, latent=3, hidden=hidden, conv_channels=(4, 6))
        info = DataInfo(shape, True)
        assert estimate_parameters(spec, info) == count_parameters(build_model(spec, info))


def test_the_cli_refuses_a_hostile_model_in_one_line(export, tmp_path: Path) -> None:
    for change in (huge_layers, weights_elsewhere):
        path = export(change)
        result = subprocess.run(
            [sys.executable, "-m", "aeviewer", "export", str(path), "--out", str(tmp_path / "o")],
            capture_output=True,
            text=True,
            cwd=REPO,
            env=dict(os.environ),
            timeout=120,
        )
        assert result.returncode == 2, result.stderr
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("aeviewer: error: "), result.stderr
        assert str(path) in lines[0] and "Traceback" not in result.stderr


def test_a_deep_session_description_is_an_aeviewer_error(tmp_path: Path) -> None:
    import zipfile

    from aeviewer.io.session import open_session

    path = tmp_path / "s.aev"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("session.json", nested(10_000))
    with pytest.raises(AeviewerError) as info:
        open_session(path)
    assert str(path) in str(info.value)
