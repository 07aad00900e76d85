"""Sessions: save and open give the same numbers, and a killed save harms nothing (autosave:
``test_io_autosave.py``)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch

from aeviewer.errors import RunError
from aeviewer.io import make_session, open_session, save_session
from aeviewer.io.session import DataReference
from aeviewer.training.events import EpochEnd, Finished, Snapshot, Started
from aeviewer.training.rundir import load_model

REPO = Path(__file__).resolve().parents[2]
VIEW_STATE = {"threshold": 0.031, "selection": [3, 5, 8], "tab": "latent"}


@pytest.fixture
def session(trained_run, images):
    run_dir, events = trained_run
    model, config, _ = load_model(run_dir)
    return make_session(config, images, events, model=model, view_state=VIEW_STATE)


def test_save_then_open_gives_the_same_events_numbers_and_model(session, tmp_path):
    path = save_session(tmp_path / "work", session)
    assert path == tmp_path / "work.aev"
    assert set(zipfile.ZipFile(path).namelist()) == {
        "session.json",
        "metrics.jsonl",
        "model.safetensors",
        "snapshots.npz",
    }
    back = open_session(path)
    assert back.config == session.config
    assert back.view_state == VIEW_STATE
    assert back.epochs == session.epochs and len(back.epochs) == 2
    assert back.finished == session.finished
    assert [type(e) for e in back.events()] == [
        Started,
        EpochEnd,
        Snapshot,
        EpochEnd,
        Snapshot,
        Finished,
    ]
    assert back.started.pca_val_loss == session.started.pca_val_loss
    np.testing.assert_array_equal(
        back.started.pca_explained_variance, session.started.pca_explained_variance
    )
    for saved, opened in zip(session.snapshots, back.snapshots, strict=True):
        assert (opened.epoch, opened.step, opened.stage) == (saved.epoch, saved.step, saved.stage)
        for name in ("eval_indices", "latents", "scores", "pca_scores", "reconstructions"):
            np.testing.assert_array_equal(getattr(opened, name), getattr(saved, name))
        np.testing.assert_array_equal(opened.extras["pca_latents"], saved.extras["pca_latents"])
        assert not opened.latents.flags.writeable
    # Arrays the snapshots shared are stored once and shared again.
    assert back.snapshots[0].pca_reconstructions is back.snapshots[1].pca_reconstructions
    x = torch.from_numpy(back.snapshots[-1].originals.reshape(4, -1).copy())
    with torch.no_grad():
        assert torch.equal(back.model()(x), session.model()(x))
    assert back.data.source == "test:squares" and back.data.n_samples == 96


def test_only_the_latest_snapshots_are_kept(session, tmp_path):
    back = open_session(save_session(tmp_path / "s.aev", session, max_snapshots=1))
    assert [s.epoch for s in back.snapshots] == [2]
    assert len(back.epochs) == 2


def test_a_session_without_a_model_or_events(images, tmp_path):
    from aeviewer.config import RunConfig

    empty = make_session(RunConfig(), images, view_state={"threshold": None})
    back = open_session(save_session(tmp_path / "empty.aev", empty))
    assert not back.has_model and back.events() == [] and back.view_state == {"threshold": None}
    with pytest.raises(RunError, match="holds no model"):
        back.model()


def test_the_data_reference_checks_a_reloaded_data_set(session, images):
    session.data.check(images)
    with pytest.raises(RunError, match=r"10 samples of shape \[1, 8, 8\] do not match"):
        session.data.check(images.subset(np.arange(10)))
    assert DataReference.from_dict(session.data.to_dict()).sample_shape == (1, 8, 8)


def test_damaged_or_foreign_files_are_clear_errors(session, tmp_path):
    (tmp_path / "text.aev").write_text("hello")
    with pytest.raises(RunError, match=r"text\.aev: not an aeviewer session"):
        open_session(tmp_path / "text.aev")
    path = save_session(tmp_path / "s.aev", session)
    with zipfile.ZipFile(path) as archive:
        meta = json.loads(archive.read("session.json"))
        members = {n: archive.read(n) for n in archive.namelist()}
    meta["version"] = 99
    members["session.json"] = json.dumps(meta).encode()
    with zipfile.ZipFile(tmp_path / "new.aev", "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    with pytest.raises(RunError, match=r"new\.aev: session version 99 is newer"):
        open_session(tmp_path / "new.aev")


def test_numpy_values_in_the_view_state_come_back_as_plain_values(session, images, tmp_path):
    state = {"selection": np.array([2, 7]), "threshold": np.float32(0.5), "n": np.int64(3)}
    saved = make_session(session.config, images, view_state=state)
    back = open_session(save_session(tmp_path / "np.aev", saved))
    assert back.view_state == {"selection": [2, 7], "threshold": 0.5, "n": 3}


def test_view_state_that_is_not_json_is_refused_and_nothing_written(session, images, tmp_path):
    bad = make_session(session.config, images, view_state={"x": object()})
    with pytest.raises(RunError, match="view state cannot be saved as JSON"):
        save_session(tmp_path / "bad.aev", bad)
    assert list(tmp_path.iterdir()) == []


SLOW_WRITER = """
import contextlib, sys, time
import numpy as np
from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.io import session as session_module
from aeviewer.training.events import Snapshot

