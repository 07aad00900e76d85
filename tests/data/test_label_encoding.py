"""How label values of any kind become class indices and class names."""

from __future__ import annotations

import numpy as np
import pytest

from aeviewer.data.readers.arrays import encode_labels
from aeviewer.errors import DatasetError


def test_small_codes_keep_their_value() -> None:
    labels, names = encode_labels(np.array([3, 0, 3, 1], np.uint8), "w")
    np.testing.assert_array_equal(labels, [3, 0, 3, 1])
    assert names == ("0", "1", "2", "3")
    labels, names = encode_labels(np.array([1.0, 0.0]), "w")
    np.testing.assert_array_equal(labels, [1, 0])
    assert labels.dtype == np.int64


@pytest.mark.parametrize(
    ("values", "expected", "names"),
    [
        (["dog", "cat", "dog"], [1, 0, 1], ("cat", "dog")),
        ([1990, 2020, 1990], [0, 1, 0], ("1990", "2020")),
        ([-1, 1, -1], [0, 1, 0], ("-1", "1")),
        ([0.5, 1.5, 0.5], [0, 1, 0], ("0.5", "1.5")),
    ],
)
def test_other_values_index_their_sorted_distinct_values(values, expected, names) -> None:
    labels, class_names = encode_labels(np.array(values), "w")
    np.testing.assert_array_equal(labels, expected)
    assert class_names == names


def test_bad_labels_are_named() -> None:
    with pytest.raises(DatasetError, match="w: label of sample 1 is NaN"):
        encode_labels(np.array([0.0, np.nan]), "w")
    with pytest.raises(DatasetError, match="neither numbers nor text"):
        encode_labels(np.array([None, 1], dtype=object), "w")
    with pytest.raises(DatasetError, match="one value per sample"):
        encode_labels(np.zeros((2, 2)), "w")
