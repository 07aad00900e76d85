"""Linear autoencoder snapshots: the decoder's basis and PCA's components for the PCA view."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from aeviewer.analysis.metrics import principal_angles
from aeviewer.training.events import Snapshot
from aeviewer.training.loop import train

from .conftest import small_config


def _snapshots(vectors, epochs: int) -> list[Snapshot]:
    config = small_config("linear", epochs=epochs, latent=3, hidden=(8,))
    config = replace(config, train=replace(config.train, lr=1e-2))
    return [e for e in train(config, vectors) if isinstance(e, Snapshot)]


def test_linear_snapshots_carry_both_bases(vectors):
    snapshots = _snapshots(vectors, epochs=25)
    d = vectors.n_features
    first, last = snapshots[0], snapshots[-1]
    for snap in (first, last):
        assert snap.extras["decoder_basis"].shape == (d, 3)
        assert snap.extras["pca_components"].shape == (d, 3)
    components = last.extras["pca_components"]
    np.testing.assert_allclose(components.T @ components, np.eye(3), atol=1e-4)
    # The decoder is affine, so differences of reconstructions are the basis times code differences.
    basis = last.extras["decoder_basis"]
    rows = {int(i): r for r, i in enumerate(last.eval_indices)}
    codes = last.latents[[rows[int(i)] for i in last.recon_indices]]
    recon = last.reconstructions.reshape(len(codes), d)
    np.testing.assert_allclose(
        recon[1:] - recon[0], (codes[1:] - codes[0]) @ basis.T, rtol=1e-3, atol=1e-3
    )
    # Training turns the decoder's span towards PCA's subspace.
    angle_first = np.degrees(principal_angles(first.extras["decoder_basis"], components)).max()
    angle_last = np.degrees(principal_angles(basis, components)).max()
    assert angle_last < angle_first
    assert angle_last < 10.0


def test_other_families_have_no_bases(vectors):
    config = small_config("ae", epochs=1)
    snapshots = [e for e in train(config, vectors) if isinstance(e, Snapshot)]
    assert "decoder_basis" not in snapshots[0].extras
