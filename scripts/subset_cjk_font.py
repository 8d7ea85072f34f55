#!/usr/bin/env python3
"""Cut the course's own Chinese font out of Noto Sans CJK SC (or Source Han Sans SC).

The course ships a subset of the font so that figures and slides draw Chinese on any machine,
with no system CJK font. The subset keeps every character of

  1. the course's own text: notebooks/*.ipynb, lessons/*.md, lessons/slides/*.md (the decks), README.md, data/README.md,
     rnnlab/*.py (relative to the repository root) and the lecture seeds (../shared/seeds/*.txt);
  2. the Chinese side of the Tatoeba pairs: DATA/cmn-eng/cmn.txt (English <TAB> Chinese <TAB> credit);
  3. the five-character Tang poems (五言绝句/律诗) of DATA/chinese-poetry/全唐诗/poet.tang.*.json:
     poems whose every line is "xxxxx，xxxxx。", in Traditional characters as stored and converted to
     Simplified with OpenCC t2s as notebook 09 reads them (the Tatoeba side is also added in Simplified);
  4. ASCII, Latin-1, CJK punctuation and full-width forms, so mixed labels draw in one font.

DATA is the folder that ../shared/scripts/offline_data.py lays out. Hinting, vertical metrics
and all OpenType layout features but kerning are dropped (alternate glyphs would double the size), and the
family is renamed "Noto Sans CJK SC Course" so it cannot be mistaken for an installed full Noto.

Usage (fontTools comes with matplotlib, so the project's .venv has it):
    apt-get download fonts-noto-cjk && dpkg -x fonts-noto-cjk_*.deb /tmp/noto
    python3 ../shared/scripts/offline_data.py /tmp/fontdata
    .venv/bin/python scripts/subset_cjk_font.py \\
        /tmp/noto/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc /tmp/fontdata
"""
import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "rnnlab" / "assets" / "NotoSansCJKsc-course.otf"
FAMILY, PS_NAME = "Noto Sans CJK SC Course", "NotoSansCJKscCourse-Regular"
SOURCE_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC")
COURSE_TEXT = ("notebooks/*.ipynb", "lessons/*.md", "lessons/slides/*.md", "README.md", "data/README.md", "rnnlab/*.py")
EXTRA = "".join(map(chr, [*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2010, 0x2028),
                          *range(0x3000, 0x3040), *range(0xFF01, 0xFF5F), 0x2212]))
FIVE_CHAR_LINE = re.compile(r"(?:\w{5}，\w{5}。)+")  # \w: a poem with a lost character (□) is left out


