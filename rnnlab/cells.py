"""NumPy reference recurrent cells: SimpleRNN, LSTM and GRU forward passes and SimpleRNN BPTT.

Each function takes the weights exactly as the Keras layer stores them, so
``simple_rnn_forward(x, *layer.get_weights())`` reproduces ``layer`` (with
``return_sequences=True``). Everything is computed in float64. Shapes: ``x`` is
(batch, time, features); the forward functions return every hidden state, (batch, time, units).
Used by notebooks 02 (SimpleRNN, BPTT), 03 (LSTM) and 04 (GRU).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from rnnlab import arguments

__all__ = [
    "ACTIVATIONS",
    "simple_rnn_step",
    "simple_rnn_forward",
    "simple_rnn_bptt",
    "lstm_step",
    "lstm_forward",
    "gru_step",
    "gru_forward",
]

# name -> (activation, derivative written in terms of the pre-activation a and the output y)
ACTIVATIONS: dict[str, tuple[Callable[[np.ndarray], np.ndarray], Callable[[np.ndarray, np.ndarray], np.ndarray]]] = {
    "tanh": (np.tanh, lambda a, y: 1.0 - y**2),
    "linear": (lambda a: a, lambda a, y: np.ones_like(a)),
    "relu": (lambda a: np.maximum(a, 0.0), lambda a, y: (a > 0).astype(a.dtype)),
}


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + e^-a), the gates' activation in Keras's LSTM and GRU."""
    return 0.5 * (1.0 + np.tanh(0.5 * a))  # tanh form: no overflow warning for large |a|


# ---------------------------------------------------------------- shape checks
def _activation(activation: str):
    return ACTIVATIONS[arguments.choice("activation", activation, sorted(ACTIVATIONS))]


def _inputs_and_kernels(x, kernel, recurrent_kernel, n_gates: int):
    """Check x (batch, time, features), kernel (features, g*units), recurrent_kernel (units, g*units)."""
    g = f"{n_gates} * units" if n_gates > 1 else "units"
    x = arguments.array("x", x, (None, None, None), expected="(batch, time, features)")
    batch, _, features = x.shape
    kernel = arguments.array("kernel", kernel, (features, None),
                             expected=f"(features, {g}) with features = x.shape[2] = {features}")
    if kernel.shape[1] % n_gates:
        raise ValueError(f"kernel must be an array of shape (features, {g}), its second axis a multiple of "
                         f"{n_gates}, got shape {kernel.shape}")
    units = kernel.shape[1] // n_gates
    recurrent_kernel = arguments.array("recurrent_kernel", recurrent_kernel, (units, n_gates * units),
                                       expected=f"(units, {g}) = {(units, n_gates * units)}")
    return x, kernel, recurrent_kernel, batch, units


def _bias(bias, shape: tuple[int, ...], expected: str, when: str = "") -> np.ndarray:
    return arguments.array("bias", bias, shape, expected=f"{expected} = {shape}{when}")


def _state(value, name: str, batch: int, units: int) -> np.ndarray:
    """Initial state: zeros when None, else checked to be (batch, units)."""
    if value is None:
        return np.zeros((batch, units))
    return arguments.array(name, value, (batch, units), expected=f"(batch, units) = {(batch, units)}")


# ---------------------------------------------------------------- SimpleRNN
def simple_rnn_step(x_t: np.ndarray, h_prev: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray,
                    bias: np.ndarray, activation: str = "tanh") -> np.ndarray:
    """One Elman step h_t = f(x_t W + h_{t-1} U + b) on (batch, features) inputs; no shape checks (see forward)."""
    f, _ = _activation(activation)
    return f(x_t @ kernel + h_prev @ recurrent_kernel + bias)


def simple_rnn_forward(x, kernel, recurrent_kernel, bias, activation: str = "tanh", h0=None) -> np.ndarray:
    """All hidden states (batch, time, units) of ``keras.layers.SimpleRNN``; notebook 02 checks it against Keras."""
    _activation(activation)
    x, kernel, recurrent_kernel, batch, units = _inputs_and_kernels(x, kernel, recurrent_kernel, 1)
    bias = _bias(bias, (units,), "(units,)")
    h = _state(h0, "h0", batch, units)
    hs = np.empty((batch, x.shape[1], units))
    for t in range(x.shape[1]):
        h = simple_rnn_step(x[:, t], h, kernel, recurrent_kernel, bias, activation)
        hs[:, t] = h
    return hs


