"""rnnlab.data on tiny fixtures written into a temporary data folder (never the real datasets)."""
import dataclasses
import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

from rnnlab import data

UNREACHABLE = "http://127.0.0.1:9/nowhere/"  # connection refused at once: a real network failure


def unreachable(monkeypatch, name):
    d = data.DATASETS[name]
    monkeypatch.setitem(data.DATASETS, name, dataclasses.replace(d, url=UNREACHABLE + d.url.rsplit("/", 1)[1]))
    return data.DATASETS[name]


def write_word_index(folder, words):
    """A tiny Keras-style word index (rank 1 = most frequent) with its checksum made the pinned one."""
    text = json.dumps({w: i + 1 for i, w in enumerate(words)})
    (folder / "imdb_word_index.json").write_text(text)
    return "md5:" + hashlib.md5(text.encode()).hexdigest()


# --------------------------------------------------------------------------- missing / corrupt files


@pytest.mark.parametrize("name", ["imdb_npz", "imdb_word_index", "aclimdb", "cmn"])
def test_missing_dataset_without_network_is_one_clear_error(monkeypatch, isolated_dirs, name):
    d = unreachable(monkeypatch, name)
    with pytest.raises(data.DatasetNotFoundError) as info:
        data.ensure(name)
    msg = str(info.value)
    folder = isolated_dirs / "data"
    assert str(folder / d.path) in msg  # the file it looked for
    assert str(folder) in msg  # the folder
    assert d.url in msg  # the URL
    assert "RNNLAB_DATA_DIR" in msg and "offline_data.py" in msg  # what to do
    assert info.value.__context__ is None and info.value.__cause__ is None  # no urllib traceback chained
    assert not (folder / d.path).exists()


def test_offline_switch_skips_the_download(monkeypatch):
    monkeypatch.setenv("RNNLAB_OFFLINE", "1")
    with pytest.raises(data.DatasetNotFoundError, match="RNNLAB_OFFLINE is set"):
        data.ensure("imdb_npz")


def test_corrupt_checksummed_file_is_named(isolated_dirs):
    path = isolated_dirs / "data" / "imdb_word_index.json"
    path.write_text('{"the": 1}')
    with pytest.raises(data.ChecksumError) as info:
        data.load_word_index()
    assert str(path) in str(info.value) and "bfafd718b763782e994055a2d397834f" in str(info.value)


def test_unknown_dataset_is_a_value_error():
    with pytest.raises(ValueError, match="name must be one of imdb_npz, .*, got 'mnist'"):
        data.ensure("mnist")


# --------------------------------------------------------------------------- IMDB


def test_keras_tokenize_matches_text_to_word_sequence():
    assert data.keras_tokenize("It's GREAT!<br /><br />10/10 -- loved it") == [
        "it's", "great", "br", "br", "10", "10", "loved", "it"
    ]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(num_words=2), "num_words must be an integer >= 3"),
        (dict(maxlen=0), "maxlen must be an integer >= 1"),
        (dict(maxlen=-5), "maxlen must be an integer >= 1"),
        (dict(source="web"), "source must be"),
        (dict(padding="middle"), "padding must be"),
    ],
)
def test_load_imdb_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        data.load_imdb(**kwargs)


@pytest.fixture
def raw_imdb(isolated_dirs, monkeypatch):
    """Two reviews per split and class, and a seven-word index."""
    folder = isolated_dirs / "data"
    words = ["the", "movie", "was", "good", "bad", "plot", "it's"]
    checksum = write_word_index(folder, words)
    monkeypatch.setitem(data.DATASETS, "imdb_word_index", dataclasses.replace(data.DATASETS["imdb_word_index"], checksum=checksum))
    reviews = {
        ("train", "pos"): ["The movie was GOOD.", "good good good"],
        ("train", "neg"): ["The plot was bad!<br />", "bad zebra"],
        ("test", "pos"): ["It's good", "good"],
        ("test", "neg"): ["bad", "The movie, the plot: bad"],
    }
    for (split, label), texts in reviews.items():
        (folder / "aclImdb" / split / label).mkdir(parents=True)
        for i, text in enumerate(texts):
            (folder / "aclImdb" / split / label / f"{i}_{8 if label == 'pos' else 2}.txt").write_text(text)
    unreachable(monkeypatch, "imdb_npz")
    return {w: i + 1 for i, w in enumerate(words)}


def decode(seq, rank):
    inverse = {r + 3: w for w, r in rank.items()} | {1: "<start>", 2: "<oov>"}
    return [inverse[i] for i in seq if i != 0]


