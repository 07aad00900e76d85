"""Legends drawn on a box of their own, so their text never mixes with the curves beneath."""

from __future__ import annotations

#: Keyword arguments of ``PlotItem.addLegend`` for the dark plots (the analysis views).
LEGEND_BOX: dict[str, object] = {"brush": (0, 0, 0, 200), "pen": (110, 110, 110)}
#: The same for plots on a white background (the Loss view).
LIGHT_LEGEND_BOX: dict[str, object] = {"brush": (255, 255, 255, 225), "pen": (190, 190, 190)}
