"""The stacked autoencoder: a deep autoencoder built to be pre-trained one layer at a time.

The encoder is a stack of blocks ``Linear -> activation`` (the last block, the code, has no
activation); the decoder mirrors it, each block ending in the activation of the layer it
reconstructs, and the outermost in the model's output layer. Encoder block ``k`` and decoder
block ``k`` together form the shallow autoencoder of layer ``k``: it reconstructs the codes of
layer ``k - 1`` (the data for the first layer). Greedy pre-training trains these shallow
autoencoders one after the other (see :class:`~aeviewer.training.stacked_trainer.StackedTrainer`);
fine-tuning then trains the whole stack as an ordinary :class:`Autoencoder`.
"""

from __future__ import annotations

import itertools

import torch
from torch import nn

from aeviewer.config import ModelSpec
from aeviewer.errors import ConfigError
from aeviewer.models.autoencoder import Autoencoder
from aeviewer.models.heads import resolve_output, resolved_loss
from aeviewer.models.info import DataInfo
from aeviewer.models.layers import activation


class StackedAutoencoder(Autoencoder):
    """An :class:`Autoencoder` whose encoder and decoder are ``nn.Sequential`` stacks of blocks.

    ``encoder[k]`` maps layer ``k``'s input to its code; ``decoder[-1 - k]`` maps the code back.
    """

    encoder: nn.Sequential
    decoder: nn.Sequential

    @property
    def n_layers(self) -> int:
        """Number of layers, i.e. of shallow autoencoders pre-trained one after the other."""
        return len(self.encoder)

    def layer_input(self, x: torch.Tensor, layer: int) -> torch.Tensor:
        """What layer ``layer`` (0-based) encodes: the codes of the layers below it."""
        h = x
        for block in self.encoder[:layer]:
            h = block(h)
        return h

    def layer_parameters(self, layer: int) -> list[nn.Parameter]:
        """Parameters of the shallow autoencoder of ``layer``: its encoder and decoder block."""
        return [*self.encoder[layer].parameters(), *self.decoder[-1 - layer].parameters()]

    def layer_reconstruction(self, h: torch.Tensor, layer: int) -> torch.Tensor:
        """The shallow autoencoder of ``layer`` applied to its input ``h``.

        For the first layer the result is the output layer's input (logits for a sigmoid
        output), so that the model's own loss applies; for the others it is the reconstructed
        code, already through its activation.
        """
        return self.decoder[-1 - layer](self.encoder[layer](h))


def build_stacked(spec: ModelSpec, info: DataInfo) -> StackedAutoencoder:
    """A stacked autoencoder through ``[D, *hidden, latent]`` with ``spec.activation``.

    Raises
    ------
    ConfigError
        For a sparsity penalty (not defined layer by layer) or a loss that does not fit.
    """
    if not spec.hidden:
        raise ConfigError("a stacked autoencoder needs at least one hidden layer (--hidden)")
    if spec.sparsity is not None:
        raise ConfigError(
            "a stacked autoencoder takes no sparsity penalty; use the sparse model instead"
        )
    output = resolve_output(spec, info)
    loss = resolved_loss(spec, info, output)
    sizes = [info.n_features, *spec.hidden, spec.latent]
    n = len(sizes) - 1
    encoder = nn.Sequential()
    decoder = nn.Sequential()
    for k, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        code_act = "identity" if k == n - 1 else spec.activation
        encoder.append(nn.Sequential(nn.Linear(n_in, n_out), activation(code_act)))
    for k in reversed(range(n)):
        # Decoder block k reconstructs layer k's input: an activated code, or the output logits.
        block = nn.Sequential(nn.Linear(sizes[k + 1], sizes[k]))
        if k > 0:
            block.append(activation(spec.activation))
        decoder.append(block)
    return StackedAutoencoder(
        encoder,
        decoder,
        info=info,
        kind=spec.kind,
        loss=loss,
        output=output,
        noise=spec.noise,
    )
