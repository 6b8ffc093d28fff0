"""The one rule for scalars that every test cell applies (gdl.checking)."""

import numpy as np
import pytest
import torch

from gdl.checking import as_array, as_float, as_int


@pytest.mark.parametrize("value", [0.25, 1, np.float64(0.25), np.float32(0.25), np.array(0.25),
                                   np.array(0.25, dtype=np.float32), torch.tensor(0.25),
                                   torch.tensor(0.25, requires_grad=True), np.int64(3)])
def test_every_real_scalar_is_a_float(value):
    result = as_float(value)
    assert type(result) is float and result in (0.25, 1.0, 3.0)


@pytest.mark.parametrize("value, words", [
    (True, "real number"), ("0.5", "real number"), (None, "real number"), ([0.5], "real number"),
    (np.array([0.5]), "single number"), (torch.tensor([0.5, 0.2]), "single number"),
    (np.complex128(1 + 2j), "real number"), (np.bool_(True), "real number"),
])
def test_non_scalars_are_refused_with_a_message(value, words):
    with pytest.raises(AssertionError, match=words):
        as_float(value, "kl_divergence(p, q)")


def test_infinity_and_nan_are_numbers():
    assert as_float(np.inf) == np.inf
    assert np.isnan(as_float(np.float32("nan")))


@pytest.mark.parametrize("value", [3, np.int64(3), 3.0, np.array(3), torch.tensor(3)])
def test_integral_scalars_are_ints(value):
    assert as_int(value) == 3 and type(as_int(value)) is int


@pytest.mark.parametrize("value", [2.5, np.inf, True])
def test_non_integral_values_are_not_ints(value):
    with pytest.raises(AssertionError):
        as_int(value)


def test_arrays_are_detached_float64_and_shape_checked():
    result = as_array(torch.ones(2, 3, requires_grad=True), shape=(2, 3))
    assert result.dtype == np.float64 and result.shape == (2, 3)
    with pytest.raises(AssertionError, match=r"shape \(3, 2\)"):
        as_array(np.ones((2, 3)), shape=(3, 2))
    with pytest.raises(AssertionError, match="array of numbers"):
        as_array(["a", object()])
