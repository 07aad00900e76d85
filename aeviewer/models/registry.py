"""The registry of model kinds: how each family is built from a :class:`ModelSpec`.

A family is a name, a one-line description and a builder. The command line's ``--model``
choices and the GUI's model list come from :data:`FAMILIES` (the names and descriptions live in
the torch-free :mod:`aeviewer.models.kinds`). Adding a family (stacked, vae, gan ...) means a
description there, a builder here and, if it trains differently, a trainer in
:mod:`aeviewer.training.trainers`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

from torch import nn

from aeviewer.config import ModelSpec, NoiseSpec, SparsitySpec
from aeviewer.errors import ConfigError
from aeviewer.limits import MEMORY_BUDGET_ENV, format_bytes, memory_budget
from aeviewer.models.autoencoder import Autoencoder
from aeviewer.models.conv import ConvDecoder, ConvEncoder, halved_size
from aeviewer.models.gan import build_gan
from aeviewer.models.heads import resolve_output, resolved_loss
from aeviewer.models.info import DataInfo
from aeviewer.models.kinds import MODEL_DESCRIPTIONS
from aeviewer.models.layers import mlp
from aeviewer.models.stacked import build_stacked
from aeviewer.models.vae import build_vae

#: Bytes of one float32 weight.
BYTES_PER_PARAMETER = 4


@dataclass(frozen=True)
class ModelFamily:
    """A kind of model: its name, a description for users, and its builder."""

    kind: str
    description: str
    build: Callable[[ModelSpec, DataInfo], nn.Module]


def _autoencoder(
    spec: ModelSpec,
    info: DataInfo,
    encoder: nn.Module,
    decoder: nn.Module,
    *,
    noise: NoiseSpec | None,
    sparsity: SparsitySpec | None,
) -> Autoencoder:
    """An autoencoder of ``encoder`` and ``decoder``; the code activation suits ``sparsity``."""
    output = resolve_output(spec, info)
    return Autoencoder(
        encoder,
        decoder,
        info=info,
        kind=spec.kind,
        loss=resolved_loss(spec, info, output),
        output=output,
        code_activation=_code_activation(sparsity, spec.l1_code),
        noise=noise,
        sparsity=sparsity,
    )


def _mlp_pair(spec: ModelSpec, info: DataInfo, act: str) -> tuple[nn.Module, nn.Module]:
    sizes = [info.n_features, *spec.hidden, spec.latent]
    return mlp(sizes, act), mlp(sizes[::-1], act)


def build_ae(spec: ModelSpec, info: DataInfo) -> Autoencoder:
    """A multilayer autoencoder (noise and sparsity honoured when the spec sets them)."""
    enc, dec = _mlp_pair(spec, info, spec.activation)
    return _autoencoder(spec, info, enc, dec, noise=spec.noise, sparsity=spec.sparsity)


def build_linear(spec: ModelSpec, info: DataInfo) -> Autoencoder:
    """The multilayer autoencoder without any non-linearity: it spans PCA's subspace."""
    if spec.sparsity is not None:
        raise ConfigError("a linear autoencoder takes no sparsity penalty; use the sparse model")
    enc, dec = _mlp_pair(spec, info, "identity")
    return _autoencoder(spec, info, enc, dec, noise=spec.noise, sparsity=None)


def build_conv(spec: ModelSpec, info: DataInfo) -> Autoencoder:
    """A convolutional autoencoder; image data only."""
    if not info.is_image:
        raise ConfigError(
            f"a convolutional autoencoder needs image data (C, H, W); this data set has "
            f"vectors of shape {list(info.sample_shape)}: choose ae instead"
        )
    shape = (info.sample_shape[0], info.sample_shape[1], info.sample_shape[2])
    enc = ConvEncoder(shape, spec.conv_channels, spec.latent, spec.activation)
    dec = ConvDecoder(shape, spec.conv_channels, spec.latent, spec.activation)
    return _autoencoder(spec, info, enc, dec, noise=spec.noise, sparsity=spec.sparsity)


def build_sparse(spec: ModelSpec, info: DataInfo) -> Autoencoder:
    """A multilayer autoencoder with a penalty on its code (L1 by default: ``ModelSpec`` writes
    the family's default out)."""
    enc, dec = _mlp_pair(spec, info, spec.activation)
    return _autoencoder(spec, info, enc, dec, noise=spec.noise, sparsity=spec.sparsity)


def build_denoising(spec: ModelSpec, info: DataInfo) -> Autoencoder:
    """A multilayer autoencoder that reconstructs clean inputs from corrupted ones (Gaussian
    noise by default: ``ModelSpec`` writes the family's default out)."""
    enc, dec = _mlp_pair(spec, info, spec.activation)
    return _autoencoder(spec, info, enc, dec, noise=spec.noise, sparsity=spec.sparsity)


def _code_activation(sparsity: SparsitySpec | None, l1_code: str) -> str:
    # L1 pushes positive codes towards zero (ModelSpec.l1_code says which kind); KL compares
    # firing rates, which need codes in (0, 1).
    if sparsity is None:
        return "identity"
    return l1_code if sparsity.kind == "l1" else "sigmoid"


