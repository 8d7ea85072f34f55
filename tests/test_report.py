import json

import numpy as np
import pandas as pd
import pytest

from rnnlab import config, report

FIELDS = {"notebook", "profile", "finished", "wall_s", "peak_rss_mb", "device", "versions", "metrics", "tables"}


@pytest.fixture
def notebook(monkeypatch):
    monkeypatch.setitem(config._state, "notebook", "99_demo")
    return "99_demo"


def test_record_writes_the_metrics_file_of_the_spec(notebook, isolated_dirs):
    report.record("acc", np.float32(0.5))
    report.record("per_model", {"rnn": np.float64(0.25), "curve": np.arange(3)})
    data = json.loads((isolated_dirs / "build" / "metrics" / "99_demo.json").read_text())
    assert set(data) == FIELDS
    assert data["notebook"] == "99_demo" and data["profile"] == "quick"
    assert data["metrics"] == {"acc": 0.5, "per_model": {"rnn": 0.25, "curve": [0, 1, 2]}}
    assert data["versions"]["keras"].startswith("3.")


def test_record_table_stores_rows(notebook):
    df = pd.DataFrame({"model": ["a", "b"], "acc": [0.5, np.nan]})
    report.record_table("comparison", df)
    rows = report.read(notebook)["tables"]["comparison"]
    assert rows == [{"model": "a", "acc": 0.5}, {"model": "b", "acc": None}]


def test_a_file_from_another_profile_is_reset(notebook, monkeypatch):
    report.record("a", 1)
    monkeypatch.setenv("RNNLAB_PROFILE", "standard")
    report.record("b", 2)
    data = report.read(notebook)
    assert data["profile"] == "standard" and data["metrics"] == {"b": 2}


def test_unrecordable_values_and_keys_are_refused(notebook):
    with pytest.raises(ValueError, match="cannot record"):
        report.record("model", object())
    with pytest.raises(ValueError, match="key"):
        report.record("", 1)
    with pytest.raises(ValueError, match="DataFrame"):
        report.record_table("t", "not a table")


def test_reference_runs_load_from_any_working_directory(tmp_path, monkeypatch, capsys):
    from rnnlab import paths

    monkeypatch.chdir(tmp_path)  # not notebooks/: the path must not depend on where the kernel started
    ref = report.load_reference("05_imdb_sentiment")
    assert ref["profile"] == "full" and ref["tables"]["comparison"]
    assert "Reference run (full profile)" in capsys.readouterr().out
    monkeypatch.setattr(paths, "REFERENCE_DIR", tmp_path / "none")
    assert report.load_reference("05_imdb_sentiment") is None
    out = capsys.readouterr().out
    assert "05_imdb_sentiment.full.json is missing" in out and "rnnlab run --profile full 05" in out
    assert report.load_reference("05_imdb_sentiment", kind="seeds.standard") is None
    assert "scripts/seed_spread.py 05 --profile standard" in capsys.readouterr().out
    with pytest.raises(ValueError, match="kind"):
        report.load_reference("05_imdb_sentiment", kind="best")
