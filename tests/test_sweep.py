"""``aeviewer sweep``: grid expansion, parallel runs, resuming a killed sweep, bad grids."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aeviewer.cli import main
from aeviewer.errors import ConfigError
from aeviewer.sweeps.grid import GridOption, expand, split_values

TINY = ["--data", "builtin:moons", "--limit", "200", "--hidden", "8", "--batch-size", "100"]


def _sweep(*args: str) -> list[str]:
    return [sys.executable, "-m", "aeviewer", "sweep", *TINY, *args]


def _metrics(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]


def test_grid_expands_in_option_order_with_stable_names():
    points = expand(
        [
            GridOption("--model", ("ae", "linear")),
            GridOption("--latent", ("2", "4")),
            GridOption("--epochs", ("3",)),
            GridOption("--no-labels", ()),
        ]
    )
    assert [p.name for p in points] == [
        "model-ae_latent-2",
        "model-ae_latent-4",
        "model-linear_latent-2",
        "model-linear_latent-4",
    ]
    assert points[1].argv == ("--model", "ae", "--latent", "4", "--epochs", "3", "--no-labels")
    assert expand([GridOption("--latent", ("2",))])[0].name == "run"
    assert split_values("256,128;64", ";") == ("256,128", "64")
    with pytest.raises(ConfigError, match="empty item"):
        split_values("2,,4")
    with pytest.raises(ConfigError, match="same run name"):
        expand([GridOption("--data", ("a/b", "a:b"))])


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["--latent", "2,x"], "--latent: 'x' is not a valid int"),
        (["--model", "ae,transformer"], "--model: 'transformer' is not one of"),
        (["--lr", "0.01,-1", "--epochs", "2"], "--lr -1"),
        (["--latent", "2,2"], "repeated item"),
        (["--jobs", "0"], "--jobs: 0"),
    ],
)
def test_invalid_grid_values_are_one_line_and_exit_2(tmp_path, capsys, args, named):
    out = tmp_path / "sweep"
    assert main(["sweep", *TINY, *args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("aeviewer: error: ") and err.count("\n") == 1
    assert named in err
    assert not out.exists()


@pytest.mark.timeout(120)
def test_sweep_trains_the_grid_and_a_rerun_skips_finished_runs(tmp_path, capsys):
    out = tmp_path / "sweep"
    # One latent of the 2-D moons: PCA is not exact, so the ratio to it is defined.
    args = _sweep(
        "--model", "ae,linear", "--latent", "1", "--epochs", "2", "--jobs", "2", "--out", str(out)
    )
    done = subprocess.run(args, capture_output=True, text=True, timeout=100)
    assert done.returncode == 0, done.stderr
    rows = json.loads((out / "summary.json").read_text())["runs"]
    assert [r["run"] for r in rows] == ["model-ae", "model-linear"]
    assert all(r["state"] == "finished" and r["epochs"] == 2 for r in rows)
    assert all(r["mse_ratio"] == pytest.approx(r["model_mse"] / r["pca_mse"]) for r in rows)
    header = (out / "summary.csv").read_text().splitlines()[0].split(",")
    assert {"run", "model_mse", "pca_mse", "mse_ratio", "samples_per_s"} <= set(header)
    stamp = (out / "model-ae" / "model.json").stat().st_mtime_ns
    capsys.readouterr()
    assert main(args[3:]) == 0
    assert "2 finished already" in capsys.readouterr().err
    assert (out / "model-ae" / "model.json").stat().st_mtime_ns == stamp
    # Other settings in the same folder are refused, naming the run.
    assert main([*args[3:], "--lr", "0.01"]) == 2
    assert "model-ae: this run was started with other settings" in capsys.readouterr().err


@pytest.mark.timeout(150)
def test_a_killed_sweep_resumes_where_it_stopped(tmp_path):
    out = tmp_path / "sweep"
    args = _sweep("--epochs", "2,150", "--jobs", "2", "--out", str(out), "--quiet")
    short, long = out / "epochs-2", out / "epochs-150"
    # Its own process group, so that the kill takes the sweep's training processes too.
    process = subprocess.Popen(
        args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 90
    try:
        while time.monotonic() < deadline:
            lines = (
                (long / "metrics.jsonl").read_text() if (long / "metrics.jsonl").exists() else ""
            )
            if (short / "model.json").exists() and lines.count("\n") >= 20:
                break
            assert process.poll() is None, process.stderr.read()
            time.sleep(0.05)
        else:
            pytest.fail("the sweep did not get far enough")
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    before = _metrics(long)
    assert not (long / "model.json").exists()
    stamp = (short / "model.json").stat().st_mtime_ns
    again = subprocess.run(args[:-1], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert "1 finished already, 1 to resume" in again.stderr
    assert (short / "model.json").stat().st_mtime_ns == stamp
    after = _metrics(long)
    assert [m["epoch"] for m in after] == list(range(1, 151))
    # Resumed, not trained again: the epochs before the kill are the same records.
    assert after[:10] == before[:10]
    rows = json.loads((out / "summary.json").read_text())["runs"]
    assert [r["state"] for r in rows] == ["finished", "finished"]
