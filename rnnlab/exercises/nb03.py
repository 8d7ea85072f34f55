"""Checkers for notebook 03 (LSTM): the parameter count, a peephole step, the LSTM step, the forget gate's time
scale."""
from __future__ import annotations

import numpy as np

from rnnlab import cells
from rnnlab.exercises import Wrong, as_array, call, compare, number, register

sigmoid = cells.sigmoid
GATES = "ifco"  # Keras's order of the four blocks


def _weights(rng, batch, features, units):
    """x_t, h_prev, c_prev (non-zero memories), kernel, recurrent_kernel, bias of an LSTM with random weights."""
    return (rng.normal(size=(batch, features)), rng.normal(size=(batch, units)) * 0.8,
            rng.normal(size=(batch, units)) * 1.5, rng.normal(size=(features, 4 * units)),
            rng.normal(size=(units, 4 * units)) * 0.5, rng.normal(size=4 * units))


def _lstm(x_t, h_prev, c_prev, W, U, b, order=GATES, candidate=np.tanh, read_out=np.tanh, keep=True, bias=True,
          old_cell_in_h=False):
    """One LSTM step, or one with a typical mistake: the blocks read in another ``order``, a sigmoid candidate,
    no tanh in h (read_out), c_prev not multiplied by f (keep=False), no bias, h computed from c_prev."""
    blocks = dict(zip(order, np.split(x_t @ W + h_prev @ U + (b if bias else 0.0), 4, axis=-1)))
    i, f, o = sigmoid(blocks["i"]), sigmoid(blocks["f"]), sigmoid(blocks["o"])
    c = (f * c_prev if keep else c_prev) + i * candidate(blocks["c"])
    return o * read_out(c_prev if old_cell_in_h else c), c


# (batch, features, units): a batch of one, a square case (kernel and recurrent kernel of one shape), a wider one
STEP_CASES = [(1, 2, 3), (3, 4, 4), (5, 3, 6)]
LSTM_MISTAKES = {
    "the input and forget gates are swapped (blocks read as f, i, c, o; Keras's order is i, f, c, o)":
        dict(order="fico"),
    "the forget and output gates are swapped (blocks read as i, o, c, f)": dict(order="iocf"),
    "the candidate and the output gate are swapped (blocks read as i, f, o, c)": dict(order="ifoc"),
    "the input gate and the candidate are swapped (blocks read as c, f, i, o)": dict(order="cfio"),
    "the blocks are read in lecture L1's stacked order c, o, i, f": dict(order="coif"),
    "the candidate uses a sigmoid instead of tanh": dict(candidate=sigmoid),
    "tanh(c_t) is missing in h_t (h_t = o * c_t)": dict(read_out=lambda c: c),
    "the old cell is not multiplied by the forget gate (c_t = c_prev + i * c~)": dict(keep=False),
    "the bias b is left out": dict(bias=False),
    "h_t is computed from the old cell (o * tanh(c_prev) instead of o * tanh(c_t))": dict(old_cell_in_h=True),
}


def _two_outputs(got, name: str) -> tuple:
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        raise Wrong(f"{name} should return two arrays (h_t, c_t), got {type(got).__name__}"
                    + (f" of length {len(got)}" if isinstance(got, (tuple, list)) else ""))
    return got


def _check_h_and_c(got, expected, variants, case, name):
    """c_t first (a wrong c_t spoils h_t too), then h_t; each with the mistakes that change it."""
    h_got, c_got = (as_array(n, v) for n, v in zip(("your h_t", "your c_t"), _two_outputs(got, name)))
    (h_exp, c_exp), axes = expected, ("batch", "unit")
    if (h_got.shape == c_exp.shape and c_got.shape == h_exp.shape
            and np.allclose(h_got, c_exp, atol=1e-9) and np.allclose(c_got, h_exp, atol=1e-9)):
        raise Wrong(f"your h_t and c_t are right but returned in the wrong order ({case}): return (h_t, c_t), "
                    "as Keras does.")
    compare("your c_t", c_got, c_exp, axes, atol=1e-9, case=case, variants={k: v[1] for k, v in variants.items()})
    compare("your h_t", h_got, h_exp, axes, atol=1e-9, case=case, variants={k: v[0] for k, v in variants.items()})


