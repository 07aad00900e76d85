"""Links between the centre views, and which of them mean something for a model family."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QTabWidget

from aeviewer.gui.views.base import View

#: The views' titles (English, the keys of settings and sessions), marked for translation.
TITLES = (
    QT_TRANSLATE_NOOP("Views", "Loss"),
    QT_TRANSLATE_NOOP("Views", "Latent space"),
    QT_TRANSLATE_NOOP("Views", "Reconstructions"),
    QT_TRANSLATE_NOOP("Views", "Anomalies"),
    QT_TRANSLATE_NOOP("Views", "GAN"),
    QT_TRANSLATE_NOOP("Views", "PCA baseline"),
)


def view_title(view: View) -> str:
    """The title of ``view`` as its tab shows it, in the user's language."""
    return QCoreApplication.translate("Views", view.title)


#: Views that only a GAN fills.
GAN_ONLY = frozenset({"GAN"})
#: Views that need an encoder, so a GAN leaves them empty.
NOT_FOR_GAN = frozenset({"Latent space", "Reconstructions", "Anomalies"})


def view_applies(title: str, kind: str | None) -> bool:
    """True when the view titled ``title`` shows something for models of ``kind``."""
    if kind == "gan":
        return title not in NOT_FOR_GAN
    return title not in GAN_ONLY


def link_views(views: Sequence[View]) -> None:
    """Connect the views that talk to each other: latent selection -> anomaly heat maps."""
    by_title = {view.title: view for view in views}
    latent, anomalies = by_title.get("Latent space"), by_title.get("Anomalies")
    if latent is not None and anomalies is not None:
        latent.selection_changed.connect(anomalies.set_selection)


def show_views_for(
    kind: str | None, tabs: QTabWidget, views: Sequence[View], actions: Sequence[QAction]
) -> None:
    """Show only the tabs that mean something for models of ``kind``; their View menu entries
    follow, and Ctrl+N goes to the N-th tab shown (as the tab bar counts them)."""
    shown = 0
    for index, view in enumerate(views):
        applies = view_applies(view.title, kind)
        tabs.setTabVisible(index, applies)
        if index < len(actions):
            action = actions[index]
            action.setVisible(applies)
            action.setEnabled(applies)
            shown += applies
            number = f"Ctrl+{shown}" if applies and shown <= 9 else ""
            action.setShortcut(QKeySequence(number))
    current = tabs.currentIndex()
    if 0 <= current < len(views) and not view_applies(views[current].title, kind):
        tabs.setCurrentIndex(0)


def hand_decoder(views: Sequence[View], decoder: Callable[[np.ndarray], np.ndarray] | None) -> None:
    """Give the views that decode latents (latent plane, anomaly heat maps) ``decoder``."""
    for view in views:
        set_decoder = getattr(view, "set_decoder", None)
        if set_decoder is not None:
            set_decoder(decoder)
