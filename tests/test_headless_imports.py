"""The data layer and the command line never pull in Qt (nor torch for data and the parser)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
HEAVY = ("PySide6", "pyqtgraph", "torch")

STEPS = {
    "aeviewer.data": "import aeviewer.data\naeviewer.data.load_source('builtin:shapes?n=20')",
    "aeviewer.config": "import aeviewer.config",
    "cli parser": "import aeviewer.cli\naeviewer.cli.build_parser()",
    "datasets and inspect commands": (
        "import contextlib, io\n"
        "from aeviewer.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['datasets', '--json']) == 0\n"
        "    assert main(['inspect', 'builtin:moons?n=50', '--json']) == 0"
    ),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_headless_code_imports_no_qt_and_no_torch(step: str) -> None:
    probe = (
        f"import sys\n{STEPS[step]}\n"
        f"print(','.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{step} imported {result.stdout.strip()}"
