"""A streamed run against the same run in memory, through the CLI, for any data source."""

from __future__ import annotations

from pathlib import Path

from aeviewer.cli import main as cli_main
from aeviewer.training.rundir import read_metrics


def assert_streamed_run_equals_in_memory(args: list[str], out: Path, capsys) -> None:
    """Train ``aeviewer train ARGS`` once with ``--data-in-memory`` and once with
    ``--data-streamed`` (run directories under ``out``); the per-epoch losses must be equal."""
    assert cli_main([*args, "--out", str(out / "mem"), "--data-in-memory"]) == 0
    assert cli_main([*args, "--out", str(out / "stream"), "--data-streamed"]) == 0
    assert "streamed from disk" in capsys.readouterr().err
    memory, streamed = read_metrics(out / "mem"), read_metrics(out / "stream")
    assert [r["train"] for r in streamed] == [r["train"] for r in memory]
    assert [r["val"] for r in streamed] == [r["val"] for r in memory]
