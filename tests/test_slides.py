"""The instructors' slide decks (rnnlab.slides, `make slides`) work in a lecture hall with no network.

Every notebook has a deck source in English and in 中文 (lessons/slides/NN.<lang>.md) with 15-30 slides whose
numbers all name something the notebook records. Every deck is built (before any run: numbers show as "?", figures
as boxes of the size a figure gets) and opened in headless Chromium with networking disabled (file:// page, proxy to
a dead port, DevTools offline emulation) at 1280 × 720: every slide fits the canvas (measured after MathJax and the
images), every image loads, MathJax typesets all maths with no TeX error, Chinese text is drawn with the course's
own font, no request leaves the machine, no file fails to load and no script throws.

Chromium is driven through its DevTools protocol over a pipe (``--remote-debugging-pipe``), so no extra package is
needed. Where Chromium is absent (a student's laptop) the browser test skips and says why; with the environment
variable CI set it fails instead. Set RNNLAB_SLIDES_SCREENSHOTS to a folder to keep screenshots of three slides of
each deck (the first, the middle one and the last) there.
"""
from __future__ import annotations

import base64
import json
import os
import queue
import re
import shutil
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from rnnlab import slides
from rnnlab.notebooks import NOTEBOOKS as COURSE_NOTEBOOKS
from rnnlab.notebooks import resolve
from rnnlab.paths import NOTEBOOK_DIR

NOTEBOOKS = [p.stem for p in resolve(None)]
SOURCES = slides.deck_sources()
DECKS = [p.name.removesuffix(".md") for p in SOURCES]  # "03.zh"
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
LOCAL_SCHEMES = {"file", "data", "blob", "about"}


def skip_or_fail(reason: str):
    """A missing tool is a skip on a laptop, a failure in CI (where .ci/run installs it)."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, slides.Deck]:
    """Every deck, built into a temporary folder from an empty build folder: no run's numbers or figures."""
    if not SOURCES:
        pytest.skip("no deck sources yet")
    out = tmp_path_factory.mktemp("slides")
    try:
        built = slides.build_slides(out_dir=out, build=tmp_path_factory.mktemp("no-run"))
    except slides.SlidesError as err:  # no npm and no cached tarball: cannot build here
        skip_or_fail(f"cannot build the slides: {err}")
    return {d.path.name.split(".", 1)[0][:2] + "." + d.path.name.rsplit(".", 2)[1]: d for d in built}


# --------------------------------------------------------------------------- the sources


@pytest.mark.parametrize("stem", COURSE_NOTEBOOKS)
def test_every_notebook_has_a_deck_in_both_languages_with_15_to_30_slides(stem):
    for lang in slides.LANGUAGES:
        source = slides.DECK_DIR / f"{stem[:2]}.{lang}.md"
        assert source.is_file(), f"no deck {source.name} for notebooks/{stem}.ipynb"
        text = source.read_text(encoding="utf-8")
        n = len(slides.parse_deck(text))
        assert 15 <= n <= 30, f"{source.name} has {n} slides, not 15-30"
        assert text.lstrip().startswith(f"# {stem[:2]} · "), f"{source.name} starts with '# {stem[:2]} · <title>'"


