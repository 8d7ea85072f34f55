"""Offline reveal.js decks for presenting the notebooks: ``rnnlab slides`` / ``make slides``.

Each deck is written for a lecture hall, in English and in 中文: ``lessons/slides/NN.en.md`` and ``NN.zh.md``
(the format is in ``lessons/slides/README.md``). The builder fills in the numbers from the run's metrics files
(``build/metrics``, else the kept full-profile run in ``data/reference``), the figures from the executed notebooks
``build/NN_<name>.ipynb`` that ``rnnlab run`` writes, and the architecture diagrams from ``notebooks/diagrams``,
and writes ``build/slides/NN_<name>.<lang>.html`` plus an index. A number or figure that no run has made yet is
shown as missing and listed, never invented.

Lecture halls cannot trust their network, so nothing is loaded from a CDN: reveal.js and MathJax
are copied into ``build/slides/lib/`` next to the decks. They come from the npm registry
(versions and checksums pinned in :data:`VENDOR`), fetched once with ``npm pack`` into
``data/cache/npm/``; later builds work offline. The whole ``build/slides/`` folder can be copied to
a USB stick and a deck opened by double-clicking it.
"""
from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from html.parser import HTMLParser
from pathlib import Path

from rnnlab import paths
from rnnlab.paths import NPM_CACHE_ENV, npm_cache_dir
from rnnlab.plots import COURSE_FONT, COURSE_FONT_FILE

from rnnlab.notebooks import resolve

FONT_FOLDER = "lib/fonts"
DECK_DIR = paths.REPO_ROOT / "lessons" / "slides"  # the deck sources NN.<lang>.md



@dataclasses.dataclass(frozen=True)
class VendorPackage:
    """One npm package copied next to the decks: which version, its checksum, which of its files."""

    name: str
    version: str
    integrity: str  # npm's dist.integrity ("sha512-<base64>") of the tarball
    files: tuple[str, ...]  # files or folders inside the package to copy

    @property
    def tarball(self) -> str:
        return f"{self.name}-{self.version}.tgz"

    @property
    def url(self) -> str:
        return f"https://registry.npmjs.org/{self.name}/-/{self.tarball}"

    @property
    def folder(self) -> str:
        """Where it lives under build/slides/ (relative, as the decks refer to it)."""
        return f"lib/{self.name}-{self.version}"


# The one place where the versions of the slide libraries are pinned.
# MathJax 3.x is what JupyterLab 4 renders notebooks with, so the decks typeset the same TeX as the notebooks.
VENDOR = {
    "reveal.js": VendorPackage(
        "reveal.js",
        "5.2.1",
        "sha512-r7//6mIM5p34hFiDMvYfXgyjXqGRta+/psd9YtytsgRlrpRzFv4RbH76TXd2qD+7ZPZEbpBDhdRhJaFgfQ7zNQ==",
        (
            "LICENSE",
            "dist/reset.css",
            "dist/reveal.css",
            "dist/reveal.js",
            "dist/theme/white.css",  # its fonts are local (fonts/source-sans-pro); "simple" imports Google fonts
            "dist/theme/fonts/source-sans-pro",
            "plugin/notes/notes.js",  # speaker view (press S)
            "plugin/highlight/highlight.js",  # code colouring, offline
            "plugin/highlight/monokai.css",
        ),
    ),
    "mathjax": VendorPackage(
        "mathjax",
        "3.2.2",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
        (
            "LICENSE",
            "es5/tex-chtml-full.js",  # TeX input with every extension, HTML output, the context menu
            "es5/output/chtml/fonts/woff-v2",
            "es5/a11y/assistive-mml.js",  # loaded at start-up by the menu's default settings
        ),
    ),
}
THEME = "white"
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720  # reveal.js scales this canvas to the screen; every slide must fit it

SLIDE_DIR = "slides"


class SlidesError(RuntimeError):
    """The decks cannot be built (a library is missing and cannot be fetched, a deck is not offline)."""


# --------------------------------------------------------------------------- libraries


