"""The centre tabs of the main window, one module each."""

from __future__ import annotations

from aeviewer.gui.views.base import View


def view_classes() -> list[type[View]]:
    """The view classes, in tab order (Ctrl+1 … Ctrl+9 follow this order)."""
    from aeviewer.gui.views.anomalies import AnomaliesView
    from aeviewer.gui.views.gan import GanView
    from aeviewer.gui.views.latent import LatentView
    from aeviewer.gui.views.loss import LossView
    from aeviewer.gui.views.pca import PcaView
    from aeviewer.gui.views.reconstructions import ReconstructionsView

    return [LossView, LatentView, ReconstructionsView, AnomaliesView, GanView, PcaView]