def test_raw_reviews_are_encoded_like_keras(raw_imdb):
    (x_train, y_train), (x_test, y_test) = data.load_imdb(num_words=10, maxlen=6)
    assert x_train.shape == (4, 6) and x_test.shape == (4, 6) and x_train.dtype == np.int32
    # index = rank + 3; 'br' and 'zebra' are not in the index → OOV (2); 'it's' (rank 7 → 10) ≥ num_words → OOV
    assert {tuple(decode(x, raw_imdb)): int(y) for x, y in zip(x_train, y_train)} == {
        ("<start>", "the", "movie", "was", "good"): 1,
        ("<start>", "good", "good", "good"): 1,
        ("<start>", "the", "plot", "was", "bad", "<oov>"): 0,
        ("<start>", "bad", "<oov>"): 0,
    }
    assert sorted(tuple(decode(x, raw_imdb)) for x in x_test) == sorted(
        [("<start>", "<oov>", "good"), ("<start>", "good"), ("<start>", "bad"),
         ("<start>", "the", "movie", "the", "plot", "bad")]
    )
    for x in x_train:  # pre-padding: zeros first, then the start marker
        nz = np.flatnonzero(x)
        assert x[nz[0]] == 1 and (x[: nz[0]] == 0).all()


def test_num_words_turns_rare_words_into_oov(raw_imdb):
    (x_train, _), _ = data.load_imdb(num_words=7, maxlen=8)  # keeps ranks 1..3 (indices 4, 5, 6)
    assert set(np.unique(x_train)) <= {0, 1, 2, 4, 5, 6}


def test_long_reviews_are_truncated_at_the_front_by_default(raw_imdb):
    (x_pre, _), _ = data.load_imdb(num_words=10, maxlen=2)
    (x_post, _), _ = data.load_imdb(num_words=10, maxlen=2, truncating="post")
    assert (x_post[:, 0] == 1).all()  # 'post' keeps the start marker
    assert not (x_pre[:, 0] == 1).all()


def test_raw_encoding_is_cached_and_reused(raw_imdb, isolated_dirs):
    first = data.load_imdb(num_words=10, maxlen=6)
    cache = data.raw_cache_path()
    assert cache.exists() and cache.parent == isolated_dirs / "data"
    second = data.load_imdb(num_words=10, maxlen=6)
    for a, b in zip(np.concatenate([first[0][0], first[1][0]]), np.concatenate([second[0][0], second[1][0]])):
        assert (a == b).all()


def test_raw_cache_follows_the_word_index_and_the_tokeniser(raw_imdb, isolated_dirs, monkeypatch):
    (before, _), _ = data.load_imdb(num_words=10, maxlen=6)
    old_cache = data.raw_cache_path()
    # a new word index in which 'good' is the most frequent word: the old cache must not be read
    checksum = write_word_index(isolated_dirs / "data", ["good", "the", "bad", "movie", "was", "plot", "it's"])
    monkeypatch.setitem(data.DATASETS, "imdb_word_index",
                        dataclasses.replace(data.DATASETS["imdb_word_index"], checksum=checksum))
    assert data.raw_cache_path() != old_cache
    (after, _), _ = data.load_imdb(num_words=10, maxlen=6)
    assert not np.array_equal(before, after) and (after == 4).sum() > (before == 4).sum()  # 'good' is index 4 now
    monkeypatch.setattr(data, "TOKENIZER_VERSION", data.TOKENIZER_VERSION + 1)
    assert data.raw_cache_path().name.endswith(f".tok{data.TOKENIZER_VERSION}.npz")


def test_npz_source_equals_keras_load_data_plus_pad_sequences(isolated_dirs, monkeypatch):
    import keras
    from keras.src.datasets import imdb as keras_imdb

    rng = np.random.default_rng(0)

    def ragged(n):
        out = np.empty(n, dtype=object)
        out[:] = [rng.integers(1, 40, size=rng.integers(3, 15)).tolist() for _ in range(n)]
        return out

    path = isolated_dirs / "data" / "imdb.npz"
    np.savez(path, x_train=ragged(12), y_train=rng.integers(0, 2, 12), x_test=ragged(9), y_test=rng.integers(0, 2, 9))
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    monkeypatch.setitem(data.DATASETS, "imdb_npz", dataclasses.replace(data.DATASETS["imdb_npz"], checksum="sha256:" + sha))
    monkeypatch.setattr(keras_imdb, "get_file", lambda *a, **k: str(path))  # keras must read our fixture too

    (x_train, y_train), (x_test, y_test) = data.load_imdb(num_words=20, maxlen=10, source="npz")
    (k_xtr, k_ytr), (k_xte, k_yte) = keras.datasets.imdb.load_data(num_words=20)
    assert np.array_equal(x_train, keras.utils.pad_sequences(k_xtr, maxlen=10))
    assert np.array_equal(x_test, keras.utils.pad_sequences(k_xte, maxlen=10))
    assert np.array_equal(y_train, k_ytr) and np.array_equal(y_test, k_yte)


