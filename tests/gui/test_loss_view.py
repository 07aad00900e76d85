"""The Loss view: curves from events, log scale, smoothing, x axis, PCA line and exports."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import numpy as np
import pytest

from aeviewer.config import ModelSpec, RunConfig, TrainSpec
from aeviewer.gui.views.loss import LossView
from aeviewer.gui.views.loss_history import CurveKey, Ema, LossHistory, ema
from aeviewer.training.events import EpochEnd, Finished, LrChanged, Progress, Started

N_BATCHES = 10


def started(stages=("train",), pca=0.05) -> Started:
    # As the engine sends it: with the run's epochs decided.
    config = RunConfig(model=ModelSpec(kind="vae", latent=3), train=TrainSpec(epochs=20))
    return Started(config, "cpu", 1000, 200, N_BATCHES, 1234, stages, pca_val_loss=pca)


def epoch(n: int, loss: float, stage: str = "train") -> EpochEnd:
    return EpochEnd(
        epoch=n,
        step=n * N_BATCHES,
        train={"loss": loss, "recon": loss * 0.8, "kl": loss * 0.2},
        val={"loss": loss * 1.1, "recon": loss * 0.9},
        lr={"model": 1e-3},
        seconds=0.5,
        samples_per_s=2000.0,
        stage=stage,
    )


@pytest.fixture
def view(qtbot) -> LossView:
    widget = LossView()
    qtbot.addWidget(widget)
    widget.handle_event(started())
    for n, loss in enumerate([1.0, 0.5, 0.25, 0.125], start=1):
        widget.handle_event(epoch(n, loss))
    widget.flush()
    return widget


def test_ema_is_bias_corrected_and_incremental():
    values = np.array([1.0, 1.0, 1.0, 3.0])
    assert list(ema(values, 0.0)) == list(values)
    smoothed = ema(values, 0.5)
    assert smoothed[:3] == pytest.approx([1.0, 1.0, 1.0])  # no pull towards zero at the start
    assert smoothed[3] == pytest.approx((0.5 * 0.875 + 1.5) / (1 - 0.5**4))
    incremental = Ema(0.5)
    assert [incremental.push(v) for v in values] == pytest.approx(list(smoothed))


def test_every_term_of_both_splits_becomes_a_curve(view):
    labels = {key.label for key in view.curves}
    assert labels == {"train loss", "train recon", "train kl", "val loss", "val recon"}
    x, y = view.curves[CurveKey("train", "kl")].getData()
    assert list(x) == [1, 2, 3, 4]
    assert y == pytest.approx([0.2, 0.1, 0.05, 0.025])


def test_a_term_on_another_scale_starts_hidden(qtbot):
    view = LossView()
    qtbot.addWidget(view)
    view.handle_event(started())
    event = epoch(1, 0.2)
    view.handle_event(replace(event, train={**event.train, "nll": 150.0}))
    assert not view.curves[CurveKey("train", "nll")].isVisible()
    assert view.curves[CurveKey("train", "recon")].isVisible()
    assert not view.hidden_hint.isHidden()
    assert "train nll" in view.hidden_hint.text() and "legend" in view.hidden_hint.text()
    view.curves[CurveKey("train", "nll")].setVisible(True)
    assert view.hidden_hint.isHidden()


def test_steps_axis(view):
    view.x_axis.setCurrentIndex(view.x_axis.findData("step"))
    x, _ = view.curves[CurveKey("val", "loss")].getData()
    assert list(x) == [10, 20, 30, 40]
    assert view.plot.getAxis("bottom").labelText == "step"


def test_smoothing_slider_applies_an_ema(view):
    view.smoothing.setValue(50)
    _, y = view.curves[CurveKey("train", "loss")].getData()
    assert y == pytest.approx(ema(np.array([1.0, 0.5, 0.25, 0.125]), 0.5))
    assert y[-1] > 0.125
    view.smoothing.setValue(0)
    _, y = view.curves[CurveKey("train", "loss")].getData()
    assert list(y) == [1.0, 0.5, 0.25, 0.125]


def test_log_scale_is_a_true_log_axis(view):
    view.log_scale.setChecked(True)
    assert view.plot.getAxis("left").logMode
    # The VAE's loss is in nats per sample, on the right axis, which turns logarithmic too.
    curve = view.curves[CurveKey("train", "loss")]
    assert curve.opts["logMode"][1]
    assert view.plot.getAxis("right").logMode
    # The PCA reference is a curve like the others, drawn at log10 of its value.
    assert view.pca_line.opts["logMode"][1]
    view.log_scale.setChecked(False)
    assert not curve.opts["logMode"][1]


def legend_texts(view) -> list[str]:
    return [label.text for _, label in view.legend.items]


def test_pca_line_shows_the_baseline_at_the_same_size(view):
    assert view.pca_line.isVisible()
    _, y = view.pca_line.getData()
    assert list(y) == [0.05, 0.05]
    assert "PCA with 3 components: validation MSE 0.05" in legend_texts(view)
    # It spans the planned run, so it is part of the plot's range and its entry in the legend.
    x, _ = view.pca_line.getData()
    assert x[-1] == 20


def test_terms_in_other_units_get_the_right_axis_and_no_duplicates(qtbot):
    view = LossView()
    qtbot.addWidget(view)
    config = RunConfig(model=ModelSpec(kind="ae", latent=2), train=TrainSpec(epochs=3))
    view.handle_event(Started(config, "cpu", 1000, 200, N_BATCHES, 1234, pca_val_loss=0.04))
    for n in (1, 2):
        loss = 0.2 / n
        view.handle_event(
            EpochEnd(
                n,
                n * N_BATCHES,
                {"recon": loss, "loss": loss, "nll": 800.0 / n},
                {"recon": loss, "loss": loss, "mse": loss, "nll": 790.0 / n},
                {"model": 1e-3},
                0.5,
                2000.0,
            )
        )
    view.flush()
    # recon and mse are the loss itself here: listed once.
    assert {key.label for key in view.curves} == {"train loss", "val loss", "train nll", "val nll"}
    assert view.curves[CurveKey("train", "nll")].getViewBox() is view.right
    assert view.curves[CurveKey("train", "loss")].getViewBox() is view.viewbox
    assert view.plot.getAxis("right").isVisible()
    assert "train nll (right axis)" in legend_texts(view)


def test_a_gan_gets_no_pca_line(qtbot):
    view = LossView()
    qtbot.addWidget(view)
    config = RunConfig(model=ModelSpec(kind="gan", latent=2), train=TrainSpec(epochs=3))
    view.handle_event(Started(config, "cpu", 1000, 200, N_BATCHES, 1234, pca_val_loss=0.04))
    assert not view.pca_line.isVisible()
    assert not [t for t in legend_texts(view) if t.startswith("PCA")]


def test_batches_and_lr_changes(qtbot, view):
    view.on_progress(Progress(5, 5, N_BATCHES, 45, 0.1, 2000.0))
    view.handle_event(LrChanged(5, 45, "model", 1e-4))
    qtbot.waitUntil(lambda: not view._redraw_timer.isActive(), timeout=5000)
    x, y = view.batch_curve.getData()
    assert list(x) == [4.5]
    assert list(y) == [0.1]
    (_, line), *_ = view.lr_lines
    assert line.value() == pytest.approx(4.5)
    view.x_axis.setCurrentIndex(view.x_axis.findData("step"))
    assert line.value() == 45


def test_stacked_runs_get_one_curve_per_stage(qtbot):
    view = LossView()
    qtbot.addWidget(view)
    view.handle_event(started(stages=("layer 1", "finetune")))
    view.handle_event(epoch(1, 1.0, "layer 1"))
    view.handle_event(epoch(2, 0.5, "finetune"))
    view.handle_event(Finished("completed", 2, 20))
    assert CurveKey("train", "loss", "layer 1") in view.curves
    assert CurveKey("train", "loss", "finetune") in view.curves
    x, _ = view.curves[CurveKey("train", "loss", "finetune")].getData()
    assert list(x) == [2]


def test_reset_clears_everything(view):
    view.handle_event(LrChanged(2, 15, "model", 1e-4))
    view.reset()
    assert not view.curves
    assert not view.lr_lines
    assert not view.pca_line.isVisible()
    assert view.history.epochs == []


def test_csv_export(view, tmp_path):
    path = tmp_path / "out" / "loss.csv"
    view.export_csv(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert len(rows) == 4
    assert list(rows[0]) == [
        "epoch", "step", "stage", "seconds",
        "train_loss", "train_recon", "train_kl", "val_loss", "val_recon", "lr_model",
    ]  # fmt: skip
    assert rows[1]["epoch"] == "2"
    assert float(rows[1]["train_loss"]) == 0.5
    assert float(rows[3]["val_loss"]) == pytest.approx(0.1375)
    assert not [p for p in path.parent.iterdir() if p.name != "loss.csv"]


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_image_export(view, tmp_path, suffix, magic):
    view.resize(800, 500)
    path = tmp_path / "plots" / f"loss{suffix}"
    view.export_image(path)
    assert path.read_bytes().startswith(magic)
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def _lr_pixel_rows(image) -> np.ndarray:
    """The rows of ``image`` (a QImage) that hold pixels of the learning-rate curve's colour."""
    from PySide6.QtGui import QImage

    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    stride = rgb.bytesPerLine()
    data = np.frombuffer(rgb.constBits(), np.uint8, stride * rgb.height())
    pixels = data.reshape(rgb.height(), stride)[:, : 3 * rgb.width()].reshape(
        rgb.height(), rgb.width(), 3
    )
    close = np.abs(pixels.astype(int) - [0x94, 0x67, 0xBD]).max(axis=2) <= 24
    return np.flatnonzero(close.any(axis=1))


