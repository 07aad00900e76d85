"""Running a sweep's runs in parallel processes, one ``aeviewer train`` each.

Each process gets ``threads`` CPU threads (``OMP_NUM_THREADS`` and friends, which torch reads
at start-up), so ``jobs`` processes of one thread use ``jobs`` cores without fighting over
them. On Linux a run process is killed with the sweep (``PR_SET_PDEATHSIG``), so a killed
sweep leaves no run writing behind it; the run resumes when the sweep is run again.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence

from aeviewer.sweeps.plan import SweepRun

#: Seconds between two looks at the running processes.
POLL_S = 0.2
_THREAD_VARIABLES = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
)


def run_env(threads: int) -> dict[str, str]:
    """The environment of a run process: this one's, with ``threads`` CPU threads."""
    env = dict(os.environ)
    for name in _THREAD_VARIABLES:
        env[name] = str(threads)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def start_run(run: SweepRun, threads: int) -> subprocess.Popen:
    """Start the ``aeviewer train`` process of ``run``; its output goes to the run's log."""
    assert run.log is not None
    handle = open(run.log, "ab")  # noqa: SIM115 - closed when the process ends
    handle.write(f"$ aeviewer {' '.join(run.command())}\n".encode())
    handle.flush()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "aeviewer", *run.command()],
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=run_env(threads),
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
    finally:
        handle.close()
    return process


def run_sweep(
    runs: Sequence[SweepRun],
    jobs: int,
    threads: int = 1,
    on_change: Callable[[Sequence[SweepRun]], None] | None = None,
) -> None:
    """Run every run not finished yet, at most ``jobs`` at a time, until all have ended.

    ``on_change`` is called with all runs whenever one starts, ends, or finishes an epoch.
    An interrupt (Ctrl+C) ends the running processes before it propagates.
    """
    waiting = deque(run for run in runs if run.action != "skip")
    running: dict[subprocess.Popen, SweepRun] = {}
    notify = on_change or (lambda _: None)
    try:
        while waiting or running:
            changed = False
            while waiting and len(running) < max(1, jobs):
                run = waiting.popleft()
                run.state = "running"
                running[start_run(run, threads)] = run
                changed = True
            for process, run in list(running.items()):
                code = process.poll()
                epochs = _epochs_written(run)
                if epochs != run.epochs_done:
                    run.epochs_done = epochs
                    changed = True
                if code is None:
                    continue
                del running[process]
                _ended(run, code)
                changed = True
            if changed:
                notify(runs)
            if waiting or running:
                time.sleep(POLL_S)
    finally:
        for process in running:
            with contextlib.suppress(OSError):
                process.terminate()
        for process in running:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)


def _ended(run: SweepRun, code: int) -> None:
    run.epochs_done = _epochs_written(run)
    finished = (run.path / "model.json").is_file()
    if code == 0 and finished:
        run.state = "finished"
    elif code == 1 and finished:
        run.state = "diverged"
        run.message = _last_line(run, "aeviewer: warning:") or "training diverged"
    else:
        run.state = "failed"
        run.message = _last_line(run, "aeviewer: error:") or f"exit status {code}"


def _epochs_written(run: SweepRun) -> int:
    try:
        with open(run.path / "metrics.jsonl", "rb") as handle:
            return handle.read().count(b"\n")
    except OSError:
        return run.epochs_done


def _last_line(run: SweepRun, prefix: str) -> str:
    """The last line of the run's log starting with ``prefix`` (else its last line)."""
    try:
        lines = run.log.read_text(encoding="utf-8", errors="replace").splitlines()
    except (OSError, AttributeError):
        return ""
    lines = [line.strip() for line in lines if line.strip()]
    marked = [line.removeprefix(prefix).strip() for line in lines if line.startswith(prefix)]
    return (marked or lines or [""])[-1]
