"""``aeviewer benchmark oneclass``: per-class ROC AUC of each family beside PCA."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest

from aeviewer.analysis.published import DEEP_SVDD_MNIST, published_for
from aeviewer.cli import main as cli_main


def test_the_table_is_printed_and_saved(tmp_path, capsys):
    out = tmp_path / "table"
    args = ["benchmark", "oneclass", "--data", "builtin:shapes?n=600", "--latent", "3"]
    args += ["--models", "ae,vae", "--classes", "0,2", "--epochs", "2", "--quiet"]
    assert cli_main([*args, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "mean" in printed and "pca" in printed
    rows = list(csv.DictReader((out / "oneclass.csv").open()))
    assert [r["class"] for r in rows] == ["0", "2", "mean"]
    assert set(rows[0]) == {"class", "ae", "vae", "pca"}
    for row in rows:
        assert all(0.0 <= float(row[k]) <= 1.0 for k in ("ae", "vae", "pca"))
    mean = (float(rows[0]["ae"]) + float(rows[1]["ae"])) / 2
    assert float(rows[2]["ae"]) == pytest.approx(mean)
    saved = json.loads((out / "oneclass.json").read_text())
    assert saved["metric"] == "ROC AUC" and saved["published_source"] is None
    assert saved["rows"][-1]["class"] == "mean"


def test_published_figures_apply_to_mnist_only():
    assert published_for("mnist-t10k")["deep_svdd"] is DEEP_SVDD_MNIST
    assert sum(DEEP_SVDD_MNIST.values()) / 10 == pytest.approx(0.948)
    assert published_for("fashion-mnist") == {} and published_for("shapes") == {}


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--data", "UNLABELLED", "--models", "ae"], "needs class labels"),
        (["--data", "builtin:shapes?n=300", "--models", "gan"], "reconstructs nothing"),
        (["--data", "builtin:shapes?n=300", "--classes", "9"], "no class 9"),
    ],
)
def test_bad_requests_are_one_line(extra, message, capsys, tmp_path):
    unlabelled = tmp_path / "x.npy"
    np.save(unlabelled, np.random.default_rng(0).normal(size=(50, 4)).astype(np.float32))
    extra = [str(unlabelled) if e == "UNLABELLED" else e for e in extra]
    assert cli_main(["benchmark", "oneclass", "--epochs", "1", "--quiet", *extra]) == 2
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert message in line


def test_cells_stream_with_progress_and_stop_when_asked():
    from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
    from aeviewer.training.oneclass import (
        OneClassCell,
        OneClassProgress,
        empty_table,
        one_class_cells,
    )
    from aeviewer.training.setup import load_prepared

    spec = DataSpec(source="builtin:shapes?n=600")
    dataset = load_prepared(spec)
    base = RunConfig(
        data=spec,
        model=ModelSpec(kind="ae", latent=2, hidden=(32,)),
        train=TrainSpec(epochs=2, device="cpu", schedule="constant", n_eval=200),
    )
    items = list(one_class_cells(base, dataset, classes=[1, 3]))
    cells = [i for i in items if isinstance(i, OneClassCell)]
    assert [(c.cls, c.kind) for c in cells] == [(1, "ae"), (3, "ae")]
    done = [i.done for i in items if isinstance(i, OneClassProgress)]
    assert done == sorted(done) and done[-1] == 2.0 and 0 < done[0] < 1
    table = empty_table(dataset, ("ae",), 2, [1, 3])
    for cell in cells:
        table.add(cell)
    rows = list(csv.DictReader(table.to_csv().splitlines()))
    assert [r["class"] for r in rows] == ["1", "3", "mean"]
    assert all(0.0 <= float(r["pca"]) <= 1.0 for r in rows)

    # Asked to stop after the first class: that cell is the last.
    stop = []
    stopped = []
    for item in one_class_cells(base, dataset, classes=[1, 3], should_stop=lambda: bool(stop)):
        stopped.append(item)
        if isinstance(item, OneClassCell):
            stop.append(True)
    assert [i.cls for i in stopped if isinstance(i, OneClassCell)] == [1]
