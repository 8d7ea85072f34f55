"""Checkers for notebook 01 (one-hot vs embedding): one-hot rows, the lookup as one-hot @ E, cosine similarity,
the parameter counts of an Embedding and of a Dense layer on one-hot vectors."""
from __future__ import annotations

import numpy as np

from rnnlab.exercises import NotAttempted, Wrong, as_array, call, compare, number, register


def _ids_cases(rng):
    """(vocabulary size, ids of shape (batch, time), what the case is) for the one-hot and lookup checkers.

    The first case has no id vocab_size - 1, so "ids + 1" still runs and is recognised; the second is a batch of
    one sentence of one word; the third is drawn at random and holds both 0 and vocab_size - 1.
    """
    drawn = rng.integers(0, 8, size=(3, 5))
    drawn[0, 0], drawn[2, 4] = 0, 7
    drawn[1, 2] = drawn[1, 3]                            # a repeated word in the same sentence
    return [(6, np.array([[3, 0, 3], [1, 4, 1]]), "2 sentences of 3 words, repeated ids"),
            (10, np.array([[9]]), "a batch of one sentence of one word"),
            (8, drawn, "3 sentences of 5 random ids, repeats included")]


@register("01.1", "one-hot rows for a batch of word ids", "write",
          "Row i of the identity matrix np.eye(vocab_size) is the one-hot vector of word i, so np.eye(vocab_size)[ids] "
          "picks one row per id; for ids of shape (batch, time) it has shape (batch, time, vocab_size).")
def one_hot_rows(student) -> str:
    rng = np.random.default_rng(101)
    for vocab_size, ids, case in _ids_cases(rng):
        expected = np.eye(vocab_size)[ids]
        got = call(student, ids, vocab_size, inputs=f"ids of shape {ids.shape}, vocab_size={vocab_size}")
        compare("the one-hot array", got, expected, ("sentence", "word", "vocabulary position"), atol=1e-12,
                case=case, variants={
                    "the ids are shifted by one (word i lights up position i - 1)": np.roll(expected, -1, axis=-1),
                    "the ids are shifted by one (word i lights up position i + 1)": np.roll(expected, 1, axis=-1),
                    "every position is 1 except the word's own (1 - one-hot)": 1 - expected})
    return "Your one-hot rows equal np.eye(vocab_size)[ids] on 3 cases (a batch of one and repeated ids included)."


def _keras_lookup(E, ids):
    """keras.layers.Embedding with weights E applied to ids, as float64."""
    import keras

    layer = keras.layers.Embedding(E.shape[0], E.shape[1])
    layer.build((None, None))
    layer.set_weights([E.astype("float32")])
    return keras.ops.convert_to_numpy(layer(ids.astype("int32"))).astype(np.float64)


@register("01.2", "the embedding lookup as one-hot × matrix", "write",
          "lookup(ids, E) = to_one_hot(ids, E.shape[0]) @ E: the one-hot rows (batch, time, |V|) times E (|V|, d) "
          "give (batch, time, d), row i of E for every id i. The number of words is E.shape[0], not E.shape[1].")
def lookup(student) -> str:
    rng = np.random.default_rng(102)
    # the first matrix is square (|V| = d), so a transposed E still has the right shape and is recognised by value
    for (vocab_size, ids, case), dim in zip(_ids_cases(rng), (6, 3, 4)):
        E = rng.normal(size=(vocab_size, dim))
        expected = E[ids]
        got = call(student, ids, E, inputs=f"ids of shape {ids.shape}, E of shape {E.shape}")
        where = f"{case}, E of shape (|V|, d) = {E.shape}"
        variants = {"the ids are shifted by one (row i - 1 of E)": E[ids - 1]}
        if ids.max() + 1 < vocab_size:
            variants["the ids are shifted by one (row i + 1 of E)"] = E[ids + 1]
        if vocab_size == dim:
            variants["E is transposed (column i of E instead of row i)"] = E.T[ids]
        compare("the looked-up vectors", got, expected, ("sentence", "word", "embedding dimension"), atol=1e-6,
                case=where, variants=variants)
        compare("the looked-up vectors", got, _keras_lookup(E, ids), ("sentence", "word", "embedding dimension"),
                atol=1e-5, case=f"{where}, against keras.layers.Embedding with the same weights")
    return ("Your lookup equals E[ids] and keras.layers.Embedding with the same weights on 3 cases (a square E, a batch "
            "of one, repeated ids).")


