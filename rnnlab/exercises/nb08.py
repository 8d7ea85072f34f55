"""Checkers for notebook 08 (seq2seq translation): the masked loss and accuracy, greedy decoding, beam search.

The decoding checkers never use a trained model: they build toy ``step`` functions with the interface of
``rnnlab.seq2seq`` (previous tokens ``(n,)`` and a list of state arrays in, next-token log-probabilities
``(n, vocabulary)`` and the new states out), whose answers they know, and compare with the course's loops.
"""
from __future__ import annotations

import numpy as np

from rnnlab import seq2seq as s2s
from rnnlab.exercises import NotAttempted, Wrong, a_number, as_array, call, number, register

PAD, START, END = s2s.PAD, s2s.START, s2s.END


# ------------------------------------------------------------------ 08.6: masked loss and accuracy
def _batch(rng, lengths, time, vocab):
    """Targets (batch, time) as the decoder sees them: real ids, <end>, then pads; logits (batch, time, vocab)
    that pick the right id at about half of the real positions and <pad> at about half of the pad positions."""
    y = np.full((len(lengths), time), PAD, dtype=np.int32)
    for row, n in enumerate(lengths):  # n real tokens, <end> included
        y[row, : n - 1] = rng.integers(3, vocab, size=n - 1)
        y[row, n - 1] = END
    logits = rng.normal(scale=1.5, size=(len(lengths), time, vocab))
    for where, favourite in ((y != PAD, y), (y == PAD, np.zeros_like(y))):
        b, t = np.nonzero(where)
        pick = rng.random(len(b)) < 0.5
        logits[b[pick], t[pick], favourite[b[pick], t[pick]]] += 3.0
    return y, logits.astype(np.float32)


# (real tokens per sentence, <end> included; positions; vocabulary size)
LOSS_CASES = [([4], 7, 10), ([2, 1, 8, 3], 8, 12), ([6, 1, 2], 6, 9)]


def _loss_case(lengths, time):
    if len(lengths) == 1:
        return f"a batch of one sentence, {lengths[0]} real tokens in {time} positions"
    full = [i for i, n in enumerate(lengths) if n == time]
    return (f"{len(lengths)} sentences of {time} positions with {', '.join(map(str, lengths))} real tokens"
            + (f"; sentence {full[0]} has no padding" if full else ""))


def _loss_mistakes(y, logits):
    """What the typical mistakes return: (loss variants, accuracy variants)."""
    import keras

    mask = y != PAD
    nll = -np.take_along_axis(s2s.log_softmax(logits), y[..., None], axis=-1)[..., 0]
    raw = np.take_along_axis(logits.astype(np.float64), y[..., None], axis=-1)[..., 0]
    as_probs = np.asarray(keras.ops.sparse_categorical_crossentropy(y, logits, from_logits=False), dtype=np.float64)
    hits = np.argmax(logits, axis=-1) == y
    real = mask.sum()
    loss = {
        "the pad positions are averaged in too (a plain mean over all positions)": nll.mean(),
        "the sum over real tokens is divided by the number of all positions, pads included": (nll * mask).sum() / mask.size,
        "each sentence's mean is averaged (a short sentence then weighs as much as a long one)":
            np.mean([nll[r][mask[r]].mean() for r in range(len(y))]),
        "the logits are used as log-probabilities (the log-softmax is missing)": -(raw * mask).sum() / real,
        "the logits are treated as probabilities (from_logits=False)": (as_probs * mask).sum() / real,
        "the losses are summed instead of averaged": (nll * mask).sum(),
    }
    accuracy = {
        "the pad positions are counted too (a predicted <pad> on a pad counts as a hit)": hits.mean(),
        "the hits on real tokens are divided by the number of all positions, pads included": (hits & mask).sum() / mask.size,
        "each sentence's accuracy is averaged (a short sentence then weighs as much as a long one)":
            np.mean([hits[r][mask[r]].mean() for r in range(len(y))]),
        "the hits are counted, not divided by the number of real tokens": float((hits & mask).sum()),
    }
    return loss, accuracy


def _one_per_batch(name, got, case):
    """``got`` as an array, or Wrong if it holds a number per sentence or per position: the answer is one number."""
    array = as_array(f"your {name}", got)
    if array.size != 1:
        shapes = {2: "(batch, time)", 1: "(batch,)"}
        raise Wrong(f"your {name} should return one number for the whole batch ({case}), got an array of shape "
                    f"{shapes.get(array.ndim, '')} = {array.shape}: average over the real tokens of all sentences.")
    return array


