"""Notebook 07's checkers reject the typical wrong answers, each with a message that names the mistake."""
import pytest

from rnnlab.exercises import CORRECT, WRONG, exercise

VPT = '''
def valid_prediction_time(truth, pred, std, dt, lyapunov_exponent=0.906, threshold=0.4):
    error = {error}
    over = {over}
    n_valid = {n_valid}
    return n_valid * {scale}
exercise("07.1").check(valid_prediction_time)
'''
VPT_RIGHT = dict(error="np.sqrt(np.mean(((pred - truth) / std) ** 2, axis=1))",
                 over="np.flatnonzero(~(error <= threshold))",
                 n_valid="over[0] if over.size else len(error)",
                 scale="dt * lyapunov_exponent")

BENETTIN = '''
def benettin(step, x0, dx0, n_renorm, tau):
    d0 = np.linalg.norm(dx0)
    a, b = x0, x0 + dx0
    logs, previous = [], d0
    for _ in range(n_renorm):
        a, b = step(a, tau), step(b, tau)
        d = np.linalg.norm(b - a)
        logs.append({log})
        previous = d
        {renormalise}
    return {result}
exercise("07.2").check(benettin)
'''
BENETTIN_RIGHT = dict(log="np.log(d / d0)", renormalise="b = a + (b - a) * d0 / d",
                      result="sum(logs) / (n_renorm * tau)")

WRONG_ANSWERS = [
    ("07.1", VPT.format(**VPT_RIGHT | dict(n_valid="over[0] + 1 if over.size else len(error)")), "off by one"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(error="np.sqrt(np.mean((pred - truth) ** 2, axis=1))")), "not divided by std"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(error="np.sqrt(np.mean(((pred - truth) / truth.std(axis=0)) ** 2, axis=1))")),
     "truth's own standard deviation"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(scale="dt")), "time units"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(scale="1")), "left in steps"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(n_valid="over[-1] if over.size else len(error)")), "last step over"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(
        over="np.flatnonzero(~(error[1:] <= threshold) & (error[:-1] <= threshold)) + 1",
        n_valid="over[-1] if over.size else (0 if error[0] > threshold else len(error))")), "last crossing"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(n_valid="np.sum(error <= threshold)")), "also those after the first crossing"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(over="np.flatnonzero(error > threshold)")), "NaN"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(n_valid="np.argmax(~(error <= threshold))")), "never crosses gets 0"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(n_valid="over[0] if over.size else len(error) - 1")), "n_steps − 1"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(error="np.mean(((pred - truth) / std) ** 2, axis=1)")), "square root"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(error="np.sqrt(np.sum(((pred - truth) / std) ** 2, axis=1))")),
     "summed over the variables"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(over="np.flatnonzero(~(error <= 0.4))")), "threshold argument is ignored"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(scale="dt * 0.906")), "lyapunov_exponent argument is ignored"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(scale="dt * 0.9056")), "lyapunov_exponent argument is ignored"),
    ("07.1", VPT.format(**VPT_RIGHT | dict(error="np.sqrt(np.mean(((pred - truth) / std) ** 2, axis=0))")), "VPT is 0 (forecast crossing"),
    ("07.2", BENETTIN.format(**BENETTIN_RIGHT | dict(renormalise="pass")), "never pulled back"),
    ("07.2", BENETTIN.format(**BENETTIN_RIGHT | dict(log="np.log(d / previous)", renormalise="pass")),
     "never pulled back"),
    ("07.2", BENETTIN.format(**BENETTIN_RIGHT | dict(result="sum(logs) / n_renorm")), "number of renormalisations"),
    ("07.2", BENETTIN.format(**BENETTIN_RIGHT | dict(result="sum(logs)")), "not divided by the total time"),
    ("07.2", BENETTIN.format(**BENETTIN_RIGHT | dict(log="d / d0", result="np.log(np.mean(logs)) / tau")),
     "averaged before taking the log"),
    ("07.2", BENETTIN.format(**BENETTIN_RIGHT | dict(log="np.log(d)")), "ln d is summed"),
    ("07.2", BENETTIN.format(**BENETTIN_RIGHT | dict(log="np.log10(d / d0)")), "log10"),
    ("07.2", BENETTIN.format(**BENETTIN_RIGHT | dict(renormalise="b = a + (b - a) / d")), "distance 1 instead of d0"),
    ("07.2", BENETTIN.format(**BENETTIN_RIGHT | dict(renormalise="b = a")).replace(  # ln 0: NumPy warns, as it would
        'exercise("07.2").check(benettin)',                                            # in the notebook
        'with np.errstate(divide="ignore"):\n    exercise("07.2").check(benettin)'), "overflowed or became zero"),
    ("07.2", "exercise('07.2').check(lambda step, x0, dx0, n, tau: 0.906)", "exponent is 0.906 (the 2-D linear flow"),
    ("07.3", "exercise('07.3').check(15 / 0.9056)", "in time units"),
    ("07.3", "exercise('07.3').check(15 * 0.9056 / 0.02)", "multiplied by λ"),
    ("07.3", "exercise('07.3').check(55)", "one Lyapunov time"),
    ("07.4", "exercise('07.4').check(2)", "ratio of the two thresholds"),
    ("07.4", "exercise('07.4').check(np.log(2) / 0.9056)", "time units"),
    ("07.6", "exercise('07.6').check(np.log10(4000))", "natural log"),
    ("07.6", "exercise('07.6').check(np.log(1 / 1e-4))", "threshold 0.4"),
    ("07.6", "exercise('07.6').check(np.log(4000) / 0.906)", "time units"),
]


@pytest.mark.parametrize("ex_id, code, says", WRONG_ANSWERS, ids=[f"{i}-{s}" for i, _, s in WRONG_ANSWERS])
def test_a_wrong_answer_is_rejected_with_its_reason(ex_id, code, says, run_answer):
    printed = run_answer(code)
    assert exercise(ex_id).last == WRONG, printed
    assert says in printed, printed


def test_the_right_answers_in_the_same_templates_are_accepted(run_answer):
    for ex_id, code in (("07.1", VPT.format(**VPT_RIGHT)), ("07.2", BENETTIN.format(**BENETTIN_RIGHT))):
        printed = run_answer(code)
        assert exercise(ex_id).last == CORRECT, printed


def test_a_loop_over_the_steps_and_a_stacked_pair_are_accepted_too(run_answer):
    """Other correct ways of writing them: an explicit loop for the VPT, one step call for both trajectories."""
    printed = run_answer('''
def valid_prediction_time(truth, pred, std, dt, lyapunov_exponent=0.906, threshold=0.4):
    n_valid = 0
    for p, t in zip(pred, truth):
        error = np.sqrt(np.mean(((p - t) / std) ** 2))
        if not error <= threshold:
            break
        n_valid += 1
    return n_valid * dt * lyapunov_exponent
exercise("07.1").check(valid_prediction_time)

def benettin(step, x0, dx0, n_renorm, tau):
    pair, d0, total = np.stack([x0, x0 + dx0]), np.linalg.norm(dx0), 0.0
    for _ in range(n_renorm):
        pair = step(pair, tau)
        offset = pair[1] - pair[0]
        d = np.linalg.norm(offset)
        total += np.log(d) - np.log(d0)
        pair[1] = pair[0] + offset / d * d0
    return total / n_renorm / tau
exercise("07.2").check(benettin)
''')
    assert exercise("07.1").last == CORRECT and exercise("07.2").last == CORRECT, printed
