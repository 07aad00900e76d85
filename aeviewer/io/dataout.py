"""Data out: per-sample tables (CSV, NPY) and the Embedding Projector's files.

A table is an ordered mapping of column names to 1-D arrays of one length, built by
:func:`sample_table` from latents, projections, anomaly scores and labels. The Embedding
Projector (projector.tensorflow.org) reads ``vectors.tsv``, ``metadata.tsv`` and, for images,
a sprite: one PNG grid of thumbnails; ``projector_config.pbtxt`` and an event file make the
folder a log directory TensorBoard's projector plugin loads. Every file is written atomically.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from aeviewer.data.dataset import Dataset
from aeviewer.errors import ConfigError, RunError
from aeviewer.io.atomic import atomic_open, atomic_write_json, atomic_write_text
from aeviewer.io.tensorboard_projector import write_tensorboard_projector
from aeviewer.training.events import Snapshot

#: The largest sprite side the Embedding Projector accepts, in pixels.
MAX_SPRITE_SIZE = 8192
TABLE_SUFFIXES = (".csv", ".npy")


@dataclass(frozen=True)
class ProjectorFiles:
    """The files of an Embedding Projector export.

    ``single_image_dim`` is the ``(width, height)`` of one thumbnail in the sprite, as the
    projector's config wants it; None without images.
    """

    vectors: Path
    metadata: Path | None
    sprite: Path | None
    config: Path
    single_image_dim: tuple[int, int] | None


def sample_table(
    *,
    indices: np.ndarray | None = None,
    labels: np.ndarray | None = None,
    class_names: Sequence[str] | None = None,
    scores: np.ndarray | None = None,
    pca_scores: np.ndarray | None = None,
    flagged: np.ndarray | None = None,
    latents: np.ndarray | None = None,
    projection: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """The columns of a per-sample table, in a fixed order.

    Columns: ``index``, ``label``, ``class`` (with ``class_names``), ``score``, ``pca_score``,
    ``flagged`` (0/1), ``z0 .. z{k-1}`` (latents), ``p0``, ``p1`` (the 2-D projection); each
    only when given.

    Raises
    ------
    ValueError
        When the arrays do not have one length, or latents/projection are not 2-D.
    """
    columns: dict[str, np.ndarray] = {}
    if indices is not None:
        columns["index"] = np.asarray(indices, np.int64)
    if labels is not None:
        columns["label"] = np.asarray(labels, np.int64)
        if class_names is not None:
            names = list(class_names)
            columns["class"] = np.array(
                [names[i] if 0 <= i < len(names) else str(i) for i in columns["label"]]
            )
    if scores is not None:
        columns["score"] = np.asarray(scores, np.float64)
    if pca_scores is not None:
        columns["pca_score"] = np.asarray(pca_scores, np.float64)
    if flagged is not None:
        columns["flagged"] = np.asarray(flagged, bool).astype(np.int8)
    for prefix, block in (("z", latents), ("p", projection)):
        if block is None:
            continue
        block = np.asarray(block, np.float64)
        if block.ndim != 2:
            raise ValueError(f"{prefix!r} columns need a 2-D array, got shape {block.shape}")
        for j in range(block.shape[1]):
            columns[f"{prefix}{j}"] = block[:, j]
    lengths = {name: len(col) for name, col in columns.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"table columns differ in length: {lengths}")
    return columns


def snapshot_table(
    snapshot: Snapshot,
    dataset: Dataset,
    *,
    projection: np.ndarray | None = None,
    threshold: float | None = None,
) -> dict[str, np.ndarray]:
    """The table of a snapshot's evaluation subset: what the latent and anomaly views show.

    ``projection`` is the 2-D projection of the snapshot's latents (one row per evaluation
    sample); with a ``threshold`` the ``flagged`` column marks scores above it.
    """
    idx = np.asarray(snapshot.eval_indices)
    scores = snapshot.scores
    return sample_table(
        indices=idx,
        labels=None if dataset.labels is None else dataset.labels[idx],
        class_names=dataset.class_names,
        scores=scores,
        pca_scores=snapshot.pca_scores,
        flagged=None if threshold is None or scores is None else np.asarray(scores) > threshold,
        latents=snapshot.latents,
        projection=projection,
    )


def write_table(path: str | Path, columns: Mapping[str, np.ndarray]) -> Path:
    """Write a table as CSV (with a header) or NPY (a structured array), by ``path``'s suffix.

    Raises
    ------
    ConfigError
        For another suffix or an empty table.
    RunError
        When the file cannot be written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise ConfigError(f"{path}: choose a .csv or .npy file for a table")
    if not columns:
        raise ConfigError(f"{path}: nothing to write (the table has no columns)")
    try:
        if suffix == ".csv":
            _write_csv(path, columns)
        else:
            with atomic_open(path, "wb") as handle:
                np.save(handle, structured(columns), allow_pickle=False)
    except OSError as exc:
        raise RunError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return path


