"""The GUI's CPU copy of the training model: weights handed over at snapshots, decoding."""

from __future__ import annotations

import numpy as np
from gui_helpers import TIMEOUT_MS

from aeviewer.gui.model_weights import ModelWeights, with_weights
from aeviewer.gui.state import RunState
from aeviewer.training.events import Finished, Snapshot


def run_to_the_end(qtbot, window) -> None:
    """Start the window's run and wait until it finished."""
    assert window.controller.start()
    qtbot.waitUntil(lambda: window.state is RunState.FINISHED, timeout=TIMEOUT_MS)


def test_the_views_decode_with_the_trained_model(qtbot, window):
    run_to_the_end(qtbot, window)
    latent, anomalies = window.view("Latent space"), window.view("Anomalies")
    decoder = latent._decoder
    assert decoder is not None
    assert anomalies._decoder == decoder
    snap = latent._latest
    assert window.model_mirror.epoch == snap.epoch == 2
    rows = {int(i): r for r, i in enumerate(snap.eval_indices)}
    codes = snap.latents[[rows[int(i)] for i in snap.recon_indices]]
    decoded = decoder(codes)
    n, d = len(codes), window.dataset.n_features
    assert decoded.shape == (n, d)
    np.testing.assert_allclose(decoded, snap.reconstructions.reshape(n, d), atol=1e-5)


def test_a_reset_takes_the_decoder_away(qtbot, window):
    run_to_the_end(qtbot, window)
    window.controller.reset()
    assert window.view("Latent space")._decoder is None
    assert not window.model_mirror.has_model


def test_weights_come_before_snapshots_and_the_end():
    class Model:
        def __init__(self) -> None:
            import torch

            self.weight = torch.zeros(2)

        def state_dict(self):
            return {"weight": self.weight}

    model = Model()

    def start(on_model):
        on_model(model)
        model.weight += 1
        yield Snapshot(epoch=1, step=3, stage="train", eval_indices=np.arange(2))
        model.weight += 1
        yield Finished("completed", 1, 3)

    items = list(with_weights(start))
    kinds = [type(item).__name__ for item in items]
    assert kinds == ["ModelWeights", "Snapshot", "ModelWeights", "Finished"]
    first, second = items[0], items[2]
    assert isinstance(first, ModelWeights) and first.epoch == 1
    assert first.state["weight"].tolist() == [1.0, 1.0]
    assert second.state["weight"].tolist() == [2.0, 2.0]


def test_handed_weights_are_loaded_only_when_the_model_is_used(monkeypatch):
    import torch

    from aeviewer.config import ModelSpec, RunConfig
    from aeviewer.data import load_source
    from aeviewer.gui.model_mirror import ModelMirror
    from aeviewer.models import registry
    from aeviewer.models.info import DataInfo

    dataset = load_source("builtin:moons?n=200")
    config = RunConfig(model=ModelSpec(kind="ae", latent=2, hidden=(8,)))
    trained = registry.build_model(config.model, DataInfo.from_dataset(dataset))
    builds: list[object] = []
    build = registry.build_model
    monkeypatch.setattr(registry, "build_model", lambda *a: builds.append(a) or build(*a))

    mirror = ModelMirror()
    for epoch in (1, 2):
        with torch.no_grad():
            for p in trained.parameters():
                p.add_(0.1)
        state = {k: v.clone() for k, v in trained.state_dict().items()}
        mirror.load_state(config, dataset, state, epoch)
    assert builds == []
    assert mirror.has_model and mirror.can_decode() and mirror.epoch == 2
    codes = np.zeros((3, 2), np.float32)
    with torch.no_grad():
        expected = trained.decode(torch.from_numpy(codes)).reshape(3, -1).numpy()
    np.testing.assert_allclose(mirror.decode(codes), expected, rtol=1e-6)
    assert len(builds) == 1


def test_a_background_decode_sees_one_whole_set_of_weights():
    import threading

    import torch

    from aeviewer.config import ModelSpec, RunConfig
    from aeviewer.data import load_source
    from aeviewer.gui.model_mirror import ModelMirror
    from aeviewer.models.info import DataInfo
    from aeviewer.models.registry import build_model

    dataset = load_source("builtin:moons?n=200")
    config = RunConfig(model=ModelSpec(kind="ae", latent=2, hidden=(64, 64)))
    info = DataInfo.from_dataset(dataset)
    states = []
    for seed in range(3):
        torch.manual_seed(seed)
        states.append(
            {k: v.clone() for k, v in build_model(config.model, info).state_dict().items()}
        )
    codes = np.random.default_rng(0).normal(size=(64, 2)).astype(np.float32)
    mirror = ModelMirror()
    expected = []
    for state in states:
        mirror.load_state(config, dataset, state, 1)
        expected.append(mirror.decode(codes))
    seen: list[np.ndarray] = []
    stop = threading.Event()

    def decode_until_stopped() -> None:
        while not stop.is_set():
            seen.append(mirror.decode(codes))

    worker = threading.Thread(target=decode_until_stopped)
    worker.start()
    try:
        for i in range(300):
            mirror.load_state(config, dataset, states[i % 3], i)
            mirror.decode(codes[:1])
    finally:
        stop.set()
        worker.join()
    assert seen
    for out in seen:
        assert any(np.array_equal(out, e) for e in expected)


def test_decoding_read_only_latents_warns_nothing():
    import warnings

    from aeviewer.config import ModelSpec, RunConfig
    from aeviewer.data import load_source
    from aeviewer.gui.model_mirror import ModelMirror
    from aeviewer.models.info import DataInfo
    from aeviewer.models.registry import build_model

    dataset = load_source("builtin:moons?n=50")
    config = RunConfig(model=ModelSpec(kind="ae", latent=2, hidden=(8,)))
    mirror = ModelMirror()
    model = build_model(config.model, DataInfo.from_dataset(dataset))
    mirror.load_state(config, dataset, model.state_dict(), 1)
    latents = np.zeros((4, 2), np.float32)
    latents.flags.writeable = False  # as every snapshot array is
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        decoded = mirror.decode(latents[1:3])
    assert decoded.shape == (2, dataset.n_features)