@register("08.6", "the masked loss and the masked accuracy", "write",
          "Make a mask m = (y_true != PAD). Loss: log-softmax the logits over the vocabulary (the last axis), pick "
          "each position's log-probability of its true id (np.take_along_axis or keras.ops.take_along_axis), and "
          "return -sum(m * log_p) / sum(m). Accuracy: hits = (argmax(logits, axis=-1) == y_true); return "
          "sum(m * hits) / sum(m). Pass both functions as a pair: check((masked_loss, masked_accuracy)).")
def masked_loss_and_accuracy(student) -> str:
    if callable(student):
        loss_fn, accuracy_fn = student, None
    elif isinstance(student, (tuple, list)) and len(student) == 2:
        loss_fn, accuracy_fn = student
    else:
        raise Wrong("pass your two functions as a pair: exercise(\"08.6\").check((masked_loss, masked_accuracy))")
    rng = np.random.default_rng(2080)
    batches = [(_loss_case(lengths, time), *_batch(rng, lengths, time, vocab)) for lengths, time, vocab in LOSS_CASES]
    for case, y, logits in batches:
        got = call(loss_fn, y.copy(), logits.copy(), name="your masked_loss", inputs="y_true, logits")
        got = a_number("your masked_loss", _one_per_batch("masked_loss", got, case), case=case,
                       nonfinite="taking the log of the logits themselves fails where a logit is <= 0: turn them "
                                 "into log-probabilities with a log-softmax first.")
        number("your masked_loss", got, float(np.asarray(s2s.masked_loss(y, logits))), rtol=0, atol=1e-5, case=case,
               mistakes=[(v, f"that is what you get when {m}.") for m, v in _loss_mistakes(y, logits)[0].items()])
    done = f"your masked_loss is right on all {len(batches)} batches"
    if accuracy_fn is None or accuracy_fn is Ellipsis or not callable(accuracy_fn):
        raise Wrong(f"{done}; now pass both functions: exercise(\"08.6\").check((masked_loss, masked_accuracy)).")
    for case, y, logits in batches:
        try:
            got = call(accuracy_fn, y.copy(), logits.copy(), name="your masked_accuracy", inputs="y_true, logits")
        except NotAttempted:
            raise Wrong(f"{done}; masked_accuracy still raises NotImplementedError: write it too.") from None
        number("your masked_accuracy", _one_per_batch("masked_accuracy", got, case),
               float(np.asarray(s2s.masked_accuracy(y, logits))), rtol=0, atol=1e-6, case=case,
               mistakes=[(v, f"that is what you get when {m}.") for m, v in _loss_mistakes(y, logits)[1].items()])
    return ("Both equal rnnlab.seq2seq.masked_loss / masked_accuracy on 3 batches (a batch of one, sentences with "
            "much padding, one without any).")


# ------------------------------------------------------------------ decoding: toy step functions
VOCAB = 9  # 0 <pad>, 1 <start>, 2 <end>, 3 <unk>, 4-8 words


def _tokens(tokens, rows):
    """The previous tokens a step function was given, as ints of shape (rows,), or ValueError saying what is wrong."""
    tokens = np.asarray(tokens)
    if tokens.ndim == 2 and tokens.shape[1] == 1:
        tokens = tokens[:, 0]
    if tokens.ndim != 1 or len(tokens) != rows:
        axis = (" Did you take the argmax over the batch axis? Take it over the vocabulary (axis=-1)."
                if tokens.shape == (VOCAB,) else "")
        raise ValueError(f"step was given tokens of shape {tokens.shape} with states of {rows} row(s): pass one "
                         f"token id per sentence, shape ({rows},).{axis}")
    if tokens.dtype.kind not in "iu" and not np.all(np.mod(tokens, 1) == 0):
        raise ValueError(f"step was given tokens {tokens}: pass whole token ids")
    tokens = tokens.astype(np.int64)
    if tokens.min() < 0 or tokens.max() >= VOCAB:
        raise ValueError(f"step was given the token id {tokens[(tokens < 0) | (tokens >= VOCAB)][0]}; the toy "
                         f"vocabulary has ids 0 to {VOCAB - 1}")
    return tokens


