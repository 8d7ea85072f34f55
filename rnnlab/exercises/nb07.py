"""Checkers for notebook 07 (Lorenz forecasting): the valid prediction time, Benettin's loop, three predictions."""
from __future__ import annotations

import functools

import numpy as np

from rnnlab import dynamics
from rnnlab.exercises import Wrong, a_number, call, number, register

LAMBDA = dynamics.LYAPUNOV_EXPONENT


# ------------------------------------------------------------------ 07.1 the valid prediction time
STD = np.array([7.9, 9.0, 8.6])          # per-variable std of x, y, z on the attractor (original units)
CENTRE = np.array([0.0, 0.0, 23.5])


def _forecast(rng, profile, std, nan_from=None):
    """(truth, pred) whose normalised RMSE at step n is exactly profile[n]; pred is NaN from ``nan_from`` on."""
    n, k = len(profile), len(std)
    truth = CENTRE[:k] + 0.5 * std * rng.standard_normal((n, k))     # a short stretch: less spread than std
    direction = rng.standard_normal((n, k))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    pred = truth + np.asarray(profile)[:, None] * np.sqrt(k) * direction * std
    if nan_from is not None:
        pred[nan_from:] = np.nan                                      # the closed loop blew up
    return truth, pred


def _vpt_mistakes(truth, pred, std, dt, lam, thr) -> dict[str, float]:
    """What the typical mistakes return, for the checker's messages."""
    diff = pred - truth
    norm = np.sqrt(np.mean((diff / std) ** 2, axis=1))

    def first(error, t=thr):
        over = np.flatnonzero(~(error <= t))
        return int(over[0]) if over.size else len(error)

    n = first(norm)
    over = np.flatnonzero(~(norm <= thr))
    ups = np.flatnonzero(~(norm[1:] <= thr) & (norm[:-1] <= thr)) + 1
    last_up = int(ups[-1]) if ups.size else (0 if over.size else len(norm))
    strict = np.flatnonzero(norm > thr)
    return {
        "the step that crosses the threshold is counted as valid too (off by one step)":
            (n + 1) * dt * lam if n < len(norm) else None,
        "the errors are not divided by std (normalise each variable by its std first)":
            first(np.sqrt(np.mean(diff ** 2, axis=1))) * dt * lam,
        "the truth's own standard deviation is used instead of the std passed in":
            first(np.sqrt(np.mean((diff / truth.std(axis=0)) ** 2, axis=1))) * dt * lam,
        "the answer is left in time units (steps × dt): multiply by the Lyapunov exponent to get Lyapunov times":
            n * dt,
        "the answer is left in steps: multiply by dt and the Lyapunov exponent": float(n),
        "the last crossing of the threshold is used instead of the first": last_up * dt * lam,
        "the last step over the threshold is used instead of the first": int(over[-1]) * dt * lam if over.size else None,
        "every step at or below the threshold is counted, also those after the first crossing":
            int(np.sum(norm <= thr)) * dt * lam,
        "NaN (a diverged forecast) is not counted as over the threshold (NaN > threshold is False; use "
        "~(error <= threshold))": (int(strict[0]) if strict.size else len(norm)) * dt * lam,
        "a forecast that never crosses gets 0 instead of the whole horizon (np.argmax of all-False is 0)":
            0.0 if not over.size else None,
        "a forecast that never crosses gets n_steps − 1 steps instead of all n_steps (off by one step)":
            (len(norm) - 1) * dt * lam if not over.size else None,
        "the square root of the mean square is left out": first(norm ** 2) * dt * lam,
        "the squared errors are summed over the variables instead of averaged": first(norm * np.sqrt(len(std))) * dt * lam,
        "the threshold argument is ignored (0.4 is used)": first(norm, 0.4) * dt * lam,
        "the lyapunov_exponent argument is ignored (a fixed 0.906 is used)": n * dt * 0.906,
        "the lyapunov_exponent argument is ignored (a fixed 0.9056 is used)": n * dt * 0.9056,
    }


