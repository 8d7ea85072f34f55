"""Everything around a translation model that is not the model: tokens, splits, vocabularies, decoding, scores.

Used by notebook 08 (seq2seq translation). The encoder, the decoder and the attention layer are
written in the notebook; this module prepares their inputs and reads their outputs:

- ``tokenize`` / ``detokenize``: English and French/Spanish by word, Chinese by character;
- ``split_pairs``: a fixed, seeded train/validation/test split by English sentence;
- ``Vocab`` and ``teacher_forcing_arrays``: ids with reserved pad/start/end/unknown ids, padded arrays;
- ``masked_loss`` / ``masked_accuracy``: Keras loss and metric that ignore padding;
- ``greedy_decode`` / ``beam_search``: decoding loops around a model-supplied ``step`` function;
- ``bleu`` / ``chrf`` / ``bleu_by_source_length``: sacreBLEU scores on the held-out test set.

A ``step`` function takes the previous tokens ``(n,)`` and a list of state arrays (each with ``n`` rows)
and returns the next-token log-probabilities ``(n, vocabulary)`` and the new list of states.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Callable, Iterable, Sequence

import numpy as np

from rnnlab import arguments

__all__ = [
    "PAD", "START", "END", "UNK", "SPECIALS", "LANGUAGES",
    "tokenize", "detokenize", "split_pairs", "group_references", "Vocab", "pad", "teacher_forcing_arrays",
    "masked_loss", "masked_accuracy", "log_softmax", "greedy_decode", "beam_search", "sequence_log_prob",
    "bleu", "chrf", "bleu_by_source_length", "distinct_fraction",
]

PAD, START, END, UNK = 0, 1, 2, 3
SPECIALS = ("<pad>", "<start>", "<end>", "<unk>")
LANGUAGES = ("eng", "cmn", "fra", "spa")  # eng: the source side; the others: targets of load_pairs
SACREBLEU_TOKENIZER = {"cmn": "zh", "fra": "13a", "spa": "13a", "eng": "13a"}

Step = Callable[[np.ndarray, list], tuple]

_WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")  # words (keeping don't, qu'il) and single punctuation marks
_CJK_OR_LATIN = re.compile(r"[a-z0-9]+|\S")  # a run of Latin letters/digits, else one character


# ------------------------------------------------------------------------------------------- tokens
def tokenize(text: str, lang: str) -> list[str]:
    """Normalise and split one sentence: NFKC, lower case, then words and punctuation, or Chinese characters.

    ``lang`` is "eng" (the source), "cmn", "fra" or "spa". Chinese is split into single characters,
    except that a run of Latin letters or digits ("tom", "2020") stays one token. NFKC turns
    full-width ``？！，`` into ``?!,`` so the same mark has one id; "。" stays as it is.
    """
    arguments.choice("lang", lang, LANGUAGES)
    if not isinstance(text, str):
        raise ValueError(f"text must be a string, got {type(text).__name__}")
    text = unicodedata.normalize("NFKC", text).lower()
    pattern = _CJK_OR_LATIN if lang == "cmn" else _WORD
    return pattern.findall(text)


def detokenize(tokens: Sequence[str], lang: str) -> str:
    """Join tokens back into text: Chinese characters without spaces, words with single spaces.

    Two neighbouring Latin tokens in Chinese keep a space between them. Scores are computed on this
    normalised text for both the model's outputs and the references (see ``bleu``).
    """
    arguments.choice("lang", lang, LANGUAGES)
    if lang != "cmn":
        return " ".join(tokens)
    out = ""
    for tok in tokens:
        if out and out[-1].isascii() and out[-1].isalnum() and tok[:1].isascii() and tok[:1].isalnum():
            out += " "
        out += tok
    return out


# ------------------------------------------------------------------------------------------- split
def split_pairs(
    pairs: Sequence[tuple[str, str]],
    *,
    val_fraction: float = 0.05,
    test_fraction: float = 0.1,
    seed: int = 0,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, str]]]:
    """A fixed train/validation/test split of (English, translation) pairs → (train, val, test).

    Pairs are grouped by their tokenised English sentence, so a sentence with several translations
    ("Hi." → 嗨。 / 你好。) lies wholly in one part and the test set never shares a source sentence
    with training. The groups are shuffled by ``seed``; the same pairs and seed give the same split.
    """
    for name, value in (("val_fraction", val_fraction), ("test_fraction", test_fraction)):
        arguments.number(name, value, 0, 1, low_open=True, high_open=True)
    if val_fraction + test_fraction >= 1:
        raise ValueError(f"val_fraction + test_fraction must be < 1, got {val_fraction + test_fraction}")
    groups: dict[str, list[tuple[str, str]]] = {}
    for pair in pairs:
        if not (isinstance(pair, (tuple, list)) and len(pair) == 2):
            raise ValueError(f"pairs must hold (English, translation) tuples, got {pair!r}")
        groups.setdefault(" ".join(tokenize(pair[0], "eng")), []).append(tuple(pair))
    if len(groups) < 3:
        raise ValueError(f"pairs must hold at least 3 different English sentences, got {len(groups)}")
    order = np.random.default_rng(seed).permutation(len(groups))
    keys = list(groups)
    n_test = max(1, round(test_fraction * len(keys)))
    n_val = max(1, round(val_fraction * len(keys)))
    if n_test + n_val >= len(keys):
        raise ValueError(f"val_fraction and test_fraction leave no training sentences out of {len(keys)}")
    parts = (order[n_test + n_val:], order[n_test:n_test + n_val], order[:n_test])
    return tuple([p for i in sorted(part) for p in groups[keys[i]]] for part in parts)  # type: ignore[return-value]


def group_references(pairs: Sequence[tuple[str, str]]) -> tuple[list[str], list[list[str]]]:
    """(sources, references): each English sentence once, with all its translations as references.

    Used to score the test set with several references where Tatoeba has several translations.
    """
    refs: dict[str, list[str]] = {}
    first: dict[str, str] = {}
    for src, tgt in pairs:
        key = " ".join(tokenize(src, "eng"))
        first.setdefault(key, src)
        refs.setdefault(key, []).append(tgt)
    return [first[k] for k in refs], list(refs.values())


# ------------------------------------------------------------------------------------------- ids
class Vocab:
    """Token ↔ id table; ids 0-3 are reserved for <pad>, <start>, <end>, <unk> (``PAD, START, END, UNK``).

    Built from tokenised training sentences, most frequent tokens first (ties in first-seen order).
    """

    def __init__(self, tokens: Sequence[str]):
        if list(tokens[: len(SPECIALS)]) != list(SPECIALS):
            raise ValueError(f"tokens must start with the reserved tokens {SPECIALS}")
        if len(set(tokens)) != len(tokens):
            raise ValueError("tokens must not repeat")
        self.itos = list(tokens)
        self.stoi = {t: i for i, t in enumerate(self.itos)}

    @classmethod
    def build(cls, sentences: Iterable[Sequence[str]], *, min_count: int = 1, max_size: int | None = None) -> "Vocab":
        """A vocabulary of the tokens seen at least ``min_count`` times, at most ``max_size`` ids in all."""
        min_count = arguments.integer("min_count", min_count, 1)
        if max_size is not None:
            max_size = arguments.integer("max_size", max_size, len(SPECIALS) + 1, note="or None")
        counts = Counter(t for s in sentences for t in s if t not in SPECIALS)
        kept = [t for t, n in counts.most_common() if n >= min_count]
        if max_size is not None:
            kept = kept[: max_size - len(SPECIALS)]
        return cls(list(SPECIALS) + kept)

    def __len__(self) -> int:
        return len(self.itos)

    def encode(self, tokens: Sequence[str]) -> list[int]:
        """Ids of ``tokens``; unknown tokens get ``UNK``."""
        return [self.stoi.get(t, UNK) for t in tokens]

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Tokens of ``ids``, stopping at <end> and skipping <pad> and <start>."""
        out = []
        for i in ids:
            i = int(i)
            if not 0 <= i < len(self.itos):
                raise ValueError(f"ids must hold ids in [0, {len(self.itos) - 1}], got {i}")
            if i == END:
                break
            if i not in (PAD, START):
                out.append(self.itos[i])
        return out

    def __repr__(self) -> str:
        return f"Vocab({len(self)} tokens: {self.itos[4:9]}…)"