def _states(states, count):
    if not isinstance(states, (list, tuple)) or len(states) != count:
        raise ValueError(f"step expects a list of {count} state array(s) (the initial states, then the ones it "
                         f"returned), got {type(states).__name__}")
    return [np.asarray(s) for s in states]


def _counting_step(seed):
    """A toy decoder for greedy decoding. States: [key (n, 3), steps taken (n,), length (n,)]. The next token depends
    on the previous token, the key and the step counter; <end> wins exactly at step `length` (ids 0-based), never
    otherwise, so a sentence of length 99 never ends and a sentence fed on after its <end> goes on with words."""
    rng = np.random.default_rng(seed)
    by_prev, by_key, by_count = rng.normal(scale=2.0, size=(VOCAB, VOCAB)), rng.normal(size=(3, VOCAB)), rng.normal(size=(5, VOCAB))

    def step(tokens, states):
        key, count, length = _states(states, 3)
        tokens = _tokens(tokens, len(count))
        logits = by_prev[tokens] + key @ by_key + by_count[count % 5]
        logits[:, [PAD, START]] = -20.0
        logits[:, END] = np.where(count == length, 20.0, -20.0)
        return s2s.log_softmax(logits), [key, count + 1, length]

    return step


def _counting_states(rng, lengths):
    n = len(lengths)
    return [rng.normal(size=(n, 3)), np.zeros(n, dtype=np.int64), np.array(lengths, dtype=np.int64)]


def _automaton_step(seed, nodes=30, vocab=8):
    """A toy decoder for beam search: a random automaton. State: [node (n,)]; the previous token moves each row to
    its next node, whose fixed log-probabilities are the answer. Greedy and beam search can disagree on it."""
    rng = np.random.default_rng(seed)
    following = rng.integers(1, nodes, size=(nodes, vocab))
    logits = rng.normal(scale=1.5, size=(nodes, vocab))
    logits[:, [PAD, START]] = -30.0
    log_p = s2s.log_softmax(logits)

    def step(tokens, states):
        (node,) = _states(states, 1)
        tokens = _tokens(tokens, len(node))
        if tokens.max() >= vocab:
            raise ValueError(f"step was given the token id {tokens.max()}; the toy vocabulary has ids 0 to {vocab - 1}")
        node = following[node.astype(np.int64), tokens]
        return log_p[node], [node]

    return step


def _rows(name, got, n, case, one=False):
    """``got`` as a list of n lists of int ids (one list if ``one``), or Wrong saying what came back instead."""
    what = "a list of ids" if one else "a list with one list of ids per sentence"
    if got is None:
        raise Wrong(f"your {name} returned None: did it forget to `return` {what}?")
    if isinstance(got, np.ndarray) and got.ndim == 2 and not one:
        raise Wrong(f"your {name} returned an array of shape {got.shape}; return {what} (sentences have different lengths, "
                    f"so no padding, no <end>)")
    try:
        rows = [list(got)] if one else [list(row) for row in got]
    except TypeError:
        raise Wrong(f"your {name} should return {what}, got {type(got).__name__} {got!r:.60}") from None
    if len(rows) != n:
        raise Wrong(f"your {name} returned {len(rows)} sentences for a batch of {n} ({case}).")
    out = []
    for row in rows:
        ids = []
        for x in row:
            whole = isinstance(x, (int, np.integer)) or (isinstance(x, (float, np.floating)) and float(x).is_integer())
            if isinstance(x, (bool, np.bool_)) or not whole:
                also = " (beam_search decodes one sentence: return one list of ids)" if one and isinstance(x, list) else ""
                raise Wrong(f"your {name} should return {what}, got an element {x!r:.40}{also}.")
            ids.append(int(x))
        out.append(ids)
    return out