def _vpt_cases():
    """(description, truth, pred, std, dt, lambda, threshold): the checker's own forecasts."""
    rng = np.random.default_rng(2707)
    steps = np.arange(120)
    mid = 1e-3 * np.exp(0.163 * steps)                      # crosses 0.4 between steps 36 and 37
    mid = np.minimum(mid, 1.2 + 0.1 * np.sin(steps))         # then saturates, as a real forecast's error does
    mid[44:48] = [0.35, 0.3, 0.25, 0.38]                     # and dips back below the threshold for a while
    at_zero = 0.5 * np.exp(0.05 * np.arange(50))
    never = 1e-4 * np.exp(0.05 * np.arange(80))
    before_blowup = 1e-3 * np.exp(0.05 * np.arange(60))
    other = 1e-3 * np.exp(0.163 * steps[:90])                # threshold 0.2: crosses between steps 32 and 33
    return [
        ("crossing 0.4 after 37 steps, then dipping back below it", *_forecast(rng, mid, STD), STD, 0.02, LAMBDA, 0.4),
        ("over the threshold from the very first step", *_forecast(rng, at_zero, STD), STD, 0.01, LAMBDA, 0.4),
        ("never crossing the threshold in 80 steps", *_forecast(rng, never, STD), STD, 0.05, 0.5, 0.3),
        ("diverging to NaN at step 25 before crossing", *_forecast(rng, before_blowup, STD, nan_from=25),
         STD, 0.02, LAMBDA, 0.4),
        ("threshold 0.2, lyapunov_exponent 1.5, two variables", *_forecast(rng, other, STD[:2]), STD[:2], 0.02, 1.5, 0.2),
    ]


@register("07.1", "the valid prediction time", "write",
          "error = np.sqrt(np.mean(((pred - truth) / std) ** 2, axis=1)) is one number per step. The first step "
          "over the threshold is np.flatnonzero(~(error <= threshold))[0] (written with ~(... <= ...) so that NaN "
          "counts as over); if there is none, all len(error) steps are valid. Then multiply the number of valid "
          "steps by dt and by the Lyapunov exponent.")
def valid_prediction_time(student) -> str:
    cases = _vpt_cases()
    for description, truth, pred, std, dt, lam, thr in cases:
        expected = dynamics.valid_prediction_time(truth, pred, dt, lam, thr, std=std)
        got = call(student, truth.copy(), pred.copy(), std.copy(), dt, lam, thr, name="valid_prediction_time",
                   inputs=f"truth, pred, std, dt={dt}, lyapunov_exponent={lam}, threshold={thr}")
        case, mistakes = f"forecast {description}", _vpt_mistakes(truth, pred, std, dt, lam, thr)
        got = a_number("your VPT", got, case=case,
                       nonfinite="a NaN in pred should count as over the threshold, and the VPT itself is always a number.")
        number("your VPT", got, expected, rtol=0, atol=1e-9, case=case,
               mistakes=[(v, f"that is what you get when {m}.") for m, v in mistakes.items() if v is not None])
    return (f"Your VPT equals rnnlab.dynamics.valid_prediction_time on all {len(cases)} forecasts (crossing at step 0, "
            "crossing and dipping back, never crossing, diverging to NaN, other threshold and exponent).")


# ------------------------------------------------------------------ 07.2 Benettin's loop
_FLOW = np.array([[0.3, 1.0], [0.0, -1.0]])                 # eigenvalues 0.3 and -1: the largest exponent is 0.3


@functools.lru_cache(maxsize=None)
def _flow_matrix(tau: float) -> np.ndarray:
    from scipy.linalg import expm

    return expm(_FLOW * tau)


def _linear_flow(state, tau):
    """dx/dt = A x, advanced by tau exactly: x(t + tau) = expm(A tau) x(t)."""
    return np.asarray(state, dtype=np.float64) @ _flow_matrix(float(tau)).T


def _logistic(state, tau):
    """The logistic map x -> 4x(1 - x), applied tau times (tau a whole number)."""
    x = np.asarray(state, dtype=np.float64)
    for _ in range(int(tau)):
        x = 4.0 * x * (1.0 - x)
    return x


def _lorenz_rhs(s):
    x, y, z = s[..., 0], s[..., 1], s[..., 2]
    return np.stack([dynamics.SIGMA * (y - x), x * (dynamics.RHO - z) - y, x * y - dynamics.BETA * z], axis=-1)


def _lorenz_rk4(state, tau, h=0.01):
    """The Lorenz system advanced by tau with fixed Runge-Kutta steps of 0.01 (a smooth map of the state)."""
    s = np.asarray(state, dtype=np.float64)
    for _ in range(int(round(tau / h))):
        k1 = _lorenz_rhs(s)
        k2 = _lorenz_rhs(s + h / 2 * k1)
        k3 = _lorenz_rhs(s + h / 2 * k2)
        k4 = _lorenz_rhs(s + h * k3)
        s = s + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return s


