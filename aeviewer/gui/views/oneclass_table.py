"""The one-class table of the open data set, measured in the background.

Each class in turn is the normal one: a model of the current family, with the panels' settings,
trains on that class alone, and the ROC AUC of its reconstruction error over every held-out
sample sits beside PCA's of the same size and, on MNIST, the published Deep SVDD and DCAE
figures (:mod:`aeviewer.training.oneclass`, as ``aeviewer benchmark oneclass`` measures it).
Rows appear as their classes finish; Cancel keeps them.
"""

from __future__ import annotations

import threading
from functools import partial

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from aeviewer.analysis.published import CITATION
from aeviewer.config import RunConfig
from aeviewer.data.dataset import Dataset
from aeviewer.gui import dialogs, file_dialogs
from aeviewer.gui.threads import GeneratorWorker, while_alive
from aeviewer.io.atomic import atomic_write_text
from aeviewer.training.oneclass import (
    OneClassCell,
    OneClassProgress,
    OneClassTable,
    empty_table,
    one_class_cells,
)

#: Progress bar resolution per class.
STEPS_PER_CLASS = 100

#: Column titles of the published figures.
PUBLISHED_TITLES = {"deep_svdd": "Deep SVDD", "dcae": "DCAE"}


def _is_progress(item: object) -> bool:
    return isinstance(item, OneClassProgress)


def parse_classes(text: str, n_classes: int) -> list[int]:
    """The classes typed as ``0, 2, 5`` (empty or ``all``: every class).

    Raises
    ------
    ValueError
        For a word that is not a class of the data.
    """
    text = text.strip()
    if not text or text.lower() == "all":
        return list(range(n_classes))
    classes: list[int] = []
    for word in text.replace(",", " ").split():
        value = int(word)
        if not 0 <= value < n_classes:
            raise ValueError(word)
        if value not in classes:
            classes.append(value)
    return classes


