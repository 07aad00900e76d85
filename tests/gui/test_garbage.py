"""Python's garbage collector runs in the GUI thread only while a window holds it."""

from __future__ import annotations

import gc
import threading
import weakref

from aeviewer.gui.garbage import COLLECTOR, GuiThreadCollector, collect_due_generations


class Node:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


def cyclic_garbage() -> weakref.ref:
    return weakref.ref(Node())


def allocate_past_the_threshold() -> list[list[int]]:
    return [[i] for i in range(3 * gc.get_threshold()[0])]


def test_holding_turns_automatic_collection_off_until_the_last_release(qapp) -> None:
    collector = GuiThreadCollector()
    # The suite's own fixture holds COLLECTOR already; this one starts from scratch.
    gc.enable()
    try:
        collector.hold()
        collector.hold()
        assert not gc.isenabled() and collector.active
        collector.release()
        assert not gc.isenabled()
        collector.release()
        assert gc.isenabled() and not collector.active
    finally:
        gc.disable()


def test_a_worker_thread_never_collects_and_the_gui_thread_does(qtbot) -> None:
    assert COLLECTOR.active
    gc.collect()
    garbage = cyclic_garbage()
    worker = threading.Thread(target=allocate_past_the_threshold)
    worker.start()
    worker.join()
    assert garbage() is not None
    kept = allocate_past_the_threshold()
    # The GUI thread's timer collects within a second or two of the threshold being passed.
    qtbot.waitUntil(lambda: garbage() is None, timeout=5_000)
    assert kept


def test_only_generations_past_their_threshold_are_collected() -> None:
    gc.collect()
    garbage = cyclic_garbage()
    collect_due_generations()
    assert garbage() is not None
    kept = allocate_past_the_threshold()
    collect_due_generations()
    assert garbage() is None
    assert kept


def test_pinning_from_another_thread_is_refused(qapp) -> None:
    errors: list[BaseException] = []

    def pin() -> None:
        try:
            GuiThreadCollector().hold()
        except RuntimeError as exc:
            errors.append(exc)

    worker = threading.Thread(target=pin)
    worker.start()
    worker.join()
    assert len(errors) == 1 and "GUI thread" in str(errors[0])
