"""Small building blocks: activations by name, multilayer perceptrons, the output layer."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import torch
from torch import nn

from aeviewer.errors import ConfigError

_ACTIVATIONS: dict[str, type[nn.Module]] = {
    "relu": nn.ReLU,
    "leaky_relu": nn.LeakyReLU,
    "elu": nn.ELU,
    "gelu": nn.GELU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "identity": nn.Identity,
}


def activation(name: str) -> nn.Module:
    """A fresh activation module for ``name`` (``identity`` for none)."""
    try:
        return _ACTIVATIONS[name]()
    except KeyError:
        raise ConfigError(
            f"unknown activation {name!r}; choose one of {', '.join(_ACTIVATIONS)}"
        ) from None


def mlp(sizes: Sequence[int], hidden_activation: str) -> nn.Sequential:
    """Linear layers through ``sizes``, ``hidden_activation`` between them and none after."""
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        layers.append(nn.Linear(n_in, n_out))
        if i < len(sizes) - 2 and hidden_activation != "identity":
            layers.append(activation(hidden_activation))
    return nn.Sequential(*layers)


def apply_output(raw: torch.Tensor, output: str) -> torch.Tensor:
    """The output layer ``output`` (``sigmoid`` or ``identity``) applied to ``raw``."""
    return torch.sigmoid(raw) if output == "sigmoid" else raw
