"""Following a run directory that is still being written."""

from __future__ import annotations

import json
import shutil
import time

import pytest
import torch

from aeviewer.data.dataset import Dataset
from aeviewer.errors import RunError
from aeviewer.io import RunFollower
from aeviewer.io.records import epoch_end_to_dict
from aeviewer.training.events import EpochEnd, LrChanged
from aeviewer.training.rundir import load_model


def _line(epoch: int, loss: float) -> bytes:
    end = EpochEnd(
        epoch=epoch,
        step=10 * epoch,
        train={"loss": loss, "recon": loss},
        val={"loss": loss + 0.01},
        lr={"model": 1e-3},
        seconds=0.5,
        samples_per_s=200.0,
    )
    return (json.dumps(epoch_end_to_dict(end)) + "\n").encode()


def test_a_followed_run_picks_up_an_epoch_appended_later(trained_run, tmp_path):
    run_dir, events = trained_run
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    follower = RunFollower(copy)
    first = follower.poll()
    assert first == [e for e in events if isinstance(e, EpochEnd)]
    assert follower.poll() == []
    with open(copy / "metrics.jsonl", "ab") as handle:
        handle.write(_line(3, 0.25))
    (new,) = follower.poll()
    assert (new.epoch, new.train_loss, new.val_loss, new.lr) == (3, 0.25, 0.26, {"model": 1e-3})


def test_a_half_written_line_waits_until_it_is_complete(tmp_path):
    follower = RunFollower(tmp_path / "run")
    assert follower.poll() == [] and follower.config() is None
    assert follower.newest_checkpoint() is None and not follower.has_final_model()
    (tmp_path / "run").mkdir()
    line = _line(1, 0.5)
    with open(tmp_path / "run" / "metrics.jsonl", "ab") as handle:
        handle.write(line[:20])
        handle.flush()
        assert follower.poll() == []
        handle.write(line[20:-1])
        handle.flush()
        assert follower.poll() == []
        handle.write(line[-1:] + _line(2, 0.4)[:7])
        handle.flush()
        assert [e.epoch for e in follower.poll()] == [1]
        handle.write(_line(2, 0.4)[7:])
    assert [e.train_loss for e in follower.poll()] == [0.4]


def test_bad_lines_are_skipped_and_a_rewritten_file_is_not_repeated(tmp_path):
    metrics = tmp_path / "metrics.jsonl"
    metrics.write_bytes(_line(1, 0.5) + b"{not json}\n" + _line(2, 0.4))
    follower = RunFollower(tmp_path)
    assert [e.epoch for e in follower.poll()] == [1, 2]
    assert follower.skipped_lines == 1
    metrics.write_bytes(_line(1, 0.9))  # a new run (or a sync) replaced the file
    assert follower.poll() == []
    with open(metrics, "ab") as handle:
        handle.write(_line(2, 0.8) + _line(3, 0.7))
    assert [e.epoch for e in follower.poll()] == [3]


def test_the_newest_checkpoint_loads_into_the_runs_model(trained_run, images):
    run_dir, _ = trained_run
    follower = RunFollower(run_dir)
    newest = follower.newest_checkpoint()
    assert newest is not None and newest.epoch == 2
    assert follower.new_checkpoint() == newest and follower.new_checkpoint() is None
    assert follower.has_final_model()
    assert follower.config() == load_model(run_dir)[1]
    model = follower.model_at(newest, images)
    final = load_model(run_dir)[0]
    x = torch.from_numpy(images.x[:5])
    with torch.no_grad():
        assert torch.equal(model(x), final(x))
    smaller = Dataset(x=images.x[:, :60].copy(), sample_shape=(60,), name="s", source="s.npy")
    with pytest.raises(RunError, match=r"epoch-000000000002\.json: .* shape"):
        follower.model_at(newest, smaller)
    other = Dataset(x=images.x[::-1].copy(), sample_shape=images.sample_shape, name="o", source="o")
    with pytest.raises(RunError, match="differs in content"):
        follower.model_at(newest, other)


def test_learning_rate_changes_come_back_before_their_epoch(tmp_path):
    line = json.loads(_line(1, 0.5))
    line["lr_changes"] = [{"step": 4, "group": "model", "lr": 3e-4}]
    (tmp_path / "metrics.jsonl").write_text(json.dumps(line) + "\n")
    change, end = RunFollower(tmp_path).poll()
    assert change == LrChanged(1, 4, "model", 3e-4) and end.epoch == 1


def test_status_tells_running_finished_and_stalled(trained_run, tmp_path):
    run_dir, _ = trained_run
    copy = tmp_path / "run"
    shutil.copytree(run_dir, copy)
    (copy / "model.json").unlink()
    follower = RunFollower(copy)
    follower.poll()
    assert follower.status().state == "running"
    stalled = follower.status(now=time.monotonic() + 3600)
    assert stalled.state == "stalled" and f"aeviewer train --resume {copy}" in stalled.message
    assert RunFollower(run_dir).status().state == "finished"
