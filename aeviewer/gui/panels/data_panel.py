"""The Data dock: choose a built-in, open a file or folder, or download the MNIST family.

When a CSV/TSV table is loaded, a Labels row offers where its class labels are: ``auto`` (a
column named label, class, target or y), none, or any of its columns; picking one reloads it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from aeviewer.config import LABELS_AUTO
from aeviewer.data.dataset import Dataset
from aeviewer.errors import AeviewerError
from aeviewer.gui import dialogs, file_dialogs
from aeviewer.gui.panels.data_preparation import PreparationBox
from aeviewer.gui.threads import FunctionWorker, while_alive
from aeviewer.gui.widgets.sample_preview import SamplePreview

translate = QCoreApplication.translate

#: Downloadable data sets offered in the list: source name -> label.
DOWNLOAD_LABELS: dict[str, str] = {
    "mnist": QT_TRANSLATE_NOOP("DataPanel", "MNIST digits (download)"),
    "fashion-mnist": QT_TRANSLATE_NOOP("DataPanel", "Fashion-MNIST clothes (download)"),
    "kmnist": QT_TRANSLATE_NOOP("DataPanel", "KMNIST Japanese characters (download)"),
}

#: Translated by the file dialog (the "FileDialogs" context).
FILE_FILTER = QT_TRANSLATE_NOOP(
    "FileDialogs",
    "Data files (*.csv *.tsv *.txt *.npy *.npz *.idx *.gz *-ubyte *.idx1-ubyte *.idx3-ubyte);;"
    "All files (*)",
)


@dataclass(frozen=True)
class TableColumns:
    """The columns of a table the Data panel loaded: names (None without a header row), the
    number of columns, and the one ``auto`` takes as labels."""

    names: tuple[str, ...] | None
    width: int
    auto: int | None


@dataclass(frozen=True, eq=False)
class Loaded:
    """What a load hands back: the data set, and its columns when it is a table."""

    dataset: Dataset
    columns: TableColumns | None


def load_dataset(source: str, label_column: str | None = LABELS_AUTO) -> Callable[..., Loaded]:
    """The background function that loads ``source`` with progress and cancellation."""

    def run(progress: Callable[[int, int], None], cancel: Callable[[], bool]) -> Loaded:
        from aeviewer.data import load_source

        dataset = load_source(source, progress=progress, cancel=cancel, label_column=label_column)
        return Loaded(dataset, table_columns_of(source))

    return run


def table_columns_of(source: str) -> TableColumns | None:
    """The columns of ``source`` when it is a CSV/TSV table, else None."""
    from aeviewer.data.readers import detect_format
    from aeviewer.data.readers.table import table_columns

    path = Path(source).expanduser()
    if not path.is_file() or detect_format(path) != "table":
        return None
    return TableColumns(*table_columns(path))


def _columns_or_none(source: str) -> TableColumns | None:
    """:func:`table_columns_of`, None when even the start of the file is unreadable."""
    try:
        return table_columns_of(source)
    except AeviewerError:
        return None


def label_choices(columns: TableColumns) -> list[tuple[str | None, str]]:
    """The label choices a table offers: (``DataSpec.label_column`` value, text shown)."""
    if columns.auto is None:
        auto = translate("DataPanel", "auto (no column named label, class, target or y)")
    else:
        auto = translate("DataPanel", "auto: {0}").format(_column_text(columns, columns.auto))
    choices: list[tuple[str | None, str]] = [
        (LABELS_AUTO, auto),
        (None, translate("DataPanel", "none (every column is a feature)")),
    ]
    for j in range(columns.width):
        value = columns.names[j] if columns.names is not None else str(j)
        choices.append((value, _column_text(columns, j)))
    return choices


def _column_text(columns: TableColumns, j: int) -> str:
    if columns.names is not None:
        return translate("DataPanel", "column {0}: {1}").format(j + 1, columns.names[j])
    return translate("DataPanel", "column {0}").format(j + 1)


def source_label(source: str) -> str:
    """How the list of sources names ``source``: ``shapes (built-in, n=800)``, ``digits.csv
    (file)``, ``images (folder)``."""
    if source.startswith("builtin:"):
        name, _, options = source.removeprefix("builtin:").partition("?")
        if options:
            return translate("DataPanel", "{0} (built-in, {1})").format(
                name, options.replace("&", ", ")
            )
        return translate("DataPanel", "{0} (built-in)").format(name)
    if source in DOWNLOAD_LABELS:
        return translate("DataPanel", DOWNLOAD_LABELS[source])
    path = Path(source).expanduser()
    if path.is_dir():
        return translate("DataPanel", "{0} (folder)").format(path.name or source)
    return translate("DataPanel", "{0} (file)").format(path.name or source)


def describe(dataset: Dataset) -> str:
    """A few lines about a data set: size, shape, value range and classes."""
    shape = "×".join(str(s) for s in dataset.sample_shape)
    if dataset.is_image:
        size = translate("DataPanel", "<b>{0}</b>: {1} images of {2}")
    else:
        size = translate("DataPanel", "<b>{0}</b>: {1} vectors of {2}")
    lo, hi = dataset.value_range
    lines = [
        size.format(dataset.name, f"{dataset.n_samples:,}", shape),
        translate("DataPanel", "{0} features, values {1} … {2}").format(
            f"{dataset.n_features:,}", f"{lo:.3g}", f"{hi:.3g}"
        ),
    ]
    if dataset.n_classes:
        counts = dataset.class_counts()
        names = ", ".join(list(counts)[:8]) + (" …" if len(counts) > 8 else "")
        lines.append(translate("DataPanel", "{0} classes: {1}").format(dataset.n_classes, names))
    if dataset.anomalies is not None:
        lines.append(
            translate("DataPanel", "{0} marked anomalies").format(
                f"{int(dataset.anomalies.sum()):,}"
            )
        )
    return "<br>".join(lines)


class DataPanel(QWidget):
    """Loads data sets off the GUI thread and shows what was loaded.

    A source is loaded (and so checked) first; only when it loaded is :attr:`confirm_change`
    asked (the main window asks to reset a trained model there), and only then does it join
    the list of sources. ``dataset_changed(Dataset)`` fires when the new data are taken,
    ``load_failed(message)`` when they could not be loaded, ``change_declined(source)`` when
    they loaded but the user kept the old data.
    """

    dataset_changed = Signal(object)
    load_failed = Signal(str)
    change_declined = Signal(str)
    loading_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dataset: Dataset | None = None
        self.source: str | None = None
        #: Where the loaded data's labels came from (``DataSpec.label_column``).
        self.label_column: str | None = LABELS_AUTO
        self.columns: TableColumns | None = None
        self._label_values: list[str | None] = []
        self._labels_source: str | None = None
        self.confirm_change: Callable[[], bool] = lambda: True
        #: The running load (superseded ones are asked to quit and then ignored).
        self._task: FunctionWorker | None = None
        self._load_number = 0

        self.sources = QComboBox()
        self.sources.setToolTip(
            translate(
                "DataPanel", "Built-in data sets are generated in code; downloads are cached."
            )
        )
        from aeviewer.data.builtins import BUILTINS

        for name, info in BUILTINS.items():
            self.sources.addItem(source_label(f"builtin:{name}"), f"builtin:{name}")
            self.sources.setItemData(self.sources.count() - 1, info.description, _tip_role())
        self.sources.insertSeparator(self.sources.count())
        for name, label in DOWNLOAD_LABELS.items():
            self.sources.addItem(translate("DataPanel", label), name)
        self.open_file_button = QPushButton(translate("DataPanel", "Open file…"))
        self.open_file_button.setToolTip(translate("DataPanel", "CSV/TSV, NPY/NPZ or IDX (Ctrl+O)"))
        self.open_folder_button = QPushButton(translate("DataPanel", "Open folder…"))
        self.open_folder_button.setToolTip(
            translate("DataPanel", "A folder of PNG/JPEG images; sub-folders are classes")
        )
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.cancel_button = QPushButton(translate("DataPanel", "Cancel"))
        self.labels = QComboBox()
        self.labels.setToolTip(
            translate(
                "DataPanel",
                "Which column of the table holds the class labels; auto takes a column named "
                "label, class, target or y (any case)",
            )
        )
        self.labels_row = QWidget()
        labels_layout = QHBoxLayout(self.labels_row)
        labels_layout.setContentsMargins(0, 0, 0, 0)
        self.labels_title = QLabel(translate("DataPanel", "Labels:"))
        labels_layout.addWidget(self.labels_title)
        labels_layout.addWidget(self.labels, 1)
        self.labels_row.setVisible(False)
        self.info = QLabel(translate("DataPanel", "No data loaded"))
        self.info.setWordWrap(True)
        self.preview = SamplePreview()
        #: The normalisation and the normal class the loaded data are trained with.
        self.preparation = PreparationBox()

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_file_button)
        buttons.addWidget(self.open_folder_button)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sources)
        layout.addLayout(buttons)
        layout.addLayout(progress_row)
        layout.addWidget(self.labels_row)
        layout.addWidget(self.info)
        layout.addWidget(self.preparation)
        layout.addWidget(self.preview)
        layout.addStretch(1)
        # Long choices (translations are often longer) elide in the dock instead of widening
        # the panel past it, which would clip the buttons on the right.
        for combo in self.findChildren(QComboBox):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)
        self._show_loading(False)

        self.sources.activated.connect(self._on_source_picked)
        self.labels.activated.connect(self._on_labels_picked)
        self.open_file_button.clicked.connect(self.open_file)
        self.open_folder_button.clicked.connect(self.open_folder)
        self.cancel_button.clicked.connect(self.cancel)

    # -- requests ------------------------------------------------------------------------------
    def load(self, source: str, label_column: str | None = LABELS_AUTO) -> None:
        """Load ``source`` in the background, its labels as ``label_column`` says
        (``DataSpec.label_column``); the data are taken once loaded and confirmed."""
        if self._task is not None:
            self._task.quit()
        self._load_number += 1
        number = self._load_number
        task = FunctionWorker(load_dataset(source, label_column), "aeviewer-load")
        signals = task.signals
        signals.progressed.connect(while_alive(self, partial(self._on_progress, number)))
        signals.returned.connect(
            while_alive(self, partial(self._on_loaded, number, source, label_column))
        )
        signals.errored.connect(
            while_alive(self, partial(self._on_failed, number, source, label_column))
        )
        signals.aborted.connect(while_alive(self, partial(self._on_cancelled, number)))
        self._task = task
        self.info.setText(translate("DataPanel", "Loading {0} …").format(source))
        self.progress.setRange(0, 0)
        self._show_loading(True)
        task.start()

    def holds(self, source: str, label_column: str | None = LABELS_AUTO) -> bool:
        """True when the loaded data are ``source`` with labels as ``label_column`` says."""
        return (
            self.dataset is not None and self.source == source and self.label_column == label_column
        )

    def is_loading(self) -> bool:
        """True while a load runs."""
        return self._task is not None

    @Slot()
    def cancel(self) -> None:
        """Cancel the running load or download."""
        if self._task is not None:
            self._task.quit()

    @Slot()
    def open_file(self) -> None:
        """Ask for a data file and load it."""
        path = file_dialogs.ask_open_path(
            self, translate("DataPanel", "Open a data file"), FILE_FILTER
        )
        if path:
            self.load(path)

    @Slot()
    def open_folder(self) -> None:
        """Ask for a folder of images and load it."""
        path = file_dialogs.ask_folder(self, translate("DataPanel", "Open a folder of images"))
        if path:
            self.load(path)

    def shutdown(self) -> None:
        """Cancel the running load (when the window closes); waits for nothing."""
        self.cancel()

    # -- results -------------------------------------------------------------------------------
    def _on_loaded(
        self, number: int, source: str, label_column: str | None, result: Loaded
    ) -> None:
        if number != self._load_number:
            return
        self._finish()
        if self.dataset is not None and not self.confirm_change():
            self._restore()
            self.change_declined.emit(source)
            return
        self._select(source)
        dataset = result.dataset
        self.dataset = dataset
        self.source = source
        self.label_column = label_column
        self.columns = result.columns
        self._show_labels()
        self.info.setText(describe(dataset))
        self.info.setToolTip(source)
        self.preview.set_dataset(dataset)
        self.preparation.set_dataset(dataset)
        self.dataset_changed.emit(dataset)

    def _on_failed(self, number: int, source: str, label_column: str | None, message: str) -> None:
        if number != self._load_number:
            return
        self._finish()
        self._restore()
        # A table that failed (a text column, say) still offers its label columns to retry.
        columns = _columns_or_none(source) if source != self.source else None
        if columns is not None:
            self._show_labels(source, columns, label_column)
        self.load_failed.emit(message)
        dialogs.show_error(self, translate("DataPanel", "Cannot load the data set"), message)

    def _on_cancelled(self, number: int) -> None:
        if number != self._load_number:
            return
        self._finish()
        self._restore()

    def _on_progress(self, number: int, done: int, total: int) -> None:
        if number != self._load_number:
            return
        if total > 0:
            # QProgressBar holds ints; large byte counts are shown as per mille.
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(done, total) / total))
        else:
            self.progress.setRange(0, 0)

    def _finish(self) -> None:
        self._task = None
        self._show_loading(False)

    def _restore(self) -> None:
        self._select(self.source)
        self._show_labels()
        self.info.setText(
            describe(self.dataset)
            if self.dataset is not None
            else translate("DataPanel", "No data loaded")
        )

    def _show_loading(self, loading: bool) -> None:
        self.progress.setVisible(loading)
        self.cancel_button.setVisible(loading)
        self.loading_changed.emit(loading)

    def _select(self, source: str | None) -> None:
        if source is None:
            return
        index = self.sources.findData(source)
        if index < 0:
            self.sources.addItem(source_label(source), source)
            index = self.sources.count() - 1
            self.sources.setItemData(index, source, _tip_role())
        self.sources.setCurrentIndex(index)

    def _show_labels(
        self,
        source: str | None = None,
        columns: TableColumns | None = None,
        choice: str | None = LABELS_AUTO,
    ) -> None:
        """Offer the label choices of a table (by default the loaded one); hidden for every
        other source. Picking one loads ``source`` with it."""
        if source is None:
            source, columns, choice = self.source, self.columns, self.label_column
        self._labels_source = source
        self.labels_row.setVisible(columns is not None)
        # Named when it is not the loaded data: a table that failed to load, offered to retry.
        other = source is not None and source != self.source
        self.labels_title.setText(
            translate("DataPanel", "Labels of {0}:").format(Path(source).name)
            if other
            else translate("DataPanel", "Labels:")
        )
        if columns is None:
            return
        choices = label_choices(columns)
        if choice not in [value for value, _ in choices]:
            choices.append((choice, translate("DataPanel", "column {0}").format(choice)))
        self.labels.blockSignals(True)
        self.labels.clear()
        for _, text in choices:
            self.labels.addItem(text)
        self._label_values = [value for value, _ in choices]
        self.labels.setCurrentIndex(self._label_values.index(choice))
        self.labels.blockSignals(False)

    @Slot(int)
    def _on_labels_picked(self, index: int) -> None:
        source = self._labels_source
        if not 0 <= index < len(self._label_values) or source is None:
            return
        choice = self._label_values[index]
        if source != self.source or choice != self.label_column:
            self.load(source, choice)

    @Slot(int)
    def _on_source_picked(self, index: int) -> None:
        source = self.sources.itemData(index)
        if source and source != self.source:
            self.load(source)


def _tip_role():
    from PySide6.QtCore import Qt

    return Qt.ItemDataRole.ToolTipRole