def _integrity(path: Path) -> str:
    digest = hashlib.sha512(path.read_bytes()).digest()
    return "sha512-" + base64.b64encode(digest).decode("ascii")


def fetch_package(pkg: VendorPackage, cache: Path | None = None) -> Path:
    """The npm tarball of ``pkg`` in the cache, fetched with ``npm pack`` if it is not there yet.

    Its sha512 must equal the pinned ``pkg.integrity``; a mismatch is an error naming the file.
    """
    cache = cache or npm_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / pkg.tarball
    if not tgz.is_file():
        _npm_pack(pkg, cache)
    actual = _integrity(tgz)
    if actual != pkg.integrity:
        raise SlidesError(
            f"{tgz} is not the pinned {pkg.name} {pkg.version} (sha512 differs: {actual[:30]}…, "
            f"expected {pkg.integrity[:30]}…). Delete it and build the slides again."
        )
    return tgz


def _npm_pack(pkg: VendorPackage, cache: Path) -> None:
    how = (
        f"To build the slides offline, download {pkg.url} by other means and put it in {cache}{os.sep} "
        f"(or set {NPM_CACHE_ENV} to a folder that has it)."
    )
    npm = shutil.which("npm")
    if npm is None:
        raise SlidesError(f"{pkg.name} {pkg.version} is not in {cache} and npm (Node.js) is not installed. {how}")
    cmd = [npm, "pack", f"{pkg.name}@{pkg.version}", "--pack-destination", str(cache), "--loglevel=error"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    except subprocess.TimeoutExpired:
        raise SlidesError(f"`npm pack {pkg.name}@{pkg.version}` took over 180 s (no network?). {how}") from None
    if proc.returncode != 0 or not (cache / pkg.tarball).is_file():
        lines = [ln.removeprefix("npm error").strip() for ln in proc.stderr.splitlines() if ln.startswith("npm error")]
        lines = [ln for ln in lines if ln and not ln.startswith("at ")]
        telling = [ln for ln in lines if "Error" in ln or "404" in ln] or lines
        reason = telling[0] if telling else f"exit status {proc.returncode}"
        raise SlidesError(f"`npm pack {pkg.name}@{pkg.version}` failed: {reason[:200]}. {how}")


def install_libraries(out_dir: Path, cache: Path | None = None) -> dict[str, str]:
    """Unpack the pinned files of every :data:`VENDOR` package into ``out_dir/lib/``; returns name → folder."""
    folders = {}
    for pkg in VENDOR.values():
        tgz = fetch_package(pkg, cache)
        target = out_dir / pkg.folder
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        with tarfile.open(tgz) as tf:
            members, found = [], set()
            for member in tf.getmembers():
                rel = member.name.removeprefix("package/")
                wanted = [f for f in pkg.files if rel == f or rel.startswith(f + "/")]
                if member.isfile() and wanted:
                    found.update(wanted)
                    member.name = rel
                    members.append(member)
            missing = set(pkg.files) - found
            if missing:
                raise SlidesError(f"{pkg.tarball} has no {', '.join(sorted(missing))}; VENDOR in rnnlab/slides.py is wrong")
            tf.extractall(target, members=members, filter="data")
        folders[pkg.name] = pkg.folder
    fonts = out_dir / FONT_FOLDER  # the course's Chinese font, so Chinese renders without a system font
    fonts.mkdir(parents=True, exist_ok=True)
    for name in (COURSE_FONT_FILE.name, "OFL.txt"):
        shutil.copyfile(COURSE_FONT_FILE.parent / name, fonts / name)
    folders["fonts"] = FONT_FOLDER
    return folders


# --------------------------------------------------------------------------- deck sources

LANGUAGES = ("en", "zh")
SLIDE_BREAK = re.compile(r"^---[ \t]*$", re.M)
NOTES_LINE = re.compile(r"^Note:[ \t]*$", re.M)
NUMBER = re.compile(r"\{\{(\d\d):([^{}:]+)(?::([^{}]*))?\}\}")
TABLE_CELL = re.compile(r"^(\w+)\[([^\]]+)\]\.(.+)$")
IMAGE = re.compile(r"!\[([^\]]*)\]\((fig|diagram):([^)\s]+)\)")
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)


