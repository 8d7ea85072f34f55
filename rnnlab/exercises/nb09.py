"""Checkers for notebook 09 (a character language model writing Tang poems): perplexity, the sampling
distribution (temperature and top-k), a smoothed bigram table, an untrained model's perplexity, greedy poems."""
from __future__ import annotations

import numpy as np

from rnnlab.exercises import Wrong, call, compare, number, register
from rnnlab.lm import NGram, sampling_probs


@register("09.1", "perplexity from the probabilities of the true characters", "write",
          "Take the natural log of every probability, average, change the sign, and exponentiate: "
          "np.exp(-np.mean(np.log(p_true))).")
def perplexity_of(student) -> str:
    rng = np.random.default_rng(901)
    for n in (1, 7, 500):
        p = rng.uniform(0.001, 1.0, size=n)
        case = f"{n} probabilities"
        expected = float(np.exp(-np.mean(np.log(p))))
        got = call(student, p.copy(), inputs=f"an array of {n} probabilities")
        mistakes = [(float(np.exp(np.mean(np.log(p)))), "the sign is missing: exp(+mean log p) is 1 / perplexity."),
                    (float(-np.mean(np.log(p))), "that is the cross-entropy (the mean negative log-probability); "
                                                 "perplexity is its exponential."),
                    (float(1 / np.mean(p)), "that is 1 / (arithmetic mean of p); perplexity uses the mean of log p "
                                            "(a geometric mean)."),
                    (float(np.exp(-np.mean(np.log2(p)))), "log base 2 inside and e outside do not match: use one base "
                                                          "for both."),
                    (float(np.exp(-np.sum(np.log(p)))), "that is 1 / (the probability of the whole text): average the "
                                                        "log-probabilities over the characters instead of summing.")]
        if n == 1:  # one probability: the arithmetic and the geometric mean agree, and so do the sum and the mean
            mistakes = [m for m in mistakes if "arithmetic" not in m[1] and "whole text" not in m[1]]
        number("perplexity", got, expected, rtol=1e-6, mistakes=mistakes, case=case)
    return "perplexity = exp(-mean log p): the number of equally likely characters the model hesitates between."


@register("09.2", "the sampling distribution: temperature and top-k", "write",
          "Divide the logits (not the probabilities) by the temperature. For top-k, find the k-th largest logit of "
          "each row with np.sort(z, axis=-1)[..., -k] and set smaller logits to -np.inf before the softmax.")
def sampling_distribution(student) -> str:
    rng = np.random.default_rng(902)
    cases = [(rng.normal(size=12) * 2, 1.0, None), (rng.normal(size=12) * 2, 0.5, None),
             (rng.normal(size=(3, 9)) * 3, 1.5, None), (rng.normal(size=(4, 10)) * 2, 1.0, 3),
             (rng.normal(size=15) * 2 + 40, 0.7, 5), (rng.normal(size=(2, 8)), 2.0, 1)]
    for logits, T, k in cases:
        case = f"logits of shape {logits.shape}, temperature {T}, top_k {k}"
        got = call(student, logits.copy(), T, k, inputs=f"logits, {T}, {k}")
        expected = sampling_probs(logits, T, k)
        p = sampling_probs(logits)
        variants = {} if T == 1 else {
            "the probabilities, not the logits, are divided by the temperature": p / T,
            "the logits are multiplied by the temperature instead of divided": sampling_probs(logits * T),
            "the temperature is ignored": sampling_probs(logits, 1.0, k)}
        if k is not None:
            kth = np.sort(logits, axis=-1)[..., -k][..., None]
            variants["the top-k probabilities are not renormalised to sum to 1"] = np.where(logits >= kth, sampling_probs(logits, T), 0)
            variants["top_k is ignored"] = sampling_probs(logits, T)
            if k > 1:
                variants["k - 1 logits are kept instead of k"] = sampling_probs(logits, T, k - 1)
        compare("the distribution", got, expected, ("token",) if logits.ndim == 1 else ("row", "token"),
                atol=1e-8, case=case, variants=variants)
    return "softmax(logits / T), restricted to the k largest logits and renormalised; large logits do not overflow."


@register("09.3", "a smoothed bigram table", "write",
          "Count pairs (previous, next) with the start id as the previous of each sequence's first character. "
          "p1 = (count(b) + k/V) / (N + k); then P = (pair + k * p1) / (count(a) + k), where count(a) is the row sum "
          "of the pair counts. A row never seen as a context then gives p1 by itself.")
def bigram_table(student) -> str:
    rng = np.random.default_rng(903)
    for V, k, n_seq in ((6, 1.0, 3), (9, 0.3, 5), (12, 5.0, 2)):
        seqs = [list(rng.integers(2, V - 1, size=rng.integers(3, 9))) for _ in range(n_seq)]  # id V-1 is never used
        model = NGram(2, V, k=k, start_id=1).fit(seqs)
        expected = np.array([[model.prob([a], b) for b in range(V)] for a in range(V)])
        case = f"V = {V}, k = {k}, {n_seq} sequences"
        got = call(student, [list(s) for s in seqs], V, k, 1, inputs=f"sequences, {V}, {k}, 1")
        counts = np.zeros((V, V))
        for s in seqs:
            np.add.at(counts, ([1] + s[:-1], s), 1)
        add_k = (counts + k) / (counts.sum(1, keepdims=True) + k * V)
        variants = {"the bigram counts are add-k smoothed on their own, not pulled towards the unigram p1": add_k,
                    "the rows are maximum-likelihood counts without smoothing":
                        np.divide(counts, counts.sum(1, keepdims=True), out=np.zeros_like(counts),
                                  where=counts.sum(1, keepdims=True) > 0)}
        compare("P", got, expected, ("previous a", "next b"), atol=1e-9, case=case, variants=variants)
        rows = np.asarray(got, dtype=float).sum(axis=1)
        if not np.allclose(rows, 1):
            raise Wrong(f"each row of P should sum to 1 ({case}); row sums range over [{rows.min():.4g}, {rows.max():.4g}].")
    return "P[a, b] = (count(a, b) + k p1(b)) / (count(a) + k); unseen contexts fall back to p1 with no special case."


@register("09.4", "an untrained model's perplexity", "predict",
          "A uniform model gives every one of the V ids probability 1/V. What is exp(-log(1/V))?")
def untrained_perplexity(student) -> str:
    return number("the perplexity", student, 5000, rtol=1e-3,
                  mistakes=[(np.log(5000), "that is the loss log V; the perplexity is its exponential."),
                            (np.log2(5000), "that is log2 V, the loss in bits; the perplexity is 2 to that power.")],
                  why="a model that is uniform over V ids has perplexity V.")


@register("09.5", "how many different greedy poems", "predict",
          "Does greedy decoding ever use the random generator? What differs between the 100 poems at the first step?")
def distinct_greedy_poems(student) -> str:
    return number("the number of different poems", student, 1, rtol=0, atol=0.01,
                  mistakes=[(100, "greedy decoding has no randomness: 100 poems from the same start are one poem "
                                  "written 100 times.")],
                  why="greedy decoding is deterministic.")
