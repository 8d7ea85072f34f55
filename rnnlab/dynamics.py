"""The Lorenz system, its largest Lyapunov exponent, and how long a forecast of it stays valid.

Used by notebook 07 (Lorenz forecasting). Times are in the system's own time units unless a
name says ``_lt`` (Lyapunov times: time × largest Lyapunov exponent).
"""
from __future__ import annotations

import numpy as np
from scipy.integrate import solve_ivp

from rnnlab import arguments

SIGMA, RHO, BETA = 10.0, 28.0, 8.0 / 3.0
LYAPUNOV_EXPONENT = 0.9056  # largest exponent for σ=10, ρ=28, β=8/3 (Sprott, "Chaos and Time-Series Analysis")
METHODS = ("DOP853", "RK45", "Radau", "LSODA")


def lorenz_rhs(t: float, state: np.ndarray, sigma: float = SIGMA, rho: float = RHO, beta: float = BETA) -> np.ndarray:
    """d(x, y, z)/dt of the Lorenz system; ``state`` may hold k copies flattened as (3k,) (notebook 07)."""
    x, y, z = np.reshape(state, (-1, 3)).T
    return np.stack([sigma * (y - x), x * (rho - z) - y, x * y - beta * z], axis=1).ravel()


def lorenz_trajectory(
    x0,
    n_steps: int,
    dt: float = 0.01,
    *,
    rtol: float = 1e-10,
    atol: float = 1e-12,
    method: str = "DOP853",
) -> np.ndarray:
    """Lorenz states at t = 0, dt, …, (n_steps-1)·dt from ``x0`` (3,) → (n_steps, 3), or k starts (k, 3) → (k, n_steps, 3).

    Integrated by scipy ``solve_ivp`` (DOP853, 8th order, by default) and read at the sample times
    from its own steps (``t_eval``), so ``dt`` sets the sampling, not the accuracy (notebook 07).
    """
    start = arguments.array("x0", x0, (3,), (None, 3), expected="(3,) or (k, 3)", finite=True)
    n_steps = arguments.integer("n_steps", n_steps, 1)
    _positive("dt", dt)
    _tolerance("rtol", rtol)
    _tolerance("atol", atol)
    arguments.choice("method", method, METHODS)
    if n_steps == 1:
        return start.copy()[..., None, :]
    t_eval = np.arange(n_steps) * dt
    sol = solve_ivp(lorenz_rhs, (0.0, t_eval[-1]), start.ravel(), method=method, t_eval=t_eval, rtol=rtol, atol=atol)
    if not sol.success:
        raise RuntimeError(f"solve_ivp failed: {sol.message}")
    states = sol.y.T.reshape(n_steps, -1, 3).transpose(1, 0, 2)  # (k, n_steps, 3)
    return states[0] if start.ndim == 1 else states


def points_on_attractor(n: int, seed: int = 0, t_transient: float = 10.0) -> np.ndarray:
    """``n`` independent points on the Lorenz attractor, shape (n, 3): random starts run for ``t_transient`` (notebook 07)."""
    n = arguments.integer("n", n, 1)
    _positive("t_transient", t_transient)
    rng = np.random.default_rng(seed)
    starts = rng.uniform([-20.0, -25.0, 5.0], [20.0, 25.0, 45.0], size=(n, 3))
    return lorenz_trajectory(starts, 2, t_transient)[:, -1]


def lyapunov_exponent(
    x0=(1.0, 1.0, 1.0),
    *,
    n_pairs: int = 8,
    t_total: float = 100.0,
    renorm_every: float = 1.0,
    d0: float = 1e-8,
    t_transient: float = 20.0,
    rtol: float = 1e-10,
    atol: float = 1e-12,
    seed: int = 0,
) -> float:
    """Largest Lyapunov exponent by Benettin's method, averaged over ``n_pairs`` pairs of nearby starts (notebook 07).

    Each pair starts ``d0`` apart on the attractor; every ``renorm_every`` time units the log of the
    growth of their distance is summed and the second one is pulled back to distance ``d0``.
    """
    n_pairs = arguments.integer("n_pairs", n_pairs, 1)
    arguments.number("d0", d0, 0, 1e-3, low_open=True, high_open=True, note="so the pair stays in the linear regime")
    _positive("renorm_every", renorm_every)
    arguments.number("t_total", t_total, renorm_every, note="(= renorm_every)")
    arguments.number("t_transient", t_transient, 0)
    rng = np.random.default_rng(seed)
    # Starts spread over the attractor: points 5 time units apart on one trajectory, after the transient.
    skip = int(np.ceil(t_transient / 5.0))
    a = lorenz_trajectory(x0, skip + n_pairs, 5.0, rtol=rtol, atol=atol)[skip:]
    offset = rng.standard_normal(a.shape)
    b = a + d0 * offset / np.linalg.norm(offset, axis=1, keepdims=True)
    n_renorm = int(round(t_total / renorm_every))
    log_growth = np.zeros(n_pairs)
    for _ in range(n_renorm):
        both = np.concatenate([a, b])  # one system, one step size: the pair's errors stay correlated
        sol = solve_ivp(lorenz_rhs, (0.0, renorm_every), both.ravel(), method="DOP853", rtol=rtol, atol=atol)
        end = sol.y[:, -1].reshape(-1, 3)
        a, b = end[:n_pairs], end[n_pairs:]
        dist = np.linalg.norm(b - a, axis=1)
        log_growth += np.log(dist / d0)
        b = a + (b - a) * (d0 / dist)[:, None]
    return float(np.mean(log_growth) / (n_renorm * renorm_every))


