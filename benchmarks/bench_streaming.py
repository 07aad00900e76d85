"""Training on data larger than memory: a streamed .npy against the same data in memory.

Writes a float32 ``.npy`` of ``--rows`` x 784 values in [0, 1] (the issue's target is 700,000
rows, 2.2 GB) without holding it in memory, then trains the same autoencoder for one epoch
twice, each in its own process: with the samples in memory (``--data-in-memory``) and streamed
from the memory-mapped file (``--data-streamed``). Rows: each run's training throughput
(samples/s of the epoch, from ``metrics.jsonl``) and its peak resident memory (the child's
VmHWM), the streamed run's peak memory with its DataLoader worker processes (their proportional
set sizes summed, sampled every 0.2 s: a forked worker's pages shared with the training process
count once), then the ratios: streamed throughput over in-memory (target >= 0.8) and streamed
peak memory over the file's size (target: under 1.5 GB for 2.2 GB). The two runs follow each other,
so a busy machine can slow one more than the other; the last row therefore compares the same
training steps fed from memory and from the streamed reader in alternating rounds in one
process, best of three each.

Run from the repository root with ``python -m benchmarks.bench_streaming [--rows N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

D = 784
CHUNK = 50_000


def write_npy(path: Path, rows: int, seed: int = 0) -> None:
    """A ``(rows, D)`` float32 file of low-rank data in [0, 1], written chunk by chunk."""
    rng = np.random.default_rng(seed)
    basis = rng.random((16, D), dtype=np.float32) / 16
    header = {"descr": "<f4", "fortran_order": False, "shape": (rows, D)}
    with open(path, "wb") as handle:
        np.lib.format.write_array_header_2_0(handle, header)
        for start in range(0, rows, CHUNK):
            n = min(CHUNK, rows - start)
            codes = rng.random((n, 16), dtype=np.float32)
            x = codes @ basis + 0.05 * rng.random((n, D), dtype=np.float32)
            np.clip(x, 0.0, 1.0, out=x)
            x.astype(np.float32).tofile(handle)


#: Runs the CLI, then prints the process's peak resident memory (VmHWM: this process's own,
#: unlike ru_maxrss, which Linux carries over from the parent across fork and exec).
CHILD = (
    "import sys; from aeviewer.cli import main; code = main(sys.argv[1:]); "
    "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1]; "
    "print('peak_rss_kb', hwm, file=sys.stderr); sys.exit(code)"
)


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                queue += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def _pss_bytes(pids: list[int]) -> float:
    """Proportional set size of the processes ``pids`` together: shared pages (a forked
    worker's copy of its parent) count once, split among the processes sharing them."""
    total = 0.0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += float(line.split()[1]) * 1024.0
                    break
        except OSError:
            continue
    return total


def train_once(data: Path, out: Path, storage: str, batch: int) -> tuple[float, float, float]:
    """Train one epoch in a child process: its samples/s, its peak resident memory (bytes),
    and the peak memory of it and its data-reading workers together (sampled PSS, bytes)."""
    command = [
        sys.executable, "-c", CHILD, "train", "--data", str(data), "--out", str(out),
        "--epochs", "1", "--batch-size", str(batch), "--hidden", "256", "--latent", "16",
        "--device", "cpu", "--val-fraction", "0.02", "--quiet", f"--data-{storage}",
    ]  # fmt: skip
    with tempfile.TemporaryFile("w+") as errors:
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, text=True)
        tree_peak = 0.0
        while child.poll() is None:
            tree_peak = max(tree_peak, _pss_bytes(_descendants(child.pid)))
            time.sleep(0.2)
        errors.seek(0)
        stderr = errors.read()
    if child.returncode != 0:
        raise SystemExit(f"bench_streaming: the {storage} run failed: {stderr[-500:]}")
    peak = [line.split()[1] for line in stderr.splitlines() if line.startswith("peak_rss")]
    record = json.loads((out / "metrics.jsonl").read_text().splitlines()[-1])
    return float(record["samples_per_s"]), float(peak[-1]) * 1024.0, tree_peak


