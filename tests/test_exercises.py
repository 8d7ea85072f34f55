"""The exercises: every notebook has checked ones, every hidden solution passes its checker, stubs are 'not attempted'.

Wrong variants of each notebook's "write it yourself" exercises are in tests/test_exercises_NN.py.
"""
import re

import nbformat
import pytest

from rnnlab.exercises import CORRECT, NOT_ATTEMPTED, WRONG, exercise, exercises_of
from rnnlab.notebooks import NOTEBOOKS
from rnnlab.paths import NOTEBOOK_DIR

PRESENT = [NOTEBOOK_DIR / f"{stem}.ipynb" for stem in NOTEBOOKS if (NOTEBOOK_DIR / f"{stem}.ipynb").exists()]
CHECK_CALL = re.compile(r'exercise\("(\d\d\.\d+)"\)\.check\(')
FENCED = re.compile(r"```python\n(.*?)```", re.S)


def solutions(path):
    """(exercise id, code) for every python block inside a <details> Solution block of the notebook."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown" and "<summary>Solution" in cell.source:
            for code in FENCED.findall(cell.source):
                found += [(ex_id, code) for ex_id in CHECK_CALL.findall(code)]
    return found


@pytest.mark.parametrize("path", PRESENT, ids=lambda p: p.stem)
def test_every_notebook_has_three_checked_exercises_one_written_by_the_student(path):
    registered = exercises_of(path.stem[:2])
    assert len(registered) >= 3, f"{path.stem} has {len(registered)} checked exercises"
    assert any(e.kind == "write" for e in registered), f"{path.stem} has no 'write it yourself' exercise"
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    solved = {ex_id for ex_id, _ in solutions(path)}
    for e in registered:
        assert f'exercise("{e.id}")' in code, f"no code cell checks exercise {e.id} in {path.stem}"
        assert e.id in solved, f"exercise {e.id} has no hidden solution that calls its checker in {path.stem}"


@pytest.mark.parametrize("ex_id, code", [s for p in PRESENT for s in solutions(p)],
                         ids=lambda v: v if isinstance(v, str) and re.fullmatch(r"\d\d\.\d+", v) else "")
def test_every_hidden_solution_passes_its_checker(ex_id, code, run_answer):
    printed = run_answer(code)
    assert exercise(ex_id).last == CORRECT, printed


@pytest.mark.parametrize("path", PRESENT, ids=lambda p: p.stem)
def test_an_untouched_stub_is_not_attempted_and_does_not_raise(path):
    for e in exercises_of(path.stem[:2]):
        def stub(*args):
            raise NotImplementedError

        for answer in (..., None) + ((stub,) if e.kind == "write" else ()):
            e.check(answer)
            assert e.last == NOT_ATTEMPTED, e.last_line
            assert e.last_line == f"Exercise {e.id}: not attempted yet (write your answer in the cell above, then run it again)"


def test_a_wrong_answer_is_reported_not_raised_and_names_the_exercise(capsys):
    ex = exercise("02.1")
    ex.check(lambda *args: 1 / 0)
    line = capsys.readouterr().out.strip()
    assert ex.last == WRONG and line.startswith("Exercise 02.1: not yet right.") and "ZeroDivisionError" in line
    ex.check("not a function")
    assert ex.last == WRONG and "Expected a function" in ex.last_line


def test_lines_never_look_like_the_notebooks_own_checks():
    for stem in NOTEBOOKS:
        for e in exercises_of(stem[:2]):
            e.check(...)
            assert not e.last_line.startswith(("✓", "✗"))


@pytest.mark.parametrize("bad", ["2.1", "02-1", 21, "02.99"])
def test_an_unknown_exercise_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="02.1|look like"):
        exercise(bad)
