"""What the aeviewer estimators share: the settings, fitting through the engine, and opening
models trained elsewhere (the GUI, ``aeviewer train``, an export)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted
from torch import nn

from aeviewer.config import ModelSpec, RunConfig
from aeviewer.data.dataset import Dataset, Normalization
from aeviewer.errors import AeviewerError
from aeviewer.sklearn.fitting import apply_batched, check_new_run_dir, model_device, run_engine
from aeviewer.sklearn.inputs import (
    class_labels,
    read_fit_samples,
    read_samples,
    samples_path,
    training_dataset,
    write_samples,
)
from aeviewer.sklearn.params import (
    ESTIMATOR_ARGUMENTS,
    init_signature,
    params_from_config,
    run_config,
    seed_from,
)
from aeviewer.training.rundir import ModelRecord, model_record

#: ``DataSpec.source`` of data that live only in memory (no run directory).
MEMORY_SOURCE = "memory:array"

#: Constructor arguments that are not part of the run's config.
_NOT_CONFIG = frozenset({*ESTIMATOR_ARGUMENTS, "contamination"})


class AutoencoderEstimator(BaseEstimator):
    """Base of the aeviewer estimators: an autoencoder of any family trained by aeviewer's
    engine (:func:`aeviewer.training.loop.train`), the same engine as the GUI and
    ``aeviewer train``.

    Parameters
    ----------
    kind : str, default="ae"
        The family: ``ae``, ``linear``, ``conv``, ``sparse``, ``denoising``, ``stacked``,
        ``vae`` (and ``gan`` for the outlier detector).
    **settings
        Every other field of :class:`~aeviewer.config.ModelSpec` (``latent``, ``hidden``,
        ``activation``, ``output``, ``loss``, ``noise`` as ``"gaussian:0.3"``, ``sparsity`` as
        ``"l1:1e-3"``, ``conv_channels``, ``beta``, ``stage_epochs``, ``gan_d_steps`` ...) and of
        :class:`~aeviewer.config.TrainSpec` (``epochs``, ``batch_size``, ``lr``, ``optimizer``,
        ``weight_decay``, ``grad_clip``, ``device`` ...), under its own name with the engine's
        default; see those classes. ``device="auto"`` takes CUDA, then MPS, then the CPU.
    normalize : str, default="auto"
        ``auto`` keeps data in [0, 1] and z-scores anything else (one scale for all pixels of
        an image, one per feature of a vector); ``none``, ``minmax``, ``zscore``.
    val_fraction : float, default=0.2
        Share of the samples held out for the validation loss; 0 trains on all.
    split_seed : int, default=0
        Seed of the train/validation split.
    random_state : int, RandomState or None, default=None
        The training seed: an integer trains exactly as ``aeviewer train --seed`` does; None
        draws one (kept in ``seed_``).
    sample_shape : tuple of int, optional
        Reads flat rows ``(N, D)`` as images of this shape, e.g. ``(1, 28, 28)`` for a ``conv``
        model after a scaler. Images given as ``(N, H, W)`` or ``(N, C, H, W)`` need none.
    run_dir : str or Path, optional
        A new run directory to write while fitting (config, metrics, checkpoints, final model
        and the samples), which the GUI opens or follows live and ``aeviewer train --resume``
        continues.
    verbose : int, default=0
        1 or more prints a line per epoch on stderr.
    """

    def __init__(self, kind: str = ModelSpec.kind, **settings: Any) -> None:
        signature = inspect.signature(type(self).__init__)
        names = [name for name in signature.parameters if name not in ("self", "kind")]
        unknown = sorted(set(settings) - set(names))
        if unknown:
            raise TypeError(
                f"{type(self).__name__}() got unexpected keyword arguments: {', '.join(unknown)}"
            )
        self.kind = kind
        for name in names:
            setattr(self, name, settings.get(name, signature.parameters[name].default))

    __init__.__signature__ = init_signature()  # type: ignore[attr-defined]

    #: Families this estimator accepts.
    _kinds: tuple[str, ...] = ("ae", "linear", "conv", "sparse", "denoising", "stacked", "vae")

    # -- fitting -----------------------------------------------------------------------------
    def _fit_engine(self, X: Any, y: Any) -> np.ndarray:
        """Validate ``X``, train on it with the engine, set the fitted attributes; returns the
        prepared (normalised) samples ``(N, D)`` for callers that score them."""
        self._check_kind(self.kind)
        samples = read_fit_samples(self, X, self.sample_shape)
        labels = class_labels(y, samples.x.shape[0])
        seed = seed_from(self.random_state)
        source, name = MEMORY_SOURCE, "array"
        if self.run_dir is not None:
            check_new_run_dir(self.run_dir)
            path = samples_path(self.run_dir, labels is not None)
            source, name = str(path), path.stem
        params = self.get_params(deep=False)
        config = run_config(
            {k: v for k, v in params.items() if k not in _NOT_CONFIG}, seed=seed, source=source
        )
        try:
            dataset = training_dataset(samples, labels, config.data, name)
        except AeviewerError as exc:
            raise ValueError(str(exc)) from None
        if self.run_dir is not None:
            write_samples(Path(source), samples, labels)
        result = run_engine(config, dataset, run_dir=self.run_dir, verbose=int(self.verbose))
        record = model_record(
            result.model, dataset, epoch=result.epoch, step=result.step, reason=result.reason
        )
        self._adopt(result.model, result.config, record, samples.input_shape)
        self.seed_ = seed
        self.history_ = result.history
        self.pca_val_loss_ = result.pca_val_loss
        self.finished_reason_ = result.reason
        self.run_dir_ = None if self.run_dir is None else str(self.run_dir)
        return dataset.x

    def _check_kind(self, kind: Any) -> None:
        if kind == "gan" and "gan" not in self._kinds:
            raise ValueError(
                f"a GAN has no encoder, so {type(self).__name__} cannot use it; choose one of "
                f"{', '.join(self._kinds)} (AutoencoderOutlierDetector scores with a GAN's "
                "discriminator)"
            )

    def _adopt(
        self,
        model: nn.Module,
        config: RunConfig,
        record: ModelRecord,
        input_shape: tuple[int, ...],
    ) -> None:
        """Make ``model`` (trained on ``config``) this estimator's fitted model."""
        self.model_ = model.eval()
        self.config_ = config
        self.model_record_ = record
        self.normalization_: Normalization = record.normalization
        self.sample_shape_ = tuple(record.data.sample_shape)
        self.input_shape_ = tuple(input_shape)
        self.n_features_in_ = int(np.prod(self.sample_shape_))

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "model_")

    def __sklearn_tags__(self) -> Any:
        """scikit-learn's tags of this estimator."""
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.non_deterministic = False
        return tags

    # -- applying the model ------------------------------------------------------------------
    def _samples(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        return read_samples(self, X)

    def _apply(self, fn: Any, x: np.ndarray, width: int, *, normalized: bool = False) -> np.ndarray:
        return apply_batched(
            fn,
            x,
            device=model_device(self.model_),
            normalization=None if normalized else self.normalization_,
            width=width,
        )

    def _errors(self, x: np.ndarray, *, normalized: bool = False) -> np.ndarray:
        """Per-sample mean squared reconstruction error (normalised units), the anomaly score."""
        return self._apply(self.model_.scores, x, 0, normalized=normalized)

    @property
    def _n_features_out(self) -> int:
        return int(self.config_.model.latent)

    # -- models trained elsewhere ------------------------------------------------------------
    @classmethod
    def from_run(cls, path: str | Path, **params: Any) -> AutoencoderEstimator:
        """A fitted estimator from a run directory (``aeviewer train``, the GUI, ``run_dir=``)
        or a saved model (``model.json``, a ``.safetensors`` export with its ``.json``).

        Its parameters are the run's settings (``params`` override any, e.g. ``device="cpu"``
        or ``verbose=1``), so that :func:`sklearn.base.clone` and ``fit`` train the same model
        anew; wrap it in :class:`sklearn.frozen.FrozenEstimator` to keep it fitted inside a
        pipeline. Only JSON and safetensors are read.

        Raises
        ------
        ValueError
            When ``path`` is not a model aeviewer opens, or holds a family this estimator does
            not use.
        """
        from aeviewer.io.models import open_model
        from aeviewer.training.devices import resolve_device
        from aeviewer.training.rundir import read_metrics

        try:
            loaded = open_model(path)
        except AeviewerError as exc:
            raise ValueError(str(exc)) from None
        settings = params_from_config(loaded.config)
        settings.update(params)
        estimator = cls(**settings)
        estimator._check_kind(loaded.config.model.kind)
        try:
            device = resolve_device(str(estimator.device))
        except AeviewerError as exc:
            raise ValueError(str(exc)) from None
        record = loaded.record
        estimator._adopt(loaded.model.to(device), loaded.config, record, record.data.sample_shape)
        estimator.seed_ = loaded.config.train.seed
        is_run = Path(path).is_dir()
        estimator.history_ = read_metrics(path) if is_run else []
        estimator.pca_val_loss_ = None
        estimator.finished_reason_ = record.reason
        estimator.run_dir_ = str(path) if is_run else None
        return estimator

    def save(self, path: str | Path) -> Path:
        """Write the fitted model as a safetensors file and its ``.json`` description (what
        ``aeviewer export`` writes), which the GUI opens and :meth:`from_run` reads back.

        Returns
        -------
        Path
            The ``.safetensors`` file written.
        """
        from aeviewer.io.export import export_model
        from aeviewer.io.models import LoadedModel

        check_is_fitted(self)
        loaded = LoadedModel(self.model_, self.config_, self.model_record_)
        try:
            return export_model(loaded, path, format="safetensors").path
        except AeviewerError as exc:
            raise ValueError(str(exc)) from None

    def _training_data(self) -> Dataset:
        """The data the fitted model's run was trained on, prepared as the run prepared them."""
        from aeviewer.training.setup import load_prepared

        try:
            return load_prepared(self.config_.data)
        except AeviewerError as exc:
            raise ValueError(
                f"{exc} (the run's own data could not be loaded; pass X to set the threshold)"
            ) from None
