"""The course's own Chinese font (rnnlab/assets) draws every Chinese character the course's text uses.

Needs no data folder and no system CJK font: it reads the font's character map with matplotlib's
FreeType wrapper. When it fails, rebuild the font with scripts/subset_cjk_font.py.
"""
import importlib.util
import json
from pathlib import Path

import pytest
from matplotlib.ft2font import FT2Font

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "rnnlab" / "assets" / "NotoSansCJKsc-course.otf"
# What counts as the course's text is defined once, in the script that cuts the font from it.
_spec = importlib.util.spec_from_file_location("subset_cjk_font", ROOT / "scripts" / "subset_cjk_font.py")
font_script = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(font_script)
CJK_RANGES = ((0x2E80, 0x2FDF), (0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
              (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF), (0x20000, 0x3FFFF))
CHINESE_PUNCTUATION = "‘’“”—…·"  # General Punctuation / Latin-1 marks that Chinese text uses


def is_cjk(char):
    return char in CHINESE_PUNCTUATION or any(lo <= ord(char) <= hi for lo, hi in CJK_RANGES)


def course_cjk_chars():
    """{character: first file (relative to the repo) that uses it} for the CJK characters of the course text."""
    found = {}
    for path in (f for pattern in font_script.COURSE_TEXT for f in sorted(ROOT.glob(pattern))):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":  # every string, so a \uXXXX escape cannot hide a character
            text = "".join(font_script.strings_of(json.loads(text)))
        for char in text:
            if is_cjk(char):
                found.setdefault(char, path.relative_to(ROOT).as_posix())
    return found


def missing_report(charmap, chars):
    """'' when the font has every character, else a message naming each missing one and its file."""
    missing = {c: f for c, f in chars.items() if ord(c) not in charmap}
    if not missing:
        return ""
    lines = [f"  {c} U+{ord(c):04X}  ({f})" for c, f in sorted(missing.items(), key=lambda item: (item[1], item[0]))]
    return (f"{len(missing)} character(s) of the course text are missing from {FONT.name}:\n"
            + "\n".join(lines) + "\nRebuild the font: python scripts/subset_cjk_font.py SOURCE_FONT DATA_DIR "
            "(see rnnlab/assets/README.md).")


@pytest.fixture(scope="module")
def charmap():
    assert FONT.is_file(), f"{FONT} is missing; build it with scripts/subset_cjk_font.py (see rnnlab/assets/README.md)"
    return FT2Font(str(FONT)).get_charmap()


def test_font_covers_the_course_text(charmap):
    chars = course_cjk_chars()
    assert len(chars) > 100, "the course text should contain Chinese (lessons, glossary, notebook 08)"
    report = missing_report(charmap, chars)
    assert not report, report


def test_a_missing_character_is_reported_with_its_file(charmap):
    chars = course_cjk_chars()
    char, where = next(iter(chars.items()))
    report = missing_report({k: v for k, v in charmap.items() if k != ord(char)}, chars)
    assert f"{char} U+{ord(char):04X}  ({where})" in report and "subset_cjk_font.py" in report


def test_font_is_renamed_and_small(charmap):
    font = FT2Font(str(FONT))
    assert font.family_name == "Noto Sans CJK SC Course"  # never shadows an installed full Noto Sans CJK SC
    assert FONT.stat().st_size < 4 * 2**20
    assert (FONT.parent / "OFL.txt").is_file()
