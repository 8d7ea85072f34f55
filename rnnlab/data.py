"""Datasets of the course: where they live, how they are fetched, and how they are loaded.

Everything is read from one data folder (``RNNLAB_DATA_DIR``, default ``data/cache/`` in the
repository), laid out the way the original downloads unpack. When a file is missing the
loader tries to download it once; when that fails (offline, blocked) it raises
:class:`DatasetNotFoundError` saying which file, where it looked, the URL and what to do.
Used by notebooks 03/04 (``first_symbol_task``), 05 (IMDB), 06/07 (``windows``) and 08 (``load_pairs``).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import tarfile
import tempfile
import unicodedata
import zipfile
from pathlib import Path

import numpy as np

from rnnlab import arguments
from rnnlab.paths import DATA_ENV, OFFLINE_ENV, data_dir, offline

OFFLINE_SCRIPT = "python ../shared/scripts/offline_data.py <data folder>"


class DatasetNotFoundError(FileNotFoundError):
    """A dataset is neither in the data folder nor downloadable right now."""


class ChecksumError(ValueError):
    """A dataset file exists but its checksum is not the pinned one."""


@dataclasses.dataclass(frozen=True)
class Dataset:
    """One downloadable file of the course and where it ends up in the data folder."""

    name: str  # short key: imdb_npz, imdb_word_index, aclimdb, cmn, fra, spa
    title: str
    path: str  # relative to the data folder: what the loaders read
    url: str
    checksum: str | None = None  # "algo:hex" of the downloaded file, pinned where upstream is immutable
    archive_member: str | None = None  # for zip/tar downloads: what to take out of the archive
    file_checksum: str | None = None  # "algo:hex" of the unpacked file the loaders read, where upstream changes
    pinned: str = ""  # which version the course's numbers were computed with, for error messages


DATASETS = {
    d.name: d
    for d in (
        Dataset(
            "imdb_npz",
            "Keras IMDB integer sequences",
            "imdb.npz",
            "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb.npz",
            "sha256:69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
        ),
        Dataset(
            "imdb_word_index",
            "Keras IMDB word index",
            "imdb_word_index.json",
            "https://storage.googleapis.com/tensorflow/tf-keras-datasets/imdb_word_index.json",
            "md5:bfafd718b763782e994055a2d397834f",
        ),
        Dataset(
            "aclimdb",
            "Stanford Large Movie Review Dataset (raw IMDB reviews)",
            "aclImdb",
            "https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
            "md5:7c2ac02c03563afcf9b574c7e56c153a",
            archive_member="aclImdb",
        ),
        Dataset(
            "cmn",
            "Tatoeba English-Chinese sentence pairs",
            "cmn-eng/cmn.txt",
            "https://www.manythings.org/anki/cmn-eng.zip",
            archive_member="cmn.txt",
            file_checksum="sha256:d766002332a8f21099afd7427138d44f06bed7486a18f7f0f26f217092667d73",
            pinned="the manythings.org export of 2026-02-13, 32,028 lines",
        ),
        Dataset(
            "fra",
            "Tatoeba English-French sentence pairs",
            "fra-eng/fra.txt",
            "https://storage.googleapis.com/download.tensorflow.org/data/fra-eng.zip",
            archive_member="fra.txt",
            file_checksum="sha256:0bb85dbaa1c896844649094d7eaf2e34bee34e84fe362b26ce7e8f2e12aae104",
            pinned="the manythings.org export of 2019-04-07, 167,130 lines",
        ),
        Dataset(
            "spa",
            "Tatoeba English-Spanish sentence pairs",
            "spa-eng/spa.txt",
            "https://storage.googleapis.com/download.tensorflow.org/data/spa-eng.zip",
            archive_member="spa.txt",
            file_checksum="sha256:6ec60e212f812ee3430f7568ea6f33b6fb080e32193c5952e8da0ee8ba45574c",
            pinned="the TensorFlow tutorial's file (manythings.org, 2018-05-13), 118,964 lines",
        ),
    )
}


# --------------------------------------------------------------------------- data folder


def dataset_path(name: str) -> Path:
    """Where dataset ``name`` is (or would be) in the data folder."""
    return data_dir() / _dataset(name).path


def is_present(name: str) -> bool:
    path = dataset_path(name)
    if name == "aclimdb":
        return (path / "train" / "pos").is_dir() and (path / "test" / "neg").is_dir()
    return path.is_file()


def how_to_get(name: str) -> str:
    """One short paragraph telling a student how to put dataset ``name`` in place by hand."""
    d = _dataset(name)
    target = dataset_path(name)
    fetch = f"download {d.url}"
    if d.archive_member:
        fetch += f" and unpack {d.archive_member} from it"
    return (
        f"{fetch} into {target.parent}{os.sep} (so that {target} exists), "
        f"or set {DATA_ENV} to a folder that has it; "
        f"course machines can lay out every dataset with `{OFFLINE_SCRIPT}`."
    )


def _dataset(name: str) -> Dataset:
    return DATASETS[arguments.choice("name", name, tuple(DATASETS))]


def file_checksum(path: Path, algo: str) -> str:
    h = hashlib.new(algo)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def verify_checksum(path: Path, checksum: str, advice: str = "Delete it and download it again.") -> None:
    """Raise :class:`ChecksumError` naming ``path`` unless its hash equals ``checksum`` ("algo:hex")."""
    algo, expected = checksum.split(":", 1)
    actual = file_checksum(path, algo)
    if actual != expected:
        raise ChecksumError(f"{path} is corrupt or not the expected file: {algo} {actual}, expected {expected}. {advice}")


def _verify(d: Dataset, path: Path) -> None:
    """Check the file the loaders read against its pin (the download's own, or the unpacked file's)."""
    if d.file_checksum:
        verify_checksum(
            path, d.file_checksum,
            f"The course pins {d.pinned}; a newer export changes the notebook's numbers. Put the pinned file "
            f"there (course machines: `{OFFLINE_SCRIPT}`), or read your own file knowingly with "
            f"load_pairs({d.name!r}, path=...).",
        )
    elif d.checksum and not d.archive_member:
        verify_checksum(path, d.checksum)


def ensure(name: str) -> Path:
    """Path of dataset ``name``, downloading it if missing; checks pinned checksums of files.

    Raises DatasetNotFoundError (offline / unreachable) or ChecksumError (corrupt file).
    """
    d = _dataset(name)
    path = dataset_path(name)
    if is_present(name):
        _verify(d, path)
        return path
    if offline():
        reason = f"{OFFLINE_ENV} is set"
    else:
        reason = _download(d)
        if reason is None and is_present(name):
            _verify(d, path)
            return path
    raise DatasetNotFoundError(
        f"{d.title} not found: looked for {path} in the data folder {data_dir()}. "
        f"Downloading {d.url} failed ({reason}). To fix: {how_to_get(name)}"
    )


def _download(d: Dataset) -> str | None:
    """Fetch ``d`` into the data folder; returns None on success, else a one-line reason."""
    import socket

    import keras

    target = data_dir() / d.path
    previous_timeout = socket.getdefaulttimeout()
    socket.setdefaulttimeout(20)
    try:
        with tempfile.TemporaryDirectory(dir=_writable_parent(target)) as tmp:
            fname = Path(d.url).name
            algo_hash = d.checksum.split(":", 1) if d.checksum else (None, None)
            fetched = Path(
                keras.utils.get_file(
                    fname=fname,
                    origin=d.url,
                    file_hash=algo_hash[1],
                    hash_algorithm=algo_hash[0] or "auto",
                    cache_dir=tmp,
                    cache_subdir="",
                )
            )
            if d.archive_member:
                _unpack(fetched, d.archive_member, target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(fetched), target)
    except Exception as err:  # any network/HTTP/IO failure becomes one readable reason
        text = str(err).strip().splitlines()[-1] if str(err).strip() else type(err).__name__
        return f"{type(err).__name__}: {text[:200]}"
    finally:
        socket.setdefaulttimeout(previous_timeout)
    return None


def _writable_parent(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return target.parent


def _unpack(archive: Path, member: str, target: Path) -> None:
    """Take ``member`` (a file or a top-level folder) out of a zip or tar archive into ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if zipfile.is_zipfile(archive):
        with zipfile.ZipFile(archive) as zf:
            names = [n for n in zf.namelist() if Path(n).name == member and "__MACOSX" not in n]
            if not names:
                raise FileNotFoundError(f"{member} is not in {archive.name}")
            with zf.open(names[0]) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst)
    else:
        with tarfile.open(archive) as tf:
            tf.extractall(target.parent, filter="data")


