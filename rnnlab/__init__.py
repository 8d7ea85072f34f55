"""rnnlab: the small helper package behind the RNN course notebooks.

Notebooks start with ``rnnlab.setup("<notebook>")`` and take their sizes from
``rnnlab.profile(quick=..., standard=..., full=...)``. One module per concern:
config (profiles, seeding), data (datasets, windows), report (metrics), plots, run (CLI).
"""
import os as _os

# TensorFlow's C++ start-up log (CUDA probing, oneDNN notes) scares students on CPU laptops and
# adds noise to notebook outputs; Python-level errors still raise. Set it yourself to see the log.
_os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from rnnlab import report  # noqa: E402
from rnnlab.config import current_profile, profile, setup  # noqa: E402

__version__ = "0.1.0"
__all__ = ["setup", "profile", "current_profile", "report", "__version__"]
