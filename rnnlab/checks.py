"""Checks of what a notebook states: each prints one readable line and raises when the claim is false.

A notebook that says "NumPy equals Keras" or "the initial loss is about log V" calls one of these,
so a false claim fails the notebook in every profile (``rnnlab run`` marks it FAILED), not only
where nbval compares a printed ``True``. Lines start with ✓; a failure raises :class:`CheckFailed`
whose message starts with ✗ and says what was expected.
"""
from __future__ import annotations

import numpy as np

from rnnlab import arguments


class CheckFailed(AssertionError):
    """A claim a notebook makes about its own results is false."""


def _claim(claim) -> str:
    if not isinstance(claim, str) or not claim.strip():
        raise ValueError(f"claim must be a non-empty sentence, got {claim!r}")
    return claim.strip()


def _passed(claim: str, detail: str) -> None:
    print(f"✓ {claim}" + (f" ({detail})" if detail else ""), flush=True)


def check(claim: str, ok, detail: str = "") -> None:
    """Print ``✓ claim`` when ``ok`` is true, else raise :class:`CheckFailed`; ``detail`` says how it was judged.

    Returns nothing, so a cell that ends with a check shows only its line.
    """
    claim = _claim(claim)
    if not bool(np.all(ok)):
        raise CheckFailed(f"✗ {claim}" + (f" ({detail})" if detail else "") + ": this is false in this run")
    _passed(claim, detail)


def check_close(claim: str, actual, expected, atol: float) -> float:
    """``actual`` equals ``expected`` elementwise within ``atol`` (same shape); returns the largest difference.

    The printed line names the tolerance, not the difference, so it reads the same on every machine.
    """
    claim = _claim(claim)
    atol = arguments.number("atol", atol, 0, finite=False)
    a, e = np.asarray(actual, dtype=float), np.asarray(expected, dtype=float)
    if a.shape != e.shape:
        raise CheckFailed(f"✗ {claim}: shapes differ, {a.shape} vs expected {e.shape}")
    gap = np.where(np.isnan(a - e), np.inf, np.abs(a - e))  # a NaN counts as the worst difference
    diff = float(np.max(np.abs(a - e))) if a.size else 0.0
    if not diff <= atol:  # also catches NaN
        where = np.unravel_index(int(np.argmax(gap)), a.shape) if a.ndim else ()
        raise CheckFailed(f"✗ {claim}: max |difference| {diff:.3g} > {atol:g}"
                          + (f", largest at index {tuple(int(i) for i in where)}" if where else ""))
    _passed(claim, f"max |difference| ≤ {atol:g}")
    return diff


def check_between(claim: str, value, low: float, high: float, show: bool = True) -> float:
    """``low ≤ value ≤ high``: a band for a measured quantity; returns the value.

    ``show=False`` leaves the value out of the printed line (for cells whose output is compared).
    """
    claim = _claim(claim)
    high = arguments.number("high", high, finite=False)
    low = arguments.number("low", low, high=high, finite=False, note="(high)")
    v = float(value)
    if not low <= v <= high:
        raise CheckFailed(f"✗ {claim}: {v:.4g} is outside [{low:g}, {high:g}]")
    _passed(claim, (f"{v:.4g} in [{low:g}, {high:g}]" if show else f"in [{low:g}, {high:g}]"))
    return v
