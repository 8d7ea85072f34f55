"""Checkers for notebook 06 (forecasting a cosine): the least-squares fit of the exact recurrence, its closed-loop
forecast, the persistence MSE (noiseless and noisy), the exact recurrence's MSE on noisy inputs, lags for two cosines."""
from __future__ import annotations

import numpy as np

from rnnlab.exercises import Wrong, as_array, call, compare, number, register

H = 10 * np.pi / 99          # the lecture's spacing: np.linspace(0, 10π, 100) has 99 gaps
SIGMA = 0.05                 # the noise of exercises 06.4 and 06.5
COEF_NAMES = ("a1", "a2", "b")


def _cosine(rng, n):
    """n samples u[k] = A cos(k h + phase) + offset with the checker's own h, phase, offset, amplitude; and the theory."""
    h = rng.uniform(0.25, 1.2)
    phase = rng.uniform(0, 2 * np.pi)
    offset = rng.choice([-1, 1]) * rng.uniform(0.3, 2.0)
    amplitude = rng.uniform(0.3, 3.0)
    u = amplitude * np.cos(h * np.arange(n) + phase) + offset
    theory = np.array([2 * np.cos(h), -1.0, 2 * offset * (1 - np.cos(h))])
    return u, theory, f"h = {h:.3f}, amplitude {amplitude:.2f}, offset {offset:+.2f}, {n} samples"


def _lstsq(u, intercept=True, shift=1):
    """Least squares of u[n+shift-1] on (u[n], u[n-1], 1): shift=1 is the recurrence, shift=0 the off-by-one mistake."""
    columns = [u[1:len(u) - 1], u[:len(u) - 2]] + ([np.ones(len(u) - 2)] if intercept else [])
    coef, *_ = np.linalg.lstsq(np.column_stack(columns), u[1 + shift:len(u) - 1 + shift], rcond=None)
    return coef if intercept else np.append(coef, 0.0)


def _three_numbers(got, case):
    if got is None:
        as_array("(a1, a2, b)", got)                          # says: did your function forget to `return` it?
    if not isinstance(got, (tuple, list, np.ndarray)) or np.shape(got) != (3,):
        what = f"shape {np.shape(got)}" if isinstance(got, np.ndarray) else (
            f"length {len(got)}" if isinstance(got, (tuple, list)) else "")
        raise Wrong(f"Your fit_recurrence should return three numbers (a1, a2, b), got {type(got).__name__} {what} ({case}).")
    return as_array("(a1, a2, b)", got)


def _coefficients(got, expected, case, says, variants, atol):
    for mistake, value in variants.items():
        if np.allclose(got, value, atol=atol, rtol=0):
            raise Wrong(f"(a1, a2, b) = ({', '.join(f'{v:.6g}' for v in got)}) ({case}) is what you get when {mistake}.")
    for name, g, e in zip(COEF_NAMES, got, expected):
        if not abs(g - e) <= atol:
            raise Wrong(f"Coefficient {name} = {g:.6g}, but {says} {e:.6g} ({case}).")


@register("06.1", "fit the exact recurrence by least squares", "write",
          "Rows n = 1 … len(series) - 2: the columns are u[n] (series[1:-1]), u[n-1] (series[:-2]) and ones, the target "
          "is u[n+1] (series[2:]). np.linalg.lstsq(A, target, rcond=None)[0] gives (a1, a2, b) in the order of the "
          "columns.")
def fit_recurrence(student) -> str:
    rng = np.random.default_rng(601)
    for n in (40, 12, 100):
        u, theory, case = _cosine(rng, n)
        got = _three_numbers(call(student, u, inputs=f"a series of {n} samples"), case)
        _coefficients(got, theory, case, "the theory (2cos h, -1, 2 offset (1 - cos h)) says", atol=1e-6, variants={
            "a1 and a2 are swapped (a1 multiplies the newest value u[n], a2 the one before)": theory[[1, 0, 2]],
            "the column of ones is left out (no intercept b)": _lstsq(u, intercept=False),
            "the target is u[n] instead of u[n+1] (off by one step)": _lstsq(u, shift=0)})
    # with noise the fit is no longer the theory: only the least-squares solution over all rows is right
    u, _, case = _cosine(rng, 60)
    u, case = u + 0.1 * rng.standard_normal(len(u)), f"{case}, plus noise of standard deviation 0.1"
    got = _three_numbers(call(student, u, inputs="a noisy series of 60 samples"), case)
    _coefficients(got, _lstsq(u), case, "least squares over all rows gives", atol=1e-6, variants={
        "a1 and a2 are swapped (a1 multiplies the newest value u[n], a2 the one before)": _lstsq(u)[[1, 0, 2]],
        "the column of ones is left out (no intercept b)": _lstsq(u, intercept=False),
        "the target is u[n] instead of u[n+1] (off by one step)": _lstsq(u, shift=0)})
    return ("On 3 cosines of the checker's own frequency, phase, offset and amplitude your fit finds a1 = 2cos h, "
            "a2 = -1, b = 2 offset (1 - cos h); on a noisy one it equals the least-squares solution.")


