"""Evaluating a trained model against the PCA baseline on the run's validation split.

The reported numbers:

- ``model_mse`` and ``pca_mse``: mean squared error per value on the validation split (the
  normal class's validation samples in a one-class run), PCA fitted on the training split with
  as many components as the model has latents; ``mse_ratio`` is model / PCA.
- ``model_auc`` and ``pca_auc`` (labelled data with a normal class only): ROC AUC of anomaly
  detection by reconstruction error, the normal class's validation samples as negatives and
  every sample of the other classes as positives (training never saw any of those).
- For a VAE also ``neg_elbo``, ``recon`` and ``kl``; a GAN, which reconstructs nothing, gets the
  sample statistics of :mod:`aeviewer.training.family_evaluation` instead.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import torch
from torch import nn

from aeviewer.analysis.metrics import mse_ratio, roc_auc
from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.errors import RunError
from aeviewer.training.devices import resolve_device
from aeviewer.training.family_evaluation import evaluate_gan, vae_terms
from aeviewer.training.rundir import load_model
from aeviewer.training.setup import fit_baseline, load_prepared
from aeviewer.training.snapshots import batched
from aeviewer.training.splits import anomaly_split, training_split


def evaluate_model(
    model: nn.Module, config: RunConfig, dataset: Dataset, device: str = "cpu"
) -> dict[str, Any]:
    """Compare ``model`` with PCA of the same size on ``dataset`` split as ``config`` says."""
    dev = resolve_device(device)
    model = model.to(dev).eval()
    train_idx, val_idx = training_split(dataset, config.data)
    held_out = val_idx if val_idx.size else train_idx
    if config.model.kind == "gan":
        # A GAN reconstructs nothing: its numbers compare its samples with the data.
        report = evaluate_gan(model, dataset, train_idx, held_out, config.train.seed)
        return {
            "kind": "gan",
            "latent": config.model.latent,
            "n_train": int(train_idx.size),
            "n_val": int(val_idx.size),
            **report,
        }
    x_train = torch.from_numpy(dataset.x[train_idx]).to(dev)
    x_val = torch.from_numpy(dataset.x[held_out]).to(dev)
    pca, k = fit_baseline(x_train, config.model.latent, config.train.seed)
    with torch.no_grad():
        model_mse = float(batched(model.scores, x_val).mean())
        pca_mse = pca.reconstruction_mse(x_val, k)
    result: dict[str, Any] = {
        "kind": config.model.kind,
        "latent": config.model.latent,
        "pca_components": k,
        "n_train": int(train_idx.size),
        "n_val": int(val_idx.size),
        "model_mse": model_mse,
        "pca_mse": pca_mse,
        "mse_ratio": mse_ratio(model_mse, pca_mse, pca.total_variance / pca.n_features),
    }
    if config.model.kind == "vae":
        result.update(vae_terms(model, x_val, config.train.seed))
    if config.data.normal_class is not None and dataset.labels is not None:
        indices, is_anomaly = anomaly_split(dataset, config.data)
        x_eval = torch.from_numpy(dataset.x[indices]).to(dev)
        with torch.no_grad():
            model_scores = batched(model.scores, x_eval).cpu().numpy()
            pca_scores = batched(lambda b: pca.sample_errors(b, k), x_eval).cpu().numpy()
        result.update(
            normal_class=config.data.normal_class,
            n_anomaly_eval=int(indices.size),
            model_auc=roc_auc(model_scores, is_anomaly),
            pca_auc=roc_auc(pca_scores, is_anomaly),
        )
    return result


def evaluate_run(
    run_dir: str | Path,
    data_source: str | None = None,
    device: str = "cpu",
    *,
    label_column: str | None = None,
    no_labels: bool = False,
) -> dict[str, Any]:
    """Load the model of ``run_dir`` and evaluate it on its data (or ``data_source``).

    The labels come from where the run found them, or from ``label_column`` when given, or
    from nowhere with ``no_labels``.

    Raises
    ------
    RunError
        When ``run_dir`` holds no model, or the data do not fit it.
    """
    model, config, record = load_model(run_dir)
    spec = config.data if data_source is None else replace(config.data, source=data_source)
    if no_labels or label_column is not None:
        spec = replace(spec, label_column=None if no_labels else label_column)
    dataset = load_prepared(spec)
    if tuple(dataset.sample_shape) != record.data.sample_shape:
        raise RunError(
            f"{spec.source}: samples of shape {list(dataset.sample_shape)} do not fit the model "
            f"of {run_dir}, trained on shape {list(record.data.sample_shape)}"
        )
    result = evaluate_model(model, config, dataset, device)
    return {"run": str(run_dir), "data": spec.source, "epoch": record.epoch, **result}
