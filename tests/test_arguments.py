"""Every argument rnnlab's public functions check: one bad value raises a ValueError that names the argument.

One table row per (function, keyword arguments with exactly one bad value, the argument's name). Rows
marked xfail(strict=True) are known gaps: a bad value that is accepted (``True`` taken as the integer 1),
fails with another exception, or gets a message that does not name the argument. When rnnlab closes a
gap the row passes, strict xfail turns that into a failure, and the mark is to be removed.
"""
from __future__ import annotations

import re

import numpy as np
import pytest

from rnnlab import arguments, cells, config, data, dynamics
from rnnlab import seq2seq as s2s
from rnnlab.training import EpochLog


@pytest.fixture(autouse=True)
def offline(isolated_dirs, monkeypatch):
    """A bad value that load_imdb accepts ends in DatasetNotFoundError (empty data folder), never a download."""
    monkeypatch.setenv("RNNLAB_OFFLINE", "1")


def _short(value) -> str:
    if isinstance(value, np.ndarray):
        return f"array{value.shape}"
    if isinstance(value, list) and any(isinstance(v, np.ndarray) for v in value):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    text = repr(value)
    return text if len(text) <= 24 else text[:21] + "..."


def row(func, kwargs, argument, *, label=None, gap=None, raises=None):
    """One case; ``gap`` (with the exception the gap shows up as) marks it xfail(strict=True)."""
    name = getattr(func, "__qualname__", getattr(func, "__name__", repr(func)))
    shown = label or _short(kwargs.get(argument, "<missing>"))
    marks = [pytest.mark.xfail(strict=True, raises=raises, reason=gap)] if gap else []
    return pytest.param(func, kwargs, argument, marks=marks, id=f"{name}-{argument}={shown}")


def bad(func, base, argument, value, **kw):
    """``func(**base)`` is valid; this row replaces ``argument`` by ``value``."""
    return row(func, {**base, argument: value}, argument, **kw)


# ------------------------------------------------------------------ cells
X = np.zeros((2, 3, 4))
RNN = dict(x=X, kernel=np.zeros((4, 5)), recurrent_kernel=np.zeros((5, 5)), bias=np.zeros(5))
LSTM = dict(x=X, kernel=np.zeros((4, 20)), recurrent_kernel=np.zeros((5, 20)), bias=np.zeros(20))
GRU = dict(x=X, kernel=np.zeros((4, 15)), recurrent_kernel=np.zeros((5, 15)), bias=np.zeros((2, 15)))
GRU_TEXTBOOK = GRU | dict(bias=np.zeros(15), reset_after=False)
STEP = dict(x_t=X[:, 0], h_prev=np.zeros((2, 5)), kernel=RNN["kernel"], recurrent_kernel=RNN["recurrent_kernel"],
            bias=RNN["bias"])
BPTT = RNN | dict(dL_dhs=np.zeros((2, 3, 5)))


def shape_rows(func, base, gates):
    u = 5
    return [
        bad(func, base, "x", np.zeros((3, 4))),
        bad(func, base, "x", [[["a"]]]),
        bad(func, base, "kernel", np.zeros((3, gates * u))),
        bad(func, base, "kernel", np.zeros(gates * u)),
        bad(func, base, "recurrent_kernel", np.zeros((u, gates * u - 1))),
        bad(func, base, "h0", np.zeros((3, u))),
    ]


CELLS = [
    bad(cells.simple_rnn_step, STEP, "activation", "sigmoid"),
    *shape_rows(cells.simple_rnn_forward, RNN, 1),
    bad(cells.simple_rnn_forward, RNN, "bias", np.zeros(4)),
    bad(cells.simple_rnn_forward, RNN, "activation", "sigmoid"),
    *shape_rows(cells.simple_rnn_bptt, BPTT, 1),
    bad(cells.simple_rnn_bptt, BPTT, "bias", np.zeros((5, 1))),
    bad(cells.simple_rnn_bptt, BPTT, "activation", "softplus"),
    bad(cells.simple_rnn_bptt, BPTT, "dL_dhs", np.zeros((2, 3, 4))),
    *shape_rows(cells.lstm_forward, LSTM, 4),
    bad(cells.lstm_forward, LSTM, "kernel", np.zeros((4, 18))),  # not 4 * units
    bad(cells.lstm_forward, LSTM, "bias", np.zeros(15)),
    bad(cells.lstm_forward, LSTM, "c0", np.zeros(5)),
    *shape_rows(cells.gru_forward, GRU, 3),
    bad(cells.gru_forward, GRU, "bias", np.zeros(15)),  # reset_after=True wants (2, 3 * units)
    bad(cells.gru_forward, GRU_TEXTBOOK, "bias", np.zeros((2, 15))),  # reset_after=False wants (3 * units,)
]

