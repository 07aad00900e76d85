"""Setting up a run: data, split, device, model, trainer and the PCA baseline."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from aeviewer.config import DataSpec, RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.data.mapped import is_mapped, release_pages
from aeviewer.errors import ConfigError
from aeviewer.models.info import DataInfo
from aeviewer.models.pca import PCA, RANDOMIZED_ABOVE
from aeviewer.models.registry import build_model, count_parameters
from aeviewer.training.devices import resolve_device, resolve_precision
from aeviewer.training.distributed import Distributed
from aeviewer.training.events import Started
from aeviewer.training.family_snapshots import snapshotter_class
from aeviewer.training.schedule import resolved_config
from aeviewer.training.snapshots import Snapshotter
from aeviewer.training.splits import training_split
from aeviewer.training.streaming import MappedRows, data_workers
from aeviewer.training.trainers import EVAL_BATCH, Trainer, make_trainer


def load_prepared(spec: DataSpec) -> Dataset:
    """Load ``spec.source`` (labels as ``spec.label_column`` says) and prepare it
    (normalisation, limit) as training expects; a float32 ``.npy`` file or an uncompressed IDX
    file is memory-mapped when ``spec.storage`` asks for streaming or, with ``auto``, when its
    samples as float32 are larger than 1 GiB (see :mod:`aeviewer.data.storage`)."""
    from aeviewer.data import load_source, prepare
    from aeviewer.data.storage import streamed_dataset

    mapped = streamed_dataset(spec)
    if mapped is not None:
        return prepare(mapped, spec)
    return prepare(load_source(spec.source, label_column=spec.label_column), spec)


#: Training samples a streamed data set's PCA baseline is fitted on (a seeded sample).
PCA_SAMPLE = 20_000


def streamed_baseline(
    x_train: MappedRows, x_val: MappedRows | None, latent: int, seed: int
) -> tuple[PCA, int, float, str]:
    """PCA of a seeded sample of a streamed training split, its components, its validation
    error (over the whole validation split, in chunks) and a note saying so."""
    sample = x_train.sample(PCA_SAMPLE, seed)
    release_pages(x_train.x)
    n, d = sample.shape
    k = min(latent, n, d)
    if k < min(n, d) // 4:
        # Randomised: an exact SVD's workspace would be the largest allocation of the run.
        pca = PCA.fit(sample, k, method="randomized", seed=seed)
    else:
        pca, k = fit_baseline(sample, latent, seed)
    with torch.no_grad():
        if x_val is None:
            val = pca.fitted_mse(k)
        else:
            total = 0.0
            for i in range(0, len(x_val), EVAL_BATCH):
                chunk = x_val[i : i + EVAL_BATCH]
                total += pca.reconstruction_mse(chunk, k) * chunk.shape[0]
            val = total / len(x_val)
            release_pages(x_val.x)
    note = (
        f"the data are streamed from disk; the PCA baseline is fitted on a seeded sample of "
        f"{sample.shape[0]:,} of the {len(x_train):,} training samples"
    )
    return pca, k, val, note


def fit_baseline(x_train: torch.Tensor, latent: int, seed: int) -> tuple[PCA, int]:
    """PCA of the training split and its number of components (the latent size, at most rank).

    Exact SVD (the full spectrum) unless the data are large, then randomised with ``k`` axes.
    """
    n, d = x_train.shape
    k = min(latent, n, d)
    if n * d > RANDOMIZED_ABOVE and k < min(n, d) // 4:
        return PCA.fit(x_train, k, method="randomized", seed=seed), k
    return PCA.fit(x_train, None, method="exact"), k


@dataclass
class RunSetup:
    """Everything the loop needs, built from a config and a data set."""

    config: RunConfig
    dataset: Dataset
    device: torch.device
    model: nn.Module
    trainer: Trainer
    train_indices: np.ndarray
    val_indices: np.ndarray
    #: The training split: a tensor on the device, or a streamed data set's MappedRows.
    x_train: torch.Tensor | MappedRows
    x_val: torch.Tensor | MappedRows | None
    pca: PCA
    pca_k: int
    pca_val_loss: float
    snapshotter: Snapshotter
    shuffle: torch.Generator
    warnings: tuple[str, ...]
    #: Data-parallel training's process group (None in a single process).
    distributed: Distributed | None = None

    def started(self) -> Started:
        """The :class:`Started` event of this run."""
        train = self.config.train
        n_train = int(self.x_train.shape[0])
        ev = self.pca.explained_variance.cpu().numpy()
        ev.flags.writeable = False
        return Started(
            config=self.config,
            device=str(self.device),
            n_train=n_train,
            n_val=0 if self.x_val is None else int(self.x_val.shape[0]),
            n_batches=-(-n_train // train.batch_size),
            n_parameters=count_parameters(self.model),
            stages=self.trainer.stages(),
            pca_val_loss=self.pca_val_loss,
            pca_explained_variance=ev,
            warnings=self.warnings,
            n_features=self.dataset.n_features,
        )


class SetupStopped(Exception):
    """A stop was requested while the run was being set up."""


#: The steps of a run's set-up, in order: loading the data, building the model, fitting the PCA
#: baseline, choosing the snapshot samples, and (in the loop) fingerprinting the data.
SETUP_STEPS: tuple[str, ...] = ("data", "model", "baseline", "snapshots", "fingerprint")


def set_up(
    config: RunConfig,
    dataset: Dataset | None = None,
    stop_requested: Callable[[], bool] = lambda: False,
    distributed: Distributed | None = None,
    on_step: Callable[[int, int, str], None] | None = None,
) -> RunSetup:
    """Build a run; ``dataset`` None loads and prepares ``config.data.source``.

    With ``distributed`` the run is one rank of a data-parallel run on that group's device;
    the trainer is not wrapped yet (see :meth:`Trainer.distribute`), so that set-up needs no
    collective call and an error on one rank can be shared first.

    ``stop_requested`` is asked between the steps (data, model, baseline, snapshot samples);
    when it answers True, :class:`SetupStopped` is raised. ``on_step(index, total, step)`` is
    told each step of :data:`SETUP_STEPS` as it begins.

    Raises
    ------
    ConfigError, DatasetError, DeviceError
        For a config that does not fit the data, data that fail to load, a missing device.
    SetupStopped
        When a stop was requested.
    """

    def check() -> None:
        if stop_requested():
            raise SetupStopped

    def step(name: str) -> None:
        check()
        if on_step is not None:
            on_step(SETUP_STEPS.index(name), len(SETUP_STEPS), name)

    step("data")
    if dataset is None:
        dataset = load_prepared(config.data)
    step("model")
    device = resolve_device(config.train.device)
    if distributed is not None:
        check_distributable(config, distributed.world_size)
        if device.type != distributed.device.type:
            raise ConfigError(
                f"the run's device {device} is not the process group's {distributed.device}"
            )
        device = distributed.device
    train_idx, val_idx = training_split(dataset, config.data)
    # Automatic epochs, warm-up and patience depend on the size of the training split.
    config = resolved_config(config, int(train_idx.size), bool(val_idx.size))
    autocast_dtype, precision_note = resolve_precision(config.train.precision, device)
    seed = config.train.seed
    info = DataInfo.from_dataset(dataset)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = build_model(config.model, info)
    model.to(device)
    generator = torch.Generator(device=device).manual_seed(seed + 1)
    trainer = make_trainer(model, config, generator, autocast_dtype)
    streamed_note = ""
    step("baseline")
    if is_mapped(dataset.x):
        local = distributed.launch.local_world_size if distributed is not None else 1
        workers = data_workers(config.data.workers, dataset.x, local)
        x_train = MappedRows(dataset.x, train_idx, device, dataset.source, workers)
        x_val = MappedRows(dataset.x, val_idx, device, dataset.source) if val_idx.size else None
        pca, k, pca_val, streamed_note = streamed_baseline(
            x_train, x_val, config.model.latent, seed
        )
    else:
        x_train = torch.from_numpy(dataset.x[train_idx]).to(device)
        x_val = torch.from_numpy(dataset.x[val_idx]).to(device) if val_idx.size else None
        check()
        pca, k = fit_baseline(x_train, config.model.latent, seed)
        with torch.no_grad():
            pca_val = pca.reconstruction_mse(x_val, k) if x_val is not None else pca.fitted_mse(k)
    step("snapshots")
    snapshotter = snapshotter_class(config.model.kind)(
        dataset,
        pca,
        k,
        device,
        n_eval=config.train.n_eval,
        n_recon=config.train.n_recon,
        seed=seed,
        noisy_from=model,
    )
    notes = (config.model.identity_warning(dataset.n_features), precision_note, streamed_note)
    warnings = tuple(w for w in notes if w)
    return RunSetup(
        config=config,
        dataset=dataset,
        device=device,
        model=model,
        trainer=trainer,
        train_indices=train_idx,
        val_indices=val_idx,
        x_train=x_train,
        x_val=x_val,
        pca=pca,
        pca_k=k,
        pca_val_loss=pca_val,
        snapshotter=snapshotter,
        shuffle=torch.Generator().manual_seed(seed),
        warnings=warnings,
        distributed=distributed,
    )


def check_distributable(config: RunConfig, world_size: int) -> None:
    """Raise a ConfigError when ``config`` cannot train on ``world_size`` processes: the batch
    size is global, so each process needs at least one sample of every batch."""
    batch = config.train.batch_size
    if batch < world_size:
        raise ConfigError(
            f"batch size {batch} is smaller than the {world_size} processes; the batch size is "
            f"global (split across processes), so use --batch-size {world_size} or more"
        )
