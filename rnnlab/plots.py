"""The course's plot style, shared so every figure looks the same."""
from __future__ import annotations

from pathlib import Path


def use_course_style() -> None:
    """Readable defaults: grid, larger labels, no top/right spines, figures sized for slides."""
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
        }
    )


CJK_FONTS = (
    "WenQuanYi Micro Hei",  # Debian/Ubuntu: fonts-wqy-microhei
    "Noto Sans CJK SC",  # fonts-noto-cjk
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "Microsoft YaHei",  # Windows
    "SimHei",
    "PingFang SC",  # macOS
    "Heiti SC",
    "Arial Unicode MS",
)


_CJK_FILES = ("wqy", "notosanscjk", "sourcehansans", "msyh", "simhei", "pingfang", "stheiti", "arialuni")


def use_cjk_font() -> str | None:
    """Let figures draw Chinese labels (notebook 08's attention heatmaps); returns the font used or None.

    Picks the first installed font of ``CJK_FONTS`` (registering font files that matplotlib's cache
    does not know yet) and puts it before the default sans-serif font.
    Without one, prints one note and silences matplotlib's per-glyph "missing from font" warnings:
    the labels are still drawn, as empty boxes.
    """
    import warnings

    import matplotlib as mpl
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    name = next((f for f in CJK_FONTS if f in installed), None)
    if name is None:  # matplotlib's font cache predates the font: register the font files directly
        for path in font_manager.findSystemFonts():
            if any(key in Path(path).name.lower() for key in _CJK_FILES):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):
                    continue
        installed = {f.name for f in font_manager.fontManager.ttflist}
        name = next((f for f in CJK_FONTS if f in installed), None)
    if name is None:
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from (current )?font", category=UserWarning)
        print("No Chinese font found, so Chinese labels show as boxes. Install one "
              "(Debian/Ubuntu: apt install fonts-wqy-microhei or fonts-noto-cjk) and restart the kernel.")
        return None
    mpl.rcParams["font.sans-serif"] = [name] + [f for f in mpl.rcParams["font.sans-serif"] if f != name]
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["axes.unicode_minus"] = False  # CJK fonts often lack the Unicode minus sign
    return name
