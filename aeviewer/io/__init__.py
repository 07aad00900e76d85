"""Files in and out: atomic writes, models, sessions, run directories.

The public names below load lazily, so that ``aeviewer.io.atomic`` (used everywhere) does not
import torch:

- opening: :func:`path_kind` (session, run or model?);
- models: :func:`open_model`, :func:`load_exported`, :class:`LoadedModel`,
  :func:`check_data_fits`, :func:`export_model`;
- sessions: :class:`Session`, :func:`make_session`, :func:`save_session`,
  :func:`open_session`, :func:`write_autosave`, :func:`find_autosave`,
  :func:`find_autosaves`, :func:`clear_autosave`, :func:`adopt_autosave`,
  :func:`abandon_autosave`, :func:`autosave_path`;
- run directories: :class:`RunFollower`;
- data out: :func:`sample_table`, :func:`snapshot_table`, :func:`write_table`,
  :func:`write_projector`, :func:`write_snapshot_projector`.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY: dict[str, str] = {
    "LoadedModel": "models",
    "check_data_fits": "models",
    "load_exported": "models",
    "open_model": "models",
    "path_kind": "models",
    "ExportResult": "export",
    "export_model": "export",
    "DataReference": "session",
    "Session": "session",
    "abandon_autosave": "session",
    "adopt_autosave": "session",
    "autosave_path": "session",
    "clear_autosave": "session",
    "find_autosave": "session",
    "find_autosaves": "session",
    "make_session": "session",
    "open_session": "session",
    "save_session": "session",
    "write_autosave": "session",
    "RunFollower": "follow",
    "ProjectorFiles": "dataout",
    "sample_table": "dataout",
    "snapshot_table": "dataout",
    "write_snapshot_projector": "dataout",
    "write_projector": "dataout",
    "write_table": "dataout",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'aeviewer.io' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"aeviewer.io.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])
