"""Views in hidden tabs keep the newest snapshot and draw it when their tab is shown."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QTabWidget
from views_synthetic import make_snapshot

from aeviewer.gui.views.base import View
from aeviewer.gui.views.latent import LatentView
from aeviewer.training.events import Snapshot


class CountingView(View):
    title = "Counting"
    draws_latest_snapshot_only = True

    def __init__(self) -> None:
        super().__init__()
        self.drawn: list[int] = []

    def on_snapshot(self, event: Snapshot) -> None:
        self.drawn.append(event.epoch)


def snapshot(epoch: int) -> Snapshot:
    return Snapshot(epoch=epoch, step=epoch, stage="train", eval_indices=np.arange(3))


def shown_tabs(qtbot) -> tuple[QTabWidget, CountingView, CountingView]:
    """A shown tab widget with two counting views; the first one is the current tab."""
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    front, back = CountingView(), CountingView()
    tabs.addTab(front, "front")
    tabs.addTab(back, "back")
    tabs.show()
    qtbot.waitExposed(tabs)
    return tabs, front, back


def test_a_hidden_tab_draws_only_the_newest_snapshot_when_shown(qtbot) -> None:
    tabs, front, back = shown_tabs(qtbot)
    for epoch in (1, 2, 3):
        front.handle_event(snapshot(epoch))
        back.handle_event(snapshot(epoch))
    assert front.drawn == [1, 2, 3]
    assert back.drawn == []
    tabs.setCurrentWidget(back)
    assert back.drawn == [3]


def test_a_reset_drops_the_kept_snapshot(qtbot) -> None:
    tabs, _front, back = shown_tabs(qtbot)
    back.handle_event(snapshot(1))
    back.reset_view()
    tabs.setCurrentWidget(back)
    assert back.drawn == []


def test_a_new_data_set_drops_the_kept_snapshot(qtbot) -> None:
    tabs, _front, back = shown_tabs(qtbot)
    back.handle_event(snapshot(1))
    back.load_dataset(None)
    tabs.setCurrentWidget(back)
    assert back.drawn == []


def test_a_view_on_its_own_draws_at_once(qtbot) -> None:
    view = CountingView()
    qtbot.addWidget(view)
    view.handle_event(snapshot(1))
    assert view.drawn == [1]


def test_a_hidden_latent_view_keeps_its_frames_and_draws_the_newest_when_shown(
    qtbot, image_dataset
) -> None:
    tabs, _front, _back = shown_tabs(qtbot)
    latent = LatentView()
    tabs.addTab(latent, "latent")
    latent.load_dataset(image_dataset)
    snaps = [make_snapshot(image_dataset, epoch=e) for e in (1, 2)]
    for snap in snaps:
        latent.handle_event(snap)
    # Nothing drawn, but the replay frames and the positions that selections use are current.
    assert latent.layers.point_counts() == []
    assert [f.epoch for f in latent.frames] == [1, 2]
    np.testing.assert_allclose(latent.positions, snaps[-1].latents)
    selected = latent.select_rect(-1e9, -1e9, 1e9, 1e9)
    assert selected.size == image_dataset.n_samples
    tabs.setCurrentWidget(latent)
    assert sum(latent.layers.point_counts()) == image_dataset.n_samples
    np.testing.assert_array_equal(latent.layers.highlighted, np.arange(image_dataset.n_samples))
    assert latent.slider_label.text() == "epoch 2 (2/2)"
