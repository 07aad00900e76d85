"""Labels from tables through the commands: a new user's CSV with a ``label`` column trains
one-class with ``--normal-class``, and ``--label-column`` / ``--no-labels`` work everywhere."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[1]
TRAIN = ("--model", "ae", "--latent", "2", "--hidden", "16", "--epochs", "1", "--quiet")


def aeviewer(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aeviewer", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "OMP_NUM_THREADS": "1"},
        timeout=300,
    )


@pytest.fixture(scope="module")
def digits_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """scikit-learn's digits written as a new user would: 64 pixel columns, then ``label``."""
    datasets = pytest.importorskip("sklearn.datasets")
    digits = datasets.load_digits()
    keep = np.isin(digits.target, [0, 1, 2])
    x, y = digits.data[keep][:300], digits.target[keep][:300]
    path = tmp_path_factory.mktemp("digits") / "digits.csv"
    header = ",".join([*(f"pixel_{i}" for i in range(64)), "label"])
    rows = [",".join([*(f"{v:g}" for v in row), str(t)]) for row, t in zip(x, y, strict=True)]
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def test_inspect_finds_the_label_column_by_name(digits_csv: Path) -> None:
    summary = json.loads(aeviewer("inspect", str(digits_csv), "--json").stdout)
    assert summary["n_classes"] == 3 and summary["n_features"] == 64
    bare = json.loads(aeviewer("inspect", str(digits_csv), "--json", "--no-labels").stdout)
    assert bare["n_classes"] == 0 and bare["n_features"] == 65
    both = aeviewer("inspect", str(digits_csv), "--no-labels", "--label-column", "label")
    assert both.returncode == 2 and len(both.stderr.splitlines()) == 1


def test_train_one_class_on_the_csv_and_the_run_records_its_labels(
    digits_csv: Path, tmp_path: Path
) -> None:
    run = tmp_path / "zeros"
    result = aeviewer("train", "--data", str(digits_csv), *TRAIN, "--normal-class", "0",
                      "--out", str(run))  # fmt: skip
    assert result.returncode == 0, result.stderr
    config = json.loads((run / "config.json").read_text())
    assert config["data"]["label_column"] == "auto" and config["data"]["normal_class"] == 0
    evaluated = aeviewer("evaluate", str(run), "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    assert "model_auc" in json.loads(evaluated.stdout)
    named = aeviewer("evaluate", str(run), "--json", "--label-column", "label")
    assert json.loads(named.stdout)["model_auc"] == json.loads(evaluated.stdout)["model_auc"]
    # Without labels the label column is a 65th feature, which the model was not built for.
    refused = aeviewer("evaluate", str(run), "--json", "--no-labels")
    assert refused.returncode == 2 and "samples of shape [65] do not fit" in refused.stderr


def test_train_with_no_labels_or_a_named_column(digits_csv: Path, tmp_path: Path) -> None:
    refused = aeviewer("train", "--data", str(digits_csv), *TRAIN, "--normal-class", "0",
                       "--no-labels", "--out", str(tmp_path / "a"))  # fmt: skip
    assert refused.returncode == 2 and "has none" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
    run = tmp_path / "b"
    named = aeviewer("train", "--data", str(digits_csv), *TRAIN, "--label-column", "64",
                     "--out", str(run))  # fmt: skip
    assert named.returncode == 0, named.stderr
    assert json.loads((run / "config.json").read_text())["data"]["label_column"] == "64"
