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


#: CPU features that make bfloat16 matrix products fast (x86: AVX512-BF16 or AMX).
BF16_CPU_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})


def cpu_has_fast_bf16() -> bool:
    """True when this CPU multiplies bfloat16 matrices natively (Linux ``/proc/cpuinfo`` flags,
    or an Apple-silicon Mac, whose CPUs have bfloat16 instructions)."""
    import platform

    if platform.system() == "Darwin" and platform.machine() == "arm64":
        return True
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return bool(BF16_CPU_FLAGS & set(line.split()))
    except OSError:
        pass
    return False


def resolve_precision(precision: str, device: torch.device) -> tuple[torch.dtype | None, str]:
    """The autocast dtype for ``precision`` on ``device`` (None: float32) and a note for the
    user ("" when there is nothing to say).

    Raises
    ------
    DeviceError
        For bf16 on a device that cannot run it.
    """
    if precision == "fp32":
        return None, ""
    if device.type == "cuda":
        fast = torch.cuda.is_bf16_supported()
        where = f"{torch.cuda.get_device_name(device)}"
    elif device.type == "cpu":
        fast = cpu_has_fast_bf16()
        where = "this CPU (no AVX512-BF16 or AMX)"
    else:
        fast, where = False, f"the {device.type} device"
    if precision == "auto":
        if fast:
            return torch.bfloat16, f"training in bf16 mixed precision on {device}"
        return None, f"bf16 would not be faster on {where}: training in fp32"
    if fast:
        return torch.bfloat16, ""
    if device.type == "cpu":
        return torch.bfloat16, f"bf16 runs emulated and slowly on {where}; fp32 would be faster"
    raise DeviceError(f"bf16 mixed precision cannot run on {where}; use --precision fp32 or auto")
