"""A GAN's two learning rates in the Training panel, live while it trains."""

from __future__ import annotations

from gui_helpers import TIMEOUT_MS, small_train

from aeviewer.config import ModelSpec
from aeviewer.gui.state import RunState
from aeviewer.training.events import LrChanged

GAN = ModelSpec(kind="gan", latent=2, hidden=(32,))


def pick_family(window, kind: str) -> None:
    """Choose ``kind`` in the Model panel as the user does."""
    family = window.model_panel.family
    family.setCurrentIndex(family.findData(kind))


def test_the_discriminator_rate_shows_only_for_a_gan(window):
    panel = window.training_panel
    assert not panel._form.isRowVisible(panel.lr_d)
    assert panel.spec().lr_d is None
    pick_family(window, "gan")
    window.model_panel.set_spec(GAN)
    assert panel._form.isRowVisible(panel.lr_d)
    assert panel._form.labelForField(panel.lr).text() == "Generator lr"
    panel.lr_d.setValue(0.0004)
    assert panel.spec().lr_d == 0.0004
    pick_family(window, "ae")
    assert not panel._form.isRowVisible(panel.lr_d)


def test_live_rates_reach_both_networks(qtbot, window):
    pick_family(window, "gan")
    window.model_panel.set_spec(GAN)
    window.training_panel.set_spec(small_train(200))
    changes: list[LrChanged] = []
    window.controller.event.connect(
        lambda e: changes.append(e) if isinstance(e, LrChanged) else None
    )
    assert window.controller.start()
    window.training_panel.lr.setValue(0.0005)
    window.training_panel.lr_d.setValue(0.0002)
    qtbot.waitUntil(lambda: len(changes) >= 2, timeout=TIMEOUT_MS)
    window.controller.stop()
    qtbot.waitUntil(lambda: window.state is RunState.FINISHED, timeout=TIMEOUT_MS)
    assert {(c.group, c.lr) for c in changes} == {("generator", 0.0005), ("discriminator", 0.0002)}