@dataclasses.dataclass
class Slide:
    """One slide of a deck source: what is shown and the speaker notes (both Markdown)."""

    body: str
    notes: str = ""


def parse_deck(text: str) -> list[Slide]:
    """Slides of a deck source: split at lines ``---``; a line ``Note:`` starts the slide's speaker notes."""
    slides = []
    for chunk in SLIDE_BREAK.split(text):
        if not chunk.strip():
            continue
        body, *notes = NOTES_LINE.split(chunk, maxsplit=1)
        slides.append(Slide(body.strip(), notes[0].strip() if notes else ""))
    return slides


def deck_sources(selection: list[str] | None = None, folder: Path | None = None) -> list[Path]:
    """The deck sources ``NN.<lang>.md`` of the selected notebooks (default: all present), in order."""
    folder = folder or DECK_DIR
    present = sorted(folder.glob("[0-9][0-9].*.md"))
    if not selection:
        return present
    wanted = {str(item).zfill(2)[:2] for item in selection}
    chosen = [p for p in present if p.name[:2] in wanted]
    missing = sorted(wanted - {p.name[:2] for p in chosen})
    if missing:
        raise ValueError(f"no deck source for notebook(s) {', '.join(missing)} in {folder}")
    return chosen


class RunData:
    """What a deck takes from the runs of its notebook: metrics (build/metrics, else the kept full run) and figures."""

    def __init__(self, build: Path | None = None, notebook_dir: Path | None = None):
        self.build = build or paths.build_dir()
        self.notebook_dir = notebook_dir or paths.NOTEBOOK_DIR
        self._metrics: dict[str, tuple[dict | None, str]] = {}
        self._figures: dict[str, dict[str, bytes]] = {}

    def stem(self, nn: str) -> str:
        return resolve([nn], self.notebook_dir)[0].stem

    def metrics(self, nn: str) -> tuple[dict | None, str]:
        """(the metrics file's content, a line saying which run it is), or (None, why there is none)."""
        if nn not in self._metrics:
            import json

            stem = self.stem(nn)
            found = None
            for path in (self.build / "metrics" / f"{stem}.json", paths.REFERENCE_DIR / f"{stem}.full.json"):
                if path.is_file():
                    data = json.loads(path.read_text(encoding="utf-8"))
                    when = str(data.get("finished", ""))[:10]
                    found = (data, f"{data.get('profile', '?')} run of {when}, {data.get('device', '?')}")
                    break
            self._metrics[nn] = found or (None, f"no run of {stem} yet (make run)")
        return self._metrics[nn]

    def figures(self, nn: str) -> dict[str, bytes]:
        """PNG figures of the executed notebook ``build/NN_<name>.ipynb`` by key ``NN.k.i``; {} before a run."""
        if nn not in self._figures:
            self._figures[nn] = {key: png for key, png, _ in executed_figures(self.build / f"{self.stem(nn)}.ipynb", nn)}
        return self._figures[nn]


def executed_figures(notebook: Path, nn: str) -> list[tuple[str, bytes, str]]:
    """(key ``NN.k.i``, PNG bytes, the text before it) for every figure of an executed notebook.

    k is the section (``## k. …``; 0 before the first), i counts the figures in it. Figures after an
    unnumbered ``## `` heading (summary, exercises) get no key.
    """
    if not notebook.is_file():
        return []
    import nbformat

    found, section, counts, before = [], 0, {}, ""
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "markdown":
            heading = re.match(r"## (\d+)\.", cell.source)
            if heading:
                section = int(heading.group(1))
            elif cell.source.startswith("## "):
                section = None
            before = cell.source.strip().splitlines()[0][:100] if cell.source.strip() else before
            continue
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png") if isinstance(out.get("data"), dict) else None
            if png and section is not None:
                counts[section] = counts.get(section, 0) + 1
                found.append((f"{nn}.{section}.{counts[section]}", base64.b64decode(png), before))
    return found


