"""The Data panel: hostile files end in a message, never a traceback; a table's labels can be
chosen, and the run config carries the choice."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
from gui_helpers import TIMEOUT_MS

from aeviewer.config import LABELS_AUTO
from aeviewer.gui import dialogs
from aeviewer.gui.panels.data_panel import DataPanel

FLOWERS = Path(__file__).resolve().parents[1] / "fixtures" / "flowers.csv"


@pytest.fixture
def errors(monkeypatch) -> list[tuple[str, str]]:
    """The error dialogs shown, as (title, message)."""
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        dialogs, "show_error", lambda parent, title, msg: shown.append((title, msg))
    )
    return shown


@pytest.fixture
def panel(qtbot) -> DataPanel:
    widget = DataPanel()
    qtbot.addWidget(widget)
    yield widget
    widget.shutdown()


def load(qtbot, panel: DataPanel, source: str, label_column=LABELS_AUTO) -> None:
    with qtbot.waitSignal(panel.dataset_changed, timeout=TIMEOUT_MS):
        panel.load(source, label_column)


def fail(qtbot, panel: DataPanel, source: str) -> str:
    with qtbot.waitSignal(panel.load_failed, timeout=TIMEOUT_MS) as failed:
        panel.load(source)
    return failed.args[0]


def png_bomb() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0"))


def test_hostile_files_end_in_an_error_dialog_and_the_panel_lives_on(
    qtbot, panel, errors, tmp_path: Path
) -> None:
    load(qtbot, panel, "builtin:moons?n=50")
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }"
    header += b" " * (117 - len(header)) + b"\n"
    (tmp_path / "huge.npy").write_bytes(b"\x93NUMPY\x01\x00" + struct.pack("<H", 118) + header)
    (tmp_path / "bomb").mkdir()
    (tmp_path / "bomb" / "a.png").write_bytes(png_bomb())
    (tmp_path / "field.csv").write_bytes(b'a,b\n1,"' + b"9" * 200_000 + b'"\n')
    for name, problem in (
        ("huge.npy", "the header announces shape (1000000000000,)"),
        ("bomb", "decompression bombs"),
        ("field.csv", "holds a field longer than"),
    ):
        path = str(tmp_path / name)
        message = fail(qtbot, panel, path)
        assert path in message and problem in message and "Traceback" not in message
        assert errors[-1] == ("Cannot load the data set", message)
        # The data set loaded before stays.
        assert panel.source == "builtin:moons?n=50" and panel.dataset.n_samples == 50
        assert panel.sources.currentData() == "builtin:moons?n=50"


def test_a_table_offers_its_label_column(qtbot, panel, errors, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = [f"{i},{i * 2},{i % 3}" for i in range(12)]
    path.write_text("\n".join(["a,b,Label", *rows]) + "\n")
    load(qtbot, panel, "builtin:moons?n=50")
    assert panel.labels_row.isHidden()
    load(qtbot, panel, str(path))
    assert not panel.labels_row.isHidden()
    texts = [panel.labels.itemText(i) for i in range(panel.labels.count())]
    assert texts == [
        "auto: column 3: Label",
        "none (every column is a feature)",
        "column 1: a",
        "column 2: b",
        "column 3: Label",
    ]
    assert panel.labels.currentIndex() == 0 and panel.dataset.n_classes == 3
    with qtbot.waitSignal(panel.dataset_changed, timeout=TIMEOUT_MS):
        panel.labels.activated.emit(1)
    assert panel.label_column is None and panel.dataset.labels is None
    assert panel.dataset.n_features == 3 and panel.labels.currentIndex() == 1
    with qtbot.waitSignal(panel.dataset_changed, timeout=TIMEOUT_MS):
        panel.labels.activated.emit(3)
    assert panel.label_column == "b" and panel.dataset.n_classes == 23
    assert panel.holds(str(path), "b") and not panel.holds(str(path))
    assert not errors


def test_a_failing_label_choice_keeps_the_previous_one(qtbot, panel, errors, tmp_path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("x,kind\n1,cat\n2,dog\n")
    load(qtbot, panel, str(path), "kind")
    assert panel.dataset.class_names == ("cat", "dog")
    with qtbot.waitSignal(panel.load_failed, timeout=TIMEOUT_MS):
        panel.labels.activated.emit(1)  # none: 'cat' would be a feature
    assert "holds text 'cat'" in errors[-1][1]
    assert panel.label_column == "kind"
    assert panel._label_values[panel.labels.currentIndex()] == "kind"


def test_the_run_config_carries_the_label_choice(qtbot, window, tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    rows = [f"{i},{(i * 7) % 5},{i % 2}" for i in range(40)]
    path.write_text("\n".join(["a,b,target", *rows]) + "\n")
    with qtbot.waitSignal(window.data_panel.dataset_changed, timeout=TIMEOUT_MS):
        window.data_panel.load(str(path))
    assert window.run_config().data.label_column == LABELS_AUTO
    assert window.dataset.n_classes == 2
    with qtbot.waitSignal(window.data_panel.dataset_changed, timeout=TIMEOUT_MS):
        window.data_panel.load(str(path), None)
    assert window.run_config().data.label_column is None
    assert window.dataset.labels is None and window.dataset.n_features == 3
    np.testing.assert_array_equal(window.data_panel.columns.names, ("a", "b", "target"))


def test_following_a_run_loads_its_data_with_the_labels_it_recorded(qtbot, window, tmp_path):
    from gui_helpers import SMALL_MODEL, small_train

    from aeviewer.config import DataSpec, RunConfig
    from aeviewer.training.loop import train

    path = tmp_path / "t.csv"
    rng = np.random.default_rng(0)
    rows = [f"{a:.3f},{b:.3f},{'xy'[i % 2]}" for i, (a, b) in enumerate(rng.random((60, 2)))]
    path.write_text("\n".join(["a,b,kind", *rows]) + "\n")
    config = RunConfig(
        data=DataSpec(source=str(path), label_column="kind"),
        model=SMALL_MODEL,
        train=small_train(1),
    )
    run_dir = tmp_path / "run"
    for _ in train(config, run_dir=run_dir):
        pass
    with qtbot.waitSignal(window.following.snapshot_shown, timeout=TIMEOUT_MS):
        window.following.follow(run_dir)
    assert window.data_panel.label_column == "kind"
    assert window.dataset.class_names == ("x", "y")
    assert window.run_config().data == config.data


def test_a_table_that_fails_on_a_text_column_offers_it_as_labels(qtbot, panel, errors) -> None:
    load(qtbot, panel, "builtin:moons?n=50")
    message = fail(qtbot, panel, str(FLOWERS))
    assert "holds text 'setosa'" in message and "--label-column species" in message
    assert not panel.labels_row.isHidden()
    assert panel.labels_title.text() == "Labels of flowers.csv:"
    species = panel.labels.findText("column 5: species")
    with qtbot.waitSignal(panel.dataset_changed, timeout=TIMEOUT_MS):
        panel.labels.activated.emit(species)
    assert panel.source == str(FLOWERS) and panel.label_column == "species"
    assert panel.dataset.class_names == ("setosa", "versicolor", "virginica")
    assert panel.labels_title.text() == "Labels:"


def test_sources_are_labelled_by_kind(tmp_path) -> None:
    from aeviewer.gui.panels.data_panel import source_label

    assert source_label("builtin:shapes?n=800") == "shapes (built-in, n=800)"
    assert source_label(str(tmp_path)) == f"{tmp_path.name} (folder)"
    assert source_label(str(tmp_path / "d.csv")) == "d.csv (file)"


def test_the_preview_shows_images_streamed_from_disk(qtbot, tmp_path: Path) -> None:
    from PIL import Image

    from aeviewer.config import DataSpec
    from aeviewer.data.mapped import is_mapped
    from aeviewer.gui.widgets.sample_preview import SamplePreview
    from aeviewer.training.setup import load_prepared

    for i in range(12):
        (tmp_path / "pictures").mkdir(exist_ok=True)
        Image.fromarray(np.full((4, 5), 20 * i, np.uint8)).save(tmp_path / "pictures" / f"{i}.png")
    streamed = load_prepared(DataSpec(source=str(tmp_path / "pictures"), storage="streamed"))
    assert is_mapped(streamed.x)
    preview = SamplePreview()
    qtbot.addWidget(preview)
    preview.set_dataset(streamed)
    assert not preview.strip.pixmap().isNull()
