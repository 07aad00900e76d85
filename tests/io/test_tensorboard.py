"""TensorBoard event files in run directories, read back with TensorBoard's own reader."""

from __future__ import annotations

import json

import numpy as np
import pytest

from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data.dataset import Dataset
from aeviewer.training.checkpoints import newest_state
from aeviewer.training.loop import train
from aeviewer.training.run_log import BASELINE_FILE, TENSORBOARD_ENV, read_baseline
from aeviewer.training.rundir import read_metrics
from aeviewer.training.tensorboard_log import image_grid

event_accumulator = pytest.importorskip(
    "tensorboard.backend.event_processing.event_accumulator",
    reason="the tensorboard extra is not installed",
)


def _images(n: int = 96) -> Dataset:
    rng = np.random.default_rng(0)
    x = rng.random((n, 64)).astype(np.float32)
    return Dataset(x=x, sample_shape=(1, 8, 8), name="images", source="test:images")


def _config(epochs: int = 3) -> RunConfig:
    return RunConfig(
        data=DataSpec(source="test:images"),
        model=ModelSpec(kind="ae", latent=3, hidden=(16,)),
        train=TrainSpec(epochs=epochs, batch_size=32, lr=3e-3, device="cpu", n_eval=40, n_recon=4),
    )


def _accumulate(path) -> event_accumulator.EventAccumulator:
    acc = event_accumulator.EventAccumulator(str(path), size_guidance={"scalars": 0, "images": 0})
    acc.Reload()
    return acc


def _scalars(acc, tag: str) -> list[tuple[int, float]]:
    return [(e.step, e.value) for e in acc.Scalars(tag)]


def test_event_files_match_metrics(tmp_path):
    run = tmp_path / "run"
    list(train(_config(), _images(), run_dir=run))
    assert list(run.glob("events.out.tfevents.*"))
    acc = _accumulate(run)
    metrics = read_metrics(run)
    tags = acc.Tags()["scalars"]
    for split in ("train", "val"):
        for term in metrics[0][split]:
            assert f"{split}/{term}" in tags
            expected = [(m["epoch"], m[split][term]) for m in metrics]
            got = _scalars(acc, f"{split}/{term}")
            assert [s for s, _ in got] == [s for s, _ in expected]
            # Event files hold float32 scalars.
            np.testing.assert_allclose([v for _, v in got], [v for _, v in expected], rtol=1e-6)
    lr = _scalars(acc, "lr/model")
    assert [round(v, 9) for _, v in lr] == [round(m["lr"]["model"], 9) for m in metrics]
    baseline = read_baseline(run)
    pca = _scalars(acc, "pca/val_mse")
    assert len(pca) == len(metrics)
    assert pca[0][1] == pytest.approx(baseline["pca_val_mse"], rel=1e-6)
    assert "perf/samples_per_s" in tags
    images = acc.Images("reconstructions")
    assert [i.step for i in images] == [1, 2, 3]
    # Three rows (originals, model, PCA) of four 8x8 tiles with 2-pixel gaps.
    assert (images[0].height, images[0].width) == (3 * 10 + 2, 4 * 10 + 2)
    assert "config/text_summary" in acc.Tags()["tensors"]


def test_resumed_run_continues_its_event_log(tmp_path):
    run = tmp_path / "run"
    events = train(_config(epochs=2), _images(), run_dir=run)
    list(events)
    state, _ = newest_state(run)
    list(train(_config(epochs=4), _images(), run_dir=run, resume_from=state))
    acc = _accumulate(run)
    steps = [s for s, _ in _scalars(acc, "train/loss")]
    assert steps == [1, 2, 3, 4]
    values = [v for _, v in _scalars(acc, "train/loss")]
    expected = [m["train"]["loss"] for m in read_metrics(run)]
    np.testing.assert_allclose(values, expected, rtol=1e-6)


def test_baseline_record(tmp_path):
    run = tmp_path / "run"
    list(train(_config(epochs=1), _images(), run_dir=run))
    record = json.loads((run / BASELINE_FILE).read_text())
    assert record["latent"] == 3 and record["n_features"] == 64
    assert record["pca_val_mse"] > 0
    assert len(record["explained_variance"]) >= 3


def test_few_images_per_run(tmp_path):
    run = tmp_path / "run"
    list(train(_config(epochs=25), _images(48), run_dir=run))
    steps = [i.step for i in _accumulate(run).Images("reconstructions")]
    assert steps == [3, 6, 9, 12, 15, 18, 21, 24, 25]


def test_switched_off_by_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(TENSORBOARD_ENV, "0")
    run = tmp_path / "run"
    list(train(_config(epochs=1), _images(), run_dir=run))
    assert not list(run.glob("events.out.tfevents.*"))
    assert (run / BASELINE_FILE).is_file()


def test_image_grid_skips_vectors():
    assert image_grid([np.zeros((4, 12), np.float32)]) is None
    grid = image_grid([np.zeros((20, 3, 5, 5), np.float32), np.ones((20, 3, 5, 5), np.float32)])
    assert grid.shape == (2 * 7 + 2, 8 * 7 + 2, 3) and grid.dtype == np.uint8


def test_projector_export_loads_in_tensorboards_projector_plugin(tmp_path):
    from google.protobuf import text_format
    from tensorboard.backend.event_processing import plugin_event_multiplexer
    from tensorboard.plugins.projector import projector_plugin
    from tensorboard.plugins.projector.projector_config_pb2 import ProjectorConfig

    from aeviewer.io.dataout import write_projector
    from aeviewer.io.tensorboard_projector import PBTXT_NAME, crc32c

    assert crc32c(b"123456789") == 0xE3069283  # the standard check value
    images = _images(20)
    latents = np.random.default_rng(2).normal(size=(20, 3))
    folder = tmp_path / "logs" / "latents"
    files = write_projector(
        folder,
        latents,
        metadata={"label": list(range(20)), "score": [0.5] * 20},
        images=images.images(),
    )
    # TensorBoard sees the folder as a run: it holds a readable event file.
    multiplexer = plugin_event_multiplexer.EventMultiplexer()
    multiplexer.AddRunsFromDirectory(str(tmp_path / "logs"))
    multiplexer.Reload()
    assert list(multiplexer.Runs()) == ["latents"]
    config = text_format.Parse((folder / PBTXT_NAME).read_text(), ProjectorConfig())
    (embedding,) = config.embeddings
    assert embedding.tensor_path == "vectors.tsv" and embedding.metadata_path == "metadata.tsv"
    assert embedding.sprite.image_path == "sprite.png"
    assert list(embedding.sprite.single_image_dim) == list(files.single_image_dim)
    # The plugin's own readers: it finds the config and reads the vectors back.
    configs, _ = projector_plugin.ProjectorPlugin._read_latest_config_files(
        None, [("latents", str(folder))]
    )
    assert configs["latents"].embeddings[0].tensor_name == "aeviewer"
    tensor = projector_plugin._read_tensor_tsv_file(str(folder / embedding.tensor_path))
    np.testing.assert_allclose(tensor, latents, rtol=1e-6)
    # A second export into the same folder adds no second event file.
    write_projector(folder, latents)
    assert len(list(folder.glob("events.out.tfevents.*"))) == 1
