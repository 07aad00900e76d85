"""Names of the export formats and model parts, free of torch so the command line can offer them."""

from __future__ import annotations

#: Export format -> file suffix.
EXPORT_FORMATS: dict[str, str] = {
    "safetensors": ".safetensors",
    "pt2": ".pt2",
    "onnx": ".onnx",
}

#: The parts of a model that can be exported as programs: the whole map, or one half of it.
EXPORT_PARTS: tuple[str, ...] = ("full", "encoder", "decoder")

#: Suffix of a saved session.
SESSION_SUFFIX = ".aev"

#: The install command of the optional ONNX extra.
ONNX_INSTALL = "pip install 'aeviewer[onnx]'"