def _loop(coef, last_two, n_steps, update=True, swap=False, keep_oldest=False, intercept=True, reverse=False):
    """The reference closed loop and, with the flags, its typical mistakes."""
    a1, a2, b = coef
    older, newer = last_two[::-1] if reverse else last_two
    out = []
    for _ in range(n_steps):
        nxt = (a1 * older + a2 * newer if swap else a1 * newer + a2 * older) + (b if intercept else 0.0)
        out.append(nxt)
        if update:
            older, newer = (older, nxt) if keep_oldest else (newer, nxt)
    return np.array(out)


@register("06.2", "the closed-loop forecast of the recurrence", "write",
          "last_two = (u[n-1], u[n]), oldest first. Each step: nxt = a1 * u[n] + a2 * u[n-1] + b; append it; then the "
          "old u[n] becomes u[n-1] and nxt becomes u[n]. Never look at true values after the start.")
def closed_loop_forecast(student) -> str:
    rng = np.random.default_rng(602)
    cases = []
    for n_steps in (30, 1):
        u, theory, case = _cosine(rng, 20 + n_steps)
        cases.append((theory, u[18:20], n_steps, u[20:], f"{case}, {n_steps} step{'s' * (n_steps > 1)} ahead"))
    coef = np.array([rng.uniform(1.2, 1.6), rng.uniform(-0.9, -0.7), rng.uniform(0.1, 0.4)])   # a damped recurrence
    last_two = rng.uniform(-1, 1, size=2)
    cases.append((coef, last_two, 25, None, "coefficients that are not a cosine's (a damped oscillation), 25 steps"))
    for coef, last_two, n_steps, truth, case in cases:
        expected = _loop(coef, last_two, n_steps)
        got = call(student, coef.copy(), last_two.copy(), n_steps,
                   inputs=f"coef=({', '.join(f'{c:.4g}' for c in coef)}), last_two=({last_two[0]:.4g}, {last_two[1]:.4g}), "
                          f"n_steps={n_steps}")
        got = as_array("the forecast", got).reshape(-1) if np.size(got) == n_steps else got
        variants = {
            "the window is never updated (every step must feed on your own previous forecasts)":
                _loop(coef, last_two, n_steps, update=False),
            "last_two is read newest first (it is oldest first: last_two[1] is u[n])":
                _loop(coef, last_two, n_steps, reverse=True),
            "the lags are swapped (a1 multiplies u[n], the newest value, and a2 u[n-1])":
                _loop(coef, last_two, n_steps, swap=True),
            "the window keeps the old u[n-1] (after a step, the old u[n] becomes u[n-1])":
                _loop(coef, last_two, n_steps, keep_oldest=True),
            "the intercept b is left out": _loop(coef, last_two, n_steps, intercept=False)}
        if n_steps > 1:
            variants["the first value is the last known u[n], not the first forecast (off by one step)"] = \
                np.concatenate([[last_two[1]], expected[:-1]])
        compare("the forecast", got, expected, ("step ahead",), atol=1e-8, case=case, variants=variants)
        if truth is not None:
            compare("the forecast", got, truth, ("step ahead",), atol=1e-8, case=f"{case}, against the true cosine")
    return ("With the theory's coefficients your closed loop continues 2 cosines of the checker's own (30 steps and one "
            "step) to rounding level, and it equals the reference loop for a damped recurrence.")


@register("06.3", "the persistence MSE over whole periods", "predict",
          "u[n+1] - u[n] = -sin(x_n + h/2) sin(h/2); square it, average sin² over whole periods to 1/2, and use "
          "sin²(h/2) = (1 - cos h)/2. Then put in h = 10π/99.")
def persistence_mse(student) -> str:
    test = (np.cos(H * np.arange(50, 100)) + 1) / 2
    measured = np.mean(np.diff(test[9:]) ** 2)    # the notebook's persistence MSE on its 40 test windows (section 4)
    number("your MSE", student, (1 - np.cos(H)) / 4, rtol=5e-3, mistakes=[
        (measured, "that is the MSE measured on the 40 test windows; the question asks for the average over whole "
                   "periods, (1 - cos h)/4 (those 40 steps cover 2.02 periods, not a whole number)."),
        ((1 - np.cos(H)) / 2, "that is sin²(h/2) = (1 - cos h)/2: you have not averaged sin²(x + h/2) to 1/2."),
        (1 - np.cos(H), "that is 1 - cos h, the persistence MSE of cos x itself; u = (cos x + 1)/2 halves every "
                        "difference and so quarters the MSE.")],
           why="it is (1 - cos h)/4 with h = 10π/99 (give at least 3 significant digits).")
    return (f"(1 - cos h)/4 = {(1 - np.cos(H)) / 4:.5f} for h = 10π/99; the 40 test windows measure {measured:.5f}, "
            "because their 40 steps cover 2.02 periods, not a whole number.")


