"""Regression test for PySide6 6.12.0's reference-count corruption on signal emits.

That release aborts Python 3.11 ("Fatal Python error: bool_dealloc") after some thousands of
emits. The storm runs in a child process so that an abort fails this test instead of pytest.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import PySide6

STORM = Path(__file__).with_name("signal_storm.py")
REPO = Path(__file__).resolve().parents[2]
#: Rounds of 5 payload kinds, emitted both in one thread and across threads: 300,000 signals.
ROUNDS = 30_000


def test_hundreds_of_thousands_of_signals_survive():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    result = subprocess.run(
        [sys.executable, str(STORM), str(ROUNDS)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, (
        f"PySide6 {PySide6.__version__} on Python {sys.version.split()[0]}: the signal storm "
        f"exited with {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr[-2000:]}"
    )
    assert f"received {10 * ROUNDS} of {10 * ROUNDS}, 0 of the wrong type" in result.stdout
