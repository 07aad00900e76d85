"""The theory beside each model: a short explanation of each family and option, and what to
look for in the views while it trains.

The texts are Qt-translatable rich text (context ``Theory``), marked here and translated when
shown, so the Model panel speaks the user's language. They follow the design's theory section:
the bottleneck, the linear autoencoder and PCA, losses as likelihoods, reconstruction error as
an anomaly score, and each variant.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

#: Family -> what it is and what to look for now.
FAMILIES: dict[str, str] = {
    "ae": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Autoencoder.</b> x̂ = dec(enc(x)) is trained without labels, with the input as its "
        "own target. Only the bottleneck makes this useful: a code narrower than the input "
        "forces the model to keep what matters. "
        "<i>Look for:</i> in Loss, the validation error approaching the PCA baseline of the "
        "same size (a non-linear model can go below it); in Latent space, classes gathering "
        "into clusters.",
    ),
    "linear": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Linear autoencoder.</b> With no non-linearities and squared error it spans the "
        "same subspace as PCA with as many components, and its error approaches PCA's, the "
        "lowest any rank-k linear map can reach. Its axes need not be PCA's: only the subspace "
        "is the same. "
        "<i>Look for:</i> in PCA baseline, the principal angles between the decoder and PCA "
        "falling to zero; in Loss, the error meeting the PCA line from above, never below it.",
    ),
    "conv": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Convolutional autoencoder.</b> Convolutions share their weights across positions, "
        "so a local pattern (an edge, a stroke) is learned once for the whole image, with far "
        "fewer parameters than dense layers. "
        "<i>Look for:</i> in Reconstructions, sharp edges appearing early; in Loss, the error "
        "going below the PCA baseline of the same latent size.",
    ),
    "sparse": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Sparse autoencoder.</b> A penalty drives the hidden activations (not the weights) "
        "towards zero, so each input uses only a few code units, and even a code as wide as "
        "the input cannot simply copy it. "
        "<i>Look for:</i> in Latent space, most coordinates near zero for each sample; in "
        "Loss, a little more reconstruction error than a plain model, the price of the "
        "penalty.",
    ),
    "denoising": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Denoising autoencoder.</b> The input is corrupted with noise of a known "
        "distribution (uniform noise when the distribution is unknown) and the model must "
        "reconstruct the clean input, so it cannot copy: it learns to pull corrupted points "
        "back onto the data. "
        "<i>Look for:</i> in Reconstructions, clean outputs for noisy inputs; in Loss, the "
        "error measured against the clean data falling.",
    ),
    "stacked": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Stacked autoencoder.</b> Greedy layer-wise pre-training: one shallow autoencoder "
        "per layer, each trained on the codes of the previous one, then end-to-end "
        "fine-tuning of the whole stack (how deep networks were first trained). "
        "<i>Look for:</i> in Loss, a step at each change of stage and a further drop once "
        "fine-tuning starts.",
    ),
    "vae": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Variational autoencoder.</b> The probabilistic reading: the encoder outputs a "
        "Gaussian q(z|x), the decoder a likelihood p(x|z), and training maximises the ELBO, "
        "E[log p(x|z)] − β·KL(q(z|x) ‖ N(0, I)). The KL term keeps the codes close to the "
        "prior, so decoding z ~ N(0, I) gives new data. "
        "<i>Look for:</i> in Loss, reconstruction and KL trading off; in Latent space, a round "
        "cloud around the origin; in Reconstructions, the samples from the prior.",
    ),
    "gan": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Generative adversarial network.</b> Two players: a generator turns noise into "
        "samples and a discriminator tells data from generated samples; each is trained "
        "against the other. There is no encoder and no reconstruction error. "
        "<i>Look for:</i> in GAN, the discriminator's mean output on real and on generated "
        "data both nearing 0.5 while the samples become data-like; outputs stuck near 0 and 1 "
        "mean the discriminator has won and the generator gets no useful gradient.",
    ),
}

#: Loss -> the likelihood it is the negative log of.
LOSSES: dict[str, str] = {
    "auto": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Loss: auto</b> picks binary cross-entropy, the negative log-likelihood of a "
        "Bernoulli, for data in [0, 1], and otherwise squared error, that of a Gaussian with "
        "fixed variance centred on the reconstruction.",
    ),
    "mse": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Squared error</b> is the negative log-likelihood of a Gaussian with fixed variance "
        "centred on the reconstruction: minimising it is maximum likelihood. It suits "
        "unbounded real data, with an identity output.",
    ),
    "bce": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Binary cross-entropy</b> is the negative log-likelihood of a Bernoulli "
        "distribution: for data in [0, 1], with a sigmoid output.",
    ),
    "l1": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Absolute error</b> is the negative log-likelihood of a Laplace distribution: large "
        "errors weigh less than with squared error, so outliers pull less.",
    ),
}

#: Noise kind of the denoising autoencoder -> what it assumes.
NOISE: dict[str, str] = {
    "gaussian": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Gaussian noise</b> x + ε, ε ~ N(0, σ²): the right corruption when the noise the "
        "data will meet is known to be Gaussian; the noise level is σ.",
    ),
    "uniform": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Uniform noise</b> in [−a, a]: the choice when the noise distribution is unknown, "
        "as it assumes the least; the noise level is a.",
    ),
    "mask": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>Masking</b> sets a random fraction of the inputs to zero; the model must fill them "
        "in from the rest, as in inpainting.",
    ),
}

#: Sparsity penalty -> its form.
SPARSITY: dict[str, str] = {
    "l1": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>L1 penalty</b> λ·Σ|h| on the code's activations h: many become exactly zero.",
    ),
    "kl": QT_TRANSLATE_NOOP(
        "Theory",
        "<b>KL penalty</b> λ·Σ KL(ρ ‖ ρ̂ⱼ) pulls each unit's mean activation ρ̂ⱼ towards the "
        "small target rate ρ: each unit fires for a few inputs only.",
    ),
}

BETA = QT_TRANSLATE_NOOP(
    "Theory",
    "<b>β</b> = 1 is the ELBO itself; β &gt; 1 (β-VAE) weighs the KL more, for a smoother, "
    "more disentangled latent space and blurrier reconstructions.",
)

ANOMALY = QT_TRANSLATE_NOOP(
    "Theory",
    "<b>Anomaly score.</b> Reconstruction error is an anomaly score: train on normal data, "
    "then flag the inputs the model reconstructs badly. "
    "<i>Look for:</i> in Anomalies, the errors of anomalies moving to the right of the normal "
    "ones and the ROC AUC rising, compared with PCA's.",
)

BOTTLENECK = QT_TRANSLATE_NOOP(
    "Theory",
    "<b>Bottleneck.</b> The latent size {0} against the input size {1}: a latent at least as "
    "large as the input lets a plain autoencoder learn the identity and reach zero error "
    "while learning nothing.",
)


@dataclass(frozen=True)
class TheoryChoice:
    """The settings the explanation depends on (the Model panel's current choice)."""

    kind: str
    loss: str = "auto"
    noise: str = "gaussian"
    sparsity: str = "l1"
    latent: int = 2
    n_features: int | None = None


def _tr(text: str) -> str:
    return QCoreApplication.translate("Theory", text)


def theory_paragraphs(choice: TheoryChoice) -> list[str]:
    """The explanation for ``choice``, paragraph by paragraph, in the user's language."""
    paragraphs = [_tr(FAMILIES[choice.kind])]
    if choice.kind == "gan":
        return paragraphs
    if choice.kind == "denoising" and choice.noise in NOISE:
        paragraphs.append(_tr(NOISE[choice.noise]))
    if choice.kind == "sparse" and choice.sparsity in SPARSITY:
        paragraphs.append(_tr(SPARSITY[choice.sparsity]))
    if choice.kind == "vae":
        paragraphs.append(_tr(BETA))
    if choice.loss in LOSSES:
        paragraphs.append(_tr(LOSSES[choice.loss]))
    if choice.n_features is not None:
        paragraphs.append(_tr(BOTTLENECK).format(choice.latent, choice.n_features))
    paragraphs.append(_tr(ANOMALY))
    return paragraphs


def theory_html(choice: TheoryChoice) -> str:
    """:func:`theory_paragraphs` as one rich text."""
    return "".join(f"<p>{p}</p>" for p in theory_paragraphs(choice))
