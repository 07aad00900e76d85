"""The one-class anomaly-detection table: each class in turn as the normal one.

For every class C and every model family, a model with the default training settings learns
class C alone (its training split), and its reconstruction error scores the evaluation set: the
class's held-out samples as normal, every sample of the other classes as anomalies. PCA with as
many components as the model's latent size scores the same samples, and published figures are
shown beside where they exist (:mod:`aeviewer.analysis.published`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from aeviewer.analysis.published import CITATION, published_for
from aeviewer.config import DataSpec, ModelSpec, RunConfig, TrainSpec
from aeviewer.data.dataset import Dataset
from aeviewer.errors import ConfigError
from aeviewer.training.control import TrainingControl
from aeviewer.training.evaluation import evaluate_model
from aeviewer.training.events import EpochEnd, Event, Finished, Started
from aeviewer.training.loop import train


@dataclass
class OneClassTable:
    """ROC AUC per normal class: one column per model family, ``pca`` and published ones."""

    data: str
    latent: int
    models: tuple[str, ...]
    classes: list[int] = field(default_factory=list)
    auc: dict[str, dict[int, float]] = field(default_factory=dict)
    published: dict[str, dict[int, float]] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        """Column names in display order."""
        return [*self.models, "pca", *self.published]

    def value(self, column: str, cls: int) -> float | None:
        """The AUC of ``column`` with ``cls`` as the normal class (None if not measured)."""
        source = self.published if column in self.published else self.auc
        return source.get(column, {}).get(cls)

    def mean(self, column: str) -> float | None:
        """The mean over the classes measured here (None if any is missing)."""
        values = [self.value(column, c) for c in self.classes]
        if not values or any(v is None for v in values):
            return None
        return sum(values) / len(values)  # type: ignore[arg-type]

    def rows(self) -> list[dict[str, Any]]:
        """One row per class and a last row ``mean``."""
        rows = [{"class": c, **{k: self.value(k, c) for k in self.columns}} for c in self.classes]
        rows.append({"class": "mean", **{k: self.mean(k) for k in self.columns}})
        return rows

    def to_csv(self) -> str:
        """The rows as CSV text (an empty cell where nothing was measured)."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=["class", *self.columns], lineterminator="\n")
        writer.writeheader()
        for row in self.rows():
            writer.writerow({k: "" if v is None else v for k, v in row.items()})
        return buffer.getvalue()

    def add(self, cell: OneClassCell) -> None:
        """Record a measured cell (its class joins the rows)."""
        self.auc.setdefault(cell.kind, {})[cell.cls] = cell.model_auc
        self.auc.setdefault("pca", {})[cell.cls] = cell.pca_auc
        if cell.cls not in self.classes:
            self.classes.append(cell.cls)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description, with the source of the published figures."""
        return {
            "data": self.data,
            "latent": self.latent,
            "models": list(self.models),
            "metric": "ROC AUC",
            "published_source": CITATION if self.published else None,
            "rows": self.rows(),
        }


@dataclass(frozen=True)
class OneClassCell:
    """One measured cell: the ROC AUC of a ``kind`` model and of PCA with ``cls`` as normal."""

    cls: int
    kind: str
    model_auc: float
    pca_auc: float


@dataclass(frozen=True)
class OneClassProgress:
    """How far a table is: ``done`` of ``total`` cells (fractional within a cell's training)."""

    done: float
    total: int


def empty_table(dataset: Dataset, models: Sequence[str], latent: int, classes: Sequence[int]):
    """A table with no measurement yet, the published figures of ``classes`` filled in."""
    table = OneClassTable(dataset.name, latent, tuple(models))
    table.published = {
        name: {c: v for c, v in values.items() if c in classes}
        for name, values in published_for(dataset.name).items()
    }
    return table


def check_table_request(dataset: Dataset, models: Sequence[str], classes: Sequence[int]) -> None:
    """Raise ConfigError when the table cannot be measured: unlabelled data, a class the data
    do not have, or a family that reconstructs nothing."""
    if dataset.labels is None:
        raise ConfigError(f"{dataset.name}: the one-class table needs class labels")
    if "gan" in models:
        raise ConfigError("a GAN reconstructs nothing, so it has no reconstruction error to score")
    missing = [c for c in classes if not 0 <= c < dataset.n_classes]
    if missing:
        raise ConfigError(
            f"{dataset.name}: no class {missing[0]}; classes are 0..{dataset.n_classes - 1}"
        )


def one_class_cells(
    base: RunConfig,
    dataset: Dataset,
    classes: Sequence[int] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> Iterator[OneClassCell | OneClassProgress]:
    """Measure the table of ``base``'s family, data preparation and training settings on
    ``dataset`` (already prepared), one class after another as the normal one.

    Yields a :class:`OneClassProgress` at every epoch's end and a :class:`OneClassCell` after
    each class; ends early, quietly, once ``should_stop()`` is True (also inside training).
    """
    chosen = list(range(dataset.n_classes)) if classes is None else list(classes)
    check_table_request(dataset, (base.model.kind,), chosen)
    for index, cls in enumerate(chosen):
        if should_stop():
            return
        config = base.with_changes(data=replace(base.data, normal_class=cls))
        steps = _train_and_score_steps(config, dataset, should_stop)
        total_epochs = 1
        while True:
            try:
                event = next(steps)
            except StopIteration as end:
                result = end.value
                break
            if isinstance(event, Started):
                total_epochs = max(1, event.total_epochs)
            elif isinstance(event, EpochEnd):
                yield OneClassProgress(index + min(1.0, event.epoch / total_epochs), len(chosen))
        if result is None:
            return
        yield OneClassCell(cls, base.model.kind, result["model_auc"], result["pca_auc"])
        yield OneClassProgress(index + 1.0, len(chosen))


def one_class_config(source: str, kind: str, latent: int, cls: int, **train: Any) -> RunConfig:
    """The config of one cell: the family's defaults, ``cls`` as the normal class."""
    return RunConfig(
        data=DataSpec(source=source, normal_class=cls),
        model=ModelSpec(kind=kind, latent=latent),
        train=TrainSpec(**train),
    )


def one_class_table(
    dataset: Dataset,
    models: Sequence[str] = ("ae",),
    *,
    latent: int = 16,
    classes: Sequence[int] | None = None,
    train_options: dict[str, Any] | None = None,
    on_cell: Callable[[int, str, float, float], None] | None = None,
    should_stop: Callable[[], bool] = lambda: False,
) -> OneClassTable:
    """Train and score every (class, family) cell of the table on ``dataset``.

    ``on_cell(cls, kind, model_auc, pca_auc)`` is called after each cell; ``should_stop`` is
    asked between cells and inside training, and ends the table early (what is done is kept).

    Raises
    ------
    ConfigError
        For unlabelled data, a class that does not exist, or a family that reconstructs nothing.
    """
    chosen = list(range(dataset.n_classes)) if classes is None else list(classes)
    check_table_request(dataset, models, chosen)
    table = empty_table(dataset, models, latent, chosen)
    for cls in chosen:
        for kind in models:
            if should_stop():
                return table
            config = one_class_config(dataset.source, kind, latent, cls, **(train_options or {}))
            result = _train_and_score(config, dataset, should_stop)
            if result is None:
                return table
            table.auc.setdefault(kind, {})[cls] = result["model_auc"]
            table.auc.setdefault("pca", {})[cls] = result["pca_auc"]
            if on_cell is not None:
                on_cell(cls, kind, result["model_auc"], result["pca_auc"])
        if cls not in table.classes:
            table.classes.append(cls)
    return table


def _train_and_score(
    config: RunConfig, dataset: Dataset, should_stop: Callable[[], bool]
) -> dict[str, Any] | None:
    steps = _train_and_score_steps(config, dataset, should_stop)
    while True:
        try:
            next(steps)
        except StopIteration as end:
            return end.value


def _train_and_score_steps(
    config: RunConfig, dataset: Dataset, should_stop: Callable[[], bool]
) -> Generator[Event, None, dict[str, Any] | None]:
    """Train ``config`` (yielding the loop's events), then score it: the result of
    :func:`evaluate_model`, or None when stopped."""
    holder: list[Any] = []
    control = TrainingControl()
    finished = None
    for event in train(config, dataset, control=control, on_model=holder.append):
        if should_stop():
            control.stop()
        if isinstance(event, Finished):
            finished = event
        yield event
    if finished is None or finished.reason == "stopped":
        return None
    result = evaluate_model(holder[0], config, dataset)
    if not math.isfinite(result.get("model_auc", math.nan)):
        raise ConfigError(f"class {config.data.normal_class}: the model's scores are not finite")
    return result