def test_the_image_export_holds_the_learning_rate_plot_when_it_shows(view, qtbot, tmp_path):
    from PySide6.QtGui import QImage

    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    assert not view.lr_plot_widget.isHidden()
    view.export_image(tmp_path / "with.png")
    view.export_image(tmp_path / "with.svg")
    shown = view.plot.sceneBoundingRect(), view.lr_plot.sceneBoundingRect()
    view.show_lr.setChecked(False)
    qtbot.waitUntil(lambda: view.plot.sceneBoundingRect().height() > shown[0].height())
    view.export_image(tmp_path / "without.png")
    view.export_image(tmp_path / "without.svg")

    with_lr, without = QImage(str(tmp_path / "with.png")), QImage(str(tmp_path / "without.png"))
    # Both are the plots as shown, scaled to one width: the loss plot and the low plot under
    # it, then the loss plot alone (which took the room the learning rate left).
    scale = with_lr.width() / shown[0].width()
    loss_height, lr_height = shown[0].height() * scale, shown[1].height() * scale
    assert lr_height > 50
    assert with_lr.height() == pytest.approx(loss_height + lr_height, abs=2)
    alone = view.plot.sceneBoundingRect()
    assert without.width() == with_lr.width()
    assert without.height() == pytest.approx(
        alone.height() * without.width() / alone.width(), abs=2
    )
    rows = _lr_pixel_rows(with_lr)
    assert rows.size and rows.min() > with_lr.height() - lr_height  # the curve, in the low plot
    assert _lr_pixel_rows(without).size == 0
    svg_with = (tmp_path / "with.svg").read_text(encoding="utf-8")
    svg_without = (tmp_path / "without.svg").read_text(encoding="utf-8")
    assert "learning rate" in svg_with and "learning rate" not in svg_without


