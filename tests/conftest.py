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
