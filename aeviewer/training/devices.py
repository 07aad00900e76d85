"""Compute devices: what this machine has, and turning a name into a ``torch.device``."""

from __future__ import annotations

import torch

from aeviewer.errors import DeviceError


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def available_devices() -> list[str]:
    """Usable devices, best first: every CUDA GPU, then MPS, then the CPU."""
    devices = (
        [f"cuda:{i}" for i in range(torch.cuda.device_count())] if torch.cuda.is_available() else []
    )
    if _mps_available():
        devices.append("mps")
    devices.append("cpu")
    return devices


def resolve_device(name: str) -> torch.device:
    """The device for ``name``: ``auto`` (CUDA, then MPS, then CPU), ``cpu``, ``cuda[:N]``, ``mps``.

    Raises
    ------
    DeviceError
        For a name that is not a device, or a device this machine does not have.
    """
    text = name.strip().lower()
    available = available_devices()
    if text == "auto":
        return torch.device(available[0])
    try:
        device = torch.device(text)
    except (RuntimeError, ValueError):
        raise DeviceError(
            f"unknown device {name!r}; use auto, cpu, cuda, cuda:N or mps "
            f"(available here: {', '.join(available)})"
        ) from None
    if device.type == "cuda" and device.index is None:
        device = torch.device("cuda", 0)
    if device.type == "mps":
        device = torch.device("mps")
    if device.type not in ("cpu", "cuda", "mps") or str(device) not in available:
        raise DeviceError(
            f"device {name!r} is not available on this machine (available: {', '.join(available)})"
        )
    return device
