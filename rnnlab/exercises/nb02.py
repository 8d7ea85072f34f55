"""Checkers for notebook 02 (SimpleRNN): the Elman step, the BPTT backward loop, the hand calculation, clipping."""
from __future__ import annotations

import numpy as np

from rnnlab import cells
from rnnlab.exercises import Wrong, as_array, call, choice, compare, register


def _weights(rng, batch, features, units, time=None):
    x = rng.normal(size=(batch, features) if time is None else (batch, time, features))
    return x, rng.normal(size=(features, units)), rng.normal(size=(units, units)) * 0.5, rng.normal(size=units)


# (batch, features, units): a batch of one, a square case where U and W have the same shape, and a wider one
STEP_CASES = [(1, 2, 3), (3, 4, 4), (5, 3, 6)]


@register("02.1", "the Elman step", "write",
          "h_t = tanh(x_t W + h_prev U + b), with x_t of shape (batch, features), h_prev (batch, units), W (features, "
          "units), U (units, units), b (units,). In NumPy `@` multiplies matrices and b broadcasts over the batch.")
def elman_step(student) -> str:
    rng = np.random.default_rng(2021)
    for batch, features, units in STEP_CASES:
        x_t, W, U, b = _weights(rng, batch, features, units)
        h_prev = rng.normal(size=(batch, units)) * 0.8  # a non-zero memory
        expected = cells.simple_rnn_step(x_t, h_prev, W, U, b)
        got = call(student, x_t, h_prev, W, U, b, inputs="x_t, h_prev, W, U, b")
        compare("h_t", got, expected, ("batch", "unit"), atol=1e-9, case=f"batch {batch}, {features} features, {units} units",
                variants={"the bias b is left out": np.tanh(x_t @ W + h_prev @ U),
                          "the memory term h_prev U is left out": np.tanh(x_t @ W + b),
                          "U is transposed (h_prev U.T)": np.tanh(x_t @ W + h_prev @ U.T + b),
                          "tanh is left out": x_t @ W + h_prev @ U + b,
                          "a sigmoid is used instead of tanh": cells.sigmoid(x_t @ W + h_prev @ U + b)})
    return "Your step equals rnnlab.cells.simple_rnn_step on 3 random cases (batch 1 included, non-zero h_prev)."


# (batch, time, features, units): one step, a batch of one, and a longer sequence
BPTT_CASES = [(2, 1, 3, 4), (1, 5, 2, 3), (3, 6, 3, 4)]


@register("02.2", "the BPTT backward loop", "write",
          "Loop t from T-1 down to 0. dh = dL_dhs[:, t] + carried; da = dh * (1 - hs[:, t]**2) (tanh's derivative); "
          "add x_t.T @ da to dW, h_prev.T @ da to dU (h_prev is hs[:, t-1], or h0 at t = 0), da.sum(axis=0) to db; "
          "then carried = da @ U.T goes one step back.")
def bptt(student) -> str:
    rng = np.random.default_rng(2022)
    for batch, time, features, units in BPTT_CASES:
        x, W, U, b = _weights(rng, batch, features, units, time)
        h0 = rng.normal(size=(batch, units)) * 0.5
        hs = cells.simple_rnn_forward(x, W, U, b, h0=h0)
        dL_dhs = rng.normal(size=hs.shape)
        ref = cells.simple_rnn_bptt(x, W, U, b, dL_dhs, h0=h0)
        got = call(student, x, hs, h0, W, U, dL_dhs, inputs="x, hs, h0, W, U, dL_dhs")
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            raise Wrong(f"bptt should return three arrays (dW, dU, db), got {type(got).__name__}"
                        + (f" of length {len(got)}" if isinstance(got, (tuple, list)) else ""))
        case = f"batch {batch}, {time} step{'s' * (time > 1)}, non-zero h0"
        no_carry, same_step = _mistake(x, hs, h0, dL_dhs, U, carry=False), _mistake(x, hs, h0, dL_dhs, U, shift=False)
        for name, value, key, axes in (("dW", got[0], "kernel", ("feature", "unit")),
                                       ("dU", got[1], "recurrent_kernel", ("unit", "unit")),
                                       ("db", got[2], "bias", ("unit",))):
            compare(name, value, ref[key], axes, atol=1e-8, case=case,
                    variants={"the gradient carried back from later steps (da @ U.T) is left out": no_carry[key],
                              "h_prev is taken at step t instead of t - 1 (off by one step)": same_step[key]})
    return "dW, dU and db equal rnnlab.cells.simple_rnn_bptt on 3 random cases (one step, a batch of one, non-zero h0)."


def _mistake(x, hs, h0, dL_dhs, U, carry=True, shift=True) -> dict:
    """The gradients with a common mistake: nothing carried back (carry=False) or h_prev off by one (shift=False)."""
    grads = {"kernel": 0.0, "recurrent_kernel": 0.0, "bias": 0.0}
    carried = 0.0
    for t in reversed(range(x.shape[1])):
        h_prev = (hs[:, t - 1] if t else h0) if shift else hs[:, t]
        da = (dL_dhs[:, t] + carried) * (1 - hs[:, t] ** 2)
        grads["kernel"] = grads["kernel"] + x[:, t].T @ da
        grads["recurrent_kernel"] = grads["recurrent_kernel"] + h_prev.T @ da
        grads["bias"] = grads["bias"] + da.sum(axis=0)
        carried = da @ U.T if carry else 0.0
    return grads


@register("02.3", "the hand calculation with recurrent weights 0.5", "predict",
          "Step by step: h_t = x_t W + h_{t-1} U with every W entry 1 and every U entry 0.5, h_0 = 0, "
          "then y_t = h_t V with every V entry 1. h_1 = [2, 2] as in the lecture.")
def hand_calc_half(student) -> str:
    W, U, V = np.ones((2, 2)), 0.5 * np.ones((2, 2)), np.ones((2, 2))
    h, expected = np.zeros(2), []
    for x in np.array([[1.0, 1.0], [1.0, 1.0], [2.0, 2.0]]):
        h = x @ W + h @ U
        expected.append(h @ V)
    got = as_array("your outputs", student)
    compare("your outputs", got, np.array(expected), ("step", "output"), atol=1e-9,
            variants={"every recurrent weight is still 1 (the lecture's values)": np.array([[4, 4], [12, 12], [32, 32.0]])})
    return "y_1, y_2, y_3 = [4, 4], [8, 8], [16, 16]: each step now adds half as much memory as in the lecture."


@register("02.4", "which Keras option is the lecture's clipping", "predict",
          "The lecture computes ONE norm over all parameters θ and rescales the whole gradient. Which option looks "
          "at all variables together?")
def clipping(student) -> str:
    return choice("your letter", student, "b", {
        "a": "`clipnorm` clips each variable's gradient by its own norm, which can change the direction of the "
             "total gradient; the lecture uses one norm over all of θ.",
        "b": "`global_clipnorm` rescales all gradients together when their joint norm exceeds the threshold, as in "
             "the lecture. The two agree when the model has one variable or nothing exceeds the threshold.",
        "c": "`clipvalue` clips every element separately, which is yet another rule (and changes the direction too).",
    })
