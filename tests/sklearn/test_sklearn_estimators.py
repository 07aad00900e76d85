"""The estimators as a notebook uses them: settings, inputs, families, pipelines, bad input."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn_data import FAST, images, vectors

from aeviewer.config import ModelSpec, TrainSpec
from aeviewer.sklearn import AutoencoderOutlierDetector, AutoencoderTransformer
from aeviewer.sklearn.params import TRAIN_EXCLUDED


# -- settings ---------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [AutoencoderTransformer, AutoencoderOutlierDetector])
def test_every_model_and_training_setting_is_an_argument_with_the_engines_default(cls):
    params = cls().get_params()
    for spec in (ModelSpec(), TrainSpec()):
        for f in fields(spec):
            if f.name not in TRAIN_EXCLUDED:
                assert params[f.name] == getattr(spec, f.name), f.name
    assert params["random_state"] is None and params["verbose"] == 0
    assert params["normalize"] == "auto" and params["val_fraction"] == 0.2
    with pytest.raises(TypeError, match="unexpected keyword arguments: latnet"):
        cls(latnet=3)


def test_settings_reach_the_engine(tmp_path):
    x, _ = vectors(n=80)
    est = AutoencoderTransformer(
        "sparse",
        latent=np.int64(3),
        hidden=[12, 6],
        sparsity="kl:0.1:0.5",
        epochs=2,
        lr=np.float32(0.01),
        optimizer="sgd",
        random_state=3,
        val_fraction=0.25,
    ).fit(x)
    model, train = est.config_.model, est.config_.train
    assert model.kind == "sparse" and model.latent == 3 and model.hidden == (12, 6)
    assert model.sparsity is not None and model.sparsity.rate == 0.1
    assert train.optimizer == "sgd" and train.lr == pytest.approx(0.01) and train.seed == 3
    assert est.config_.data.val_fraction == 0.25 and est.seed_ == 3
    assert est.get_params()["hidden"] == [12, 6]  # the argument itself is left as given
    assert [r["epoch"] for r in est.history_] == [1, 2] and "loss" in est.history_[0]["val"]


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"latent": 0}, "latent size must be at least 1"),
        ({"kind": "nope"}, "unknown model kind"),
        ({"noise": "salt:1"}, "unknown noise"),
        ({"hidden": "16"}, "invalid value for hidden"),
        ({"epochs": 2.5}, "invalid value for epochs"),
        ({"device": "tpu"}, "unknown device"),
    ],
)
def test_invalid_settings_are_value_errors_at_fit(settings, message):
    est = AutoencoderTransformer(**{**FAST, **settings})  # construction never validates
    with pytest.raises(ValueError, match=message):
        est.fit(vectors(n=40)[0])


def test_random_state_none_draws_a_seed_an_integer_repeats_exactly():
    x, _ = vectors(n=80)
    a = AutoencoderTransformer(**FAST, random_state=5).fit(x)
    b = clone(a).fit(x)
    np.testing.assert_array_equal(a.transform(x), b.transform(x))
    drawn = AutoencoderTransformer(**FAST).fit(x)
    assert isinstance(drawn.seed_, int) and drawn.config_.train.seed == drawn.seed_


def test_progress_is_off_by_default_and_verbose_prints_epochs(capsys):
    x, _ = vectors(n=60)
    AutoencoderTransformer(**FAST, random_state=0).fit(x)
    assert capsys.readouterr().err == ""
    AutoencoderTransformer(**FAST, random_state=0, verbose=1).fit(x)
    err = capsys.readouterr().err
    assert "training ae" in err and "epoch 2/2 train" in err


# -- inputs -----------------------------------------------------------------------------------
def test_transform_inverse_transform_and_scores_of_vectors():
    x, _ = vectors(n=120)
    est = AutoencoderTransformer(**FAST, random_state=0).fit(x)
    codes = est.transform(x)
    assert codes.shape == (120, 2) and codes.dtype == np.float64
    assert est.transform(x.astype(np.float32)).dtype == np.float32
    back = est.inverse_transform(codes)
    assert back.shape == x.shape
    errors = est.reconstruction_error(x)
    assert errors.shape == (120,) and (errors >= 0).all()
    np.testing.assert_allclose(est.score_samples(x), -errors)
    assert est.score(x) == pytest.approx(-errors.mean())
    # The error is the mean squared difference in normalised (z-scored) units.
    norm = est.normalization_
    expected = ((norm.apply(back) - norm.apply(x)) ** 2).mean(axis=1)
    np.testing.assert_allclose(errors, expected, rtol=1e-3, atol=1e-5)


def test_dataframes_keep_their_column_names():
    x, _ = vectors(n=80)
    frame = pd.DataFrame(x, columns=[f"f{i}" for i in range(8)]).astype("float32")
    est = AutoencoderTransformer(**FAST, random_state=0).fit(frame)
    assert list(est.feature_names_in_) == list(frame.columns)
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        np.testing.assert_array_equal(est.transform(frame), est.transform(x.astype(np.float32)))
    out = est.set_output(transform="pandas").transform(frame)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["autoencodertransformer0", "autoencodertransformer1"]
    with pytest.raises(ValueError, match="feature names should match"):
        est.transform(frame.rename(columns={"f0": "other"}))


def test_dataframe_with_a_text_column_is_refused():
    frame = pd.DataFrame({"a": [0.1, 0.2, 0.3], "b": ["x", "y", "z"]})
    with pytest.raises(ValueError, match="could not convert string to float"):
        AutoencoderTransformer(**FAST).fit(frame)


@pytest.mark.parametrize("shape", [(9, 11), (1, 9, 11), (3, 6, 5)])
def test_images_train_a_conv_model_and_come_back_in_their_shape(shape):
    x = images(n=40, shape=shape)
    est = AutoencoderTransformer("conv", **FAST, conv_channels=(4,), random_state=0).fit(x)
    assert est.sample_shape_ == (shape if len(shape) == 3 else (1, *shape))
    assert est.n_features_in_ == int(np.prod(shape))
    codes = est.transform(x)
    np.testing.assert_array_equal(est.transform(x.reshape(40, -1)), codes)  # flattened too
    assert est.inverse_transform(codes).shape == (40, *shape)


def test_flat_rows_read_as_images_with_sample_shape():
    x = images(n=40, shape=(9, 11)).reshape(40, -1)
    est = AutoencoderTransformer(
        "conv", **FAST, conv_channels=(4,), sample_shape=(9, 11), random_state=0
    ).fit(x)
    assert est.sample_shape_ == (1, 9, 11) and est.inverse_transform(est.transform(x)).shape == (
        40,
        99,
    )
    with pytest.raises(ValueError, match="sample_shape"):
        AutoencoderTransformer("conv", **FAST, sample_shape=(10, 10)).fit(x)


def test_bytes_are_scaled_as_the_file_readers_scale_them():
    raw = (images(n=40, shape=(8, 8)) * 255).astype(np.uint8)
    est = AutoencoderTransformer(**FAST, random_state=0).fit(raw)
    assert est.normalization_.kind == "minmax" and float(est.normalization_.scale) == 255.0
    assert est.config_.model.output == "auto"
    np.testing.assert_array_equal(est.transform(raw), est.transform(raw.astype(np.float32)))
    assert est.inverse_transform(est.transform(raw)).max() > 1.0  # back in 0..255 units


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        (np.full((10, 8), np.nan), ValueError, "NaN"),
        (np.full((10, 8), np.inf), ValueError, "infinity"),
        (np.empty((0, 8)), ValueError, "0 sample"),
        (np.ones(8), ValueError, "Expected 2D array"),
        (np.ones((4, 2, 2, 2, 2)), ValueError, "too many dimensions"),
        (np.ones((10, 8), dtype=complex), ValueError, "Complex data not supported"),
    ],
)
def test_bad_input_fails_as_scikit_learn_fails(bad, error, message):
    with pytest.raises(error, match=message):
        AutoencoderTransformer(**FAST).fit(bad)


def test_wrong_shapes_after_fit_and_use_before_fit():
    x, _ = vectors(n=60)
    est = AutoencoderTransformer(**FAST, random_state=0)
    for method in ("transform", "score_samples", "inverse_transform"):
        with pytest.raises(NotFittedError):
            getattr(est, method)(x)
    est.fit(x)
    with pytest.raises(ValueError, match="X has 7 features, but AutoencoderTransformer is"):
        est.transform(x[:, :7])
    with pytest.raises(ValueError, match="expecting codes of 2 features"):
        est.inverse_transform(np.zeros((3, 5)))
    with pytest.raises(ValueError, match="NaN"):
        est.transform(np.full((2, 8), np.nan))
    img = AutoencoderTransformer(**FAST, random_state=0).fit(images(n=30, shape=(6, 6)))
    with pytest.raises(ValueError, match=r"fitted on samples of shape \(6, 6\)"):
        img.transform(images(n=3, shape=(6, 5)))
    with pytest.raises(ValueError, match="expecting 36 features"):
        img.transform(np.zeros((3, 35)))


# -- families ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "extra"),
    [
        ("linear", {}),
        ("denoising", {"noise": "mask:0.2"}),
        ("stacked", {"stage_epochs": 1}),
        ("vae", {"beta": 0.5}),
    ],
)
def test_families_fit_and_transform(kind, extra):
    x, _ = vectors(n=80)
    est = AutoencoderTransformer(kind, **FAST, **extra, random_state=0).fit(x)
    assert est.transform(x).shape == (80, 2) and np.isfinite(est.score_samples(x)).all()


def test_a_gan_is_refused_by_the_transformer():
    with pytest.raises(ValueError, match="GAN has no encoder"):
        AutoencoderTransformer("gan", **FAST).fit(vectors(n=40)[0])


# -- outlier detection ------------------------------------------------------------------------
def test_detector_flags_far_samples_in_both_conventions():
    x, _ = vectors(n=200)
    det = AutoencoderOutlierDetector(
        **{**FAST, "epochs": 30}, contamination=0.05, random_state=0
    ).fit(x)
    pred = det.predict(x)
    assert pred.dtype.kind == "i" and set(np.unique(pred)) == {-1, 1}
    assert (pred == -1).sum() == 10 and det.labels_.sum() == 10
    np.testing.assert_array_equal(det.labels_, (pred == -1).astype(int))
    np.testing.assert_allclose(det.decision_function(x), det.score_samples(x) - det.offset_)
    np.testing.assert_allclose(det.outlier_scores(x), det.decision_scores_)
    assert det.threshold_ == pytest.approx(-det.offset_)
    far = x[:5] + 25 * np.abs(x).max()
    assert (det.predict(far) == -1).all() and (det.decision_function(far) < 0).all()


@pytest.mark.parametrize("contamination", [0, -0.1, 0.6, "auto"])
def test_detector_contamination_must_lie_in_0_to_half(contamination):
    with pytest.raises(ValueError, match=r"contamination must be in \(0, 0.5\]"):
        AutoencoderOutlierDetector(**FAST, contamination=contamination).fit(vectors(n=40)[0])


def test_detector_with_a_gan_scores_with_its_discriminator():
    x = images(n=40, shape=(8, 8))
    det = AutoencoderOutlierDetector("gan", **FAST, conv_channels=(4,), random_state=0).fit(x)
    assert det.score_samples(x).shape == (40,) and (det.predict(x) == -1).sum() == 4


# -- pipelines --------------------------------------------------------------------------------
def test_pipeline_and_grid_search_over_the_latent_size():
    x, y = vectors(n=150)
    pipe = Pipeline(
        [
            ("scale", StandardScaler()),
            ("ae", AutoencoderTransformer(**FAST, random_state=0)),
            ("clf", LogisticRegression()),
        ]
    )
    search = GridSearchCV(pipe, {"ae__latent": [1, 2]}, cv=2).fit(x, y)
    assert search.best_params_["ae__latent"] in (1, 2)
    assert search.score(x, y) > 0.5
    # Unsupervised: the transformer's own score prefers the better reconstruction.
    trained = {**FAST, "epochs": 30, "lr": 0.01}
    alone = GridSearchCV(
        AutoencoderTransformer(**trained, random_state=0), {"latent": [1, 2]}, cv=2
    )
    assert alone.fit(x).best_params_ == {"latent": 2}