def recorded_keys(stem: str) -> set[str]:
    """The metric and table names the notebook's code records."""
    code = "\n".join(c["source"] if isinstance(c["source"], str) else "".join(c["source"])
                     for c in json.loads((NOTEBOOK_DIR / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]
                     if c["cell_type"] == "code")
    return set(re.findall(r"record(?:_table)?\(\s*(?:f?)['\"]([\w]+)['\"]", code))


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_every_number_names_something_its_notebook_records(source):
    stems = {p.stem[:2]: p.stem for p in resolve(None)}
    for nn, path, _ in slides.NUMBER.findall(source.read_text(encoding="utf-8")):
        assert nn in stems, f"{source.name}: {{{{{nn}:{path}}}}} names no notebook"
        key = re.split(r"[.\[]", path.strip(), maxsplit=1)[0]
        assert key in recorded_keys(stems[nn]), f"{source.name}: {{{{{nn}:{path}}}}}: notebook {nn} records no {key!r}"


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_code_blocks_fit_a_slide(source):
    for i, slide in enumerate(slides.parse_deck(source.read_text(encoding="utf-8")), start=1):
        for block in re.findall(r"```[^\n]*\n(.*?)```", slide.body, re.S):
            assert block.count("\n") <= 12, f"{source.name} slide {i}: a code block of {block.count(chr(10))} lines"


def test_a_deck_source_is_parsed_into_slides_and_notes():
    deck = slides.parse_deck("# 01 · T\n\nsub\n\n---\n\n## A\n\n- x\n\nNote:\nsay *this*\n---\n## B\n| a |\n|---|\n| 1 |\n")
    assert [s.body.splitlines()[0] for s in deck] == ["# 01 · T", "## A", "## B"]
    assert deck[1].notes == "say *this*" and deck[2].notes == "" and "|---|" in deck[2].body


def test_numbers_come_from_the_run_and_a_missing_one_is_named(tmp_path, monkeypatch):
    build = tmp_path / "build"
    (build / "metrics").mkdir(parents=True)
    stem = NOTEBOOKS[0]
    (build / "metrics" / f"{stem}.json").write_text(json.dumps({
        "profile": "standard", "finished": "2026-12-01T00:00:00", "device": "CPU (2 cores)",
        "metrics": {"a": {"b": 0.12345}, "n": 12000},
        "tables": {"t": [{"model": "x", "acc": 0.5}, {"model": "LSTM(32)", "acc": 0.875}]}}))
    run = slides.RunData(build)
    nn = stem[:2]
    text, missing = slides.fill_numbers(
        f"{{{{{nn}:a.b:.2f}}}} {{{{{nn}:n:,d}}}} {{{{{nn}:t[1].acc:.1%}}}} {{{{{nn}:t[model=LSTM(32)].acc:.3f}}}} "
        f"{{{{{nn}:a.c}}}} {{{{{nn}:t[model=GRU].acc}}}}", run)
    assert text == "0.12 12,000 87.5% 0.875 ? ?"
    assert len(missing) == 2 and f"{{{{{nn}:a.c}}}}" in missing[0] and "model = 'GRU'" in missing[1]


def test_maths_survives_markdown():
    out = slides.render_markdown("a $x_{t-1} * y_t$ and $$\\sum_i a_i * b_i$$ with *emphasis*")
    assert "$x_{t-1} * y_t$" in out and "$$\\sum_i a_i * b_i$$" in out and "<em>emphasis</em>" in out


_SCRIPT_OR_STYLE = re.compile(
    r"<script[^>]*\bsrc\s*=\s*['\"]?\s*(?:https?:)?//|<link[^>]*\bhref\s*=\s*['\"]?\s*(?:https?:)?//"
    r"|@import\s+(?:url\()?\s*['\"]?\s*(?:https?:)?//|\bfrom\s+['\"](?:https?:)?//",
    re.I,
)


@pytest.mark.parametrize("name", DECKS)
def test_deck_references_no_remote_script_or_stylesheet(decks, name):
    deck = decks[name].path
    page = deck.read_text(encoding="utf-8")
    assert slides.remote_references(page) == []
    assert _SCRIPT_OR_STYLE.findall(page) == []  # a second, independent look
    refs = slides.page_references(page)
    local = [url for _, url in refs.loads]
    assert any(u.endswith("reveal.js") for u in local) and any("mathjax" in u for u in local)
    for url in local:
        path = deck.parent / unquote(urlparse(url).path)
        assert path.is_file(), f"{deck.name} loads {url}, which is not in {deck.parent}"
        if path.suffix == ".css":
            assert slides.css_remote_references(path.read_text(encoding="utf-8")) == [], path


def test_remote_references_are_caught():
    page = (
        '<script src="https://cdn.example/x.js"></script><link rel="stylesheet" href="//cdn.example/a.css">'
        "<script type=module>import m from 'https://cdn.example/m.mjs';</script>"
        "<style>/* https://in.a.comment */ @import url(https://fonts.example/css);</style>"
        '<a href="https://arxiv.org/abs/1409.3215">a link is fine</a><script src="lib/ok.js"></script>'
    )
    found = slides.remote_references(page)
    assert len(found) == 4 and not any("arxiv" in f or "ok.js" in f or "comment" in f for f in found)


def test_a_tarball_that_is_not_the_pinned_one_is_refused(tmp_path):
    pkg = slides.VENDOR["reveal.js"]
    (tmp_path / pkg.tarball).write_bytes(b"not reveal.js")
    with pytest.raises(slides.SlidesError, match="not the pinned reveal.js"):
        slides.fetch_package(pkg, tmp_path)


def test_a_missing_run_is_said_on_the_slide_and_in_the_report(decks):
    deck = next(iter(decks.values()))
    page = deck.path.read_text(encoding="utf-8")
    assert "no run of" in page  # the title slide says where the numbers would come from
    index = (deck.path.parent / "index.html").read_text(encoding="utf-8")
    assert all(d.path.name in index for d in decks.values())


# --------------------------------------------------------------------------- in Chromium

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--mute-audio",
    "--proxy-server=127.0.0.1:9",  # anything that tries the network hits a closed port
    "--proxy-bypass-list=<-loopback>",
]