def pad(sequences: Sequence[Sequence[int]], length: int | None = None) -> np.ndarray:
    """Right-pad id sequences with ``PAD`` to ``length`` (default: the longest) → int32 (n, length)."""
    longest = max((len(s) for s in sequences), default=0)
    if length is not None:
        length = arguments.integer("length", length, longest, note="(the longest sequence)")
    length = longest if length is None else length
    out = np.full((len(sequences), length), PAD, dtype=np.int32)
    for row, seq in enumerate(sequences):
        out[row, : len(seq)] = seq
    return out


def teacher_forcing_arrays(
    source_tokens: Sequence[Sequence[str]],
    target_tokens: Sequence[Sequence[str]],
    source_vocab: Vocab,
    target_vocab: Vocab,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(source, decoder_input, decoder_target) as padded int32 arrays for teacher forcing（教师强制）.

    decoder_input = <start> y1 … yn, decoder_target = y1 … yn <end>: at every step the decoder
    is fed the true previous token and asked for the next one.
    """
    if len(source_tokens) != len(target_tokens):
        raise ValueError(f"source_tokens and target_tokens must have the same length, "
                         f"got {len(source_tokens)} and {len(target_tokens)}")
    src = pad([source_vocab.encode(s) for s in source_tokens])
    tgt = [target_vocab.encode(t) for t in target_tokens]
    return src, pad([[START] + t for t in tgt]), pad([t + [END] for t in tgt])


# ------------------------------------------------------------------------------------------- loss
def masked_loss(y_true, logits):
    """Mean cross-entropy over the real target tokens only: positions where ``y_true == PAD`` count 0.

    A Keras loss (``model.compile(loss=masked_loss)``): y_true (batch, time) ids, logits (batch, time, vocab).
    """
    from keras import ops

    per_token = ops.sparse_categorical_crossentropy(y_true, logits, from_logits=True)
    mask = ops.cast(ops.not_equal(y_true, PAD), per_token.dtype)
    return ops.sum(per_token * mask) / ops.maximum(ops.sum(mask), 1.0)


def masked_accuracy(y_true, logits):
    """Fraction of real target tokens predicted exactly (argmax), padding ignored; a Keras metric."""
    from keras import ops

    mask = ops.not_equal(y_true, PAD)
    hit = ops.equal(ops.cast(ops.argmax(logits, axis=-1), "int32"), ops.cast(y_true, "int32"))
    hit = ops.cast(ops.logical_and(hit, mask), "float32")
    return ops.sum(hit) / ops.maximum(ops.sum(ops.cast(mask, "float32")), 1.0)


# ------------------------------------------------------------------------------------------- decoding
def log_softmax(logits) -> np.ndarray:
    """log softmax over the last axis, in NumPy (turns a model's logits into a step's log-probabilities)."""
    z = np.asarray(logits, dtype=np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def _check_decoding(states, max_len: int, rows: int | None = None) -> list[np.ndarray]:
    arguments.integer("max_len", max_len, 1)
    if not isinstance(states, (list, tuple)) or not states:
        raise ValueError("states must be a non-empty list of arrays, one row per sentence")
    states = [np.asarray(s) for s in states]
    n = states[0].shape[0] if states[0].ndim else 0
    if n < 1 or any(s.ndim == 0 or s.shape[0] != n for s in states):
        raise ValueError(f"states must be arrays with the same number (>= 1) of rows, "
                         f"got shapes {[s.shape for s in states]}")
    if rows is not None and n != rows:
        raise ValueError(f"states must have {rows} row(s) here (one sentence), got {n}")
    return states


def _call_step(step: Step, tokens: np.ndarray, states: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    log_probs, new_states = step(tokens, states)
    log_probs = np.asarray(log_probs)
    if log_probs.ndim != 2 or log_probs.shape[0] != len(tokens):
        raise ValueError(f"step must return log-probabilities of shape ({len(tokens)}, vocabulary), got {log_probs.shape}")
    return log_probs, [np.asarray(s) for s in new_states]


def greedy_decode(step: Step, states, *, max_len: int, start: int = START, end: int = END) -> list[list[int]]:
    """Greedy decoding（贪心解码）of a batch: at every step take the most probable token.

    ``states`` is the list of initial state arrays (n rows, e.g. the encoder's final state).
    Returns n id lists without <start>/<end>; a sentence stops at <end> or after ``max_len`` tokens.
    """
    states = _check_decoding(states, max_len)
    n = states[0].shape[0]
    tokens = np.full(n, start, dtype=np.int32)
    out = np.full((n, max_len), end, dtype=np.int64)
    done = np.zeros(n, dtype=bool)
    for t in range(max_len):
        log_probs, states = _call_step(step, tokens, states)
        tokens = np.argmax(log_probs, axis=-1).astype(np.int32)
        out[:, t] = np.where(done, end, tokens)
        done |= tokens == end
        if done.all():
            break
    result = []
    for row in out:
        stops = np.flatnonzero(row == end)
        result.append([int(i) for i in row[: stops[0] if len(stops) else max_len]])
    return result


def beam_search(
    step: Step,
    states,
    *,
    beam_width: int,
    max_len: int,
    length_penalty: float = 0.0,
    start: int = START,
    end: int = END,
) -> list[int]:
    """Beam search（束搜索）for one sentence: keep the ``beam_width`` most probable prefixes at every step.

    ``states``: the initial state arrays with one row. A finished hypothesis is scored by
    log P(y) / len(y) ** length_penalty (len counts <end>); 0 ranks by probability alone, 1 by mean
    log-probability per token. Stops when ``beam_width`` hypotheses have ended or after ``max_len``
    tokens. With beam_width 1 this is exactly ``greedy_decode``. Returns ids without <start>/<end>.
    """
    beam_width = arguments.integer("beam_width", beam_width, 1)
    length_penalty = arguments.number("length_penalty", length_penalty, 0, 2)
    states = _check_decoding(states, max_len, rows=1)

    def score(log_p: float, length: int) -> float:
        return log_p / max(length, 1) ** length_penalty

    alive: list[tuple[list[int], float]] = [([], 0.0)]
    finished: list[tuple[float, list[int]]] = []
    tokens = np.array([start], dtype=np.int32)
    for _ in range(max_len):
        log_probs, states = _call_step(step, tokens, states)
        totals = np.array([lp for _, lp in alive])[:, None] + log_probs.astype(np.float64)
        vocab = totals.shape[1]
        order = np.argsort(-totals.ravel(), kind="stable")[: 2 * beam_width]
        next_alive, origin = [], []
        for rank, flat in enumerate(order):
            row, tok = divmod(int(flat), vocab)
            total = float(totals[row, tok])
            if tok == end:
                if rank < beam_width:  # an ending counts only if it is among the best beam_width candidates
                    finished.append((score(total, len(alive[row][0]) + 1), alive[row][0]))
            else:
                next_alive.append((alive[row][0] + [tok], total))
                origin.append(row)
                if len(next_alive) == beam_width:
                    break
        if len(finished) >= beam_width or not next_alive:
            break
        alive = next_alive
        states = [s[origin] for s in states]
        tokens = np.array([seq[-1] for seq, _ in alive], dtype=np.int32)
    else:
        finished += [(score(total, len(seq)), seq) for seq, total in alive]
    return max(finished, key=lambda f: f[0])[1]


def sequence_log_prob(step: Step, states, ids: Sequence[int], *, start: int = START, end: int = END) -> float:
    """log P(ids, <end> | source) under the model behind ``step`` (one sentence, teacher-forced)."""
    states = _check_decoding(states, max_len=1, rows=1)
    ids = arguments.integers("ids", ids, 0)
    total, prev = 0.0, start
    for position, tok in enumerate(ids + [end]):
        log_probs, states = _call_step(step, np.array([prev], dtype=np.int32), states)
        if position == 0:  # the first step's output tells the vocabulary size
            arguments.integers("ids", ids, 0, log_probs.shape[1] - 1)
        total += float(log_probs[0, tok])
        prev = tok
    return total


# ------------------------------------------------------------------------------------------- scores
def _streams(hypotheses: Sequence[str], references: Sequence[Sequence[str]]) -> list[list[str | None]]:
    if isinstance(hypotheses, str) or not all(isinstance(h, str) for h in hypotheses):
        raise ValueError("hypotheses must be a list of strings")
    if len(hypotheses) == 0:
        raise ValueError("hypotheses must not be empty")
    if len(references) != len(hypotheses):
        raise ValueError(f"references must have one entry per hypothesis ({len(hypotheses)}), got {len(references)}")
    refs = [[r] if isinstance(r, str) else list(r) for r in references]
    if any(not r or not all(isinstance(x, str) for x in r) for r in refs):
        raise ValueError("references must hold, per hypothesis, a string or a non-empty list of strings")
    width = max(len(r) for r in refs)
    return [[r[k] if k < len(r) else None for r in refs] for k in range(width)]


def bleu(hypotheses: Sequence[str], references: Sequence[Sequence[str] | str], lang: str) -> float:
    """Corpus BLEU (sacreBLEU, 0-100) with the Chinese tokeniser for "cmn" and 13a otherwise.

    ``references[i]`` is one string or a list of strings (all translations of sentence i).
    """
    import sacrebleu

    arguments.choice("lang", lang, LANGUAGES)
    streams = _streams(hypotheses, references)
    return float(sacrebleu.corpus_bleu(list(hypotheses), streams, tokenize=SACREBLEU_TOKENIZER[lang]).score)


def chrf(hypotheses: Sequence[str], references: Sequence[Sequence[str] | str], lang: str) -> float:
    """Corpus chrF (sacreBLEU, 0-100): character n-gram F-score, less harsh than BLEU on short sentences."""
    import sacrebleu

    arguments.choice("lang", lang, LANGUAGES)
    return float(sacrebleu.corpus_chrf(list(hypotheses), _streams(hypotheses, references)).score)


def bleu_by_source_length(
    source_lengths: Sequence[int],
    systems: dict[str, Sequence[str]],
    references: Sequence[Sequence[str] | str],
    lang: str,
    edges: Sequence[int],
):
    """BLEU of each system per bucket of source length [edges[i], edges[i+1]).

    Returns a DataFrame with columns source_length (e.g. "4-5"), sentences, and one BLEU column per system;
    empty buckets are left out.
    """
    import pandas as pd

    edges = list(edges)
    if len(edges) < 2 or any(b <= a for a, b in zip(edges, edges[1:])):
        raise ValueError(f"edges must be at least two increasing integers, got {edges}")
    arguments.choice("lang", lang, LANGUAGES)
    lengths = np.asarray(source_lengths)
    if len(references) != len(lengths):
        raise ValueError(f"references must have one entry per source ({len(lengths)}), got {len(references)}")
    for name, hyps in systems.items():
        if len(hyps) != len(lengths):
            raise ValueError(f"systems must have one output per source ({len(lengths)}), "
                             f"got {len(hyps)} for {name!r}")
    rows = []
    for lo, hi in zip(edges, edges[1:]):
        idx = np.flatnonzero((lengths >= lo) & (lengths < hi))
        if len(idx) == 0:
            continue
        row = {"source_length": f"{lo}-{hi - 1}" if hi - 1 > lo else str(lo), "sentences": len(idx)}
        for name, hyps in systems.items():
            row[name] = bleu([hyps[i] for i in idx], [references[i] for i in idx], lang)
        rows.append(row)
    return pd.DataFrame(rows)


def distinct_fraction(outputs: Sequence) -> float:
    """Distinct outputs / outputs: 1 when every input gets its own translation, 1/n when all are the same."""
    if len(outputs) == 0:
        raise ValueError("outputs must not be empty")
    return len({tuple(o) if not isinstance(o, str) else o for o in outputs}) / len(outputs)
