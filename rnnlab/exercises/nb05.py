"""Checkers for notebook 05 (IMDB): parameter counts of recurrent layers, a multi-hot bag of words, cost per step."""
from __future__ import annotations

import numpy as np

from rnnlab.exercises import Wrong, call, choice, compare, number, register

CELLS = ("SimpleRNN", "LSTM", "GRU")
GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


def _keras_count(cell: str, units: int, features: int, bidirectional: bool) -> int:
    import keras

    layer = getattr(keras.layers, cell)(units)
    if bidirectional:
        layer = keras.layers.Bidirectional(layer)
    model = keras.Sequential([keras.Input(shape=(None, features)), layer])
    return int(model.count_params())


@register("05.1", "parameters of a recurrent layer", "write",
          "Each gate (or the one SimpleRNN block) has a kernel (features x units), a recurrent kernel (units x units) "
          "and a bias (units). LSTM has 4 blocks, GRU 3, SimpleRNN 1. Keras's GRU (reset_after=True) keeps a second "
          "bias per block. A Bidirectional wrapper holds two copies of the layer.")
def recurrent_params(student) -> str:
    rng = np.random.default_rng(505)
    cases = [(cell, int(rng.integers(1, 40)), int(rng.integers(1, 40)), bidi)
             for bidi in (False, True) for cell in CELLS] + [("LSTM", 32, 32, False), ("GRU", 1, 1, True)]
    for cell, units, features, bidi in cases:
        expected = _keras_count(cell, units, features, bidi)
        got = call(student, cell, units, features, bidi, name="recurrent_params",
                   inputs=f"{cell!r}, units={units}, features={features}, bidirectional={bidi}")
        blocks, copies = GATES[cell], 2 if bidi else 1
        mistakes = {
            "the biases are left out": copies * blocks * units * (features + units),
            "the recurrent kernel (units x units) is left out": copies * blocks * units * (features + 1),
            "the GRU's second bias (reset_after=True) is left out": copies * 3 * units * (features + units + 1),
            "the Bidirectional wrapper's second copy is left out": expected // 2 if bidi else None,
            "LSTM is counted with 3 gates": copies * 3 * units * (features + units + 1) if cell == "LSTM" else None,
        }
        if isinstance(got, bool) or not isinstance(got, (int, np.integer)):
            raise Wrong(f"recurrent_params should return a whole number, got {type(got).__name__} {got!r:.40}")
        if got != expected:
            named = next((m for m, v in mistakes.items() if v == got and v != expected), None)
            raise Wrong(f"for {'Bidirectional(' if bidi else ''}{cell}({units}){')' if bidi else ''} on {features} "
                        f"features Keras counts {expected:,} parameters, you counted {int(got):,}"
                        + (f": that is what you get when {named}." if named else "."))
    return f"Your formula matches Keras's count_params() for all {len(cases)} layers the checker built."


@register("05.2", "a multi-hot bag of words", "write",
          "Start from np.zeros((batch, num_tokens)) and set out[row, id] = 1 for every id in the row. NumPy's fancy "
          "indexing does it in one line: out[np.arange(batch)[:, None], x] = 1. Padding (id 0) is a token like any "
          "other here, as in keras.layers.CategoryEncoding.")
def multi_hot(student) -> str:
    import keras

    rng = np.random.default_rng(506)
    for batch, length, num_tokens in ((1, 5, 7), (4, 12, 10), (3, 1, 4)):
        x = rng.integers(0, num_tokens, size=(batch, length))
        x[0, :2] = x[0, 0]  # a repeated id
        expected = np.asarray(keras.layers.CategoryEncoding(num_tokens=num_tokens, output_mode="multi_hot")(x))
        counts = np.asarray(keras.layers.CategoryEncoding(num_tokens=num_tokens, output_mode="count")(x))
        got = call(student, x, num_tokens, name="multi_hot", inputs=f"x of shape {x.shape}, num_tokens={num_tokens}")
        shifted = np.zeros_like(expected)
        shifted[np.arange(batch)[:, None], np.maximum(x - 1, 0)] = 1
        compare("the bag of words", got, expected, ("review", "token"), atol=1e-9,
                case=f"{batch} review(s) of {length} ids, {num_tokens} tokens",
                variants={"each word is counted (output_mode='count') instead of marked 0/1": counts,
                          "every id is shifted by one": shifted})
    return "Your bags equal keras.layers.CategoryEncoding(output_mode='multi_hot'), repeated ids included."


@register("05.3", "arithmetic per step: SimpleRNN(64) vs LSTM(32)", "predict",
          "One step of a block multiplies [x_t, h_{t-1}] (d + u numbers) by a (d + u) x u matrix: u(d + u) "
          "multiply-adds. With d = 32: SimpleRNN(64) has one block of 64 units, LSTM(32) four blocks of 32.")
def macs_ratio(student) -> str:
    simple, lstm = 64 * (32 + 64), 4 * 32 * (32 + 32)
    if not isinstance(student, bool) and isinstance(student, (int, float, np.number)) and np.isclose(student, 0.25, atol=0.01):
        raise Wrong("0.25 would be a quarter: that counts SimpleRNN(64)'s output units against LSTM(32)'s four gates, "
                    "but each SimpleRNN unit also reads 64 recurrent inputs. Count u(d + u) per block.")
    number("SimpleRNN(64) / LSTM(32) multiply-adds per step", student, simple / lstm, rtol=0.01,
           why="count u(d + u) multiply-adds for each block (SimpleRNN: 1 block, LSTM: 4).")
    return f"SimpleRNN(64) does {simple:,} multiply-adds per step, LSTM(32) {lstm:,}: three quarters as many."


@register("05.4", "what sets the time per epoch", "predict",
          "Sort the comparison table by seconds_per_epoch and by params, and look where the 320,000 embedding "
          "parameters are.")
def time_per_epoch(student) -> str:
    return choice("your letter", student, "c", {
        "a": "the parameter count is dominated by the embedding (320,000 of about 330,000 in every embedded model), "
             "and a lookup costs almost nothing per step, so parameters hardly predict the time.",
        "b": "every model reads the same 10,000-word vocabulary, yet their times differ many-fold: the vocabulary "
             "cannot be what sets them.",
        "c": "the number of sequential recurrent steps times the work per step: stacked layers and two directions "
             "multiply it, a wider layer adds arithmetic (GRU(64) costs more than GRU(32)), and the bag models have "
             "no steps at all.",
    })
