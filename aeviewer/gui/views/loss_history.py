"""The numbers behind the Loss view: per-epoch terms, per-batch losses, smoothing and CSV.

Qt-free, so it is tested on its own and the view only draws.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from aeviewer.training.events import EpochEnd, LrChanged, Progress

translate = QCoreApplication.translate

SPLITS: tuple[str, ...] = ("train", "val")

#: Legend words of splits and loss terms, translated when shown (others as they are).
WORDS: dict[str, str] = {
    "train": QT_TRANSLATE_NOOP("LossView", "train"),
    "val": QT_TRANSLATE_NOOP("LossView", "val"),
    "loss": QT_TRANSLATE_NOOP("LossView", "loss"),
    "recon": QT_TRANSLATE_NOOP("LossView", "recon"),
    "kl": QT_TRANSLATE_NOOP("LossView", "kl"),
    "sparsity": QT_TRANSLATE_NOOP("LossView", "sparsity"),
    "d_loss": QT_TRANSLATE_NOOP("LossView", "d_loss"),
    "g_loss": QT_TRANSLATE_NOOP("LossView", "g_loss"),
    "d_real": QT_TRANSLATE_NOOP("LossView", "d_real"),
    "d_fake": QT_TRANSLATE_NOOP("LossView", "d_fake"),
}


def _word(word: str) -> str:
    return translate("LossView", WORDS[word]) if word in WORDS else word


def ema(values: np.ndarray, alpha: float) -> np.ndarray:
    """Exponential moving average with weight ``alpha`` on the past, bias-corrected.

    ``alpha`` 0 returns the values unchanged; the bias correction (as in Adam or TensorBoard)
    keeps the first points from being pulled towards zero.
    """
    values = np.asarray(values, dtype=float)
    if alpha <= 0 or values.size == 0:
        return values
    smoother = Ema(alpha)
    return np.fromiter((smoother.push(v) for v in values), float, values.size)


class Ema:
    """An incremental, bias-corrected exponential moving average."""

    def __init__(self, alpha: float) -> None:
        self.alpha = alpha
        self._state = 0.0
        self._count = 0

    def push(self, value: float) -> float:
        """Add one value and return the smoothed value so far."""
        if self.alpha <= 0:
            return float(value)
        self._state = self.alpha * self._state + (1.0 - self.alpha) * float(value)
        self._count += 1
        return self._state / (1.0 - self.alpha**self._count)


@dataclass(frozen=True)
class CurveKey:
    """One curve: a split, a loss term and, for multi-stage runs, the stage."""

    split: str
    term: str
    stage: str | None = None

    @property
    def label(self) -> str:
        """The legend text (its words in the user's language)."""
        text = f"{_word(self.split)} {_word(self.term)}"
        return text if self.stage is None else f"{text} · {self.stage}"


@dataclass
class LossHistory:
    """Everything the Loss view plots, appended to as events arrive."""

    multi_stage: bool = False
    epochs: list[EpochEnd] = field(default_factory=list)
    lr_changes: list[LrChanged] = field(default_factory=list)
    batch_x_epoch: list[float] = field(default_factory=list)
    batch_step: list[int] = field(default_factory=list)
    batch_loss: list[float] = field(default_factory=list)

    def clear(self) -> None:
        """Forget everything (a reset)."""
        self.epochs.clear()
        self.lr_changes.clear()
        self.batch_x_epoch.clear()
        self.batch_step.clear()
        self.batch_loss.clear()

    def add_epoch(self, event: EpochEnd) -> None:
        """Record an epoch's training and validation terms."""
        self.epochs.append(event)

    def add_batch(self, event: Progress) -> None:
        """Record a (throttled) per-batch loss."""
        self.batch_x_epoch.append(event.epoch - 1 + event.batch / max(event.n_batches, 1))
        self.batch_step.append(event.step)
        self.batch_loss.append(event.loss)

    def add_lr_change(self, event: LrChanged) -> None:
        """Record a live learning-rate change."""
        self.lr_changes.append(event)

    # -- reading -------------------------------------------------------------------------------
    def curve_keys(self) -> list[CurveKey]:
        """Every curve seen so far, in order of first appearance."""
        seen: dict[CurveKey, None] = {}
        for event in self.epochs:
            stage = event.stage if self.multi_stage else None
            for split in SPLITS:
                for term in getattr(event, split):
                    seen.setdefault(CurveKey(split, term, stage))
        return list(seen)

    def series(self, key: CurveKey, x_axis: str = "epoch") -> tuple[np.ndarray, np.ndarray]:
        """The x values (epochs or steps) and y values of one curve."""
        xs: list[float] = []
        ys: list[float] = []
        positions = epoch_positions(self.epochs, x_axis)
        for event, x in zip(self.epochs, positions, strict=True):
            if key.stage is not None and event.stage != key.stage:
                continue
            value = getattr(event, key.split).get(key.term)
            if value is None:
                continue
            xs.append(x)
            ys.append(float(value))
        return np.asarray(xs, float), np.asarray(ys, float)

    def lr_groups(self) -> list[str]:
        """The optimiser groups whose learning rates the epochs recorded, in order."""
        return _ordered(e.lr for e in self.epochs)

    def lr_series(self, group: str, x_axis: str = "epoch") -> tuple[np.ndarray, np.ndarray]:
        """The learning rate of ``group`` at each epoch's end (what the schedule set), against
        epochs, steps or seconds."""
        positions = epoch_positions(self.epochs, x_axis)
        pairs = [
            (x, float(e.lr[group]))
            for e, x in zip(self.epochs, positions, strict=True)
            if e.lr.get(group) is not None
        ]
        if not pairs:
            return np.empty(0), np.empty(0)
        xs, ys = zip(*pairs, strict=True)
        return np.asarray(xs, float), np.asarray(ys, float)

    def batch_series(self, x_axis: str = "epoch") -> tuple[np.ndarray, np.ndarray]:
        """The per-batch training loss, against fractional epochs, steps or seconds."""
        if x_axis == "time":
            return self._steps_to_seconds(self.batch_step), np.asarray(self.batch_loss, float)
        xs = self.batch_x_epoch if x_axis == "epoch" else self.batch_step
        return np.asarray(xs, float), np.asarray(self.batch_loss, float)

    def _steps_to_seconds(self, steps) -> np.ndarray:
        """Training seconds at ``steps``, interpolated between epoch ends."""
        anchors = [0.0, *(float(e.step) for e in self.epochs)]
        seconds = [0.0, *epoch_positions(self.epochs, "time")]
        return np.interp(np.asarray(steps, float), anchors, seconds)

    def step_to_x(self, step: int, x_axis: str = "epoch") -> float:
        """Where a step lies on the x axis (fractional epochs, interpolated from what we saw)."""
        if x_axis == "step":
            return float(step)
        if x_axis == "time":
            return float(self._steps_to_seconds([step])[0])
        anchors_step = [0.0, *map(float, self.batch_step), *(float(e.step) for e in self.epochs)]
        anchors_x = [0.0, *self.batch_x_epoch, *(float(e.epoch) for e in self.epochs)]
        order = np.argsort(anchors_step, kind="stable")
        return float(np.interp(step, np.asarray(anchors_step)[order], np.asarray(anchors_x)[order]))

    def to_csv(self) -> str:
        """One row per epoch: epoch, step, stage, seconds, every term of both splits, the lrs."""
        terms = {split: _ordered(getattr(e, split) for e in self.epochs) for split in SPLITS}
        groups = _ordered(e.lr for e in self.epochs)
        header = ["epoch", "step", "stage", "seconds"]
        header += [f"{split}_{term}" for split in SPLITS for term in terms[split]]
        header += [f"lr_{group}" for group in groups]
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        for e in self.epochs:
            row: list[object] = [e.epoch, e.step, e.stage, f"{e.seconds:.6g}"]
            for split in SPLITS:
                values = getattr(e, split)
                row += [_fmt(values.get(term)) for term in terms[split]]
            row += [_fmt(e.lr.get(group)) for group in groups]
            writer.writerow(row)
        return out.getvalue()


def epoch_positions(epochs: list[EpochEnd], x_axis: str) -> list[float]:
    """Where epoch ends lie on the x axis: ``epoch``, ``step``, or ``time`` (training seconds
    so far, the sum of the epochs' durations)."""
    if x_axis == "epoch":
        return [float(e.epoch) for e in epochs]
    if x_axis == "step":
        return [float(e.step) for e in epochs]
    return np.cumsum([e.seconds for e in epochs], dtype=float).tolist()


def _ordered(mappings) -> list[str]:
    seen: dict[str, None] = {}
    for mapping in mappings:
        for name in mapping:
            seen.setdefault(name)
    return list(seen)


def _fmt(value: float | None) -> str:
    return "" if value is None else repr(float(value))


#: Terms that are sums over a sample's features, in nats (negative log-likelihoods).
PER_SAMPLE_TERMS = frozenset({"nll", "neg_elbo"})
#: A VAE's loss and its parts are per-sample sums (nats) as well.
VAE_PER_SAMPLE_TERMS = frozenset({"loss", "recon", "kl", "neg_elbo", "nll"})
#: A GAN's mean discriminator outputs, probabilities rather than losses.
GAN_OUTPUT_TERMS = frozenset({"d_real", "d_fake"})


def term_axis(term: str, kind: str | None) -> str:
    """``"left"`` or ``"right"``: the y axis whose unit ``term`` is in, for models of ``kind``.

    The left axis holds the per-feature terms that PCA's mean squared error compares with;
    the right one per-sample sums in nats (a likelihood, a VAE's ELBO terms, hundreds of times
    larger) or, for a GAN, the discriminator's mean outputs.
    """
    if kind == "gan":
        return "right" if term in GAN_OUTPUT_TERMS else "left"
    if kind == "vae":
        return "right" if term in VAE_PER_SAMPLE_TERMS else "left"
    return "right" if term in PER_SAMPLE_TERMS else "left"


def axis_labels(kind: str | None) -> tuple[str, str]:
    """The left and right axis titles for models of ``kind``."""
    if kind == "gan":
        return (
            translate("LossView", "loss (binary cross-entropy)"),
            translate("LossView", "mean discriminator output"),
        )
    if kind == "vae":
        return (
            translate("LossView", "MSE per feature"),
            translate("LossView", "nats per sample (−ELBO, reconstruction, KL)"),
        )
    return (
        translate("LossView", "loss per feature"),
        translate("LossView", "nats per sample (negative log-likelihood)"),
    )


def has_pca_reference(kind: str | None) -> bool:
    """True when PCA's validation MSE means something next to the model's curves (not a GAN)."""
    return kind != "gan"


def duplicate_of(history: LossHistory, key: CurveKey, x_axis: str = "epoch") -> CurveKey | None:
    """A curve of the same split and stage, listed before ``key`` (the total loss first), whose
    values equal ``key``'s at every epoch (a reconstruction term that is the whole loss), or
    None."""
    _, values = history.series(key, x_axis)
    if values.size == 0:
        return None
    same = [k for k in history.curve_keys() if k.split == key.split and k.stage == key.stage]
    same.sort(key=lambda k: k.term != "loss")
    for other in same:
        if other == key:
            return None
        _, theirs = history.series(other, x_axis)
        if theirs.shape == values.shape and np.allclose(theirs, values, rtol=1e-9, atol=0.0):
            return other
    return None
