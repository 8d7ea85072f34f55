"""The course's plot style draws Chinese with the course's own font, on machines without a CJK font too."""
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from rnnlab import plots  # noqa: E402


@pytest.fixture
def course_style():
    with matplotlib.rc_context():
        plots.use_course_style()
        yield
    plt.close("all")


def draw_attention_heatmap(tmp_path):
    """Notebook 08's heatmap: output tokens (Chinese characters) against English source tokens."""
    src, out = ["i", "love", "music", "."], ["我", "喜", "欢", "音", "乐", "。", "<end>"]
    fig, ax = plt.subplots()
    ax.imshow(np.random.default_rng(0).random((len(out), len(src))), cmap="Blues", aspect="auto")
    ax.set_xticks(range(len(src)), src, rotation=60)
    ax.set_yticks(range(len(out)), out)
    ax.set_title("reference: 我喜欢听音乐。 · 注意力权重 −0.5")
    for fmt in ("png", "svg", "pdf"):
        fig.savefig(tmp_path / f"heatmap.{fmt}")


def test_chinese_tick_labels_render_without_missing_glyphs(course_style, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        draw_attention_heatmap(tmp_path)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert not missing, missing


def test_the_chinese_glyphs_come_from_the_course_font(course_style):
    found = font_manager.findfont(font_manager.FontProperties(family=plots.COURSE_FONT), fallback_to_default=False)
    assert found == str(plots.COURSE_FONT_FILE)
    assert matplotlib.rcParams["font.family"] == ["DejaVu Sans", plots.COURSE_FONT]


def test_without_the_course_font_the_same_figure_warns(tmp_path):
    """The check above can fail: with DejaVu Sans alone, the Chinese labels are missing glyphs."""
    with matplotlib.rc_context({"font.family": ["DejaVu Sans"]}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            draw_attention_heatmap(tmp_path)
    plt.close("all")
    assert any("missing from" in str(w.message) for w in caught)
