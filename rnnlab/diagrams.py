"""Architecture diagrams of the course (Elman / Jordan RNN, stacked and bidirectional RNNs, LSTM and GRU cells,
encoder-decoder, attention), drawn by code so that they stay in step with the notebooks.

Each diagram is one function below, drawn with matplotlib patches on a canvas of 10 units per inch, labelled
with the notebooks' own symbols (02: h_t = f(x_t W + h_{t-1} U + b); 03: i, f, o and the candidate c̃_t; 04: z_t = 1
keeps h_{t-1}, as in Keras; 08: c = h_S and the weights α_{t,s}), in English ("en") and Chinese ("zh"). The
notebooks show them as markdown images from notebooks/diagrams/<name>.<lang>.svg; ``rnnlab run`` copies that
folder into build/ so the HTML export shows them too.

The SVGs keep text as outlines (no font is needed to view them) and are byte-for-byte reproducible (fixed hash
salt, no date), so tests/test_diagrams.py can check that the committed files are exactly what this code draws.
After changing a drawing, regenerate them all:

    python -m rnnlab diagrams        # or: python -c "from rnnlab.diagrams import write_all; write_all()"
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from rnnlab.paths import NOTEBOOK_DIR
from rnnlab.plots import register_course_font

DIAGRAM_DIR = NOTEBOOK_DIR / "diagrams"
LANGS = ("en", "zh")

INK, GREY, WHITE, PANEL = "#222222", "#666666", "#ffffff", "#f7f7f7"
STATE_PATH = "#c0392b"  # the highlighted memory path (LSTM cell state, GRU state)
# (fill, edge) of each kind of box; the same kind has the same colours in every diagram
COLOURS = {
    "input": ("#e5f5e0", "#31a354"),
    "state": ("#deebf7", "#3182bd"),
    "output": ("#fee6ce", "#e6550d"),
    "gate": ("#ffeaa6", "#b8860b"),  # sigmoid gates
    "tanh": ("#e3dcf5", "#6a51a3"),  # tanh layers
    "context": ("#fde0ef", "#c51b7d"),  # context vectors and attention
    "op": (WHITE, INK),  # element-wise ×, + and 1−
    "note": ("#f4f4f4", "#bbbbbb"),  # a formula in a box
}
SIZE = 13  # points; at 12 inches wide the diagrams read well on a 1280×720 slide
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")


def _rc() -> dict:
    """The settings every diagram is drawn and saved with (course font as the fallback for Chinese)."""
    return {
        "font.family": ["DejaVu Sans", register_course_font()],
        "mathtext.fontset": "dejavusans",
        "svg.fonttype": "path",
        "svg.hashsalt": "rnnlab",
    }


# ---------------------------------------------------------------- shared drawing helpers


@dataclass(frozen=True)
class Box:
    """A drawn box: its centre and size, and the midpoints of its sides."""

    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> tuple[float, float]:
        return (self.x, self.y + self.h / 2)

    @property
    def bottom(self) -> tuple[float, float]:
        return (self.x, self.y - self.h / 2)

    @property
    def left(self) -> tuple[float, float]:
        return (self.x - self.w / 2, self.y)

    @property
    def right(self) -> tuple[float, float]:
        return (self.x + self.w / 2, self.y)


def _canvas(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure of width × height units (10 units per inch) with one axis-free axes filling it."""
    fig = Figure(figsize=(width / 10, height / 10), facecolor=WHITE)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


def _text(ax: Axes, x: float, y: float, s: str, size: float = SIZE, color: str = INK, ha: str = "center",
          va: str = "center") -> None:
    """A label. Maths between $…$ is drawn by mathtext; Chinese with the course font. Mathtext has no Chinese
    glyphs, so a label that mixes the two is laid out piece by piece (one text per piece, side by side)."""
    if not (CJK.search(s) and "$" in s):
        ax.text(x, y, s, size=size, color=color, ha=ha, va=va, linespacing=1.3)
        return
    from matplotlib.offsetbox import AnnotationBbox, HPacker, TextArea, VPacker

    props = dict(size=size, color=color)
    lines = [HPacker(children=[TextArea(piece if i % 2 == 0 else f"${piece}$", textprops=props)
                               for i, piece in enumerate(line.split("$")) if piece],
                     pad=0, sep=0, align="baseline") for line in s.split("\n")]
    box = lines[0] if len(lines) == 1 else VPacker(children=lines, pad=0, sep=size * 0.3,
                                                    align={"left": "left", "right": "right"}.get(ha, "center"))
    align = ({"left": 0, "center": 0.5, "right": 1}[ha], {"bottom": 0, "center": 0.5, "top": 1}[va])
    ax.add_artist(AnnotationBbox(box, (x, y), frameon=False, box_alignment=align, pad=0))


