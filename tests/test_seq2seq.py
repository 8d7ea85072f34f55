"""rnnlab.seq2seq: tokens, the fixed split, vocabularies, padding and its mask, decoding loops, scores."""
from __future__ import annotations

import math
import re

import numpy as np
import pytest

from rnnlab import seq2seq as s2s

PAIRS = [(f"Sentence number {i}.", f"第{i}句。") for i in range(200)] + [("Hi.", "嗨。"), ("hi.", "你好。")]


# ------------------------------------------------------------------ tokens
def test_english_is_split_by_word_and_punctuation_in_lower_case():
    assert s2s.tokenize("Tom, I don't know!", "eng") == ["tom", ",", "i", "don't", "know", "!"]


def test_chinese_is_split_by_character_keeping_latin_runs():
    assert s2s.tokenize("我用Twitter。", "cmn") == ["我", "用", "twitter", "。"]
    assert s2s.tokenize("你好？", "cmn") == ["你", "好", "?"]  # full-width ？ becomes ? (NFKC)


def test_french_keeps_elisions_and_accents():
    assert s2s.tokenize("Qu'il   parte à l'école !", "fra") == ["qu'il", "parte", "à", "l'école", "!"]


def test_detokenize_inverts_tokenize_on_normalised_text():
    for text, lang in [("我借给他一盘cd。", "cmn"), ("他是一个 dj 。", "cmn"), ("je suis là !", "fra")]:
        assert s2s.tokenize(s2s.detokenize(s2s.tokenize(text, lang), lang), lang) == s2s.tokenize(text, lang)
    assert s2s.detokenize(["我", "爱", "new", "york", "。"], "cmn") == "我爱new york。"


# ------------------------------------------------------------------ split
def test_split_is_disjoint_and_complete():
    train, val, test = s2s.split_pairs(PAIRS, val_fraction=0.1, test_fraction=0.2, seed=3)
    assert sorted(train + val + test) == sorted(PAIRS)  # every pair once: nothing lost, nothing repeated
    sources = [{" ".join(s2s.tokenize(s, "eng")) for s, _ in part} for part in (train, val, test)]
    assert not (sources[0] & sources[1] or sources[0] & sources[2] or sources[1] & sources[2])
    assert len(test) in (40, 41) and len(val) in (20, 21)  # 201 sentences; "Hi."/"hi." is one with two pairs


def test_same_seed_gives_the_same_split_and_another_seed_another():
    fractions = dict(val_fraction=0.1, test_fraction=0.2)
    a = s2s.split_pairs(PAIRS, **fractions, seed=3)
    assert s2s.split_pairs(list(PAIRS), **fractions, seed=3) == a  # same pairs, same seed: same split
    b = s2s.split_pairs(PAIRS, **fractions, seed=4)  # same fractions, another seed
    assert set(b[2]) != set(a[2]) and set(b[1]) != set(a[1])  # other sentences in test and validation


def test_translations_of_one_sentence_stay_together_and_become_references():
    for part in s2s.split_pairs(PAIRS, seed=0):
        his = [t for s, t in part if s.lower() == "hi."]
        assert his in ([], ["嗨。", "你好。"])
    sources, refs = s2s.group_references([("Hi.", "嗨。"), ("Run.", "跑。"), ("hi.", "你好。")])
    assert sources == ["Hi.", "Run."] and refs == [["嗨。", "你好。"], ["跑。"]]


# ------------------------------------------------------------------ vocabulary and arrays
def test_vocab_reserves_special_ids_and_round_trips():
    sents = [s2s.tokenize(t, "cmn") for _, t in PAIRS]
    vocab = s2s.Vocab.build(sents, min_count=1)
    assert vocab.itos[:4] == list(s2s.SPECIALS) and (s2s.PAD, s2s.START, s2s.END, s2s.UNK) == (0, 1, 2, 3)
    for sent in sents[:20]:
        assert vocab.decode(vocab.encode(sent)) == sent
    assert vocab.encode(["从没见过"]) == [s2s.UNK]
    assert vocab.decode([s2s.START, 5, s2s.PAD, 6, s2s.END, 7]) == [vocab.itos[5], vocab.itos[6]]


