"""Notebook 08's checkers reject the typical wrong answers, each with a message that names the mistake."""
import pytest

from rnnlab.exercises import CORRECT, WRONG, exercise

LOSS = '''
from rnnlab import seq2seq as s2s

def masked_loss(y_true, logits):
    y_true, z = np.asarray(y_true), np.asarray(logits, dtype=np.float64)
    log_p = {log_p}
    nll = -np.take_along_axis(log_p, y_true[..., None], axis=-1)[..., 0]
    mask = y_true != s2s.PAD
    return {loss}

def masked_accuracy(y_true, logits):
    y_true = np.asarray(y_true)
    hits = np.argmax(logits, axis=-1) == y_true
    mask = y_true != s2s.PAD
    return {accuracy}

exercise("08.6").check({answer})
'''
LOG_SOFTMAX = "z - z.max(-1, keepdims=True) - np.log(np.exp(z - z.max(-1, keepdims=True)).sum(-1, keepdims=True))"
RIGHT_LOSS = dict(log_p=LOG_SOFTMAX, loss="(nll * mask).sum() / mask.sum()", accuracy="(hits & mask).sum() / mask.sum()",
                  answer="(masked_loss, masked_accuracy)")

GREEDY = '''
from rnnlab import seq2seq as s2s

def greedy_decode(step, states, max_len):
    n = len(states[0])
    tokens = previous = np.full(n, s2s.START)
    initial = states
    out, done = [[] for _ in range(n)], np.zeros(n, dtype=bool)
    for _ in range(max_len):
        log_probs, new_states = step({fed}, {states})
        states = new_states
        previous, tokens = tokens, np.argmax(log_probs, axis=-1)
        for i in range(n):
            if {stop}:
                done[i] = True
                {at_end}
            elif not done[i]:
                out[i].append(int(tokens[i]))
        if {finish}:
            break
    return out

exercise("08.7").check(greedy_decode)
'''
RIGHT_GREEDY = dict(fed="tokens", states="states", stop="not done[i] and tokens[i] == s2s.END", at_end="pass",
                    finish="done.all()")
# a finished sentence that keeps going: <end> tokens are dropped, but what comes after them is kept
KEEP_GOING = '''
from rnnlab import seq2seq as s2s

def greedy_decode(step, states, max_len):
    n = len(states[0])
    tokens, steps = np.full(n, s2s.START), []
    for _ in range(max_len):
        log_probs, states = step(tokens, states)
        tokens = np.argmax(log_probs, axis=-1)
        steps.append(tokens)
    return [[int(t) for t in row if t != s2s.END] for row in np.array(steps).T]

exercise("08.7").check(greedy_decode)
'''
GREEDY_WRONG_AXIS = '''
from rnnlab import seq2seq as s2s

def greedy_decode(step, states, max_len):
    tokens = np.full(len(states[0]), s2s.START)
    out = []
    for _ in range(max_len):
        log_probs, states = step(tokens, states)
        tokens = np.argmax(log_probs, axis=0)
    return out

exercise("08.7").check(greedy_decode)
'''

BEAM = '''
from rnnlab import seq2seq as s2s

def beam_search(step, states, beam_width, max_len):
    alive, finished, tokens = [([], 0.0)], [], np.array([s2s.START])
    for _ in range(max_len):
        log_probs, states = step(tokens, states)
        totals = {totals}
        survivors, origin = [], []
        for rank, flat in enumerate(np.argsort(-totals.ravel(), kind="stable")):
            row, token = divmod(int(flat), totals.shape[1])
            if token == s2s.END:
                if rank < beam_width:
                    finished.append((totals[row, token], alive[row][0]))
            else:
                survivors.append((alive[row][0] + [token], totals[row, token]))
                origin.append(row)
                if len(survivors) == {width}:
                    break
        if len(finished) >= {enough}:
            break
        alive = survivors
        states = {reorder}
        tokens = np.array([ids[-1] for ids, _ in alive])
    else:
        finished += [(lp, ids) for ids, lp in alive]
    return {pick}

exercise("08.8").check(beam_search)
'''
RIGHT_BEAM = dict(totals="np.array([lp for _, lp in alive])[:, None] + log_probs", width="beam_width",
                  enough="beam_width", reorder="[s[origin] for s in states]",
                  pick="max(finished, key=lambda f: f[0])[1]")