def _box(ax: Axes, x: float, y: float, w: float, h: float, label: str = "", kind: str = "state",
         size: float = SIZE, round_: float = 0.8) -> Box:
    """A rounded box of one of the COLOURS kinds, centred at (x, y), with a label in the middle."""
    from matplotlib.patches import FancyBboxPatch

    fill, edge = COLOURS[kind]
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle=f"round,pad=0,rounding_size={round_}",
                                facecolor=fill, edgecolor=edge, linewidth=1.6, zorder=2))
    if label:
        _text(ax, x, y, label, size=size)
    return Box(x, y, w, h)


def _op(ax: Axes, x: float, y: float, symbol: str, r: float = 1.9) -> Box:
    """A small circle for an element-wise operation (×, +, 1−)."""
    from matplotlib.patches import Circle

    fill, edge = COLOURS["op"]
    ax.add_patch(Circle((x, y), r, facecolor=fill, edgecolor=edge, linewidth=1.5, zorder=2))
    ax.text(x, y, symbol, size=SIZE + (1 if len(symbol) == 1 else -2), ha="center", va="center", zorder=3)
    return Box(x, y, 2 * r, 2 * r)


def _line(ax: Axes, *points: tuple[float, float], color: str = INK, lw: float = 1.6, head: bool = True,
          dashed: bool = False, halo: str | None = None) -> None:
    """A polyline through the points, with an arrow head at the last one. ``halo`` (the background colour)
    draws a margin around it, so that where it crosses another line the crossing reads as a bridge."""
    from matplotlib import patheffects
    from matplotlib.patches import FancyArrowPatch
    from matplotlib.path import Path as MplPath

    arrow = FancyArrowPatch(path=MplPath(points), arrowstyle="-|>" if head else "-", mutation_scale=12 + 2 * lw,
                            color=color, linewidth=lw, linestyle=(0, (4, 3)) if dashed else "-",
                            shrinkA=0, shrinkB=0, zorder=1.5 if halo else 1, capstyle="butt", joinstyle="miter")
    if halo:
        arrow.set_path_effects([patheffects.withStroke(linewidth=lw + 6, foreground=halo), patheffects.Normal()])
    ax.add_patch(arrow)


def _group(ax: Axes, x0: float, x1: float, y0: float, y1: float, title: str = "") -> None:
    """A light grey panel behind a group of boxes (a cell, the encoder), with an optional title at its top."""
    from matplotlib.patches import FancyBboxPatch

    ax.add_patch(FancyBboxPatch((x0, y0), x1 - x0, y1 - y0, boxstyle="round,pad=0,rounding_size=2",
                                facecolor=PANEL, edgecolor="#cccccc", linewidth=1.2, zorder=0))
    if title:
        _text(ax, (x0 + x1) / 2, y1 - 2.5, title, size=SIZE + 1)


def _legend(ax: Axes, x: float, y: float, rows: list[tuple[str, str]], step: float = 4.2,
            size: float = SIZE - 1) -> None:
    """A key: one row per (symbol or swatch kind, words); a kind of COLOURS draws a small box of that colour."""
    for i, (key, words) in enumerate(rows):
        yy = y - i * step
        if key in COLOURS:
            _box(ax, x + 2, yy, 4, 2.6, kind=key, round_=0.5)
        elif key == "path":
            _line(ax, (x, yy), (x + 4, yy), color=STATE_PATH, lw=3.5, head=False)
        elif key:
            _text(ax, x + 2, yy, key, size=size)
        _text(ax, x + 5.5, yy, words, size=size, ha="left")


def _say(lang: str) -> Callable[[str, str], str]:
    """tr(english, chinese) → the label in the diagram's language."""
    return lambda en, zh: en if lang == "en" else zh


# ---------------------------------------------------------------- 1. Elman and Jordan networks unrolled


