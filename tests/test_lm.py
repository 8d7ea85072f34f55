"""rnnlab.lm: perplexity, the smoothed n-gram baseline and the sampling distribution of notebook 09."""
import numpy as np
import pytest

from rnnlab.lm import NGram, perplexity, sampling_probs


def test_a_uniform_model_has_perplexity_v():
    assert perplexity(np.full(10, -np.log(50))) == pytest.approx(50)
    assert perplexity([0.0, 0.0]) == pytest.approx(1)


@pytest.mark.parametrize("bad", [[], [0.5], [-np.inf], [[-1.0]]])
def test_perplexity_rejects_what_are_not_log_probabilities(bad):
    with pytest.raises(ValueError, match="log_probs"):
        perplexity(bad)


def test_ngram_distributions_sum_to_one_and_follow_the_formula():
    seqs = [[4, 5, 6, 4, 5], [5, 5, 4], [6]]
    V, k = 8, 2.0
    for order in (1, 2, 3):
        model = NGram(order, V, k=k).fit(seqs)
        for history in ([], [4], [4, 5], [7, 7]):
            assert sum(model.prob(history, c) for c in range(V)) == pytest.approx(1)
    uni = NGram(1, V, k=k).fit(seqs)
    assert uni.prob([], 5) == pytest.approx((4 + k / V) / (9 + k))   # count(5) = 4 of N = 9 characters
    bi = NGram(2, V, k=k).fit(seqs)
    assert bi.prob([4], 5) == pytest.approx((2 + k * uni.prob([], 5)) / (2 + k))  # 4 is followed twice, by 5 both times
    assert bi.prob([7], 5) == pytest.approx(uni.prob([], 5))                      # unseen context: the unigram


def test_ngram_log_probs_read_each_sequence_from_its_start():
    model = NGram(2, 6, k=1.0, start_id=1).fit([[2, 3]])
    lp = model.log_probs([[2, 3]])
    assert lp == pytest.approx(np.log([model.prob([], 2), model.prob([2], 3)]))
    assert model.prob([], 2) > model.prob([], 3)    # after <start>, 2 was seen, 3 was not


@pytest.mark.parametrize("kwargs, match", [(dict(order=0), "order"), (dict(k=0), "k must be"),
                                           (dict(vocab_size=1), "vocab_size")])
def test_ngram_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        NGram(**(dict(order=2, vocab_size=5) | kwargs))


def test_sampling_probs_temperature_and_top_k():
    z = np.array([2.0, 1.0, 0.0, -1.0])
    p1 = sampling_probs(z)
    assert p1 == pytest.approx(np.exp(z) / np.exp(z).sum())
    assert sampling_probs(z, 0.01)[0] == pytest.approx(1)                      # T → 0: greedy
    assert np.ptp(sampling_probs(z, 1000)) < 1e-3                              # T → ∞: uniform
    assert sampling_probs(z, 0.5) == pytest.approx(p1 ** 2 / (p1 ** 2).sum())  # p^(1/T), renormalised
    top2 = sampling_probs(np.stack([z, z[::-1]]), 1.0, top_k=2)
    assert top2[0, 2:].sum() == 0 and top2[1, :2].sum() == 0 and top2.sum(axis=1) == pytest.approx([1, 1])
    assert np.isfinite(sampling_probs(z + 1000)).all()                        # no overflow


@pytest.mark.parametrize("kwargs, match", [(dict(temperature=0), "temperature"), (dict(top_k=5), "top_k"),
                                           (dict(top_k=0), "top_k")])
def test_sampling_probs_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        sampling_probs(np.zeros(4), **kwargs)