# ------------------------------------------------------------------ dynamics
TRAJ = dict(x0=[1.0, 1.0, 1.0], n_steps=5, dt=0.01)
LYAP = dict(n_pairs=2, t_total=2.0)
VPT = dict(truth=np.arange(30.0).reshape(10, 3), pred=np.zeros((10, 3)), dt=0.01)
RMSE = dict(truth=np.arange(30.0).reshape(10, 3), pred=np.zeros((10, 3)))
AGREE = dict(x0=[1.0, 1.0, 1.0], n_steps=5, dt=0.01)

DYNAMICS = [
    bad(dynamics.lorenz_trajectory, TRAJ, "x0", [1.0, 1.0]),
    bad(dynamics.lorenz_trajectory, TRAJ, "x0", [1.0, np.inf, 1.0]),
    bad(dynamics.lorenz_trajectory, TRAJ, "n_steps", 0),
    bad(dynamics.lorenz_trajectory, TRAJ, "n_steps", 2.0),
    bad(dynamics.lorenz_trajectory, TRAJ, "n_steps", True),
    bad(dynamics.lorenz_trajectory, TRAJ, "dt", -0.01),
    bad(dynamics.lorenz_trajectory, TRAJ, "rtol", 0.1),
    bad(dynamics.lorenz_trajectory, TRAJ, "atol", 0.0),
    bad(dynamics.lorenz_trajectory, TRAJ, "method", "Euler"),
    bad(dynamics.points_on_attractor, dict(n=2), "n", 0),
    bad(dynamics.points_on_attractor, dict(n=2), "n", True),
    bad(dynamics.points_on_attractor, dict(n=2), "t_transient", 0.0),
    bad(dynamics.lyapunov_exponent, LYAP, "x0", [1.0, 1.0]),
    bad(dynamics.lyapunov_exponent, LYAP, "n_pairs", 0),
    bad(dynamics.lyapunov_exponent, LYAP, "n_pairs", True),
    bad(dynamics.lyapunov_exponent, LYAP, "t_total", 0.5),
    bad(dynamics.lyapunov_exponent, LYAP, "renorm_every", 0.0),
    bad(dynamics.lyapunov_exponent, LYAP, "d0", 0.1),
    bad(dynamics.lyapunov_exponent, LYAP, "t_transient", -1.0),
    bad(dynamics.lyapunov_exponent, LYAP, "rtol", 0.1),
    bad(dynamics.lyapunov_exponent, LYAP, "atol", 0.1),
    bad(dynamics.lyapunov_time, {}, "exponent", 0.0),
    bad(dynamics.normalised_rmse, RMSE, "truth", np.zeros((0, 3))),
    bad(dynamics.normalised_rmse, RMSE, "pred", np.zeros((9, 3))),
    bad(dynamics.normalised_rmse, RMSE, "std", [1.0, 0.0, 1.0]),
    bad(dynamics.valid_prediction_time, VPT, "truth", np.zeros((10, 3, 1))),
    bad(dynamics.valid_prediction_time, VPT, "pred", np.zeros((5, 3))),
    bad(dynamics.valid_prediction_time, VPT, "dt", 0),
    bad(dynamics.valid_prediction_time, VPT, "lyapunov_exponent", -1.0),
    bad(dynamics.valid_prediction_time, VPT, "threshold", 0.0),
    bad(dynamics.valid_prediction_time, VPT, "std", -1.0),
    bad(dynamics.integrator_agreement_lt, AGREE, "x0", [[1.0, 1.0]]),
    bad(dynamics.integrator_agreement_lt, AGREE, "n_steps", 0),
    bad(dynamics.integrator_agreement_lt, AGREE, "n_steps", True),
    bad(dynamics.integrator_agreement_lt, AGREE, "dt", 0.0),
    bad(dynamics.integrator_agreement_lt, AGREE, "rtol", 0.1),
    bad(dynamics.integrator_agreement_lt, AGREE, "reference_rtol", 1e-9),
    bad(dynamics.integrator_agreement_lt, AGREE, "threshold", -0.4),
    bad(dynamics.integrator_agreement_lt, AGREE, "method", "Euler"),
]

