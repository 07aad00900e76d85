"""2-D projections of latent codes (PCA, t-SNE, UMAP) and a cancellable background runner.

PCA is plain numpy and always available. t-SNE (openTSNE) and UMAP (umap-learn) come with the
``projections`` extra; :func:`is_available` says whether they are installed and
:func:`install_hint` what to run otherwise. Nothing here imports Qt: the GUI polls the
:class:`concurrent.futures.Future` that :class:`BackgroundRunner` hands back.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np

METHODS: tuple[str, ...] = ("pca", "tsne", "umap")
METHOD_LABELS: dict[str, str] = {"pca": "PCA", "tsne": "t-SNE", "umap": "UMAP"}
_MODULES: dict[str, str | None] = {"pca": None, "tsne": "openTSNE", "umap": "umap"}
INSTALL_HINT = 'pip install "aeviewer[projections]"'

CancelCheck = Callable[[], bool]
T = TypeVar("T")


class ProjectionCancelled(Exception):
    """A projection stopped because its caller cancelled it."""


def is_available(method: str) -> bool:
    """True when the library that ``method`` needs is installed."""
    module = _module_for(method)
    return module is None or importlib.util.find_spec(module) is not None


def install_hint(method: str) -> str:
    """What to tell a user whose ``method`` is missing (empty when it is available)."""
    if is_available(method):
        return ""
    return f"{METHOD_LABELS[method]} needs the projections extra: {INSTALL_HINT}"


def pca_2d(x: np.ndarray) -> np.ndarray:
    """Project samples ``(N, K)`` onto their first two principal components, float32 ``(N, 2)``.

    The sign of each axis is fixed (largest loading positive) so that successive snapshots of a
    slowly changing latent space do not flip around. With ``K < 2`` the missing axis is zero.
    """
    data = _as_matrix(x)
    centred = data - data.mean(axis=0)
    k = centred.shape[1]
    out = np.zeros((centred.shape[0], 2), np.float32)
    if k == 0 or centred.shape[0] == 0:
        return out
    # The K x K covariance is small (K is a latent size), so eigh beats an SVD of the N x K data.
    cov = centred.T @ centred
    values, vectors = np.linalg.eigh(cov)
    axes = vectors[:, np.argsort(values)[::-1][:2]]
    signs = np.sign(axes[np.abs(axes).argmax(axis=0), np.arange(axes.shape[1])])
    axes = axes * np.where(signs == 0, 1.0, signs)
    out[:, : axes.shape[1]] = centred @ axes
    return out


def tsne_2d(x: np.ndarray, *, seed: int = 0, cancel: CancelCheck | None = None) -> np.ndarray:
    """t-SNE embedding ``(N, 2)`` of ``x`` with openTSNE; checks ``cancel`` every 25 iterations."""
    _require("tsne")
    from openTSNE import TSNE
    from openTSNE.tsne import OptimizationInterrupt

    data = _as_matrix(x)
    _check_cancel(cancel)
    perplexity = float(min(30.0, max(2.0, (data.shape[0] - 1) / 3.0)))
    callbacks = [lambda *_: bool(cancel and cancel())]
    tsne = TSNE(
        perplexity=perplexity,
        random_state=seed,
        n_jobs=1,
        callbacks=callbacks,
        callbacks_every_iters=25,
    )
    try:
        embedding = tsne.fit(data)
    except OptimizationInterrupt as interrupt:
        raise ProjectionCancelled("t-SNE was cancelled") from interrupt
    _check_cancel(cancel)
    return np.asarray(embedding, np.float32)


def umap_2d(x: np.ndarray, *, seed: int = 0, cancel: CancelCheck | None = None) -> np.ndarray:
    """UMAP embedding ``(N, 2)`` of ``x``.

    umap-learn offers no hook inside its optimisation, so ``cancel`` is only checked before and
    after it; a superseded run finishes in the background and its result is dropped.
    """
    _require("umap")
    _check_cancel(cancel)
    import umap

    data = _as_matrix(x)
    n_neighbors = int(min(15, max(2, data.shape[0] - 1)))
    reducer = umap.UMAP(n_components=2, n_neighbors=n_neighbors, random_state=seed, n_jobs=1)
    embedding = reducer.fit_transform(data)
    _check_cancel(cancel)
    return np.asarray(embedding, np.float32)


def project(
    x: np.ndarray, method: str, *, seed: int = 0, cancel: CancelCheck | None = None
) -> np.ndarray:
    """Project ``x`` ``(N, K)`` to 2-D with ``method`` (one of :data:`METHODS`).

    Latents that already are 2-D come back unchanged (as float32) whatever the method.
    """
    data = _as_matrix(x)
    _module_for(method)
    if data.shape[1] == 2:
        return data.astype(np.float32, copy=True)
    if method == "pca" or data.shape[0] < 5:
        return pca_2d(data)
    if method == "tsne":
        return tsne_2d(data, seed=seed, cancel=cancel)
    return umap_2d(data, seed=seed, cancel=cancel)


class BackgroundRunner:
    """Runs one job at a time on a single worker thread; a new job supersedes the old one.

    Each job is a callable that takes a ``cancel`` check (a function returning True once the job
    was superseded or cancelled) and returns a result. Submitting a job cancels the previous one:
    a pending job never starts, a running one sees its check turn True. Call :meth:`shutdown`
    when done; the worker thread is started lazily.
    """

    def __init__(self, name: str = "aeviewer-background") -> None:
        self._name = name
        self._executor: ThreadPoolExecutor | None = None
        self._current: tuple[Future[Any], threading.Event] | None = None

    def submit(self, job: Callable[[CancelCheck], T]) -> Future[T]:
        """Cancel the current job and start ``job``; returns its future."""
        self.cancel()
        if self._executor is None:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=self._name)
        stop = threading.Event()
        future = self._executor.submit(job, stop.is_set)
        self._current = (future, stop)
        return future

    def cancel(self) -> None:
        """Cancel the current job, if any."""
        if self._current is not None:
            future, stop = self._current
            stop.set()
            future.cancel()
            self._current = None

    @property
    def busy(self) -> bool:
        """True while the most recent job has not finished."""
        return self._current is not None and not self._current[0].done()

    def shutdown(self, wait: bool = True) -> None:
        """Cancel the current job and stop the worker thread (joining it when ``wait``)."""
        self.cancel()
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)
            self._executor = None


def _module_for(method: str) -> str | None:
    if method not in _MODULES:
        raise ValueError(f"unknown projection {method!r}; choose one of {METHODS}")
    return _MODULES[method]


def _require(method: str) -> None:
    if not is_available(method):
        raise ImportError(install_hint(method))


def _check_cancel(cancel: CancelCheck | None) -> None:
    if cancel is not None and cancel():
        raise ProjectionCancelled("the projection was cancelled")


def _as_matrix(x: np.ndarray) -> np.ndarray:
    data = np.asarray(x, np.float64)
    if data.ndim != 2:
        raise ValueError(f"latents must be a 2-D array (N, K), got shape {data.shape}")
    if not np.isfinite(data).all():
        raise ValueError("latents hold NaN or infinite values")
    return data
