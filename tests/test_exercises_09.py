"""Notebook 09's checkers reject the typical wrong answers, each with a message that names the mistake."""
import pytest

from rnnlab.exercises import CORRECT, WRONG, exercise

PPL = '''
def perplexity_of(p_true):
    p = np.asarray(p_true, dtype=float)
    return {body}
exercise("09.1").check(perplexity_of)
'''

SAMPLE = '''
def sampling_distribution(logits, temperature=1.0, top_k=None):
    z = np.asarray(logits, dtype=float)
    z = {scale}
    if top_k is not None:
        kth = np.sort(z, axis=-1)[..., -{k}][..., None]
        z = np.where(z >= kth, z, -np.inf)
    z = z - z.max(axis=-1, keepdims=True)
    p = np.exp(z)
    return {result}
exercise("09.2").check(sampling_distribution)
'''
SAMPLE_RIGHT = dict(scale="z / temperature", k="top_k", result="p / p.sum(axis=-1, keepdims=True)")

BIGRAM = '''
def bigram_table(sequences, V, k, start):
    pair = np.zeros((V, V))
    for seq in sequences:
        previous = {previous}
        np.add.at(pair, (previous, list(seq)), 1)
    single = pair.sum(axis=0)
    p1 = (single + k / V) / (single.sum() + k)
    context = pair.sum(axis=1, keepdims=True)
    return {result}
exercise("09.3").check(bigram_table)
'''
BIGRAM_RIGHT = dict(previous="[start] + list(seq[:-1])", result="(pair + k * p1) / (context + k)")

WRONG_ANSWERS = [
    ("09.1", PPL.format(body="np.exp(np.mean(np.log(p)))"), "sign is missing"),
    ("09.1", PPL.format(body="-np.mean(np.log(p))"), "cross-entropy"),
    ("09.1", PPL.format(body="1 / np.mean(p)"), "geometric mean"),
    ("09.1", PPL.format(body="np.exp(-np.mean(np.log2(p)))"), "one base"),
    ("09.1", PPL.format(body="np.exp(-np.sum(np.log(p)))"), "whole text"),
    ("09.1", PPL.format(body="np.exp(-np.median(np.log(p)))"), "Perplexity is"),
    ("09.1", PPL.format(body="np.exp(-np.log(p))"), "one number"),
    ("09.2", SAMPLE.format(**SAMPLE_RIGHT | dict(scale="z")), "temperature is ignored"),
    ("09.2", SAMPLE.format(**SAMPLE_RIGHT | dict(scale="z * temperature")), "multiplied by the temperature"),
    ("09.2", SAMPLE.format(**SAMPLE_RIGHT | dict(scale="z", result="p / p.sum(axis=-1, keepdims=True) / temperature")),
     "probabilities, not the logits"),
    ("09.2", SAMPLE.format(**SAMPLE_RIGHT | dict(k="(top_k - 1) if top_k > 1 else 1")), "k - 1 logits"),
    ("09.2", SAMPLE.format(**SAMPLE_RIGHT | dict(result="p / p.sum()")), "differs most"),
    ("09.2", SAMPLE.format(**SAMPLE_RIGHT | dict(k="1")), "differs most"),
    ("09.2", SAMPLE.format(**SAMPLE_RIGHT | dict(result="np.exp(z)")), "differs most"),
    ("09.2", SAMPLE.format(**SAMPLE_RIGHT).replace("    if top_k is not None:", "    if False:"), "top_k is ignored"),
    ("09.3", BIGRAM.format(**BIGRAM_RIGHT | dict(result="(pair + k) / (context + k * V)")), "add-k smoothed on their own"),
    ("09.3", BIGRAM.format(**BIGRAM_RIGHT | dict(result="pair / np.maximum(context, 1)")), "without smoothing"),
    ("09.3", BIGRAM.format(**BIGRAM_RIGHT | dict(previous="list(seq[:-1])")).replace(
        "np.add.at(pair, (previous, list(seq)), 1)", "np.add.at(pair, (previous, list(seq[1:])), 1)"), "differs most"),
    ("09.3", BIGRAM.format(**BIGRAM_RIGHT | dict(result="((pair + k * p1) / (context + k)).T")), "differs most"),
    ("09.3", BIGRAM.format(**BIGRAM_RIGHT | dict(result="(pair + k / V) / (context + k)")), "differs most"),
    ("09.4", 'exercise("09.4").check(np.log(5000))', "the loss log V"),
    ("09.4", 'exercise("09.4").check(np.log2(5000))', "log2 V"),
    ("09.4", 'exercise("09.4").check(1 / 5000)', "too small"),
    ("09.5", 'exercise("09.5").check(100)', "no randomness"),
    ("09.5", 'exercise("09.5").check(2)', "deterministic"),
]


@pytest.mark.parametrize("ex_id, code, says", WRONG_ANSWERS, ids=[f"{w[0]}-{i}" for i, w in enumerate(WRONG_ANSWERS)])
def test_a_wrong_answer_is_rejected_and_named(ex_id, code, says, run_answer):
    printed = run_answer(code)
    assert exercise(ex_id).last == WRONG, printed
    assert says in printed, printed


def test_a_bigram_table_built_with_the_course_ngram_is_accepted(run_answer):
    printed = run_answer('''
from rnnlab.lm import NGram
def bigram_table(sequences, V, k, start):
    model = NGram(2, V, k=k, start_id=start).fit(sequences)
    return np.array([[model.prob([a], b) for b in range(V)] for a in range(V)])
exercise("09.3").check(bigram_table)
''')
    assert exercise("09.3").last == CORRECT, printed
