"""The weights of the training model, handed from the training thread to the GUI thread.

The engine's model lives in the training thread. Between two events the loop's generator is
suspended, so the model is not changing then: :func:`with_weights` copies its state to the CPU
at exactly those moments (before each Snapshot and before Finished) and yields it as a
:class:`ModelWeights` item the GUI keeps in its own CPU copy of the model.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from aeviewer.training.events import Event, Finished, Snapshot


@dataclass(frozen=True, eq=False)
class ModelWeights:
    """A CPU copy of the model's state dict after ``epoch`` (a GUI-only item, not an event)."""

    epoch: int
    state: Mapping[str, Any]


def with_weights(
    start: Callable[[Callable[[Any], None]], Iterator[Event]],
) -> Iterator[Event | ModelWeights]:
    """The events of ``start(on_model)``, with :class:`ModelWeights` before Snapshot and Finished.

    ``start`` gets the callback the engine's ``train(..., on_model=...)`` takes. Runs in the
    training thread; imports nothing heavy itself (the engine has imported torch by then).
    """
    holder: list[Any] = []
    for event in start(holder.append):
        if isinstance(event, Snapshot | Finished) and holder:
            state = holder[0].state_dict()
            yield ModelWeights(
                event.epoch, {k: v.detach().to("cpu").clone() for k, v in state.items()}
            )
        yield event