def test_vocab_min_count_and_max_size():
    vocab = s2s.Vocab.build([["a", "a", "b"], ["a", "c", "c"]], min_count=2)
    assert vocab.itos[4:] == ["a", "c"]
    assert len(s2s.Vocab.build([["a", "b", "c"]], max_size=5)) == 5


def test_teacher_forcing_arrays_shift_by_one_and_pad_with_zero():
    src_vocab = s2s.Vocab.build([["hi", "."], ["run", "!"]])
    tgt_vocab = s2s.Vocab.build([["嗨", "。"], ["跑", "!"]])
    src, tin, tout = s2s.teacher_forcing_arrays([["hi", "."], ["run"]], [["嗨", "。"], ["跑"]], src_vocab, tgt_vocab)
    assert src.dtype == np.int32 and src.shape == (2, 2) and src[1, 1] == s2s.PAD
    assert tin[:, 0].tolist() == [s2s.START] * 2 and tin.shape == tout.shape == (2, 3)
    assert (tin[:, 1:3] == tout[:, 0:2])[0].all()  # the input is the target shifted right by one
    assert tout[0, 2] == s2s.END and tout[1].tolist() == [tgt_vocab.stoi["跑"], s2s.END, s2s.PAD]


def test_masked_loss_and_accuracy_ignore_padding():
    rng = np.random.default_rng(0)
    y = np.array([[5, 6, s2s.END, s2s.PAD, s2s.PAD], [7, s2s.END, s2s.PAD, s2s.PAD, s2s.PAD]], dtype=np.int32)
    logits = rng.normal(size=(2, 5, 9)).astype("float32")
    loss = float(s2s.masked_loss(y, logits))
    log_p = s2s.log_softmax(logits)
    real = y != s2s.PAD
    expected = -np.mean([log_p[b, t, y[b, t]] for b, t in zip(*np.nonzero(real))])
    assert loss == pytest.approx(expected, rel=1e-5)
    changed = logits.copy()
    changed[~real] = rng.normal(scale=10.0, size=changed[~real].shape)  # anything at the pad positions
    assert float(s2s.masked_loss(y, changed)) == pytest.approx(loss, rel=1e-6)
    perfect = np.where(np.eye(9, dtype=bool)[y], 10.0, 0.0).astype("float32")
    perfect[~real] = np.eye(9)[4] * 10  # wrong at every pad position, yet accuracy stays 1
    assert float(s2s.masked_accuracy(y, perfect)) == pytest.approx(1.0)


# ------------------------------------------------------------------ decoding
VOCAB = 6  # 0 pad, 1 start, 2 end, 3 A, 4 B, 5 C
TABLE = {  # previous token -> next-token probabilities; greedy takes A (.55) and ends at .55 * .34,
    s2s.START: [0, 0, 0.0, 0.55, 0.45, 0.0],  # beam search finds B <end> at .45 * .95
    3: [0, 0, 0.34, 0.0, 0.33, 0.33],
    4: [0, 0, 0.95, 0.05, 0.0, 0.0],
    5: [0, 0, 0.2, 0.4, 0.4, 0.0],
}


def toy_step(tokens, states):
    """A language model whose next-token distribution depends only on the previous token; the state counts steps."""
    probs = np.array([TABLE[int(t)] for t in tokens])
    with np.errstate(divide="ignore"):
        return np.log(probs), [states[0] + 1]


def random_step(seed):
    """A random step function: next-token log-probs depend on the previous token and the state."""
    rng = np.random.default_rng(seed)
    w = rng.normal(size=(12, 12))
    u = rng.normal(size=(3, 12))

    def step(tokens, states):
        logits = 2.0 * w[tokens] + states[0] @ u
        return s2s.log_softmax(logits), [np.tanh(states[0] + logits[:, :3])]

    return step


