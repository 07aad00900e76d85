"""A small thread-safe control object that the training loop checks every batch."""

from __future__ import annotations

import threading


class TrainingControl:
    """Stop, pause and resume, and live learning-rate changes, shared between threads.

    The loop calls :meth:`checkpoint` once per batch; it blocks while paused and returns
    ``False`` once a stop was requested. Learning-rate requests are picked up with
    :meth:`take_lr_changes`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._resume = threading.Event()
        self._resume.set()
        self._stop = threading.Event()
        self._lr_changes: dict[str, float] = {}
        self._epoch_budget: int | None = None
        # Batches the loop has run, and how many had run when allow_epochs() was called: an
        # epoch whose batches all ran before the request (its end was still being processed
        # when the request came, as when a GUI steps right after an EpochEnd) does not count.
        self._batches = 0
        self._batches_at_request = 0
        self._epochs_done = 0
        self._waiting = False
        self._preparing: tuple[int, int, str] | None = None

    # -- requests, from any thread -----------------------------------------------------------
    def stop(self) -> None:
        """Ask the loop to stop after the current batch (also releases a pause)."""
        with self._lock:
            self._stop.set()
            self._resume.set()

    def pause(self) -> None:
        """Ask the loop to wait before its next batch (no effect once a stop was asked)."""
        with self._lock:
            if not self._stop.is_set():
                self._resume.clear()

    def resume(self) -> None:
        """Let a paused loop go on."""
        self._resume.set()

    def set_lr(self, lr: float, group: str = "model") -> None:
        """Request a new learning rate for an optimiser (``model``, or ``generator`` and
        ``discriminator`` for a GAN)."""
        if not lr > 0:
            raise ValueError(f"learning rate must be positive, got {lr}")
        with self._lock:
            self._lr_changes[group] = float(lr)

    def allow_epochs(self, n: int | None) -> None:
        """Let the loop run ``n`` more epochs and then pause; ``None`` removes the limit."""
        with self._lock:
            self._epoch_budget = n
            self._batches_at_request = self._batches
        self._resume.set()

    def report_preparing(self, index: int, total: int, step: str) -> None:
        """The loop is at set-up step ``index`` of ``total`` (``step``, a key of
        :data:`~aeviewer.training.setup.SETUP_STEPS`); read with :attr:`preparing`."""
        self._preparing = (index, total, step)

    # -- state -------------------------------------------------------------------------------
    @property
    def preparing(self) -> tuple[int, int, str] | None:
        """The set-up step the run is at, as ``(index, total, step)``; None before set-up
        began. A watcher reads it without waiting (one tuple, replaced whole)."""
        return self._preparing

    @property
    def stop_requested(self) -> bool:
        """True once :meth:`stop` was called."""
        return self._stop.is_set()

    @property
    def waiting(self) -> bool:
        """True while the loop is blocked in :meth:`checkpoint` (a pause has taken effect)."""
        return self._waiting

    @property
    def epochs_done(self) -> int:
        """Epochs the loop reported through :meth:`epoch_finished`."""
        return self._epochs_done

    @property
    def paused(self) -> bool:
        """True while a pause is in force."""
        return not self._resume.is_set() and not self._stop.is_set()

    # -- the loop's side ---------------------------------------------------------------------
    def checkpoint(self, timeout: float | None = None) -> bool:
        """Block while paused; return False when the loop must stop.

        ``timeout`` bounds one wait (for tests and for loops that want to emit while paused).
        """
        if self._stop.is_set():
            return False
        self._waiting = True
        try:
            if self._resume.wait(timeout):
                self._batches += 1
        finally:
            self._waiting = False
        return not self._stop.is_set()

    def take_lr_changes(self) -> dict[str, float]:
        """Return and clear the pending learning-rate requests."""
        with self._lock:
            changes, self._lr_changes = self._lr_changes, {}
        return changes

    def epoch_finished(self) -> None:
        """Count one epoch against the budget set by :meth:`allow_epochs`; pause when spent."""
        with self._lock:
            self._epochs_done += 1
            if self._epoch_budget is None:
                return
            if self._batches > 0 and self._batches == self._batches_at_request:
                return
            self._epoch_budget -= 1
            if self._epoch_budget <= 0:
                self._epoch_budget = None
                # A stop that came first must not be turned into a pause that never ends.
                if not self._stop.is_set():
                    self._resume.clear()
