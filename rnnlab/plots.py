"""The course's plot style, shared so every figure looks the same, Chinese labels included."""
from __future__ import annotations

from rnnlab.paths import ASSETS_DIR

# The course ships its own Chinese font (a subset of Noto Sans CJK SC, see rnnlab/assets/README.md),
# so figures draw Chinese on any machine without a system CJK font.
COURSE_FONT_FILE = ASSETS_DIR / "NotoSansCJKsc-course.otf"
COURSE_FONT = "Noto Sans CJK SC Course"


def register_course_font() -> str:
    """Make the course's Chinese font known to matplotlib (once per process); returns its family name."""
    from matplotlib import font_manager

    if not any(f.name == COURSE_FONT for f in font_manager.fontManager.ttflist):
        font_manager.fontManager.addfont(str(COURSE_FONT_FILE))
    return COURSE_FONT


def use_course_style() -> None:
    """Readable defaults: grid, larger labels, no top/right spines, figures sized for slides.

    Latin text uses DejaVu Sans (matplotlib's default); any character it lacks, Chinese above all,
    falls back to the course's font, glyph by glyph.
    """
    import matplotlib as mpl

    mpl.rcParams.update(
        {
            "figure.figsize": (7.0, 4.0),
            "figure.dpi": 100,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 12,
            "axes.labelsize": 11,
            "legend.frameon": False,
            "font.family": ["DejaVu Sans", register_course_font()],
        }
    )