# ------------------------------------------------------------------ seq2seq
PAIRS = [(f"Sentence {i}.", f"第{i}句。") for i in range(30)]
VOCAB = s2s.Vocab.build([["a"]])


def uniform_step(tokens, states):
    return np.log(np.full((len(tokens), 6), 1 / 6)), states


def wrong_shape_step(tokens, states):
    return np.zeros((len(tokens) + 1, 6)), states


ONE = [np.zeros((1, 2))]
GREEDY = dict(step=uniform_step, states=[np.zeros((2, 2))], max_len=3)
BEAM = dict(step=uniform_step, states=ONE, beam_width=2, max_len=3)
SEQ = dict(step=uniform_step, states=ONE, ids=[3, 4])
SCORE = dict(hypotheses=["a b"], references=["a b"], lang="fra")
BUCKETS = dict(source_lengths=[1, 2], systems={"s": ["a", "b"]}, references=["a", "b"], lang="fra", edges=[1, 3])
SPLIT = dict(pairs=PAIRS)
TF = dict(source_tokens=[["a"]], target_tokens=[["b"]], source_vocab=VOCAB, target_vocab=VOCAB)

SEQ2SEQ = [
    bad(s2s.tokenize, dict(text="hi", lang="eng"), "text", b"hi"),
    bad(s2s.tokenize, dict(text="hi", lang="eng"), "lang", "deu"),
    bad(s2s.detokenize, dict(tokens=["hi"], lang="eng"), "lang", "en"),
    bad(s2s.split_pairs, SPLIT, "pairs", PAIRS[:2]),
    bad(s2s.split_pairs, SPLIT, "pairs", PAIRS + [("only English",)]),
    bad(s2s.split_pairs, SPLIT, "val_fraction", 0.0),
    bad(s2s.split_pairs, SPLIT, "test_fraction", 1.0),
    bad(s2s.Vocab, dict(tokens=list(s2s.SPECIALS)), "tokens", ["a", "b"]),
    bad(s2s.Vocab.build, dict(sentences=[["a"]]), "min_count", 0),
    bad(s2s.Vocab.build, dict(sentences=[["a"]]), "min_count", True),
    bad(s2s.Vocab.build, dict(sentences=[["a"]]), "max_size", 4),
    bad(s2s.Vocab.build, dict(sentences=[["a"]]), "max_size", True),
    bad(VOCAB.decode, {}, "ids", [99]),
    bad(s2s.pad, dict(sequences=[[5]]), "length", 0),
    bad(s2s.pad, dict(sequences=[[5]]), "length", True),
    bad(s2s.teacher_forcing_arrays, TF, "target_tokens", [["b"], ["c"]]),
    bad(s2s.greedy_decode, GREEDY, "step", wrong_shape_step),
    bad(s2s.greedy_decode, GREEDY, "states", []),
    bad(s2s.greedy_decode, GREEDY, "states", [np.zeros((2, 2)), np.zeros((3, 2))]),
    bad(s2s.greedy_decode, GREEDY, "max_len", 0),
    bad(s2s.greedy_decode, GREEDY, "max_len", True),
    bad(s2s.beam_search, BEAM, "step", wrong_shape_step),
    bad(s2s.beam_search, BEAM, "states", [np.zeros((2, 2))]),
    bad(s2s.beam_search, BEAM, "beam_width", 0),
    bad(s2s.beam_search, BEAM, "beam_width", True),
    bad(s2s.beam_search, BEAM, "max_len", 0),
    bad(s2s.beam_search, BEAM, "max_len", True),
    bad(s2s.beam_search, BEAM, "length_penalty", 2.5),
    bad(s2s.sequence_log_prob, SEQ, "step", wrong_shape_step),
    bad(s2s.sequence_log_prob, SEQ, "states", [np.zeros((2, 2))]),
    bad(s2s.sequence_log_prob, SEQ, "ids", [99]),
    bad(s2s.sequence_log_prob, SEQ, "ids", [3, -1]),
    bad(s2s.sequence_log_prob, SEQ, "ids", [3.0]),
    bad(s2s.sequence_log_prob, SEQ, "ids", [True]),
    bad(s2s.bleu, SCORE, "hypotheses", "a b"),
    bad(s2s.bleu, SCORE, "hypotheses", []),
    bad(s2s.bleu, SCORE, "references", ["a b", "c"]),
    bad(s2s.bleu, SCORE, "references", [[]]),
    bad(s2s.bleu, SCORE, "lang", "fr"),
    bad(s2s.chrf, SCORE, "hypotheses", [1]),
    bad(s2s.chrf, SCORE, "references", []),
    bad(s2s.chrf, SCORE, "lang", "fr"),
    bad(s2s.bleu_by_source_length, BUCKETS, "edges", [3, 1]),
    bad(s2s.bleu_by_source_length, BUCKETS, "systems", {"s": ["a"]}),
    bad(s2s.bleu_by_source_length, BUCKETS, "references", ["a"]),
    bad(s2s.bleu_by_source_length, BUCKETS, "lang", "fr"),
    bad(s2s.bleu_by_source_length, BUCKETS | dict(edges=[5, 9]), "lang", "fr", label="'fr',edges=[5,9]"),
    bad(s2s.distinct_fraction, {}, "outputs", []),
]

