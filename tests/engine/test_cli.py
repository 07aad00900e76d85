"""``aeviewer train`` and ``aeviewer evaluate`` end to end, and their errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from aeviewer.cli import main
from aeviewer.training.schedule import auto_lr

from .conftest import make_vectors


@pytest.fixture
def npz_source(tmp_path):
    data = make_vectors(n=300, d=10)
    path = tmp_path / "vectors.npz"
    np.savez(path, x=data.x, y=data.labels)
    return path


def _train(tmp_path, source, *extra):
    out = tmp_path / "run"
    argv = ["train", "--data", str(source), "--model", "ae", "--latent", "2", "--epochs", "2"]
    argv += ["--hidden", "16", "--batch-size", "32", "--device", "cpu", "--out", str(out), *extra]
    return main(argv), out


def test_train_then_evaluate(tmp_path, npz_source, capsys):
    status, out = _train(tmp_path, npz_source, "--normal-class", "1", "--lr", "0.003")
    captured = capsys.readouterr()
    assert status == 0, captured.err
    assert "completed after 2 epochs" in captured.out
    assert "epoch 2/2" in captured.err
    assert (out / "model.safetensors").exists() and (out / "metrics.jsonl").exists()
    assert main(["evaluate", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["kind"] == "ae" and result["latent"] == 2 and result["normal_class"] == 1
    assert result["mse_ratio"] == pytest.approx(result["model_mse"] / result["pca_mse"])
    assert 0 <= result["model_auc"] <= 1 and 0 <= result["pca_auc"] <= 1
    n_class_1 = 100
    assert result["n_anomaly_eval"] == result["n_val"] + (300 - n_class_1)


def test_evaluate_without_normal_class_has_no_auc(tmp_path, npz_source, capsys):
    status, out = _train(tmp_path, npz_source, "--noise", "gaussian:0.1", "--quiet")
    assert status == 0
    capsys.readouterr()
    assert main(["evaluate", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert "model_auc" not in result and result["n_val"] == 60
    # No --lr: the automatic rate, recorded as the number it was (resume and reopen use it).
    assert json.loads((out / "config.json").read_text())["train"]["lr"] == auto_lr("ae")


def _error(capsys, argv):
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse's own errors
        status = exc.code
    err = capsys.readouterr().err
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("aeviewer: error:"), err
    return lines[0]


def test_cli_errors(tmp_path, npz_source, capsys):
    out = str(tmp_path / "x")
    base = ["train", "--data", str(npz_source), "--epochs", "1", "--out", out]
    assert "invalid choice" in _error(capsys, [*base, "--model", "banana"])
    assert "latent size" in _error(capsys, [*base, "--latent", "0"])
    assert "image data" in _error(capsys, [*base, "--model", "conv"])
    assert "not available" in _error(capsys, [*base, "--device", "cuda:63"])
    assert "noise" in _error(capsys, [*base, "--noise", "pink:2"])
    assert "sparsity" in _error(capsys, [*base, "--sparsity", "l2"])
    missing = tmp_path / "missing.npy"
    assert str(missing) in _error(capsys, [*base[:2], str(missing), *base[3:]])
    assert "not a run directory" in _error(capsys, ["evaluate", str(tmp_path), "--json"])


def test_evaluate_on_other_data_of_the_wrong_shape(tmp_path, npz_source, capsys):
    status, out = _train(tmp_path, npz_source, "--quiet")
    assert status == 0
    other = tmp_path / "other.npy"
    np.save(other, np.random.default_rng(0).normal(size=(50, 7)).astype(np.float32))
    assert "do not fit" in _error(capsys, ["evaluate", str(out), "--data", str(other)])


def test_progress_bar_rewrites_one_line():
    import io

    from aeviewer.commands.train import ProgressPrinter

    stream = io.StringIO()
    printer = ProgressPrinter(stream, epochs=3, live=True)
    printer.pca = 0.05
    printer.bar(2, 5, 10, 0.123, 4567.0)
    printer.epoch_line(2, 0.1, 0.11, 1.5)
    text = stream.getvalue()
    assert text.startswith("\repoch 2/3 [") and "50%" in text and "4,567 samples/s" in text
    assert text.endswith("epoch 2/3 train 0.1 val 0.11 (PCA mse 0.05) 1.5s\n")
    quiet = io.StringIO()
    ProgressPrinter(quiet, epochs=3, live=False).bar(1, 1, 2, 0.5, 10.0)
    assert quiet.getvalue() == ""


@pytest.mark.parametrize("l1_code", ["softplus", "relu"])
def test_the_l1_code_is_chosen_on_the_command_line_and_recorded(tmp_path, l1_code):
    import argparse

    from aeviewer.commands.train import add_arguments, config_from_args

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args(
        ["--data", "builtin:moons", "--model", "sparse", "--l1-code", l1_code, "--out", "r"]
    )
    assert config_from_args(args).model.l1_code == l1_code