# ------------------------------------------------------------------ 03.1
def _keras_lstm_params(units: int, features: int) -> int:
    import keras

    return int(keras.Sequential([keras.Input(shape=(None, features)), keras.layers.LSTM(units)]).count_params())


@register("03.1", "the parameters of an LSTM(64) on 300 features", "predict",
          "Four blocks (i, f, c, o), each like a SimpleRNN layer: a kernel (m x u), a recurrent kernel (u x u) and a "
          "bias (u). With u = 64 units and m = 300 features: 4 * (u * (u + m) + u).")
def lstm_params(student) -> str:
    u, m = 64, 300
    expected = _keras_lstm_params(u, m)
    mistakes = [(u * (u + m) + u, "that is one block only, a SimpleRNN(64); an LSTM has four (i, f, c, o)."),
                (4 * u * (u + m), "the four bias vectors are missing."),
                (4 * (u * m + u), "the recurrent kernels (u x u per block) are missing."),
                (4 * (u * u + u), "the kernels (m x u per block) are missing."),
                (4 * u * (u + m) + u, "only one bias vector is counted; each of the four blocks has its own."),
                (3 * (u * (u + m) + u), "that counts three blocks, a GRU(64) with reset_after=False; an LSTM has four."),
                (3 * (u * (u + m) + 2 * u), "that is a GRU(64) with Keras's default reset_after=True; an LSTM has four "
                                            "blocks.")]
    number("your count", student, expected, rtol=0, atol=0.5, mistakes=mistakes,
           why="count the four blocks' kernels, recurrent kernels and biases.")
    return (f"4 * (64 * (64 + 300) + 64) = {expected}, equal to count_params() of keras.layers.LSTM(64) on 300 "
            "features; the sequence length does not enter.")


# ------------------------------------------------------------------ 03.4
def _peephole(x_t, h_prev, c_prev, W, U, b, p_i, p_f, p_o, peek_o_old=False, swap_if=False, no_f=False):
    """The peephole step (Gers and Schmidhuber 2000) with Keras's weights; variants for the checker's messages."""
    a_i, a_f, a_c, a_o = np.split(x_t @ W + h_prev @ U + b, 4, axis=-1)
    if swap_if:
        p_i, p_f = p_f, p_i
    i = sigmoid(a_i + p_i * c_prev)
    f = sigmoid(a_f + (0.0 if no_f else p_f * c_prev))
    c = f * c_prev + i * np.tanh(a_c)
    o = sigmoid(a_o + p_o * (c_prev if peek_o_old else c))
    return o * np.tanh(c), c


@register("03.4", "a peephole LSTM step", "write",
          "Split x_t @ kernel + h_prev @ recurrent_kernel + bias into the blocks a_i, a_f, a_c, a_o "
          "(np.split, 4 parts). "
          "i = sigmoid(a_i + p_i * c_prev), f = sigmoid(a_f + p_f * c_prev), c_t = f * c_prev + i * tanh(a_c), then "
          "o = sigmoid(a_o + p_o * c_t): the output gate looks at the NEW cell. Return (h_t, c_t).")
def peephole_step(student) -> str:
    rng = np.random.default_rng(2304)
    for k, (batch, features, units) in enumerate(STEP_CASES):
        x_t, h_prev, c_prev, W, U, b = _weights(rng, batch, features, units)
        peepholes = [np.zeros(units)] * 3 if k == 0 else list(rng.normal(size=(3, units)))
        got = call(student, x_t, h_prev, c_prev, W, U, b, *peepholes,
                   inputs="x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, p_i, p_f, p_o")
        if k == 0:  # zero peepholes: exactly the course's LSTM step
            expected, case = cells.lstm_step(x_t, h_prev, c_prev, W, U, b), f"p = 0, batch {batch}: cells.lstm_step"
            variants = {}
        else:
            expected, case = _peephole(x_t, h_prev, c_prev, W, U, b, *peepholes), f"batch {batch}, random peepholes"
            variants = {"the output gate peeks at the old cell c_prev instead of the new c_t":
                            _peephole(x_t, h_prev, c_prev, W, U, b, *peepholes, peek_o_old=True),
                        "p_i and p_f are swapped": _peephole(x_t, h_prev, c_prev, W, U, b, *peepholes, swap_if=True),
                        "the forget gate has no peephole (p_f * c_prev is missing)":
                            _peephole(x_t, h_prev, c_prev, W, U, b, *peepholes, no_f=True)}
        _check_h_and_c(got, expected, variants, case, "peephole_lstm_step")
    return ("With p = 0 your step equals cells.lstm_step, and with random peepholes it matches the peephole "
            "equations (the output gate looking at the new cell), batch 1 included.")