WRONG_ANSWERS = [
    # 08.6: the masked loss and accuracy
    ("08.6", LOSS.format(**RIGHT_LOSS | dict(loss="nll.mean()")), "averaged in too"),
    ("08.6", LOSS.format(**RIGHT_LOSS | dict(loss="(nll * mask).sum() / mask.size")), "divided by the number of all positions"),
    ("08.6", LOSS.format(**RIGHT_LOSS | dict(log_p="z")), "log-softmax is missing"),
    ("08.6", LOSS.format(**RIGHT_LOSS | dict(log_p="np.log(z)")), "log-softmax first"),
    ("08.6", "from keras import ops\n" + LOSS.format(**RIGHT_LOSS | dict(
        loss="(np.asarray(ops.sparse_categorical_crossentropy(y_true, logits)) * mask).sum() / mask.sum()")),
     "treated as probabilities"),
    ("08.6", LOSS.format(**RIGHT_LOSS | dict(loss="np.mean([nll[r][mask[r]].mean() for r in range(len(nll))])")),
     "each sentence's mean"),
    ("08.6", LOSS.format(**RIGHT_LOSS | dict(loss="(nll * mask).sum(axis=1) / mask.sum(axis=1)")), "one number for the whole batch"),
    ("08.6", LOSS.format(**RIGHT_LOSS | dict(accuracy="hits.mean()")), "pad positions are counted too"),
    ("08.6", LOSS.format(**RIGHT_LOSS | dict(accuracy="(hits & mask).sum() / mask.size")), "divided by the number of all positions"),
    ("08.6", LOSS.format(**RIGHT_LOSS | dict(answer="masked_loss")), "pass both functions"),
    ("08.6", LOSS.format(**RIGHT_LOSS | dict(accuracy="(_ for _ in ()).throw(NotImplementedError())")),
     "masked_accuracy still raises NotImplementedError"),
    # 08.7: greedy decoding
    ("08.7", GREEDY.format(**RIGHT_GREEDY | dict(at_end="out[i].append(int(tokens[i]))")), "<end> token is kept"),
    ("08.7", KEEP_GOING, "A finished sentence must stop"),
    ("08.7", GREEDY.format(**RIGHT_GREEDY | dict(fed="np.full(n, s2s.START)")), "fed <start> at every step"),
    ("08.7", GREEDY.format(**RIGHT_GREEDY | dict(fed="previous")), "argmax of step t-2"),
    ("08.7", GREEDY.format(**RIGHT_GREEDY | dict(states="initial")), "new states it returns are not fed back"),
    ("08.7", GREEDY.format(**RIGHT_GREEDY | dict(finish="done.any()")), "whole batch stop"),
    ("08.7", GREEDY_WRONG_AXIS, "argmax over the batch axis"),
    # 08.8: beam search
    ("08.8", BEAM.format(**RIGHT_BEAM | dict(totals="log_probs + 0.0 * np.array([lp for _, lp in alive])[:, None]")),
     "log P is not added up"),
    ("08.8", BEAM.format(**RIGHT_BEAM | dict(reorder="[np.repeat(s, len(origin), axis=0) if len(s) == 1 else s for s in states]")),
     "states are not reordered"),
    ("08.8", BEAM.format(**RIGHT_BEAM | dict(pick="finished[0][1]")), "first hypothesis to end"),
    ("08.8", BEAM.format(**RIGHT_BEAM | dict(pick="max(finished, key=lambda f: f[0] / (len(f[1]) + 1))[1]")), "length_penalty=1"),
    ("08.8", BEAM.format(**RIGHT_BEAM | dict(width="1", enough="1")), "greedy decoding's answer"),
    ("08.8", BEAM.format(**RIGHT_BEAM | dict(pick="[s2s.START] + max(finished, key=lambda f: f[0])[1]")), "<start> token is kept"),
    ("08.8", BEAM.format(**RIGHT_BEAM | dict(pick="[[int(i) for i in max(finished, key=lambda f: f[0])[1]]]")), "one list of ids"),
]


@pytest.mark.parametrize("ex_id, code, says", WRONG_ANSWERS, ids=[f"{i}-{s}" for i, _, s in WRONG_ANSWERS])
def test_a_wrong_answer_is_rejected_with_its_reason(ex_id, code, says, run_answer):
    printed = run_answer(code)
    assert exercise(ex_id).last == WRONG, printed
    assert says in printed, printed


