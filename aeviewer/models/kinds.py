"""The model kinds that can be built, with a description each; free of torch so that the
command line can offer them as choices without importing it."""

from __future__ import annotations

#: Kind -> one-line description, in the order menus show them. Each has a builder in
#: :mod:`aeviewer.models.registry`.
MODEL_DESCRIPTIONS: dict[str, str] = {
    "ae": "multilayer autoencoder",
    "linear": "linear autoencoder (no non-linearities; spans PCA's subspace)",
    "conv": "convolutional autoencoder for images",
    "sparse": "autoencoder with an L1 or KL penalty on its code",
    "denoising": "autoencoder that reconstructs clean inputs from noisy ones",
    "stacked": "deep autoencoder pre-trained greedily layer by layer, then fine-tuned",
    "vae": "variational autoencoder (Gaussian encoder, KL term weighted by beta)",
    "gan": "generative adversarial network (generator and discriminator)",
}
