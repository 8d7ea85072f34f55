"""The instructors' slide decks (rnnlab.slides, `make slides`) work in a lecture hall with no network.

For every notebook present: a deck is built; it references no script or stylesheet over http(s)
and every file it loads exists next to it; and in headless Chromium with networking disabled
(file:// page, proxy to a dead port, DevTools offline emulation) reveal.js initialises with more
than one slide, MathJax typesets the maths with no TeX errors and no `$…$` left untypeset, no
request leaves the machine, no file fails to load and no script throws.

Chromium is driven through its DevTools protocol over a pipe (``--remote-debugging-pipe``), so no
extra package is needed. Where Chromium is absent (a student's laptop) the browser test skips and
says why; with the environment variable CI set it fails instead. Set RNNLAB_SLIDES_SCREENSHOTS to
a folder to keep one screenshot of each deck's first slide there.
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

import nbformat
import pytest

from rnnlab import slides
from rnnlab.notebooks import resolve

NOTEBOOKS = [p.stem for p in resolve(None)]
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
LOCAL_SCHEMES = {"file", "data", "blob", "about"}


def skip_or_fail(reason: str):
    """A missing tool is a skip on a laptop, a failure in CI (where .ci/run installs it)."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> dict[str, Path]:
    """Decks of every notebook present, built from the source notebooks into a temporary folder."""
    if not NOTEBOOKS:
        pytest.skip("no notebooks yet")
    out = tmp_path_factory.mktemp("slides")
    try:
        built = slides.build_slides(out_dir=out, executed=False)
    except slides.SlidesError as err:  # no npm and no cached tarball: cannot build here
        skip_or_fail(f"cannot build the slides: {err}")
    return {p.name.removesuffix(".slides.html"): p for p in built}


# --------------------------------------------------------------------------- the HTML


def test_every_notebook_present_has_a_deck(decks):
    assert sorted(decks) == NOTEBOOKS
    for deck in decks.values():
        assert deck.read_text(encoding="utf-8").count("<section") > 1, f"{deck.name} has a single slide"
    assert (next(iter(decks.values())).parent / "index.html").is_file()


_SCRIPT_OR_STYLE = re.compile(
    r"<script[^>]*\bsrc\s*=\s*['\"]?\s*(?:https?:)?//|<link[^>]*\bhref\s*=\s*['\"]?\s*(?:https?:)?//"
    r"|@import\s+(?:url\()?\s*['\"]?\s*(?:https?:)?//|\bfrom\s+['\"](?:https?:)?//",
    re.I,
)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_deck_references_no_remote_script_or_stylesheet(decks, notebook):
    deck = decks[notebook]
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


def test_prepare_moves_solutions_to_notes_and_drops_stderr_and_ci_marks():
    nb = nbformat.v4.new_notebook()
    solution = nbformat.v4.new_code_cell(
        "# NBVAL_CHECK_OUTPUT\nanswer = 42", metadata={"jupyter": {"source_hidden": True}}
    )
    solution.outputs = [
        nbformat.v4.new_output("stream", name="stderr", text="a TF warning"),
        nbformat.v4.new_output("stream", name="stdout", text="42"),
    ]
    skipped = nbformat.v4.new_markdown_cell("x", metadata={"jupyter": {"source_hidden": True}, "slideshow": {"slide_type": "skip"}})
    nb.cells = [solution, skipped]
    slides.prepare(nb)
    assert solution.metadata["slideshow"]["slide_type"] == "notes"
    assert [o["name"] for o in solution.outputs] == ["stdout"]
    assert solution.source == "answer = 42"  # the CI marker is not for the audience
    assert skipped.metadata["slideshow"]["slide_type"] == "skip"  # the author's choice wins


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


SHOW_FIRST_MATHS = """
(() => {
  const maths = document.querySelector('.slides mjx-container');
  if (!maths) return false;
  const where = Reveal.getIndices(maths.closest('section'));
  Reveal.slide(where.h, where.v);
  return true;
})()
"""


def has_maths(notebook: str) -> bool:
    nb = nbformat.read(slides.paths.REPO_ROOT / "notebooks" / f"{notebook}.ipynb", as_version=4)
    return any(c.cell_type == "markdown" and re.search(r"\$[^$]+\$", c.source) for c in nb.cells)


def inspect_deck(browser: DevTools, deck: Path, screenshot: Path | None = None) -> dict:
    """Open ``deck`` offline in a new tab; what reveal.js, MathJax and the network did there."""
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    first_event = len(browser.events)
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
            {"width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": False},
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
        if ready:
            browser.evaluate(SHOW_FIRST_MATHS, session)  # the screenshot shows typeset maths where there is some
            time.sleep(0.3)
        shot = base64.b64decode(browser.call("Page.captureScreenshot", {"format": "png"}, session)["data"])
        if screenshot:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(shot)
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
        "shot": shot,
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


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_deck_renders_offline_in_chromium(decks, browser, notebook):
    deck = decks[notebook]
    keep = os.environ.get("RNNLAB_SLIDES_SCREENSHOTS")
    seen = inspect_deck(browser, deck, Path(keep) / f"{notebook}.png" if keep else None)

    assert seen["remote"] == [], f"{deck.name} tried the network: {seen['remote']}"
    assert seen["failed"] == [], f"{deck.name}: files failed to load: {seen['failed']}"
    assert seen["errors"] == [], f"{deck.name}: script errors {seen['errors']}"
    assert seen["ready"], f"{deck.name}: Reveal.isReady() still false after 20 s"
    assert seen["total"] > 1, f"{deck.name}: reveal.js sees {seen['total']} slide(s)"
    maths = seen["maths"]
    assert maths["errors"] == [], f"{deck.name}: TeX errors {maths['errors']}"
    assert maths["untypeset"] == [], f"{deck.name}: maths left as TeX source: {maths['untypeset']}"
    if has_maths(notebook):
        assert maths["containers"] > 0, f"{deck.name}: the notebook has $…$ maths but nothing was typeset"
    fonts = seen["fonts"]
    assert fonts["faces"] >= 1 and fonts["ready"], f"{deck.name}: the course's Chinese font did not load: {fonts}"
    assert slides.COURSE_FONT in fonts["family"], f"{deck.name}: slides use {fonts['family']}"
    assert fonts["cjk_elements"] > 0, f"{deck.name}: no Chinese text found (every notebook names terms in Chinese)"
    assert fonts["without_font"] == [], f"{deck.name}: Chinese text drawn without the course font: {fonts['without_font']}"
    assert seen["shot"][:8] == b"\x89PNG\r\n\x1a\n" and len(seen["shot"]) > 5000
