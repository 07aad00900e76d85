"""A bounded history of per-epoch frames for the views' epoch sliders (Qt-free)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class ReplayHistory(Generic[T]):
    """Frames in arrival order, kept within a count and a byte budget.

    Above either limit every second older frame is dropped (the first and the newest always
    stay), so a long run keeps its whole span at a coarser step instead of losing its start.

    Parameters
    ----------
    size_of
        Bytes a frame holds.
    max_frames, max_bytes
        The limits.
    """

    def __init__(self, size_of: Callable[[T], int], max_frames: int = 200, max_bytes: int = 2**28):
        self.size_of = size_of
        self.max_frames = max_frames
        self.max_bytes = max_bytes
        self._frames: list[T] = []

    def append(self, frame: T) -> None:
        """Add the newest frame, thinning older ones when a limit is exceeded."""
        self._frames.append(frame)
        while len(self._frames) > 2 and (
            len(self._frames) > self.max_frames
            or sum(self.size_of(f) for f in self._frames) > self.max_bytes
        ):
            self._frames = [*self._frames[:-1:2], self._frames[-1]]

    def clear(self) -> None:
        """Forget every frame."""
        self._frames.clear()

    def __len__(self) -> int:
        return len(self._frames)

    def __getitem__(self, index: int) -> T:
        return self._frames[index]

    def __iter__(self) -> Iterator[T]:
        return iter(self._frames)