def _compare_ids(name, got, expected, case, *, ended, max_len, variants, one=False, show=lambda ids: ""):
    """Wrong naming the first sentence that differs and, where it can tell, the mistake; ``show(ids)`` may add a
    note after each id list (beam search adds its log-probability)."""
    for i, (g, e) in enumerate(zip(got, expected)):
        if g == e:
            continue
        where = f"your {name} ({case})" if one else f"sentence {i} ({case})"
        said = f"{where}: expected {e}{show(e)}, got {g}{show(g)}"
        named = [mistake for mistake, value in variants.items() if value == got and value != expected]
        if named:
            raise Wrong(f"{said}. That is what you get when {', or when '.join(named)}.")
        if g == e + [END]:
            raise Wrong(f"{said}: the <end> token is kept. Return the ids without <start> and <end>.")
        if g[:1] == [START] and g[1:] == e:
            raise Wrong(f"{said}: the <start> token is kept. Return the ids without <start> and <end>.")
        if len(g) > len(e) and g[: len(e)] == e:
            if ended[i]:
                raise Wrong(f"{said}: this sentence produced <end> after {len(e)} token(s), but your output goes on. "
                            f"A finished sentence must stop: ignore what the decoder says after its <end>.")
            raise Wrong(f"{said}: more than max_len = {max_len} tokens.")
        if len(g) < len(e) and e[: len(g)] == g:
            raise Wrong(f"{said}: your output stops after {len(g)} token(s) although the decoder did not say <end>"
                        + (" (did the whole batch stop when one sentence ended?)" if not one else "") + ".")
        first = next(k for k in range(min(len(g), len(e)) + 1) if k == min(len(g), len(e)) or g[k] != e[k])
        raise Wrong(f"{said}; they first differ at output position {first}.")


# ------------------------------------------------------------------ 08.7: greedy decoding
def _greedy(step, states, max_len, mistake=None):
    """Greedy decoding as a student might write it: correct, or with one mistake ("start": <start> is fed at every
    step; "lag": the token fed at step t is the argmax of step t-2; "stale": the initial states at every step)."""
    n = len(states[0])
    initial, fed, older = list(states), np.full(n, START), np.full(n, START)
    rows, done = [[] for _ in range(n)], np.zeros(n, dtype=bool)
    for _ in range(max_len):
        log_probs, new_states = step(fed, initial if mistake == "stale" else states)
        states = new_states
        tokens = np.argmax(log_probs, axis=-1)
        for i in np.flatnonzero(~done):
            if tokens[i] == END:
                done[i] = True
            else:
                rows[i].append(int(tokens[i]))
        if mistake == "start":
            fed = np.full(n, START)
        elif mistake == "lag":
            fed, older = older, tokens
        else:
            fed = tokens
        if done.all():
            break
    return rows


# (step seed, the step at which each sentence says <end>: 99 = never, max_len)
GREEDY_CASES = [(81, [3, 0, 5, 99, 2], 6), (82, [4], 7), (83, [1, 99, 3], 3)]


@register("08.7", "greedy decoding of a batch", "write",
          "tokens = np.full(n, START) with n = len(states[0]); then at most max_len times: log_probs, states = "
          "step(tokens, states); tokens = np.argmax(log_probs, axis=-1); append each token to its sentence unless "
          "that sentence has already said END (keep a boolean array `done`); stop early when every sentence is done. "
          "Feed the new tokens and the new states to the next step.")
def greedy_decode(student) -> str:
    rng = np.random.default_rng(2081)
    for seed, lengths, max_len in GREEDY_CASES:
        step, states = _counting_step(seed), _counting_states(rng, lengths)
        n = len(lengths)
        ends = ", ".join(str(k) if k < 99 else "never" for k in lengths)
        case = (f"a batch of one that ends after {ends} tokens" if n == 1
                else f"{n} sentences that end after {ends} tokens") + f"; max_len {max_len}"
        expected = s2s.greedy_decode(step, [s.copy() for s in states], max_len=max_len)
        got = call(student, step, [s.copy() for s in states], max_len, name="your greedy_decode",
                   inputs="step, states, max_len")
        variants = {
            "the decoder is fed <start> at every step instead of its own previous output":
                _greedy(step, states, max_len, "start"),
            "the token fed back at step t is the argmax of step t-2, not of the step just taken":
                _greedy(step, states, max_len, "lag"),
            "step gets the initial states every time (the new states it returns are not fed back)":
                _greedy(step, states, max_len, "stale"),
        }
        _compare_ids("greedy_decode", _rows("greedy_decode", got, n, case), expected, case,
                     ended=[k < max_len for k in lengths], max_len=max_len, variants=variants)
    return ("Your loop equals rnnlab.seq2seq.greedy_decode on 3 toy decoders (sentences that end at different steps, "
            "at once, or never; a batch of one).")