def _rnn_unrolled(lang: str, jordan: bool) -> Figure:
    tr = _say(lang)
    fig, ax = _canvas(120, 62)
    rows = {"y": 47, "h": 31, "x": 15}
    bw, bh = 8, 5.5
    feedback = r"$U_y$" if jordan else r"$U$"

    # the folded network on the left, its memory drawn as a loop
    fx = 22
    _text(ax, fx, 57, tr("the network", "网络结构"), size=SIZE, color=GREY)
    y_box = _box(ax, fx, rows["y"], bw, bh, r"$y_t$", "output")
    h_box = _box(ax, fx, rows["h"], bw, bh, r"$h_t$")
    x_box = _box(ax, fx, rows["x"], bw, bh, r"$x_t$", "input")
    _line(ax, x_box.top, h_box.bottom)
    _line(ax, h_box.top, y_box.bottom)
    _text(ax, fx - 1, (rows["x"] + rows["h"]) / 2, r"$W$", ha="right", color=GREY)
    _text(ax, fx - 1, (rows["h"] + rows["y"]) / 2, r"$V$", ha="right", color=GREY)
    if jordan:  # y_t goes back into h at the next step
        _line(ax, y_box.right, (fx + 7, rows["y"]), (fx + 7, rows["h"] + 1.2), (h_box.right[0], rows["h"] + 1.2),
              color=STATE_PATH, lw=2.2)
        _text(ax, fx + 7.8, (rows["h"] + rows["y"]) / 2, feedback, ha="left", color=STATE_PATH)
    else:  # h_t goes back into itself at the next step
        _line(ax, (h_box.right[0], rows["h"] + 1.2), (fx + 8, rows["h"] + 1.2), (fx + 8, rows["h"] - 5),
              (fx + 2, rows["h"] - 5), (fx + 2, rows["h"] - bh / 2), color=STATE_PATH, lw=2.2)
        _text(ax, fx + 8.8, rows["h"] - 2, feedback, ha="left", color=STATE_PATH)
    for key, words in (("y", tr("output", "输出")), ("h", tr("hidden state\n(memory)", "隐状态\n（记忆）")),
                       ("x", tr("input", "输入"))):
        _text(ax, fx - 5.5, rows[key], words, ha="right", size=SIZE - 1)

    # the same network unrolled in time
    _line(ax, (35, rows["h"]), (42, rows["h"]), lw=2.5)
    _text(ax, 38.5, rows["h"] + 3, tr("unroll", "按时间展开"), size=SIZE - 1, color=GREY)

    cols = {r"t-1": 58, r"t": 80, r"t+1": 102}
    hs, ys = [], []
    for step, cx in cols.items():
        xb = _box(ax, cx, rows["x"], bw, bh, rf"$x_{{{step}}}$", "input", size=SIZE - 1)
        hb = _box(ax, cx, rows["h"], bw, bh, rf"$h_{{{step}}}$", size=SIZE - 1)
        yb = _box(ax, cx, rows["y"], bw, bh, rf"$y_{{{step}}}$", "output", size=SIZE - 1)
        _line(ax, xb.top, hb.bottom)
        _line(ax, hb.top, yb.bottom)
        _text(ax, cx + 1, (rows["x"] + rows["h"]) / 2, r"$W$", ha="left", color=GREY)
        _text(ax, cx + 1, (rows["h"] + rows["y"]) / 2, r"$V$", ha="left", color=GREY)
        _text(ax, cx, 57, tr(f"step ${step}$", f"第 ${step}$ 步"), size=SIZE - 1, color=GREY)
        hs.append(hb)
        ys.append(yb)
    # the memory: h_{t-1} → h_t (Elman) or y_{t-1} → h_t (Jordan), also into the first and out of the last column
    first, last = 47, 113
    if jordan:
        _text(ax, first - 0.5, rows["y"], r"$\cdots$", ha="right", size=SIZE + 3)
        _line(ax, (first, rows["y"] - 1), (hs[0].x - bw / 2, rows["h"] + 1.2), color=STATE_PATH, lw=2.2)
        for a, b in zip(ys, hs[1:]):
            _line(ax, (a.x + bw / 2, a.y - 1), (b.x - bw / 2, b.y + 1.2), color=STATE_PATH, lw=2.2)
            _text(ax, (a.x + b.x) / 2 + 1.5, (a.y + b.y) / 2 + 2, feedback, ha="left", color=STATE_PATH)
        _line(ax, (ys[-1].x + bw / 2, ys[-1].y - 1), (last, rows["h"] + 4), color=STATE_PATH, lw=2.2)
        _text(ax, last + 0.5, rows["h"] + 3, r"$\cdots$", ha="left", size=SIZE + 3)
    else:
        _text(ax, first - 0.5, rows["h"], r"$\cdots$", ha="right", size=SIZE + 3)
        for a, b in zip([(first, rows["h"])] + [h.right for h in hs], [h.left for h in hs] + [(last, rows["h"])]):
            _line(ax, a, b, color=STATE_PATH, lw=2.2)
        for a, b in zip(hs, hs[1:]):
            _text(ax, (a.x + b.x) / 2, rows["h"] + 1.8, feedback, color=STATE_PATH)
        _text(ax, last + 0.5, rows["h"], r"$\cdots$", ha="left", size=SIZE + 3)

    if jordan:
        eq = r"$h_t = f\,(x_t W + y_{t-1} U_y + b),\quad y_t = g\,(h_t V + c),\quad y_0 = 0$"
    else:
        eq = r"$h_t = f\,(x_t W + h_{t-1} U + b),\quad y_t = g\,(h_t V + c),\quad h_0 = 0$"
    _text(ax, 80, 7, eq, size=SIZE)
    shared = r"$W,\ U_y,\ b,\ V,\ c$" if jordan else r"$W,\ U,\ b,\ V,\ c$"
    _text(ax, 80, 2.5, tr(f"the same {shared} at every step: weight sharing",
                          f"每一步用同一组 {shared}：权值共享"), size=SIZE - 1)
    return fig


def elman_unrolled(lang: str) -> Figure:
    """Notebook 02 §1: the Elman network, folded and unrolled; the memory is h_{t-1}."""
    return _rnn_unrolled(lang, jordan=False)


