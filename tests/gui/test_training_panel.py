"""The Training panel's learning rates: auto shows the rate it stands for."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction

from aeviewer.config import TrainSpec
from aeviewer.gui.panels.training_panel import CONTROLS, TrainingPanel
from aeviewer.training.schedule import BASE_LR, HIGH_LR


@pytest.fixture
def panel(qtbot):
    actions = {name: QAction(name) for name in CONTROLS}
    widget = TrainingPanel(actions)
    qtbot.addWidget(widget)
    yield widget  # the actions live as long as the panel


def test_the_learning_rate_is_auto_by_default_and_shows_its_rate(panel):
    assert panel.spec().lr is None
    assert panel.lr.text() == f"auto ({HIGH_LR:g})"
    panel.set_family("sparse")
    assert panel.lr.text() == f"auto ({BASE_LR:g})"
    panel.set_family("ae")
    panel.schedule.setCurrentText("constant")
    assert panel.lr.text() == f"auto ({BASE_LR:g})"
    panel.schedule.setCurrentText("auto")
    assert panel.lr.text() == f"auto ({HIGH_LR:g})"


def test_a_step_up_from_auto_starts_at_its_rate_and_live_changes_carry_it(panel):
    rates = []
    panel.lr_changed.connect(rates.append)
    panel.lr.stepBy(1)
    assert panel.spec().lr == pytest.approx(HIGH_LR) and rates == [pytest.approx(HIGH_LR)]
    panel.lr.set_rate(None)
    # Back to auto while a model trains: it gets the automatic rate, not zero.
    assert panel.spec().lr is None and rates[-1] == pytest.approx(HIGH_LR)


def test_explicit_rates_and_the_gan_discriminator(panel):
    panel.set_spec(TrainSpec(lr=5e-4))
    assert panel.spec().lr == pytest.approx(5e-4)
    panel.set_family("gan")
    panel.set_spec(TrainSpec())
    assert panel.lr.text() == panel.lr_d.text() == f"auto ({BASE_LR:g})"
    assert (panel.spec().lr, panel.spec().lr_d) == (None, None)
    panel.set_spec(TrainSpec(lr=5e-4))
    # The discriminator's auto is the generator's rate.
    assert panel.lr_d.text() == "auto (0.0005)" and panel.spec().lr_d is None
    panel.set_spec(TrainSpec(lr=5e-4, lr_d=2e-4))
    assert panel.spec().lr_d == pytest.approx(2e-4)
