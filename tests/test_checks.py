"""rnnlab.checks: a true claim prints one line, a false one raises in every profile."""
import numpy as np
import pytest

from rnnlab import checks


def test_a_true_claim_prints_one_line(capsys):
    assert checks.check("rows sum to 1", np.allclose([1.0, 1.0], 1)) is None  # nothing shown after the line
    assert capsys.readouterr().out == "✓ rows sum to 1\n"


@pytest.mark.parametrize("profile", ["quick", "standard", "full"])
def test_a_false_claim_raises_in_every_profile(monkeypatch, profile):
    monkeypatch.setenv("RNNLAB_PROFILE", profile)
    with pytest.raises(checks.CheckFailed, match="✗ pads get 0: this is false"):
        checks.check("pads get 0", np.array([0.0, 0.1]) == 0)


def test_check_close_reports_the_worst_element(capsys):
    a = np.zeros((2, 3))
    assert checks.check_close("NumPy LSTM = Keras LSTM", a + 1e-7, a, atol=1e-5) == pytest.approx(1e-7)
    assert capsys.readouterr().out == "✓ NumPy LSTM = Keras LSTM (max |difference| ≤ 1e-05)\n"
    b = a.copy()
    b[1, 2] = 0.5
    with pytest.raises(checks.CheckFailed, match=r"max \|difference\| 0.5 > 1e-05, largest at index \(1, 2\)"):
        checks.check_close("NumPy LSTM = Keras LSTM", b, a, atol=1e-5)


def test_check_close_rejects_other_shapes_and_nan():
    with pytest.raises(checks.CheckFailed, match=r"shapes differ, \(3,\) vs expected \(2,\)"):
        checks.check_close("same", np.zeros(3), np.zeros(2), atol=1)
    with pytest.raises(checks.CheckFailed, match="nan"):
        checks.check_close("same", [np.nan], [0.0], atol=1)


def test_check_between_is_a_band(capsys):
    assert checks.check_between("initial loss ≈ log V", 8.0, 7.9, 8.1) == 8.0
    assert "✓ initial loss ≈ log V (8 in [7.9, 8.1])" in capsys.readouterr().out
    checks.check_between("initial loss ≈ log V", 8.0, 7.9, 8.1, show=False)
    assert capsys.readouterr().out == "✓ initial loss ≈ log V (in [7.9, 8.1])\n"
    with pytest.raises(checks.CheckFailed, match=r"9 is outside \[7.9, 8.1\]"):
        checks.check_between("initial loss ≈ log V", 9.0, 7.9, 8.1)


@pytest.mark.parametrize(
    "call, argument",
    [
        (lambda: checks.check("", True), "claim"),
        (lambda: checks.check_close("x", 1, 1, atol=-1), "atol"),
        (lambda: checks.check_close("x", 1, 1, atol=True), "atol"),
        (lambda: checks.check_between("x", 1, 2, 1), "low"),
    ],
)
def test_bad_arguments_name_the_argument(call, argument):
    with pytest.raises(ValueError, match=argument):
        call()