@register("06.4", "the persistence MSE on a noisy series", "predict",
          "Write y[n] = u[n] + e[n] with independent noise e of variance σ² = 0.0025. Persistence's error is "
          "y[n] - y[n+1] = (u[n] - u[n+1]) + e[n] - e[n+1]: the clean part as in 06.3, and two independent noise terms.")
def noisy_persistence(student) -> str:
    clean = (1 - np.cos(H)) / 4
    number("your MSE", student, clean + 2 * SIGMA ** 2, rtol=0.03, mistake_rtol=1e-2, mistakes=[
        (SIGMA ** 2, "that is the noise variance σ², the error of a forecaster that knows the clean wave exactly. "
                     "Persistence's input y[n] is noisy too, and the wave moves between samples."),
        (2 * SIGMA ** 2, "that is only the noise, 2σ²: the clean wave still changes between samples ((1 - cos h)/4)."),
        (clean, "that is the noiseless value (06.3): the noise adds to it."),
        (clean + SIGMA ** 2, "that is (1 - cos h)/4 + σ²: the noise enters twice, in the target y[n+1] and in the "
                             "input y[n]."),
        (SIGMA, "that is σ itself; MSEs add variances, σ².")],
           why="expand the square: the clean part, the input's noise and the target's noise.")
    return (f"(1 - cos h)/4 + 2σ² = {clean:.5f} + {2 * SIGMA ** 2:.4f} = {clean + 2 * SIGMA ** 2:.5f}: the noise "
            "enters twice, through the input y[n] and through the target y[n+1].")


@register("06.5", "the exact recurrence on noisy inputs", "predict",
          "The recurrence with the theory's coefficients predicts a1 y[n] + a2 y[n-1] + b = u[n+1] + a1 e[n] + a2 e[n-1]; "
          "the target is u[n+1] + e[n+1]. Three independent noise terms: their variances add, each times its weight squared.")
def noisy_recurrence(student) -> str:
    a1 = 2 * np.cos(H)
    number("your MSE", student, (a1 ** 2 + 2) * SIGMA ** 2, rtol=0.03, mistake_rtol=1e-2, mistakes=[
        (0.0, "that is the noiseless answer: the recurrence is exact only for exact inputs."),
        (SIGMA ** 2, "that is σ², the target's noise alone: the noisy inputs are multiplied by a1 and a2 too."),
        (3 * SIGMA ** 2, "that is 3σ², as if every weight were ±1: the input y[n] is multiplied by a1 = 2cos h ≈ 1.90."),
        ((a1 + 2) * SIGMA ** 2, "that is σ²(a1 + 2): a weight multiplies a variance by its square, a1² σ²."),
        ((a1 ** 2 + 1) * SIGMA ** 2, "that is σ²(a1² + 1): the target y[n+1] is noisy too, one more σ²."),
        ((1 - np.cos(H)) / 4 + 2 * SIGMA ** 2, "that is the noisy persistence MSE of 06.4.")],
           why="σ² (a1² + a2² + 1) with a1 = 2cos h, a2 = -1.")
    return (f"σ² (a1² + a2² + 1) = 0.0025 x {a1 ** 2 + 2:.3f} = {(a1 ** 2 + 2) * SIGMA ** 2:.5f}: better than "
            "persistence, but the weight a1 ≈ 1.90 amplifies the input noise, so far above σ².")


@register("06.7", "how many lags for cos x + 0.5 cos 3x", "predict",
          "Each frequency ω contributes the pair of roots e^{±iωh} to the characteristic polynomial of the recurrence; "
          "the number of lags is the number of roots.")
def lags_two_cosines(student) -> str:
    number("the number of lags", student, 4, rtol=0, mistakes=[
        (2, "2 lags hold one pair of roots e^{±ih}: one frequency only."),
        (3, "3 lags give three roots; the two frequencies need two pairs."),
        (5, "5 lags fit exactly too, but they are more than needed: two pairs of roots make 4 (the series has no "
            "offset, so no root at 1 is needed)."),
        (6, "6 lags fit exactly too, but they are more than needed: two pairs of roots make 4.")],
           why="count the roots: one pair e^{±iωh} for each of the two frequencies.")
    return "4 lags: the roots e^{±ih} and e^{±3ih}; least squares with 4 lags leaves only rounding error."
