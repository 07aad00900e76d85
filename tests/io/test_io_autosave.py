"""Autosave per process: each aeviewer autosaves to a file of its own, locked while it lives,
and only the autosaves of crashed instances are offered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aeviewer.errors import RunError
from aeviewer.io import (
    autosave_path,
    clear_autosave,
    find_autosave,
    make_session,
    open_session,
    write_autosave,
)
from aeviewer.io.session import (
    STATE_DIR_ENV,
    abandon_autosave,
    adopt_autosave,
    find_autosaves,
    save_session,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def state(tmp_path, monkeypatch) -> Iterator[Path]:
    """A state folder of the test's own; this process's autosave is cleared afterwards."""
    folder = tmp_path / "state"
    monkeypatch.setenv(STATE_DIR_ENV, str(folder))
    yield folder
    clear_autosave()


@pytest.fixture
def session(images):
    from aeviewer.config import RunConfig

    return make_session(RunConfig(), images, view_state={"tab": "loss"})


def test_the_own_autosave_is_per_process_locked_and_never_offered_here(state, session):
    assert find_autosave() is None
    path = write_autosave(session)
    assert path == autosave_path() and path.parent == state
    assert path.name.startswith(f"autosave-{os.getpid()}-") and path.suffix == ".aev"
    assert path.with_suffix(".lock").is_file()
    assert write_autosave(session) == path  # the same file for the life of the process
    assert open_session(path).view_state == {"tab": "loss"}
    assert find_autosave() is None and find_autosaves() == []
    leftover = path.parent / f".{path.name}.x1y2.tmp"  # what a killed autosave leaves
    leftover.write_bytes(b"half")
    assert clear_autosave()
    assert not path.exists() and not leftover.exists()
    assert not path.with_suffix(".lock").exists()
    assert clear_autosave()  # nothing left to clear is fine


def test_an_abandoned_autosave_is_offered_as_a_crashed_one_would_be(state, session):
    path = write_autosave(session)
    abandon_autosave()  # as a crash would: the lock goes, the file stays
    assert autosave_path() != path
    assert find_autosave() == path
    # Declining removes it, its lock file and its leftovers.
    leftover = path.parent / f".{path.name}.ab12.tmp"
    leftover.write_bytes(b"half")
    assert clear_autosave(path)
    assert find_autosave() is None
    assert sorted(p.name for p in state.iterdir()) == []


def test_an_adopted_autosave_becomes_this_processs_own(state, session):
    orphan = write_autosave(session)
    abandon_autosave()
    mine = write_autosave(session)
    assert find_autosave() == orphan
    assert adopt_autosave(orphan) == orphan
    assert autosave_path() == orphan and not mine.exists()
    assert find_autosave() is None
    assert write_autosave(session) == orphan
    clear_autosave()
    assert list(state.iterdir()) == []


def test_orphans_are_offered_newest_first_and_junk_is_not(state, session):
    older = save_session(state / "autosave-1-aaaa.aev", session)
    newer = save_session(state / "autosave-2-bbbb.aev", session)
    os.utime(older, (1_000_000, 1_000_000))
    legacy = save_session(state / "autosave.aev", session)  # before autosaves were per process
    os.utime(legacy, (2_000_000, 2_000_000))
    (state / "autosave-3-cccc.aev").write_text("not a zip")
    (state / "autosave-4-dddd.lock").write_text("4\n")  # a crash before the first write
    (state / ".autosave-4-dddd.aev.zz.tmp").write_bytes(b"half")
    assert find_autosaves() == [newer, legacy, older]
    assert find_autosave() == newer
    assert not (state / "autosave-4-dddd.lock").exists()
    assert not (state / ".autosave-4-dddd.aev.zz.tmp").exists()


HOLDER = """
import sys
import numpy as np
from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.io import make_session, write_autosave

data = Dataset(x=np.zeros((8, 4), np.float32), sample_shape=(4,), name="z", source="test:z")
path = write_autosave(make_session(RunConfig(), data, view_state={"owner": "other"}))
print(path, flush=True)
sys.stdin.read()  # live until the test kills us
"""


@pytest.mark.timeout(60)
def test_another_live_processs_autosave_is_not_offered_until_it_dies(state, session):
    env = {**os.environ, "PYTHONPATH": str(REPO), STATE_DIR_ENV: str(state)}
    process = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(HOLDER)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        other = Path(process.stdout.readline().strip())
        assert other.is_file() and other.parent == state
        assert other.name.startswith(f"autosave-{process.pid}-")
        mine = write_autosave(session)
        # While it lives, its autosave is not offered, nor removed by anything done here.
        assert find_autosave() is None
        assert clear_autosave()
        assert not mine.exists() and other.is_file()
        assert not clear_autosave(other)
        with pytest.raises(RunError, match="another running aeviewer"):
            adopt_autosave(other)
        assert other.is_file() and other.with_suffix(".lock").is_file()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdin.close()
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    # Killed, it left its autosave: that is offered now, and opens.
    deadline = time.monotonic() + 10
    while find_autosave() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # the kernel releases the lock as the process is reaped
    assert find_autosave() == other
    assert open_session(other).view_state == {"owner": "other"}
    write_autosave(session)
    assert find_autosaves() == [other]
    assert clear_autosave(other)
    assert find_autosave() is None and not other.with_suffix(".lock").exists()