# ------------------------------------------------------------------ 08.8: beam search
def _beam(step, states, width, max_len, mistake=None):
    """Beam search as rnnlab.seq2seq.beam_search (length_penalty 0), or with one mistake: "no_sum" (candidates are
    ranked by the last step's log-probability alone), "no_reorder" (the states are not reordered to follow the
    surviving hypotheses), "first" (the first hypothesis to end is returned)."""
    alive, finished, tokens = [([], 0.0)], [], np.array([START])
    for _ in range(max_len):
        log_probs, new_states = step(tokens, states)
        base = 0.0 if mistake == "no_sum" else np.array([lp for _, lp in alive])[:, None]
        totals = base + np.asarray(log_probs, dtype=np.float64)
        order = np.argsort(-totals.ravel(), kind="stable")[: 2 * width]
        next_alive, origin = [], []
        for rank, flat in enumerate(order):
            row, tok = divmod(int(flat), totals.shape[1])
            if tok == END:
                if rank < width:
                    finished.append((float(totals[row, tok]), alive[row][0]))
            else:
                next_alive.append((alive[row][0] + [tok], float(totals[row, tok])))
                origin.append(row)
                if len(next_alive) == width:
                    break
        if len(finished) >= width or not next_alive or (mistake == "first" and finished):
            break
        alive = next_alive
        if mistake == "no_reorder":
            rows = len(new_states[0])
            states = [np.repeat(s, len(origin), axis=0) if rows == 1 else s[: len(origin)] for s in new_states]
        else:
            states = [s[origin] for s in new_states]
        tokens = np.array([seq[-1] for seq, _ in alive])
    else:
        finished += [(total, seq) for seq, total in alive]
    if mistake == "first":
        return finished[0][1]
    return max(finished, key=lambda f: f[0])[1]


# (automaton seed, beam width, max_len): greedy and beam width 3 disagree on all three automata, and other faithful
# ways to write the search (stop once the best finished beats every alive hypothesis; take only the top beam_width
# candidates) give the same answers. Each typical mistake is told apart from the others in the first case it fails.
BEAM_CASES = [(16, 1, 8), (44, 3, 8), (16, 3, 8), (279, 3, 8)]


@register("08.8", "beam search for one sentence", "write",
          "Keep a list of (ids, log P) hypotheses, starting with ([], 0.0), and one state row per hypothesis. Each "
          "step: call step with every hypothesis's last token (START at first), add each hypothesis's log P to its "
          "row of log-probabilities, sort all (hypothesis, token) candidates by that total, walk down the list: an "
          "END among the first beam_width candidates finishes its hypothesis; other tokens extend theirs until "
          "beam_width hypotheses are alive. Reorder the states with the rows the survivors came from: "
          "[s[origin] for s in states]. Stop when beam_width hypotheses have finished or after max_len steps (then "
          "the alive ones count as finished); return the finished ids with the highest log P.")
def beam_search(student) -> str:
    for seed, width, max_len in BEAM_CASES:
        step, states = _automaton_step(seed), [np.array([0])]
        greedy = s2s.greedy_decode(step, states, max_len=max_len)[0]
        expected = s2s.beam_search(step, states, beam_width=width, max_len=max_len)
        case = f"beam width {width}, toy decoder {seed}, max_len {max_len}"
        got = call(student, step, [np.array([0])], width, max_len, name="your beam_search",
                  inputs="step, states, beam_width, max_len")
        got = _rows("beam_search", got, 1, case, one=True)
        variants = {
            "the candidates are ranked by the last step's log-probability alone (log P is not added up along "
            "each hypothesis)": _beam(step, states, width, max_len, "no_sum"),
            "the states are not reordered to follow the surviving hypotheses ([s[origin] for s in states])":
                _beam(step, states, width, max_len, "no_reorder"),
            "the first hypothesis to end is returned, not the most probable finished one":
                _beam(step, states, width, max_len, "first"),
            "finished hypotheses are ranked by log P per token (length_penalty=1), not by log P":
                s2s.beam_search(step, states, beam_width=width, max_len=max_len, length_penalty=1.0),
            "only one hypothesis is kept: this is greedy decoding's answer": greedy,
        }
        variants = {mistake: [ids] for mistake, ids in variants.items()}

        def show(ids, step=step):
            try:
                return f" (log P {s2s.sequence_log_prob(step, [np.array([0])], ids):.3f})"
            except ValueError:  # an id outside the toy vocabulary
                return ""

        _compare_ids("beam_search", got, [expected], case, ended=[len(expected) < max_len], max_len=max_len,
                     variants=variants, one=True, show=show)
    return ("Your search equals rnnlab.seq2seq.beam_search with beam widths 1 and 3 on toy decoders where beam width 3 "
            "finds a more probable sentence than greedy decoding.")