def jordan_unrolled(lang: str) -> Figure:
    """Notebook 02 §5: the Jordan network; the memory is the previous output y_{t-1}."""
    return _rnn_unrolled(lang, jordan=True)


# ---------------------------------------------------------------- 2. stacked and bidirectional RNNs


def stacked_bidirectional(lang: str) -> Figure:
    """Notebook 02 §4: a 2-layer stacked RNN (left) and a bidirectional RNN (right)."""
    tr = _say(lang)
    fig, ax = _canvas(120, 64)
    bw, bh = 7.5, 5.5
    ax.plot([61, 61], [4, 60], color="#dddddd", lw=1.2)

    # left: stacked, layer 1 returns every step, layer 2 only its last state
    _text(ax, 31, 60, tr("stacked RNN, 2 layers", "堆叠 RNN（两层）"), size=SIZE + 1)
    cols = [24, 38, 52]
    rows = {"x": 12, "1": 24, "2": 36, "y": 48}
    for key, words in (("y", tr("output", "输出")), ("2", tr("layer 2", "第二层")),
                       ("1", tr("layer 1", "第一层")), ("x", tr("input", "输入"))):
        _text(ax, 16, rows[key], words, ha="right", size=SIZE - 1)
    l1, l2 = [], []
    for t, cx in enumerate(cols, 1):
        xb = _box(ax, cx, rows["x"], bw, bh, rf"$x_{t}$", "input")
        b1 = _box(ax, cx, rows["1"], bw, bh, rf"$h^{{(1)}}_{t}$")
        b2 = _box(ax, cx, rows["2"], bw, bh, rf"$h^{{(2)}}_{t}$")
        _line(ax, xb.top, b1.bottom)
        _line(ax, b1.top, b2.bottom)
        l1.append(b1)
        l2.append(b2)
    for layer in (l1, l2):
        for a, b in zip(layer, layer[1:]):
            _line(ax, a.right, b.left, color=STATE_PATH, lw=2)
    yb = _box(ax, cols[-1], rows["y"], bw, bh, r"$y$", "output")
    _line(ax, l2[-1].top, yb.bottom)
    _text(ax, cols[0] - 4, rows["y"], tr("layer 2 returns\nonly its last state", "第二层只返回\n最后的状态"),
          ha="left", size=SIZE - 2, color=GREY)
    _text(ax, 33, 4, tr("every layer but the last: return_sequences=True",
                        "除最后一层外：return_sequences=True"), size=SIZE - 2, color=GREY)

    # right: bidirectional, a forward and a backward layer, their states concatenated
    _text(ax, 91, 60, tr("bidirectional RNN", "双向 RNN"), size=SIZE + 1)
    cols = [80, 94, 108]
    rows = {"x": 12, "f": 23, "b": 34, "c": 47}
    for key, words in (("c", tr("concat", "拼接")), ("b", tr("backward", "后向层")), ("f", tr("forward", "前向层")),
                       ("x", tr("input", "输入"))):
        _text(ax, 72.5, rows[key], words, ha="right", size=SIZE - 1)
    fw, bwd = [], []
    for t, cx in enumerate(cols, 1):
        xb = _box(ax, cx, rows["x"], 9, bh, rf"$x_{t}$", "input")
        fb = _box(ax, cx - 3, rows["f"], 6, bh, rf"$\overrightarrow{{h}}_{t}$")
        bb = _box(ax, cx + 3, rows["b"], 6, bh, rf"$\overleftarrow{{h}}_{t}$")
        cb = _box(ax, cx, rows["c"], 11, bh + 0.5, rf"$[\overrightarrow{{h}}_{t};\,\overleftarrow{{h}}_{t}]$",
                  "output", size=SIZE - 1)
        _line(ax, (fb.x, xb.top[1]), fb.bottom)
        _line(ax, (bb.x, xb.top[1]), bb.bottom, halo=WHITE)
        _line(ax, fb.top, (fb.x, cb.bottom[1]), halo=WHITE)
        _line(ax, bb.top, (bb.x, cb.bottom[1]))
        fw.append(fb)
        bwd.append(bb)
    for a, b in zip(fw, fw[1:]):
        _line(ax, a.right, b.left, color=STATE_PATH, lw=2)
    for a, b in zip(bwd, bwd[1:]):
        _line(ax, b.left, a.right, color=STATE_PATH, lw=2)
    _text(ax, 91, 4, tr("step $t$ sees its past and its future", "第 $t$ 步既看到过去，也看到未来"),
          size=SIZE - 2, color=GREY)
    return fig


# ---------------------------------------------------------------- 3. the LSTM cell


