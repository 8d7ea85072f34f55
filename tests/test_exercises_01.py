"""Notebook 01's checkers reject the typical wrong answers, each with a message that names the mistake."""
import pytest

from rnnlab.exercises import WRONG, exercise

ONE_HOT = "def to_one_hot(ids, vocab_size):\n    return {}\nexercise('01.1').check(to_one_hot)"
LOOKUP = '''
def to_one_hot(ids, vocab_size):
    return np.eye(vocab_size)[ids]

def lookup(ids, E):
    return {}
exercise("01.2").check(lookup)
'''
COSINE = '''
def unit(X, axis=1):
    return X / np.linalg.norm(X, axis=axis, keepdims=True)

def cosine_similarity(A, B):
    return {}
exercise("01.3").check(cosine_similarity)
'''

WRONG_ANSWERS = [
    ("01.1", ONE_HOT.format("np.eye(vocab_size)[ids - 1]"), "shifted by one (word i lights up position i - 1)"),
    ("01.1", ONE_HOT.format("np.eye(vocab_size)[ids + 1]"), "shifted by one (word i lights up position i + 1)"),
    ("01.1", ONE_HOT.format("1 - np.eye(vocab_size)[ids]"), "1 - one-hot"),
    ("01.1", ONE_HOT.format("np.eye(vocab_size + 1)[ids]"), "shape"),
    ("01.1", ONE_HOT.format("np.eye(vocab_size)[ids[0]]"), "shape"),
    ("01.2", LOOKUP.format("to_one_hot(ids, E.shape[1]) @ E.T"), "E is transposed"),
    ("01.2", LOOKUP.format("to_one_hot(ids - 1, E.shape[0]) @ E"), "shifted by one (row i - 1"),
    ("01.2", LOOKUP.format("to_one_hot(ids + 1, E.shape[0]) @ E"), "shifted by one (row i + 1"),
    ("01.2", LOOKUP.format("to_one_hot(ids, E.shape[0]) @ E[:, ::-1]"), "differs most at"),
    ("01.2", LOOKUP.format("(to_one_hot(ids, E.shape[0]) @ E).sum(axis=1)"), "shape"),
    ("01.3", COSINE.format("unit(A) @ B.T"), "rows of B are not divided by their length"),
    ("01.3", COSINE.format("A @ unit(B).T"), "rows of A are not divided by their length"),
    ("01.3", COSINE.format("A @ B.T"), "plain dot product"),
    ("01.3", COSINE.format("np.linalg.norm(A[:, None, :] - B[None, :, :], axis=-1)"), "Euclidean distance"),
    ("01.3", COSINE.format("1 - unit(A) @ unit(B).T"), "cosine distance"),
    ("01.3", COSINE.format("unit(A, axis=0) @ unit(B, axis=0).T"), "each column is divided"),
    ("01.3", COSINE.format("unit(B) @ unit(A).T"), "transposed"),
    ("01.4", "exercise('01.4').check((320_000, 320_000))", "also has a bias"),
    ("01.4", "exercise('01.4').check((320_032, 320_032))", "Embedding has no bias"),
    ("01.4", "exercise('01.4').check((10_032, 320_032))", "too small"),
    ("01.4", "exercise('01.4').check(320_000)", "two numbers"),
]


@pytest.mark.parametrize("ex_id, code, says", WRONG_ANSWERS, ids=[f"{i}-{s}" for i, _, s in WRONG_ANSWERS])
def test_a_wrong_answer_is_rejected_with_its_reason(ex_id, code, says, run_answer):
    printed = run_answer(code)
    assert exercise(ex_id).last == WRONG, printed
    assert says in printed, printed


def test_a_lookup_that_indexes_directly_is_accepted_too(run_answer):
    """E[ids] is the same function: the checker compares values, and the exercise's text asks for the product."""
    run_answer(LOOKUP.format("E[ids]"))
    assert exercise("01.2").last == "correct"