def alternating(data: Path, batches: int = 300, rounds: int = 3, batch: int = 256) -> float:
    """Best-of-``rounds`` throughput ratio streamed / in memory of the same training steps,
    the two alternating in one process (so that a busy machine slows both alike): batches
    from a tensor in memory against batches read by the loop's streamed reader."""
    import torch

    from aeviewer.data.mapped import map_npy
    from aeviewer.training.streaming import EpochBatches, MappedRows, data_workers

    x, _ = map_npy(data)
    n = min(x.shape[0], batches * batch)
    workers = data_workers(None, x)
    rows = MappedRows(x, np.arange(x.shape[0]), torch.device("cpu"), data, workers)
    memory = torch.from_numpy(np.array(x[:n]))
    model = torch.nn.Sequential(
        torch.nn.Linear(D, 256), torch.nn.ReLU(), torch.nn.Linear(256, 16),
        torch.nn.Linear(16, 256), torch.nn.ReLU(), torch.nn.Linear(256, D),
    )  # fmt: skip
    opt = torch.optim.Adam(model.parameters())

    def step(b: torch.Tensor) -> None:
        opt.zero_grad()
        torch.nn.functional.mse_loss(model(b), b).backward()
        opt.step()

    best = {"memory": 0.0, "streamed": 0.0}
    generator = torch.Generator().manual_seed(0)
    for _ in range(rounds):
        for mode in best:
            order = torch.randperm(n, generator=generator)
            plan = [order[i * batch : (i + 1) * batch] for i in range(n // batch)]
            start = time.perf_counter()
            if mode == "memory":
                for r in plan:
                    step(memory[r])
            else:
                reader = EpochBatches(rows, plan, workers)
                for _ in plan:
                    step(reader.next_batch())
                reader.close()
            best[mode] = max(best[mode], len(plan) * batch / (time.perf_counter() - start))
    return best["streamed"] / best["memory"]


def run(rows: int | None = None, batch: int = 256, where: Path | None = None) -> list:
    """Rows ``(name, value, note)`` of the comparison (``rows`` from AEVIEWER_BENCH_STREAM_ROWS,
    default 700,000)."""
    rows = rows or int(os.environ.get("AEVIEWER_BENCH_STREAM_ROWS", "700000"))
    folder = Path(tempfile.mkdtemp(prefix="bench-stream-", dir=where))
    try:
        size = rows * D * 4
        free = shutil.disk_usage(folder).free
        if free < 1.2 * size:
            raise SystemExit(f"bench_streaming: {size / 1e9:.1f} GB needed, {free / 1e9:.1f} free")
        data = folder / "data.npy"
        write_npy(data, rows)
        rate_mem, rss_mem, _ = train_once(data, folder / "memory", "in-memory", batch)
        rate_str, rss_str, tree_str = train_once(data, folder / "streamed", "streamed", batch)
        steps = alternating(data)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    setting = f"{rows:,} x {D} float32, {size / 1e9:.2f} GB"
    return [
        ("in memory [samples/s]", rate_mem, setting),
        ("in memory peak RSS [GB]", rss_mem / 1e9, setting),
        ("streamed [samples/s]", rate_str, setting),
        ("streamed peak RSS [GB]", rss_str / 1e9, "training process; target < 1.5 GB"),
        ("streamed with workers peak PSS [GB]", tree_str / 1e9, "sampled; target < 1.5 GB"),
        ("streamed / in-memory throughput", rate_str / rate_mem, "target >= 0.8"),
        ("streamed peak memory / data size", max(rss_str, tree_str) / size, "target < 0.68"),
        ("steps streamed / in memory, best of 3", steps, "target >= 0.8, alternating rounds"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=700_000)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--dir", type=Path, help="where to write the data (default: a temp dir)")
    args = parser.parse_args()
    for name, value, note in run(args.rows, args.batch_size, args.dir):
        print(f"{name:<36} {value:>12,.2f}  {note}")


if __name__ == "__main__":
    main()
