"""Sessions keep the training state and the learning-rate changes, and open hostile files
safely: sizes and nesting are checked before anything is trusted."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
import torch

from aeviewer.errors import RunError
from aeviewer.io import make_session, open_session, save_session
from aeviewer.io import session as session_module
from aeviewer.training.events import EpochEnd, Finished, LrChanged, Resumable, Snapshot, Started
from aeviewer.training.rundir import load_model
from aeviewer.training.state import TrainingState


@pytest.fixture
def resumable(trained_run) -> TrainingState:
    _, events = trained_run
    return next(e.state for e in events if isinstance(e, Resumable))


@pytest.fixture
def session(trained_run, images, resumable):
    run_dir, events = trained_run
    model, config, _ = load_model(run_dir)
    return make_session(config, images, events, model=model, training_state=resumable)


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n) for n in archive.namelist()}


def rewrite(path: Path, changed: dict[str, bytes | None]) -> Path:
    """A copy of the session at ``path`` with members replaced (None removes one)."""
    data = {**members(path), **changed}
    out = path.with_name("changed.aev")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, value in data.items():
            if value is not None:
                archive.writestr(name, value)
    return out


# -- the training state ----------------------------------------------------------------------
def test_the_training_state_comes_back_exactly(session, resumable, tmp_path):
    path = save_session(tmp_path / "s.aev", session)
    assert {"training_state.safetensors", "training_state.json"} <= set(members(path))
    back = open_session(path).training_state
    assert back is not None
    assert back.meta == json.loads(json.dumps(dict(resumable.meta)))
    assert set(back.tensors) == set(resumable.tensors)
    for name, tensor in resumable.tensors.items():
        assert back.tensors[name].dtype == tensor.dtype
        assert torch.equal(back.tensors[name], tensor), name
    assert (back.epoch, back.step, back.stage) == (resumable.epoch, resumable.step, "train")
    assert back.config == resumable.config


def test_a_session_without_a_training_state_opens_with_none(session, tmp_path):
    from dataclasses import replace

    path = save_session(tmp_path / "old.aev", replace(session, training_state=None))
    assert not any(n.startswith("training_state") for n in members(path))
    assert open_session(path).training_state is None


def test_a_damaged_training_state_is_an_error_naming_file_and_member(session, tmp_path):
    path = save_session(tmp_path / "s.aev", session)
    tensors = bytearray(members(path)["training_state.safetensors"])
    tensors[-1] ^= 0xFF  # same size, other bytes
    bad = rewrite(path, {"training_state.safetensors": bytes(tensors)})
    with pytest.raises(RunError, match=r"changed\.aev: training_state\.safetensors .*SHA-256"):
        open_session(bad)
    bad = rewrite(path, {"training_state.safetensors": bytes(tensors[:-8])})
    with pytest.raises(RunError, match=r"changed\.aev: training_state\.safetensors holds"):
        open_session(bad)
    bad = rewrite(path, {"training_state.safetensors": None})
    with pytest.raises(RunError, match=r"changed\.aev: training_state\.safetensors is missing"):
        open_session(bad)
    bad = rewrite(path, {"training_state.json": None})
    with pytest.raises(RunError, match=r"changed\.aev: training_state\.safetensors has no"):
        open_session(bad)
    description = json.loads(members(path)["training_state.json"])
    description["state"]["format"] = "pickle"
    bad = rewrite(path, {"training_state.json": json.dumps(description).encode()})
    with pytest.raises(RunError, match=r"changed\.aev: training_state\.json is incomplete"):
        open_session(bad)
    bad = rewrite(path, {"training_state.json": b"{not json"})
    with pytest.raises(RunError, match=r"changed\.aev: training_state\.json is damaged"):
        open_session(bad)


def test_a_training_state_whose_hash_matches_but_is_not_safetensors(session, tmp_path):
    import hashlib

    path = save_session(tmp_path / "s.aev", session)
    junk = b"\xff" * 64
    description = json.loads(members(path)["training_state.json"])
    description.update(tensors_bytes=len(junk), tensors_sha256=hashlib.sha256(junk).hexdigest())
    bad = rewrite(
        path,
        {
            "training_state.safetensors": junk,
            "training_state.json": json.dumps(description).encode(),
        },
    )
    with pytest.raises(RunError, match=r"training_state\.safetensors is damaged"):
        open_session(bad)


# -- learning-rate changes -------------------------------------------------------------------
def test_learning_rate_changes_come_back_before_their_epoch_end(trained_run, images, tmp_path):
    run_dir, events = trained_run
    model, config, _ = load_model(run_dir)
    ends = [e for e in events if isinstance(e, EpochEnd)]
    first = LrChanged(ends[1].epoch, ends[0].step + 1, "model", 0.0005)
    second = LrChanged(ends[1].epoch, ends[0].step + 2, "model", 0.0002)
    late = LrChanged(ends[1].epoch + 1, ends[1].step + 1, "model", 0.0001)  # while paused
    recorded: list = []
    for event in events:
        if event is ends[1]:
            recorded += [first, second]
        if isinstance(event, Finished):
            recorded.append(late)
        recorded.append(event)
    saved = make_session(config, images, recorded, model=model)
    assert saved.lr_changes == (first, second, late)
    path = save_session(tmp_path / "lr.aev", saved)
    lines = members(path)["metrics.jsonl"].decode().splitlines()
    assert "lr_changes" not in json.loads(lines[0])
    assert json.loads(lines[1])["lr_changes"] == [
        {"step": first.step, "group": "model", "lr": 0.0005},
        {"step": second.step, "group": "model", "lr": 0.0002},
    ]
    back = open_session(path)
    assert back.lr_changes == (first, second, late)
    assert [type(e) for e in back.events()] == [
        Started,
        EpochEnd,
        Snapshot,
        LrChanged,
        LrChanged,
        EpochEnd,
        Snapshot,
        LrChanged,
        Finished,
    ]
    assert [e for e in back.events() if isinstance(e, LrChanged)] == [first, second, late]


def test_a_metrics_line_with_invalid_lr_changes_is_an_error(session, tmp_path):
    path = save_session(tmp_path / "s.aev", session)
    line = json.loads(members(path)["metrics.jsonl"].decode().splitlines()[0])
    line["lr_changes"] = [{"step": "x", "group": "model", "lr": 1}]
    bad = rewrite(path, {"metrics.jsonl": (json.dumps(line) + "\n").encode()})
    with pytest.raises(RunError, match=r"changed\.aev: metrics\.jsonl line 1 is invalid"):
        open_session(bad)


# -- hostile files ---------------------------------------------------------------------------
def test_members_larger_than_their_budget_are_refused_before_reading(
    session, tmp_path, monkeypatch
):
    path = save_session(tmp_path / "s.aev", session)
    read = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(
        zipfile.ZipFile,
        "open",
        lambda self, name, *a, **k: read.append(name) or real_open(self, name, *a, **k),
    )
    monkeypatch.setattr(session_module, "MAX_SESSION_JSON_BYTES", 100)
    with pytest.raises(RunError, match=r"s\.aev: session\.json declares [\d,]+ bytes, more than"):
        open_session(path)
    assert read == []
    monkeypatch.setattr(session_module, "MAX_SESSION_JSON_BYTES", 1 << 30)
    monkeypatch.setattr(session_module, "MAX_STATE_JSON_BYTES", 100)
    with pytest.raises(RunError, match=r"s\.aev: training_state\.json declares"):
        open_session(path)
    monkeypatch.setattr(session_module, "MAX_ARCHIVE_BYTES", 1000)
    with pytest.raises(RunError, match=r"s\.aev: .* past 1,000 bytes; too large"):
        open_session(path)


def forge_declared_size(path: Path, name: str, size: int) -> None:
    """Patch the central directory so that ``name`` claims ``size`` bytes uncompressed."""
    data = bytearray(path.read_bytes())
    start = data.rfind(b"PK\x05\x06")
    offset = struct.unpack_from("<I", data, start + 16)[0]
    while data[offset : offset + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack_from("<HHH", data, offset + 28)
        if data[offset + 46 : offset + 46 + name_len].decode() == name:
            struct.pack_into("<I", data, offset + 24, size)
            path.write_bytes(bytes(data))
            return
        offset += 46 + name_len + extra_len + comment_len
    raise AssertionError(f"{name} not found")


def test_a_member_that_claims_a_zip_bomb_size_is_refused(session, tmp_path):
    path = save_session(tmp_path / "s.aev", session)
    forge_declared_size(path, "metrics.jsonl", 2**32 - 1)
    with pytest.raises(RunError, match=r"s\.aev: metrics\.jsonl declares [\d,]+ bytes from"):
        open_session(path)


def test_a_member_that_lies_about_its_size_is_damaged(session, tmp_path):
    path = save_session(tmp_path / "s.aev", session)
    size = len(members(path)["session.json"])
    forge_declared_size(path, "session.json", size - 10)
    with pytest.raises(RunError, match=r"s\.aev: session\.json is damaged"):
        open_session(path)


def test_deeply_nested_json_is_refused(session, tmp_path):
    path = save_session(tmp_path / "s.aev", session)
    meta = json.loads(members(path)["session.json"])
    nested: object = 1
    for _ in range(200):
        nested = [nested]
    meta["view_state"] = {"deep": nested}
    bad = rewrite(path, {"session.json": json.dumps(meta).encode()})
    with pytest.raises(RunError, match=r"changed\.aev: session\.json is damaged: nested deeper"):
        open_session(bad)
    very = b"[" * 100_000 + b"]" * 100_000
    bad = rewrite(path, {"session.json": very})
    with pytest.raises(RunError, match=r"changed\.aev: session\.json is damaged"):
        open_session(bad)
    line = b'{"epoch": 1, "train": {"loss": 1.0}, "x": ' + b"[" * 100 + b"]" * 100 + b"}\n"
    bad = rewrite(path, {"metrics.jsonl": line})
    with pytest.raises(RunError, match=r"changed\.aev: metrics\.jsonl line 1 is invalid"):
        open_session(bad)


def test_a_duplicate_member_is_refused(session, tmp_path):
    path = save_session(tmp_path / "s.aev", session)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("session.json", b"{}")
    with pytest.raises(RunError, match=r"s\.aev: the archive holds session\.json more than once"):
        open_session(path)


def test_an_array_whose_header_asks_for_more_than_it_holds_is_refused(session, tmp_path):
    import io

    path = save_session(tmp_path / "s.aev", session)
    # A tiny .npy whose header claims a huge shape: numpy would allocate it before reading.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as npz:
        header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000,), }"
        data = b"\x93NUMPY\x01\x00" + struct.pack("<H", 118) + header.ljust(117).encode() + b"\n"
        npz.writestr("a0.npy", data + bytes(16))
    bad = rewrite(path, {"snapshots.npz": buffer.getvalue()})
    with pytest.raises(RunError, match=r"changed\.aev: snapshots\.npz is damaged: a0\.npy"):
        open_session(bad)


def test_arrays_with_objects_are_refused(session, tmp_path):
    import io

    path = save_session(tmp_path / "s.aev", session)
    buffer = io.BytesIO()
    np.savez(buffer, a0=np.array([{"x": 1}], dtype=object))
    bad = rewrite(path, {"snapshots.npz": buffer.getvalue()})
    with pytest.raises(RunError, match=r"changed\.aev: snapshots\.npz .*objects"):
        open_session(bad)


def test_too_many_members_are_refused(session, tmp_path, monkeypatch):
    path = save_session(tmp_path / "s.aev", session)
    monkeypatch.setattr(session_module, "MAX_MEMBERS", 3)
    with pytest.raises(RunError, match=r"s\.aev: \d+ members is more than a session has"):
        open_session(path)
