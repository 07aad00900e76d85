"""Data-parallel training under torchrun (gloo, two CPU processes): the same training as one
process, every family, elastic restarts, and bad input that ends in one line, not a hang."""

from __future__ import annotations

import itertools
import math
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from shared_data import needs_mnist

from aeviewer.cli import main as cli_main
from aeviewer.commands.launch import torchrun_arguments, worker_arguments
from aeviewer.training.distributed import launch_from_env, shard
from aeviewer.training.rundir import read_metrics

from .mnist import load_mnist

ROOT = Path(__file__).resolve().parents[2]
#: Samples of the MNIST subset the multi-process tests train on.
N_MNIST = 1200


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "MASTER_ADDR")}
    env["OMP_NUM_THREADS"] = "1"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def _torchrun(args: list[str], timeout: float, restarts: int = 0) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    command += ["--nproc-per-node=2", f"--max-restarts={restarts}", *args]
    return subprocess.run(
        command, env=_env(), capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


@pytest.fixture(scope="module")
def mnist_npy(tmp_path_factory) -> Path:
    """The first MNIST test images, flattened (vectors: the GAN is then an MLP pair)."""
    path = tmp_path_factory.mktemp("mnist") / "mnist.npy"
    np.save(path, np.ascontiguousarray(load_mnist().x[:N_MNIST]))
    return path


def _train_args(data: Path, out: Path, kind: str, epochs: int) -> list[str]:
    return [
        "train", "--data", str(data), "--model", kind, "--epochs", str(epochs),
        "--batch-size", "64", "--hidden", "64", "--latent", "8", "--device", "cpu",
        "--out", str(out),
    ]  # fmt: skip


def _epoch_terms(run: Path) -> list[dict[str, float]]:
    return [r["train"] | {f"val_{k}": v for k, v in r["val"].items()} for r in read_metrics(run)]


def _assert_close(got: list[dict], want: list[dict], rel: float) -> None:
    assert len(got) == len(want)
    for epoch, (a, b) in enumerate(zip(got, want, strict=True), 1):
        assert a.keys() == b.keys()
        for name in a:
            assert math.isclose(a[name], b[name], rel_tol=rel, abs_tol=1e-9), (epoch, name)


# -- the pieces ---------------------------------------------------------------------------------
def test_a_batch_is_split_into_contiguous_slices_covering_it():
    for total in (0, 1, 5, 64):
        for world in (1, 2, 3):
            slices = [shard(total, r, world) for r in range(world)]
            assert slices[0][0] == 0 and slices[-1][1] == total
            assert all(a[1] == b[0] for a, b in itertools.pairwise(slices))
            sizes = [b - a for a, b in slices]
            assert max(sizes) - min(sizes) <= 1


def test_the_launch_comes_from_torchruns_environment():
    assert launch_from_env({}) is None
    env = {"RANK": "1", "WORLD_SIZE": "4", "LOCAL_RANK": "1", "MASTER_ADDR": "h"}
    launch = launch_from_env({**env, "TORCHELASTIC_RESTART_COUNT": "2"})
    assert (launch.rank, launch.world_size, launch.restart_count) == (1, 4, 2)
    assert not launch.primary
    assert launch.local_world_size == 1
    assert launch_from_env({**env, "LOCAL_WORLD_SIZE": "2"}).local_world_size == 2


def test_each_cuda_process_needs_a_gpu_of_its_own(monkeypatch):
    import torch

    from aeviewer.errors import RunError
    from aeviewer.training.distributed import Launch, device_for

    assert device_for(Launch(1, 2, 1), torch.device("cpu")) == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    assert device_for(Launch(3, 4, 1), torch.device("cuda", 0)) == torch.device("cuda", 1)
    with pytest.raises(RunError, match="no GPU of its own"):
        device_for(Launch(2, 4, 2), torch.device("cuda", 0))


def test_nproc_hands_the_same_command_line_to_torchrun():
    argv = ["train", "--nproc", "2", "--data", "x.npy", "--max-restarts=3", "--out", "r"]
    assert worker_arguments(argv) == ["train", "--data", "x.npy", "--out", "r"]
    args = torchrun_arguments(2, 3, argv)
    assert args[:3] == ["--standalone", "--nproc-per-node=2", "--max-restarts=3"]
    assert args[3:] == ["-m", "aeviewer", "train", "--data", "x.npy", "--out", "r"]


# -- two processes train as one ------------------------------------------------------------------
@needs_mnist
@pytest.mark.timeout(300)
@pytest.mark.parametrize(
    ("kind", "rel", "storage"),
    [
        ("ae", 1e-4, "in-memory"),
        ("vae", 1e-4, "in-memory"),
        ("gan", 1e-3, "in-memory"),
        ("ae", 1e-4, "streamed"),
    ],
)
def test_two_processes_train_as_one(kind, rel, storage, mnist_npy, tmp_path):
    """Also with the data streamed from disk, each rank's DataLoader reading its shard."""
    one, two = tmp_path / "one", tmp_path / "two"
    assert cli_main([*_train_args(mnist_npy, one, kind, 3), "--quiet"]) == 0
    args = [*_train_args(mnist_npy, two, kind, 3), f"--data-{storage}"]
    result = _torchrun(["-m", "aeviewer", *args], timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    # Rank 0 alone wrote the run: one line per epoch, one summary line.
    assert [r["epoch"] for r in read_metrics(two)] == [1, 2, 3]
    assert result.stdout.count("model saved in") == 1
    _assert_close(_epoch_terms(two), _epoch_terms(one), rel)


@pytest.mark.timeout(300)
def test_every_family_trains_distributed(tmp_path):
    worker = str(ROOT / "tests" / "engine" / "ddp_families.py")
    result = _torchrun([worker, str(tmp_path)], timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    for kind in ("ae", "linear", "sparse", "denoising", "stacked", "vae", "conv", "gan"):
        records = read_metrics(tmp_path / kind)
        assert records, kind
        assert all(math.isfinite(r["train"]["loss"]) for r in records), kind
        assert (tmp_path / kind / "model.safetensors").is_file(), kind


# -- elastic restarts ----------------------------------------------------------------------------
def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@needs_mnist
@pytest.mark.slow
@pytest.mark.timeout(400)
@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_killed_worker_is_restarted_and_the_run_completes(mnist_npy, tmp_path):
    epochs = 6
    one, run = tmp_path / "one", tmp_path / "elastic"
    assert cli_main([*_train_args(mnist_npy, one, "ae", epochs), "--quiet"]) == 0
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone"]
    command += ["--nproc-per-node=2", "--max-restarts=3", "-m", "aeviewer"]
    command += _train_args(mnist_npy, run, "ae", epochs)
    launcher = subprocess.Popen(
        command, env=_env(), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + 240
        while len(read_metrics(run)) < 2 and launcher.poll() is None:
            assert time.monotonic() < deadline, "the run did not reach epoch 2"
            time.sleep(0.05)
        workers = _children(launcher.pid)
        assert len(workers) == 2, "the run ended before a worker could be killed"
        os.kill(workers[-1], signal.SIGKILL)
        _stdout, stderr = launcher.communicate(timeout=300)
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.communicate()
    assert launcher.returncode == 0, stderr[-3000:]
    assert "resuming after epoch" in stderr
    # Every epoch once, and the same numbers as a run that was never interrupted.
    assert [r["epoch"] for r in read_metrics(run)] == list(range(1, epochs + 1))
    _assert_close(_epoch_terms(run), _epoch_terms(one), 1e-4)


# -- bad input -----------------------------------------------------------------------------------
def _aeviewer(args: list[str], env: dict[str, str], timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aeviewer", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("aeviewer: error:")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _rank0_env() -> dict[str, str]:
    """rank 0 of 2, with nobody else: what a peer that never comes looks like."""
    return _env() | {
        "RANK": "0",
        "WORLD_SIZE": "2",
        "LOCAL_RANK": "0",
        "MASTER_ADDR": "127.0.0.1",
        "MASTER_PORT": str(_free_port()),
    }


SMALL = ["train", "--data", "builtin:moons?n=400", "--epochs", "1", "--device", "cpu"]


@pytest.mark.timeout(120)
def test_a_missing_peer_ends_in_one_line_after_the_timeout(tmp_path):
    args = [*SMALL, "--out", str(tmp_path / "r"), "--dist-timeout", "3"]
    result = _aeviewer(args, _rank0_env(), 100)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "not all 2 processes joined" in result.stderr


@pytest.mark.timeout(120)
def test_a_batch_smaller_than_the_processes_is_refused_before_joining(tmp_path):
    args = [*SMALL, "--batch-size", "1", "--out", str(tmp_path / "r")]
    result = _aeviewer(args, _rank0_env(), 100)
    assert result.returncode == 2
    assert _error_lines(result.stderr) == [
        "aeviewer: error: batch size 1 is smaller than the 2 processes; the batch size is "
        "global (split across processes), so use --batch-size 2 or more"
    ]
    assert result.stderr.count("\n") == 1


@pytest.mark.timeout(200)
def test_an_unwritable_run_directory_ends_every_process_in_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    args = [*SMALL, "--nproc", "2", "--quiet", "--out", str(blocker / "run")]
    result = _aeviewer(args, _env(), 150)
    assert result.returncode == 2
    lines = _error_lines(result.stderr)
    assert len(lines) == 2 and all("a-file" in line for line in lines)
    assert any("rank 0 failed" in line for line in lines)
    assert "Traceback" not in result.stderr
