"""2-D projections of latents and the cancellable background runner."""

from __future__ import annotations

import threading

import numpy as np
import pytest

from aeviewer.analysis import projections
from aeviewer.analysis.projections import (
    BackgroundRunner,
    ProjectionCancelled,
    install_hint,
    is_available,
    pca_2d,
    project,
)


def _blobs(n_per: int = 60, dim: int = 8, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = rng.normal(scale=8.0, size=(3, dim))
    labels = np.repeat(np.arange(3), n_per)
    return centres[labels] + rng.normal(size=(labels.size, dim)), labels


def _separation(points: np.ndarray, labels: np.ndarray) -> float:
    """Nearest-neighbour label agreement: 1.0 when every point's neighbour shares its class."""
    d = ((points[:, None, :] - points[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    return float((labels[d.argmin(axis=1)] == labels).mean())


def test_pca_2d_matches_the_leading_singular_vectors() -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(size=(500, 5)) * np.array([5.0, 3.0, 1.0, 0.5, 0.1])
    out = pca_2d(x)
    assert out.shape == (500, 2) and out.dtype == np.float32
    centred = x - x.mean(0)
    _, s, _ = np.linalg.svd(centred, full_matrices=False)
    np.testing.assert_allclose(np.linalg.norm(out, axis=0), s[:2], rtol=1e-4)
    assert abs(float(np.corrcoef(out[:, 0], x[:, 0])[0, 1])) > 0.99


def test_pca_2d_sign_is_stable_under_small_changes() -> None:
    rng = np.random.default_rng(2)
    x = rng.normal(size=(400, 6)) * np.arange(6, 0, -1)
    a = pca_2d(x)
    b = pca_2d(x + rng.normal(scale=1e-3, size=x.shape))
    assert (np.sign(a[:, 0]) == np.sign(b[:, 0])).mean() > 0.99


def test_pca_2d_pads_a_one_dimensional_latent() -> None:
    out = pca_2d(np.arange(10.0)[:, None])
    assert out.shape == (10, 2)
    assert np.all(out[:, 1] == 0)


def test_two_dimensional_latents_are_kept() -> None:
    x = np.random.default_rng(3).normal(size=(50, 2))
    np.testing.assert_allclose(project(x, "tsne"), x.astype(np.float32))


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown projection"):
        project(np.zeros((4, 3)), "mds")
    with pytest.raises(ValueError, match="2-D array"):
        project(np.zeros(4), "pca")
    with pytest.raises(ValueError, match="NaN"):
        project(np.full((4, 3), np.nan), "pca")


@pytest.mark.skipif(not is_available("tsne"), reason="openTSNE (projections extra) not installed")
def test_tsne_separates_blobs() -> None:
    x, labels = _blobs()
    out = project(x, "tsne", seed=0)
    assert out.shape == (x.shape[0], 2)
    assert _separation(out, labels) > 0.95


@pytest.mark.skipif(not is_available("tsne"), reason="openTSNE (projections extra) not installed")
def test_tsne_stops_when_cancelled() -> None:
    x, _ = _blobs()
    calls = []

    def cancel() -> bool:
        calls.append(1)
        return len(calls) > 1  # let the first check pass, stop inside the optimisation

    with pytest.raises(ProjectionCancelled):
        project(x, "tsne", cancel=cancel)


@pytest.mark.skipif(not is_available("umap"), reason="umap-learn (projections extra) not installed")
def test_umap_separates_blobs() -> None:
    x, labels = _blobs()
    out = project(x, "umap", seed=0)
    assert out.shape == (x.shape[0], 2)
    assert _separation(out, labels) > 0.95


def test_missing_library_gives_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = projections.importlib.util.find_spec
    monkeypatch.setattr(
        projections.importlib.util,
        "find_spec",
        lambda name: None if name == "openTSNE" else real_find_spec(name),
    )
    assert not is_available("tsne")
    assert is_available("pca")
    assert 'pip install "aeviewer[projections]"' in install_hint("tsne")
    assert install_hint("pca") == ""
    with pytest.raises(ImportError, match="projections"):
        project(np.random.default_rng(0).normal(size=(20, 4)), "tsne")


def test_runner_supersedes_the_running_job() -> None:
    runner = BackgroundRunner()
    started = threading.Event()
    seen_cancel = threading.Event()

    def slow(cancel: projections.CancelCheck) -> str:
        started.set()
        while not cancel():
            threading.Event().wait(0.005)
        seen_cancel.set()
        raise ProjectionCancelled("superseded")

    try:
        first = runner.submit(slow)
        assert started.wait(10)
        assert runner.busy
        second = runner.submit(lambda cancel: "done")
        assert second.result(timeout=10) == "done"
        assert seen_cancel.is_set()
        with pytest.raises(ProjectionCancelled):
            first.result(timeout=10)
        assert not runner.busy
    finally:
        runner.shutdown()


def test_runner_never_starts_a_superseded_pending_job() -> None:
    runner = BackgroundRunner()
    gate = threading.Event()
    ran = []
    try:
        runner.submit(lambda cancel: gate.wait(10))
        pending = runner.submit(lambda cancel: ran.append("pending"))
        last = runner.submit(lambda cancel: ran.append("last"))
        gate.set()
        last.result(timeout=10)
        assert pending.cancelled()
        assert ran == ["last"]
    finally:
        runner.shutdown()


def test_runner_shutdown_joins_the_worker() -> None:
    runner = BackgroundRunner(name="aeviewer-test-runner")
    runner.submit(lambda cancel: 1).result(timeout=10)
    runner.shutdown()
    assert not any(t.name.startswith("aeviewer-test-runner") for t in threading.enumerate())
