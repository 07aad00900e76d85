"""The output layer and the reconstruction loss a spec resolves to, for every family.

One place for the rule that binary cross-entropy needs a sigmoid output: the registry and the
family modules (GAN, stacked, VAE) all import it from here, below them, rather than from the
registry that imports them.
"""

from __future__ import annotations

from aeviewer.config import ModelSpec
from aeviewer.errors import ConfigError
from aeviewer.models.info import DataInfo
from aeviewer.models.losses import resolve_loss


def resolve_output(spec: ModelSpec, info: DataInfo) -> str:
    """The output layer: ``auto`` is sigmoid for data in [0, 1], identity otherwise."""
    if spec.kind == "linear":
        if spec.output == "sigmoid":
            raise ConfigError("a linear autoencoder has an identity output; choose output auto")
        return "identity"
    if spec.output == "auto":
        return "sigmoid" if info.in_unit_interval else "identity"
    return spec.output


def resolved_loss(spec: ModelSpec, info: DataInfo, output: str) -> str:
    """The concrete loss of ``spec`` on data ``info`` with output layer ``output``; raises
    ConfigError when they do not fit (binary cross-entropy without a sigmoid output)."""
    loss = resolve_loss(spec.loss, info.in_unit_interval)
    if loss == "bce" and output != "sigmoid":
        raise ConfigError(
            f"binary cross-entropy needs a sigmoid output; the {spec.kind} model has none "
            "(choose output auto)"
        )
    return loss