def test_history_step_to_x_interpolates():
    history = LossHistory()
    history.add_epoch(epoch(1, 1.0))
    history.add_epoch(epoch(2, 0.5))
    assert history.step_to_x(15) == pytest.approx(1.5)
    assert history.step_to_x(15, "step") == 15


def test_while_training_the_range_spans_the_planned_run_and_holds_steady(qtbot):
    view = LossView()
    qtbot.addWidget(view)
    view.handle_event(started())
    view.handle_event(epoch(1, 1.0))
    view.flush()
    planned = started().total_epochs
    assert view.viewbox.viewRange()[0][1] >= planned
    moves: list[object] = []
    view.viewbox.sigRangeChanged.connect(lambda *args: moves.append(args))
    for batch in range(1, N_BATCHES):
        view.on_progress(Progress(2, batch, N_BATCHES, N_BATCHES + batch, 0.9, 2000.0))
        view.flush()
    assert view.batch_curve.getData()[0].size == N_BATCHES - 1
    assert moves == []
    view.handle_event(epoch(2, 0.5))
    view.handle_event(Finished("completed", 2, 2 * N_BATCHES))
    # Once the run is over, the range fits what it reached.
    assert view.viewbox.viewRange()[0][1] < 3


def test_exporting_no_curves_says_so(qtbot, monkeypatch):
    from aeviewer.gui import dialogs

    warnings: list[str] = []
    monkeypatch.setattr(dialogs, "show_warning", lambda _, title, msg: warnings.append(msg))
    view = LossView()
    qtbot.addWidget(view)
    view.export_csv_button.click()
    view.export_image_button.click()
    assert len(warnings) == 2 and "no loss curves yet" in warnings[0]