def find_chromium() -> str | None:
    for name in (os.environ.get("RNNLAB_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class DevTools:
    """A Chromium started with --remote-debugging-pipe: JSON messages separated by NUL on fds 3 and 4."""

    def __init__(self, exe: str, profile: Path):
        import fcntl  # POSIX only; the fixture skips elsewhere

        cmd_r, cmd_w = os.pipe()  # we write commands; Chromium reads them on fd 3
        out_r, out_w = os.pipe()  # Chromium writes replies and events on fd 4
        # move Chromium's ends above 10 so that placing them on 3 and 4 cannot clobber each other
        child_r = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
        child_w = fcntl.fcntl(out_w, fcntl.F_DUPFD, 10)
        for fd in (cmd_r, out_w):
            os.close(fd)

        def place_pipes():
            os.dup2(child_r, 3)
            os.dup2(child_w, 4)

        self.log = profile / "chromium.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                preexec_fn=place_pipes,
                close_fds=False,
            )
        os.close(child_r)
        os.close(child_w)
        self._w = cmd_w
        self._r = out_r
        self._next_id = 0
        self._inbox: queue.Queue = queue.Queue()
        self.events: list[dict] = []
        self._replies: dict[int, dict] = {}
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buf = b""
        while True:
            chunk = os.read(self._r, 1 << 16)
            if not chunk:
                self._inbox.put(None)
                return
            buf += chunk
            *messages, buf = buf.split(b"\0")
            for m in messages:
                self._inbox.put(json.loads(m))

    def _pump(self, deadline: float) -> None:
        msg = self._inbox.get(timeout=max(0.01, deadline - time.monotonic()))
        if msg is None:
            raise RuntimeError(f"Chromium exited; its log: {self.log.read_text(errors='replace')[-1500:]}")
        if "id" in msg:
            self._replies[msg["id"]] = msg
        else:
            self.events.append(msg)

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30):
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while self._next_id not in self._replies:
            try:
                self._pump(deadline)
            except queue.Empty:
                raise TimeoutError(f"no reply to {method} within {timeout} s") from None
        reply = self._replies.pop(self._next_id)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def wait_event(self, method: str, session: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        seen = 0
        while True:
            for ev in self.events[seen:]:
                if ev.get("method") == method and ev.get("sessionId") == session:
                    return ev
            seen = len(self.events)
            try:
                self._pump(deadline)
            except queue.Empty:
                raise TimeoutError(f"no {method} within {timeout} s") from None

    def evaluate(self, expression: str, session: str, await_promise: bool = False, timeout: float = 30):
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": await_promise},
            session,
            timeout,
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression[:60]}…: {result['exceptionDetails'].get('text')}")
        return result["result"].get("value")

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._w)


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if os.name != "posix":
        skip_or_fail("driving Chromium through --remote-debugging-pipe needs Linux or macOS")
    exe = find_chromium()
    if exe is None:
        skip_or_fail(
            "Chromium is not installed, so the decks cannot be opened in a browser "
            "(Debian/Ubuntu: apt-get install chromium; or set RNNLAB_CHROMIUM to a Chrome/Chromium binary)"
        )
    tools = DevTools(exe, tmp_path_factory.mktemp("chromium-profile"))
    yield tools
    tools.close()


