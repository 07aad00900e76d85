"""The io layer stays free of Qt, and atomic writes stay free of torch."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

CHECK = """
import sys
import aeviewer.io.atomic, aeviewer.io.formats, aeviewer.io.dataout, aeviewer.commands.export
assert "torch" not in sys.modules, "atomic writes, data out or the export command imported torch"
import aeviewer.io
for name in aeviewer.io.__all__:
    getattr(aeviewer.io, name)
heavy = [m for m in ("PySide6", "pyqtgraph") if m in sys.modules]
assert not heavy, f"aeviewer.io imported {heavy}"
print("ok")
"""


def test_io_imports_neither_qt_nor_eager_torch():
    result = subprocess.run(
        [sys.executable, "-c", CHECK],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
