"""The registry of built-in data sets and the ``builtin:NAME?n=N&seed=S`` source grammar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal
from urllib.parse import parse_qsl

from aeviewer.data.dataset import Dataset
from aeviewer.data.manifolds import make_moons, make_ring, make_s_curve, make_swiss_roll
from aeviewer.data.shapes import make_shapes
from aeviewer.data.signals import make_signals
from aeviewer.errors import DatasetError

PREFIX = "builtin:"
DEFAULT_BUILTIN = "shapes"
MIN_SAMPLES = 2
MAX_SAMPLES = 2_000_000


@dataclass(frozen=True)
class BuiltinInfo:
    """One built-in data set: how it is listed and how it is made."""

    name: str
    description: str
    kind: Literal["image", "vector"]
    default_n: int
    make: Callable[[int, int], Dataset]


BUILTINS: dict[str, BuiltinInfo] = {
    info.name: info
    for info in (
        BuiltinInfo(
            "shapes",
            "28x28 grayscale shapes in 6 classes (circle, ring, square, triangle, cross, bar) "
            "of varied position, size, rotation and stroke width",
            "image",
            10_000,
            make_shapes,
        ),
        BuiltinInfo(
            "signals",
            "64-step windows of noisy sines; 5% carry a spike, level shift or burst anomaly",
            "vector",
            10_000,
            make_signals,
        ),
        BuiltinInfo("moons", "two interleaved half circles in 2-D", "vector", 10_000, make_moons),
        BuiltinInfo(
            "swiss-roll",
            "a Swiss roll in 3-D, labelled by position along the roll (6 segments)",
            "vector",
            10_000,
            make_swiss_roll,
        ),
        BuiltinInfo(
            "s-curve",
            "an S-shaped sheet in 3-D, labelled by position along the S (6 segments)",
            "vector",
            10_000,
            make_s_curve,
        ),
        BuiltinInfo(
            "ring",
            "8 Gaussians on a circle in 2-D, labelled by mode (the GAN mode-collapse test)",
            "vector",
            10_000,
            make_ring,
        ),
    )
}


def is_builtin_source(source: str) -> bool:
    """True when ``source`` names a built-in (``builtin:NAME...``)."""
    return source.strip().lower().startswith(PREFIX)


def parse_builtin_source(source: str) -> tuple[BuiltinInfo, int, int]:
    """Split ``builtin:NAME?n=N&seed=S`` into the built-in, the sample count and the seed."""
    text = source.strip()
    body = text[len(PREFIX) :]
    name, _, query = body.partition("?")
    name = name.strip().lower()
    info = BUILTINS.get(name)
    if info is None:
        raise DatasetError(
            f"{text}: unknown built-in data set {name!r}; choose one of {', '.join(BUILTINS)}"
        )
    options = {"n": str(info.default_n), "seed": "0"}
    for key, value in parse_qsl(query, keep_blank_values=True):
        if key not in options:
            raise DatasetError(f"{text}: unknown option {key!r}; a built-in takes n and seed")
        options[key] = value
    n, seed = _integer(text, "n", options["n"]), _integer(text, "seed", options["seed"])
    if not MIN_SAMPLES <= n <= MAX_SAMPLES:
        raise DatasetError(f"{text}: n must lie between {MIN_SAMPLES} and {MAX_SAMPLES}, got {n}")
    if seed < 0:
        raise DatasetError(f"{text}: seed must not be negative, got {seed}")
    return info, n, seed


def load_builtin(source: str) -> Dataset:
    """Generate the built-in that ``source`` names; the data set records ``source`` as given."""
    info, n, seed = parse_builtin_source(source)
    return replace(info.make(n, seed), source=source.strip())


def _integer(source: str, key: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise DatasetError(f"{source}: {key} must be an integer, got {value!r}") from None
