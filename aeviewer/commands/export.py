"""``aeviewer export RUNDIR``: export a trained model as safetensors, pt2 or ONNX."""

from __future__ import annotations

import argparse

from aeviewer.io.formats import EXPORT_FORMATS, EXPORT_PARTS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the model, ``--format``, ``--out`` and ``--part``."""
    parser.add_argument(
        "source",
        metavar="RUNDIR",
        help="a run directory with a final model, a model .json / .safetensors file, "
        "or a .aev session",
    )
    parser.add_argument(
        "--format",
        choices=list(EXPORT_FORMATS),
        default="safetensors",
        help="safetensors: weights + JSON for aeviewer (default); pt2: a torch.export program; "
        "onnx: for ONNX runtimes (needs aeviewer[onnx])",
    )
    parser.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="the file to write (the format's suffix is added when missing)",
    )
    parser.add_argument(
        "--part",
        choices=list(EXPORT_PARTS),
        default="full",
        help="pt2 and onnx: the whole autoencoder, only the encoder, or only the decoder",
    )


def run(args: argparse.Namespace) -> int:
    """Export and print the files written."""
    from aeviewer.io.export import export_model

    result = export_model(args.source, args.out, format=args.format, part=args.part)
    for path in (result.path, *result.companions):
        print(path)
    return 0
