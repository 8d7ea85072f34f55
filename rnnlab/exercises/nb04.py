"""Checkers for notebook 04 (GRU): reset gate and recurrent bias, the memory at Keras's initial bias, the GRU step in
both modes, the parameter counts, the special cases in the other convention."""
from __future__ import annotations

import numpy as np

from rnnlab import cells
from rnnlab.exercises import Wrong, a_number, call, choice, compare, number, register

sigmoid = cells.sigmoid


# ------------------------------------------------------------------ 04.2
@register("04.2", "z = 0, r = 0 with a large recurrent bias", "predict",
          "Write out the candidate of each mode with r = 0. With reset_after=True, what does r multiply? With "
          "reset_after=False, where does h_prev enter, and is there a recurrent-side bias at all?")
def reset_and_recurrent_bias(student) -> str:
    return choice("your letter", student, "a", {
        "a": "In both modes. With reset_after=True, r multiplies the whole recurrent term (h_prev U_h + b_rh), bias "
             "included, so r = 0 removes it; with reset_after=False, r multiplies h_prev before U_h and the only "
             "bias is on the input side. Either way h_t = tanh(x_t W_h + b_h) with z = 0.",
        "b": "with reset_after=True the recurrent bias b_rh sits inside the product with r: "
             "r * (h_prev U_h + b_rh). r = 0 removes it together with h_prev U_h.",
        "c": "with reset_after=False, r multiplies h_prev before U_h, so (r * h_prev) U_h = 0 when r = 0, and that "
             "mode has no recurrent-side bias: the history is gone too.",
        "d": "in both modes r = 0 removes every term that contains h_prev, and with z = 0 nothing of h_prev is "
             "copied either.",
    })


# ------------------------------------------------------------------ 04.4
@register("04.4", "the GRU's memory at Keras's initial bias", "predict",
          "Keras starts b_z at 0, so z = sigmoid(0) = 1/2. Along the path h_t = z * h_{t-1} + ..., each step keeps "
          "the fraction z of what was there. After 100 steps: z ** 100.")
def memory_at_default_bias(student) -> str:
    expected = 0.5 ** 100
    near = [(0.5 ** 99, "that is z^99: count the steps again, 100 steps multiply by z a hundred times."),
            (0.5 ** 101, "that is z^101: count the steps again, 100 steps multiply by z a hundred times."),
            (float(sigmoid(1.0)) ** 100, "that is sigma(1)^100, the LSTM's start (b_f = 1, unit_forget_bias); Keras "
                                         "starts the GRU's update-gate bias at 0."),
            ((100 / 101) ** 100, "that is (100/101)^100, the GRU of section 5 with its memory opened (b_z = ln 100); "
                                 "the question asks about Keras's initial b_z = 0."),
            (0.5, "that is one step's fraction; the question asks for 100 steps.")]
    close = 0.5 < a_number("your fraction", student) / expected < 2
    number("your fraction", student, expected, rtol=1e-2, mistakes=near,
           why="it has the right order of magnitude but is not the value: compute z^100 with z = 1/2 (to 1 %)."
           if close else "multiply by z = sigmoid(b_z) = 1/2 once per step, 100 times.")
    return (f"(1/2)^100 = {expected:.2g}: nothing of h_0 (and of the gradient that reaches step 0 along this path) "
            "is left, so an untrained GRU cannot hear the first symbol; with b_z = ln 100 about 37 % is left.")