def lookup(data: dict, path: str):
    """The value at ``path`` in a metrics file: ``key.sub`` in metrics, or ``table[row].column`` in tables."""
    cell = TABLE_CELL.match(path)
    if cell:
        name, row, column = cell.groups()
        rows = data.get("tables", {}).get(name)
        if rows is None:
            raise KeyError(f"no table {name!r}")
        if row.isdigit():
            chosen = rows[int(row)]
        else:
            key, _, value = row.partition("=")
            matches = [r for r in rows if str(r.get(key)) == value]
            if not matches:
                raise KeyError(f"no row of {name!r} with {key} = {value!r}")
            chosen = matches[0]
        return chosen[column]
    value, parts = data.get("metrics", {}), path.split(".")
    while parts:  # the longest run of parts that is a key, so a key may hold dots ("dropout=0.2")
        for n in range(len(parts), 0, -1):
            key = ".".join(parts[:n])
            if isinstance(value, dict) and key in value:
                value, parts = value[key], parts[n:]
                break
        else:
            raise KeyError(parts[0])
    return value


def fill_numbers(text: str, run: RunData) -> tuple[str, list[str]]:
    """Replace every ``{{NN:path:format}}`` by its value from the run; returns the text and the missing ones."""
    missing = []

    def value(match):
        nn, path, spec = match.group(1), match.group(2).strip(), (match.group(3) or "").strip()
        data, _ = run.metrics(nn)
        try:
            if data is None:
                raise KeyError("no metrics file")
            v = lookup(data, path)
            if v is None:  # recorded as not applicable (a NaN in the run, e.g. no line to judge)
                return "–"
            return format(v, spec) if spec else (f"{v:g}" if isinstance(v, float) else str(v))
        except (KeyError, IndexError, TypeError, ValueError) as err:
            missing.append(f"{{{{{nn}:{path}}}}} ({err})")
            return "?"

    return NUMBER.sub(value, text), missing


def render_markdown(text: str) -> str:
    """Markdown → HTML with the maths kept verbatim for MathJax (``_`` and ``*`` inside ``$…$`` are safe)."""
    import mistune

    maths = []

    def keep(match):
        maths.append(match.group(0))
        return f"MATHPLACEHOLDER{len(maths) - 1}X"

    protected = MATH.sub(keep, text)
    out = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])(protected)
    return re.sub(r"MATHPLACEHOLDER(\d+)X", lambda m: html.escape(maths[int(m.group(1))], quote=False), out)


@dataclasses.dataclass
class Deck:
    """A built deck: its file, its slide count, and what it could not fill in."""

    path: Path
    title: str
    slides: int
    missing_numbers: list[str]
    missing_figures: list[str]