def simple_rnn_bptt(x, kernel, recurrent_kernel, bias, dL_dhs, activation: str = "tanh", h0=None) -> dict:
    """Backpropagation through time for ``simple_rnn_forward``, written out step by step (notebook 02).

    ``dL_dhs`` (batch, time, units) is the loss's direct gradient w.r.t. each hidden state. Returns the
    gradients {"kernel", "recurrent_kernel", "bias", "x", "h0"} and "dh_by_step": (time,) norms of the
    total dL/dh_t (direct + carried back from later steps), the quantity that vanishes or explodes.
    """
    _, f_prime = _activation(activation)
    hs = simple_rnn_forward(x, kernel, recurrent_kernel, bias, activation, h0)
    x, kernel, recurrent_kernel, batch, units = _inputs_and_kernels(x, kernel, recurrent_kernel, 1)
    bias = np.asarray(bias, dtype=np.float64)
    dL_dhs = arguments.array("dL_dhs", dL_dhs, hs.shape, expected=f"(batch, time, units) = {hs.shape}")
    h_init = _state(h0, "h0", batch, units)
    grads = {"kernel": np.zeros_like(kernel), "recurrent_kernel": np.zeros_like(recurrent_kernel),
             "bias": np.zeros_like(bias), "x": np.zeros_like(x)}
    dh_by_step = np.zeros(x.shape[1])
    carried = np.zeros((batch, units))  # dL/dh_t arriving from step t+1
    for t in reversed(range(x.shape[1])):
        h_prev = hs[:, t - 1] if t > 0 else h_init
        dh = dL_dhs[:, t] + carried                      # total dL/dh_t
        dh_by_step[t] = np.linalg.norm(dh)
        a = x[:, t] @ kernel + h_prev @ recurrent_kernel + bias
        da = dh * f_prime(a, hs[:, t])                   # dL/da_t, a_t = pre-activation
        grads["kernel"] += x[:, t].T @ da
        grads["recurrent_kernel"] += h_prev.T @ da
        grads["bias"] += da.sum(axis=0)
        grads["x"][:, t] = da @ kernel.T
        carried = da @ recurrent_kernel.T                # dL/dh_{t-1} through the recurrence
    grads["h0"] = carried
    grads["dh_by_step"] = dh_by_step
    return grads


# ---------------------------------------------------------------- LSTM
def lstm_step(x_t: np.ndarray, h_prev: np.ndarray, c_prev: np.ndarray, kernel: np.ndarray,
              recurrent_kernel: np.ndarray, bias: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM step with Keras's gate order i, f, c, o; returns (h_t, c_t). Used by ``lstm_forward`` (notebook 03)."""
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    zi, zf, zc, zo = np.split(z, 4, axis=-1)
    i, f, o = sigmoid(zi), sigmoid(zf), sigmoid(zo)
    c = f * c_prev + i * np.tanh(zc)                     # candidate uses tanh, not a sigmoid
    return o * np.tanh(c), c


def lstm_forward(x, kernel, recurrent_kernel, bias, h0=None, c0=None) -> tuple[np.ndarray, np.ndarray]:
    """All hidden and cell states, each (batch, time, units), of ``keras.layers.LSTM`` (notebook 03)."""
    x, kernel, recurrent_kernel, batch, units = _inputs_and_kernels(x, kernel, recurrent_kernel, 4)
    bias = _bias(bias, (4 * units,), "(4 * units,)")
    h, c = _state(h0, "h0", batch, units), _state(c0, "c0", batch, units)
    hs = np.empty((batch, x.shape[1], units))
    cs = np.empty_like(hs)
    for t in range(x.shape[1]):
        h, c = lstm_step(x[:, t], h, c, kernel, recurrent_kernel, bias)
        hs[:, t], cs[:, t] = h, c
    return hs, cs


# ---------------------------------------------------------------- GRU
def gru_step(x_t: np.ndarray, h_prev: np.ndarray, kernel: np.ndarray, recurrent_kernel: np.ndarray,
             bias: np.ndarray, reset_after: bool = True) -> np.ndarray:
    """One GRU step, Keras gate order z, r, h and h_t = z * h_{t-1} + (1 - z) * h~ (notebook 04).

    reset_after=True (Keras default): h~ = tanh(x W_h + b_h + r * (h U_h + b_rh)), bias (2, 3u);
    reset_after=False (textbook): h~ = tanh(x W_h + (r * h) U_h + b_h), bias (3u,).
    """
    units = h_prev.shape[-1]
    b_in, b_rec = (bias[0], bias[1]) if reset_after else (bias, np.zeros_like(bias))
    xz, xr, xh = np.split(x_t @ kernel + b_in, 3, axis=-1)
    rec = h_prev @ recurrent_kernel[:, : 2 * units] + b_rec[: 2 * units]
    z = sigmoid(xz + rec[:, :units])
    r = sigmoid(xr + rec[:, units:])
    if reset_after:
        h_tilde = np.tanh(xh + r * (h_prev @ recurrent_kernel[:, 2 * units:] + b_rec[2 * units:]))
    else:
        h_tilde = np.tanh(xh + (r * h_prev) @ recurrent_kernel[:, 2 * units:])
    return z * h_prev + (1.0 - z) * h_tilde


def gru_forward(x, kernel, recurrent_kernel, bias, reset_after: bool = True, h0=None) -> np.ndarray:
    """All hidden states (batch, time, units) of ``keras.layers.GRU`` with the same ``reset_after`` (notebook 04)."""
    x, kernel, recurrent_kernel, batch, units = _inputs_and_kernels(x, kernel, recurrent_kernel, 3)
    if reset_after:
        bias = _bias(bias, (2, 3 * units), "(2, 3 * units)", " when reset_after=True")
    else:
        bias = _bias(bias, (3 * units,), "(3 * units,)", " when reset_after=False")
    h = _state(h0, "h0", batch, units)
    hs = np.empty((batch, x.shape[1], units))
    for t in range(x.shape[1]):
        h = gru_step(x[:, t], h, kernel, recurrent_kernel, bias, reset_after)
        hs[:, t] = h
    return hs
