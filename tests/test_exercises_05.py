"""Notebook 05's checkers reject the typical wrong answers, each with a message that names the mistake."""
import pytest

from rnnlab.exercises import WRONG, exercise

PARAMS = '''
GATES = {{"SimpleRNN": 1, "LSTM": 4, "GRU": 3}}
def recurrent_params(cell, units, features, bidirectional=False):
    return {formula}
exercise("05.1").check(recurrent_params)
'''
MULTI_HOT = '''
def multi_hot(x, num_tokens):
    out = np.zeros((x.shape[0], num_tokens))
    {fill}
    return out
exercise("05.2").check(multi_hot)
'''
WRONG_ANSWERS = [
    ("05.1", PARAMS.format(formula="(2 if bidirectional else 1) * GATES[cell] * units * (features + units + 1)"),
     "second bias"),
    ("05.1", PARAMS.format(formula="GATES[cell] * units * (features + units + (2 if cell == 'GRU' else 1))"),
     "second copy"),
    ("05.1", PARAMS.format(formula="(2 if bidirectional else 1) * GATES[cell] * units * (features + units)"),
     "biases are left out"),
    ("05.1", PARAMS.format(formula="(2 if bidirectional else 1) * GATES[cell] * units * (features + (2 if cell == 'GRU' else 1))"),
     "recurrent kernel"),
    ("05.1", PARAMS.format(formula="1.5"), "whole number"),
    ("05.2", MULTI_HOT.format(fill="np.add.at(out, (np.arange(x.shape[0])[:, None], x), 1)"), "counted"),
    ("05.2", MULTI_HOT.format(fill="out[np.arange(x.shape[0])[:, None], np.maximum(x - 1, 0)] = 1"), "shifted by one"),
    ("05.2", MULTI_HOT.format(fill="out = out.T"), "shape"),
    ("05.3", "exercise('05.3').check(0.25)", "a quarter"),
    ("05.3", "exercise('05.3').check(1.0)", "too large"),
    ("05.4", "exercise('05.4').check('a')", "embedding"),
]


@pytest.mark.parametrize("ex_id, code, says", WRONG_ANSWERS, ids=[f"{i}-{s}" for i, _, s in WRONG_ANSWERS])
def test_a_wrong_answer_is_rejected_with_its_reason(ex_id, code, says, run_answer):
    printed = run_answer(code)
    assert exercise(ex_id).last == WRONG, printed
    assert says in printed, printed
