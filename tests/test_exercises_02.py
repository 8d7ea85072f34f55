"""Notebook 02's checkers reject the typical wrong answers, each with a message that names the mistake."""
import pytest

from rnnlab.exercises import WRONG, exercise

ELMAN = "def elman_step(x_t, h_prev, W, U, b):\n    return {}\nexercise('02.1').check(elman_step)"
BPTT = '''
def bptt(x, hs, h0, W, U, dL_dhs):
    dW, dU, db, carried = np.zeros_like(W), np.zeros_like(U), np.zeros(U.shape[0]), np.zeros_like(h0)
    for t in reversed(range(x.shape[1])):
        h_prev = {h_prev}
        da = (dL_dhs[:, t] + carried) * {derivative}
        dW += x[:, t].T @ da
        dU += h_prev.T @ da
        db += da.sum(axis=0)
        carried = {carried}
    return dW, dU, db
exercise("02.2").check(bptt)
'''
RIGHT = dict(h_prev="hs[:, t - 1] if t > 0 else h0", derivative="(1 - hs[:, t] ** 2)", carried="da @ U.T")

WRONG_ANSWERS = [
    ("02.1", ELMAN.format("np.tanh(x_t @ W + h_prev @ U)"), "bias b is left out"),
    ("02.1", ELMAN.format("np.tanh(x_t @ W + h_prev @ U.T + b)"), "U is transposed"),
    ("02.1", ELMAN.format("np.tanh(x_t @ W + b)"), "memory term"),
    ("02.1", ELMAN.format("x_t @ W + h_prev @ U + b"), "tanh is left out"),
    ("02.1", ELMAN.format("np.tanh(x_t @ W + h_prev @ U + b).T"), "shape"),
    ("02.2", BPTT.format(**RIGHT | dict(carried="0")), "carried back"),
    ("02.2", BPTT.format(**RIGHT | dict(h_prev="hs[:, t]")), "off by one"),
    ("02.2", BPTT.format(**RIGHT | dict(derivative="1")), "differs most at"),
    ("02.2", BPTT.format(**RIGHT | dict(carried="da @ U")), "differs most at"),
    ("02.3", "exercise('02.3').check([[4, 4], [12, 12], [32, 32]])", "still 1"),
    ("02.4", "exercise('02.4').check('a')", "each variable"),
]


@pytest.mark.parametrize("ex_id, code, says", WRONG_ANSWERS, ids=[f"{i}-{s}" for i, _, s in WRONG_ANSWERS])
def test_a_wrong_answer_is_rejected_with_its_reason(ex_id, code, says, run_answer):
    printed = run_answer(code)
    assert exercise(ex_id).last == WRONG, printed
    assert says in printed, printed


def test_the_right_bptt_in_the_same_template_is_accepted(run_answer):
    run_answer(BPTT.format(**RIGHT))
    assert exercise("02.2").last == "correct"