# ------------------------------------------------------------------ 04.5
def _gru(x_t, h_prev, W, U, b, reset_after, swap_z=False, r_after=None, order="zrh", rec_bias=True,
         bias_outside_r=False, swap_rows=False, no_bias=False, drop_b_rh=False, candidate=np.tanh):
    """One GRU step (Keras's convention), or one with a typical mistake; the keywords name the mistakes."""
    if reset_after:
        b_in, b_rec = (b[1], b[0]) if swap_rows else (b[0], b[1])
    else:
        b_in, b_rec = b, np.zeros_like(b)
    if no_bias:
        b_in, b_rec = np.zeros_like(b_in), np.zeros_like(b_rec)
    if not rec_bias:
        b_rec = np.zeros_like(b_rec)
    xw = dict(zip(order, np.split(x_t @ W + b_in, 3, axis=-1)))
    hu = dict(zip(order, np.split(h_prev @ U + b_rec, 3, axis=-1)))
    U_h, b_rh = dict(zip(order, np.split(U, 3, axis=-1)))["h"], dict(zip(order, np.split(b_rec, 3)))["h"]
    b_rh = 0.0 * b_rh if drop_b_rh else b_rh
    z, r = sigmoid(xw["z"] + hu["z"]), sigmoid(xw["r"] + hu["r"])
    if reset_after if r_after is None else r_after:
        recurrent = r * (h_prev @ U_h) + b_rh if bias_outside_r else r * (h_prev @ U_h + b_rh)
    else:
        recurrent = (r * h_prev) @ U_h + b_rh
    h_tilde = candidate(xw["h"] + recurrent)
    return (1 - z) * h_prev + z * h_tilde if swap_z else z * h_prev + (1 - z) * h_tilde


SWAP_Z = ("z and 1 - z are swapped (h_t = (1 - z) h_prev + z h~, the other texts' convention; Keras's z = 1 keeps "
          "h_prev)")
GRU_MISTAKES = {
    True: {SWAP_Z: dict(swap_z=True),
           "the reset gate acts in reset_after=False's place, (r * h_prev) U_h; with reset_after=True it multiplies "
           "(h_prev U_h + b_rh)": dict(r_after=False),
           "the reset gate acts in reset_after=False's place, (r * h_prev) U_h, and b_rh is left out; with "
           "reset_after=True r multiplies (h_prev U_h + b_rh)": dict(r_after=False, drop_b_rh=True),
           "z and r are swapped (blocks read as r, z, h; Keras's order is z, r, h)": dict(order="rzh"),
           "the recurrent bias row b[1] is left out": dict(rec_bias=False),
           "the candidate's recurrent bias b_rh is added outside r (it belongs inside: r * (h_prev U_h + b_rh))":
               dict(bias_outside_r=True),
           "the two bias rows are swapped (b[0] is the input side, b[1] the recurrent side)": dict(swap_rows=True),
           "the bias is left out": dict(no_bias=True),
           "the candidate uses a sigmoid instead of tanh": dict(candidate=sigmoid)},
    False: {SWAP_Z: dict(swap_z=True),
            "the reset gate acts in reset_after=True's place, r * (h_prev U_h); with reset_after=False it multiplies "
            "h_prev before U_h": dict(r_after=True),
            "z and r are swapped (blocks read as r, z, h; Keras's order is z, r, h)": dict(order="rzh"),
            "the bias b is left out": dict(no_bias=True),
            "the candidate uses a sigmoid instead of tanh": dict(candidate=sigmoid)},
}
# (batch, features, units): a batch of one, a square case, a wider one
STEP_CASES = [(1, 2, 3), (3, 4, 4), (5, 3, 6)]


@register("04.5", "the GRU step in both modes", "write",
          "Split x_t @ W (plus the input bias) and h_prev @ U into the blocks z, r, h (np.split(..., 3, axis=-1)). "
          "reset_after=True: b has two rows, b[0] for the input side, b[1] for the recurrent side, and "
          "h~ = tanh(x W_h + b_h + r * (h_prev U_h + b_rh)). reset_after=False: b is one row and "
          "h~ = tanh(x W_h + (r * h_prev) U_h + b_h). Both: h_t = z * h_prev + (1 - z) * h~.")
def gru_step(student) -> str:
    rng = np.random.default_rng(2404)
    for reset_after in (True, False):
        for batch, features, units in STEP_CASES:
            x_t, h_prev = rng.normal(size=(batch, features)), rng.normal(size=(batch, units)) * 0.8
            W, U = rng.normal(size=(features, 3 * units)), rng.normal(size=(units, 3 * units)) * 0.5
            b = rng.normal(size=(2, 3 * units) if reset_after else 3 * units)
            got = call(student, x_t, h_prev, W, U, b, reset_after,
                       inputs=f"x_t, h_prev, W, U, b, reset_after={reset_after}")
            compare("your h_t", got, cells.gru_step(x_t, h_prev, W, U, b, reset_after), ("batch", "unit"), atol=1e-9,
                    case=f"reset_after={reset_after}, batch {batch}, {features} features, {units} units",
                    variants={mistake: _gru(x_t, h_prev, W, U, b, reset_after, **kw)
                              for mistake, kw in GRU_MISTAKES[reset_after].items()})
    return ("Your step equals rnnlab.cells.gru_step in both modes (bias (2, 3u) with reset_after=True, (3u,) with "
            "False) on 3 random cases each, batch 1 included, non-zero h_prev.")


