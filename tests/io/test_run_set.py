"""Runs to compare: path classification, run summaries and the Qt-free run set."""

from __future__ import annotations

import json

import numpy as np
import pytest

from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data.dataset import Dataset
from aeviewer.errors import RunError
from aeviewer.io.open_paths import classify, sweep_runs
from aeviewer.io.run_set import LIVE, RunSet, RunSource, open_sources
from aeviewer.io.run_summary import summarise_run
from aeviewer.training.loop import train


def _data(seed: int = 0) -> Dataset:
    x = np.random.default_rng(seed).normal(size=(120, 6)).astype(np.float32)
    return Dataset(x=x, sample_shape=(6,), name="vectors", source=f"test:vectors{seed}")


def _run(path, kind="ae", latent=2, epochs=2, seed=0):
    config = RunConfig(
        data=DataSpec(source=f"test:vectors{seed}"),
        model=ModelSpec(kind=kind, latent=latent, hidden=(8,)),
        train=TrainSpec(epochs=epochs, batch_size=40, device="cpu", n_eval=20, n_recon=2),
    )
    list(train(config, _data(seed), run_dir=path))
    return path


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sweep")
    _run(folder / "b-linear", kind="linear", latent=3)
    _run(folder / "a-ae", latent=2)
    (folder / "sweep.json").write_text(
        json.dumps(
            {
                "format": "aeviewer.sweep",
                "version": 1,
                "runs": [
                    {"name": "b-linear", "argv": []},
                    {"name": "a-ae", "argv": []},
                ],
            }
        )
    )
    return folder


def test_classify_paths(sweep, tmp_path):
    assert classify(str(sweep)).kind == "sweep"
    assert classify(str(sweep / "a-ae")).kind == "run"
    assert classify("builtin:moons").kind == "data"
    assert classify("mnist").kind == "data"
    (tmp_path / "t.csv").write_text("a,b\n1,2\n")
    assert classify(str(tmp_path / "t.csv")).kind == "data"
    (tmp_path / "notes.docx").write_text("x")
    with pytest.raises(RunError, match=r"notes\.docx: not something aeviewer opens"):
        classify(str(tmp_path / "notes.docx"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(RunError, match="empty: neither a run directory"):
        classify(str(tmp_path / "empty"))
    with pytest.raises(RunError, match="nowhere: no such file"):
        classify(str(tmp_path / "nowhere"))
    # The sweep's own order, not the names'.
    assert [p.name for p in sweep_runs(sweep)] == ["b-linear", "a-ae"]


def test_summary_figures(sweep):
    summary = summarise_run(sweep / "a-ae")
    f = summary.figures
    assert summary.status == "finished" and f["epochs"] == 2
    assert f["mse_ratio"] == pytest.approx(f["model_mse"] / f["pca_mse"])
    assert f["samples_per_s"] > 0 and f["train_seconds"] > 0
    assert summary.settings["model.latent"] == 2 and summary.kind == "ae"


def test_incompatible_run_is_named(tmp_path):
    run = _run(tmp_path / "old", epochs=1)
    config = json.loads((run / "config.json").read_text())
    config["model"]["attention_heads"] = 4
    (run / "config.json").write_text(json.dumps(config))
    with pytest.raises(RunError, match=r"old: a run this version of aeviewer cannot read"):
        RunSource(run)


def test_run_set_polls_runs_and_builds_the_table(sweep, tmp_path):
    other = _run(tmp_path / "other-data", seed=1, epochs=1)
    sources, problems = open_sources([sweep, other, tmp_path / "missing"])
    assert [s.name for s in sources] == ["b-linear", "a-ae", "other-data"]
    assert len(problems) == 1 and "missing" in problems[0]
    runs = RunSet()
    for source in sources:
        runs.add(source)
        assert runs.apply(source.poll())
    assert runs.add(sources[0]) is None  # open already
    assert [len(e.epochs) for e in runs] == [2, 2, 1]
    assert len({e.colour for e in runs}) == 3
    columns, rows = runs.rows()
    assert "model.kind" in columns and "model.latent" in columns
    assert all(row["data_differs"] for row in rows)
    assert rows[0]["model.kind"] == "linear" and rows[0]["status"] == "finished"
    assert next(iter(runs)).key_settings() == "linear · latent 3 · 2 epochs"
    runs.remove(sources[2].key)
    assert not any(row["data_differs"] for row in runs.rows()[1])


def test_live_entry_follows_the_window_events():
    from aeviewer.training.events import EpochEnd, Started

    runs = RunSet()
    config = RunConfig(model=ModelSpec(kind="ae", latent=4))
    runs.live_event(Started(config, "cpu", 10, 2, 1, 100, pca_val_loss=0.5))
    runs.live_event(EpochEnd(1, 1, {"loss": 1.0}, {"loss": 0.3, "mse": 0.25}, {}, 0.1, 100.0))
    (entry,) = list(runs)
    assert entry.key == LIVE and entry.summary.figures["mse_ratio"] == pytest.approx(0.5)
    runs.clear_live()
    assert len(runs) == 0


@pytest.mark.parametrize("latent, exact", [(2, False), (6, True)])
def test_the_live_ratio_follows_the_rule_of_the_run_on_disk(tmp_path, latent, exact):
    # With a latent as large as the data's dimension PCA is exact, its error round-off: no
    # ratio, live as from the run directory; otherwise the same ratio in both.
    config = RunConfig(
        data=DataSpec(source="test:vectors0"),
        model=ModelSpec(kind="ae", latent=latent, hidden=(8,)),
        train=TrainSpec(epochs=2, batch_size=40, device="cpu", n_eval=20, n_recon=2),
    )
    runs = RunSet()
    for event in train(config, _data(), run_dir=tmp_path / "run"):
        runs.live_event(event)
    runs.live_finished()
    live = runs.entries[LIVE].summary.figures
    disk = summarise_run(tmp_path / "run").figures
    assert live["pca_mse"] == disk["pca_mse"] and live["model_mse"] == disk["model_mse"]
    assert live["mse_ratio"] == disk["mse_ratio"]
    assert (live["mse_ratio"] is None) == exact


def test_started_keeps_the_feature_count_and_reads_without_it():
    from aeviewer.io.records import started_from_dict, started_to_dict
    from aeviewer.training.events import Started

    config = RunConfig(model=ModelSpec(kind="ae", latent=4))
    meta, arrays = started_to_dict(Started(config, "cpu", 10, 2, 1, 100, n_features=6))
    assert started_from_dict(json.loads(json.dumps(meta)), arrays).n_features == 6
    del meta["n_features"]  # as sessions saved before it was recorded
    assert started_from_dict(meta, arrays).n_features is None
