"""The architecture diagrams: the committed SVGs are exactly what rnnlab.diagrams draws, the notebooks show them,
and the Chinese variants draw every character with the course's font (no tofu).

When a drawing changes on purpose, regenerate the files with ``python -m rnnlab diagrams``.
"""
import re
import warnings

import matplotlib
import nbformat
import pytest
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from rnnlab import diagrams, plots
from rnnlab.paths import NOTEBOOK_DIR

matplotlib.use("Agg")
CASES = [(name, lang) for name in diagrams.DIAGRAMS for lang in diagrams.LANGS]
IMAGE = re.compile(r"!\[[^\]]*\]\((diagrams/[^)\s]+)\)")


def ids(case):
    return ".".join(case)


def notebook_images(stem):
    """The diagrams/… image paths in the markdown cells of notebooks/<stem>.ipynb."""
    nb = nbformat.read(NOTEBOOK_DIR / f"{stem}.ipynb", as_version=4)
    return [m for c in nb.cells if c.cell_type == "markdown" for m in IMAGE.findall(c.source)]


@pytest.mark.parametrize("case", CASES, ids=ids)
def test_the_committed_svg_is_what_the_code_draws(case):
    name, lang = case
    path = diagrams.DIAGRAM_DIR / f"{name}.{lang}.svg"
    assert path.is_file(), f"{path.name} is missing: run python -m rnnlab diagrams"
    assert diagrams.svg_bytes(name, lang) == path.read_bytes(), (
        f"{path.name} differs from what rnnlab/diagrams.py draws: run python -m rnnlab diagrams")
    assert path.stat().st_size < 150_000, f"{path.name} is {path.stat().st_size} bytes"


def test_a_redraw_gives_the_same_bytes():
    assert diagrams.svg_bytes("lstm_cell", "zh") == diagrams.svg_bytes("lstm_cell", "zh")


def test_text_is_drawn_as_outlines():
    svg = diagrams.svg_bytes("gru_cell", "zh").decode()
    assert "<text" not in svg and "<path" in svg
    assert "<dc:date>" not in svg


def test_every_diagram_a_notebook_references_exists():
    referenced = [(p.stem, image) for p in sorted(NOTEBOOK_DIR.glob("*.ipynb")) for image in notebook_images(p.stem)]
    assert referenced, "no notebook shows a diagram"
    missing = [f"{stem}: {image}" for stem, image in referenced if not (NOTEBOOK_DIR / image).is_file()]
    assert not missing, missing


@pytest.mark.parametrize("name", diagrams.DIAGRAMS)
def test_each_diagram_is_shown_in_its_notebook(name):
    stem = diagrams.DIAGRAMS[name][1]
    assert f"diagrams/{name}.en.svg" in notebook_images(stem), f"notebooks/{stem}.ipynb does not show {name}"


@pytest.mark.parametrize("name", diagrams.DIAGRAMS)
def test_the_chinese_variant_has_no_tofu(name):
    charmap = FT2Font(str(plots.COURSE_FONT_FILE)).get_charmap()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = diagrams.draw(name, "zh")
        text = "".join(t.get_text() for t in fig.findobj(Text))
        diagrams.svg_bytes(name, "zh")
    chinese = {c for c in text if diagrams.CJK.search(c)}
    assert chinese, "the Chinese variant should have Chinese labels"
    missing = sorted(c for c in chinese if ord(c) not in charmap)
    assert not missing, f"not in the course font: {missing}"
    glyphs = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not glyphs, glyphs


def test_mathtext_and_chinese_are_never_in_one_text():
    """Mathtext has no Chinese glyphs: a label mixing the two must be laid out piece by piece."""
    for name in diagrams.DIAGRAMS:
        for t in diagrams.draw(name, "zh").findobj(Text):
            s = t.get_text()
            assert not ("$" in s and diagrams.CJK.search(s)), f"{name}: {s!r}"


def test_an_unknown_name_or_language_is_refused():
    with pytest.raises(ValueError, match="name 'lstm'"):
        diagrams.draw("lstm", "en")
    with pytest.raises(ValueError, match="lang 'fr'"):
        diagrams.draw("lstm_cell", "fr")
    with pytest.raises(ValueError, match="lang"):
        diagrams.svg_bytes("gru_cell", "EN")


def test_write_all_writes_both_languages(tmp_path):
    written = diagrams.write_all(tmp_path / "out")
    assert sorted(p.name for p in written) == sorted(f"{n}.{lang}.svg" for n, lang in CASES)
    assert all(p.read_bytes() == (diagrams.DIAGRAM_DIR / p.name).read_bytes() for p in written)


def test_run_copies_the_diagrams_into_build(tmp_path, monkeypatch):
    from rnnlab import paths, run

    source = tmp_path / "notebooks" / "diagrams"
    source.mkdir(parents=True)
    (source / "x.en.svg").write_text("<svg/>")
    monkeypatch.setattr(paths, "NOTEBOOK_DIR", tmp_path / "notebooks")
    run.copy_diagrams(tmp_path / "build")
    assert (tmp_path / "build" / "diagrams" / "x.en.svg").read_text() == "<svg/>"
