"""Offline reveal.js decks of the notebooks: ``rnnlab slides`` / ``make slides``.

Each notebook becomes ``build/slides/NN_<name>.slides.html``, cut into slides by the notebooks'
slide metadata (``cell.metadata.slideshow.slide_type``: slide, subslide, fragment, notes, skip).
The executed copy ``build/NN_<name>.ipynb`` written by ``rnnlab run`` is used when it exists (so
the deck shows the plots); otherwise the source notebook (only its checked outputs).

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

FONT_FOLDER = "lib/fonts"
from rnnlab.notebooks import CHECK_MARK, resolve



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
# reveal.js 5.x keeps the layout nbconvert's reveal template was written for (dist/, plugin/notes/);
# MathJax 3.x is what JupyterLab 4 renders notebooks with, so the decks typeset the same TeX.
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
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 800  # reveal.js scales this canvas to the screen

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


# --------------------------------------------------------------------------- template

# Extends nbconvert's reveal template. Replaced: everything it loads from CDNs (jQuery, require.js,
# mermaid, widgets, MathJax 2, reveal.js from unpkg), the MathJax 2 calls in its footer, and the
# slide CSS (tall slides scroll instead of being cut off).
TEMPLATE_NAME = "rnnlab_reveal.html.j2"
TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}
<script>
window.MathJax = {
  tex: {
    inlineMath: [['$', '$'], ['\\(', '\\)']],
    displayMath: [['$$', '$$'], ['\\[', '\\]']],
    processEscapes: true,
    processEnvironments: true,
    tags: 'ams',
    packages: {'[-]': ['noundefined']}  // an unknown macro is a TeX error (the slide test catches it)
  },
  chtml: { displayAlign: 'center' }
};
</script>
<script src="{{ resources.rnnlab.mathjax }}/es5/tex-chtml-full.js" async></script>
{%- endblock html_head_js_mathjax -%}
{%- block html_head_css -%}
<style type="text/css">
/* The course's own Chinese font (rnnlab/assets), copied next to the decks: no system CJK font needed. */
@font-face {
  font-family: "{{ resources.rnnlab.font_family }}";
  src: url("{{ resources.rnnlab.font_url }}") format("opentype");
}
/* ".reveal .slides …" outranks the theme's ".reveal …" rules, which load after this block; the
   notebook's own cells take their fonts from JupyterLab's variables, set here for everything in a deck. */
.reveal .slides, .reveal .slides h1, .reveal .slides h2, .reveal .slides h3, .reveal .slides h4,
.reveal .slides h5, .reveal .slides h6 {
  font-family: "Source Sans Pro", "{{ resources.rnnlab.font_family }}", Helvetica, sans-serif;
}
.reveal .slides pre, .reveal .slides code, .reveal .slides kbd, .reveal .slides samp {
  font-family: menlo, consolas, "DejaVu Sans Mono", "{{ resources.rnnlab.font_family }}", monospace;
}
.reveal {
  --jp-ui-font-family: "Source Sans Pro", "{{ resources.rnnlab.font_family }}", Helvetica, sans-serif;
  --jp-content-font-family: "Source Sans Pro", "{{ resources.rnnlab.font_family }}", Helvetica, sans-serif;
  --jp-code-font-family: menlo, consolas, "DejaVu Sans Mono", "{{ resources.rnnlab.font_family }}", monospace;
  --jp-cell-prompt-font-family: menlo, consolas, "DejaVu Sans Mono", "{{ resources.rnnlab.font_family }}", monospace;
}
/* A section taller than the slide scrolls instead of being cut off. */
.reveal .slides section:not(.stack) {
  height: 100%;
  overflow-y: auto;
  text-align: left;
}
.reveal .slides h1, .reveal .slides h2, .reveal .slides h3, .reveal .slides h4 { text-transform: none; }
.reveal .slides section h1, .reveal .slides section h2 { text-align: center; }
.reveal .slides section img { max-height: 560px; }
</style>
{%- endblock html_head_css -%}
{% block footer_js %}
<script src="{{ resources.reveal.url_prefix }}/dist/reveal.js"></script>
<script src="{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({
  controls: true,
  progress: true,
  history: true,
  center: false,
  transition: "{{ resources.reveal.transition }}",
  slideNumber: "c/t",
  plugins: [RevealNotes],
  width: {{ resources.reveal.width }},
  height: {{ resources.reveal.height }}
});
</script>
{% endblock footer_js %}
"""


