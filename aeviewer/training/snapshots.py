"""Snapshots: the numpy arrays the views draw, computed from the model at an epoch end.

The evaluation subset and the reconstruction samples are drawn once per run from the whole data
set (every class, also in one-class runs), so successive snapshots are comparable. Arrays are
shaped for drawing: ``latents`` ``(n_eval, latent)``, ``scores`` ``(n_eval,)``, and
``originals``, ``reconstructions``, ``pca_reconstructions``, ``noisy`` ``(n_recon, *sample_shape)``.
The PCA arrays do not change during a run; they are computed once and shared read-only.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from aeviewer.data.dataset import Dataset
from aeviewer.data.mapped import take_rows
from aeviewer.models.pca import PCA
from aeviewer.training.events import Snapshot
from aeviewer.training.trainers import EVAL_BATCH


def _numpy(t: torch.Tensor) -> np.ndarray:
    array = t.detach().to("cpu").numpy()
    array.flags.writeable = False
    return array


def snapshot_indices(n: int, n_eval: int, n_recon: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The fixed evaluation subset (sorted) and reconstruction samples (a subset of it)."""
    order = np.random.default_rng(seed).permutation(n)
    eval_idx = np.sort(order[: min(n_eval, n)])
    recon_idx = order[: min(n_recon, n_eval, n)]
    return eval_idx, recon_idx


def batched(fn, x: torch.Tensor) -> torch.Tensor:
    """``fn`` applied to ``x`` in evaluation-sized batches, concatenated."""
    return torch.cat([fn(x[i : i + EVAL_BATCH]) for i in range(0, x.shape[0], EVAL_BATCH)])


class Snapshotter:
    """Computes :class:`Snapshot` events for one run.

    Parameters
    ----------
    dataset
        The whole data set.
    pca
        The fitted baseline, on ``device``.
    k
        Components of the baseline (the model's latent size, at most PCA's rank).
    n_eval, n_recon, seed
        Sizes and seed of the fixed samples.
    noisy_from
        For a denoising model: the model whose corruption makes the noisy inputs.
    """

    def __init__(
        self,
        dataset: Dataset,
        pca: PCA,
        k: int,
        device: torch.device,
        *,
        n_eval: int,
        n_recon: int,
        seed: int,
        noisy_from: nn.Module | None = None,
    ) -> None:
        self.sample_shape = tuple(dataset.sample_shape)
        self.eval_indices, self.recon_indices = snapshot_indices(
            dataset.n_samples, n_eval, n_recon, seed
        )
        self.eval_indices.flags.writeable = False
        self.recon_indices.flags.writeable = False
        self.x_eval = torch.from_numpy(take_rows(dataset.x, self.eval_indices)).to(device)
        self.originals = torch.from_numpy(take_rows(dataset.x, self.recon_indices)).to(device)
        self.inputs = self.originals
        self.noisy: np.ndarray | None = None
        if noisy_from is not None and getattr(noisy_from, "noise", None) is not None:
            generator = torch.Generator(device=device).manual_seed(seed + 7)
            self.inputs = noisy_from.corrupt(self.originals, generator)
            self.noisy = self._images(self.inputs)
        with torch.no_grad():
            self.pca_scores = _numpy(pca.sample_errors(self.x_eval, k))
            self.pca_recon = self._images(pca.reconstruct(self.inputs, k))
            self.pca_latents = _numpy(pca.transform(self.x_eval, k))
        self.originals_np = self._images(self.originals)

    def _images(self, flat: torch.Tensor) -> np.ndarray:
        return _numpy(flat.reshape(flat.shape[0], *self.sample_shape))

    def take(self, model: nn.Module, epoch: int, step: int, stage: str) -> Snapshot:
        """The snapshot of ``model`` now (the model is left in eval mode)."""
        model.eval()
        with torch.no_grad():
            latents = batched(model.encode, self.x_eval)
            scores = batched(model.scores, self.x_eval)
            recon = model(self.inputs)
        return Snapshot(
            epoch=epoch,
            step=step,
            stage=stage,
            eval_indices=self.eval_indices,
            latents=_numpy(latents),
            scores=_numpy(scores),
            pca_scores=self.pca_scores,
            recon_indices=self.recon_indices,
            originals=self.originals_np,
            reconstructions=self._images(recon),
            pca_reconstructions=self.pca_recon,
            noisy=self.noisy,
            extras={"pca_latents": self.pca_latents},
        )