def lstm_cell(lang: str) -> Figure:
    """Notebook 03 §2: one LSTM step, gates i, f, o, candidate c̃, the cell state path highlighted."""
    tr = _say(lang)
    fig, ax = _canvas(124, 62)
    _group(ax, 8, 82, 5, 55)
    top, bus, gates = 50, 13, 27
    # the cell state path: c_{t-1} → × f_t → + i_t ⊙ c̃_t → c_t
    fx, px, ox = 30, 52, 75
    _line(ax, (2, top), (fx - 1.9, top), color=STATE_PATH, lw=3.5, head=False)
    _op(ax, fx, top, "×")
    _line(ax, (fx + 1.9, top), (px - 1.9, top), color=STATE_PATH, lw=3.5, head=False)
    _op(ax, px, top, "+")
    _line(ax, (px + 1.9, top), (92, top), color=STATE_PATH, lw=3.5)
    _text(ax, 2, top + 2.5, r"$c_{t-1}$", ha="left")
    _text(ax, 92, top + 2.5, r"$c_t$", ha="right")
    _text(ax, 41, top + 3.3, tr("cell state: only × and +", "细胞状态：只有乘和加"), size=SIZE - 2,
          color=STATE_PATH)
    # inputs: h_{t-1} from the left, x_t from below, together into every gate
    _line(ax, (2, bus), (65, bus), head=False)
    _line(ax, (14, 1), (14, bus), head=False)
    _text(ax, 2, bus - 2.3, r"$h_{t-1}$", ha="left")
    _text(ax, 15, 2.3, r"$x_t$", ha="left")
    f = _box(ax, fx, gates, 7, 5, r"$\sigma$", "gate")
    i = _box(ax, 41, gates, 7, 5, r"$\sigma$", "gate")
    g = _box(ax, px, gates, 7, 5, r"$\tanh$", "tanh", size=SIZE - 1)
    o = _box(ax, 65, gates, 7, 5, r"$\sigma$", "gate")
    for b, words in ((f, tr("forget", "遗忘门")), (i, tr("input", "输入门")), (g, tr("candidate", "候选记忆")),
                     (o, tr("output", "输出门"))):
        _line(ax, (b.x, bus), b.bottom)
        _text(ax, b.x + 1, (bus + b.bottom[1]) / 2, words, ha="left", size=SIZE - 2, color=GREY)
    _line(ax, f.top, (fx, top - 1.9))
    _text(ax, fx + 1, 39, r"$f_t$", ha="left")
    _op(ax, px, 38.5, "×")
    _line(ax, i.top, (i.x, 38.5), (px - 1.9, 38.5))
    _text(ax, 44.5, 40.5, r"$i_t$")
    _line(ax, g.top, (px, 38.5 - 1.9))
    _text(ax, px + 1, 33.3, r"$\tilde c_t$", ha="left")
    _line(ax, (px, 38.5 + 1.9), (px, top - 1.9))
    # the read-out: h_t = o_t ⊙ tanh(c_t)
    _line(ax, (ox, top), (ox, 42.5))
    t_box = _box(ax, ox, 39.5, 7, 4.5, r"$\tanh$", "tanh", size=SIZE - 1, round_=1.5)
    _op(ax, ox, gates, "×")
    _line(ax, t_box.bottom, (ox, gates + 1.9))
    _line(ax, o.right, (ox - 1.9, gates))
    _text(ax, 70.5, gates + 2, r"$o_t$")
    _line(ax, (ox + 1.9, gates), (79, gates), (79, bus), (92, bus))
    _text(ax, 92, bus - 2.3, r"$h_t$", ha="right")

    # the key
    _legend(ax, 95, 57, [
        ("gate", tr(r"gate: $\sigma$, in $(0, 1)$", r"门：$\sigma$，取值 $(0, 1)$")),
        ("tanh", tr("tanh layer", "tanh 层")),
        ("path", tr("cell state path", "细胞状态通路")),
        (r"$f_t$", tr("forget gate", "遗忘门")),
        (r"$i_t$", tr("input gate", "输入门")),
        (r"$\tilde c_t$", tr("candidate", "候选记忆")),
        (r"$o_t$", tr("output gate", "输出门")),
        (r"$c_t$", tr("cell state", "细胞状态")),
        (r"$h_t$", tr("hidden state", "隐状态")),
    ], step=4.4)
    example = r"$f_t = \sigma(x_t W_f + h_{t-1} U_f + b_f)$"
    _text(ax, 95, 15, tr("each box has its own $W, U, b$:\n" + example, "每个框有自己的 $W, U, b$：\n" + example),
          ha="left", size=SIZE - 1, color=GREY)
    _text(ax, 95, 6.5, r"$c_t = f_t \odot c_{t-1} + i_t \odot \tilde c_t$" "\n" r"$h_t = o_t \odot \tanh(c_t)$",
          ha="left", size=SIZE - 1)
    return fig


# ---------------------------------------------------------------- 4. the GRU cell