real_open = session_module.atomic_open


class Slow:
    # Every write to the temporary file takes a moment, so the save is caught halfway.
    def __init__(self, handle):
        self.handle = handle

    def write(self, data):
        time.sleep(0.002)
        return self.handle.write(data)

    def __getattr__(self, name):
        return getattr(self.handle, name)


@contextlib.contextmanager
def slow_open(path, mode="wb"):
    with real_open(path, mode) as handle:
        yield Slow(handle)


session_module.atomic_open = slow_open
rng = np.random.default_rng(0)
data = Dataset(x=np.zeros((4000, 4), np.float32), sample_shape=(4,), name="z", source="test:z")
snapshots = [
    Snapshot(epoch=e, step=e, stage="train", eval_indices=np.arange(4000),
             latents=rng.normal(size=(4000, 32)).astype(np.float32))
    for e in range(1, 41)
]
big = session_module.make_session(RunConfig(), data, snapshots)
print("saving", flush=True)
session_module.save_session(sys.argv[1], big, max_snapshots=40)
print("saved", flush=True)
"""


def test_a_save_killed_halfway_leaves_the_previous_file_intact(session, tmp_path):
    path = save_session(tmp_path / "work.aev", session)
    before = path.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(SLOW_WRITER), str(path)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        temporary: list[Path] = []
        while time.monotonic() < deadline and process.poll() is None:
            temporary = [p for p in tmp_path.glob(".work.aev.*.tmp") if p.stat().st_size > 0]
            if temporary:
                break
            time.sleep(0.01)
        assert temporary, "the writer never started its temporary file"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    assert path.read_bytes() == before
    back = open_session(path)
    assert back.epochs == session.epochs and back.view_state == VIEW_STATE


@pytest.mark.parametrize("kind", ["conv", "stacked", "vae", "gan"])
def test_every_family_comes_back_from_a_session(kind, model_of, images, tmp_path):
    loaded = model_of(kind)
    saved = make_session(loaded.config, images, model=loaded.model)
    back = open_session(save_session(tmp_path / kind, saved))
    width = loaded.config.model.latent if kind == "gan" else images.n_features
    x = torch.rand(3, width, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        assert torch.equal(back.model()(x), loaded.model(x))
    assert back.model_description["kind"] == kind


def test_a_sessions_model_exports_from_the_command_line(session, tmp_path, capsys):
    from aeviewer.cli import main
    from aeviewer.io import load_exported

    path = save_session(tmp_path / "work.aev", session)
    assert main(["export", str(path), "--out", str(tmp_path / "from-session")]) == 0
    model = load_exported(tmp_path / "from-session.safetensors")
    x = torch.rand(2, 64, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        assert torch.equal(model(x), session.model()(x))
    assert "from-session.json" in capsys.readouterr().out


def test_sessions_know_every_array_field_of_a_snapshot():
    import dataclasses

    from aeviewer.io.records import SNAPSHOT_ARRAYS

    arrays = {
        f.name
        for f in dataclasses.fields(Snapshot)
        if "ndarray" in str(f.type) and f.name != "extras"
    }
    assert arrays == set(SNAPSHOT_ARRAYS)