def _unit_rows(X):
    return X / np.linalg.norm(X, axis=1, keepdims=True)


@register("01.3", "cosine similarity of every pair of rows", "write",
          "Divide every row of A and every row of B by its own length (np.linalg.norm(..., axis=1, keepdims=True)), "
          "then A_unit @ B_unit.T holds the cosine of row i of A and row j of B at [i, j].")
def cosine_similarity(student) -> str:
    rng = np.random.default_rng(103)
    cases = [((3, 4), (5, 4), "A has 3 rows, B has 5 rows, 4 features"),
             ((1, 3), (1, 3), "one row each"),
             ((4, 4), (4, 4), "A and B both 4 x 4")]
    for shape_a, shape_b, case in cases:
        # rows of very different lengths, so that a missing normalisation shows
        A = rng.normal(size=shape_a) * rng.uniform(0.2, 5.0, size=(shape_a[0], 1))
        B = rng.normal(size=shape_b) * rng.uniform(0.2, 5.0, size=(shape_b[0], 1))
        expected = _unit_rows(A) @ _unit_rows(B).T
        got = call(student, A, B, inputs=f"A of shape {A.shape}, B of shape {B.shape}")
        compare("the cosine matrix", got, expected, ("row of A", "row of B"), atol=1e-9, case=case, variants={
            "the rows of B are not divided by their length": _unit_rows(A) @ B.T,
            "the rows of A are not divided by their length": A @ _unit_rows(B).T,
            "it is the plain dot product A @ B.T (no normalisation at all)": A @ B.T,
            "it is the Euclidean distance, not the cosine":
                np.linalg.norm(A[:, None, :] - B[None, :, :], axis=-1),
            "it is 1 - cosine (the cosine distance)": 1 - expected,
            "each column is divided by its length (axis=0) instead of each row":
                (A / np.linalg.norm(A, axis=0)) @ (B / np.linalg.norm(B, axis=0)).T,
            "the matrix is transposed (rows of B down, rows of A across)": expected.T})
    return "Your cosine matrix equals the reference on 3 cases (rows of very different lengths, one row each)."


@register("01.4", "parameters of Embedding(10000, 32) vs Dense(32) on one-hot vectors", "predict",
          "Embedding(|V|, d) stores one d-vector per word. Dense(32) on inputs of length 10,000 has a weight from every "
          "input to every unit, and (by default, use_bias=True) one bias per unit.")
def parameter_counts(student) -> str:
    if not isinstance(student, (tuple, list)) or len(student) != 2:
        raise Wrong("give two numbers, (parameters of the Embedding, parameters of the Dense layer), e.g. (123, 456)")
    if any(v is None or v is Ellipsis for v in student):
        raise NotAttempted
    embedding, dense = student
    if embedding == 320_032:
        raise Wrong("the Embedding has no bias: it is just the |V| x d matrix.")
    number("the Embedding's parameter count", embedding, 320_000, rtol=0,
           why="it stores one 32-number vector for each of the 10,000 words.")
    if dense == 320_000:
        raise Wrong("the Dense weights are right, but Dense(32) also has a bias (use_bias=True by default): 32 more.")
    number("the Dense layer's parameter count", dense, 320_032, rtol=0,
           why="10,000 inputs x 32 units of weights, plus one bias per unit.")
    return ("Embedding 320,000 = 10,000 x 32; Dense 320,032 = 10,000 x 32 + 32 biases: the same function up to the "
            "bias, and no saving in parameters.")
