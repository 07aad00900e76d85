"""The Embedding Projector files in the layout TensorBoard's projector plugin loads.

TensorBoard lists as runs only folders that hold an event file, and its projector plugin reads
``projector_config.pbtxt`` (a text protobuf naming the TSV files and the sprite, relative to
itself) in such a folder. :func:`write_tensorboard_projector` adds both beside the files of
:func:`aeviewer.io.dataout.write_projector`, so ``tensorboard --logdir FOLDER`` (or a parent
folder) shows the export in its Projector tab. The event file holds only the version record
every event file starts with; it is written here byte by byte (TFRecord framing with masked
CRC-32C), so the export needs no TensorBoard installed.
"""

from __future__ import annotations

import socket
import struct
import time
from pathlib import Path

from aeviewer.io.atomic import atomic_write_bytes, atomic_write_text

PBTXT_NAME = "projector_config.pbtxt"
#: The prefix of TensorBoard's event file names.
EVENT_PREFIX = "events.out.tfevents."
FILE_VERSION = b"brain.Event:2"


def write_tensorboard_projector(
    folder: Path,
    *,
    tensor_name: str,
    tensor_path: Path,
    metadata_path: Path | None,
    sprite_path: Path | None,
    single_image_dim: tuple[int, int] | None,
) -> Path:
    """Write ``projector_config.pbtxt`` and, unless the folder has one, an event file."""
    lines = ["embeddings {", f"  tensor_name: {_quoted(tensor_name)}"]
    lines.append(f"  tensor_path: {_quoted(tensor_path.name)}")
    if metadata_path is not None:
        lines.append(f"  metadata_path: {_quoted(metadata_path.name)}")
    if sprite_path is not None and single_image_dim is not None:
        width, height = single_image_dim
        lines += [
            "  sprite {",
            f"    image_path: {_quoted(sprite_path.name)}",
            f"    single_image_dim: {int(width)}",
            f"    single_image_dim: {int(height)}",
            "  }",
        ]
    lines.append("}")
    path = folder / PBTXT_NAME
    atomic_write_text(path, "\n".join(lines) + "\n")
    if not any(folder.glob(EVENT_PREFIX + "*")):
        now = time.time()
        name = f"{EVENT_PREFIX}{int(now)}.{socket.gethostname() or 'localhost'}.aeviewer"
        atomic_write_bytes(folder / name, tf_record(version_event(now)))
    return path


def _quoted(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def version_event(wall_time: float) -> bytes:
    """A serialised ``Event`` protobuf with ``wall_time`` (field 1, double) and
    ``file_version`` (field 3, string), the record every event file starts with."""
    return (
        b"\x09" + struct.pack("<d", wall_time) + b"\x1a" + bytes([len(FILE_VERSION)]) + FILE_VERSION
    )


def tf_record(data: bytes) -> bytes:
    """``data`` framed as a TFRecord: length, masked CRC of the length, data, masked CRC."""
    length = struct.pack("<Q", len(data))
    return (
        length
        + struct.pack("<I", masked_crc32c(length))
        + data
        + struct.pack("<I", masked_crc32c(data))
    )


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_TABLE = _crc_table()


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli) of ``data``."""
    crc = 0xFFFFFFFF
    for byte in data:
        crc = _TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc32c(data: bytes) -> int:
    """TFRecord's masked CRC-32C."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF
