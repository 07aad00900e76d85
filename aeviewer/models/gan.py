"""The generative adversarial network: a generator and a discriminator.

The generator maps noise ``z ~ N(0, I)`` (the latent size is the noise dimension) to flattened
samples ``(B, D)``; the discriminator maps samples to one logit each (``D(x) = sigmoid(logit)``,
the probability that ``x`` is real). Vector data get a pair of MLPs; images get a small
DCGAN-style pair: stride-2 3x3 convolutions (halving the size, rounded up) with leaky ReLUs in
the discriminator, stride-2 transposed convolutions with batch norm and ReLUs in the generator,
cropped to any image size.
The generator's output layer matches the data: sigmoid for data in [0, 1], identity otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from aeviewer.config import ModelSpec
from aeviewer.models.conv import (
    cropped_images,
    downsampling_convs,
    halved_size,
    upsampling_convs,
)
from aeviewer.models.heads import resolve_output
from aeviewer.models.info import DataInfo
from aeviewer.models.layers import apply_output, mlp
from aeviewer.models.noise import NoiseSource, randn

#: Slope of the discriminator's leaky ReLUs (the DCGAN value).
LEAK = 0.2


class ConvGenerator(nn.Module):
    """Noise ``(B, latent)`` -> flattened images ``(B, C*H*W)`` before the output layer."""

    def __init__(
        self, sample_shape: tuple[int, int, int], channels: Sequence[int], latent: int
    ) -> None:
        super().__init__()
        c, h, w = sample_shape
        n = len(channels)
        self.sample_shape = sample_shape
        self.grid = (channels[-1], halved_size(h, n), halved_size(w, n))
        n_grid = self.grid[0] * self.grid[1] * self.grid[2]
        self.head = nn.Sequential(nn.Linear(latent, n_grid), nn.BatchNorm1d(n_grid), nn.ReLU())
        self.deconvs = upsampling_convs(channels, c, lambda n: [nn.BatchNorm2d(n), nn.ReLU()])

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Generate a batch."""
        grid = self.head(z).reshape(z.shape[0], *self.grid)
        return cropped_images(self.deconvs(grid), self.sample_shape)


class ConvDiscriminator(nn.Module):
    """Flattened images ``(B, C*H*W)`` -> logits ``(B, 1)``."""

    def __init__(self, sample_shape: tuple[int, int, int], channels: Sequence[int]) -> None:
        super().__init__()
        c, h, w = sample_shape
        self.sample_shape = sample_shape
        self.convs = downsampling_convs(c, channels, lambda: nn.LeakyReLU(LEAK))
        n = len(channels)
        self.head = nn.Linear(channels[-1] * halved_size(h, n) * halved_size(w, n), 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Score a batch."""
        images = x.reshape(x.shape[0], *self.sample_shape)
        return self.head(self.convs(images).flatten(1))


class GAN(nn.Module):
    """A generator and a discriminator on flattened samples ``(B, D)``.

    Parameters
    ----------
    generator
        ``(B, latent) -> (B, D)`` before the output layer.
    discriminator
        ``(B, D) -> (B, 1)`` logits.
    latent
        The noise dimension.
    info
        The data the model is built for.
    output
        The generator's output layer: ``identity`` or ``sigmoid``.
    """

    kind = "gan"
    #: A GAN has no reconstruction loss; saved models record this.
    loss_name = "adversarial"

    def __init__(
        self,
        generator: nn.Module,
        discriminator: nn.Module,
        *,
        latent: int,
        info: DataInfo,
        output: str,
    ) -> None:
        super().__init__()
        self.generator = generator
        self.discriminator = discriminator
        self.latent = latent
        self.info = info
        self.output = output

    def sample_noise(self, n: int, generator: NoiseSource = None) -> torch.Tensor:
        """``n`` noise vectors ``z ~ N(0, I)`` on this model's device."""
        device = next(self.generator.parameters()).device
        return randn((n, self.latent), generator, device)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Samples ``(B, D)`` generated from noise ``z``."""
        return apply_output(self.generator(z), self.output)

    def generate(self, n: int, generator: NoiseSource = None) -> torch.Tensor:
        """``n`` new samples from fresh noise."""
        return self.decode(self.sample_noise(n, generator))

    def discriminate(self, x: torch.Tensor) -> torch.Tensor:
        """The discriminator's logits ``(B,)``: ``sigmoid`` of them is ``D(x)``."""
        return self.discriminator(x).squeeze(1)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Generate from noise ``z`` (the generator is the model a user exports)."""
        return self.decode(z)


def build_gan(spec: ModelSpec, info: DataInfo) -> GAN:
    """An MLP pair for vector data, a DCGAN-style pair (``spec.conv_channels``) for images.

    The MLP generator runs through ``[latent, *reversed(hidden), D]`` with ``spec.activation``;
    the MLP discriminator through ``[D, *hidden, 1]`` with leaky ReLUs.
    """
    output = resolve_output(spec, info)
    if info.is_image:
        shape = (info.sample_shape[0], info.sample_shape[1], info.sample_shape[2])
        generator: nn.Module = ConvGenerator(shape, spec.conv_channels, spec.latent)
        discriminator: nn.Module = ConvDiscriminator(shape, spec.conv_channels)
    else:
        generator = mlp([spec.latent, *reversed(spec.hidden), info.n_features], spec.activation)
        discriminator = _mlp_discriminator([info.n_features, *spec.hidden, 1])
    return GAN(generator, discriminator, latent=spec.latent, info=info, output=output)


def _mlp_discriminator(sizes: Sequence[int]) -> nn.Sequential:
    net = mlp(sizes, "identity")
    layers: list[nn.Module] = []
    for i, layer in enumerate(net):
        layers.append(layer)
        if i < len(net) - 1:
            layers.append(nn.LeakyReLU(LEAK))
    return nn.Sequential(*layers)