def gru_cell(lang: str) -> Figure:
    """Notebook 04 §1: one GRU step in Keras's convention, h_t = z ⊙ h_{t-1} + (1 − z) ⊙ h̃_t."""
    tr = _say(lang)
    fig, ax = _canvas(124, 62)
    _group(ax, 5, 82, 5, 55)
    top, bus, gates = 50, 14, 25
    rx, zx, kx = 22, 46, 72  # reset gate, update gate, candidate (and the + on the state path)
    # the state path: h_{t-1} → × z_t → + (1 − z_t) ⊙ h̃_t → h_t
    _line(ax, (2, top), (zx - 1.9, top), color=STATE_PATH, lw=3.5, head=False)
    _op(ax, zx, top, "×")
    _line(ax, (zx + 1.9, top), (kx - 1.9, top), color=STATE_PATH, lw=3.5, head=False)
    _op(ax, kx, top, "+")
    _line(ax, (kx + 1.9, top), (92, top), color=STATE_PATH, lw=3.5)
    _text(ax, 2, top + 2.5, r"$h_{t-1}$", ha="left")
    _text(ax, 92, top + 2.5, r"$h_t$", ha="right")
    _text(ax, (zx + kx) / 2, top + 2.5, r"$z_t \odot h_{t-1}$", size=SIZE - 1)
    # inputs: h_{t-1} down into the gates with x_t; x_t alone to the candidate
    _line(ax, (8, top), (8, bus), (zx, bus), head=False)
    _line(ax, (14, 1), (14, bus), head=False)
    _line(ax, (14, 7), (kx, 7), (kx, gates - 2.5))
    _text(ax, 15, 2.3, r"$x_t$", ha="left")
    r = _box(ax, rx, gates, 7, 5, r"$\sigma$", "gate")
    z = _box(ax, zx, gates, 7, 5, r"$\sigma$", "gate")
    k = _box(ax, kx, gates, 7, 5, r"$\tanh$", "tanh", size=SIZE - 1)
    for b, words in ((r, tr("reset", "重置门")), (z, tr("update", "更新门")), (k, tr("candidate", "候选状态"))):
        if b is not k:
            _line(ax, (b.x, bus), b.bottom)
        _text(ax, b.x + 1, (bus + b.bottom[1]) / 2 + (1.5 if b is k else 0), words, ha="left", size=SIZE - 2,
              color=GREY)
    # reset: r_t ⊙ h_{t-1} into the candidate
    ry = 34
    _op(ax, rx, ry, "×")
    _line(ax, r.top, (rx, ry - 1.9))
    _text(ax, rx + 1, 29.8, r"$r_t$", ha="left")
    _line(ax, (rx, top), (rx, ry + 1.9))
    _line(ax, (rx + 1.9, ry), (62, ry), (62, gates), k.left)
    _text(ax, 34, ry + 2, r"$r_t \odot h_{t-1}$", size=SIZE - 1)
    # update: z_t onto the state, 1 − z_t onto the candidate
    _line(ax, z.top, (zx, ry + 3), head=False, halo=PANEL)  # bridges the r_t ⊙ h_{t-1} line
    _line(ax, (zx, ry + 3), (zx, top - 1.9))
    _text(ax, zx - 1, 30, r"$z_t$", ha="right")
    oy = 41
    _line(ax, (zx, oy), (57 - 2.2, oy))
    _op(ax, 57, oy, "1−", r=2.2)
    _line(ax, (57 + 2.2, oy), (kx - 1.9, oy))
    _text(ax, 64.5, oy + 2, r"$1 - z_t$", size=SIZE - 1)
    _op(ax, kx, oy, "×")
    _line(ax, k.top, (kx, oy - 1.9))
    _text(ax, kx + 1, 31.5, r"$\tilde h_t$", ha="left")
    _line(ax, (kx, oy + 1.9), (kx, top - 1.9))

    _legend(ax, 95, 57, [
        ("gate", tr(r"gate: $\sigma$, in $(0, 1)$", r"门：$\sigma$，取值 $(0, 1)$")),
        ("tanh", tr("tanh layer", "tanh 层")),
        ("path", tr("state path", "状态通路")),
        (r"$z_t$", tr("update gate", "更新门")),
        (r"$r_t$", tr("reset gate", "重置门")),
        (r"$\tilde h_t$", tr("candidate state", "候选状态")),
        (r"$h_t$", tr("hidden state", "隐状态")),
    ], step=4.4)
    _text(ax, 95, 20, tr(r"Keras's convention:" "\n" r"$z_t = 1$ keeps $h_{t-1}$",
                         "Keras 的约定：\n" r"$z_t = 1$ 保留 $h_{t-1}$"), ha="left", size=SIZE - 1, color=GREY)
    _text(ax, 95, 8, r"$h_t = z_t \odot h_{t-1}$" "\n" r"$\quad + (1 - z_t) \odot \tilde h_t$", ha="left")
    return fig


# ---------------------------------------------------------------- 5. encoder-decoder with teacher forcing


