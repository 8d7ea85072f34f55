"""Notebook 04's checkers reject the typical wrong answers, each with a message that names the mistake."""
import pytest

from rnnlab.exercises import CORRECT, WRONG, exercise

GRU = '''
def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def gru_step(x_t, h_prev, W, U, b, reset_after):
    b_in, b_rec = (b[0], {b_rec}) if reset_after else ({b_one}, np.zeros_like(b))
    {blocks} = np.split(x_t @ W + b_in, 3, axis=-1)
    U_z, U_r, U_h = np.split(U, 3, axis=-1)
    b_rz, b_rr, b_rh = np.split(b_rec, 3)
    z = sigmoid(x_z + h_prev @ U_z + b_rz)
    r = sigmoid(x_r + h_prev @ U_r + b_rr)
    if {after}:
        h_tilde = np.tanh(x_h + {after_term})
    else:
        h_tilde = np.tanh(x_h + (r * h_prev) @ U_h)
    return {mix}
exercise("04.5").check(gru_step)
'''
RIGHT = dict(b_rec="b[1]", b_one="b", blocks="x_z, x_r, x_h", after="reset_after",
             after_term="r * (h_prev @ U_h + b_rh)", mix="z * h_prev + (1 - z) * h_tilde")
TRUE, FALSE = "(reset_after=True, batch 1", "(reset_after=False, batch 1"

WRONG_ANSWERS = [
    # 04.5, the GRU step: each mistake named, in the mode where it shows
    ("04.5", GRU.format(**RIGHT | dict(mix="(1 - z) * h_prev + z * h_tilde")), TRUE + ", 2 features, 3 units) is what you get when z and 1 - z are swapped"),
    ("04.5", GRU.format(**RIGHT | dict(after="not reset_after")), TRUE + ", 2 features, 3 units) is what you get when the reset gate acts in reset_after=False's place, (r * h_prev) U_h, and b_rh is left out"),
    ("04.5", GRU.format(**RIGHT | dict(after="not reset_after")).replace("(r * h_prev) @ U_h)", "(r * h_prev) @ U_h + b_rh)"), TRUE + ", 2 features, 3 units) is what you get when the reset gate acts in reset_after=False's place, (r * h_prev) U_h;"),
    ("04.5", GRU.format(**RIGHT | dict(after="True")), FALSE + ", 2 features, 3 units) is what you get when the reset gate acts in reset_after=True's place"),
    ("04.5", GRU.format(**RIGHT | dict(blocks="x_r, x_z, x_h")).replace("U_z, U_r, U_h", "U_r, U_z, U_h")
     .replace("b_rz, b_rr, b_rh", "b_rr, b_rz, b_rh"), "z and r are swapped"),
    ("04.5", GRU.format(**RIGHT | dict(b_rec="np.zeros_like(b[1])")), TRUE + ", 2 features, 3 units) is what you get when the recurrent bias row b[1] is left out"),
    ("04.5", GRU.format(**RIGHT | dict(after_term="r * (h_prev @ U_h) + b_rh")), "added outside r"),
    ("04.5", GRU.format(**RIGHT | dict(b_one="np.zeros_like(b)")), FALSE + ", 2 features, 3 units) is what you get when the bias b is left out"),
    ("04.5", GRU.format(**RIGHT | dict(b_rec="b[0]")).replace("(b[0], b[0])", "(b[1], b[0])"), "bias rows are swapped"),
    ("04.5", GRU.format(**RIGHT | dict(mix="z * h_prev + (1 - z) * h_tilde + 1e-3")), "differs most at"),
    ("04.5", GRU.format(**RIGHT | dict(mix="(z * h_prev + (1 - z) * h_tilde).T")), "transposed"),
    ("04.5", GRU.format(**RIGHT | dict(b_one="b[0]")), FALSE),  # a reset_after=True bias layout used in both modes
    # the predictions and choices
    ("04.2", "exercise('04.2').check('b')", "inside the product with r"),
    ("04.2", "exercise('04.2').check('c')", "no recurrent-side bias"),
    ("04.2", "exercise('04.2').check('e')", "one of the letters"),
    ("04.4", "exercise('04.4').check(0.5 ** 99)", "count the steps again"),
    ("04.4", "exercise('04.4').check(float(1 / (1 + np.exp(-1.0))) ** 100)", "LSTM's start"),
    ("04.4", "exercise('04.4').check((100 / 101) ** 100)", "memory opened"),
    ("04.4", "exercise('04.4').check(1e-30)", "right order of magnitude"),
    ("04.6", "exercise('04.6').check([70080, 70272])", "swapped"),
    ("04.6", "exercise('04.6').check([70080, 70080])", "reset_after=True = 70080: counted with one bias row"),
    ("04.6", "exercise('04.6').check([93440, 70080])", "LSTM's count"),
    ("04.6", "exercise('04.6').check([70272, 69888])", "biases are missing"),
    ("04.6", "exercise('04.6').check(70272)", "two numbers"),
    ("04.7", "exercise('04.7').check('a')", "SimpleRNN step"),
    ("04.7", "exercise('04.7').check('d')", "depends on z alone"),
]


@pytest.mark.parametrize("ex_id, code, says", WRONG_ANSWERS, ids=[f"{i}-{s[:40]}" for i, _, s in WRONG_ANSWERS])
def test_a_wrong_answer_is_rejected_with_its_reason(ex_id, code, says, run_answer):
    printed = run_answer(code)
    assert exercise(ex_id).last == WRONG, printed
    assert says.lower() in printed.lower(), printed


def test_the_right_step_in_the_same_template_is_accepted(run_answer):
    printed = run_answer(GRU.format(**RIGHT))
    assert exercise("04.5").last == CORRECT, printed


def test_a_step_that_ignores_reset_after_fails_in_the_other_mode(run_answer):
    printed = run_answer(GRU.format(**RIGHT).replace("if reset_after else", "if True else"))
    assert exercise("04.5").last == WRONG and "reset_after=False) raised IndexError" in printed, printed
