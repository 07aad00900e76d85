"""Training of the variational autoencoder: one stage, one optimiser, the ELBO's terms."""

from __future__ import annotations

import torch

from aeviewer.models.vae import VAE
from aeviewer.training.trainers import AutoencoderTrainer


class VaeTrainer(AutoencoderTrainer):
    """Minimise ``recon + beta * kl``; report ``recon``, ``kl``, ``neg_elbo`` (and ``mse``).

    ``neg_elbo`` already is a per-sample negative log-likelihood bound in nats, so no ``nll`` is
    derived from ``recon`` as for the plain autoencoders.
    """

    model: VAE

    def eval_terms(self, batch: torch.Tensor) -> dict[str, torch.Tensor]:
        """The ELBO's terms (one posterior draw per sample) and the mean's ``mse``."""
        with self.autocast():
            terms = self.model.loss_terms(batch, self.generator)
            terms["mse"] = self.model.scores(batch).mean()
        return {k: v.float() for k, v in terms.items()}

    def derived_terms(self, terms: dict[str, float]) -> dict[str, float]:
        """The terms as they are."""
        return dict(terms)