def test_npz_source_without_network_does_not_fall_back(monkeypatch):
    unreachable(monkeypatch, "imdb_npz")
    with pytest.raises(data.DatasetNotFoundError, match="imdb.npz"):
        data.load_imdb(source="npz")


def test_tokenisation_agreement_on_a_matching_corpus(raw_imdb, isolated_dirs):
    agreement = data.imdb_tokenisation_agreement("train", top_k=3)
    assert 0.8 < agreement["coverage"] < 1.0  # 'zebra' is the only unknown token
    assert 0 <= agreement["top_k_overlap"] <= 1 and 0 < agreement["index_words_seen"] <= 1


# --------------------------------------------------------------------------- sentence pairs


def write_pairs(isolated_dirs, text, lang="cmn", monkeypatch=None):
    """A tiny pairs file; with ``monkeypatch`` its checksum becomes the pinned one."""
    path = isolated_dirs / "data" / f"{lang}-eng" / f"{lang}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if monkeypatch is not None:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        monkeypatch.setitem(data.DATASETS, lang, dataclasses.replace(data.DATASETS[lang], file_checksum="sha256:" + sha))
    return path


def test_load_pairs_cleans_and_drops_attribution(isolated_dirs, monkeypatch):
    write_pairs(isolated_dirs, "Hi.\t嗨。\tCC-BY 2.0 (France) Attribution: tatoeba.org\n"
                               "Run!  \t  你用跑的。\n\nHi.\t嗨。\tduplicate\n", monkeypatch=monkeypatch)
    assert data.load_pairs("cmn") == [("Hi.", "嗨。"), ("Run!", "你用跑的。")]


@pytest.mark.parametrize("lang", ["cmn", "fra", "spa"])
def test_a_pairs_file_other_than_the_pinned_one_is_named(isolated_dirs, lang):
    path = write_pairs(isolated_dirs, "Hi.\tSalut.\n", lang=lang)  # a plausible but different export
    with pytest.raises(data.ChecksumError) as info:
        data.load_pairs(lang)
    msg = str(info.value)
    assert str(path) in msg and data.DATASETS[lang].file_checksum.split(":")[1] in msg
    assert data.DATASETS[lang].pinned in msg and "offline_data.py" in msg and f"load_pairs({lang!r}, path=...)" in msg
    assert data.load_pairs(lang, path=path) == [("Hi.", "Salut.")]  # an explicit path reads any file


def test_the_pins_are_the_shared_data_files():
    source = Path(__file__).resolve().parents[2] / "shared" / "data" / "tatoeba" / "SOURCE.md"
    if not source.exists():
        pytest.skip(f"{source} is not here (outside the course machines)")
    text = source.read_text(encoding="utf-8")
    for lang in ("cmn", "fra", "spa"):
        assert data.DATASETS[lang].file_checksum.split(":")[1] in text


def test_malformed_pair_line_names_the_line(isolated_dirs):
    path = write_pairs(isolated_dirs, "Hi.\t嗨。\nthis line has no tab\n")
    with pytest.raises(ValueError, match=r"cmn\.txt, line 2: expected 'English<TAB>translation"):
        data.load_pairs("cmn", path=path)
    write_pairs(isolated_dirs, "Hi.\t嗨。\nHello.\t \n")
    with pytest.raises(ValueError, match=r"line 2: empty cmn sentence"):
        data.load_pairs("cmn", path=path)


def test_unknown_language_is_a_value_error():
    with pytest.raises(ValueError, match="lang must be one of cmn, fra, spa"):
        data.load_pairs("deu")


def test_missing_pairs_file_offline(monkeypatch, isolated_dirs):
    unreachable(monkeypatch, "spa")
    with pytest.raises(data.DatasetNotFoundError, match="spa-eng"):
        data.load_pairs("spa")


# --------------------------------------------------------------------------- windows


def lecture_create_dataset(dataset, look_back):
    x, y = [], []
    for i in range(len(dataset) - look_back):
        x.append(dataset[i : i + look_back])
        y.append(dataset[i + look_back])
    return np.array(x), np.array(y)


