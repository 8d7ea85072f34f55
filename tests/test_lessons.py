"""Instructor material: every notebook has a lesson plan, and every cross-reference into a notebook resolves."""
import functools
import json
import re

import pytest

from rnnlab.notebooks import NOTEBOOKS
from rnnlab.paths import NOTEBOOK_DIR, REPO_ROOT

LESSONS = REPO_ROOT / "lessons"
PLAN_HEADINGS = ["Objectives", "Prerequisites", "45-minute plan", "90-minute plan", "Key equations",
                 "Questions to ask the class", "Exercises", "Common mistakes", "Notebook sections"]


@functools.cache
def headings(stem):
    """Markdown headings (level 1-3) of a notebook, in order; read once per notebook (links and references ask often)."""
    cells = json.loads((NOTEBOOK_DIR / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
    return tuple(line for c in cells if c["cell_type"] == "markdown"
                 for line in "".join(c["source"]).splitlines() if re.match(r"#{1,3} ", line))


def anchor(heading):
    """The id Jupyter gives a heading: its text without code marks, spaces replaced by '-'."""
    return heading.lstrip("#").strip().replace("`", "").replace(" ", "-")


def numbered_sections(stem):
    """{k: heading text} for the notebook's '## k. …' sections."""
    found = (re.match(r"## (\d+)\. (.*)", h) for h in headings(stem))
    return {int(m[1]): m[2] for m in found if m}


def section(text, title):
    """The body of '## title' up to the next level-2 heading."""
    m = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert m, f"missing section '## {title}'"
    return m[1]


def links(text):
    """Link targets of '[text](target)'; a target may hold balanced parentheses, as in '#7.-BPTT-(BPTT)'."""
    return re.findall(r"\]\(((?:[^()\s]|\([^()\s]*\))+)\)", text)


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_lesson_plan_has_every_part_in_order(stem):
    path = LESSONS / f"{stem}.md"
    assert path.exists(), f"no lesson plan {path.relative_to(REPO_ROOT)} for notebooks/{stem}.ipynb"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(f"# {stem[:2]} · "), "the plan starts with '# NN · <title>'"
    found = [h for h in re.findall(r"^## (.+)$", text, re.M) if h in PLAN_HEADINGS]
    assert found == PLAN_HEADINGS, f"level-2 headings {found}, expected {PLAN_HEADINGS} in this order"
    assert "### Keras 2 → 3" in section(text, "Common mistakes")
    questions = section(text, "Questions to ask the class")
    n_questions = len(re.findall(r"^\d+\. ", questions, re.M))
    assert n_questions >= 5 and questions.count("**Answer:**") == n_questions, "every question has an answer"
    assert section(text, "Exercises").count("**Solution sketch:**") >= 2


@pytest.mark.parametrize("stem", NOTEBOOKS)
@pytest.mark.parametrize("minutes", [45, 90])
def test_lesson_plan_timetable_adds_up(stem, minutes):
    table = section((LESSONS / f"{stem}.md").read_text(encoding="utf-8"), f"{minutes}-minute plan")
    spans = [(int(a), int(b)) for a, b in re.findall(r"^\|\s*(\d+)\s*[-–]\s*(\d+)\s*\|", table, re.M)]
    assert spans, "the plan is a table whose rows start with 'start-end' minutes"
    assert spans[0][0] == 0 and spans[-1][1] == minutes, f"plan runs {spans[0][0]}-{spans[-1][1]} min"
    gaps = [(prev, nxt) for prev, nxt in zip(spans, spans[1:]) if prev[1] != nxt[0] or nxt[0] >= nxt[1]]
    assert not gaps, f"rows do not follow each other: {gaps}"


@pytest.mark.parametrize("stem", NOTEBOOKS)
def test_lesson_plan_links_resolve_and_cover_every_section(stem):
    text = (LESSONS / f"{stem}.md").read_text(encoding="utf-8")
    broken = []
    for target in links(text):
        if target.startswith(("http://", "https://")):
            continue
        path, _, fragment = target.partition("#")
        file = (LESSONS / path).resolve() if path else LESSONS / f"{stem}.md"
        if not file.exists():
            broken.append(target)
        elif fragment and file.suffix == ".ipynb" and fragment not in {anchor(h) for h in headings(file.stem)}:
            broken.append(target)
    assert not broken, f"links that do not resolve: {broken}"
    table = section(text, "Notebook sections")
    linked = {anchor(f"## {k}. {title}") for k, title in numbered_sections(stem).items()}
    missing = sorted(a for a in linked if f"{stem}.ipynb#{a})" not in table)
    assert not missing, f"'Notebook sections' does not link: {missing}"


def test_glossary_has_sixty_terms_in_both_languages():
    rows = [r for r in (LESSONS / "glossary.md").read_text(encoding="utf-8").splitlines()
            if r.startswith("| ") and not r.startswith(("| English", "|---"))]
    cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows]
    assert len(cells) >= 60
    bad = [c[0] for c in cells if len(c) < 3 or not re.search(r"[\u4e00-\u9fff]", c[1]) or len(c[2]) < 15]
    assert not bad, f"terms without a Chinese name or a definition: {bad}"
    english = [c[0].lower() for c in cells]
    assert len(english) == len(set(english)), "a term is listed twice"


def test_coverage_section_references_exist():
    """coverage.md cites sections as 'NN §k "heading"'; §k must exist, and the heading must be one of that notebook's."""
    text = (LESSONS / "coverage.md").read_text(encoding="utf-8")
    stems = {s[:2]: s for s in NOTEBOOKS}
    refs = re.findall(r"\b(0[1-9]) §(\d+)(?: \"([^\"]+)\")?", text)
    assert len(refs) > 50
    bad = []
    for nn, k, title in refs:
        titles = {h.lstrip("#").strip().replace("`", "") for h in headings(stems[nn])}
        titles |= {t.replace("`", "") for t in numbered_sections(stems[nn]).values()}
        title = title.replace("`", "").replace("\\|", "|")  # a title with inner quotes is cut at them: compare prefixes
        if int(k) not in numbered_sections(stems[nn]) or not any(t.startswith(title) for t in titles):
            bad.append(f"{nn} §{k} {title!r}")
    assert not bad, f"references to sections that do not exist: {bad}"
