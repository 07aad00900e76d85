"""The final figures of a run directory, for comparing runs: a sweep's summary, the Runs table.

:func:`summarise_run` reads only small files: ``config.json``, ``metrics.jsonl``,
``baseline.json`` (PCA's error at the run's latent size) and, when a sweep or the user wrote
one, ``evaluation.json`` (what ``aeviewer evaluate --json`` prints: model and PCA MSE on the
validation split and, for one-class runs, the ROC AUCs). A run still being written has figures
too (those of its last epoch).
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aeviewer.analysis.metrics import mse_ratio
from aeviewer.config import RunConfig
from aeviewer.errors import AeviewerError, RunError
from aeviewer.limits import read_json_limited
from aeviewer.training.run_log import read_baseline
from aeviewer.training.rundir import (
    CONFIG_FILE,
    MODEL_JSON,
    read_data_record,
    read_metrics,
)

EVALUATION_FILE = "evaluation.json"

#: The figures of a summary, in table order (settings follow).
FIGURES: tuple[str, ...] = (
    "model_mse",
    "pca_mse",
    "mse_ratio",
    "model_auc",
    "pca_auc",
    "epochs",
    "samples_per_s",
    "train_seconds",
)


@dataclass(frozen=True)
class RunSummary:
    """The final figures and the settings of one run.

    ``settings`` maps flattened config keys (``model.latent``, ``train.lr`` ...) to values;
    ``data_id`` identifies the data the run trained on (source and content hash), so that
    runs on different data can be told apart.
    """

    path: Path
    name: str
    status: str
    data_id: str
    figures: Mapping[str, float | int | None]
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """The model family."""
        return str(self.settings.get("model.kind", ""))

    @property
    def latent(self) -> int | None:
        """The latent size."""
        value = self.settings.get("model.latent")
        return None if value is None else int(value)

    def row(self, setting_keys: Sequence[str] = ()) -> dict[str, Any]:
        """One table row: name, status, data, the figures, then the given settings."""
        row: dict[str, Any] = {"run": self.name, "status": self.status, "data": self.data_id}
        row.update(self.figures)
        for key in setting_keys:
            row[key] = self.settings.get(key)
        row["path"] = str(self.path)
        return row


def summarise_run(run_dir: str | Path) -> RunSummary:
    """The summary of the run in ``run_dir``.

    Raises
    ------
    RunError
        When ``run_dir`` is not a run directory or its config is not one this version reads
        (the message names the path).
    """
    path = Path(run_dir)
    if not (path / CONFIG_FILE).is_file():
        raise RunError(f"{path}: not a run directory (no {CONFIG_FILE})")
    try:
        config = RunConfig.load(path / CONFIG_FILE)
    except AeviewerError as exc:
        reason = _first_line(exc).removeprefix(f"{path / CONFIG_FILE}: ")
        raise RunError(f"{path}: a run this version of aeviewer cannot read ({reason})") from None
    metrics = read_metrics(path)
    baseline = _optional(read_baseline, path)
    evaluation = read_evaluation(path)
    figures = figures_of(metrics, baseline, evaluation, config.model.kind)
    data = _optional(read_data_record, path) or {}
    digest = str(data.get("content_sha256") or "")[:12]
    data_id = config.data.source + (f" ({digest})" if digest else "")
    status = "finished" if (path / MODEL_JSON).is_file() else "running"
    return RunSummary(path, path.name, status, data_id, figures, flatten(config.to_dict()))


def figures_of(
    metrics: Sequence[Mapping[str, Any]],
    baseline: Mapping[str, Any] | None,
    evaluation: Mapping[str, Any] | None,
    kind: str = "",
) -> dict[str, float | int | None]:
    """The figures from a run's metrics, baseline and evaluation (any may be missing)."""
    evaluation = evaluation or {}
    last = metrics[-1] if metrics else {}
    model = _number(evaluation.get("model_mse"))
    if model is None:
        for split in ("val", "train"):
            model = _number((last.get(split) or {}).get("mse"))
            if model is not None:
                break
    pca = _number(evaluation.get("pca_mse"))
    if pca is None and baseline is not None and kind != "gan":
        pca = _number(baseline.get("pca_val_mse"))
    if "mse_ratio" in evaluation:
        ratio = _number(evaluation["mse_ratio"])
    else:
        ratio = mse_ratio(model, pca, _variance_per_feature(baseline))
    rates = [r for m in metrics if (r := _number(m.get("samples_per_s"))) is not None]
    seconds = [s for m in metrics if (s := _number(m.get("seconds"))) is not None]
    return {
        "model_mse": model,
        "pca_mse": pca,
        "mse_ratio": ratio,
        "model_auc": _number(evaluation.get("model_auc")),
        "pca_auc": _number(evaluation.get("pca_auc")),
        "epochs": int(last.get("epoch", 0)) if last else 0,
        "samples_per_s": statistics.median(rates) if rates else None,
        "train_seconds": math.fsum(seconds) if seconds else None,
    }


def _variance_per_feature(baseline: Mapping[str, Any] | None) -> float | None:
    """A lower bound of the data's variance per feature: the baseline's kept variance over its
    features (the whole variance when PCA keeps every direction)."""
    if not baseline:
        return None
    variance = baseline.get("explained_variance")
    n_features = _number(baseline.get("n_features"))
    if not isinstance(variance, list) or not n_features:
        return None
    values = [v for v in (_number(x) for x in variance) if v is not None]
    return math.fsum(values) / n_features if values else None


def read_evaluation(run_dir: str | Path) -> dict[str, Any] | None:
    """The run's ``evaluation.json``, or None when it has none or it does not read."""
    path = Path(run_dir) / EVALUATION_FILE
    if not path.is_file():
        return None
    try:
        value = read_json_limited(path, what="evaluation", error=RunError)
    except RunError:
        return None
    return value if isinstance(value, dict) else None


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"model": {"latent": 2}}`` -> ``{"model.latent": 2}``; lists become tuples."""
    out: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.update(flatten(value, f"{name}."))
        else:
            out[name] = tuple(value) if isinstance(value, list) else value
    return out


def differing_settings(summaries: Iterable[RunSummary]) -> list[str]:
    """The setting keys whose values are not the same in every run, in config order."""
    summaries = list(summaries)
    keys: dict[str, None] = {}
    for summary in summaries:
        keys.update(dict.fromkeys(summary.settings))
    return [
        key
        for key in keys
        if len({json.dumps(s.settings.get(key), default=str) for s in summaries}) > 1
    ]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _optional(read, path: Path):
    try:
        return read(path)
    except AeviewerError:
        return None


def _first_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())
