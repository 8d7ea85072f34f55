"""The course's plot style, shared so every figure looks the same."""
from __future__ import annotations


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
