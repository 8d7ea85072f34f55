"""Notebook 06's checkers reject the typical wrong answers, each with a message that names the mistake."""
import pytest

from rnnlab.exercises import WRONG, exercise

FIT = '''
def fit_recurrence(series):
    u = np.asarray(series, dtype=float)
    A = np.column_stack({columns})
    coef, *_ = np.linalg.lstsq(A, {target}, rcond=None)
    return {result}
exercise("06.1").check(fit_recurrence)
'''
FIT_RIGHT = dict(columns="[u[1:-1], u[:-2], np.ones(len(u) - 2)]", target="u[2:]", result="coef")

LOOP = '''
def closed_loop_forecast(coef, last_two, n_steps):
    a1, a2, b = coef
    {unpack}
    forecast = []
    for _ in range(n_steps):
        nxt = {step}
        forecast.append(nxt)
        {update}
    return np.array({result})
exercise("06.2").check(closed_loop_forecast)
'''
LOOP_RIGHT = dict(unpack="older, newer = last_two", step="a1 * newer + a2 * older + b", update="older, newer = newer, nxt",
                  result="forecast")

WRONG_ANSWERS = [
    ("06.1", FIT.format(**FIT_RIGHT | dict(columns="[u[:-2], u[1:-1], np.ones(len(u) - 2)]")), "a1 and a2 are swapped"),
    ("06.1", FIT.format(**FIT_RIGHT | dict(columns="[u[1:-1], u[:-2]]", result="(coef[0], coef[1], 0.0)")),
     "column of ones is left out"),
    ("06.1", FIT.format(**FIT_RIGHT | dict(columns="[u[1:-1], u[:-2]]")), "three numbers"),
    ("06.1", FIT.format(**FIT_RIGHT | dict(target="u[1:-1]")), "off by one step"),
    ("06.1", FIT.format(**FIT_RIGHT | dict(columns="[u[1:4], u[:3], np.ones(3)]", target="u[2:5]")),
     "least squares over all rows gives"),
    ("06.2", LOOP.format(**LOOP_RIGHT | dict(update="pass")), "window is never updated"),
    ("06.2", LOOP.format(**LOOP_RIGHT | dict(unpack="newer, older = last_two")), "read newest first"),
    ("06.2", LOOP.format(**LOOP_RIGHT | dict(step="a1 * older + a2 * newer + b")), "the lags are swapped"),
    ("06.2", LOOP.format(**LOOP_RIGHT | dict(update="newer = nxt")), "keeps the old u[n-1]"),
    ("06.2", LOOP.format(**LOOP_RIGHT | dict(step="a1 * newer + a2 * older")), "intercept b is left out"),
    ("06.2", LOOP.format(**LOOP_RIGHT | dict(result="[last_two[1]] + forecast[:-1]")), "off by one step"),
    ("06.2", LOOP.format(**LOOP_RIGHT | dict(result="list(last_two) + forecast")), "shape"),
    ("06.3", "exercise('06.3').check(0.0124)", "measured on the 40 test windows"),
    ("06.3", "exercise('06.3').check((1 - np.cos(10 * np.pi / 99)) / 2)", "averaged"),
    ("06.3", "exercise('06.3').check(1 - np.cos(10 * np.pi / 99))", "of cos x itself"),
    ("06.3", "exercise('06.3').check(0.02)", "too large"),
    ("06.4", "exercise('06.4').check(0.0025)", "noise variance"),
    ("06.4", "exercise('06.4').check(0.005)", "only the noise"),
    ("06.4", "exercise('06.4').check(0.0125)", "noiseless value"),
    ("06.4", "exercise('06.4').check(0.015)", "enters twice"),
    ("06.5", "exercise('06.5').check(0.0)", "exact only for exact inputs"),
    ("06.5", "exercise('06.5').check(0.0025)", "target's noise alone"),
    ("06.5", "exercise('06.5').check(0.0075)", "as if every weight were"),
    ("06.5", "exercise('06.5').check(0.0025 * (2 * np.cos(10 * np.pi / 99) + 2))", "by its square"),
    ("06.5", "exercise('06.5').check(0.0025 * (4 * np.cos(10 * np.pi / 99) ** 2 + 1))", "noisy too"),
    ("06.5", "exercise('06.5').check(0.0175)", "persistence"),
    ("06.7", "exercise('06.7').check(2)", "one frequency only"),
    ("06.7", "exercise('06.7').check(3)", "two pairs"),
    ("06.7", "exercise('06.7').check(5)", "more than needed"),
    ("06.7", "exercise('06.7').check('four')", "should be a number"),
]


@pytest.mark.parametrize("ex_id, code, says", WRONG_ANSWERS, ids=[f"{i}-{s}" for i, _, s in WRONG_ANSWERS])
def test_a_wrong_answer_is_rejected_with_its_reason(ex_id, code, says, run_answer):
    printed = run_answer(code)
    assert exercise(ex_id).last == WRONG, printed
    assert says in printed, printed


@pytest.mark.parametrize("answer", ["0.0125", "0.01248", "(1 - np.cos(10 * np.pi / 99)) / 4"])
def test_the_persistence_formula_is_accepted_at_three_significant_digits(answer, run_answer):
    run_answer(f"exercise('06.3').check({answer})")
    assert exercise("06.3").last == "correct"


@pytest.mark.parametrize("ex_id, answer", [("06.4", 0.0175), ("06.4", 0.01736), ("06.5", 0.014), ("06.5", 0.01404)])
def test_the_noisy_predictions_accept_the_derived_and_the_monte_carlo_value(ex_id, answer, run_answer):
    run_answer(f"exercise('{ex_id}').check({answer})")
    assert exercise(ex_id).last == "correct"


def test_the_right_answers_in_the_same_templates_are_accepted(run_answer):
    run_answer(FIT.format(**FIT_RIGHT))
    assert exercise("06.1").last == "correct"
    run_answer(LOOP.format(**LOOP_RIGHT))
    assert exercise("06.2").last == "correct"
