"""The centre tabs of the main window, one module each."""

from __future__ import annotations

from aeviewer.gui.views.base import View


def view_classes() -> list[type[View]]:
    """The view classes, in tab order (Ctrl+1 … Ctrl+9 follow this order)."""
    from aeviewer.gui.views.loss import LossView

    return [LossView]