def _benettin(step, x0, dx0, n_renorm, tau) -> dict[str, float]:
    """The reference loop ("right") and what the typical mistakes return."""
    d0 = float(np.linalg.norm(dx0))
    a, b = np.array(x0, dtype=np.float64), np.array(x0, dtype=np.float64) + dx0
    c = b.copy()                                   # a second trajectory that is never pulled back
    e = b.copy()                                   # one pulled back to distance 1 instead of d0
    unit_logs = []
    logs, growth, free, free_prev = [], [], [], d0
    for _ in range(n_renorm):
        a, b, c, e = step(a, tau), step(b, tau), step(c, tau), step(e, tau)
        de = float(np.linalg.norm(e - a))
        unit_logs.append(np.log(de / d0))
        e = a + (e - a) / de
        d, dc = float(np.linalg.norm(b - a)), float(np.linalg.norm(c - a))
        logs.append(np.log(d / d0))
        growth.append(d / d0)
        free.append((np.log(dc / d0), np.log(dc / free_prev)))
        free_prev = dc
        b = a + (b - a) * (d0 / d)
    total = n_renorm * tau
    right = float(np.sum(logs) / total)
    with np.errstate(all="ignore"):
        return {
            "right": right,
            "the second trajectory is never pulled back to distance d0 (renormalise it after every interval)":
                float(np.sum([f[0] for f in free]) / total),
            "the second trajectory is never pulled back to distance d0 (renormalise it after every interval), so the "
            "distance saturates": float(np.sum([f[1] for f in free]) / total),
            "the sum is divided by the number of renormalisations instead of the total time n_renorm × tau":
                right * tau,
            "the sum of the log-growths is not divided by the total time n_renorm × tau": right * total,
            "the growth factors d/d0 are averaged before taking the log (average the logs instead)":
                float(np.log(np.mean(growth)) / tau),
            "the second trajectory is pulled back to distance 1 instead of d0":
                float(np.sum(unit_logs) / total),
            "ln d is summed instead of ln(d / d0)": float((np.sum(logs) + n_renorm * np.log(d0)) / total),
            "log10 is used instead of the natural log (np.log)": right / np.log(10.0),
        }


@functools.lru_cache(maxsize=None)
def _lorenz_start() -> tuple[float, ...]:
    return tuple(_lorenz_rk4(np.array([1.0, 1.0, 1.0]), 20.0))           # on the attractor after 20 time units


@functools.lru_cache(maxsize=None)
def _lorenz_reference(x0: tuple[float, ...]) -> float:
    return dynamics.lyapunov_exponent(x0, n_pairs=4, t_total=40.0)


def _benettin_cases():
    rng = np.random.default_rng(2708)
    unit = rng.standard_normal(3)
    unit /= np.linalg.norm(unit)
    return [
        ("the 2-D linear flow dx/dt = [[0.3, 1], [0, -1]] x, exponent 0.3", _linear_flow,
         np.array([1.0, -2.0]), 1e-6 * np.array([0.6, 0.8]), 100, 0.5, 0.3),
        ("the logistic map x -> 4x(1 - x), exponent ln 2", _logistic,
         np.array([0.3]), np.array([1e-8]), 1000, 2, np.log(2.0)),
        ("the Lorenz system (Runge-Kutta steps of 0.01), exponent about 0.906", _lorenz_rk4,
         np.array(_lorenz_start()), 1e-8 * unit, 40, 1.0, LAMBDA),
    ]


@register("07.2", "Benettin's renormalisation loop", "write",
          "a = x0, b = x0 + dx0, d0 = the length of dx0. Repeat n_renorm times: advance both with step(., tau), "
          "measure d = |b - a|, add ln(d / d0) to a sum, and pull b back: b = a + (b - a) * d0 / d. Return the sum "
          "divided by the total time n_renorm * tau.")