def test_greedy_decode_takes_the_argmax_and_stops_at_end():
    out = s2s.greedy_decode(toy_step, [np.zeros((2, 1))], max_len=10)
    assert out == [[3], [3]]
    assert s2s.greedy_decode(lambda t, s: (np.log(np.full((len(t), 4), 0.25) + [0, 0, 0, 0.1]), s),
                             [np.zeros((1, 1))], max_len=4) == [[3, 3, 3, 3]]  # never ends: cut at max_len


@pytest.mark.parametrize("seed", range(5))
def test_beam_width_one_equals_greedy(seed):
    step = random_step(seed)
    states = np.random.default_rng(seed).normal(size=(4, 3))
    greedy = s2s.greedy_decode(step, [states], max_len=8)
    for i in range(4):
        assert s2s.beam_search(step, [states[i : i + 1]], beam_width=1, max_len=8) == greedy[i]


def test_beam_search_finds_a_more_probable_sequence_than_greedy():
    start = [np.zeros((1, 1))]
    greedy = s2s.greedy_decode(toy_step, start, max_len=5)[0]
    beam = s2s.beam_search(toy_step, start, beam_width=2, max_len=5)
    assert greedy == [3] and beam == [4]
    p_greedy = s2s.sequence_log_prob(toy_step, start, greedy)
    p_beam = s2s.sequence_log_prob(toy_step, start, beam)
    assert p_greedy == pytest.approx(math.log(0.55 * 0.34)) and p_beam == pytest.approx(math.log(0.45 * 0.95))
    assert p_beam > p_greedy


# ------------------------------------------------------------------ scores
def test_bleu_and_chrf_of_identical_sentences_is_100():
    zh = ["我爱你。", "今天天气很好。", "他是一个学生。"]
    assert s2s.bleu(zh, zh, "cmn") == pytest.approx(100.0)
    assert s2s.chrf(zh, zh, "cmn") == pytest.approx(100.0)
    fr = ["je suis un étudiant .", "il fait beau aujourd'hui ."]
    assert s2s.bleu(fr, fr, "fra") == pytest.approx(100.0)


def test_bleu_uses_every_reference_and_chinese_tokeniser():
    hyps = ["你好。", "我爱你。"]
    assert s2s.bleu(hyps, [["嗨。", "你好。"], ["我爱你。"]], "cmn") == pytest.approx(100.0)
    assert s2s.bleu(["我爱你们。"], ["我爱你。"], "cmn") > 0  # characters are words: partial credit
    assert s2s.bleu(["我爱你们。"], ["我爱你。"], "fra") == 0  # 13a sees one long word


def test_bleu_by_source_length_buckets():
    refs = ["我爱你。", "今天天气很好。", "他是一个学生。"]
    table = s2s.bleu_by_source_length([2, 5, 6], {"a": refs, "b": ["x", "y", "z"]}, refs, "cmn", [1, 4, 8])
    assert table["source_length"].tolist() == ["1-3", "4-7"] and table["sentences"].tolist() == [1, 2]
    assert table["a"].tolist() == pytest.approx([100.0, 100.0]) and table["b"].tolist() == [0.0, 0.0]


def test_distinct_fraction():
    assert s2s.distinct_fraction(["我。"] * 4) == 0.25
    assert s2s.distinct_fraction([[1, 2], [1, 3], [1, 2]]) == pytest.approx(2 / 3)


# ------------------------------------------------------------------ bad arguments
def named(*arguments):
    """A ``match`` pattern: the message names every one of ``arguments`` as a whole word."""
    return "".join(rf"(?=.*\b{re.escape(a)}\b)" for a in arguments)


def unnamed(reason):
    """The message does not name the argument yet (the ValueError is raised, the match fails)."""
    return pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)


def case(call, *arguments, gap=None):
    """One row of the table below: its id names the function (``s2s.<name>``) and the arguments."""
    marks = [unnamed(gap)] if gap else []
    return pytest.param(call, arguments, marks=marks, id=f"{call.__code__.co_names[1]}-{'+'.join(arguments)}")


def wrong_shape_step(tokens, states):
    return np.zeros((len(tokens) + 1, VOCAB)), states


