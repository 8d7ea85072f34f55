"""rnnlab: the small helper package behind the RNN course notebooks.

Notebooks start with ``rnnlab.setup("<notebook>")`` and take their sizes from
``rnnlab.profile(quick=..., standard=..., full=...)``. One module per concern:
config (profiles, seeding), data (datasets, windows), report (metrics), plots, run (CLI).
"""
from rnnlab import report
from rnnlab.config import current_profile, profile, setup

__version__ = "0.1.0"
__all__ = ["setup", "profile", "current_profile", "report", "__version__"]
