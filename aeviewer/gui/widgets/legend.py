"""Legends drawn on a box of their own, so their text never mixes with the curves beneath.

No outline: a legend with no entries yet is then an invisible box, not an empty frame.
"""

from __future__ import annotations

#: Keyword arguments of ``PlotItem.addLegend`` for the dark plots (the analysis views).
LEGEND_BOX: dict[str, object] = {"brush": (0, 0, 0, 200)}
#: The same for plots on a white background (the Loss view).
LIGHT_LEGEND_BOX: dict[str, object] = {"brush": (255, 255, 255, 225)}
