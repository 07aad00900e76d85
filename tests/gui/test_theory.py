"""The theory beside each model: every family and option explained, in both languages, and the
Model panel's text following the choice."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from aeviewer.config import LOSSES, MODEL_KINDS, NOISE_KINDS, SPARSITY_KINDS, ModelSpec, NoiseSpec
from aeviewer.gui import i18n
from aeviewer.gui.panels.model_panel import ModelPanel
from aeviewer.gui.theory import FAMILIES, NOISE, SPARSITY, TheoryChoice, theory_paragraphs
from aeviewer.gui.theory import LOSSES as LOSS_TEXTS


def test_every_family_and_option_has_its_theory():
    assert set(FAMILIES) == set(MODEL_KINDS)
    assert set(LOSS_TEXTS) == set(LOSSES)
    assert set(NOISE) == set(NOISE_KINDS)
    assert set(SPARSITY) == set(SPARSITY_KINDS)
    for kind in MODEL_KINDS:
        assert "Look for:" in FAMILIES[kind], kind


def test_the_explanation_follows_the_choice():
    linear = " ".join(theory_paragraphs(TheoryChoice("linear", loss="mse", n_features=784)))
    assert "principal angles" in linear
    assert "Gaussian with fixed variance" in linear
    assert "anomaly score" in linear
    assert "784" in linear
    bce = " ".join(theory_paragraphs(TheoryChoice("ae", loss="bce")))
    assert "Bernoulli" in bce
    assert "Uniform noise" in " ".join(
        theory_paragraphs(TheoryChoice("denoising", noise="uniform"))
    )
    assert "target rate" in " ".join(theory_paragraphs(TheoryChoice("sparse", sparsity="kl")))
    assert "ELBO" in " ".join(theory_paragraphs(TheoryChoice("vae")))
    gan = theory_paragraphs(TheoryChoice("gan"))
    assert len(gan) == 1
    assert "discriminator" in gan[0]


def test_the_model_panel_shows_the_theory_of_its_choice(qtbot):
    panel = ModelPanel()
    qtbot.addWidget(panel)
    panel.set_spec(ModelSpec(kind="linear", latent=8))
    panel.set_n_features(64)
    text = panel.theory.text()
    assert "Linear autoencoder." in text
    assert "principal angles" in text
    panel.family.setCurrentIndex(panel.family.findData("denoising"))
    assert "Denoising autoencoder." in panel.theory.text()
    panel.set_spec(ModelSpec(kind="denoising", noise=NoiseSpec("mask", 0.2)))
    assert "Masking" in panel.theory.text()
    assert panel.spec().noise == NoiseSpec("mask", 0.2)
    panel.theory_toggle.setChecked(False)
    assert panel.theory.isHidden()
    again = ModelPanel()
    qtbot.addWidget(again)
    assert not again.theory_toggle.isChecked()
    assert again.theory.isHidden()


def test_the_theory_reads_in_japanese(qtbot):
    app = QApplication.instance()
    translators = i18n.install_translators(app, "ja")
    try:
        panel = ModelPanel()
        qtbot.addWidget(panel)
        panel.set_spec(ModelSpec(kind="vae"))
        text = panel.theory.text()
        family = panel.family.currentText()
    finally:
        i18n.remove_translators(app, translators)
    assert "変分オートエンコーダ" in text
    assert "注目点" in text
    assert family == "変分 (VAE)"


def test_the_l1_code_is_chosen_for_l1_sparsity_and_an_opened_relu_run_keeps_it(qtbot):
    panel = ModelPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_spec(ModelSpec(kind="sparse"))
    assert panel.l1_code.isVisible() and panel.spec().l1_code == "softplus"
    opened = ModelSpec(kind="sparse", l1_code="relu")  # as a run saved before the choice
    panel.set_spec(opened)
    assert panel.spec() == opened
    panel.sparsity_kind.setCurrentIndex(panel.sparsity_kind.findData("kl"))
    assert not panel.l1_code.isVisible()
    panel.family.setCurrentIndex(panel.family.findData("ae"))
    assert not panel.l1_code.isVisible()