def structured(columns: Mapping[str, np.ndarray]) -> np.ndarray:
    """The table as one structured array whose field names are the column names."""
    dtype = [(name, col.dtype) for name, col in columns.items()]
    n = len(next(iter(columns.values())))
    out = np.empty(n, dtype=dtype)
    for name, col in columns.items():
        out[name] = col
    return out


def _write_csv(path: Path, columns: Mapping[str, np.ndarray]) -> None:
    formatted = [_cells(col) for col in columns.values()]
    with atomic_open(path, "w") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(list(columns))
        writer.writerows(zip(*formatted, strict=True))


def _cells(column: np.ndarray) -> list[str]:
    if np.issubdtype(column.dtype, np.floating):
        # Nine significant digits give float32 values back exactly.
        return [format(float(v), ".9g") for v in column]
    return [str(v) for v in column.tolist()]


# -- the Embedding Projector -----------------------------------------------------------------
def write_projector(
    folder: str | Path,
    vectors: np.ndarray,
    *,
    metadata: Mapping[str, Sequence[object]] | None = None,
    images: np.ndarray | None = None,
    name: str = "aeviewer",
) -> ProjectorFiles:
    """Write ``vectors.tsv``, ``metadata.tsv``, ``sprite.png`` and ``projector_config.json``,
    and ``projector_config.pbtxt`` with an event file for TensorBoard.

    Parameters
    ----------
    vectors
        ``(N, k)`` points, typically latents.
    metadata
        Column name -> N values (labels, class names, scores). One column is written without a
        header, several with one, as the projector expects.
    images
        ``(N, C, H, W)`` or ``(N, H, W)`` images of the samples, for the sprite; scaled to
        0..255 by their joint minimum and maximum.
    """
    folder = Path(folder)
    vectors = np.asarray(vectors, np.float64)
    if vectors.ndim != 2 or vectors.shape[0] == 0:
        raise ValueError(f"vectors must be a non-empty 2-D array, got shape {vectors.shape}")
    try:
        return _write_projector(folder, vectors, metadata, images, name)
    except OSError as exc:
        raise RunError(
            f"{folder}: cannot write the projector files: {exc.strerror or exc}"
        ) from None


def _write_projector(
    folder: Path,
    vectors: np.ndarray,
    metadata: Mapping[str, Sequence[object]] | None,
    images: np.ndarray | None,
    name: str,
) -> ProjectorFiles:
    n = vectors.shape[0]
    vectors_path = folder / "vectors.tsv"
    atomic_write_text(
        vectors_path,
        "".join("\t".join(format(v, ".7g") for v in row) + "\n" for row in vectors),
    )
    embedding: dict[str, object] = {
        "tensorName": name,
        "tensorShape": list(vectors.shape),
        "tensorPath": vectors_path.name,
    }
    metadata_path = None
    if metadata:
        metadata_path = folder / "metadata.tsv"
        atomic_write_text(metadata_path, metadata_tsv(metadata, n))
        embedding["metadataPath"] = metadata_path.name
    sprite_path, dim = None, None
    if images is not None:
        if len(images) != n:
            raise ValueError(f"{len(images)} images for {n} vectors")
        sprite, (height, width) = sprite_image(images)
        sprite_path = folder / "sprite.png"
        with atomic_open(sprite_path, "wb") as handle:
            Image.fromarray(sprite).save(handle, format="PNG")
        dim = (width, height)
        embedding["sprite"] = {"imagePath": sprite_path.name, "singleImageDim": list(dim)}
    config_path = folder / "projector_config.json"
    atomic_write_json(config_path, {"embeddings": [embedding]})
    # The same files as TensorBoard's projector plugin loads them from a log directory.
    write_tensorboard_projector(
        folder,
        tensor_name=name,
        tensor_path=vectors_path,
        metadata_path=metadata_path,
        sprite_path=sprite_path,
        single_image_dim=dim,
    )
    return ProjectorFiles(vectors_path, metadata_path, sprite_path, config_path, dim)


