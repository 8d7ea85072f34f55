"""Argument checks shared by every public function: each returns the checked value or raises a ValueError
whose message starts with the argument's name, "<name> must be …, got …". ``True`` is never a number here.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np

__all__ = ["integer", "integers", "number", "choice", "array"]


def _bound(x) -> str:
    return str(x) if isinstance(x, (int, np.integer)) else f"{x:g}"


def _range(low, high, low_open: bool = False, high_open: bool = False) -> str:
    if low is not None and high is not None:
        return f" in {'(' if low_open else '['}{_bound(low)}, {_bound(high)}{')' if high_open else ']'}"
    if low is not None:
        return f" {'>' if low_open else '>='} {_bound(low)}"
    if high is not None:
        return f" {'<' if high_open else '<='} {_bound(high)}"
    return ""


def _is_integer(value) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _within(value, low, high, low_open: bool = False, high_open: bool = False) -> bool:
    return ((low is None or (value > low if low_open else value >= low))
            and (high is None or (value < high if high_open else value <= high)))


def _fail(name: str, what: str, note: str, got: str) -> ValueError:
    return ValueError(f"{name} must be {what}{' ' + note if note else ''}, got {got}")


def integer(name: str, value, minimum: int | None = None, maximum: int | None = None, *, note: str = "") -> int:
    """``value`` as an int: a Python or NumPy integer (not a bool) in [minimum, maximum]; ``note`` ends the message."""
    if not (_is_integer(value) and _within(value, minimum, maximum)):
        raise _fail(name, "an integer" + _range(minimum, maximum), note, repr(value))
    return int(value)


def integers(name: str, values, minimum: int | None = None, maximum: int | None = None) -> list[int]:
    """``values`` as a list of ints, each one as ``integer`` requires."""
    out = list(values)
    for position, value in enumerate(out):
        if not (_is_integer(value) and _within(value, minimum, maximum)):
            raise _fail(name, "integers" + _range(minimum, maximum), "", f"{value!r} at position {position}")
    return [int(v) for v in out]


def number(name: str, value, low: float | None = None, high: float | None = None, *, low_open: bool = False,
           high_open: bool = False, finite: bool = True, note: str = "") -> float:
    """``value`` as a float: a Python or NumPy real (not a bool, never NaN; infinite only with ``finite=False``)
    between ``low`` and ``high``, each bound included unless ``low_open`` / ``high_open``."""
    ok = isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))
    ok = ok and not np.isnan(value) and (np.isfinite(value) or not finite)
    ok = ok and _within(value, low, high, low_open, high_open)
    if not ok:
        what = ("a finite number" if finite else "a number") + _range(low, high, low_open, high_open)
        raise _fail(name, what, note, repr(value))
    return float(value)


def choice(name: str, value, options: Sequence):
    """``value`` itself when it is one of ``options``."""
    try:
        ok = value in options
    except (TypeError, ValueError):  # e.g. an array, whose == is elementwise
        ok = False
    if not ok:
        raise _fail(name, "one of " + ", ".join(map(str, options)), "", repr(value))
    return value


def array(name: str, value, *shapes: tuple, expected: str, finite: bool = False) -> np.ndarray:
    """``value`` as a float64 array whose shape is one of ``shapes`` (None: any length on that axis);
    ``expected`` spells the shape out for the message, e.g. "(batch, units) = (2, 5)"."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError) as err:
        raise _fail(name, f"a numeric array of shape {expected}", "", f"{type(value).__name__} ({err})") from None
    if not any(len(s) == arr.ndim and all(d is None or d == n for d, n in zip(s, arr.shape)) for s in shapes):
        raise _fail(name, f"an array of shape {expected}", "", f"shape {arr.shape}")
    if finite and not np.all(np.isfinite(arr)):
        raise _fail(name, f"a finite array of shape {expected}", "", np.array2string(arr, threshold=8))
    return arr