def test_export_dialogs_remember_their_own_folder(qtbot, view, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    starts: list[str] = []
    answers = iter([str(tmp_path / "a" / "loss.csv"), str(tmp_path / "b" / "loss.png"), ""])

    def ask(parent, title, start, name_filter):
        starts.append(start)
        return next(answers, ""), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    view.export_csv_button.click()
    view.export_image_button.click()
    view.export_csv_button.click()
    assert starts[:2] == ["loss.csv", "loss.png"]
    assert starts[2] == str(tmp_path / "a" / "loss.csv")  # the CSV dialog's folder, not the image's


def test_the_learning_rate_is_drawn_per_epoch_under_the_loss(qtbot):
    view = LossView()
    qtbot.addWidget(view)
    view.handle_event(started())
    # No rates yet: the plot takes no room.
    assert view.lr_plot_widget.isHidden()
    rates = [5e-4, 1e-3, 7e-4, 2e-4]
    for n, lr in enumerate(rates, start=1):
        view.handle_event(replace(epoch(n, 1.0 / n), lr={"model": lr}))
    view.flush()
    assert not view.lr_plot_widget.isHidden()
    x, y = view.lr_curves["model"].getData()
    assert list(x) == [1, 2, 3, 4]
    assert list(y) == rates
    # From zero to the peak rate, with ticks at both.
    low, high = view.lr_plot.getViewBox().viewRange()[1]
    assert low < 0 < 1e-3 < high < 2e-3
    view.x_axis.setCurrentIndex(view.x_axis.findData("step"))
    assert list(view.lr_curve_data("model")[0]) == [10, 20, 30, 40]
    # The two plots share their x axis, and each y axis has the same width in both.
    assert view.lr_plot.getViewBox().linkedView(0) is view.viewbox
    assert view.lr_plot.getAxis("left").width() == view.plot.getAxis("left").width()
    view.show_lr.setChecked(False)
    assert view.lr_plot_widget.isHidden()
    assert view.settings_state()["lr"] is False
    view.show_lr.setChecked(True)
    assert not view.lr_plot_widget.isHidden()
    view.reset()
    assert not view.lr_curves
    assert view.lr_plot_widget.isHidden()


def test_a_gan_has_one_learning_rate_curve_per_player(qtbot):
    view = LossView()
    qtbot.addWidget(view)
    config = RunConfig(model=ModelSpec(kind="gan", latent=2), train=TrainSpec(epochs=3))
    view.handle_event(Started(config, "cpu", 1000, 200, N_BATCHES, 1234))
    view.handle_event(replace(epoch(1, 1.0), lr={"generator": 2e-4, "discriminator": 1e-4}))
    view.flush()
    assert set(view.lr_curves) == {"generator", "discriminator"}
    names = {label.text for _, label in view.lr_legend.items}
    assert names == {"lr generator", "lr discriminator"}