def build_deck(source: Path, out_dir: Path, run: RunData) -> Deck:
    """Write ``out_dir/NN_<name>.<lang>.html`` from the deck source ``NN.<lang>.md``."""
    nn, lang = source.name[:2], source.name.split(".")[1]
    if lang not in LANGUAGES:
        raise SlidesError(f"{source.name}: the language must be one of {', '.join(LANGUAGES)}")
    stem = run.stem(nn)
    text, missing_numbers = fill_numbers(source.read_text(encoding="utf-8"), run)
    missing_figures: list[str] = []

    def image(match):
        caption, kind, key = match.groups()
        alt = html.escape(caption)
        if kind == "diagram":
            svg = paths.NOTEBOOK_DIR / "diagrams" / f"{key}.{lang}.svg"
            if not svg.is_file():
                raise SlidesError(f"{source.name}: no diagram {svg.relative_to(paths.REPO_ROOT)}")
            (out_dir / "diagrams").mkdir(exist_ok=True)
            shutil.copyfile(svg, out_dir / "diagrams" / svg.name)
            return f'<img class="figure" src="diagrams/{svg.name}" alt="{alt}">'
        png = run.figures(key[:2]).get(key)
        if png is None:
            missing_figures.append(key)
            return (f'<div class="figure missing" role="img" aria-label="{alt}">{html.escape(caption)}: '
                    f"figure {key} is drawn by <code>rnnlab run {key[:2]}</code>; run it, then build the slides again.</div>")
        (out_dir / "figures").mkdir(exist_ok=True)
        (out_dir / "figures" / f"{key}.png").write_bytes(png)
        return f'<img class="figure" src="figures/{key}.png" alt="{alt}">'

    slides = parse_deck(IMAGE.sub(image, text))
    if not slides:
        raise SlidesError(f"{source} holds no slides")
    _, run_line = run.metrics(nn)
    title = re.sub(r"^#\s*", "", slides[0].body.splitlines()[0]).strip()
    sections = []
    for i, slide in enumerate(slides):
        body = render_markdown(slide.body)
        if i == 0:
            body += f'\n<p class="run">{html.escape(_RUN_LABEL[lang])}: {html.escape(run_line)}</p>'
        notes = f'\n<aside class="notes">{render_markdown(slide.notes)}</aside>' if slide.notes else ""
        rest = [line for line in slide.body.splitlines() if line.strip() and not line.startswith("#")]
        figure_only = len(rest) == 1 and rest[0].startswith(('<img class="figure"', '<div class="figure missing"'))
        opening = '<section class="title">' if i == 0 else ('<section class="figure-only">' if figure_only else "<section>")
        sections.append(f"{opening}\n{body}{notes}\n</section>")
    page = (DECK_TEMPLATE.replace("{lang}", "zh-Hans" if lang == "zh" else "en")
            .replace("{title}", html.escape(title))
            .replace("{reveal}", VENDOR["reveal.js"].folder)
            .replace("{mathjax}", VENDOR["mathjax"].folder)
            .replace("{font_family}", COURSE_FONT)
            .replace("{font_url}", f"{FONT_FOLDER}/{COURSE_FONT_FILE.name}")
            .replace("{width}", str(SLIDE_WIDTH)).replace("{height}", str(SLIDE_HEIGHT))
            .replace("{slides}", "\n".join(sections)))
    problems = remote_references(page)
    if problems:
        raise SlidesError(f"the deck {source.name} would load from the network: {', '.join(problems[:5])}")
    target = out_dir / f"{stem}.{lang}.html"
    target.write_text(page, encoding="utf-8")
    return Deck(target, title, len(slides), missing_numbers, missing_figures)


_RUN_LABEL = {"en": "Numbers and figures", "zh": "数字与图表来自"}

DECK_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<link rel="stylesheet" href="{reveal}/dist/reset.css">
<link rel="stylesheet" href="{reveal}/dist/reveal.css">
<link rel="stylesheet" href="{reveal}/dist/theme/white.css">
<link rel="stylesheet" href="{reveal}/plugin/highlight/monokai.css">
<style>
/* The course's own Chinese font, copied next to the decks: Chinese renders without a system CJK font. */
@font-face { font-family: "{font_family}"; src: url("{font_url}") format("opentype"); }
.reveal { font-family: "Source Sans Pro", "{font_family}", Helvetica, sans-serif; font-size: 30px; }
.reveal .slides h1, .reveal .slides h2, .reveal .slides h3 {
  font-family: "Source Sans Pro", "{font_family}", Helvetica, sans-serif; text-transform: none; }
.reveal .slides section { text-align: left; }
.reveal .slides section.title { text-align: center; }
.reveal .slides h1 { font-size: 1.9em; margin-top: 1.6em; }
.reveal .slides h2 { font-size: 1.3em; margin-bottom: 0.5em; }
.reveal .slides p, .reveal .slides li { line-height: 1.35; }
.reveal .slides ul, .reveal .slides ol { display: block; margin-left: 1.2em; }
.reveal .slides pre { width: 100%; font-size: 0.72em; box-shadow: none; }
.reveal .slides pre code { max-height: 520px; padding: 0.5em 0.7em; }
.reveal .slides code { font-family: "DejaVu Sans Mono", menlo, consolas, "{font_family}", monospace; }
.reveal .slides :not(pre) > code { font-size: 0.85em; }
.reveal .slides table { font-size: 0.8em; margin: 0.5em auto; }
/* Every figure, diagram or missing-figure box takes the same 1180 x 440 box, so a slide's height does not
   depend on whether the run has made its figures yet (the browser test measures the decks before any run). */
