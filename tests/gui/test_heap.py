"""The GUI process limits glibc's malloc arenas, unless the user chose a number."""

from __future__ import annotations

import sys

import pytest

from aeviewer.gui.heap import limit_heap_arenas


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt is Linux's")
def test_arenas_are_limited_unless_the_user_chose(monkeypatch):
    monkeypatch.delenv("MALLOC_ARENA_MAX", raising=False)
    assert limit_heap_arenas() is True
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert limit_heap_arenas() is False
