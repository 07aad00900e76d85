"""Estimators and run directories: the same numbers as ``aeviewer train``, runs the GUI and
the CLI open, and estimators built from runs and saved models."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn_data import FAST, images, vectors

from aeviewer.cli import main
from aeviewer.config import RunConfig
from aeviewer.data.fingerprint import content_hash
from aeviewer.sklearn import AutoencoderOutlierDetector, AutoencoderTransformer
from aeviewer.training.rundir import read_data_record, read_metrics
from aeviewer.training.setup import load_prepared

REPO = Path(__file__).resolve().parents[2]


def _cli_train(source: Path, out: Path, *extra: str) -> None:
    argv = ["train", "--data", str(source), "--out", str(out), "--quiet", "--device", "cpu"]
    assert main([*argv, *extra]) == 0


@pytest.mark.parametrize(
    ("kind", "options", "params"),
    [
        ("ae", [], {}),
        ("vae", ["--beta", "0.5"], {"beta": 0.5}),
        ("stacked", ["--stage-epochs", "1"], {"stage_epochs": 1}),
    ],
)
def test_same_losses_as_the_cli(tmp_path, capsys, kind, options, params):
    x, _ = vectors(n=150)
    x = x.astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    cli_args = ["--model", kind, "--latent", "2", "--hidden", "16", "--epochs", "2"]
    cli_args += ["--batch-size", "32", "--lr", "0.003", "--seed", "7", *options]
    _cli_train(tmp_path / "x.npy", tmp_path / "cli", *cli_args)
    capsys.readouterr()
    estimator = AutoencoderTransformer(
        kind, **{**FAST, "lr": 0.003, **params}, random_state=7, device="cpu"
    ).fit(x)
    cli = read_metrics(tmp_path / "cli")
    assert len(cli) == len(estimator.history_) >= 2
    for ours, theirs in zip(estimator.history_, cli, strict=True):
        assert ours["train"] == theirs["train"] and ours["val"] == theirs["val"]
        assert ours["epoch"] == theirs["epoch"] and ours["stage"] == theirs["stage"]
    saved = RunConfig.load(tmp_path / "cli" / "config.json")
    assert estimator.config_.model == saved.model
    # config.json holds the run's settings as trained: the automatic ones decided.
    resolved = estimator.config_.train
    assert (resolved.epochs, resolved.lr, resolved.seed) == (
        saved.train.epochs,
        saved.train.lr,
        saved.train.seed,
    )


def test_run_dir_opens_as_the_gui_and_cli_open_runs(tmp_path, capsys):
    x, y = vectors(n=120)
    run = tmp_path / "run"
    estimator = AutoencoderTransformer(**FAST, random_state=0, run_dir=run).fit(x, y)
    assert estimator.run_dir_ == str(run)
    for name in ("config.json", "data.json", "metrics.jsonl", "model.json", "model.safetensors"):
        assert (run / name).is_file(), name
    assert [r["train"] for r in read_metrics(run)] == [r["train"] for r in estimator.history_]
    # The GUI loads config.data.source and prepares it as the run says: the very same data.
    config = RunConfig.load(run / "config.json")
    assert Path(config.data.source) == (run / "samples.npz").resolve()
    dataset = load_prepared(config.data)
    assert content_hash(dataset) == read_data_record(run)["content_sha256"]
    assert dataset.labels is not None and list(dataset.labels[:4]) == list(y[:4])
    # The CLI continues and evaluates it.
    assert main(["train", "--resume", str(run), "--epochs", "3", "--quiet"]) == 0
    assert [r["epoch"] for r in read_metrics(run)] == [1, 2, 3]
    assert main(["evaluate", str(run), "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1])["kind"] == "ae"


def test_run_dir_of_byte_images_reads_back_to_the_same_data(tmp_path):
    x = (images(n=40, shape=(8, 8)) * 255).astype(np.uint8)
    run = tmp_path / "run"
    AutoencoderTransformer("conv", **FAST, conv_channels=(4,), random_state=0, run_dir=run).fit(x)
    config = RunConfig.load(run / "config.json")
    dataset = load_prepared(config.data)
    assert dataset.sample_shape == (1, 8, 8)
    assert content_hash(dataset) == read_data_record(run)["content_sha256"]


def test_run_dir_that_holds_a_run_is_refused_untouched(tmp_path):
    x, _ = vectors(n=60)
    run = tmp_path / "run"
    AutoencoderTransformer(**FAST, random_state=0, run_dir=run).fit(x)
    before = (run / "samples.npy").read_bytes()
    with pytest.raises(ValueError, match="already holds a run"):
        AutoencoderTransformer(**FAST, random_state=0, run_dir=run).fit(x[:30])
    assert (run / "samples.npy").read_bytes() == before


def test_from_run_of_a_cli_run_in_a_pipeline(tmp_path):
    x, y = vectors(n=150)
    np.savez(tmp_path / "data.npz", x=x.astype(np.float32), y=y)
    _cli_train(
        tmp_path / "data.npz", tmp_path / "cli", "--latent", "2", "--hidden", "16", "--epochs", "3"
    )
    estimator = AutoencoderTransformer.from_run(tmp_path / "cli")
    assert estimator.kind == "ae" and estimator.latent == 2 and estimator.hidden == (16,)
    assert estimator.random_state == 0 and estimator.epochs == 3 and len(estimator.history_) == 3
    codes = estimator.transform(x)
    assert codes.shape == (150, 2)
    pipe = make_pipeline(FrozenEstimator(estimator), LogisticRegression()).fit(x, y)
    assert pipe.score(x, y) > 0.5
    np.testing.assert_array_equal(pipe[0].transform(x), codes)


def test_from_run_and_save_give_back_the_fitted_model(tmp_path):
    x, _ = vectors(n=100)
    fitted = AutoencoderTransformer(**FAST, random_state=1, run_dir=tmp_path / "run").fit(x)
    reopened = AutoencoderTransformer.from_run(tmp_path / "run", device="cpu")
    np.testing.assert_array_equal(reopened.transform(x), fitted.transform(x))
    np.testing.assert_array_equal(reopened.inverse_transform(fitted.transform(x)[:3]).shape, (3, 8))
    saved = fitted.save(tmp_path / "export" / "model")
    assert saved.suffix == ".safetensors" and saved.with_suffix(".json").is_file()
    exported = AutoencoderTransformer.from_run(saved)
    np.testing.assert_array_equal(exported.score_samples(x), fitted.score_samples(x))
    assert exported.history_ == [] and reopened.history_ == fitted.history_


def test_detector_from_run_sets_its_threshold(tmp_path):
    x, _ = vectors(n=100)
    run = tmp_path / "run"
    fitted = AutoencoderOutlierDetector(**FAST, random_state=0, run_dir=run).fit(x)
    on_x = AutoencoderOutlierDetector.from_run(run, x)
    assert on_x.offset_ == pytest.approx(fitted.offset_)
    np.testing.assert_array_equal(on_x.predict(x), fitted.predict(x))
    # Without X, the run's own training split (80 of the 100 samples) sets it.
    on_run = AutoencoderOutlierDetector.from_run(run, contamination=0.2)
    assert on_run.contamination == 0.2 and on_run.decision_scores_.shape == (80,)
    assert on_run.labels_.sum() == 16


def test_from_run_refusals(tmp_path):
    with pytest.raises(ValueError, match="no such file"):
        AutoencoderTransformer.from_run(tmp_path / "missing")
    x = images(n=40, shape=(8, 8))
    run = tmp_path / "gan"
    AutoencoderOutlierDetector("gan", **FAST, conv_channels=(4,), random_state=0, run_dir=run).fit(
        x
    )
    with pytest.raises(ValueError, match="GAN has no encoder"):
        AutoencoderTransformer.from_run(run)
    assert AutoencoderOutlierDetector.from_run(run, x).predict(x).shape == (40,)


def test_import_needs_no_qt_and_names_the_extra_without_sklearn():
    probe = "import sys, aeviewer.sklearn; print('PySide6' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    blocked = "import sys; sys.modules['sklearn'] = None; import aeviewer.sklearn"
    result = subprocess.run(
        [sys.executable, "-c", blocked], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode != 0
    assert "ImportError" in result.stderr and "aeviewer[sklearn]" in result.stderr