_BUILDERS: dict[str, Callable[[ModelSpec, DataInfo], nn.Module]] = {
    "ae": build_ae,
    "linear": build_linear,
    "conv": build_conv,
    "sparse": build_sparse,
    "denoising": build_denoising,
    "stacked": build_stacked,
    "vae": build_vae,
    "gan": build_gan,
}

FAMILIES: dict[str, ModelFamily] = {
    kind: ModelFamily(kind, description, _BUILDERS[kind])
    for kind, description in MODEL_DESCRIPTIONS.items()
}


def model_kinds() -> tuple[str, ...]:
    """The kinds that can be built now, in registry order."""
    return tuple(FAMILIES)


def build_model(spec: ModelSpec, info: DataInfo) -> nn.Module:
    """Build the model ``spec`` describes for data described by ``info``.

    The size is estimated first (:func:`estimate_parameters`), so a description that asks for
    layers no machine can hold is refused before anything is allocated.

    Raises
    ------
    ConfigError
        For a kind that is not available, sizes or options that do not fit the data, or a model
        too large for the memory this machine can spare.
    """
    family = FAMILIES.get(spec.kind)
    if family is None:
        raise ConfigError(
            f"model kind {spec.kind!r} is not available; choose one of {', '.join(FAMILIES)}"
        )
    check_model_size(spec, info)
    return family.build(spec, info)


def check_model_size(spec: ModelSpec, info: DataInfo) -> None:
    """Raise a ConfigError when the model's weights would not fit the memory budget."""
    n = estimate_parameters(spec, info)
    needed, budget = n * BYTES_PER_PARAMETER, memory_budget()
    if needed > budget:
        raise ConfigError(
            f"a model of kind {spec.kind} with {n:,} parameters for samples of shape "
            f"{list(info.sample_shape)} would need {format_bytes(needed)} of memory for its "
            f"weights alone, more than the {format_bytes(budget)} this machine can spare "
            f"({MEMORY_BUDGET_ENV} sets the limit); refused"
        )


def estimate_parameters(spec: ModelSpec, info: DataInfo) -> int:
    """The number of parameters the model of ``spec`` has on ``info``'s data, without building it.

    Plain integer arithmetic on the sizes (no tensor is made), so an absurd description costs
    nothing to check. It matches :func:`count_parameters` of the built model.
    """
    d, k, hidden = info.n_features, spec.latent, list(spec.hidden)
    if spec.kind == "conv" and info.is_image:
        c, h, w = info.sample_shape
        return _conv_encoder(c, h, w, spec.conv_channels, k) + _conv_decoder(
            c, h, w, spec.conv_channels, k
        )
    if spec.kind == "gan":
        if info.is_image:
            c, h, w = info.sample_shape
            return _gan_generator(c, h, w, spec.conv_channels, k) + _conv_encoder(
                c, h, w, spec.conv_channels, 1
            )
        return _mlp([k, *reversed(hidden), d]) + _mlp([d, *hidden, 1])
    if spec.kind == "vae":
        n_body = hidden[-1] if hidden else d
        heads = 2 * (n_body * k + k)
        return _mlp([d, *hidden]) + heads + _mlp([k, *reversed(hidden), d])
    sizes = [d, *hidden, k]
    return _mlp(sizes) + _mlp(sizes[::-1])


def _mlp(sizes: list[int]) -> int:
    return sum(a * b + b for a, b in itertools.pairwise(sizes))


def _grid(h: int, w: int, channels: tuple[int, ...]) -> int:
    n = len(channels)
    return channels[-1] * halved_size(h, n) * halved_size(w, n)


def _conv_encoder(c: int, h: int, w: int, channels: tuple[int, ...], out: int) -> int:
    ins = [c, *channels[:-1]]
    convs = sum(a * b * 9 + b for a, b in zip(ins, channels, strict=True))
    return convs + _grid(h, w, channels) * out + out


def _deconvs(c: int, channels: tuple[int, ...]) -> tuple[int, list[int]]:
    outs = [*reversed(channels[:-1]), c]
    ins = [channels[-1], *outs[:-1]]
    return sum(a * b * 16 + b for a, b in zip(ins, outs, strict=True)), outs


def _conv_decoder(c: int, h: int, w: int, channels: tuple[int, ...], latent: int) -> int:
    grid = _grid(h, w, channels)
    return latent * grid + grid + _deconvs(c, channels)[0]


def _gan_generator(c: int, h: int, w: int, channels: tuple[int, ...], latent: int) -> int:
    grid = _grid(h, w, channels)
    deconvs, outs = _deconvs(c, channels)
    # Batch norms: after the head (grid features) and after every deconvolution but the last.
    return latent * grid + grid + 2 * grid + deconvs + sum(2 * n for n in outs[:-1])


def count_parameters(model: nn.Module) -> int:
    """Number of trainable parameters."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
