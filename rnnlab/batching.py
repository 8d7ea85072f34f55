"""Length bucketing（按长度分桶）: batches of rows of similar length, each cut to its own longest row.

A batch padded to the longest sentence of the whole data set pays for every pad position; a batch
of similar lengths cut to its own longest row pays for almost none. Used by notebooks 05 (masked
models) and 08 (training). The rows must be padded at the back (id 0 after the real tokens).
"""
from __future__ import annotations

import numpy as np

from rnnlab import arguments


def row_lengths(x) -> np.ndarray:
    """Real length of each back-padded row: the position after its last non-zero id."""
    x = arguments.array("x", x, (None, None), expected="a 2-D array of back-padded ids")
    nonzero = x != 0
    return np.where(nonzero.any(axis=1), x.shape[1] - np.argmax(nonzero[:, ::-1], axis=1), 0)


def length_batches(lengths, batch_size: int, *, seed: int | None = None, pool: int = 50) -> list[np.ndarray]:
    """Row indices in batches of similar length, every row exactly once.

    With a seed (training): shuffle, sort by length within pools of ``pool`` batches, cut into
    batches, shuffle the batches, so every epoch sees a new order and no batch is all one length
    class by design. Without a seed (evaluation): sorted by length, in order.
    """
    lengths = np.asarray(lengths)
    if lengths.ndim != 1 or len(lengths) == 0:
        raise ValueError(f"lengths must be a non-empty 1-D array, got shape {lengths.shape}")
    batch_size = arguments.integer("batch_size", batch_size, 1)
    pool = arguments.integer("pool", pool, 1)
    if seed is None:
        order = np.argsort(lengths, kind="stable")
        return [order[i : i + batch_size] for i in range(0, len(order), batch_size)]
    rng = np.random.default_rng(seed)
    shuffled = rng.permutation(len(lengths))
    batches = []
    for i in range(0, len(shuffled), batch_size * pool):
        chunk = shuffled[i : i + batch_size * pool]
        chunk = chunk[np.argsort(lengths[chunk], kind="stable")]
        batches += [chunk[j : j + batch_size] for j in range(0, len(chunk), batch_size)]
    return [batches[k] for k in rng.permutation(len(batches))]


def padding_share(lengths, batches=None, *, width: int | None = None) -> float:
    """Share of the computed positions that are padding.

    Either each batch (index arrays) is cut to its longest row, or all rows are padded to ``width``.
    """
    lengths = np.asarray(lengths)
    if (batches is None) == (width is None):
        raise ValueError("give either batches (each cut to its longest row) or width (all rows padded to it)")
    computed = (len(lengths) * width if width is not None
                else sum(len(b) * int(lengths[b].max()) for b in batches))
    return 1.0 - float(lengths.sum()) / computed


def bucketed_dataset(inputs, target, lengths, batch_size: int, *, seed: int | None = None):
    """A ``tf.data.Dataset`` of length-bucketed batches for ``model.fit`` / ``evaluate``.

    ``inputs``: one array or a tuple of arrays (rows back-padded), ``target``: one array; every 2-D
    array is cut to the batch's longest row of its own. ``lengths`` orders the rows (e.g. target
    lengths). With a seed the batches are drawn anew every epoch (seed, seed + 1, ...).
    """
    import tensorflow as tf

    single = not isinstance(inputs, (tuple, list))
    arrays = [np.asarray(a) for a in ([inputs] if single else inputs)] + [np.asarray(target)]
    n = len(np.asarray(lengths))
    if any(len(a) != n for a in arrays):
        raise ValueError(f"inputs, target and lengths must have the same number of rows, "
                         f"got {[len(a) for a in arrays]} and {n}")
    widths = [row_lengths(a) if a.ndim == 2 else None for a in arrays]
    epoch = [0]

    def cut(a, w, rows):
        return a[rows] if w is None else a[rows, : max(int(w[rows].max()), 1)]

    def generate():
        rows_list = length_batches(lengths, batch_size, seed=None if seed is None else seed + epoch[0])
        epoch[0] += 1
        for rows in rows_list:
            parts = [cut(a, w, rows) for a, w in zip(arrays, widths)]
            x = parts[0] if single else tuple(parts[:-1])
            yield x, parts[-1]

    def spec(a):
        return tf.TensorSpec((None,) * a.ndim, tf.as_dtype(a.dtype))

    x_spec = spec(arrays[0]) if single else tuple(spec(a) for a in arrays[:-1])
    dataset = tf.data.Dataset.from_generator(generate, output_signature=(x_spec, spec(arrays[-1])))
    n_batches = -(-n // batch_size)  # every draw has this many batches; Keras then knows the epoch's length
    return dataset.apply(tf.data.experimental.assert_cardinality(n_batches)).prefetch(2)