# --------------------------------------------------------------------------- IMDB

# Keras's text_to_word_sequence, with which the Keras IMDB word index was built: lower case,
# these characters become spaces, split on spaces. Apostrophes stay ("it's"); "<br />" gives "br".
_KERAS_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
_KERAS_TABLE = str.maketrans({c: " " for c in _KERAS_FILTERS})
TOKENIZER_VERSION = 1  # raise when keras_tokenize changes: the raw-review cache is keyed by it


def keras_tokenize(text: str) -> list[str]:
    """Split a review the way the Keras IMDB word index was built (see notebook 05)."""
    return [t for t in text.lower().translate(_KERAS_TABLE).split(" ") if t]


def load_word_index() -> dict[str, int]:
    """Keras IMDB word index: word → frequency rank (1 = most frequent)."""
    return json.loads(ensure("imdb_word_index").read_text(encoding="utf-8"))


def load_imdb(
    num_words: int = 10_000,
    maxlen: int = 500,
    *,
    source: str = "auto",
    seed: int = 113,
    padding: str = "pre",
    truncating: str = "pre",
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """IMDB as ``keras.datasets.imdb.load_data(num_words=…)`` followed by ``pad_sequences(maxlen=…)``.

    Index 0 pads, 1 starts a review, 2 is out-of-vocabulary, words are their Keras frequency
    rank + 3. ``source``: "npz" (Keras's imdb.npz), "raw" (aclImdb reviews encoded with the
    Keras word index) or "auto" (npz if present or downloadable, else raw). Returns
    ``(x_train, y_train), (x_test, y_test)`` with x int32 of shape (n, maxlen).
    """
    num_words = arguments.integer("num_words", num_words, 3, note="(0-2 are pad/start/OOV)")
    maxlen = arguments.integer("maxlen", maxlen, 1)
    arguments.choice("source", source, ("auto", "npz", "raw"))
    arguments.choice("padding", padding, ("pre", "post"))
    arguments.choice("truncating", truncating, ("pre", "post"))

    ranks = None
    if source in ("auto", "npz"):
        try:
            ranks = _imdb_ranks_from_npz(ensure("imdb_npz"))
        except DatasetNotFoundError:
            if source == "npz":
                raise
    if ranks is None:
        ranks = _imdb_ranks_from_raw()
    (x_train, y_train), (x_test, y_test) = _encode_like_keras(*ranks, num_words=num_words, seed=seed)

    import keras

    pad = dict(maxlen=maxlen, padding=padding, truncating=truncating, dtype="int32")
    return (
        (keras.utils.pad_sequences(x_train, **pad), y_train),
        (keras.utils.pad_sequences(x_test, **pad), y_test),
    )


def imdb_tokenisation_agreement(split: str = "train", top_k: int = 10_000) -> dict[str, float]:
    """How closely ``keras_tokenize`` on the raw reviews reproduces the Keras word index (notebook 05).

    coverage: share of tokens found in the index; top_k_overlap: share of the index's top_k words
    that are also our top_k most frequent; index_words_seen: share of index words we produce.
    """
    arguments.choice("split", split, ("train", "test"))
    top_k = arguments.integer("top_k", top_k, 1)
    import collections

    word_index = load_word_index()
    counts: collections.Counter[str] = collections.Counter()
    for p in (ensure("aclimdb") / split).glob("*/*.txt"):
        counts.update(keras_tokenize(p.read_text(encoding="utf-8")))
    total = sum(counts.values())
    ours = {w for w, _ in counts.most_common(top_k)}
    theirs = {w for w, r in word_index.items() if r <= top_k}
    return {
        "coverage": sum(c for w, c in counts.items() if w in word_index) / total,
        "top_k_overlap": len(ours & theirs) / len(theirs),
        "index_words_seen": sum(w in counts for w in word_index) / len(word_index),
    }


def _imdb_ranks_from_npz(path: Path):
    """Reviews as lists of word ranks (no offset) from Keras's imdb.npz (checksum verified first)."""
    with np.load(path, allow_pickle=True) as f:
        return f["x_train"], f["y_train"], f["x_test"], f["y_test"]


def _imdb_ranks_from_raw():
    """Reviews as arrays of word ranks (0 = not in the word index) from the raw aclImdb files.

    Encoding 50,000 reviews takes a while, so the result is cached next to the data.
    """
    root = ensure("aclimdb")
    cache = raw_cache_path()
    if cache.exists():
        with np.load(cache) as f:
            return (_unflatten(f["x_train"], f["len_train"]), f["y_train"],
                    _unflatten(f["x_test"], f["len_test"]), f["y_test"])
    word_index = load_word_index()
    splits = {}
    for split in ("train", "test"):
        seqs, labels = [], []
        for label, folder in ((0, "neg"), (1, "pos")):
            files = sorted((root / split / folder).glob("*.txt"), key=lambda p: int(p.stem.split("_")[0]))
            for p in files:
                tokens = keras_tokenize(p.read_text(encoding="utf-8"))
                seqs.append(np.array([word_index.get(t, 0) for t in tokens], dtype=np.int32))
                labels.append(label)
        splits[split] = (seqs, np.array(labels, dtype=np.int64))
    (xtr, ytr), (xte, yte) = splits["train"], splits["test"]
    try:
        np.savez(cache, x_train=np.concatenate(xtr), len_train=[len(s) for s in xtr], y_train=ytr,
                 x_test=np.concatenate(xte), len_test=[len(s) for s in xte], y_test=yte)
    except OSError:
        pass  # a read-only data folder only costs the re-encoding next time
    return _as_object(xtr), ytr, _as_object(xte), yte


def raw_cache_path() -> Path:
    """The cache of encoded raw reviews, named by the word index's checksum and the tokeniser version.

    A new word index or a changed tokeniser gets a new file, so a stale encoding is never read.
    """
    index_md5 = file_checksum(ensure("imdb_word_index"), "md5")
    return data_dir() / f"aclImdb_keras_ranks.{index_md5[:12]}.tok{TOKENIZER_VERSION}.npz"


def _unflatten(flat: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    return _as_object(np.split(flat, np.cumsum(lengths)[:-1]))


def _as_object(seqs) -> np.ndarray:
    out = np.empty(len(seqs), dtype=object)
    out[:] = list(seqs)
    return out


def _encode_like_keras(x_train, y_train, x_test, y_test, *, num_words: int, seed: int):
    """The index arithmetic of ``keras.datasets.imdb.load_data``: shuffle, start=1, OOV=2, offset 3."""
    rng = np.random.RandomState(seed)
    idx = np.arange(len(x_train))
    rng.shuffle(idx)
    x_train, y_train = x_train[idx], y_train[idx]
    idx = np.arange(len(x_test))
    rng.shuffle(idx)
    x_test, y_test = x_test[idx], y_test[idx]

    def encode(seq) -> list[int]:
        w = np.asarray(seq, dtype=np.int64) + 3
        w[(w < 4) | (w >= num_words)] = 2  # rank 0 (unknown to the word index) or too rare → OOV
        return [1] + w.tolist()

    return ([encode(s) for s in x_train], np.asarray(y_train)), ([encode(s) for s in x_test], np.asarray(y_test))


# --------------------------------------------------------------------------- sentence pairs

LANGUAGES = ("cmn", "fra", "spa")


def load_pairs(lang: str = "cmn", *, path: Path | None = None) -> list[tuple[str, str]]:
    """Clean (English, translation) pairs from a manythings/Tatoeba file (notebook 08).

    Unicode NFC, whitespace collapsed, the attribution column dropped, exact duplicate pairs
    removed (first kept). A line that is not ``English<TAB>translation[<TAB>…]`` or has an
    empty side raises ValueError with the file and line number.
    """
    arguments.choice("lang", lang, LANGUAGES)
    path = Path(path) if path is not None else ensure(lang)
    pairs: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 2:
                raise ValueError(
                    f"{path}, line {lineno}: expected 'English<TAB>translation[<TAB>attribution]', got {line.strip()[:80]!r}"
                )
            src, tgt = (_clean(f) for f in fields[:2])
            if not src or not tgt:
                raise ValueError(f"{path}, line {lineno}: empty {'English' if not src else lang} sentence")
            if (src, tgt) not in seen:
                seen.add((src, tgt))
                pairs.append((src, tgt))
    if not pairs:
        raise ValueError(f"{path} holds no sentence pairs")
    return pairs


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


# --------------------------------------------------------------------------- time series


def windows(series, look_back: int, horizon: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Sliding windows for forecasting: X[i] = series[i : i+look_back], y[i] = the next ``horizon`` values.

    ``series`` is 1-D (n,) or 2-D (n, features); X has shape (samples, look_back, features) and y
    (samples, features) for horizon 1, else (samples, horizon, features). With horizon 1 this
    is the lecture's ``create_dataset`` (notebooks 06, 07).
    """
    arr = arguments.array("series", series, (None,), (None, None), expected="(n,) or (n, features)")
    if arr.ndim == 1:
        arr = arr[:, None]
    n = len(arr)
    look_back = arguments.integer("look_back", look_back, 1, n - 1, note=f"for a series of length {n}")
    horizon = arguments.integer("horizon", horizon, 1, n - look_back, note="for this series and look_back")
    count = n - look_back - horizon + 1
    X = np.stack([arr[i : i + look_back] for i in range(count)])
    y = np.stack([arr[i + look_back : i + look_back + horizon] for i in range(count)])
    return X, (y[:, 0] if horizon == 1 else y)


# --------------------------------------------------------------------------- a long-range memory task


def first_symbol_task(n: int, T: int, rng: np.random.Generator, n_symbols: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """The recall task of notebooks 03 and 04: remember the first of 1 + T steps.

    Step 0 is a one-hot symbol (one of ``n_symbols``), the T steps after it are Gaussian noise in the same features.
    Returns x of shape (n, 1 + T, n_symbols), float32, and the labels (the first symbol, 0 … n_symbols − 1).
    """
    n = arguments.integer("n", n, 1)
    T = arguments.integer("T", T, 1)
    n_symbols = arguments.integer("n_symbols", n_symbols, 2)
    if not isinstance(rng, np.random.Generator):
        raise ValueError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)), got {type(rng).__name__}")
    first = rng.integers(0, n_symbols, size=n)
    x = np.zeros((n, T + 1, n_symbols), dtype="float32")
    x[np.arange(n), 0, first] = 1.0
    x[:, 1:] = rng.normal(size=(n, T, n_symbols))
    return x, first
