"""MNIST, Fashion-MNIST and KMNIST: downloaded once into the cache, verified by SHA-256.

Files go to ``<user cache>/aeviewer/datasets/<name>/`` (``$AEVIEWER_DATA_DIR/<name>/`` when
that variable is set). They come from the official mirrors, or from ``<base_url>/<file>`` when
a base URL is passed, or from ``$AEVIEWER_DOWNLOAD_URL/<name>/<file>``. :mod:`pooch` streams
each file into a temporary file beside its target and moves it into place only when its
checksum matches, so neither a corrupt nor a cancelled download leaves a file behind.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from aeviewer.data.dataset import Dataset
from aeviewer.data.progress import CancelCallback, ProgressCallback, Reporter
from aeviewer.errors import DatasetError

DATA_DIR_ENV = "AEVIEWER_DATA_DIR"
DOWNLOAD_URL_ENV = "AEVIEWER_DOWNLOAD_URL"
SPLITS: tuple[str, ...] = ("train", "test")
TIMEOUT_S = 30
CHUNK_BYTES = 64 * 1024


@dataclass(frozen=True)
class RemoteFile:
    """One file of a downloadable data set, with its checksum and expected size in bytes."""

    name: str
    sha256: str
    size: int
    split: str


@dataclass(frozen=True)
class DownloadInfo:
    """A downloadable data set: where it lives, its files and its class names."""

    name: str
    title: str
    description: str
    base_url: str
    homepage: str
    files: tuple[RemoteFile, ...]
    class_names: tuple[str, ...]

    def files_for(self, split: str | None = None) -> tuple[RemoteFile, ...]:
        """The files of ``split`` (``train`` or ``test``), or all of them."""
        if split is not None and split not in SPLITS:
            raise DatasetError(f"{self.name}: unknown split {split!r}; choose train or test")
        return tuple(f for f in self.files if split is None or f.split == split)

    def images_file(self, split: str) -> str:
        """The name of the images file of ``split``."""
        return next(f.name for f in self.files_for(split) if "-images-" in f.name)


def _mnist_files(sizes: tuple[int, int, int, int], sha256: tuple[str, str, str, str]):
    names = (
        ("train-images-idx3-ubyte.gz", "train"),
        ("train-labels-idx1-ubyte.gz", "train"),
        ("t10k-images-idx3-ubyte.gz", "test"),
        ("t10k-labels-idx1-ubyte.gz", "test"),
    )
    return tuple(
        RemoteFile(name, digest, size, split)
        for (name, split), size, digest in zip(names, sizes, sha256, strict=True)
    )


DOWNLOADS: dict[str, DownloadInfo] = {
    "mnist": DownloadInfo(
        "mnist",
        "MNIST",
        "70,000 handwritten digits 0-9, 28x28 grayscale (60,000 train, 10,000 test)",
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
        _mnist_files(
            (9912422, 28881, 1648877, 4542),
            (
                "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
            ),
        ),
        tuple(str(d) for d in range(10)),
    ),
    "fashion-mnist": DownloadInfo(
        "fashion-mnist",
        "Fashion-MNIST",
        "70,000 Zalando article images in 10 classes, 28x28 grayscale (60,000 train, 10,000 test)",
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        "https://github.com/zalandoresearch/fashion-mnist",
        _mnist_files(
            (26421880, 29515, 4422102, 5148),
            (
                "08dc20ab1689590a0bcd66e874647b6ee8464e2d501b5a3f1f78831db19a3fdc",
                "b0197879cbda89f3dc7b894f9fd52b858e68ea4182b6947c9d8c2b67e5f18dcc",
                "78dcbbfb5a27efaf1b6c1d616caca68560be8766c5bffcb2791df9273a534229",
                "42bd18137a62d5998cdeae52bf3a0676ac6b706f5cf8439b47bb5b151ae3dccf",
            ),
        ),
        (
            "T-shirt/top",
            "Trouser",
            "Pullover",
            "Dress",
            "Coat",
            "Sandal",
            "Shirt",
            "Sneaker",
            "Bag",
            "Ankle boot",
        ),
    ),
    "kmnist": DownloadInfo(
        "kmnist",
        "Kuzushiji-MNIST",
        "70,000 cursive Japanese characters in 10 classes, 28x28 grayscale "
        "(60,000 train, 10,000 test)",
        "http://codh.rois.ac.jp/kmnist/dataset/kmnist/",
        "https://github.com/rois-codh/kmnist",
        _mnist_files(
            (18165135, 29497, 3041136, 5120),
            (
                "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4",
                "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17",
                "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5",
                "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c",
            ),
        ),
        ("o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"),
    ),
}


def data_root() -> Path:
    """The folder that holds one sub-folder per downloaded data set."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("aeviewer")) / "datasets"


def dataset_folder(name: str) -> Path:
    """The folder the files of download ``name`` are kept in."""
    return data_root() / _info(name).name


def is_cached(name: str, split: str | None = None) -> bool:
    """True when every file of ``name`` (of ``split``, if given) is present; not re-hashed."""
    folder = dataset_folder(name)
    return all((folder / f.name).is_file() for f in _info(name).files_for(split))