@pytest.mark.parametrize(
    "call, arguments",
    [
        case(lambda: s2s.tokenize("hi", "deu"), "lang"),
        case(lambda: s2s.tokenize(3, "eng"), "text"),
        case(lambda: s2s.detokenize(["hi"], "deu"), "lang"),
        case(lambda: s2s.split_pairs(PAIRS, test_fraction=1.5), "test_fraction"),
        case(lambda: s2s.split_pairs(PAIRS, val_fraction=0), "val_fraction"),
        case(lambda: s2s.split_pairs(PAIRS, val_fraction=0.5, test_fraction=0.5), "val_fraction", "test_fraction"),
        case(lambda: s2s.split_pairs([("a", "b")]), "pairs"),
        case(lambda: s2s.split_pairs(PAIRS + [("only English",)]), "pairs"),
        case(lambda: s2s.split_pairs([("a", "x"), ("b", "y"), ("c", "z")], val_fraction=0.4, test_fraction=0.5),
             "val_fraction", "test_fraction"),
        case(lambda: s2s.Vocab.build([["a"]], min_count=0), "min_count"),
        case(lambda: s2s.Vocab.build([["a"]], max_size=3), "max_size"),
        case(lambda: s2s.Vocab(["a", "b"]), "tokens"),
        case(lambda: s2s.Vocab([*s2s.SPECIALS, "a", "a"]), "tokens"),
        case(lambda: s2s.Vocab.build([["a"]]).decode([99]), "ids"),
        case(lambda: s2s.pad([[1, 2, 3]], length=2), "length"),
        case(lambda: s2s.teacher_forcing_arrays([["a"]], [], s2s.Vocab.build([]), s2s.Vocab.build([])),
             "source_tokens", "target_tokens"),
        case(lambda: s2s.greedy_decode(toy_step, [np.zeros((1, 1))], max_len=0), "max_len"),
        case(lambda: s2s.greedy_decode(toy_step, [], max_len=3), "states"),
        case(lambda: s2s.greedy_decode(toy_step, [np.zeros((2, 1)), np.zeros((3, 1))], max_len=3), "states"),
        case(lambda: s2s.greedy_decode(wrong_shape_step, [np.zeros((2, 1))], max_len=3), "step"),
        case(lambda: s2s.beam_search(toy_step, [np.zeros((1, 1))], beam_width=0, max_len=3), "beam_width"),
        case(lambda: s2s.beam_search(toy_step, [np.zeros((1, 1))], beam_width=2, max_len=0), "max_len"),
        case(lambda: s2s.beam_search(toy_step, [np.zeros((2, 1))], beam_width=2, max_len=3), "states"),
        case(lambda: s2s.beam_search(toy_step, [np.zeros((1, 1))], beam_width=2, max_len=3, length_penalty=-1),
             "length_penalty"),
        case(lambda: s2s.sequence_log_prob(toy_step, [np.zeros((2, 1))], [3]), "states"),
        case(lambda: s2s.sequence_log_prob(wrong_shape_step, [np.zeros((1, 1))], [3]), "step"),
        case(lambda: s2s.bleu(["a"], ["a", "b"], "cmn"), "references"),
        case(lambda: s2s.bleu([], [], "cmn"), "hypotheses"),
        case(lambda: s2s.bleu("a", ["a"], "cmn"), "hypotheses"),
        case(lambda: s2s.bleu(["a"], [[]], "cmn"), "references"),
        case(lambda: s2s.bleu(["a"], ["a"], "zh"), "lang"),
        case(lambda: s2s.chrf(["a"], ["a", "b"], "fra"), "references"),
        case(lambda: s2s.chrf(["a"], ["a"], "zh"), "lang"),
        case(lambda: s2s.bleu_by_source_length([1], {"a": ["x"]}, ["x"], "cmn", [3, 1]), "edges"),
        case(lambda: s2s.bleu_by_source_length([1, 2], {"a": ["x"]}, ["x", "y"], "cmn", [1, 3]), "systems"),
        case(lambda: s2s.distinct_fraction([]), "outputs"),
    ],
)
def test_bad_arguments_raise_value_error_naming_them(call, arguments):
    with pytest.raises(ValueError, match=named(*arguments)):
        call()
