"""Exercises a student solves in the notebook and checks on the spot.

Each exercise has an id "NN.k" (notebook NN, exercise k). In a notebook::

    ex = exercise("02.1")
    ex.check(elman_step)   # one line: not attempted yet / not yet right: what differs / correct
    ex.hint()              # a hint, on request

A check never raises for a missing or wrong answer, so *Run All* passes on an unsolved notebook. Its lines
start with "Exercise NN.k", never with the ✓ / ✗ of :mod:`rnnlab.checks`, which checks the notebook's own claims.
"Write it yourself" checkers call the student's function on inputs and weights they draw themselves and
compare with the course's reference (:mod:`rnnlab.cells`, :mod:`rnnlab.dynamics`, :mod:`rnnlab.seq2seq`).
The checkers of notebook NN live in ``rnnlab.exercises.nbNN``.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

NOT_ATTEMPTED, WRONG, CORRECT = "not attempted", "wrong", "correct"
_ID = re.compile(r"^(\d\d)\.(\d+)$")
_REGISTRY: dict[str, "Exercise"] = {}


class NotAttempted(Exception):
    """The answer is still the stub (``...``, ``None`` or a function that raises NotImplementedError)."""


class Wrong(Exception):
    """The answer is wrong; the message says what differs, in a student's terms."""


@dataclass
class Exercise:
    """One checked exercise: ``checker(answer)`` returns a success detail or raises Wrong / NotAttempted."""

    id: str
    title: str
    kind: str  # "write" (write the algorithm yourself) or "predict" (a number or a choice)
    checker: Callable[[Any], str]
    hint_text: str
    last: str | None = field(default=None, repr=False)  # outcome of the last check()
    last_line: str = field(default="", repr=False)

    def check(self, answer: Any = ...) -> None:
        """Check ``answer`` and print one line; never raises for a missing or wrong answer."""
        try:
            if answer is None or answer is Ellipsis:
                raise NotAttempted
            detail = self.checker(answer)
        except NotAttempted:
            self._say(NOT_ATTEMPTED, "not attempted yet (write your answer in the cell above, then run it again)")
        except Wrong as wrong:
            reason = str(wrong)
            first = reason.split(" ", 1)[0]
            if first.isalpha() and first.islower():  # a sentence, not a name such as h_t or dW
                reason = reason[:1].upper() + reason[1:]
            self._say(WRONG, f"not yet right. {reason}")
        else:
            self._say(CORRECT, f"correct! {detail}".rstrip())

    def hint(self) -> None:
        """Print the hint."""
        print(f"Exercise {self.id} hint: {self.hint_text}")

    def _say(self, outcome: str, text: str) -> None:
        self.last, self.last_line = outcome, f"Exercise {self.id}: {text}"
        print(self.last_line, flush=True)

    def __repr__(self) -> str:
        return f"Exercise {self.id} ({self.kind}): {self.title}"


def register(id: str, title: str, kind: str, hint: str) -> Callable[[Callable[[Any], str]], Callable[[Any], str]]:
    """Decorator for a checker in ``rnnlab.exercises.nbNN``: ``@register("02.1", "the Elman step", "write", hint)``."""
    if not _ID.match(id) or kind not in ("write", "predict"):
        raise ValueError(f"an exercise needs an id 'NN.k' and kind 'write' or 'predict', got {id!r}, {kind!r}")

    def wrap(checker):
        if id in _REGISTRY:
            raise ValueError(f"exercise {id} is registered twice")
        _REGISTRY[id] = Exercise(id, title, kind, checker, hint)
        return checker

    return wrap


def exercise(id: str) -> Exercise:
    """The exercise ``id`` ("NN.k"); ValueError naming the ones that exist if there is no such exercise."""
    match = _ID.match(id) if isinstance(id, str) else None
    if match is None:
        raise ValueError(f"id must look like '02.1' (notebook 02, exercise 1), got {id!r}")
    _load(match.group(1))
    if id not in _REGISTRY:
        known = ", ".join(sorted(k for k in _REGISTRY if k.startswith(match.group(1) + "."))) or "none"
        raise ValueError(f"there is no exercise {id}; notebook {match.group(1)} has: {known}")
    return _REGISTRY[id]


def exercises_of(notebook: str) -> list[Exercise]:
    """Every exercise of notebook ``NN``, in order."""
    _load(notebook)
    return [e for k, e in sorted(_REGISTRY.items(), key=lambda kv: int(kv[0].split(".")[1])) if k[:2] == notebook]


def _load(notebook: str) -> None:
    try:
        importlib.import_module(f"rnnlab.exercises.nb{notebook}")
    except ModuleNotFoundError as missing:
        if missing.name != f"rnnlab.exercises.nb{notebook}":
            raise


# ------------------------------------------------------------------ helpers for the checkers
def call(function: Any, *args, name: str = "", inputs: str = "") -> Any:
    """Call the student's function; NotImplementedError → not attempted, any other error → Wrong, said plainly."""
    if not callable(function):
        raise Wrong(f"expected a function, got {type(function).__name__} {function!r:.60}")
    name = name or getattr(function, "__name__", "your function")
    try:
        return function(*args)
    except NotImplementedError:
        raise NotAttempted from None
    except Exception as error:  # noqa: BLE001 - any error in the student's code becomes feedback
        raise Wrong(f"{name}({inputs}) raised {type(error).__name__}: {error}") from None


