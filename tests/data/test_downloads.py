"""Downloads against a local HTTP server: good files, reuse, corruption, offline, cancel."""

from __future__ import annotations

import gzip
import hashlib
import itertools
import socket
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest
from idx_files import idx_bytes

from aeviewer.data import LoadCancelled, load_source
from aeviewer.data import downloads as dl
from aeviewer.errors import DatasetError

FILES = {
    "train-images-idx3-ubyte.gz": ("train", np.arange(12 * 20).reshape(12, 4, 5) % 256),
    "train-labels-idx1-ubyte.gz": ("train", np.arange(12) % 3),
    "t10k-images-idx3-ubyte.gz": ("test", np.arange(6 * 20).reshape(6, 4, 5) % 256),
    "t10k-labels-idx1-ubyte.gz": ("test", np.array([0, 1, 2, 2, 1, 0])),
}


class Server:
    """A static file server on 127.0.0.1 that counts the requests it answers."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.requests: list[str] = []
        handler = partial(_Handler, self, directory=str(root))
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()


class _Handler(SimpleHTTPRequestHandler):
    def __init__(self, server_record: Server, *args, **kwargs) -> None:
        self._record = server_record
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        self._record.requests.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Server]:
    """Tiny MNIST-like files served under ``/mnist/``, registered with their checksums."""
    folder = tmp_path / "served" / "mnist"
    folder.mkdir(parents=True)
    remote = []
    for name, (split, array) in FILES.items():
        data = gzip.compress(idx_bytes(array), mtime=0)
        (folder / name).write_bytes(data)
        remote.append(dl.RemoteFile(name, hashlib.sha256(data).hexdigest(), len(data), split))
    info = dl.DownloadInfo(
        "mnist", "MNIST", "tiny", "http://invalid.example/", "http://home.example/",
        tuple(remote), ("zero", "one", "two"),
    )  # fmt: skip
    monkeypatch.setitem(dl.DOWNLOADS, "mnist", info)
    monkeypatch.setenv(dl.DATA_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(dl.DOWNLOAD_URL_ENV, raising=False)
    server = Server(tmp_path / "served")
    yield server
    server.close()


def test_download_verifies_reports_progress_and_reuses(served: Server, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    folder = dl.download(
        "mnist", base_url=f"{served.url}/mnist", progress=lambda d, t: calls.append((d, t))
    )
    assert folder == tmp_path / "cache" / "mnist"
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    total = sum(f.size for f in dl.DOWNLOADS["mnist"].files)
    assert calls[-1] == (total, total)
    assert all(b[0] >= a[0] for a, b in itertools.pairwise(calls))
    assert all(done <= t for done, t in calls)
    assert dl.is_cached("mnist")
    assert len(served.requests) == 4
    dl.download("mnist", base_url=f"{served.url}/mnist")
    assert len(served.requests) == 4, "files present with the right checksum are reused"


def test_load_source_downloads_one_split_from_the_env_url(
    served: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(dl.DOWNLOAD_URL_ENV, served.url)
    data = load_source("mnist?split=test")
    assert data.n_samples == 6 and data.sample_shape == (1, 4, 5)
    assert data.class_names == ("zero", "one", "two")
    assert data.class_counts() == {"zero": 2, "one": 2, "two": 2}
    assert data.source == "mnist?split=test"
    assert sorted(served.requests) == [
        "/mnist/t10k-images-idx3-ubyte.gz",
        "/mnist/t10k-labels-idx1-ubyte.gz",
    ]
    assert load_source("mnist").n_samples == 12


def test_corrupted_file_is_rejected_and_not_kept(served: Server) -> None:
    target = served.root / "mnist" / "t10k-labels-idx1-ubyte.gz"
    target.write_bytes(target.read_bytes()[:-3] + b"bad")
    with pytest.raises(DatasetError, match=r"t10k-labels-idx1-ubyte\.gz failed its SHA-256 check"):
        dl.download("mnist", base_url=f"{served.url}/mnist", split="test")
    folder = dl.dataset_folder("mnist")
    assert sorted(p.name for p in folder.iterdir()) == ["t10k-images-idx3-ubyte.gz"]


def test_offline_message_says_where_to_put_the_files(served: Server) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with pytest.raises(DatasetError) as info:
        dl.download("mnist", base_url=f"http://127.0.0.1:{closed_port}", split="train")
    message = str(info.value)
    assert "cannot download train-images-idx3-ubyte.gz of MNIST" in message
    assert str(dl.dataset_folder("mnist")) in message
    for name in FILES:
        assert name in message
    assert not any(dl.dataset_folder("mnist").iterdir())


def test_a_hand_placed_copy_is_used_without_network(served: Server) -> None:
    folder = dl.dataset_folder("mnist")
    folder.mkdir(parents=True)
    for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        (folder / name).write_bytes((served.root / "mnist" / name).read_bytes())
    assert load_source("mnist?split=test").n_samples == 6
    assert served.requests == []


def test_cancel_stops_and_keeps_no_partial_file(served: Server) -> None:
    seen: list[int] = []
    with pytest.raises(LoadCancelled, match="cancelled"):
        dl.download(
            "mnist",
            base_url=f"{served.url}/mnist",
            progress=lambda d, t: seen.append(d),
            cancel=lambda: bool(seen),
        )
    assert seen
    assert list(dl.dataset_folder("mnist").iterdir()) == []


def test_bad_names_and_splits(served: Server) -> None:
    with pytest.raises(DatasetError, match="unknown download 'emnist'"):
        dl.download("emnist")
    with pytest.raises(DatasetError, match="split must be train or test"):
        load_source("mnist?split=val")
    with pytest.raises(DatasetError, match="unknown option 'n'"):
        load_source("mnist?n=5")


def test_registry_holds_official_files_with_sha256() -> None:
    assert set(dl.DOWNLOADS) == {"mnist", "fashion-mnist", "kmnist"}
    for info in dl.DOWNLOADS.values():
        assert [f.name for f in info.files] == list(FILES)
        assert all(len(f.sha256) == 64 and int(f.sha256, 16) >= 0 for f in info.files)
        assert all(f.size > 1000 for f in info.files)
        assert len(info.class_names) == 10
        assert info.base_url.startswith("http") and info.base_url.endswith("/")


def test_cache_folder_defaults_to_the_user_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    import platformdirs

    monkeypatch.delenv(dl.DATA_DIR_ENV, raising=False)
    expected = Path(platformdirs.user_cache_dir("aeviewer")) / "datasets" / "kmnist"
    assert dl.dataset_folder("kmnist") == expected


def _one_sentence(message: str) -> None:
    """What failed and what to do, without the HTTP library's own words."""
    for raw in ("HTTPConnectionPool", "Max retries", "Caused by", "Errno", "urllib3", "requests"):
        assert raw not in message, message
    assert "\n" not in message and message.count(". ") == 0, message


def test_a_failed_download_says_what_failed_and_what_to_do(served: Server) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    with pytest.raises(DatasetError) as info:
        dl.download("mnist", base_url=f"http://127.0.0.1:{closed_port}", split="test")
    message = str(info.value)
    assert f"127.0.0.1:{closed_port} could not be reached; check the network connection" in message
    _one_sentence(message)


def test_a_file_missing_on_the_server_names_the_answer(served: Server) -> None:
    with pytest.raises(DatasetError) as info:
        dl.download("mnist", base_url=f"{served.url}/elsewhere", split="test")
    message = str(info.value)
    assert "cannot download t10k-images-idx3-ubyte.gz of MNIST" in message
    assert "answered 404 File not found" in message
    _one_sentence(message)


def test_a_silent_server_times_out_in_one_sentence(served: Server, monkeypatch) -> None:
    monkeypatch.setattr(dl, "TIMEOUT_S", 0.3)
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts the connection, never answers
        port = silent.getsockname()[1]
        with pytest.raises(DatasetError) as info:
            dl.download("mnist", base_url=f"http://127.0.0.1:{port}", split="test")
    message = str(info.value)
    assert f"127.0.0.1:{port} did not answer within 0.3 s" in message
    _one_sentence(message)