# What the page reports once everything settled: run inside the deck.
MATH_STATE = """
(window.MathJax && MathJax.startup && MathJax.startup.promise ? MathJax.startup.promise : Promise.reject('MathJax did not load'))
.then(() => {
  const skip = new Set(['SCRIPT', 'STYLE', 'PRE', 'CODE', 'TEXTAREA', 'MJX-CONTAINER']);
  const left = [];
  const walker = document.createTreeWalker(document.querySelector('.slides'), NodeFilter.SHOW_TEXT, {
    acceptNode(node) {
      for (let el = node.parentElement; el; el = el.parentElement) if (skip.has(el.tagName)) return NodeFilter.FILTER_REJECT;
      return NodeFilter.FILTER_ACCEPT;
    }
  });
  while (walker.nextNode()) {
    const m = walker.currentNode.nodeValue.match(/\\$[^$\\s][^$]*\\$|\\\\\\(|\\\\\\[/);
    if (m) left.push(m[0].slice(0, 60));
  }
  return {
    containers: document.querySelectorAll('.slides mjx-container').length,
    errors: Array.from(new Set(Array.from(document.querySelectorAll('mjx-merror')).map(e => e.getAttribute('data-mjx-error') || e.textContent))).slice(0, 5),
    untypeset: left.slice(0, 5)
  };
})
"""


# Whether the course's Chinese font loaded offline and is the one the slides ask for after Source Sans Pro.
FONT_STATE = """
document.fonts.load('32px "%(font)s"', '中文').then(faces => {
  const cjk = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
  const without = new Set();
  let elements = 0;
  const walker = document.createTreeWalker(document.querySelector('.slides'), NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement;
    if (!cjk.test(node.nodeValue) || !el || el.closest('mjx-container')) continue;
    elements += 1;
    const family = getComputedStyle(el).fontFamily;
    if (!family.includes('%(font)s')) without.add(el.tagName + ': ' + family);
  }
  return {faces: faces.length, ready: document.fonts.check('32px "%(font)s"', '中文'),
          family: getComputedStyle(document.querySelector('.reveal .slides')).fontFamily,
          cjk_elements: elements, without_font: Array.from(without).slice(0, 5)};
})
""" % {"font": slides.COURSE_FONT}


# Every slide's content height in canvas pixels, and the images that did not load, once images and maths settled.
LAYOUT_STATE = """
Promise.all(Array.from(document.querySelectorAll('.slides img')).map(img => img.decode().catch(() => null)))
.then(() => {
  const sections = Array.from(document.querySelectorAll('.reveal .slides > section'));
  const heights = sections.map((section, h) => {
    Reveal.slide(h);
    const top = section.getBoundingClientRect().top, scale = Reveal.getScale();
    let bottom = 0;
    for (const child of section.children) {
      if (child.tagName === 'ASIDE') continue;
      bottom = Math.max(bottom, (child.getBoundingClientRect().bottom - top) / scale);
    }
    return Math.ceil(bottom);
  });
  Reveal.slide(0);
  const broken = Array.from(document.querySelectorAll('.slides img'))
    .filter(img => !(img.complete && img.naturalWidth > 0)).map(img => img.getAttribute('src'));
  return {heights: heights, broken: broken};
})
"""


