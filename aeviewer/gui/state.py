"""The states of a training session and which controls each one allows."""

from __future__ import annotations

import enum


class RunState(enum.Enum):
    """Where the session stands.

    ``IDLE``: no model yet (or just reset). ``RUNNING``: the loop trains. ``PAUSED``: the loop
    waits. ``STOPPING``: a stop was asked and the loop has not ended yet. ``FINISHED``: the loop
    ended (completed, stopped, diverged or failed); the model is kept until Reset, and Start or
    Step continue it.
    """

    IDLE = "idle"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPING = "stopping"
    FINISHED = "finished"


#: The states in which each training control is enabled.
ENABLED_IN: dict[str, frozenset[RunState]] = {
    "start": frozenset({RunState.IDLE, RunState.FINISHED}),
    "pause": frozenset({RunState.RUNNING, RunState.PAUSED}),
    "step": frozenset({RunState.IDLE, RunState.PAUSED, RunState.FINISHED}),
    "stop": frozenset({RunState.RUNNING, RunState.PAUSED}),
    "reset": frozenset({RunState.RUNNING, RunState.PAUSED, RunState.FINISHED}),
    "start_pause": frozenset({RunState.IDLE, RunState.RUNNING, RunState.PAUSED, RunState.FINISHED}),
}


def enabled_controls(state: RunState) -> dict[str, bool]:
    """For each control name, whether it is enabled in ``state``."""
    return {name: state in states for name, states in ENABLED_IN.items()}


def has_model(state: RunState) -> bool:
    """True when a model exists that a change of architecture would throw away."""
    return state is not RunState.IDLE