.reveal .slides img.figure, .reveal .slides .figure.missing {
  display: block; margin: 0.3em auto; width: 1180px; height: 440px; object-fit: contain; }
/* A slide that is a heading and one figure gives the figure the whole canvas below the heading. */
.reveal .slides section.figure-only img.figure, .reveal .slides section.figure-only .figure.missing {
  width: 1220px; height: 590px; }
.reveal .slides .figure.missing { box-sizing: border-box; width: 1180px; height: 440px; padding: 2em;
  border: 3px dashed #c33; color: #c33; font-size: 0.8em; }
.reveal .slides .columns { display: flex; gap: 1.5em; align-items: flex-start; }
.reveal .slides .columns > div { flex: 1; }
.reveal .slides .small { font-size: 0.6em; color: #555; }
.reveal .slides .run { font-size: 0.5em; color: #777; margin-top: 3em; }
</style>
<script>
window.MathJax = {
  tex: { inlineMath: [['$', '$']], displayMath: [['$$', '$$']], processEscapes: true,
         packages: {'[-]': ['noundefined']} },  // an unknown macro is a TeX error (the slide test catches it)
  chtml: { displayAlign: 'center' }
};
</script>
<script src="{mathjax}/es5/tex-chtml-full.js" async></script>
</head>
<body>
<div class="reveal"><div class="slides">
{slides}
</div></div>
<script src="{reveal}/dist/reveal.js"></script>
<script src="{reveal}/plugin/notes/notes.js"></script>
<script src="{reveal}/plugin/highlight/highlight.js"></script>
<script>
Reveal.initialize({ width: {width}, height: {height}, margin: 0.04, center: false, hash: true,
  controls: true, progress: true, slideNumber: "c/t", transition: "none", plugins: [RevealNotes, RevealHighlight] });
</script>
</body>
</html>
"""


def build_slides(selection: list[str] | None = None, out_dir: Path | None = None, *, cache: Path | None = None,
                 deck_dir: Path | None = None, build: Path | None = None) -> list[Deck]:
    """Build every deck source of the selected notebooks (default: all) into ``build/slides/``, with an index."""
    run = RunData(build)
    out_dir = Path(out_dir) if out_dir else run.build / SLIDE_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    install_libraries(out_dir, cache)
    decks = [build_deck(source, out_dir, run) for source in deck_sources(selection, deck_dir)]
    _write_index(out_dir)
    return decks


def _write_index(out_dir: Path) -> None:
    """A plain page (no scripts) with every deck in ``out_dir``, English and 中文 side by side."""
    rows = {}
    for deck in sorted(out_dir.glob("[0-9][0-9]_*.*.html")):
        stem, lang = deck.name.rsplit(".", 2)[0], deck.name.rsplit(".", 2)[1]
        title = re.search(r"<title>(.*?)</title>", deck.read_text(encoding="utf-8"), re.S)
        rows.setdefault(stem, {})[lang] = f'<a href="{deck.name}">{title.group(1) if title else deck.name}</a>'
    body = "\n".join(f"<tr><td>{r.get('en', '')}</td><td>{r.get('zh', '')}</td></tr>" for _, r in sorted(rows.items()))
    (out_dir / "index.html").write_text(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>RNN course: slides</title>\n"
        f"<style>@font-face {{ font-family: \"{COURSE_FONT}\"; src: url(\"{FONT_FOLDER}/{COURSE_FONT_FILE.name}\"); }}\n"
        f"body {{ font-family: sans-serif, \"{COURSE_FONT}\"; }} td {{ padding: 0.3em 1em; }}</style></head>\n"
        "<body><h1>RNN course: slide decks · 幻灯片</h1>\n"
        "<p>Arrow keys move, <kbd>S</kbd> opens the speaker view with the notes, <kbd>F</kbd> full screen, "
        "<kbd>Esc</kbd> overview. Everything here works offline.</p>\n"
        f"<table><tr><th>English</th><th>中文</th></tr>\n{body}\n</table>\n</body></html>\n",
        encoding="utf-8",
    )


# --------------------------------------------------------------------------- offline check

_REMOTE = re.compile(r"^\s*(?:https?:)?//", re.I)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_CSS_REMOTE = re.compile(r"(?:@import\s+(?:url\()?|url\()\s*['\"]?\s*((?:https?:)?//[^'\")\s]+)", re.I)
_JS_REMOTE = re.compile(
    r"(?:\bimport\s*\(?|\bfrom|\bimportScripts\s*\(|\.src\s*=|\bfetch\s*\()\s*['\"`]((?:https?:)?//[^'\"`]+)", re.I
)


class _References(HTMLParser):
    """Collects what a page loads: script src, link href, and the text of inline scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.loads: list[tuple[str, str]] = []  # (kind, url)
        self.inline: list[tuple[str, str]] = []  # (tag, text)
        self._open: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            if a.get("src"):
                self.loads.append(("script", a["src"]))
            self._open = "script"
        elif tag == "link" and a.get("href"):
            self.loads.append((f"link rel={a.get('rel', '')}", a["href"]))
        elif tag == "style":
            self._open = "style"

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._open = None

    def handle_data(self, data):
        if self._open:
            self.inline.append((self._open, data))


def page_references(page: str) -> _References:
    parser = _References()
    parser.feed(page)
    return parser


def css_remote_references(css: str) -> list[str]:
    """URLs a stylesheet would fetch from the network (@import, url(...)), comments ignored."""
    return _CSS_REMOTE.findall(_CSS_COMMENT.sub("", css))


def remote_references(page: str) -> list[str]:
    """Everything an HTML page would load over the network: scripts, stylesheets, module imports,
    CSS imports and fonts. Links (``<a href>``) and images are not counted."""
    refs = page_references(page)
    found = [f"{kind} {url}" for kind, url in refs.loads if _REMOTE.match(url)]
    for tag, text in refs.inline:
        if tag == "style":
            found += [f"style {u}" for u in css_remote_references(text)]
        else:
            found += [f"inline script {u}" for u in _JS_REMOTE.findall(text)]
    return found


# --------------------------------------------------------------------------- command line


def main(selection: list[str] | None = None, figures: str | None = None) -> int:
    """``rnnlab slides [01 05 …]``: build the decks and say what is missing; ``--figures NN`` lists NN's figures."""
    if figures:
        run = RunData()
        nn = str(figures).zfill(2)[:2]
        notebook = run.build / f"{run.stem(nn)}.ipynb"
        found = executed_figures(notebook, nn)
        for key, _, before in found:
            print(f"  fig:{key}  after: {before}")
        print(f"{len(found)} figure(s) in {notebook}" + ("" if found else f" (run `rnnlab run {nn}` first)"))
        return 0
    started = time.perf_counter()
    try:
        decks = build_slides(selection)
    except SlidesError as err:
        print(f"rnnlab slides: {err}", file=sys.stderr)
        return 2
    for deck in decks:
        print(f"  {deck.path.name}: {deck.slides} slides")
        if deck.missing_figures:
            print(f"    figures not made yet (run the notebook first): {', '.join(deck.missing_figures)}")
        if deck.missing_numbers:
            print(f"    numbers not found (shown as ?): {', '.join(deck.missing_numbers[:6])}"
                  + (f" and {len(deck.missing_numbers) - 6} more" if len(deck.missing_numbers) > 6 else ""))
    out = decks[0].path.parent if decks else paths.build_dir() / SLIDE_DIR
    print(
        f"{len(decks)} deck{'' if len(decks) == 1 else 's'} in {time.perf_counter() - started:.1f} s; open {out / 'index.html'} "
        "(works offline; copy the whole folder to present elsewhere)"
    )
    return 0


__all__ = [
    "VENDOR",
    "SlidesError",
    "build_slides",
    "build_deck",
    "parse_deck",
    "fill_numbers",
    "executed_figures",
    "fetch_package",
    "install_libraries",
    "remote_references",
    "css_remote_references",
    "main",
]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