# ------------------------------------------------------------------ data, config, training
SERIES = dict(series=np.arange(10.0), look_back=3)
IMDB = dict(num_words=100, maxlen=20)
SIZES = dict(quick={"epochs": 1}, standard={"epochs": 5}, full={"epochs": 20})

TASK = dict(n=4, T=5, rng=np.random.default_rng(0))

OTHERS = [
    bad(data.first_symbol_task, TASK, "n", 0),
    bad(data.first_symbol_task, TASK, "T", True),
    bad(data.first_symbol_task, TASK, "n_symbols", 1),
    bad(data.first_symbol_task, TASK, "rng", 3),
    bad(data.windows, SERIES, "series", np.zeros((10, 2, 1))),
    bad(data.windows, SERIES, "look_back", 0),
    bad(data.windows, SERIES, "look_back", 10),
    bad(data.windows, SERIES, "look_back", 3.0),
    bad(data.windows, SERIES, "look_back", True),
    bad(data.windows, SERIES, "horizon", 0),
    bad(data.windows, SERIES, "horizon", 8),
    bad(data.windows, SERIES, "horizon", True),
    bad(data.load_imdb, IMDB, "num_words", 2),
    bad(data.load_imdb, IMDB, "num_words", True),
    bad(data.load_imdb, IMDB, "maxlen", 0),
    bad(data.load_imdb, IMDB, "maxlen", True),
    bad(data.load_imdb, IMDB, "maxlen", np.True_),
    bad(data.load_imdb, IMDB, "source", "csv"),
    bad(data.load_imdb, IMDB, "padding", "both"),
    bad(data.load_imdb, IMDB, "truncating", "middle"),
    row(config.profile, dict(quick=SIZES["quick"], standard=SIZES["standard"]), "full"),
    bad(config.profile, SIZES, "quick", {"steps": 1}),
    bad(config.profile, SIZES, "standard", {"steps": 5}),
    bad(config.profile, SIZES, "full", {"epochs": 20, "steps": 9}),
    row(config.profile, SIZES | dict(fast={"epochs": 1}), "fast"),  # unknown profile name
    bad(EpochLog, {}, "name", 3),
    bad(EpochLog, {}, "every_s", -1.0),
    bad(EpochLog, {}, "every_s", "10"),
    bad(EpochLog, {}, "every_s", True),
]


@pytest.mark.parametrize("func, kwargs, argument", CELLS + DYNAMICS + SEQ2SEQ + OTHERS)
def test_a_bad_value_raises_value_error_naming_its_argument(func, kwargs, argument):
    with pytest.raises(ValueError, match=rf"\b{re.escape(argument)}\b"):
        func(**kwargs)