def strings_of(node):
    """Every string in a parsed notebook (so a \\uXXXX escape cannot hide a character)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, (list, dict)):
        for value in node.values() if isinstance(node, dict) else node:
            yield from strings_of(value)


def course_text(seeds: Path) -> str:
    files = [f for pattern in COURSE_TEXT for f in sorted(ROOT.glob(pattern))]
    files += sorted(seeds.glob("*.txt"))
    if not any(f.suffix == ".txt" for f in files):
        sys.exit(f"error: no lecture seeds (*.txt) in {seeds}; pass --seeds DIR")
    return "".join("".join(strings_of(json.loads(f.read_text(encoding="utf-8")))) if f.suffix == ".ipynb"
                   else f.read_text(encoding="utf-8") for f in files)


def tatoeba_chinese(data: Path) -> str:
    path = data / "cmn-eng" / "cmn.txt"
    if not path.is_file():
        sys.exit(f"error: {path} not found; lay out the data folder with ../shared/scripts/offline_data.py")
    text = "".join(line.split("\t")[1] for line in path.read_text(encoding="utf-8").splitlines() if "\t" in line)
    return text + simplified(text)


def simplified(text: str) -> str:
    """``text`` converted with OpenCC t2s, as rnnlab.data.to_simplified does (opencc is pinned in pyproject.toml)."""
    import opencc

    return opencc.OpenCC("t2s").convert(text)


def five_character_poems(data: Path) -> str:
    files = sorted((data / "chinese-poetry" / "全唐诗").glob("poet.tang.*.json"))
    if not files:
        sys.exit(f"error: no chinese-poetry/全唐诗/poet.tang.*.json under {data}")
    lines = []
    for f in files:
        for poem in json.loads(f.read_text(encoding="utf-8")):
            if poem["paragraphs"] and all(FIVE_CHAR_LINE.fullmatch(p) for p in poem["paragraphs"]):
                lines += poem["paragraphs"]
    text = "".join(lines)
    return text + simplified(text)


def load_source(path: Path) -> TTFont:
    if not path.is_file():
        sys.exit(f"error: source font {path} not found (Debian: apt-get download fonts-noto-cjk; dpkg -x)")
    kw = {"recalcTimestamp": False}  # keep the source's date: a rebuild from the same inputs is byte-identical
    faces = TTCollection(path, **kw).fonts if path.suffix.lower() in (".ttc", ".otc") else [TTFont(path, **kw)]
    for font in faces:
        if font["name"].getDebugName(1) in SOURCE_FAMILIES:
            return font
    sys.exit(f"error: {path} has no face named {' or '.join(SOURCE_FAMILIES)}")


def rename(font: TTFont) -> None:
    """A new family name, so the subset never shadows (or is shadowed by) a full installed Noto."""
    names = {1: FAMILY, 3: f"{font['head'].fontRevision:.3f};course-subset;{PS_NAME}",
             4: FAMILY, 6: PS_NAME, 16: FAMILY, 17: "Regular"}
    table = font["name"]
    table.names = [n for n in table.names if n.nameID not in names]
    for name_id, text in names.items():
        table.setName(text, name_id, 3, 1, 0x409)
        table.setName(text, name_id, 1, 0, 0)
    cff = font["CFF "].cff
    cff.fontNames = [PS_NAME]
    top = cff.topDictIndex[0]
    top.FullName, top.FamilyName = FAMILY, FAMILY


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("font", type=Path, help="NotoSansCJK-Regular.ttc, NotoSansCJKsc-Regular.otf or SourceHanSansSC-Regular.otf")
    parser.add_argument("data", type=Path, help="data folder with cmn-eng/ and chinese-poetry/ (offline_data.py)")
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds", help="lecture seeds (default ../shared/seeds)")
    parser.add_argument("-o", "--output", type=Path, default=OUT)
    args = parser.parse_args()

    font = load_source(args.font)
    cmap = font.getBestCmap()
    sources = {"course text": course_text(args.seeds), "Tatoeba cmn": tatoeba_chinese(args.data),
               "five-character poems": five_character_poems(args.data), "ASCII/punctuation/full-width": EXTRA}
    sets = {name: {c for c in text if unicodedata.category(c)[0] != "C"} for name, text in sources.items()}
    wanted = set().union(*sets.values())
    for name, chars in sets.items():
        print(f"{name:30s} {len(chars):6d} characters, {sum(ord(c) > 127 for c in chars):6d} non-ASCII")
    missing = sorted(c for c in wanted if ord(c) not in cmap)
    print(f"{'union':30s} {len(wanted):6d} characters; {len(missing)} not in the source font (left out)")
    course_missing = [c for c in missing if c in sets["course text"]]
    if course_missing:
        print("  of them in the course text:", " ".join(f"{c} U+{ord(c):04X}" for c in course_missing))

    options = subset.Options()
    options.layout_features = ["kern"]  # Latin kerning for slides (7 kB); the rest doubles the size
    options.hinting = False
    options.desubroutinize = True  # smaller after subsetting, and simpler for renderers
    options.notdef_outline = True  # a character left out shows as a box, not as nothing
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    options.drop_tables += ["BASE", "vhea", "vmtx", "VORG"]  # vertical writing is not used
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in wanted if ord(c) in cmap])
    subsetter.subset(font)
    rename(font)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    font.save(args.output)
    print(f"wrote {args.output} ({args.output.stat().st_size / 2**20:.2f} MiB, {len(font.getBestCmap())} characters)")


if __name__ == "__main__":
    main()
