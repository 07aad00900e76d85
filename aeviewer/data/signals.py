"""A time-series built-in for anomaly detection: windows of noisy sines, a few of them broken."""

from __future__ import annotations

import numpy as np

from aeviewer.data.dataset import Dataset

WINDOW = 64
CLASS_NAMES: tuple[str, ...] = ("normal", "spike", "level shift", "burst")
ANOMALY_FRACTION = 0.05


def make_signals(n: int, seed: int) -> Dataset:
    """``n`` windows of 64 steps: sines of random amplitude, frequency and phase plus noise.

    About 5 % of the windows carry one anomaly: a spike (one to three steps jump by 3 to 5),
    a level shift (the rest of the window moves by 1.5 to 2.5) or a burst (8 to 16 steps of
    strong noise). Labels are 0 for normal windows and 1 to 3 for the anomaly type.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(WINDOW, dtype=np.float32)[None, :]
    amplitude = rng.uniform(0.5, 1.5, (n, 1)).astype(np.float32)
    cycles = rng.uniform(1.0, 4.0, (n, 1)).astype(np.float32)
    phase = rng.uniform(0.0, 2 * np.pi, (n, 1)).astype(np.float32)
    x = amplitude * np.sin(2 * np.pi * cycles * t / WINDOW + phase)
    x += rng.normal(0.0, 0.1, (n, WINDOW)).astype(np.float32)

    n_anomalies = max(1, round(n * ANOMALY_FRACTION)) if n >= 20 else 0
    labels = np.zeros(n, np.int64)
    broken = rng.choice(n, n_anomalies, replace=False)
    labels[broken] = 1 + np.arange(n_anomalies) % (len(CLASS_NAMES) - 1)
    sign = rng.choice(np.array([-1.0, 1.0], np.float32), n)
    start = rng.integers(4, WINDOW - 16, n)
    length = rng.integers(8, 17, n)

    spikes = np.flatnonzero(labels == 1)
    for width in (1, 2, 3):
        rows = spikes[np.arange(spikes.size) % 3 == width - 1]
        cols = start[rows, None] + np.arange(width)[None, :]
        jump = sign[rows, None] * rng.uniform(3.0, 5.0, (rows.size, 1))
        x[rows[:, None], cols] += jump.astype(np.float32)

    shifts = np.flatnonzero(labels == 2)
    after = t >= start[shifts, None]
    x[shifts] += after * (sign[shifts, None] * rng.uniform(1.5, 2.5, (shifts.size, 1)))

    bursts = np.flatnonzero(labels == 3)
    inside = (t >= start[bursts, None]) & (t < start[bursts, None] + length[bursts, None])
    x[bursts] += inside * rng.normal(0.0, 1.0, (bursts.size, WINDOW)).astype(np.float32)

    return Dataset(
        x=x.astype(np.float32),
        sample_shape=(WINDOW,),
        name="signals",
        source="builtin:signals",
        labels=labels,
        class_names=CLASS_NAMES,
        anomalies=labels > 0,
        feature_names=tuple(f"t{i}" for i in range(WINDOW)),
    )