def as_array(name: str, value: Any) -> np.ndarray:
    """``value`` as a float array, or Wrong saying what came back instead."""
    if value is None:
        raise Wrong(f"{name} is None: did your function forget to `return` it?")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise Wrong(f"{name} should be an array of numbers, got {type(value).__name__}") from None
    return array


def compare(name: str, got: Any, expected: np.ndarray, axes: tuple[str, ...], *, atol: float = 1e-6,
            case: str = "", variants: dict[str, np.ndarray] | None = None) -> None:
    """Wrong unless ``got`` has ``expected``'s shape and values (within ``atol``).

    The message names the shape (with ``axes``) or the element that differs most, with both values; ``case``
    says which of the checker's inputs it was. ``variants`` maps a known mistake ("the bias is missing") to what
    that mistake would return; a match is named.
    """
    got = as_array(name, got)
    where = f" ({case})" if case else ""
    if got.shape != expected.shape:
        shape = f"({', '.join(axes)}) = {expected.shape}" if len(axes) == expected.ndim else str(expected.shape)
        extra = " (transposed?)" if got.shape == expected.shape[::-1] and got.ndim > 1 else ""
        raise Wrong(f"{name} has shape {got.shape}{where}; expected {shape}{extra}.")
    if not np.all(np.isfinite(got)):
        raise Wrong(f"{name} contains NaN or infinity{where}.")
    diff = np.abs(got - expected)
    if diff.size == 0 or diff.max() <= atol:
        return
    for mistake, value in (variants or {}).items():
        if np.shape(value) == got.shape and np.allclose(got, value, atol=max(atol, 1e-9), rtol=0):
            raise Wrong(f"{name}{where} is what you get when {mistake}.")
    index = np.unravel_index(int(np.argmax(diff)), diff.shape)
    position = ", ".join(f"{axis} {i}" for axis, i in zip(axes, index)) if len(axes) == len(index) else str(index)
    raise Wrong(f"{name}{where} differs most at {position}: expected {expected[index]:.6g}, got {got[index]:.6g} "
                f"(largest difference {diff.max():.2g}; {int((diff > atol).sum())} of {diff.size} elements differ).")


def a_number(name: str, got: Any, *, case: str = "", nonfinite: str = "") -> float:
    """``got`` as a float, or Wrong unless it is one real, finite number (not a bool; a size-1 array counts).

    ``case`` says which of the checker's inputs it was; ``nonfinite`` says what a NaN or infinity usually means.
    """
    where = f" ({case})" if case else ""
    try:
        array = np.asarray(got)
    except ValueError:  # a ragged list
        array = np.asarray(None)
    if array.dtype.kind not in "iuf":
        raise Wrong(f"{name} should be a number{where}, got {type(got).__name__} {got!r:.60}")
    if array.size != 1:
        raise Wrong(f"{name} should be one number{where}, got an array of shape {array.shape}.")
    value = float(array.reshape(()))
    if not np.isfinite(value):
        raise Wrong(f"{name} is {value}{where}: " + (nonfinite or "it should be a finite number."))
    return value


def number(name: str, got: Any, expected: float, *, rtol: float = 1e-3, atol: float = 0.0, why: str = "",
           mistakes: Sequence[tuple[float, str]] = (), mistake_rtol: float | None = None, case: str = "") -> str:
    """Wrong unless ``got`` is a number within the tolerance of ``expected``; returns a success detail.

    ``mistakes`` are (value, reason) pairs of known wrong answers: one within ``mistake_rtol`` (default ``rtol``) and
    ``atol`` is named. ``case`` names the checker's own input (which the student never saw); the message then also
    gives ``expected``.
    """
    value = a_number(name, got, case=case)
    if np.isclose(value, expected, rtol=rtol, atol=atol):
        return f"{name} = {expected:.6g}."
    said = f"{name} is {value:.6g} ({case}); expected {expected:.6g}" if case else f"{name} = {value:.6g}"
    for wrong, reason in mistakes:
        if np.isclose(value, wrong, rtol=rtol if mistake_rtol is None else mistake_rtol, atol=atol):
            raise Wrong(f"{said}: {reason}")
    if not case:
        said += " is too large" if value > expected else " is too small"
    raise Wrong(said + (f"; {why}" if why else "."))


def choice(name: str, got: Any, expected: str, options: dict[str, str]) -> str:
    """Wrong unless ``got`` is the letter ``expected`` of ``options``; a wrong letter gets its option's reason."""
    if not isinstance(got, str) or got.strip().lower() not in options:
        raise Wrong(f"{name} should be one of the letters {', '.join(repr(k) for k in options)}, got {got!r:.40}")
    got = got.strip().lower()
    if got != expected:
        raise Wrong(f"({got}) is not it: {options[got]}")
    return f"({expected}) {options[expected]}"
