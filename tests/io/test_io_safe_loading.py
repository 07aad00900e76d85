"""Opening models executes nothing from the file, and mismatches are clear errors."""

from __future__ import annotations

import json
import pathlib
import pickle

import pytest
import torch
from safetensors.torch import save_file

from aeviewer.errors import RunError
from aeviewer.io import check_data_fits, export_model, open_model, path_kind
from aeviewer.io.models import read_state_dict


class _Planted:
    """Unpickles to a call of ``Path.touch(marker)``: a file appears if the pickle runs."""

    def __init__(self, marker: pathlib.Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (pathlib.Path.touch, (self.marker,))


def _description(model_of, tmp_path, stem: str) -> None:
    export_model(model_of("ae"), tmp_path / stem, format="safetensors")
    (tmp_path / f"{stem}.safetensors").unlink()


def test_a_planted_pickle_is_refused_and_runs_nothing(model_of, tmp_path):
    marker = tmp_path / "pwned"
    _description(model_of, tmp_path, "evil")
    with open(tmp_path / "evil.pt", "wb") as handle:
        pickle.dump({"encoder.0.weight": _Planted(marker)}, handle, protocol=2)
    # The same kind of pickle is live: plain unpickling creates its marker.
    proof = tmp_path / "proof"
    pickle.loads(pickle.dumps(_Planted(proof), protocol=2))
    assert proof.exists()
    with pytest.raises(RunError, match=r"evil\.pt: refused: the pickle holds more than") as info:
        open_model(tmp_path / "evil.pt")
    assert "Unsupported global" in str(info.value) and "weights_only" not in str(info.value)
    assert not marker.exists()
    with pytest.raises(RunError, match="would run code"):
        read_state_dict(tmp_path / "evil.pt")
    assert not marker.exists()


def test_a_plain_state_dict_opens_with_its_description(model_of, tmp_path):
    loaded = model_of("ae")
    _description(model_of, tmp_path, "plain")
    torch.save(loaded.model.state_dict(), tmp_path / "plain.pt")
    model = open_model(tmp_path / "plain.pt").model
    x = torch.rand(3, 64)
    with torch.no_grad():
        assert torch.equal(model(x), loaded.model(x))


def test_a_weights_file_without_a_description_is_refused(model_of, tmp_path):
    torch.save(model_of("ae").model.state_dict(), tmp_path / "lonely.pt")
    with pytest.raises(RunError, match=r"lonely\.pt: no model description beside it"):
        open_model(tmp_path / "lonely.pt")


def test_weights_of_the_wrong_shape_name_the_file_and_the_tensor(model_of, tmp_path):
    loaded = model_of("ae")
    export_model(loaded, tmp_path / "m", format="safetensors")
    state = {k: v.clone() for k, v in loaded.model.state_dict().items()}
    state["encoder.0.weight"] = torch.zeros(3, 64)
    save_file(state, tmp_path / "m.safetensors")
    with pytest.raises(RunError, match=r"m\.safetensors: weights do not fit.*encoder\.0\.weight"):
        open_model(tmp_path / "m.safetensors")


def test_missing_tensors_name_the_file_and_the_tensor(model_of, tmp_path):
    loaded = model_of("ae")
    export_model(loaded, tmp_path / "m", format="safetensors")
    state = {k: v for k, v in loaded.model.state_dict().items() if k != "decoder.2.bias"}
    save_file(state, tmp_path / "m.safetensors")
    with pytest.raises(RunError, match=r"m\.safetensors: .*Missing key.*decoder\.2\.bias"):
        open_model(tmp_path / "m.safetensors")


def test_a_description_that_does_not_match_the_weights_is_refused(model_of, tmp_path):
    export_model(model_of("ae"), tmp_path / "m", format="safetensors")
    meta = json.loads((tmp_path / "m.json").read_text())
    meta["config"]["model"]["latent"] = 5
    (tmp_path / "m.json").write_text(json.dumps(meta))
    with pytest.raises(RunError, match=r"m\.safetensors: weights do not fit.*size mismatch"):
        open_model(tmp_path / "m.json")


def test_a_damaged_description_is_a_clear_error(tmp_path):
    (tmp_path / "m.json").write_text('{"format": "aeviewer.model", "config"')
    with pytest.raises(RunError, match=r"m\.json: not a readable model description"):
        open_model(tmp_path / "m.json")


def test_data_of_the_wrong_size_does_not_fit(model_of, images):
    loaded = model_of("conv")
    check_data_fits(loaded.record.data, images, "m.json")
    other = images
    flat = type(other)(
        x=other.x[:, :60].copy(), sample_shape=(60,), name="small", source="small.csv"
    )
    with pytest.raises(RunError, match=r"small\.csv: samples of shape \[60\].*do not fit.*m\.json"):
        check_data_fits(loaded.record.data, flat, "m.json")
    as_vectors = type(other)(x=other.x, sample_shape=(64,), name="v", source="v.npy")
    with pytest.raises(RunError, match=r"built for shape \[1, 8, 8\]"):
        check_data_fits(loaded.record.data, as_vectors, "m.json")


@pytest.mark.parametrize(
    ("suffix", "message"), [(".onnx", "an ONNX export"), (".aev", "a saved session")]
)
def test_other_files_are_refused_with_what_they_are(tmp_path, suffix, message):
    path = tmp_path / f"thing{suffix}"
    path.write_bytes(b"not really")
    with pytest.raises(RunError, match=message):
        open_model(path)


def test_path_kind_tells_the_gui_how_to_open_a_path(trained_run, model_of, tmp_path):
    run_dir, _ = trained_run
    assert path_kind(run_dir) == "run"
    assert path_kind(run_dir / "model.json") == "model"
    export_model(model_of("ae"), tmp_path / "m", format="safetensors")
    assert path_kind(tmp_path / "m.safetensors") == "model"
    (tmp_path / "s.aev").write_bytes(b"")
    assert path_kind(tmp_path / "s.aev") == "session"
    (tmp_path / "p.pt2").write_bytes(b"")
    with pytest.raises(RunError, match=r"does not open \.pt2 files"):
        path_kind(tmp_path / "p.pt2")
    with pytest.raises(RunError, match="not a run directory"):
        path_kind(tmp_path)
