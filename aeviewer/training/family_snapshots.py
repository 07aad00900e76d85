"""Snapshots of the families that generate data: the VAE's prior samples and the GAN's views.

A GAN has no encoder, so its snapshot leaves latents, scores and reconstructions empty and fills
the ``gan_*`` fields instead: samples from one fixed noise batch (drawn once per run, so
successive snapshots show the same samples evolving), the mean of ``D(x)`` on the evaluation
subset and of ``D(G(z))`` on the fixed noise, and for 2-D data the discriminator's output on a
grid over the plane of the data.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import torch
from torch import nn

from aeviewer.models.pca import PCA
from aeviewer.training.events import Snapshot
from aeviewer.training.family_evaluation import mode_report, mode_statistics
from aeviewer.training.snapshots import Snapshotter, _numpy, batched

#: Points per side of the grid the discriminator is drawn on (2-D data).
GAN_GRID_SIZE = 64
#: The grid extends this fraction of the data's range beyond it on every side.
GAN_GRID_MARGIN = 0.25
#: Seed offset of the fixed noise, away from the run's other random streams.
FIXED_NOISE_SEED = 11


class _GeneratingSnapshotter(Snapshotter):
    """A snapshotter with a random generator for a fixed batch of generating noise."""

    def __init__(self, *args, seed: int, **kwargs) -> None:
        super().__init__(*args, seed=seed, **kwargs)
        self.fixed_generator = torch.Generator(device=self.x_eval.device).manual_seed(
            seed + FIXED_NOISE_SEED
        )
        self.n_images = len(self.recon_indices)


class VaeSnapshotter(_GeneratingSnapshotter):
    """The autoencoder snapshot plus ``extras["prior_samples"]``: decoded fixed prior draws."""

    _prior: torch.Tensor | None = None

    def take(self, model: nn.Module, epoch: int, step: int, stage: str) -> Snapshot:
        """The snapshot of ``model`` now, with ``n_recon`` samples decoded from the prior."""
        snapshot = super().take(model, epoch, step, stage)
        if self._prior is None:
            self._prior = model.sample_prior(self.n_images, self.fixed_generator)
        with torch.no_grad():
            samples = self._images(model.decode(self._prior))
        return replace(snapshot, extras={**snapshot.extras, "prior_samples": samples})


class GanSnapshotter(_GeneratingSnapshotter):
    """Samples of fixed noise, D's mean outputs and, for 2-D data, D on a grid.

    On labelled 2-D data (clusters such as the built-in ring) the samples are also scored
    against the modes (:func:`~aeviewer.training.family_evaluation.mode_report`):
    ``extras["mode_quality"]`` is ``[covered, modes, fraction of samples near a mode]``.
    """

    _noise: torch.Tensor | None = None

    def __init__(self, dataset, *args, **kwargs) -> None:
        super().__init__(dataset, *args, **kwargs)
        self._modes = None
        if tuple(dataset.sample_shape) == (2,) and dataset.labels is not None:
            self._modes = mode_statistics(dataset.x, dataset.labels)

    def take(self, model: nn.Module, epoch: int, step: int, stage: str) -> Snapshot:
        """The GAN snapshot of ``model`` now (the model is left in eval mode)."""
        model.eval()
        if self._noise is None:
            # Images fill a grid like the reconstructions do; points fill a scatter plot.
            n = self.n_images if len(self.sample_shape) == 3 else self.x_eval.shape[0]
            self._noise = model.sample_noise(n, self.fixed_generator)
        with torch.no_grad():
            fake = model.decode(self._noise)
            d_real = torch.sigmoid(batched(model.discriminate, self.x_eval)).mean()
            d_fake = torch.sigmoid(model.discriminate(fake)).mean()
            grid, extent = self._grid(model) if self.sample_shape == (2,) else (None, None)
        samples = self._images(fake)
        extras = {}
        if self._modes is not None:
            report = mode_report(samples, *self._modes)
            extras["mode_quality"] = _readonly(
                np.array([report["modes_covered"], report["n_modes"], report["near_mode_fraction"]])
            )
        return Snapshot(
            epoch=epoch,
            step=step,
            stage=stage,
            eval_indices=self.eval_indices,
            recon_indices=self.recon_indices,
            originals=self.originals_np,
            extras=extras,
            gan_samples=samples,
            gan_d_real=float(d_real),
            gan_d_fake=float(d_fake),
            gan_grid=grid,
            gan_grid_extent=extent,
        )

    def _grid(self, model: nn.Module) -> tuple[np.ndarray, tuple[float, float, float, float]]:
        """``D`` on a square grid over the evaluation subset, rows along y (row-major)."""
        lo = self.x_eval.min(dim=0).values
        hi = self.x_eval.max(dim=0).values
        pad = GAN_GRID_MARGIN * (hi - lo).clamp_min(1e-6)
        lo, hi = lo - pad, hi + pad
        xs = torch.linspace(float(lo[0]), float(hi[0]), GAN_GRID_SIZE, device=lo.device)
        ys = torch.linspace(float(lo[1]), float(hi[1]), GAN_GRID_SIZE, device=lo.device)
        gy, gx = torch.meshgrid(ys, xs, indexing="ij")
        points = torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)
        values = torch.sigmoid(model.discriminate(points)).reshape(GAN_GRID_SIZE, GAN_GRID_SIZE)
        extent = (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))
        array = values.to("cpu").numpy()
        array.flags.writeable = False
        return array, extent


class LinearSnapshotter(Snapshotter):
    """The autoencoder snapshot plus the two bases the PCA view compares.

    ``extras["decoder_basis"]`` ``(D, k)`` holds the decoder's columns: the decoder is affine, so
    ``decode(e_i) - decode(0)`` is its i-th column whatever its depth. ``extras["pca_components"]``
    ``(D, k)`` holds PCA's top ``k`` components (the same in every snapshot of a run).
    """

    def __init__(self, dataset, pca: PCA, k: int, device: torch.device, **kwargs) -> None:
        super().__init__(dataset, pca, k, device, **kwargs)
        self.pca_components = _numpy(pca.components[:k].T.contiguous())

    def take(self, model: nn.Module, epoch: int, step: int, stage: str) -> Snapshot:
        """The snapshot of ``model`` now, with the decoder's and PCA's bases."""
        snapshot = super().take(model, epoch, step, stage)
        with torch.no_grad():
            latent = snapshot.latents.shape[1]
            codes = torch.eye(latent + 1, latent, device=self.x_eval.device)
            decoded = model.decode(codes)
            basis = (decoded[:-1] - decoded[-1:]).T.contiguous()
        extras = {
            **snapshot.extras,
            "decoder_basis": _numpy(basis),
            "pca_components": self.pca_components,
        }
        return replace(snapshot, extras=extras)


#: Snapshotter class per model kind; kinds not listed use :class:`Snapshotter`.
SNAPSHOTTERS: dict[str, type[Snapshotter]] = {
    "vae": VaeSnapshotter,
    "gan": GanSnapshotter,
    "linear": LinearSnapshotter,
}


def snapshotter_class(kind: str) -> type[Snapshotter]:
    """The snapshotter class for models of ``kind``."""
    return SNAPSHOTTERS.get(kind, Snapshotter)


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array