def encoder_decoder(lang: str) -> Figure:
    """Notebook 08 §4-5: GRU encoder over the English tokens, c = h_S, GRU decoder trained with teacher forcing."""
    tr = _say(lang)
    fig, ax = _canvas(124, 64)
    bw, bh = 8, 5.5
    rows = {"in": 16, "gru": 31, "out": 45}
    _group(ax, 2, 44, 3, 62, tr("encoder GRU", "编码器 GRU"))
    _group(ax, 56, 122, 3, 62, tr("decoder GRU", "解码器 GRU"))

    # encoder: h_s = GRU(e(x_s), h_{s-1}), over "i won ."
    _text(ax, 23, 54.5, r"$h_s = \mathrm{GRU}(e(x_s), h_{s-1})$", size=SIZE - 1)
    enc = []
    for s, (cx, token) in enumerate(zip([10, 23, 36], ["i", "won", "."]), 1):
        tb = _box(ax, cx, rows["in"], bw, 4.5, token, "input")
        hb = _box(ax, cx, rows["gru"], bw, bh, rf"$h_{s}$")
        _line(ax, tb.top, hb.bottom)
        enc.append(hb)
    for a, b in zip(enc, enc[1:]):
        _line(ax, a.right, b.left, color=STATE_PATH, lw=2)
    _text(ax, 23, 9, tr("English tokens $x_s$", "英文词元 $x_s$"), size=SIZE - 1, color=GREY)

    # the context vector: the encoder's last state starts the decoder
    cb = _box(ax, 50, rows["gru"], 9, bh + 1, r"$c = h_S$", "context", size=SIZE - 1)
    _line(ax, enc[-1].right, cb.left, color=STATE_PATH, lw=2)
    _text(ax, 50, 24, tr("context\nvector", "上下文\n向量"), size=SIZE - 2, color=COLOURS["context"][1])

    # decoder: d_0 = c, d_t = GRU(e(y_{t-1}), d_{t-1}); its inputs are the targets shifted right by one
    _text(ax, 89, 54.5, r"$d_0 = c,\quad d_t = \mathrm{GRU}(e(y_{t-1}), d_{t-1}),\quad "
                        r"p(y_t \mid y_{<t}, x) = \mathrm{softmax}(W d_t + b)$", size=SIZE - 2)
    inputs, targets = ["<start>", "我", "赢", "了"], ["我", "赢", "了", "<end>"]
    dec, outs, ins = [], [], []
    for t, cx in enumerate([65, 78, 91, 104], 1):
        ib = _box(ax, cx, rows["in"], 9, 4.5, inputs[t - 1], "input", size=SIZE - 1)
        db = _box(ax, cx, rows["gru"], bw, bh, rf"$d_{t}$")
        ob = _box(ax, cx, rows["out"], 9, 4.5, targets[t - 1], "output", size=SIZE - 1)
        _line(ax, ib.top, db.bottom)
        _line(ax, db.top, ob.bottom)
        dec.append(db)
        outs.append(ob)
        ins.append(ib)
    _line(ax, cb.right, dec[0].left, color=STATE_PATH, lw=2)
    _text(ax, 57.5, rows["gru"] + 2, r"$d_0$", size=SIZE - 2, color=STATE_PATH)
    for a, b in zip(dec, dec[1:]):
        _line(ax, a.right, b.left, color=STATE_PATH, lw=2)
    # teacher forcing: the true token of step t is the input of step t + 1
    for a, b in zip(outs, ins[1:]):
        _line(ax, (a.x + 3, a.y - 2.25), (b.x - 3, b.y + 2.25), color=GREY, lw=1.2, dashed=True, halo=PANEL)
    _text(ax, 110, rows["out"], tr("target", "目标"), ha="left", size=SIZE - 1, color=GREY)
    _text(ax, 110, rows["in"], tr("input", "输入"), ha="left", size=SIZE - 1, color=GREY)
    _text(ax, 89, 9, tr("decoder input = the true previous token (teacher forcing)",
                        "解码器输入 = 真实的上一个词元（教师强制）"), size=SIZE - 1, color=GREY)
    return fig


# ---------------------------------------------------------------- 6. attention