# ------------------------------------------------------------------ 03.6
@register("03.6", "the LSTM step", "write",
          "z = x_t @ W + h_prev @ U + b has 4 * units columns; np.split(z, 4, axis=-1) gives the blocks in Keras's "
          "order i, f, c, o. Gates: sigmoid (1 / (1 + np.exp(-a))); candidate: tanh. c_t = f * c_prev + i * "
          "tanh(z_c), h_t = o * tanh(c_t). Return (h_t, c_t).")
def lstm_step(student) -> str:
    rng = np.random.default_rng(2303)
    for batch, features, units in STEP_CASES:
        x_t, h_prev, c_prev, W, U, b = _weights(rng, batch, features, units)
        got = call(student, x_t, h_prev, c_prev, W, U, b, inputs="x_t, h_prev, c_prev, W, U, b")
        variants = {mistake: _lstm(x_t, h_prev, c_prev, W, U, b, **kw) for mistake, kw in LSTM_MISTAKES.items()}
        _check_h_and_c(got, cells.lstm_step(x_t, h_prev, c_prev, W, U, b), variants,
                       f"batch {batch}, {features} features, {units} units", "lstm_step")
    return ("h_t and c_t equal rnnlab.cells.lstm_step on 3 random cases (batch 1 included, non-zero h_prev and "
            "c_prev), with Keras's gate order i, f, c, o.")


# ------------------------------------------------------------------ 03.7
@register("03.7", "the forget bias for an e-fold time of 50 steps", "predict",
          "A cell that writes nothing keeps f^n of its content after n steps. An e-fold time of 50 steps means "
          "f^50 = 1/e, so f = exp(-1/50). Then invert f = sigmoid(b_f): b_f = ln(f / (1 - f)).")
def efold_bias(student) -> str:
    f = np.exp(-1 / 50)
    expected = float(np.log(f / (1 - f)))
    near = {  # value: (relative tolerance, what it is); none of the bands overlaps the accepted one
        np.log(49): (1e-3, "the bias for a MEAN LIFETIME of 50 steps (1 + e^b_f = 50); the e-fold time asks "
                           "for f^50 = 1/e"),
        np.log(50): (1e-3, "ln 50, the chrono choice for T = 50: its mean lifetime is 51 steps, its e-fold time 50.5"),
        f: (5e-3, "the forget gate's value f itself; the question asks for its bias b_f, with f = sigmoid(b_f)"),
        np.log(f): (5e-2, "ln f; invert the sigmoid instead: b_f = ln(f / (1 - f))")}
    if isinstance(student, (int, float, np.integer, np.floating)) and not isinstance(student, bool):
        accepted = np.isclose(float(student), expected, rtol=1e-3, atol=0)
        for value, (rtol, reason) in near.items():
            if np.isclose(float(student), value, rtol=rtol, atol=0) and not accepted:
                raise Wrong(f"your b_f = {float(student):.6g} is {reason}.")
    number("your b_f", student, expected, rtol=1e-3, why="find f with f^50 = 1/e, then invert f = sigmoid(b_f).")
    return (f"b_f = ln(f / (1 - f)) with f = e^(-1/50) = {f:.5f}, so b_f = {expected:.4f}: about 0.01 above ln 49, "
            "the bias for a mean lifetime of 50 steps (the two time scales differ by about half a step).")