@pytest.mark.parametrize("ex_id, code", [("08.6", LOSS.format(**RIGHT_LOSS)), ("08.7", GREEDY.format(**RIGHT_GREEDY)),
                                         ("08.8", BEAM.format(**RIGHT_BEAM))], ids=["08.6", "08.7", "08.8"])
def test_the_right_answer_in_the_same_template_is_accepted(ex_id, code, run_answer):
    printed = run_answer(code)
    assert exercise(ex_id).last == CORRECT, printed


def test_the_checkers_own_loops_without_a_mistake_are_the_references():
    """The wrong variants are simulated by nb08's own loops; without a mistake they must equal rnnlab.seq2seq's."""
    import numpy as np

    from rnnlab import seq2seq as s2s
    from rnnlab.exercises import nb08

    rng = np.random.default_rng(0)
    for seed, lengths, max_len in nb08.GREEDY_CASES:
        step, states = nb08._counting_step(seed), nb08._counting_states(rng, lengths)
        expected = s2s.greedy_decode(step, states, max_len=max_len)
        assert nb08._greedy(step, states, max_len) == expected
        assert [len(row) for row in expected] == [min(k, max_len) for k in lengths]
    for seed, width, max_len in nb08.BEAM_CASES:
        step, states = nb08._automaton_step(seed), [np.array([0])]
        beam = s2s.beam_search(step, states, beam_width=width, max_len=max_len)
        assert nb08._beam(step, states, width, max_len) == beam
        greedy = s2s.greedy_decode(step, states, max_len=max_len)[0]
        assert (beam == greedy) == (width == 1)
        if width > 1:  # the beam finds a more probable sentence than greedy decoding
            assert s2s.sequence_log_prob(step, states, beam) > s2s.sequence_log_prob(step, states, greedy)


# other faithful ways to write the loops: the checkers must accept them too
GREEDY_SHRINKING_BATCH = '''
from rnnlab import seq2seq as s2s

def greedy_decode(step, states, max_len):
    out = [[] for _ in range(len(states[0]))]
    active = np.arange(len(states[0]))                  # the sentences still going, and their state rows
    tokens = np.full(len(active), s2s.START)
    for _ in range(max_len):
        log_probs, states = step(tokens, states)
        tokens = np.argmax(log_probs, axis=-1)
        for i, token in zip(active, tokens):
            if token != s2s.END:
                out[i].append(int(token))
        going = tokens != s2s.END
        active, tokens, states = active[going], tokens[going], [s[going] for s in states]
        if len(active) == 0:
            break
    return out

exercise("08.7").check(greedy_decode)
'''
BEAM_STOPS_WHEN_SURE = '''
from rnnlab import seq2seq as s2s

def beam_search(step, states, beam_width, max_len):
    alive, finished, tokens = [([], 0.0)], [], np.array([s2s.START])
    for _ in range(max_len):
        log_probs, states = step(tokens, states)
        totals = np.array([lp for _, lp in alive])[:, None] + log_probs
        best = np.argsort(-totals.ravel(), kind="stable")[:beam_width]   # the top beam_width candidates only
        rows, cols = np.unravel_index(best, totals.shape)
        finished += [(totals[r, c], alive[r][0]) for r, c in zip(rows, cols) if c == s2s.END]
        keep = [(r, c) for r, c in zip(rows, cols) if c != s2s.END]
        if not keep or (finished and max(f[0] for f in finished) >= totals[keep[0]]):
            break                                         # nothing alive can still beat the best finished one
        alive = [(alive[r][0] + [int(c)], totals[r, c]) for r, c in keep]
        states = [s[[r for r, _ in keep]] for s in states]
        tokens = np.array([ids[-1] for ids, _ in alive])
    else:
        finished += [(lp, ids) for ids, lp in alive]
    return max(finished, key=lambda f: f[0])[1]

exercise("08.8").check(beam_search)
'''


@pytest.mark.parametrize("ex_id, code", [("08.7", GREEDY_SHRINKING_BATCH), ("08.8", BEAM_STOPS_WHEN_SURE)],
                         ids=["greedy-drops-finished-sentences", "beam-stops-when-nothing-alive-can-win"])
def test_another_faithful_way_is_accepted(ex_id, code, run_answer):
    printed = run_answer(code)
    assert exercise(ex_id).last == CORRECT, printed