def download(
    name: str,
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    base_url: str | None = None,
    split: str | None = None,
) -> Path:
    """Fetch the files of ``name`` (of ``split`` only, if given) and return their folder.

    Files already present with the right checksum are reused; ``progress`` receives the bytes
    done and the total over the files still to fetch; ``cancel`` returning True stops the
    download, keeping nothing of the file in flight.
    """
    info = _info(name)
    folder = dataset_folder(name)
    files = info.files_for(split)
    reporter = Reporter(progress, cancel, f"download of {info.title}")
    tracker = _ByteTracker(reporter, [f.size for f in files])
    for index, remote in enumerate(files):
        reporter.check()
        url = _url(info, remote, base_url)
        tracker.start(index)
        _fetch(info, remote, url, folder, tracker)
    tracker.finish()
    return folder


def load_download(
    name: str,
    split: str = "train",
    *,
    progress: ProgressCallback | None = None,
    cancel: CancelCallback | None = None,
    source: str | None = None,
) -> Dataset:
    """Download (or reuse) ``split`` of ``name`` and load it with its class names."""
    from aeviewer.data.readers.idx import read_idx

    info = _info(name)
    folder = download(name, progress=progress, cancel=cancel, split=split)
    reporter = Reporter(None, cancel, f"loading {info.title}")
    images = folder / info.images_file(split)
    dataset = read_idx(images, reporter=reporter, name=f"{name} ({split})", source=source or name)
    return replace(dataset, class_names=info.class_names)


def _info(name: str) -> DownloadInfo:
    info = DOWNLOADS.get(name.strip().lower())
    if info is None:
        raise DatasetError(f"unknown download {name!r}; choose one of {', '.join(DOWNLOADS)}")
    return info


def _url(info: DownloadInfo, remote: RemoteFile, base_url: str | None) -> str:
    if base_url:
        return f"{base_url.rstrip('/')}/{remote.name}"
    override = os.environ.get(DOWNLOAD_URL_ENV)
    if override:
        return f"{override.rstrip('/')}/{info.name}/{remote.name}"
    return info.base_url + remote.name


def _fetch(info: DownloadInfo, remote: RemoteFile, url: str, folder: Path, tracker) -> None:
    import pooch
    import requests

    downloader = pooch.HTTPDownloader(
        progressbar=tracker, chunk_size=CHUNK_BYTES, timeout=TIMEOUT_S
    )
    target = folder / remote.name
    stale = target.is_file() and pooch.file_hash(str(target)) != remote.sha256
    try:
        with _quiet_pooch():
            pooch.retrieve(
                url,
                known_hash=f"sha256:{remote.sha256}",
                fname=remote.name,
                path=folder,
                downloader=downloader,
            )
    except requests.exceptions.RequestException as exc:
        names = ", ".join(f.name for f in info.files)
        note = f" (the {remote.name} there now has the wrong SHA-256)" if stale else ""
        raise DatasetError(
            f"cannot download {remote.name} of {info.title}: {_reason(exc, url)}; check the "
            f"network connection and try again, or put the files {names} (from "
            f"{info.homepage}) into {folder}{note}"
        ) from None
    except ValueError:
        raise DatasetError(
            f"the downloaded {remote.name} failed its SHA-256 check and was discarded; try "
            f"again later, or fetch the {info.title} files by hand ({info.homepage}) into {folder}"
        ) from None
    except OSError as exc:
        raise DatasetError(
            f"cannot store {remote.name} in {folder} ({exc.strerror or 'write failed'}); free "
            f"some disk space or set {DATA_DIR_ENV} to another folder"
        ) from None


def _reason(exc: Exception, url: str) -> str:
    """What went wrong with a request, in a few words and without the library's message."""
    import requests

    host = urlsplit(url).netloc or url
    errors = requests.exceptions
    if isinstance(exc, errors.Timeout):
        return f"{host} did not answer within {TIMEOUT_S} s"
    if isinstance(exc, errors.SSLError):
        return f"the secure connection to {host} failed"
    if isinstance(exc, errors.ConnectionError):
        return f"{host} could not be reached"
    if isinstance(exc, errors.HTTPError) and exc.response is not None:
        response = exc.response
        return f"{host} answered {response.status_code} {response.reason or ''}".rstrip()
    if isinstance(exc, errors.ChunkedEncodingError | errors.ContentDecodingError):
        return f"the connection to {host} broke off"
    return f"the request to {host} failed"


@contextmanager
def _quiet_pooch() -> Iterator[None]:
    """Silence pooch's INFO log lines, which would break the CLI's one-line error output."""
    import pooch

    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel("WARNING")
    try:
        yield
    finally:
        logger.setLevel(level)


class _ByteTracker:
    """The progress-bar object pooch's downloader drives, summed over several files.

    pooch sets ``total`` from the response's content length, calls ``update(chunk_size)`` per
    chunk (so the count can overshoot: it is clamped), then ``reset``, ``update(total)`` and
    ``close`` when a file is complete. Raising from ``update`` aborts the download.
    """

    def __init__(self, reporter: Reporter, sizes: list[int]) -> None:
        self._reporter = reporter
        self._sizes = list(sizes)
        self._finished = 0
        self._index = 0
        self._done = 0
        self.total = 0

    def start(self, index: int) -> None:
        self._index, self._done, self.total = index, 0, 0
        self._finished = sum(self._sizes[:index])

    def update(self, n: int) -> None:
        if self.total:
            self._sizes[self._index] = self.total
        size = self._sizes[self._index]
        self._done = min(self._done + int(n), size) if size else self._done + int(n)
        self._reporter.report(self._finished + self._done, sum(self._sizes))

    def reset(self) -> None:
        self._done = 0

    def close(self) -> None:
        self._done = 0

    def finish(self) -> None:
        total = sum(self._sizes)
        self._reporter.report(total, total)