def benettin(student) -> str:
    results = []
    for description, step, x0, dx0, n_renorm, tau, exact in _benettin_cases():
        ref = _benettin(step, x0, dx0, n_renorm, tau)
        got = call(student, step, x0.copy(), dx0.copy(), n_renorm, tau, name="benettin",
                   inputs=f"step, x0, dx0, n_renorm={n_renorm}, tau={tau}")
        got = a_number("your exponent", got, case=description,
                       nonfinite="a distance overflowed or became zero: pull the second trajectory back to d0 after "
                                 "every interval, and take the log of d / d0.")
        number("your exponent", got, ref["right"], rtol=1e-4, atol=1e-9, case=description,
               mistakes=[(v, f"that is what you get when {m}.") for m, v in ref.items() if m != "right"])
        results.append((ref["right"], exact))
    (flow, _), (logistic, ln2), (lorenz, _) = results
    reference = _lorenz_reference(_lorenz_start())
    if not abs(lorenz / reference - 1) < 0.15:  # the reference loop itself: never expected to fail
        raise Wrong(f"your exponent for Lorenz, {lorenz:.3f}, is far from rnnlab.dynamics.lyapunov_exponent's "
                    f"{reference:.3f}.")
    return (f"Your loop gives {flow:.4f} for the linear flow (exact 0.3; the rest is the start's transient), "
            f"{logistic:.4f} for the logistic map (exact ln 2 = {ln2:.4f}) and {lorenz:.3f} for Lorenz over 40 time "
            f"units (rnnlab.dynamics.lyapunov_exponent, 4 pairs over 40 time units: {reference:.3f}; literature "
            f"{LAMBDA}).")


# ------------------------------------------------------------------ predictions
@register("07.3", "the forecast horizon in samples", "predict",
          "One Lyapunov time is 1/λ time units, and one sample is Δt = 0.02 time units. How many samples make one "
          "Lyapunov time, and how many make 15?")
def horizon_steps(student) -> str:
    lt = 1.0 / LAMBDA
    expected = 15 * lt / 0.02
    number("your number of steps", student, expected, rtol=1.5e-3, mistake_rtol=5e-3, mistakes=[
        (15 * lt, "that is 15 Lyapunov times in time units; divide by Δt = 0.02 to count samples."),
        (15 * LAMBDA / 0.02, "you multiplied by λ; one Lyapunov time is 1/λ time units."),
        (lt / 0.02, "that is one Lyapunov time in samples; the horizon is 15 of them."),
        (15 / 0.02, "that is 15 time units; a Lyapunov time is 1/λ ≈ 1.10 time units, a little longer."),
    ], why="15 Lyapunov times = 15/λ time units, and each sample is 0.02 of them.")
    return (f"15 Lyapunov times = 15/{LAMBDA} = {15 * lt:.2f} time units = {expected:.1f}, so {round(expected)} "
            f"samples at Δt = 0.02 (one Lyapunov time is {lt / 0.02:.1f} samples).")


@register("07.4", "what a doubled threshold buys", "predict",
          "Solve E1·exp(λt) = threshold for λt, once with 0.4 and once with 0.8, and subtract. VPT is measured in "
          "Lyapunov times, i.e. in units of λt.")
def doubled_threshold(student) -> str:
    expected = np.log(2.0)
    number("your gain", student, expected, rtol=1.5e-2, mistakes=[
        (2.0, "that is the ratio of the two thresholds; the time it buys is its logarithm."),
        (expected / LAMBDA, "that is ln 2 / λ, in time units; the VPT is in Lyapunov times (units of λt)."),
        (np.log10(2.0), "that is log10(2); the error grows by a factor e per Lyapunov time, so use the natural log."),
        (0.4, "that is the threshold's change; the time it buys is the logarithm of the ratio 0.8/0.4."),
    ], why="E1·exp(λt) reaches 0.8 when λt = ln(0.8/E1) = ln(0.4/E1) + ln 2.")
    return (f"The gain is ln 2 = {expected:.3f} Lyapunov times, whatever E1 is: a model whose error grows at the "
            "rate λ near the threshold shifts by about this much.")


@register("07.6", "an upper bound from the one-step error", "predict",
          "A single error E1 = 1e-4 that grows like E1·exp(λt) reaches 0.4 when λt = ln(0.4 / E1). λt is the time "
          "in Lyapunov times.")
def vpt_bound(student) -> str:
    expected = np.log(0.4 / 1e-4)
    number("your bound", student, expected, rtol=3e-3, mistakes=[
        (np.log10(0.4 / 1e-4), "that is log10(4000); errors grow by a factor e per Lyapunov time, so use the natural log."),
        (np.log(1 / 1e-4), "that is ln(1/E1): the error only has to reach the threshold 0.4, not 1."),
        (expected / LAMBDA, "that is ln(4000)/λ, in time units; the bound in Lyapunov times is λt itself."),
        (4000.0, "that is the factor 0.4 / E1 by which the error must grow; the time is its logarithm."),
    ], why="solve 1e-4 · exp(λt) = 0.4 for λt.")
    return (f"ln(0.4 / 1e-4) = ln 4000 = {expected:.2f} Lyapunov times, an upper bound: in closed loop a new "
            "one-step error enters at every step, so the measured VPT is shorter.")