def test_windows_equal_the_lectures_create_dataset():
    series = (np.cos(np.linspace(0, 10 * np.pi, 100)) + 1) / 2
    X, y = data.windows(series, look_back=10)
    X_ref, y_ref = lecture_create_dataset(series, 10)
    assert X.shape == (90, 10, 1) and y.shape == (90, 1)
    assert np.array_equal(X[..., 0], X_ref) and np.array_equal(y[:, 0], y_ref)


def test_windows_multivariate_and_horizon():
    series = np.arange(30, dtype=float).reshape(10, 3)
    X, y = data.windows(series, look_back=4, horizon=2)
    assert X.shape == (5, 4, 3) and y.shape == (5, 2, 3)
    assert np.array_equal(y[0], series[4:6])


@pytest.mark.parametrize("look_back, horizon", [(10, 1), (12, 1), (0, 1), (3, 0), (3, 8), (2.5, 1)])
def test_windows_reject_bad_sizes(look_back, horizon):
    with pytest.raises(ValueError, match="look_back|horizon"):
        data.windows(np.arange(10.0), look_back=look_back, horizon=horizon)


def test_first_symbol_task_puts_the_label_at_step_0_and_noise_after_it():
    x, y = data.first_symbol_task(50, 7, np.random.default_rng(0))
    assert x.shape == (50, 8, 4) and x.dtype == np.float32 and y.shape == (50,)
    np.testing.assert_array_equal(x[:, 0], np.eye(4, dtype="float32")[y])      # one-hot label at step 0
    assert set(y) == {0, 1, 2, 3} and np.abs(x[:, 1:]).std() > 0.5              # noise everywhere after it
    again, y_again = data.first_symbol_task(50, 7, np.random.default_rng(0))
    np.testing.assert_array_equal(again, x)
    np.testing.assert_array_equal(y_again, y)


# --------------------------------------------------------------------------- Tang poems

QUATRAIN = ["白日依山盡，黃河入海流。", "欲窮千里目，更上一層樓。"]
REGULATED = ["國破山河在，城春草木深。", "感時花濺淚，恨別鳥驚心。", "烽火連三月，家書抵萬金。", "白頭搔更短，渾欲不勝簪。"]
TANG_ENTRIES = [
    {"author": "王之渙", "title": "登鸛雀樓", "paragraphs": QUATRAIN},
    {"author": "杜甫", "title": "春望", "paragraphs": REGULATED},
    {"author": "某", "title": "重出", "paragraphs": QUATRAIN},                                   # a duplicate
    {"author": "某", "title": "缺字", "paragraphs": ["白日依山□，黃河入海流。", QUATRAIN[1]]},   # a lost character
    {"author": "某", "title": "注", "paragraphs": ["白日依山盡（一作落），黃河入海流。", QUATRAIN[1]]},  # a note
    {"author": "某", "title": "六句", "paragraphs": QUATRAIN + [REGULATED[0]]},                 # six lines
    {"author": "某", "title": "七言", "paragraphs": ["朝辭白帝彩雲間，千里江陵一日還。"]},        # seven characters
]


def write_tang(folder, monkeypatch, entries=TANG_ENTRIES):
    """One poet.tang.0.json in the data folder, pinned as the only file of the collection."""
    path = folder / "data" / "chinese-poetry" / "全唐诗" / "poet.tang.0.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(data, "TANG_FILES", {"poet.tang.0.json": hashlib.sha256(path.read_bytes()).hexdigest()})
    return path


def test_tang_poems_keep_the_five_character_forms_once_in_simplified(isolated_dirs, monkeypatch):
    write_tang(isolated_dirs, monkeypatch)
    poems = data.load_tang_poems()
    assert [(p.title, p.form) for p in poems] == [("登鹳雀楼", "五言绝句"), ("春望", "五言律诗")]
    assert poems[0].lines == ("白日依山尽", "黄河入海流", "欲穷千里目", "更上一层楼")
    assert poems[0].text == "白日依山尽，黄河入海流。欲穷千里目，更上一层楼。"
    assert poems[1].author == "杜甫" and len(poems[1].lines) == 8
    traditional = data.load_tang_poems(simplified=False)
    assert traditional[0].text == "".join(QUATRAIN) and traditional[0].title == "登鸛雀樓"
    assert [p.form for p in data.load_tang_poems("五言律诗")] == ["五言律诗"]


def test_tang_forms_are_checked():
    with pytest.raises(ValueError, match="form must be one of 五言绝句, 五言律诗, got '七言绝句'"):
        data.load_tang_poems(("七言绝句",), folder=Path("."))


