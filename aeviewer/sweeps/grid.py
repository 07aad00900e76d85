"""A sweep's grid: options with lists of values, expanded into named runs.

A grid is an ordered list of :class:`GridOption`; each value is the text a user would give
``aeviewer train`` for that option. :func:`expand` takes the product in option order; each run
is named after the options that vary (``model-linear_latent-8``), so names stay the same when a
sweep is run again with the same grid.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from aeviewer.errors import ConfigError

#: Characters kept in run names; others become a dot.
_UNSAFE = re.compile(r"[^A-Za-z0-9.+-]+")


@dataclass(frozen=True)
class GridOption:
    """One option of ``aeviewer train`` with its values (one value: the same for every run).

    ``flag`` is the option as typed (``--latent``); ``name`` is its short form for run names
    (``latent``). ``values`` is empty for a switch without argument that is on (``--no-labels``).
    """

    flag: str
    values: tuple[str, ...]

    @property
    def name(self) -> str:
        """The option without its dashes."""
        return self.flag.lstrip("-")

    @property
    def varies(self) -> bool:
        """True when the option has several values."""
        return len(self.values) > 1


@dataclass(frozen=True)
class GridPoint:
    """One run of the grid: its name and its ``aeviewer train`` arguments (without ``--out``)."""

    name: str
    argv: tuple[str, ...]
    values: tuple[tuple[str, str], ...]


def split_values(text: str, separator: str = ",") -> tuple[str, ...]:
    """The values of a list option: ``"2,4,8"`` -> ``("2", "4", "8")``.

    Raises
    ------
    ConfigError
        For a list with an empty item (``"2,,4"``) or no items.
    """
    items = tuple(item.strip() for item in text.split(separator))
    if len(items) > 1 and any(not item for item in items):
        raise ConfigError(f"{text!r}: a list with an empty item")
    if len(items) > 1 and len(set(items)) != len(items):
        raise ConfigError(f"{text!r}: a list with a repeated item")
    return items


def run_name(values: Sequence[tuple[str, str]]) -> str:
    """The folder name of a run from its varying ``(option, value)`` pairs."""
    if not values:
        return "run"
    parts = [f"{name}-{_UNSAFE.sub('.', value).strip('.') or 'none'}" for name, value in values]
    return "_".join(parts)


def expand(options: Sequence[GridOption]) -> list[GridPoint]:
    """Every combination of the options' values, in option order (the last varies fastest).

    Raises
    ------
    ConfigError
        When two runs would get the same folder name.
    """
    lists = [[(option, v) for v in option.values] or [(option, None)] for option in options]
    points = []
    seen: dict[str, GridPoint] = {}
    for combination in itertools.product(*lists):
        argv: list[str] = []
        varying = []
        for option, value in combination:
            argv += [option.flag] if value is None else [option.flag, value]
            if option.varies and value is not None:
                varying.append((option.name, value))
        name = run_name(varying)
        point = GridPoint(name, tuple(argv), tuple(varying))
        if name in seen:
            raise ConfigError(
                f"the values {dict(seen[name].values)} and {dict(varying)} give the same run "
                f"name {name!r}; make them differ in letters or digits"
            )
        seen[name] = point
        points.append(point)
    return points
