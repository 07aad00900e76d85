"""Progress reporting and cooperative cancellation shared by every loader."""

from __future__ import annotations

from collections.abc import Callable

from aeviewer.errors import DatasetError

ProgressCallback = Callable[[int, int], None]
CancelCallback = Callable[[], bool]


class LoadCancelled(DatasetError):
    """Loading or downloading was cancelled by the caller; nothing was kept."""


class Reporter:
    """Forward ``(done, total)`` to an optional callback and honour an optional cancel flag.

    Parameters
    ----------
    progress
        Called with the work done so far and the total, in any unit (rows, images, bytes).
    cancel
        Polled at every step; when it returns True the loader raises :class:`LoadCancelled`.
    what
        Named in the cancellation message, usually the file being read.
    """

    def __init__(
        self,
        progress: ProgressCallback | None = None,
        cancel: CancelCallback | None = None,
        what: str = "loading",
    ) -> None:
        self._progress = progress
        self._cancel = cancel
        self.what = what

    def check(self) -> None:
        """Raise :class:`LoadCancelled` when the caller asked to stop."""
        if self._cancel is not None and self._cancel():
            raise LoadCancelled(f"{self.what}: cancelled")

    def report(self, done: int, total: int) -> None:
        """Check for cancellation, then report ``done`` of ``total``."""
        self.check()
        if self._progress is not None:
            self._progress(int(done), int(total))
