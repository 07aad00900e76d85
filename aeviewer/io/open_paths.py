"""What ``aeviewer PATH...`` opens: a data set, a session, a model, run directories, a sweep.

:func:`classify` looks at names and small files only (no data are read), so the command line
can refuse a path that is none of these before the window opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from aeviewer.errors import RunError
from aeviewer.limits import read_json_limited

#: The kinds of path, in the order they are tried.
KINDS = ("session", "run", "sweep", "model", "data")
DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".dat", ".npy", ".npz", ".gz", ".idx", ".ubyte")


@dataclass(frozen=True)
class OpenedPath:
    """A path and what it is: one of :data:`KINDS`."""

    kind: str
    path: str


def classify(text: str) -> OpenedPath:
    """What ``text`` names.

    Raises
    ------
    RunError
        Naming the path when it is none of the kinds aeviewer opens.
    """
    from aeviewer.data.builtins import is_builtin_source
    from aeviewer.data.downloads import DOWNLOADS

    if is_builtin_source(text):
        return OpenedPath("data", text)
    path = Path(text).expanduser()
    if not path.exists():
        if text.partition("?")[0].lower() in DOWNLOADS:
            return OpenedPath("data", text)
        raise RunError(f"{text}: no such file or folder")
    if path.is_dir():
        if (path / "config.json").is_file() or (path / "model.json").is_file():
            return OpenedPath("run", text)
        if sweep_runs(path):
            return OpenedPath("sweep", text)
        from aeviewer.data.readers.image_folder import holds_images

        if holds_images(path) or any(p.name.lower().endswith("ubyte") for p in path.iterdir()):
            return OpenedPath("data", text)
        raise RunError(f"{text}: neither a run directory, a folder of runs, nor a folder of images")
    from aeviewer.io.models import path_kind

    name = path.name.lower()
    if name.endswith(DATA_SUFFIXES) or "idx" in name:
        return OpenedPath("data", text)
    # Sessions and models; path_kind refuses anything else with a message naming the file.
    return OpenedPath(path_kind(path), text)


def sweep_runs(folder: str | Path) -> list[Path]:
    """The run directories of a sweep folder (or any folder of runs), in the sweep's order.

    A sweep's ``sweep.json`` gives the order; other run folders follow, sorted by name.
    """
    folder = Path(folder)
    try:
        children = sorted(p for p in folder.iterdir() if p.is_dir())
    except OSError:
        return []
    runs = [p for p in children if (p / "config.json").is_file()]
    order: list[str] = []
    try:
        record = read_json_limited(folder / "sweep.json", what="sweep record", error=RunError)
        order = [str(r["name"]) for r in record["runs"]]
    except (RunError, KeyError, TypeError):
        pass  # no sweep record, or an unreadable one: the runs still open, sorted by name
    rank = {name: i for i, name in enumerate(order)}
    return sorted(runs, key=lambda p: (rank.get(p.name, len(rank)), p.name))
