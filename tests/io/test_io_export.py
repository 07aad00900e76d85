"""Export round trips: safetensors for every family, torch.export programs and ONNX."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import numpy as np
import pytest
import torch

from aeviewer.cli import main
from aeviewer.errors import ConfigError, RunError
from aeviewer.io import export_model, load_exported, open_model
from aeviewer.io.export import input_width
from aeviewer.models.registry import FAMILIES

KINDS = tuple(FAMILIES)
HAS_ONNX = all(importlib.util.find_spec(m) for m in ("onnx", "onnxruntime", "onnxscript"))


def _batch(n: int, width: int, seed: int = 1) -> torch.Tensor:
    return torch.rand(n, width, generator=torch.Generator().manual_seed(seed))


@pytest.mark.parametrize("kind", KINDS)
def test_safetensors_export_loads_back_with_the_same_outputs(kind, model_of, tmp_path):
    loaded = model_of(kind)
    result = export_model(loaded, tmp_path / "model", format="safetensors")
    assert result.path == tmp_path / "model.safetensors"
    assert result.companions == (tmp_path / "model.json",)

    model = load_exported(result.path)
    x = _batch(5, input_width(loaded, "full"))
    with torch.no_grad():
        assert torch.equal(model(x), loaded.model(x))
    assert {k: v.shape for k, v in model.state_dict().items()} == {
        k: v.shape for k, v in loaded.model.state_dict().items()
    }
    again = open_model(tmp_path / "model.json")
    assert again.config == loaded.config
    assert again.record.data == loaded.record.data


def test_a_run_directory_exports_from_the_command_line(trained_run, tmp_path, capsys):
    run_dir, _ = trained_run
    assert main(["export", str(run_dir), "--out", str(tmp_path / "ae")]) == 0
    assert capsys.readouterr().out.split() == [
        str(tmp_path / "ae.safetensors"),
        str(tmp_path / "ae.json"),
    ]
    original = open_model(run_dir).model
    model = load_exported(tmp_path / "ae.safetensors")
    x = _batch(3, 64)
    with torch.no_grad():
        assert torch.equal(model(x), original(x))


def test_export_errors_are_one_line_with_exit_2(trained_run, tmp_path, capsys):
    run_dir, _ = trained_run
    status = main(
        ["export", str(run_dir), "--format", "safetensors", "--part", "encoder", "--out", "x"]
    )
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith("aeviewer: error:") and "--part applies to" in err
    assert main(["export", str(tmp_path / "missing"), "--out", str(tmp_path / "m")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_a_suffix_that_does_not_fit_the_format_is_refused(model_of, tmp_path):
    with pytest.raises(ConfigError, match=r"ends in \.pt2, not \.onnx"):
        export_model(model_of("ae"), tmp_path / "model.onnx", format="pt2")


PT2_CHECK = """
import sys
sys.modules["aeviewer"] = None  # any import of aeviewer now fails
import numpy as np, torch
for stem in sys.argv[1:]:
    program = torch.export.load(stem + ".pt2").module()
    for n in (1, 7):
        x = torch.from_numpy(np.load(stem + "-x.npy")[:n])
        np.save(f"{stem}-y{n}.npy", program(x).detach().numpy())
"""

PT2_CASES = [("ae", "full"), ("conv", "encoder"), ("conv", "decoder"), ("gan", "full")]


def _part(model, part: str):
    return model if part == "full" else getattr(model, "encode" if part == "encoder" else "decode")


def test_pt2_programs_run_without_aeviewer_at_batch_1_and_7(model_of, tmp_path):
    stems, expected = [], {}
    for kind, part in PT2_CASES:
        loaded = model_of(kind)
        stem = tmp_path / f"{kind}-{part}"
        result = export_model(loaded, stem, format="pt2", part=part)
        assert result.path == stem.with_suffix(".pt2")
        x = _batch(7, input_width(loaded, part))
        np.save(f"{stem}-x.npy", x.numpy())
        with torch.no_grad():
            expected[stem] = {n: _part(loaded.model, part)(x[:n]).numpy() for n in (1, 7)}
        stems.append(str(stem))
    # -I: no PYTHONPATH, no working folder on sys.path; aeviewer itself is blocked too.
    subprocess.run(
        [sys.executable, "-I", "-c", PT2_CHECK, *stems], check=True, cwd=tmp_path, timeout=300
    )
    for stem, outputs in expected.items():
        for n, want in outputs.items():
            got = np.load(f"{stem}-y{n}.npy")
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-6, err_msg=f"{stem.name} n={n}")


def test_aeviewer_refuses_to_open_a_pt2_program(model_of, tmp_path):
    result = export_model(model_of("ae"), tmp_path / "enc", format="pt2", part="encoder")
    with pytest.raises(
        RunError, match=r"enc\.pt2: a torch\.export program; aeviewer does not open"
    ):
        open_model(result.path)


@pytest.mark.skipif(not HAS_ONNX, reason="the onnx extra (onnx, onnxruntime, onnxscript) is absent")
@pytest.mark.parametrize(
    ("kind", "part"), [("ae", "full"), ("conv", "full"), ("vae", "encoder"), ("gan", "decoder")]
)
def test_onnx_export_matches_pytorch_in_onnxruntime(kind, part, model_of, tmp_path):
    import onnxruntime

    loaded = model_of(kind)
    result = export_model(loaded, tmp_path / kind, format="onnx", part=part)
    session = onnxruntime.InferenceSession(str(result.path), providers=["CPUExecutionProvider"])
    width = input_width(loaded, part)
    method = _part(loaded.model, part)
    for n in (1, 5):
        x = _batch(n, width, seed=n)
        (got,) = session.run(None, {session.get_inputs()[0].name: x.numpy()})
        with torch.no_grad():
            np.testing.assert_allclose(got, method(x).numpy(), rtol=0, atol=1e-5)


def test_onnx_without_the_extra_names_the_install_command(model_of, tmp_path, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == "onnxscript" else real(name, *a),
    )
    with pytest.raises(ConfigError, match=r"pip install 'aeviewer\[onnx\]'"):
        export_model(model_of("ae"), tmp_path / "m", format="onnx")
    assert not (tmp_path / "m.onnx").exists()


def test_a_gan_has_no_encoder_to_export(model_of, tmp_path):
    with pytest.raises(ConfigError, match="a GAN has no encoder"):
        export_model(model_of("gan"), tmp_path / "d", format="pt2", part="encoder")


def test_exporting_leaves_the_callers_model_as_it_was(model_of, tmp_path):
    loaded = model_of("denoising")
    loaded.model.train()
    try:
        export_model(loaded, tmp_path / "d", format="pt2", part="encoder")
        assert loaded.model.training
    finally:
        loaded.model.eval()


def test_an_unwritable_destination_is_a_clear_error(model_of, tmp_path):
    (tmp_path / "file").write_text("in the way")
    with pytest.raises(RunError, match=r"model\.safetensors: cannot write the export"):
        export_model(model_of("ae"), tmp_path / "file" / "model", format="safetensors")