def lyapunov_time(exponent: float = LYAPUNOV_EXPONENT) -> float:
    """One Lyapunov time, 1/λ: the time in which small errors grow by a factor e (notebook 07)."""
    _positive("exponent", exponent)
    return 1.0 / exponent


def normalised_rmse(truth, pred, std=None) -> np.ndarray:
    """Per-step RMSE over the variables, each divided by its std (``std`` default: the truth's own) (notebook 07)."""
    truth, pred = _as_steps_by_vars("truth", truth), _as_steps_by_vars("pred", pred)
    if truth.shape != pred.shape:
        raise ValueError(f"pred must have the shape of truth {truth.shape}, got {pred.shape}")
    scale = truth.std(axis=0) if std is None else np.broadcast_to(np.asarray(std, dtype=np.float64), truth.shape[1:])
    if not np.all(scale > 0):
        raise ValueError(f"std must be positive for every variable, got {scale}")
    return np.sqrt(np.mean(((pred - truth) / scale) ** 2, axis=1))


def valid_prediction_time(
    truth,
    pred,
    dt: float,
    lyapunov_exponent: float = LYAPUNOV_EXPONENT,
    threshold: float = 0.4,
    std=None,
) -> float:
    """Valid prediction time in Lyapunov times: steps before the normalised RMSE first exceeds ``threshold``, × dt × λ.

    ``pred[i]`` is the forecast i+1 steps ahead (shape (n_steps, n_vars) or (n_steps,)); ``std`` is
    the per-variable scale (pass the attractor's, e.g. the training data's; default: the truth's).
    A crossing at step 0 gives 0; a forecast that never crosses gets the whole horizon, n_steps·dt·λ,
    which is then only a lower bound (notebook 07).
    """
    _positive("dt", dt)
    _positive("lyapunov_exponent", lyapunov_exponent)
    _positive("threshold", threshold)
    error = normalised_rmse(truth, pred, std)
    over = np.flatnonzero(~(error <= threshold))  # NaN (a diverged forecast) counts as over
    n_valid = int(over[0]) if over.size else len(error)
    return n_valid * dt * lyapunov_exponent


def integrator_agreement_lt(
    x0,
    n_steps: int,
    dt: float = 0.01,
    *,
    rtol: float = 1e-10,
    reference_rtol: float = 1e-12,
    threshold: float = 0.4,
    method: str = "DOP853",
) -> float:
    """How long (in Lyapunov times) a run at ``rtol`` agrees with a tighter ``reference_rtol`` run (notebook 07).

    A model's valid prediction time is only meaningful well below this: beyond it the "truth"
    itself depends on the solver.
    """
    _tolerance("rtol", rtol)
    arguments.number("reference_rtol", reference_rtol, 0, rtol, low_open=True, high_open=True, note="(below rtol)")
    _positive("threshold", threshold)
    run = lorenz_trajectory(x0, n_steps, dt, rtol=rtol, atol=rtol * 1e-2, method=method)
    ref = lorenz_trajectory(x0, n_steps, dt, rtol=reference_rtol, atol=reference_rtol * 1e-2, method=method)
    scale = ref.std(axis=0) if ref.ndim == 2 else ref.reshape(-1, 3).std(axis=0)
    runs = [(run, ref)] if run.ndim == 2 else zip(run, ref)
    return min(valid_prediction_time(b, a, dt, threshold=threshold, std=scale) for a, b in runs)


def _as_steps_by_vars(name: str, values) -> np.ndarray:
    expected = "(n_steps,) or (n_steps, n_vars) with n_steps >= 1"
    arr = arguments.array(name, values, (None,), (None, None), expected=expected)
    if len(arr) == 0:
        raise ValueError(f"{name} must be an array of shape {expected}, got shape {arr.shape}")
    return arr if arr.ndim == 2 else arr[:, None]


def _positive(name: str, value) -> float:
    return arguments.number(name, value, 0, low_open=True)


def _tolerance(name: str, value) -> float:
    return arguments.number(name, value, 0, 1e-3, low_open=True)