class OneClassTableDialog(QDialog):
    """A window with the table, its progress, Start/Cancel and Export CSV (not modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("One-class table"))
        self.setModal(False)
        self.resize(720, 460)
        self._dataset: Dataset | None = None
        self._config: RunConfig | None = None
        #: The table measured (or being measured); None before the first Start.
        self.table: OneClassTable | None = None
        self._worker: GeneratorWorker | None = None
        self._stop: threading.Event | None = None
        self._number = 0
        self._classes: list[int] = []
        self._failed = False

        self.about = QLabel()
        self.about.setWordWrap(True)
        self.classes_edit = QLineEdit()
        self.classes_edit.setPlaceholderText(self.tr("all, or for example 0, 2, 5"))
        self.classes_edit.setToolTip(self.tr("The classes to take in turn as the normal one"))
        self.start_button = QPushButton(self.tr("Start"))
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.progress = QProgressBar()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.grid = QTableWidget(0, 0)
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setVisible(False)
        self.citation = QLabel()
        self.citation.setWordWrap(True)
        self.citation.setStyleSheet("color: #555555;")

        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Classes")))
        row.addWidget(self.classes_edit, 1)
        row.addWidget(self.start_button)
        row.addWidget(self.cancel_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.citation, 1)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.about)
        layout.addLayout(row)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.grid, 1)
        layout.addLayout(bottom)

        self.start_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.export_button.clicked.connect(self._ask_export)
        self._show_running(False)

    # -- inputs --------------------------------------------------------------------------------
    def set_inputs(self, dataset: Dataset, config: RunConfig) -> None:
        """Measure ``dataset`` (prepared) with ``config``'s family and settings from now on."""
        self._dataset, self._config = dataset, config
        model = config.model
        self.about.setText(
            self.tr(
                "Each class of {0} in turn is the normal one: a {1} model with latent size {2} "
                "and the Training panel's settings trains on that class alone, and its "
                "reconstruction error scores every held-out sample (the other classes are the "
                "anomalies). ROC AUC beside PCA with {2} components."
            ).format(dataset.name, model.kind, model.latent)
        )

    @property
    def is_running(self) -> bool:
        """True while a table is being measured."""
        return self._worker is not None

    # -- actions -------------------------------------------------------------------------------
    @Slot()
    def start(self) -> None:
        """Measure the table in the background (rows appear as classes finish)."""
        if self._worker is not None or self._dataset is None or self._config is None:
            return
        dataset, config = self._dataset, self._config
        try:
            classes = parse_classes(self.classes_edit.text(), dataset.n_classes)
        except ValueError as exc:
            self.status.setText(
                self.tr("No class {0}: the classes are 0 to {1}.").format(
                    exc.args[0] if exc.args else "?", dataset.n_classes - 1
                )
            )
            return
        kind = config.model.kind
        self.table = empty_table(dataset, (kind,), config.model.latent, classes)
        self._classes = classes
        self._fill_grid()
        self._number += 1
        self._failed = False
        stop = threading.Event()
        self._stop = stop
        worker = GeneratorWorker(
            partial(one_class_cells, config, dataset, classes, stop.is_set),
            "aeviewer-oneclass",
            droppable=_is_progress,
        )
        signals = worker.signals
        signals.yielded.connect(while_alive(self, partial(self._on_item, self._number)))
        signals.errored.connect(while_alive(self, partial(self._on_error, self._number)))
        signals.finished.connect(while_alive(self, partial(self._on_finished, self._number)))
        self._worker = worker
        self.progress.setRange(0, STEPS_PER_CLASS * len(classes))
        self.progress.setValue(0)
        self.status.setText(self.tr("Training class {0} …").format(classes[0]))
        self._show_running(True)
        worker.start()

    @Slot()
    def cancel(self) -> None:
        """Ask the measurement to stop at its next batch; the rows measured stay."""
        if self._stop is not None:
            self._stop.set()
        if self._worker is not None:
            self._worker.quit()
            self.status.setText(self.tr("Stopping …"))

    def export_csv(self, path: str) -> None:
        """Write the table as CSV, atomically."""
        if self.table is None:
            raise ValueError("no table yet")
        atomic_write_text(path, self.table.to_csv())

    # -- worker results ------------------------------------------------------------------------
    def _on_item(self, number: int, item: object) -> None:
        if number != self._number or self.table is None:
            return
        if isinstance(item, OneClassProgress):
            self.progress.setValue(round(STEPS_PER_CLASS * item.done))
            done = int(item.done)
            if done < len(self._classes):
                self.status.setText(
                    self.tr("Training class {0} ({1} of {2}) …").format(
                        self._classes[done], done + 1, len(self._classes)
                    )
                )
        elif isinstance(item, OneClassCell):
            self.table.add(item)
            self._fill_grid()

    def _on_error(self, number: int, message: str) -> None:
        if number == self._number:
            self._failed = True
            self.status.setText(self.tr("The table could not be measured: {0}").format(message))

    def _on_finished(self, number: int) -> None:
        if number != self._number:
            return
        stopped = self._stop is not None and self._stop.is_set()
        self._worker = None
        self._stop = None
        self._show_running(False)
        table = self.table
        if table is None or self._failed:
            return
        measured = len(table.classes)
        if stopped:
            self.status.setText(
                self.tr("Cancelled after {0} of {1} classes.").format(measured, len(self._classes))
            )
        else:
            self.status.setText(self.tr("Done: {0} classes.").format(measured))

    # -- drawing -------------------------------------------------------------------------------
    def _fill_grid(self) -> None:
        table = self.table
        if table is None:
            return
        columns = table.columns
        titles = [
            PUBLISHED_TITLES.get(c, "PCA" if c == "pca" else f"{c} (aeviewer)") for c in columns
        ]
        self.grid.setColumnCount(1 + len(columns))
        self.grid.setHorizontalHeaderLabels([self.tr("normal class"), *titles])
        rows = [*self._classes, "mean"]
        self.grid.setRowCount(len(rows))
        dataset = self._dataset
        kind = table.models[0]
        for r, cls in enumerate(rows):
            if cls == "mean":
                name = self.tr("mean")
                values = {c: table.mean(c) if table.classes else None for c in columns}
            else:
                name = f"{cls}: {dataset.class_name(cls)}" if dataset is not None else str(cls)
                values = {c: table.value(c, cls) for c in columns}
            self.grid.setItem(r, 0, QTableWidgetItem(name))
            for j, column in enumerate(columns, start=1):
                value = values[column]
                item = QTableWidgetItem("—" if value is None else f"{value:.3f}")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                mine, pca = values.get(kind), values.get("pca")
                both = mine is not None and pca is not None
                if column in (kind, "pca") and both and value == max(mine, pca):
                    # The better of the model and PCA in bold.
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                self.grid.setItem(r, j, item)
        # The means are over the classes measured so far (published ones: the same classes).
        self.citation.setText(
            self.tr("Published figures: {0}. Means over the classes measured.").format(CITATION)
            if table.published
            else self.tr("ROC AUC; means over the classes measured.")
        )

    def _show_running(self, running: bool) -> None:
        self.start_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.classes_edit.setEnabled(not running)
        self.export_button.setEnabled(not running and self.table is not None)
        self.progress.setVisible(running)

    # -- export --------------------------------------------------------------------------------
    @Slot()
    def _ask_export(self) -> None:
        path = file_dialogs.ask_save_path(
            self, self.tr("Export one-class table"), "CSV (*.csv)", name="oneclass.csv"
        )
        if not path:
            return
        try:
            self.export_csv(path)
        except OSError as exc:
            dialogs.show_error(self, self.tr("Export failed"), f"{path}: {exc}")

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window cancels a measurement under way (nothing waits for it)."""
        self.cancel()
        super().closeEvent(event)