def _exporter():
    from jinja2 import DictLoader
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(
        extra_loaders=[DictLoader({TEMPLATE_NAME: TEMPLATE})],
        template_file=TEMPLATE_NAME,
        reveal_url_prefix=VENDOR["reveal.js"].folder,
        reveal_theme=THEME,
        reveal_transition="none",
        reveal_width=str(SLIDE_WIDTH),
        reveal_height=str(SLIDE_HEIGHT),
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    # Not used by our template; set anyway so that nothing in the exporter points at a CDN.
    exporter.mathjax_url = f"{VENDOR['mathjax'].folder}/es5/tex-chtml-full.js"
    exporter.require_js_url = exporter.jquery_url = ""
    return exporter


# --------------------------------------------------------------------------- decks


def deck_source(path: Path, build: Path | None = None) -> Path:
    """The executed notebook ``build/<stem>.ipynb`` if ``rnnlab run`` wrote one, else ``path``."""
    executed = (build or paths.build_dir()) / f"{path.stem}.ipynb"
    return executed if executed.is_file() else path


def prepare(nb) -> None:
    """Slide-specific clean-up, in place: collapsed solutions become speaker notes, stderr goes.

    A cell whose source is collapsed (an exercise solution) and that has no slide type of its own
    is shown in the speaker view (press S) instead of on the screen; warnings printed to stderr
    during execution and the ``# NBVAL_CHECK_OUTPUT`` line (for CI, not for the audience) are dropped.
    """
    for cell in nb.cells:
        show = cell.metadata.get("slideshow", {})
        hidden = cell.metadata.get("jupyter", {}).get("source_hidden", False)
        if hidden and show.get("slide_type") in (None, "", "-"):
            cell.metadata["slideshow"] = {**show, "slide_type": "notes"}
        if cell.cell_type == "code":
            lines = cell.source.splitlines()
            if lines and lines[0].strip() == CHECK_MARK:
                cell.source = "\n".join(lines[1:])
            cell.outputs = [
                o for o in cell.get("outputs", []) if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]


def export_deck(notebook: Path, out_dir: Path, exporter=None) -> Path:
    """Write ``out_dir/<stem>.slides.html`` from ``notebook``; returns its path."""
    import nbformat

    exporter = exporter or _exporter()
    nb = nbformat.read(notebook, as_version=4)
    prepare(nb)
    stem = notebook.stem
    resources = {
        "metadata": {"name": stem},
        "rnnlab": {"mathjax": VENDOR["mathjax"].folder, "font_family": COURSE_FONT,
                   "font_url": f"{FONT_FOLDER}/{COURSE_FONT_FILE.name}"},
    }
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    problems = remote_references(body)
    if problems:
        raise SlidesError(f"the deck of {stem} would load from the network: {', '.join(problems[:5])}")
    target = out_dir / f"{stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target


def build_slides(
    selection: list[str] | None = None,
    out_dir: Path | None = None,
    *,
    executed: bool = True,
    cache: Path | None = None,
    notebook_dir: Path | None = None,
) -> list[Path]:
    """Build the decks of the selected notebooks (default: all present) into ``build/slides/``.

    ``executed=False`` always uses the source notebooks (what the tests do). Returns the deck paths.
    """
    build = paths.build_dir()
    out_dir = Path(out_dir) if out_dir else build / SLIDE_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    install_libraries(out_dir, cache)
    exporter = _exporter()
    decks = []
    for path in resolve(selection, notebook_dir):
        source = deck_source(path, build) if executed else path
        if source != path and source.stat().st_mtime < path.stat().st_mtime:
            print(f"note: {source} is older than {path}; run `rnnlab run {path.stem[:2]}` to refresh its plots")
        decks.append(export_deck(source, out_dir, exporter))
    _write_index(out_dir, decks)
    return decks


def _deck_title(deck: Path) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", deck.read_text(encoding="utf-8"), re.S)
    text = re.sub(r"<[^>]+>", "", match.group(1)) if match else deck.stem
    return html.unescape(text).replace("¶", "").strip()


def _write_index(out_dir: Path, decks: list[Path]) -> None:
    """A plain page (no scripts) listing every deck in ``out_dir``."""
    all_decks = sorted(out_dir.glob("[0-9][0-9]_*.slides.html"))
    items = "\n".join(
        f'<li><a href="{d.name}">{html.escape(_deck_title(d))}</a></li>' for d in all_decks
    )
    (out_dir / "index.html").write_text(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>RNN course: slides</title></head>\n"
        "<body><h1>RNN course: slide decks</h1>\n"
        "<p>Arrow keys move, <kbd>S</kbd> opens the speaker view (notes and solutions), "
        "<kbd>F</kbd> full screen, <kbd>Esc</kbd> overview. Everything here works offline.</p>\n"
        f"<ol>\n{items}\n</ol>\n</body></html>\n",
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


def main(selection: list[str] | None = None) -> int:
    """``rnnlab slides [01 05 …]``: build the decks, say where they are and how long it took."""
    started = time.perf_counter()
    try:
        decks = build_slides(selection)
    except SlidesError as err:
        print(f"rnnlab slides: {err}", file=sys.stderr)
        return 2
    for deck in decks:
        print(f"  {deck}")
    out = decks[0].parent if decks else paths.build_dir() / SLIDE_DIR
    print(
        f"{len(decks)} deck{'' if len(decks) == 1 else 's'} in {time.perf_counter() - started:.1f} s; open {out / 'index.html'} "
        "(works offline; copy the whole folder to present elsewhere)"
    )
    return 0


__all__ = [
    "VENDOR",
    "SlidesError",
    "build_slides",
    "export_deck",
    "fetch_package",
    "install_libraries",
    "remote_references",
    "css_remote_references",
    "main",
]

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
