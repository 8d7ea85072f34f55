"""Datasets of the course: where they live, how they are fetched, and how they are loaded.

Everything is read from one data folder (``RNNLAB_DATA_DIR``, default ``data/cache/`` in the
repository), laid out the way the original downloads unpack. When a file is missing the
loader tries to download it once; when that fails (offline, blocked) it raises
:class:`DatasetNotFoundError` saying which file, where it looked, the URL and what to do.
Used by notebooks 03/04 (``first_symbol_task``), 05 (IMDB: arrays and raw texts), 06/07 (``windows``), 08 (``load_pairs``,
``to_simplified``) and 09 (``load_tang_poems``).
"""
from __future__ import annotations

import dataclasses
import functools
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


# The Tang poems are 58 files; each is pinned to the repository's commit by its own sha256
# (../shared/data/chinese-poetry/SOURCE.md lists the same).
TANG_COMMIT = "99ebbef7e1345c0985c44b9fd96a3f9e776f117b"
TANG_FOLDER_URL = (f"https://raw.githubusercontent.com/chinese-poetry/chinese-poetry/{TANG_COMMIT}/"
                   "%E5%85%A8%E5%94%90%E8%AF%97/")  # the folder 全唐诗/, URL-encoded
TANG_SHA256 = """
4f88f429938082523cdc72a1612bd7a7c3e3f7a33f8192c61ae51340efc3c92d  poet.tang.0.json
6e703b8d8dcedbd6110f6d48d043665ca2131db2035a5bfcef5e59a19aeb6d75  poet.tang.1000.json
ec28efa7e2ae9cdbbba09f0ed186e32ccae47a325ad1e5816b7ad56071c1665a  poet.tang.2000.json
9e4ba2323752b6b9fbdba875cdbc6a26636fe0cabc85fd066370d4915952001f  poet.tang.3000.json
b8a7946c879b9658a6c667a4c55f776fae7e5e00a17789ab06b274c1429afc66  poet.tang.4000.json
a0306e6962cff01639ad9a00b042a201b8dec1f30fa5d768a7b112589887861e  poet.tang.5000.json
982a21d2b15922b406911f1c825785054314c686da86b2155d7aebb362d22771  poet.tang.6000.json
a6fb69d7b4343c904dc56ae5aae34facc2478d196b51c37ceba9d1e2f171b342  poet.tang.7000.json
ac3848e95b02736168003863795de4474838c2d6a71a24ca2a4a280ea5177773  poet.tang.8000.json
b99d6596e3a1fe1a661652383083f92d196b8baf4e461d087081d5e1e1b7a51f  poet.tang.9000.json
b97d1c5509ab62f5b433dee2020c11c4deda4542e276683d1ada6619c34c2113  poet.tang.10000.json
9adf1835246053c821d99af39ce9092e14a94e1baf91740098bd9fc6f6f1cd27  poet.tang.11000.json
ec43d055a219d52ecdb58cd30a8a444189392f0d68b92a41495df1c72c5fd095  poet.tang.12000.json
eb9c85072d7913bb972e07c72f0123e9d7addca22cfd833cb79a5d74b1c76ebf  poet.tang.13000.json
1e366dd3fb5a011091524bed36e4edff5d015bf0ddb14143f298515387dbd9a9  poet.tang.14000.json
0386e58f46517daa3af0e0f385e0223f1efc0dac53afbe8fea64f99074d870b7  poet.tang.15000.json
1c477aef1fc50523f9baf10f29d2d89201a14c4c73001c1c041d0fe8464d11db  poet.tang.16000.json
11bac8333b2042975b9844423d113ff2c6fdf701c8b08a5b3aaa6bc9472222de  poet.tang.17000.json
37543a147d16e3576d5f45ba8f7b8b51fc311bc10eddae9440f16f2d5ae885c2  poet.tang.18000.json
dea74b41bc807ce2527bb119862a251e3a92b6f69bdf9f98b1434a8336830542  poet.tang.19000.json
8ccf0783888b15bec60d0253e278cd4b67e94a77725df8ed079d4d8062d050b4  poet.tang.20000.json
bddae814c82bf6a9fd294504aa48794bca5f03e986110739b1577aa811125cbd  poet.tang.21000.json
d7e7efe3f67415455ae93974a5aa67427e99f6713fde27920bfb657ad3204c4a  poet.tang.22000.json
220a535a762349ec1beed00f1dc11293ccefc70bda15c5258bbcab208b14337f  poet.tang.23000.json
2f40a4ec0e4469c29f0f028d7a4ad73b83850aa271be9b63ea0c08de6e094dee  poet.tang.24000.json
7e7c00ba3f7a95e97de5440f85affa9d54b420d31995b449e97a3e9ea00259f5  poet.tang.25000.json
74b5bed25622da1611928fdb31297fafadaf2876ce32ddb0c8b6d12d772979f4  poet.tang.26000.json
11626fcc310bbbcc601f7c8c4d8a664cef4907076cd7ec4f16268ee5b921ba44  poet.tang.27000.json
86a15affa95859046f869ffd4850886250d1a181e5151b1f096f728fb2d67502  poet.tang.28000.json
e1a0cffe17b4f109399db38f2b23f9b6668b8ca1c3c24e36d5cbe4f40a925862  poet.tang.29000.json
e71996f771d15476bae48751081b473b381774b5d335f6163b183f70a2eaed01  poet.tang.30000.json
f1efaf172d4f6fa9aaacfa4160feb766189989c3264da6ce3a6d64a7c97097bb  poet.tang.31000.json
fcb2096245719199249ad23e75eac6997b5a4341564dd1cf73ce8008975b3d74  poet.tang.32000.json
35abb37f65817ee4630cfeb2db286832e505873c477e12f14693bcd20e920885  poet.tang.33000.json
4b656a62b6a187792c96a632c7e33f443eabda8b48c4fb5dfdda72cf02003095  poet.tang.34000.json
a9671b350e58b805fda88b2c17fa0bf3a05313017d28485010e6f60a69bdf945  poet.tang.35000.json
1c8e71a32743b37d318bf8beb44b8809a8079011231cf3c7106e2c59f03c55b4  poet.tang.36000.json
4c37d2d92ee6fdd73299ef13c91e17b9cbb11ef59d1e024254db1eceb95dc7ae  poet.tang.37000.json
08b2ce85e59eac59fe621921b62c15528e9dfb6a102994297703ad67e14aa83f  poet.tang.38000.json
791d0171fe1dc88cee8424ae0281f495ed0dcdf042f97f2a3fc9b37e05e9426c  poet.tang.39000.json
851d0c3cb796c7f7c63a7765e28564b2c3be3d9691c9f43f88d4d3c64034b5d8  poet.tang.40000.json
3c12f59a5103e582eed9fe6ae13affddc030a31e9956efb13cb7768296ba7396  poet.tang.41000.json
060026beb06028864bce48e8074e2690f92a1dc5a76ee91f98f2d62b5f02a15c  poet.tang.42000.json
de5e658dccbcf0d2b38312b39a2423459b88ef893830bc145d453d82887a5753  poet.tang.43000.json
8c6d550818f5390413bc58fbb3af059d3fa4a92264b1bcf84439c2b0bb043985  poet.tang.44000.json
5177a4747b785f04897c36b77d5e033b11a7bcad759d1557fdb425166b8767f3  poet.tang.45000.json
287e548147e6959306b74c862a1ebe43cdca39adee34e2c63ae5d3b5eaced1f5  poet.tang.46000.json
8b43cce475ed43b1105a12a8bdcef32ac22dc056c5f2c616a2976a4103b5d8ac  poet.tang.47000.json
8df4861e8d7bc114e91d0a5e37d193f662485cd88b8d09289cc5ac9ab243c3ed  poet.tang.48000.json
418e5a082cb70c4f85ce842affec8828a53f6296882e45339c74d553fc46495e  poet.tang.49000.json
894bf4e729932d2b48ba731a48075347cf55626c08ac9f30b2fe412ca9e4e895  poet.tang.50000.json
9bd1b263807c5c64bca773b76d4861a49af19b76184f88260d6080bb03311928  poet.tang.51000.json
1124f4b27f46bd1ffaafdda530719eddbe41858778a0a13e4557ea4eb49ffef0  poet.tang.52000.json
75841062fa939e72ee12669859933c9178b88a5c5492bc9ba84d9ef7c6f1e65a  poet.tang.53000.json
cd2ba326b80ff8490723ad9fb1ace812306f0e433b74268420165068b0a975ac  poet.tang.54000.json
3782736dfee847958363d4adeff1236f148aff3726f2964963b17b06dad2f97b  poet.tang.55000.json
274ad6e13c069e35856e53b5dee6821ad2aa9bf8b2a5f969e2eb1234fe954bca  poet.tang.56000.json
e04c137b040c1a91e16614178c189d0c30a68e1d4657ea8fde8467601e3ac121  poet.tang.57000.json
"""
TANG_FILES = {name: digest for digest, name in (line.split() for line in TANG_SHA256.strip().splitlines())}

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
        Dataset(
            "tang",
            "Complete Tang Poems 全唐诗 (chinese-poetry project, 58 files poet.tang.*.json)",
            "chinese-poetry/全唐诗",
            TANG_FOLDER_URL,
            pinned="the chinese-poetry repository at commit " + TANG_COMMIT[:12],
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
    if name == "tang":
        return all((path / f).is_file() for f in TANG_FILES)
    return path.is_file()


def how_to_get(name: str) -> str:
    """One short paragraph telling a student how to put dataset ``name`` in place by hand."""
    d = _dataset(name)
    target = dataset_path(name)
    fetch = f"download {d.url}"
    if d.archive_member:
        fetch += f" and unpack {d.archive_member} from it"
    if name == "tang":
        fetch = f"download the {len(TANG_FILES)} files poet.tang.0.json … poet.tang.57000.json from {d.url}"
        target = target / "poet.tang.0.json"
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
    if name == "tang":
        return _ensure_tang()
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


def _ensure_tang() -> Path:
    """The folder of the 58 Tang poem files: each missing file downloaded, every file's sha256 checked."""
    d = DATASETS["tang"]
    folder = dataset_path("tang")
    missing = [f for f in TANG_FILES if not (folder / f).is_file()]
    reason = f"{OFFLINE_ENV} is set" if missing and offline() else None
    while missing and reason is None:
        part = Dataset(f"tang/{missing[0]}", d.title, f"{d.path}/{missing[0]}", d.url + missing[0],
                       checksum="sha256:" + TANG_FILES[missing[0]])
        reason = _download(part)
        if reason is None:
            missing.pop(0)
    if missing:
        raise DatasetNotFoundError(
            f"{d.title} not found: {len(missing)} of the {len(TANG_FILES)} files are missing from {folder} "
            f"(e.g. {missing[0]}) in the data folder {data_dir()}. Downloading {d.url}{missing[0]} failed ({reason}). "
            f"To fix: {how_to_get('tang')}"
        )
    for f, digest in TANG_FILES.items():
        verify_checksum(folder / f, "sha256:" + digest,
                        f"The course pins {d.pinned}; put that file there (course machines: `{OFFLINE_SCRIPT}`).")
    return folder


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
        for label, text in _raw_reviews(root, split):
            seqs.append(np.array([word_index.get(t, 0) for t in keras_tokenize(text)], dtype=np.int32))
            labels.append(label)
        splits[split] = (seqs, np.array(labels, dtype=np.int64))
    (xtr, ytr), (xte, yte) = splits["train"], splits["test"]
    try:
        np.savez(cache, x_train=np.concatenate(xtr), len_train=[len(s) for s in xtr], y_train=ytr,
                 x_test=np.concatenate(xte), len_test=[len(s) for s in xte], y_test=yte)
    except OSError:
        pass  # a read-only data folder only costs the re-encoding next time
    return _as_object(xtr), ytr, _as_object(xte), yte


def _raw_reviews(root: Path, split: str):
    """(label, text) of every raw review of ``split``: negatives then positives, by file number."""
    for label, folder in ((0, "neg"), (1, "pos")):
        for p in sorted((root / split / folder).glob("*.txt"), key=lambda p: int(p.stem.split("_")[0])):
            yield label, p.read_text(encoding="utf-8")


def _keras_order(n_train: int, n_test: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The shuffles ``keras.datasets.imdb.load_data`` applies: train first, then test, one RandomState."""
    rng = np.random.RandomState(seed)
    train, test = np.arange(n_train), np.arange(n_test)
    rng.shuffle(train)
    rng.shuffle(test)
    return train, test


def load_imdb_texts(*, seed: int = 113) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """The raw review strings and labels, ``(texts_train, y_train), (texts_test, y_test)``.

    In the order of ``load_imdb(source="raw")``, so row i is the same review in both (notebook 05's
    ``TextVectorization`` path starts from these strings).
    """
    root = ensure("aclimdb")
    parts = []
    for split in ("train", "test"):
        labels, texts = zip(*_raw_reviews(root, split))
        parts.append((np.array(texts, dtype=object), np.array(labels, dtype=np.int64)))
    (xtr, ytr), (xte, yte) = parts
    train, test = _keras_order(len(xtr), len(xte), seed)
    return (xtr[train], ytr[train]), (xte[test], yte[test])


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
    train, test = _keras_order(len(x_train), len(x_test), seed)
    x_train, y_train, x_test, y_test = x_train[train], y_train[train], x_test[test], y_test[test]

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


# --------------------------------------------------------------------------- Chinese script and Tang poems


@functools.cache
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese with OpenCC's ``t2s`` tables (characters and phrases, e.g. 對不起 → 对不起).

    Simplified text, Latin letters, digits and punctuation pass through unchanged (notebooks 08 and 09). Where the
    Simplified form is a rare extension character that most fonts lack (騧 → 䯄, about 300 of the Tang poems have
    one), the character is kept as written.
    """
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    out = _t2s().convert(text)
    if len(out) != len(text):
        return out
    return "".join(o if _rare_han(s) and not _rare_han(o) else s for o, s in zip(text, out))


def _rare_han(char: str) -> bool:
    """A CJK ideograph outside the basic block U+4E00-9FFF (extension A, B, …), which most fonts lack."""
    code = ord(char)
    return 0x3400 <= code <= 0x4DBF or code >= 0x20000


POEM_FORMS = {"五言绝句": 4, "五言律诗": 8}  # form → number of five-character lines
_HAN = "[\u4e00-\u9fff]"  # a CJK character of the basic block: no □ for a lost character, no brackets, no notes
_COUPLET = f"{_HAN}{{5}}，{_HAN}{{5}}。"


@dataclasses.dataclass(frozen=True)
class Poem:
    """One five-character poem: its lines without punctuation; ``text`` puts "，" and "。" back in their places."""

    title: str
    author: str
    lines: tuple[str, ...]

    @property
    def form(self) -> str:
        return "五言绝句" if len(self.lines) == 4 else "五言律诗"

    @property
    def text(self) -> str:
        return "".join(line + ("，" if i % 2 == 0 else "。") for i, line in enumerate(self.lines))


def load_tang_poems(forms: tuple[str, ...] = ("五言绝句", "五言律诗"), *, simplified: bool = True,
                    folder: Path | None = None) -> list[Poem]:
    """The five-character Tang poems of the chinese-poetry 全唐诗 files, in file order (notebook 09).

    Kept: poems whose whole text is 2 (五言绝句) or 4 (五言律诗) couplets "xxxxx，xxxxx。" of CJK characters, so
    entries with a lost character (□), editorial notes or brackets are dropped. ``simplified`` converts
    Traditional → Simplified with :func:`to_simplified`. A poem whose text repeats an earlier one is dropped
    (the collection lists some poems under two authors). ``folder`` reads another copy of the files (no pin).
    """
    forms = tuple(arguments.choice("form", f, tuple(POEM_FORMS)) for f in ([forms] if isinstance(forms, str) else forms))
    if not forms:
        raise ValueError(f"forms must name at least one of {', '.join(POEM_FORMS)}")
    folder = Path(folder) if folder is not None else ensure("tang")
    files = sorted(folder.glob("poet.tang.*.json"), key=lambda p: int(p.name.split(".")[2]))
    if not files:
        raise DatasetNotFoundError(f"no poet.tang.*.json files in {folder}")
    poems, seen = [], set()
    for path in files:
        for entry in json.loads(path.read_text(encoding="utf-8")):
            text = "".join(entry.get("paragraphs") or [])
            if simplified:
                text = to_simplified(text)
            if poem_form(text) not in forms:
                continue
            if text in seen:
                continue
            seen.add(text)
            lines = tuple(re.split("[，。]", text)[:-1])
            title, author = entry.get("title", ""), entry.get("author", "")
            if simplified:
                title, author = to_simplified(title), to_simplified(author)
            poems.append(Poem(title, author, lines))
    return poems


def split_poems(poems: list[Poem], val_fraction: float = 0.05, test_fraction: float = 0.05,
                seed: int = 0) -> tuple[list[Poem], list[Poem], list[Poem]]:
    """A fixed split by poem: (train, validation, test), shuffled with ``seed``; each poem lies in one part."""
    val_fraction = arguments.number("val_fraction", val_fraction, 0, 1, high_open=True)
    test_fraction = arguments.number("test_fraction", test_fraction, 0, 1 - val_fraction, high_open=True)
    order = np.random.default_rng(seed).permutation(len(poems))
    n_test, n_val = round(len(poems) * test_fraction), round(len(poems) * val_fraction)
    pick = lambda idx: [poems[i] for i in sorted(idx)]
    return pick(order[n_test + n_val:]), pick(order[n_test:n_test + n_val]), pick(order[:n_test])


def poem_form(text: str) -> str | None:
    """"五言绝句" or "五言律诗" when ``text`` is 2 or 4 couplets "xxxxx，xxxxx。" of CJK characters, else None."""
    if not isinstance(text, str):
        raise ValueError(f"text must be a str, got {type(text).__name__}")
    if not re.fullmatch(f"(?:{_COUPLET})+", text):
        return None
    return {4: "五言绝句", 8: "五言律诗"}.get(2 * text.count("。"))