def test_every_base_case_is_valid():
    """The table's rows differ from these calls in one value only, so that value is what they reject."""
    cells.simple_rnn_step(**STEP)
    for func, base in [(cells.simple_rnn_forward, RNN), (cells.simple_rnn_bptt, BPTT), (cells.lstm_forward, LSTM),
                       (cells.gru_forward, GRU), (cells.gru_forward, GRU_TEXTBOOK)]:
        func(**base)
    dynamics.lorenz_trajectory(**TRAJ)
    dynamics.points_on_attractor(n=2)
    dynamics.lyapunov_exponent(**LYAP)
    dynamics.lyapunov_time()
    dynamics.normalised_rmse(**RMSE)
    dynamics.valid_prediction_time(**VPT)
    dynamics.integrator_agreement_lt(**AGREE)
    s2s.tokenize("hi", "eng"), s2s.detokenize(["hi"], "eng"), s2s.split_pairs(**SPLIT)
    s2s.Vocab(list(s2s.SPECIALS)), s2s.Vocab.build([["a"]]), VOCAB.decode([4]), s2s.pad([[5]])
    s2s.teacher_forcing_arrays(**TF)
    s2s.greedy_decode(**GREEDY), s2s.beam_search(**BEAM), s2s.sequence_log_prob(**SEQ)
    s2s.bleu(**SCORE), s2s.chrf(**SCORE), s2s.bleu_by_source_length(**BUCKETS), s2s.distinct_fraction(["a"])
    data.windows(**SERIES)
    with pytest.raises(data.DatasetNotFoundError):  # past the checks, it looks for the data (offline: none)
        data.load_imdb(**IMDB)
    config.profile(**SIZES)
    EpochLog()


# ------------------------------------------------------------------ the rules themselves (rnnlab.arguments)
A = arguments


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: A.integer("n", True, 1), "n must be an integer >= 1, got True"),
        (lambda: A.integer("n", np.True_), "n must be an integer, got np.True_"),
        (lambda: A.integer("n", 2.0, 1), "n must be an integer >= 1, got 2.0"),
        (lambda: A.integer("n", 0, 1, 9), "n must be an integer in [1, 9], got 0"),
        (lambda: A.integer("n", 10, maximum=9, note="(per batch)"), "n must be an integer <= 9 (per batch), got 10"),
        (lambda: A.integers("ids", [3, -1], 0), "ids must be integers >= 0, got -1 at position 1"),
        (lambda: A.number("dt", True, 0, low_open=True), "dt must be a finite number > 0, got True"),
        (lambda: A.number("dt", "1"), "dt must be a finite number, got '1'"),
        (lambda: A.number("dt", np.inf), "dt must be a finite number, got inf"),
        (lambda: A.number("dt", np.nan, finite=False), "dt must be a number, got nan"),
        (lambda: A.number("p", 1.0, 0, 1, low_open=True, high_open=True),
         "p must be a finite number in (0, 1), got 1.0"),
        (lambda: A.number("p", 0.5, high=0.5, high_open=True), "p must be a finite number < 0.5, got 0.5"),
        (lambda: A.choice("lang", "fr", ("eng", "fra")), "lang must be one of eng, fra, got 'fr'"),
        (lambda: A.choice("lang", np.array(["a", "b"]), ("a",)), "lang must be one of a, got array"),
        (lambda: A.array("x", [[1.0]], (None,), expected="(n,)"), "x must be an array of shape (n,), got shape (1, 1)"),
        (lambda: A.array("x", [["a"]], (None, None), expected="(n, m)"),
         "x must be a numeric array of shape (n, m), got list"),
        (lambda: A.array("x", [np.nan], (1,), expected="(1,)", finite=True),
         "x must be a finite array of shape (1,), got [nan]"),
    ],
)
def test_argument_rules_and_messages(call, message):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value).startswith(message)


def test_argument_rules_return_plain_values():
    assert A.integer("n", np.int32(3), 1) == 3 and type(A.integer("n", np.int64(3))) is int
    assert A.integers("ids", np.array([1, 2], dtype=np.int32), 0, 2) == [1, 2]
    assert A.number("x", np.float32(0.5), 0, 1) == 0.5 and type(A.number("x", 1)) is float
    assert A.number("x", np.inf, 0, finite=False) == np.inf
    assert A.choice("lang", "fra", ("eng", "fra")) == "fra"
    assert A.array("x0", [1, 2, 3], (3,), (None, 3), expected="(3,) or (k, 3)").dtype == np.float64
    assert A.array("x0", np.zeros((2, 3)), (3,), (None, 3), expected="(3,) or (k, 3)").shape == (2, 3)