def write_snapshot_projector(
    folder: str | Path, snapshot: Snapshot, dataset: Dataset
) -> ProjectorFiles:
    """The Embedding Projector files of a snapshot's latents, labels, scores and images."""
    if snapshot.latents is None:
        raise ConfigError("this snapshot has no latents to project (a GAN run has none)")
    idx = np.asarray(snapshot.eval_indices)
    metadata: dict[str, Sequence[object]] = {}
    if dataset.labels is not None:
        metadata["label"] = dataset.labels[idx].tolist()
        if dataset.class_names is not None:
            metadata["class"] = [dataset.class_name(int(i)) for i in dataset.labels[idx]]
    if snapshot.scores is not None:
        metadata["score"] = [format(float(v), ".6g") for v in snapshot.scores]
    images = dataset.images(idx) if dataset.is_image else None
    return write_projector(folder, snapshot.latents, metadata=metadata or None, images=images)


def metadata_tsv(metadata: Mapping[str, Sequence[object]], n: int) -> str:
    """The text of ``metadata.tsv``: a header row only when there are several columns."""
    names = list(metadata)
    for key in names:
        if len(metadata[key]) != n:
            raise ValueError(f"metadata column {key!r} has {len(metadata[key])} values for {n}")
    rows = [names] if len(names) > 1 else []
    rows += [[metadata[key][i] for key in names] for i in range(n)]
    return "".join("\t".join(_tsv_cell(v) for v in row) + "\n" for row in rows)


def _tsv_cell(value: object) -> str:
    return " ".join(str(value).split())


def sprite_image(
    images: np.ndarray, max_size: int = MAX_SPRITE_SIZE
) -> tuple[np.ndarray, tuple[int, int]]:
    """A square grid of thumbnails at most ``max_size`` pixels a side.

    Returns the ``uint8`` sprite (``(S, S)`` grey or ``(S, S, 3)`` colour) and the
    ``(height, width)`` of one thumbnail; thumbnails are shrunk only when the grid would be too
    large. Images with other than 1 or 3 channels show their first channel.
    """
    array = np.asarray(images, np.float32)
    if array.ndim == 4:
        array = array.transpose(0, 2, 3, 1)
        array = array[..., 0] if array.shape[-1] != 3 else array
    elif array.ndim != 3:
        raise ValueError(f"images must be (N, C, H, W) or (N, H, W), got shape {array.shape}")
    n, height, width = array.shape[:3]
    per_side = math.ceil(math.sqrt(n))
    shrink = min(1.0, max_size / (per_side * max(height, width)))
    th, tw = max(1, int(height * shrink)), max(1, int(width * shrink))
    if per_side * max(th, tw) > max_size:
        raise ValueError(f"{n} images do not fit a sprite of {max_size} pixels a side")
    lo, hi = float(array.min()), float(array.max())
    scaled = np.clip((array - lo) / (hi - lo if hi > lo else 1.0) * 255.0 + 0.5, 0, 255)
    thumbs = scaled.astype(np.uint8)
    if (th, tw) != (height, width):
        thumbs = np.stack(
            [
                np.asarray(Image.fromarray(t).resize((tw, th), Image.Resampling.BILINEAR))
                for t in thumbs
            ]
        )
    sprite = np.zeros((per_side * th, per_side * tw, *thumbs.shape[3:]), np.uint8)
    for i, thumb in enumerate(thumbs):
        row, col = divmod(i, per_side)
        sprite[row * th : (row + 1) * th, col * tw : (col + 1) * tw] = thumb
    return sprite, (th, tw)