def attention(lang: str) -> Figure:
    """Notebook 08 §7: the decoder state d_t scores every encoder state, c_t = Σ α_{t,s} h_s, combined with d_t."""
    tr = _say(lang)
    fig, ax = _canvas(124, 64)
    from matplotlib.patches import Rectangle

    weights = [0.08, 0.12, 0.70, 0.10]  # an illustration: writing 音 (music), it looks at "music"
    cols = [10, 23, 36, 49]
    hs = []
    for s, (cx, token) in enumerate(zip(cols, ["i", "love", "music", "."]), 1):
        _text(ax, cx, 4, token, size=SIZE - 1, color=GREY)
        hs.append(_box(ax, cx, 11, 8, 5, rf"$h_{s}$"))
    _text(ax, 55.5, 11, tr("encoder\nstates", "编码器\n状态"), ha="left", size=SIZE - 2, color=GREY)

    # scores: every h_s against the query W_q d_t, softmax over s
    band = _box(ax, 29.5, 21, 51, 5, r"$e_{t,s} = (W_q d_t) \cdot h_s / \sqrt{n}, \quad "
                                     r"\alpha_{t,s} = \mathrm{softmax}_s(e_{t,s})$", "note", size=SIZE - 1)
    for h in hs:
        _line(ax, h.top, (h.x, band.bottom[1]))
    d = _box(ax, 90, 11, 9, 5.5, r"$d_t$")
    _text(ax, 90, 4, tr("decoder state", "解码器状态"), size=SIZE - 1, color=GREY)
    _line(ax, d.left, (68, 11), (68, 21), band.right, dashed=True)
    _text(ax, 69, 16, tr("query", "查询"), ha="left", size=SIZE - 2, color=GREY)

    # the weights as bars, then the weighted sum
    base, scale = 25, 16
    fill, edge = COLOURS["context"]
    for cx, w in zip(cols, weights):
        ax.add_patch(Rectangle((cx - 3, base), 6, w * scale, facecolor=fill, edgecolor=edge, linewidth=1.4,
                               zorder=2))
        _text(ax, cx + 3.5, base + 1, f"{w:.2f}", size=SIZE - 2, color=edge, ha="left")
    _text(ax, 56, 31, tr(r"attention weights $\alpha_{t,s}$" "\n" r"(sum to 1 over $s$)",
                         r"注意力权重 $\alpha_{t,s}$" "\n" r"（对 $s$ 求和为 1）"), ha="left",
          size=SIZE - 2, color=edge)
    sx, sy = 29.5, 47
    _op(ax, sx, sy, "Σ", r=2.3)
    for cx, w in zip(cols, weights):
        _line(ax, (cx, base + w * scale), (sx + (cx - sx) * 0.1, sy - 2.3), color=edge, lw=0.8 + 3 * w)
    c = _box(ax, 50, sy, 19, 6, r"$c_t = \sum_s \alpha_{t,s} h_s$", "context", size=SIZE - 1)
    _line(ax, (sx + 2.3, sy), c.left)
    _text(ax, 50, 54, tr("context vector, new at every step", "上下文向量，每一步重新计算"), size=SIZE - 2,
          color=edge)

    # combine with d_t, then predict
    comb = _box(ax, 90, sy, 22, 6, r"$\tilde d_t = \tanh(W_c [d_t; c_t])$", "tanh", size=SIZE - 1)
    _line(ax, c.right, comb.left)
    _line(ax, d.top, comb.bottom, color=STATE_PATH, lw=2)
    _text(ax, 91, 30, tr("$d_t$ and $c_t$ combined", "$d_t$ 与 $c_t$ 组合"), ha="left", size=SIZE - 2,
          color=GREY)
    y = _box(ax, 90, 59, 7, 4.5, "音", "output")
    _line(ax, comb.top, y.bottom)
    _text(ax, 95, 59, r"$y_t$: softmax$(W \tilde d_t + b)$", ha="left", size=SIZE - 1)
    return fig


# ---------------------------------------------------------------- the catalogue


DIAGRAMS: dict[str, tuple[Callable[[str], Figure], str]] = {
    "elman_unrolled": (elman_unrolled, "02_simple_rnn"),
    "jordan_unrolled": (jordan_unrolled, "02_simple_rnn"),
    "stacked_bidirectional": (stacked_bidirectional, "02_simple_rnn"),
    "lstm_cell": (lstm_cell, "03_lstm"),
    "gru_cell": (gru_cell, "04_gru"),
    "encoder_decoder": (encoder_decoder, "08_seq2seq_translation"),
    "attention": (attention, "08_seq2seq_translation"),
}  # name → (drawing function, the notebook that shows it)


def draw(name: str, lang: str = "en") -> Figure:
    """The diagram ``name`` (a key of DIAGRAMS) with labels in ``lang`` ("en" or "zh")."""
    if name not in DIAGRAMS:
        raise ValueError(f"unknown diagram name {name!r}; choose one of {', '.join(DIAGRAMS)}")
    if lang not in LANGS:
        raise ValueError(f"unknown lang {lang!r}; choose 'en' or 'zh'")
    with matplotlib.rc_context(_rc()):
        return DIAGRAMS[name][0](lang)


def svg_bytes(name: str, lang: str = "en") -> bytes:
    """The SVG of one diagram: text as outlines, no date, fixed ids, so a redraw gives the same bytes."""
    with matplotlib.rc_context(_rc()):
        fig = draw(name, lang)
        out = io.BytesIO()
        fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


def write_all(folder: Path | str | None = None) -> list[Path]:
    """Write every diagram in every language as ``<name>.<lang>.svg`` into folder (default notebooks/diagrams)."""
    folder = Path(folder) if folder is not None else DIAGRAM_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in DIAGRAMS:
        for lang in LANGS:
            path = folder / f"{name}.{lang}.svg"
            path.write_bytes(svg_bytes(name, lang))
            written.append(path)
    return written
