import random

import numpy as np
import pytest

import rnnlab
from rnnlab import config

SIZES = dict(quick=dict(epochs=1, n=8), standard=dict(epochs=5, n=64), full=dict(epochs=50, n=512))


@pytest.mark.parametrize("name", ["quick", "standard", "full"])
def test_profile_picks_the_active_sizes(monkeypatch, name):
    monkeypatch.setenv("RNNLAB_PROFILE", name)
    p = rnnlab.profile(**SIZES)
    assert p.name == name and p.epochs == SIZES[name]["epochs"] and p.n == SIZES[name]["n"]


def test_default_profile_is_standard(monkeypatch):
    monkeypatch.delenv("RNNLAB_PROFILE")
    assert rnnlab.current_profile() == "standard"


def test_unknown_profile_names_the_variable_and_choices(monkeypatch):
    monkeypatch.setenv("RNNLAB_PROFILE", "fast")
    with pytest.raises(ValueError, match=r"^RNNLAB_PROFILE must be one of quick, standard, full, got 'fast'$"):
        rnnlab.current_profile()


def test_profile_needs_all_three_with_the_same_keys():
    with pytest.raises(ValueError, match="missing: \\['full'\\]"):
        rnnlab.profile(quick={}, standard={})
    with pytest.raises(ValueError, match="profile 'quick' has keys"):
        rnnlab.profile(quick=dict(epochs=1), standard=dict(epochs=2, n=3), full=dict(epochs=3, n=3))


def test_setup_seeds_python_numpy_and_keras(capsys):
    import keras

    def draw():
        rnnlab.setup("00_test", seed=7)
        return random.random(), np.random.rand(), float(keras.random.uniform((1,))[0])

    assert draw() == draw()
    banner = capsys.readouterr().out
    assert "profile quick" in banner and "TensorFlow" in banner and "Keras" in banner


def test_setup_rejects_a_path_as_notebook_name():
    with pytest.raises(ValueError, match="notebook"):
        rnnlab.setup("notebooks/01.ipynb")


def test_record_before_setup_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(config._state, "notebook", None)
    with pytest.raises(RuntimeError, match="rnnlab.setup"):
        rnnlab.report.record("x", 1)


def test_rnnlab_seed_replaces_the_notebooks_seed_and_the_banner_says_so(monkeypatch, capsys):
    monkeypatch.setenv("RNNLAB_SEED", "7")
    rnnlab.setup("00_test", seed=0)
    assert config.current_seed() == 7
    assert "seed 7 (from RNNLAB_SEED)" in capsys.readouterr().out
    first = np.random.rand()
    monkeypatch.delenv("RNNLAB_SEED")
    rnnlab.setup("00_test", seed=7)
    assert np.random.rand() == first and config.current_seed() == 7


@pytest.mark.parametrize("bad", ["-1", "seven", "1.5"])
def test_a_bad_rnnlab_seed_is_refused_by_name(monkeypatch, bad):
    monkeypatch.setenv("RNNLAB_SEED", bad)
    with pytest.raises(ValueError, match="RNNLAB_SEED must be a whole number"):
        rnnlab.setup("00_test")
