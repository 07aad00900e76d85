"""Convolutional encoder and decoder for images of any size.

Stride-2 convolutions halve the image (rounding up) down to a small feature map, a linear layer
maps it to the code; the decoder mirrors this with stride-2 transposed convolutions that double
the size, and crops the result to the input's height and width. The GAN's DCGAN pair
(:mod:`aeviewer.models.gan`) builds its stacks with the same functions, its own layers between.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn

from aeviewer.models.layers import activation


def halved_size(size: int, times: int) -> int:
    """``size`` after ``times`` stride-2 convolutions (3x3, padding 1): halved, rounded up."""
    for _ in range(times):
        size = (size + 1) // 2
    return size


def downsampling_convs(
    in_channels: int, channels: Sequence[int], make_activation: Callable[[], nn.Module]
) -> nn.Sequential:
    """Stride-2 3x3 convolutions through ``channels``, each followed by an activation.

    Each halves the grid (see :func:`halved_size`).
    """
    layers: list[nn.Module] = []
    for n_out in channels:
        layers += [nn.Conv2d(in_channels, n_out, 3, stride=2, padding=1), make_activation()]
        in_channels = n_out
    return nn.Sequential(*layers)


def upsampling_convs(
    channels: Sequence[int],
    out_channels: int,
    make_between: Callable[[int], list[nn.Module]],
) -> nn.Sequential:
    """Stride-2 4x4 transposed convolutions from ``channels[-1]`` back to ``out_channels``.

    They mirror :func:`downsampling_convs`: each doubles the grid, and ``make_between(n)``
    gives the layers after each one but the last (``n`` is its number of output channels).
    """
    layers: list[nn.Module] = []
    outs = [*reversed(channels[:-1]), out_channels]
    n_in = channels[-1]
    for i, n_out in enumerate(outs):
        layers.append(nn.ConvTranspose2d(n_in, n_out, 4, stride=2, padding=1))
        if i < len(outs) - 1:
            layers += make_between(n_out)
        n_in = n_out
    return nn.Sequential(*layers)


def cropped_images(images: torch.Tensor, sample_shape: tuple[int, int, int]) -> torch.Tensor:
    """Upsampled ``images`` cropped to ``sample_shape``'s height and width, flattened."""
    _, h, w = sample_shape
    return images[:, :, :h, :w].flatten(1)


class ConvEncoder(nn.Module):
    """Flattened images ``(B, C*H*W)`` -> codes ``(B, latent)``."""

    def __init__(
        self, sample_shape: tuple[int, int, int], channels: Sequence[int], latent: int, act: str
    ) -> None:
        super().__init__()
        c, h, w = sample_shape
        self.sample_shape = sample_shape
        self.convs = downsampling_convs(c, channels, lambda: activation(act))
        n_flat = channels[-1] * halved_size(h, len(channels)) * halved_size(w, len(channels))
        self.head = nn.Linear(n_flat, latent)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Encode a batch."""
        images = x.reshape(x.shape[0], *self.sample_shape)
        return self.head(self.convs(images).flatten(1))


class ConvDecoder(nn.Module):
    """Codes ``(B, latent)`` -> flattened images ``(B, C*H*W)`` before the output layer."""

    def __init__(
        self, sample_shape: tuple[int, int, int], channels: Sequence[int], latent: int, act: str
    ) -> None:
        super().__init__()
        c, h, w = sample_shape
        self.sample_shape = sample_shape
        n = len(channels)
        self.grid = (channels[-1], halved_size(h, n), halved_size(w, n))
        self.head = nn.Sequential(nn.Linear(latent, self.grid[0] * self.grid[1] * self.grid[2]))
        self.head.append(activation(act))
        self.deconvs = upsampling_convs(channels, c, lambda _: [activation(act)])

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Decode a batch."""
        grid = self.head(z).reshape(z.shape[0], *self.grid)
        return cropped_images(self.deconvs(grid), self.sample_shape)