def inspect_deck(browser: DevTools, deck: Path, screenshots: Path | None = None) -> dict:
    """Open ``deck`` offline in a new tab at 1280 × 720; what reveal.js, MathJax, the fonts and the network did."""
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    first_event = len(browser.events)
    shots = []
    try:
        for method in ("Page.enable", "Network.enable", "Runtime.enable", "Log.enable"):
            browser.call(method, session=session)
        browser.call(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
            session,
        )
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": slides.SLIDE_WIDTH, "height": slides.SLIDE_HEIGHT, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        browser.call("Page.navigate", {"url": deck.as_uri()}, session)
        browser.wait_event("Page.loadEventFired", session, timeout=30)

        deadline = time.monotonic() + 20
        ready = False
        while not ready and time.monotonic() < deadline:
            ready = browser.evaluate("typeof Reveal !== 'undefined' && Reveal.isReady() === true", session)
            time.sleep(0 if ready else 0.1)
        total = browser.evaluate("typeof Reveal !== 'undefined' ? Reveal.getTotalSlides() : 0", session)
        try:
            maths = browser.evaluate(MATH_STATE, session, await_promise=True)
        except RuntimeError as err:
            maths = {"containers": 0, "errors": [str(err)], "untypeset": []}
        try:
            fonts = browser.evaluate(FONT_STATE, session, await_promise=True)
        except RuntimeError as err:
            fonts = {"faces": 0, "ready": False, "family": str(err), "cjk_elements": 0, "without_font": [str(err)]}
        layout = browser.evaluate(LAYOUT_STATE, session, await_promise=True) if ready else {"heights": [], "broken": []}
        for index in sorted({0, 1, total // 2, max(total - 1, 0)}) if ready else [0]:
            browser.evaluate(f"Reveal.slide({index})", session)
            time.sleep(0.1)
            shots.append((index, base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"}, session)["data"])))
        if screenshots:
            screenshots.mkdir(parents=True, exist_ok=True)
            for index, shot in shots:
                (screenshots / f"{deck.name.removesuffix('.html')}-{index + 1:02d}.png").write_bytes(shot)
    finally:
        browser.call("Target.closeTarget", {"targetId": target})

    events = [e for e in browser.events[first_event:] if e.get("sessionId") == session]
    requests = {
        e["params"]["requestId"]: e["params"]["request"]["url"]
        for e in events
        if e["method"] == "Network.requestWillBeSent"
    }
    return {
        "ready": ready,
        "total": total,
        "maths": maths,
        "fonts": fonts,
        "layout": layout,
        "shots": shots,
        "remote": sorted({u for u in requests.values() if urlparse(u).scheme not in LOCAL_SCHEMES}),
        "failed": [
            f"{requests.get(e['params']['requestId'], '?')[-80:]} ({e['params'].get('errorText')})"
            for e in events
            if e["method"] == "Network.loadingFailed"
        ],
        "errors": [
            e["params"]["exceptionDetails"].get("exception", {}).get("description")
            or e["params"]["exceptionDetails"]["text"]
            for e in events
            if e["method"] == "Runtime.exceptionThrown"
        ]
        + [
            e["params"]["entry"]["text"]
            for e in events
            if e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] == "error"
        ],
    }


@pytest.mark.parametrize("name", DECKS)
def test_deck_renders_offline_in_chromium_and_every_slide_fits(decks, browser, name):
    deck = decks[name]
    keep = os.environ.get("RNNLAB_SLIDES_SCREENSHOTS")
    seen = inspect_deck(browser, deck.path, Path(keep) if keep else None)

    assert seen["remote"] == [], f"{deck.path.name} tried the network: {seen['remote']}"
    assert seen["failed"] == [], f"{deck.path.name}: files failed to load: {seen['failed']}"
    assert seen["errors"] == [], f"{deck.path.name}: script errors {seen['errors']}"
    assert seen["ready"], f"{deck.path.name}: Reveal.isReady() still false after 20 s"
    assert seen["total"] == deck.slides, f"{deck.path.name}: reveal.js sees {seen['total']} slides, the source has {deck.slides}"
    too_tall = {i + 1: h for i, h in enumerate(seen["layout"]["heights"]) if h > slides.SLIDE_HEIGHT}
    assert not too_tall, f"{deck.path.name}: slides taller than {slides.SLIDE_HEIGHT} px (slide: height): {too_tall}"
    assert seen["layout"]["broken"] == [], f"{deck.path.name}: images that did not load: {seen['layout']['broken']}"
    maths = seen["maths"]
    assert maths["errors"] == [], f"{deck.path.name}: TeX errors {maths['errors']}"
    assert maths["untypeset"] == [], f"{deck.path.name}: maths left as TeX source: {maths['untypeset']}"
    if re.search(r"\$[^$\s][^$]*\$", slides.DECK_DIR.joinpath(f"{name}.md").read_text(encoding="utf-8")):
        assert maths["containers"] > 0, f"{deck.path.name}: the source has $…$ maths but nothing was typeset"
    fonts = seen["fonts"]
    assert fonts["faces"] >= 1 and fonts["ready"], f"{deck.path.name}: the course's Chinese font did not load: {fonts}"
    assert slides.COURSE_FONT in fonts["family"], f"{deck.path.name}: slides use {fonts['family']}"
    if name.endswith(".zh"):
        assert fonts["cjk_elements"] > 0, f"{deck.path.name}: a Chinese deck with no Chinese text"
    assert fonts["without_font"] == [], f"{deck.path.name}: Chinese text drawn without the course font: {fonts['without_font']}"
    assert all(shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 5000 for _, shot in seen["shots"])
