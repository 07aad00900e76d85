"""A sweep's summary: one row per run, as ``summary.csv`` and ``summary.json``.

The figures come from :func:`aeviewer.io.run_summary.summarise_run` (the last epoch's
validation MSE, PCA's at the same size, their ratio, speed and time); one-class runs
(``--normal-class``) are also evaluated for the ROC AUC of anomaly detection, once, into their
``evaluation.json``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aeviewer.errors import AeviewerError
from aeviewer.io.atomic import atomic_write_json, atomic_write_text
from aeviewer.io.run_summary import (
    EVALUATION_FILE,
    FIGURES,
    RunSummary,
    differing_settings,
    summarise_run,
)
from aeviewer.sweeps.plan import SUMMARY_CSV, SUMMARY_JSON, SweepRun

#: Settings every summary shows, whether they vary or not.
ALWAYS_SHOWN = ("model.kind", "model.latent")


def evaluate_one_class(run: SweepRun, summary: RunSummary) -> None:
    """Write ``evaluation.json`` for a finished one-class run that has none yet."""
    if summary.settings.get("data.normal_class") is None or summary.status != "finished":
        return
    path = run.path / EVALUATION_FILE
    if path.is_file():
        return
    from aeviewer.training.evaluation import evaluate_run

    try:
        atomic_write_json(path, evaluate_run(run.path))
    except (AeviewerError, OSError) as exc:
        run.message = run.message or f"evaluation failed: {exc}"


def summary_rows(runs: Sequence[SweepRun]) -> list[dict[str, Any]]:
    """One row per run: name, state, message, the grid's values, figures, differing settings."""
    summaries: dict[str, RunSummary] = {}
    for run in runs:
        try:
            summary = summarise_run(run.path)
        except AeviewerError as exc:
            run.message = run.message or str(exc)
            continue
        evaluate_one_class(run, summary)
        summaries[run.name] = summarise_run(run.path)
    keys = [*ALWAYS_SHOWN]
    keys += [k for k in differing_settings(summaries.values()) if k not in keys]
    rows = []
    for run in runs:
        row: dict[str, Any] = {"run": run.name, "state": run.state, "message": run.message}
        row.update(dict(run.point.values))
        summary = summaries.get(run.name)
        if summary is None:
            row.update(dict.fromkeys(FIGURES))
        else:
            row.update(summary.figures)
            row["data"] = summary.data_id
            for key in keys:
                row[key] = summary.settings.get(key)
        row["path"] = str(run.path)
        rows.append(row)
    return rows


def write_summary(out: Path, runs: Sequence[SweepRun]) -> tuple[Path, Path]:
    """Write ``summary.csv`` and ``summary.json`` in the sweep folder; return their paths."""
    rows = summary_rows(runs)
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(list(columns))
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    csv_path, json_path = out / SUMMARY_CSV, out / SUMMARY_JSON
    atomic_write_text(csv_path, text.getvalue())
    atomic_write_json(json_path, {"runs": [_json_row(row) for row in rows]})
    return csv_path, json_path


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, ".9g")
    if isinstance(value, (tuple, list)):
        return ",".join(str(v) for v in value)
    return str(value)


def _json_row(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in row.items():
        if isinstance(value, float) and not math.isfinite(value):
            value = None
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return json.loads(json.dumps(out, default=str))
