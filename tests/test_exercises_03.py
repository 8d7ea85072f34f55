"""Notebook 03's checkers reject the typical wrong answers, each with a message that names the mistake."""
import pytest

from rnnlab.exercises import CORRECT, WRONG, exercise

LSTM = '''
def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def lstm_step(x_t, h_prev, c_prev, W, U, b):
    {blocks} = np.split(x_t @ W + h_prev @ U + {bias}, 4, axis=-1)
    i, f, o = sigmoid(a_i), sigmoid(a_f), sigmoid(a_o)
    c_t = {keep} + i * {candidate}(a_c)
    h_t = o * {read_out}
    return {result}
exercise("03.6").check(lstm_step)
'''
RIGHT = dict(blocks="a_i, a_f, a_c, a_o", bias="b", keep="f * c_prev", candidate="np.tanh", read_out="np.tanh(c_t)",
             result="h_t, c_t")

PEEPHOLE = '''
def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def peephole_lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias, p_i, p_f, p_o):
    a_i, a_f, a_c, a_o = np.split(x_t @ kernel + h_prev @ recurrent_kernel + bias, 4, axis=-1)
    i = sigmoid(a_i + {i_peek})
    f = sigmoid(a_f + {f_peek})
    c = f * c_prev + i * np.tanh(a_c)
    o = sigmoid(a_o + {o_peek})
    return o * np.tanh(c), c
exercise("03.4").check(peephole_lstm_step)
'''
PEEP = dict(i_peek="p_i * c_prev", f_peek="p_f * c_prev", o_peek="p_o * c")

WRONG_ANSWERS = [
    # 03.6, the LSTM step: every typical mistake is named, and it says which output (h_t or c_t) differs
    ("03.6", LSTM.format(**RIGHT | dict(blocks="a_f, a_i, a_c, a_o")), "c_t (batch 1, 2 features, 3 units) is what you get when the input and forget gates are swapped"),
    ("03.6", LSTM.format(**RIGHT | dict(blocks="a_i, a_o, a_c, a_f")), "forget and output gates are swapped"),
    ("03.6", LSTM.format(**RIGHT | dict(blocks="a_i, a_f, a_o, a_c")), "candidate and the output gate are swapped (blocks read as i, f, o, c)"),
    ("03.6", LSTM.format(**RIGHT | dict(blocks="a_c, a_f, a_i, a_o")), "input gate and the candidate are swapped"),
    ("03.6", LSTM.format(**RIGHT | dict(blocks="a_c, a_o, a_i, a_f")), "stacked order c, o, i, f"),
    ("03.6", LSTM.format(**RIGHT | dict(candidate="sigmoid")), "candidate uses a sigmoid instead of tanh"),
    ("03.6", LSTM.format(**RIGHT | dict(read_out="c_t")), "h_t (batch 1, 2 features, 3 units) is what you get when tanh(c_t) is missing"),
    ("03.6", LSTM.format(**RIGHT | dict(keep="c_prev")), "not multiplied by the forget gate"),
    ("03.6", LSTM.format(**RIGHT | dict(bias="0")), "bias b is left out"),
    ("03.6", LSTM.format(**RIGHT | dict(read_out="np.tanh(c_prev)")), "from the old cell"),
    ("03.6", LSTM.format(**RIGHT | dict(result="c_t, h_t")), "wrong order"),
    ("03.6", LSTM.format(**RIGHT | dict(result="h_t")), "two arrays (h_t, c_t)"),
    ("03.6", LSTM.format(**RIGHT | dict(result="h_t.T, c_t")), "shape (3, 1)"),
    ("03.6", LSTM.format(**RIGHT | dict(read_out="np.tanh(c_t) + 0.01")), "h_t (batch 1, 2 features, 3 units) differs most at"),
    # 03.4, the peephole step
    ("03.4", PEEPHOLE.format(**PEEP | dict(o_peek="p_o * c_prev")), "peeks at the old cell c_prev"),
    ("03.4", PEEPHOLE.format(**PEEP | dict(i_peek="p_f * c_prev", f_peek="p_i * c_prev")), "p_i and p_f are swapped"),
    ("03.4", PEEPHOLE.format(**PEEP | dict(f_peek="0")), "forget gate has no peephole"),
    ("03.4", PEEPHOLE.format(**PEEP | dict(i_peek="p_i * c")), "raised UnboundLocalError"),
    # the predictions
    ("03.1", "exercise('03.1').check(23360)", "one block only"),
    ("03.1", "exercise('03.1').check(4 * 64 * (64 + 300))", "bias vectors are missing"),
    ("03.1", "exercise('03.1').check(70272)", "GRU(64)"),
    ("03.1", "exercise('03.1').check(93000)", "too small"),
    ("03.7", "exercise('03.7').check(float(np.log(49)))", "MEAN LIFETIME of 50 steps"),
    ("03.7", "exercise('03.7').check(float(np.log(50)))", "chrono choice"),
    ("03.7", "exercise('03.7').check(0.9802)", "value f itself"),
    ("03.7", "exercise('03.7').check(5.0)", "too large"),
]


@pytest.mark.parametrize("ex_id, code, says", WRONG_ANSWERS, ids=[f"{i}-{s[:40]}" for i, _, s in WRONG_ANSWERS])
def test_a_wrong_answer_is_rejected_with_its_reason(ex_id, code, says, run_answer):
    printed = run_answer(code)
    assert exercise(ex_id).last == WRONG, printed
    assert says.lower() in printed.lower(), printed


@pytest.mark.parametrize("template, right, ex_id", [(LSTM, RIGHT, "03.6"), (PEEPHOLE, PEEP, "03.4")])
def test_the_right_step_in_the_same_template_is_accepted(template, right, ex_id, run_answer):
    printed = run_answer(template.format(**right))
    assert exercise(ex_id).last == CORRECT, printed


def test_close_enough_predictions_are_accepted(run_answer):
    for code in ("exercise('03.7').check(3.9)", "exercise('03.1').check(93440.0)"):
        printed = run_answer(code)
        assert printed.startswith("Exercise 03.") and ": correct!" in printed, printed