def test_missing_tang_poems_offline_is_one_clear_error(monkeypatch, isolated_dirs):
    monkeypatch.setenv("RNNLAB_OFFLINE", "1")
    with pytest.raises(data.DatasetNotFoundError) as info:
        data.load_tang_poems()
    msg = str(info.value)
    folder = isolated_dirs / "data" / "chinese-poetry" / "全唐诗"
    assert "58 files are missing" in msg and str(folder) in msg and "poet.tang.0.json" in msg
    assert data.TANG_FOLDER_URL in msg and "RNNLAB_DATA_DIR" in msg and "offline_data.py" in msg
    assert "RNNLAB_OFFLINE is set" in msg and info.value.__context__ is None


def test_missing_tang_poems_unreachable_is_one_clear_error(monkeypatch, isolated_dirs):
    d = unreachable(monkeypatch, "tang")
    with pytest.raises(data.DatasetNotFoundError) as info:
        data.ensure("tang")
    assert d.url in str(info.value) and info.value.__cause__ is None and info.value.__context__ is None


def test_a_changed_tang_file_is_named(isolated_dirs, monkeypatch):
    path = write_tang(isolated_dirs, monkeypatch)
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(data.ChecksumError, match="poet.tang.0.json is corrupt or not the expected file"):
        data.load_tang_poems()


def test_the_tang_pins_are_the_shared_data_files():
    source = Path(__file__).resolve().parents[2] / "shared" / "data" / "chinese-poetry" / "SOURCE.md"
    if not source.exists():
        pytest.skip(f"{source} is not here (outside the course machines)")
    text = source.read_text(encoding="utf-8")
    assert len(data.TANG_FILES) == 58 and data.TANG_COMMIT in text
    assert all(f"`全唐诗/{name}`" in text and digest in text for name, digest in data.TANG_FILES.items())


def test_poem_form():
    assert data.poem_form("白日依山尽，黄河入海流。欲穷千里目，更上一层楼。") == "五言绝句"
    assert data.poem_form("".join(REGULATED)) == "五言律诗"
    for broken in ("白日依山尽，黄河入海流。", "白日依山尽。黄河入海流，欲穷千里目，更上一层楼。",
                   "白日依山尽，黄河入海流。欲穷千里目，更上一层楼", "白日依山□，黄河入海流。欲穷千里目，更上一层楼。"):
        assert data.poem_form(broken) is None, broken


def test_split_poems_is_fixed_and_disjoint():
    poems = [data.Poem(str(i), "", ("一二三四五",) * 4) for i in range(200)]
    train, val, test = data.split_poems(poems, val_fraction=0.05, test_fraction=0.1, seed=0)
    assert (len(train), len(val), len(test)) == (170, 10, 20)
    titles = [{p.title for p in part} for part in (train, val, test)]
    assert not (titles[0] & titles[1] or titles[0] & titles[2] or titles[1] & titles[2])
    assert (train, val, test) == data.split_poems(poems, val_fraction=0.05, test_fraction=0.1, seed=0)
    with pytest.raises(ValueError, match="test_fraction"):
        data.split_poems(poems, val_fraction=0.5, test_fraction=0.6)


def test_to_simplified():
    assert data.to_simplified("對不起，我喜歡聽音樂。") == "对不起，我喜欢听音乐。"
    assert data.to_simplified("Tom 说 DJ 2020!") == "Tom 说 DJ 2020!"
    with pytest.raises(ValueError, match="text must be a str"):
        data.to_simplified(None)


def test_to_simplified_keeps_a_character_whose_simplified_form_is_a_rare_extension():
    assert data.to_simplified("白鼻紫騧嘶，歸來") == "白鼻紫騧嘶，归来"   # OpenCC would give 䯄 (extension A)


def test_raw_texts_are_the_reviews_of_load_imdb_in_the_same_order(raw_imdb):
    (texts_train, y_train), (texts_test, y_test) = data.load_imdb_texts()
    (x_train, y_train_ids), (x_test, y_test_ids) = data.load_imdb(num_words=20, maxlen=10)
    assert np.array_equal(y_train, y_train_ids) and np.array_equal(y_test, y_test_ids)
    for texts, x in ((texts_train, x_train), (texts_test, x_test)):
        for text, row in zip(texts, x):  # row i of the arrays is text i encoded
            words = data.keras_tokenize(text)
            assert decode(row, raw_imdb)[1:] == [w if w in raw_imdb else "<oov>" for w in words]
