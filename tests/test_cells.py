"""rnnlab.cells: the NumPy cells reproduce the Keras layers, BPTT equals tf.GradientTape, bad shapes fail clearly."""
from __future__ import annotations

import numpy as np
import pytest

keras = pytest.importorskip("keras")
tf = pytest.importorskip("tensorflow")

from rnnlab import cells  # noqa: E402

# (batch, time, features, units): batch 1 and time 1 included
SHAPES = [(1, 1, 1, 1), (1, 6, 3, 4), (4, 1, 2, 3), (3, 7, 5, 2), (2, 4, 3, 8)]
TOL = 1e-5


def random_layer(layer, x, rng, scale=0.5):
    """Build ``layer`` on ``x`` and give it random weights (non-zero biases); returns them as float64."""
    layer(x)
    weights = [rng.normal(scale=scale, size=w.shape) for w in layer.get_weights()]
    layer.set_weights(weights)
    return [np.asarray(w, dtype=np.float64) for w in layer.get_weights()]


def random_inputs(shape, seed):
    rng = np.random.default_rng(seed)
    batch, time, features, _ = shape
    return rng, rng.normal(size=(batch, time, features)).astype("float32")


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("activation", ["tanh", "linear", "relu"])
def test_simple_rnn_forward_equals_keras(shape, activation):
    rng, x = random_inputs(shape, 1)
    layer = keras.layers.SimpleRNN(shape[3], activation=activation, return_sequences=True)
    weights = random_layer(layer, x, rng)
    assert np.abs(weights[2]).min() > 0  # biases really non-zero
    ours = cells.simple_rnn_forward(x, *weights, activation=activation)
    assert ours.shape == (shape[0], shape[1], shape[3])
    assert np.abs(ours - np.asarray(layer(x))).max() <= TOL


def test_simple_rnn_forward_with_initial_state():
    rng, x = random_inputs((2, 5, 3, 4), 2)
    layer = keras.layers.SimpleRNN(4, return_sequences=True)
    weights = random_layer(layer, x, rng)
    h0 = rng.normal(size=(2, 4)).astype("float32")
    keras_out = np.asarray(layer(x, initial_state=[h0]))
    assert np.abs(cells.simple_rnn_forward(x, *weights, h0=h0) - keras_out).max() <= TOL


def test_simple_rnn_hand_calculation():
    """The lecture's example: all weights 1, linear, memory 0, inputs [1,1],[1,1],[2,2] -> hidden [2,2],[6,6],[16,16]."""
    x = np.array([[[1, 1], [1, 1], [2, 2]]])
    hs = cells.simple_rnn_forward(x, np.ones((2, 2)), np.ones((2, 2)), np.zeros(2), activation="linear")
    np.testing.assert_array_equal(hs[0], [[2, 2], [6, 6], [16, 16]])


@pytest.mark.parametrize("shape", SHAPES)
def test_lstm_forward_equals_keras(shape):
    rng, x = random_inputs(shape, 3)
    layer = keras.layers.LSTM(shape[3], return_sequences=True, return_state=True)
    weights = random_layer(layer, x, rng)
    hs, cs = cells.lstm_forward(x, *weights)
    keras_hs, keras_h, keras_c = (np.asarray(a) for a in layer(x))
    assert hs.shape == cs.shape == (shape[0], shape[1], shape[3])
    assert np.abs(hs - keras_hs).max() <= TOL
    assert np.abs(hs[:, -1] - keras_h).max() <= TOL
    assert np.abs(cs[:, -1] - keras_c).max() <= TOL


