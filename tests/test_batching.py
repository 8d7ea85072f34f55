"""Length bucketing: every row exactly once, little padding left, and the batches a model sees are the rows."""
import numpy as np
import pytest

from rnnlab import batching


def back_padded(lengths, width, seed=0):
    rng = np.random.default_rng(seed)
    x = np.zeros((len(lengths), width), dtype="int32")
    for i, n in enumerate(lengths):
        x[i, :n] = rng.integers(1, 50, size=n)
    return x


def test_row_lengths_is_the_position_after_the_last_real_id():
    x = np.array([[5, 6, 0, 0], [7, 0, 3, 0], [0, 0, 0, 0], [1, 2, 3, 4]])
    assert batching.row_lengths(x).tolist() == [2, 3, 0, 4]


@pytest.mark.parametrize("seed", [None, 0, 1])
def test_every_row_lands_in_exactly_one_batch(seed):
    lengths = np.random.default_rng(3).integers(1, 30, size=1001)
    batches = batching.length_batches(lengths, 32, seed=seed, pool=4)
    assert sorted(np.concatenate(batches).tolist()) == list(range(1001))
    assert all(1 <= len(b) <= 32 for b in batches)


def test_seeded_batches_are_shuffled_and_reproducible_and_unseeded_ones_sorted():
    lengths = np.random.default_rng(3).integers(1, 30, size=500)
    a = batching.length_batches(lengths, 16, seed=0)
    assert all(np.array_equal(x, y) for x, y in zip(a, batching.length_batches(lengths, 16, seed=0)))
    assert any(not np.array_equal(x, y) for x, y in zip(a, batching.length_batches(lengths, 16, seed=1)))
    firsts = [int(lengths[b].min()) for b in a]
    assert firsts != sorted(firsts)  # batch order is shuffled, not short-to-long
    ordered = np.concatenate(batching.length_batches(lengths, 16))
    assert np.all(np.diff(lengths[ordered]) >= 0)


def test_bucketing_leaves_far_less_padding_than_one_width():
    lengths = np.random.default_rng(0).integers(1, 200, size=4000)
    padded = batching.padding_share(lengths, width=200)
    bucketed = batching.padding_share(lengths, batching.length_batches(lengths, 64, seed=0))
    assert padded > 0.45 and bucketed < 0.05


def test_padding_share_by_hand_and_bad_arguments():
    lengths = np.array([1, 3, 2, 2])
    assert batching.padding_share(lengths, [np.array([0, 1]), np.array([2, 3])]) == pytest.approx(1 - 8 / 10)
    assert batching.padding_share(lengths, width=4) == pytest.approx(1 - 8 / 16)
    with pytest.raises(ValueError, match="either batches"):
        batching.padding_share(lengths)
    with pytest.raises(ValueError, match="batch_size"):
        batching.length_batches(lengths, 0)
    with pytest.raises(ValueError, match="non-empty 1-D"):
        batching.length_batches(np.zeros((2, 2)), 4)


def test_the_dataset_gives_every_row_once_cut_to_its_batch_and_redraws_each_epoch():
    lengths = np.random.default_rng(1).integers(1, 12, size=203)
    x = back_padded(lengths, 15)
    y_in = back_padded(lengths + 1, 15, seed=1)
    labels = np.arange(203)
    ds = batching.bucketed_dataset((x, y_in), labels, lengths, 16, seed=0)
    assert int(ds.cardinality()) == 13
    epochs = []
    for _ in range(2):
        seen = []
        for (xb, yb), lb in ds:
            xb, yb, lb = xb.numpy(), yb.numpy(), lb.numpy()
            assert xb.shape[1] == lengths[lb].max() and yb.shape[1] == lengths[lb].max() + 1
            assert np.array_equal(xb, x[lb, : xb.shape[1]]) and np.array_equal(yb, y_in[lb, : yb.shape[1]])
            seen.append(lb)
        assert sorted(np.concatenate(seen).tolist()) == list(range(203))
        epochs.append([b.tolist() for b in seen])
    assert epochs[0] != epochs[1]


def test_the_dataset_rejects_arrays_of_different_lengths():
    with pytest.raises(ValueError, match="same number of rows"):
        batching.bucketed_dataset(np.ones((4, 3)), np.ones(5), np.ones(4), 2)
