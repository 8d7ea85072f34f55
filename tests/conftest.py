"""Shared fixtures: every test gets its own data and build folders and the quick profile."""
import pytest


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("RNNLAB_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("RNNLAB_BUILD_DIR", str(tmp_path / "build"))
    monkeypatch.setenv("RNNLAB_PROFILE", "quick")
    monkeypatch.delenv("RNNLAB_OFFLINE", raising=False)
    (tmp_path / "data").mkdir()
    return tmp_path


@pytest.fixture
def run_answer():
    """Execute a solution or a wrong answer as a student's notebook cell would (np, keras, tf and exercise
    defined); returns what it printed."""
    import contextlib
    import io

    import keras
    import numpy as np
    import tensorflow as tf

    from rnnlab.exercises import exercise

    def run(code: str) -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(code, {"np": np, "keras": keras, "tf": tf, "exercise": exercise})
        return out.getvalue()

    return run