# ------------------------------------------------------------------ 04.6
def _keras_gru_params(units: int, features: int, reset_after: bool) -> int:
    import keras

    layer = keras.layers.GRU(units, reset_after=reset_after)
    return int(keras.Sequential([keras.Input(shape=(None, features)), layer]).count_params())


@register("04.6", "the parameters of a GRU(64) on 300 features, both modes", "predict",
          "Three blocks (z, r, h), each with a kernel (m x u), a recurrent kernel (u x u) and a bias (u); "
          "reset_after=True keeps a second bias row (u more per block). With u = 64, m = 300: "
          "3 * (u * (u + m) + 2u) and 3 * (u * (u + m) + u).")
def gru_params(student) -> str:
    u, m = 64, 300
    expected = {True: _keras_gru_params(u, m, True), False: _keras_gru_params(u, m, False)}
    if not isinstance(student, (tuple, list)) or len(student) != 2:
        raise Wrong("give two numbers, [count with reset_after=True, count with reset_after=False], "
                    f"got {student!r:.60}")
    what = {mode: f"your count for reset_after={mode}" for mode in (True, False)}
    got = {mode: a_number(what[mode], value) for mode, value in zip((True, False), student)}
    if got[True] == expected[False] and got[False] == expected[True]:
        raise Wrong("the two counts are swapped: reset_after=True keeps the extra recurrent bias row, so it is the "
                    "larger one and comes first.")
    block = u * (u + m)
    for reset_after in (True, False):
        named = [(4 * (block + u), "an LSTM's count (four blocks); a GRU has three, z, r and h."),
                 (block + u, "one block only (a SimpleRNN(64)); a GRU has three, z, r and h."),
                 (3 * block, "the biases are missing."),
                 (3 * (block + u) if reset_after else 3 * (block + 2 * u),
                  "counted with one bias row; reset_after=True keeps a second, recurrent-side row (3u more)."
                  if reset_after else "counted with two bias rows; reset_after=False has one bias, (3u,).")]
        number(what[reset_after], got[reset_after], expected[reset_after], rtol=0, atol=0.5, mistakes=named,
               why="count the three blocks' kernels, recurrent kernels and bias rows.")
    return (f"3 * (64 * 364 + 128) = {expected[True]} with reset_after=True and 3 * (64 * 364 + 64) = "
            f"{expected[False]} with reset_after=False, as count_params() says; an LSTM(64) has 93440.")


# ------------------------------------------------------------------ 04.7
@register("04.7", "the special cases in the other convention", "predict",
          "In the other convention h_t = (1 - z) h_prev + z h~. Which z makes the first term all of h_t? Then check "
          "what r does in the other options.")
def other_convention_copy(student) -> str:
    return choice("your letter", student, "b", {
        "a": "with z = 1 the other convention takes h_t = h~ (nothing of h_prev is copied), and r = 1 makes h~ the "
             "SimpleRNN step: that is the section 4 case Keras writes z = 0, r = 1.",
        "b": "In the other convention z = 0 gives h_t = (1 - 0) h_prev + 0 * h~ = h_prev, whatever r is: the copy. "
             "It is Keras's z = 1, since that convention's z is Keras's 1 - z.",
        "c": "with z = 1 the other convention takes h_t = h~, and r = 0 cuts h_prev out of h~: only the current input "
             "counts (Keras's z = 0, r = 0), the opposite of a copy.",
        "d": "r only changes the candidate h~; how much of h_prev is copied into h_t depends on z alone, so r = 0 "
             "does not copy anything.",
    })