@pytest.mark.parametrize("shape", SHAPES)
def test_lstm_forward_with_initial_states_equals_keras(shape):
    rng, x = random_inputs(shape, 6)
    layer = keras.layers.LSTM(shape[3], return_sequences=True, return_state=True)
    weights = random_layer(layer, x, rng)
    h0, c0 = (rng.normal(size=(shape[0], shape[3])).astype("float32") for _ in range(2))
    hs, cs = cells.lstm_forward(x, *weights, h0=h0, c0=c0)
    keras_hs, keras_h, keras_c = (np.asarray(a) for a in layer(x, initial_state=[h0, c0]))
    assert np.abs(hs - keras_hs).max() <= TOL
    assert np.abs(hs[:, -1] - keras_h).max() <= TOL
    assert np.abs(cs[:, -1] - keras_c).max() <= TOL
    # both states matter: dropping either one changes the first step
    assert np.abs(cells.lstm_forward(x, *weights, c0=c0)[0][:, 0] - hs[:, 0]).min() > 1e-4
    assert np.abs(cells.lstm_forward(x, *weights, h0=h0)[1][:, 0] - cs[:, 0]).min() > 1e-4


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_forward_equals_keras(shape, reset_after):
    rng, x = random_inputs(shape, 4)
    layer = keras.layers.GRU(shape[3], return_sequences=True, reset_after=reset_after)
    weights = random_layer(layer, x, rng)
    assert weights[2].shape == ((2, 3 * shape[3]) if reset_after else (3 * shape[3],))
    ours = cells.gru_forward(x, *weights, reset_after=reset_after)
    assert np.abs(ours - np.asarray(layer(x))).max() <= TOL


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("reset_after", [True, False])
def test_gru_forward_with_initial_state_equals_keras(shape, reset_after):
    rng, x = random_inputs(shape, 7)
    layer = keras.layers.GRU(shape[3], return_sequences=True, reset_after=reset_after)
    weights = random_layer(layer, x, rng)
    h0 = rng.normal(size=(shape[0], shape[3])).astype("float32")
    ours = cells.gru_forward(x, *weights, reset_after=reset_after, h0=h0)
    assert np.abs(ours - np.asarray(layer(x, initial_state=[h0]))).max() <= TOL
    assert np.abs(cells.gru_forward(x, *weights, reset_after=reset_after)[:, 0] - ours[:, 0]).min() > 1e-4


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("activation", ["tanh", "linear", "relu"])
def test_simple_rnn_bptt_equals_gradient_tape(shape, activation):
    rng, x = random_inputs(shape, 5)
    x64 = tf.constant(x, dtype=tf.float64)
    layer = keras.layers.SimpleRNN(shape[3], activation=activation, return_sequences=True, dtype="float64")
    weights = random_layer(layer, x64, rng)
    dL_dhs = rng.normal(size=(shape[0], shape[1], shape[3]))  # loss = sum(hs * dL_dhs)
    h0 = rng.normal(size=(shape[0], shape[3]))
    h0_tf = tf.constant(h0)
    with tf.GradientTape() as tape:
        tape.watch([x64, h0_tf])
        hs = layer(x64, initial_state=[h0_tf])
        loss = tf.reduce_sum(hs * dL_dhs)
    tape_grads = tape.gradient(loss, [*layer.trainable_weights, x64, h0_tf])
    if activation == "relu" and np.size(hs) > 1:  # both sides of the kink are taken: some units off, some on
        assert 0 < np.mean(np.asarray(hs) == 0) < 1
    ours = cells.simple_rnn_bptt(x, *weights, dL_dhs, activation=activation, h0=h0)
    for name, expected in zip(["kernel", "recurrent_kernel", "bias", "x", "h0"], tape_grads):
        assert ours[name].shape == tuple(expected.shape), name
        assert np.abs(ours[name] - np.asarray(expected)).max() <= TOL, name
    assert ours["dh_by_step"].shape == (shape[1],)
    np.testing.assert_allclose(ours["dh_by_step"][-1], np.linalg.norm(dL_dhs[:, -1]))


