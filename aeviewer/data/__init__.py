"""Data sets, free of Qt: the container, built-in generators, file readers and downloads.

``load_source`` turns a source string into a :class:`Dataset`; ``prepare`` applies a
:class:`~aeviewer.config.DataSpec`'s sample limit and normalisation.
"""

from aeviewer.data.builtins import BUILTINS, BuiltinInfo
from aeviewer.data.dataset import Dataset, Normalization
from aeviewer.data.prepare import prepare
from aeviewer.data.progress import LoadCancelled
from aeviewer.data.sources import DEFAULT_SOURCE, load_source

__all__ = [
    "BUILTINS",
    "DEFAULT_SOURCE",
    "BuiltinInfo",
    "Dataset",
    "LoadCancelled",
    "Normalization",
    "load_source",
    "prepare",
]
