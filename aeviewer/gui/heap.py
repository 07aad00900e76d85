"""Keep the C heap of a long GUI session from growing: few malloc arenas.

glibc gives each thread that allocates under contention an arena of its own, up to eight per
core, and memory freed into one arena is only reused by the threads that use it. The app runs
training, data loads, projections and run-follow polls in pool threads that come and go, so
over a long session freed memory piles up in many arenas: a soak of repeated training
(``benchmarks/soak_gui.py``) grew resident memory by about 9% in 12 minutes with the default,
and by under 2% in 8 minutes with two arenas, at no measurable cost to training (its large
tensors are ``mmap``-ed, not taken from an arena).
"""

from __future__ import annotations

import ctypes
import os
import sys

#: ``M_ARENA_MAX`` of glibc's ``mallopt``.
M_ARENA_MAX = -8
#: Arenas the GUI process keeps.
ARENAS = 2


def limit_heap_arenas(arenas: int = ARENAS) -> bool:
    """Limit glibc's malloc to ``arenas`` arenas; False where there is no glibc or the user set
    ``MALLOC_ARENA_MAX`` (their choice stands). Call it before threads start allocating."""
    if not sys.platform.startswith("linux") or "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        libc = ctypes.CDLL("libc.so.6")
        return bool(libc.mallopt(M_ARENA_MAX, arenas))
    except (OSError, AttributeError):
        return False