def test_bptt_gradient_vanishes_with_small_recurrent_weights():
    """dL/dh_t shrinks going back in time when the recurrent weights are small (the lesson of notebook 02)."""
    x = np.zeros((1, 30, 1))
    dL_dhs = np.zeros((1, 30, 4))
    dL_dhs[0, -1] = 1.0
    small = cells.simple_rnn_bptt(x, np.zeros((1, 4)), 0.5 * np.eye(4), np.zeros(4), dL_dhs)["dh_by_step"]
    np.testing.assert_allclose(small, 0.5 ** np.arange(29, -1, -1) * 2.0)


X = np.zeros((2, 3, 4))
K1, R1, B1 = np.zeros((4, 5)), np.zeros((5, 5)), np.zeros(5)


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: cells.simple_rnn_forward(np.zeros((3, 4)), K1, R1, B1), "x"),
        (lambda: cells.simple_rnn_forward(X, np.zeros((3, 5)), R1, B1), "kernel"),
        (lambda: cells.simple_rnn_forward(X, np.zeros(5), R1, B1), "kernel"),
        (lambda: cells.simple_rnn_forward(X, K1, np.zeros((5, 4)), B1), "recurrent_kernel"),
        (lambda: cells.simple_rnn_forward(X, K1, R1, np.zeros(4)), "bias"),
        (lambda: cells.simple_rnn_forward(X, K1, R1, B1, activation="sigmoid"), "activation"),
        (lambda: cells.simple_rnn_forward(X, K1, R1, B1, h0=np.zeros((3, 5))), "h0"),
        (lambda: cells.simple_rnn_bptt(X, K1, R1, B1, np.zeros((2, 3, 4))), "dL_dhs"),
        (lambda: cells.lstm_forward(X, np.zeros((4, 18)), np.zeros((4, 16)), np.zeros(16)), "kernel"),
        (lambda: cells.lstm_forward(X, np.zeros((4, 16)), np.zeros((4, 12)), np.zeros(16)), "recurrent_kernel"),
        (lambda: cells.lstm_forward(X, np.zeros((4, 16)), np.zeros((4, 16)), np.zeros(12)), "bias"),
        (lambda: cells.lstm_forward(X, np.zeros((4, 16)), np.zeros((4, 16)), np.zeros(16), c0=np.zeros(4)), "c0"),
        (lambda: cells.gru_forward(X, np.zeros((4, 15)), np.zeros((5, 15)), np.zeros(15)), "bias"),
        (lambda: cells.gru_forward(X, np.zeros((4, 15)), np.zeros((5, 15)), np.zeros((2, 15)), reset_after=False),
         "bias"),
        (lambda: cells.gru_forward(X[0], np.zeros((4, 15)), np.zeros((5, 15)), np.zeros((2, 15))), "x"),
        (lambda: cells.gru_forward(X, np.zeros((4, 14)), np.zeros((5, 15)), np.zeros((2, 15))), "kernel"),
        (lambda: cells.gru_forward(X, np.zeros((4, 15)), np.zeros((5, 15)), np.zeros((2, 15)), h0=np.zeros((2, 4))),
         "h0"),
        (lambda: cells.lstm_forward(X, np.zeros((4, 16)), np.zeros((4, 16)), np.zeros(16), h0=np.zeros((1, 4))), "h0"),
        (lambda: cells.simple_rnn_forward([[["a"]]], K1, R1, B1), "x"),
        (lambda: cells.simple_rnn_bptt(X, K1, R1, B1, np.zeros((2, 3, 5)), h0=np.zeros((2, 4))), "h0"),
        (lambda: cells.simple_rnn_bptt(X, K1, R1, B1, np.zeros((2, 3, 5)), activation="softplus"), "activation"),
        (lambda: cells.simple_rnn_step(X[:, 0], np.zeros((2, 5)), K1, R1, B1, activation="sigmoid"), "activation"),
    ],
)
def test_bad_shapes_raise_value_error_naming_the_argument(call, argument):
    with pytest.raises(ValueError, match=rf"^{argument} ") as info:  # the message starts with the argument's name
        call()
    if argument != "activation":
        assert "(" in str(info.value)  # the expected shape is spelled out
