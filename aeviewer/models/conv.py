"""Convolutional encoder and decoder for images of any size.

Stride-2 convolutions halve the image (rounding up) down to a small feature map, a linear layer
maps it to the code; the decoder mirrors this with stride-2 transposed convolutions that double
the size, and crops the result to the input's height and width.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn

from aeviewer.models.layers import activation


def halved_size(size: int, times: int) -> int:
    """``size`` after ``times`` stride-2 convolutions (3x3, padding 1): halved, rounded up."""
    for _ in range(times):
        size = (size + 1) // 2
    return size


class ConvEncoder(nn.Module):
    """Flattened images ``(B, C*H*W)`` -> codes ``(B, latent)``."""

    def __init__(
        self, sample_shape: tuple[int, int, int], channels: Sequence[int], latent: int, act: str
    ) -> None:
        super().__init__()
        c, h, w = sample_shape
        self.sample_shape = sample_shape
        layers: list[nn.Module] = []
        for n_out in channels:
            layers += [nn.Conv2d(c, n_out, 3, stride=2, padding=1), activation(act)]
            c = n_out
        self.convs = nn.Sequential(*layers)
        n_flat = c * halved_size(h, len(channels)) * halved_size(w, len(channels))
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
        layers: list[nn.Module] = []
        outs = [*reversed(channels[:-1]), c]
        n_in = channels[-1]
        for i, n_out in enumerate(outs):
            layers.append(nn.ConvTranspose2d(n_in, n_out, 4, stride=2, padding=1))
            if i < len(outs) - 1:
                layers.append(activation(act))
            n_in = n_out
        self.deconvs = nn.Sequential(*layers)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Decode a batch."""
        grid = self.head(z).reshape(z.shape[0], *self.grid)
        _, h, w = self.sample_shape
        return self.deconvs(grid)[:, :, :h, :w].flatten(1)
