"""Language-model bookkeeping of notebook 09: perplexity, the n-gram baselines, and sampling distributions.

The recurrent language model itself is written in the notebook; these are the references its numbers are
compared with and the exercises' checkers use.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Sequence

import numpy as np

from rnnlab import arguments


def perplexity(log_probs) -> float:
    """exp of the mean negative log-probability (natural log) that a model gave the true next tokens."""
    lp = arguments.array("log_probs", log_probs, (None,), expected="(tokens,) natural-log probabilities")
    if lp.size == 0:
        raise ValueError("log_probs must hold at least one log-probability")
    if np.any(lp > 1e-9) or not np.all(np.isfinite(lp)):
        raise ValueError("log_probs must be natural-log probabilities: finite and <= 0")
    return float(np.exp(-lp.mean()))


class NGram:
    """A character n-gram model with interpolated smoothing, the baseline of notebook 09.

    P_n(c | h) = (count(h, c) + k · P_{n-1}(c | h')) / (count(h) + k), where h holds the n − 1 tokens before c
    and h' drops the oldest of them; P_0 is uniform over the ``vocab_size`` ids. An unseen context falls back to
    the shorter one, so no probability is ever 0. ``order=1`` is the unigram model with add-k smoothing.
    Sequences are lists of ids; each is read with ``order - 1`` copies of ``start_id`` in front.
    """

    def __init__(self, order: int, vocab_size: int, k: float = 1.0, start_id: int = 1):
        self.order = arguments.integer("order", order, 1, 6)
        self.vocab_size = arguments.integer("vocab_size", vocab_size, 2)
        self.k = arguments.number("k", k, 0, low_open=True)
        self.start_id = arguments.integer("start_id", start_id, 0, vocab_size - 1)
        self.counts: list[dict[tuple, Counter]] = [defaultdict(Counter) for _ in range(self.order)]
        self.totals: list[Counter] = [Counter() for _ in range(self.order)]

    def fit(self, sequences: Sequence[Sequence[int]]) -> "NGram":
        """Count every n-gram of every order up to ``order`` in ``sequences``; returns the model."""
        for seq in sequences:
            padded = [self.start_id] * (self.order - 1) + list(seq)
            for i in range(self.order - 1, len(padded)):
                c = padded[i]
                for n in range(self.order):  # n = context length
                    h = tuple(padded[i - n:i])
                    self.counts[n][h][c] += 1
                    self.totals[n][h] += 1
        return self

    def prob(self, history: Sequence[int], c: int) -> float:
        """P(c | the last ``order - 1`` ids of ``history``)."""
        padded = [self.start_id] * (self.order - 1) + list(history)
        p = 1.0 / self.vocab_size
        for n in range(self.order):
            h = tuple(padded[len(padded) - n:]) if n else ()
            total = self.totals[n].get(h, 0)
            if total:
                p = (self.counts[n][h].get(c, 0) + self.k * p) / (total + self.k)
        return p

    def log_probs(self, sequences: Sequence[Sequence[int]]) -> np.ndarray:
        """Natural-log probability of every token of every sequence given the tokens before it."""
        out = []
        for seq in sequences:
            seq = list(seq)
            out.extend(math.log(self.prob(seq[:i], c)) for i, c in enumerate(seq))
        return np.array(out)


def sampling_probs(logits, temperature: float = 1.0, top_k: int | None = None) -> np.ndarray:
    """The distribution a sampler draws the next token from: softmax(logits / T), kept to the ``top_k`` largest.

    T < 1 sharpens the distribution (T → 0 is greedy), T > 1 flattens it; top-k sets all but the k most
    probable tokens to 0 and renormalises. Works on the last axis of ``logits``.
    """
    z = arguments.array("logits", logits, (None,), (None, None), expected="(vocab,) or (batch, vocab)")
    temperature = arguments.number("temperature", temperature, 0, low_open=True)
    z = z / temperature
    if top_k is not None:
        top_k = arguments.integer("top_k", top_k, 1, z.shape[-1], note="or None")
        kth = np.sort(z, axis=-1)[..., -top_k][..., None]
        z = np.where(z >= kth, z, -np.inf)
    z = z - z.max(axis=-1, keepdims=True)
    p = np.exp(z)
    return p / p.sum(axis=-1, keepdims=True)
