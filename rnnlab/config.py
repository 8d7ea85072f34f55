"""Run profiles, seeding and the set-up banner that opens every notebook."""
from __future__ import annotations

import functools
import os
import random
import types

from rnnlab import arguments
from rnnlab.paths import PROFILE_ENV, SEED_ENV

PROFILES = ("quick", "standard", "full")
DEFAULT_PROFILE = "standard"

_state: dict[str, object] = {"notebook": None, "seed": None}


def current_profile() -> str:
    """The profile named by RNNLAB_PROFILE (default 'standard'); anything else is a ValueError."""
    name = os.environ.get(PROFILE_ENV, DEFAULT_PROFILE).strip().lower() or DEFAULT_PROFILE
    return arguments.choice(PROFILE_ENV, name, PROFILES)


def profile(**settings: dict) -> types.SimpleNamespace:
    """Pick this run's sizes: ``profile(quick={...}, standard={...}, full={...})``.

    All three profiles must be given with the same keys, so every cell runs in every
    profile and only the sizes change. Returns the active profile's settings as
    attributes (``P.epochs``), plus ``P.name``.
    """
    missing = [p for p in PROFILES if p not in settings]
    unknown = [p for p in settings if p not in PROFILES]
    if missing or unknown:
        raise ValueError(
            f"profile() needs exactly the keyword arguments {', '.join(PROFILES)}; "
            f"missing: {missing or 'none'}, unknown: {unknown or 'none'}"
        )
    keys = {p: set(settings[p]) for p in PROFILES}
    reference = keys["standard"]
    for p in PROFILES:
        if keys[p] != reference:
            raise ValueError(
                f"profile {p!r} has keys {sorted(keys[p])} but 'standard' has {sorted(reference)}; "
                "every profile must set the same sizes"
            )
    name = current_profile()
    return types.SimpleNamespace(name=name, **settings[name])


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy and Keras, and make TensorFlow ops deterministic."""
    import numpy as np

    random.seed(seed)
    np.random.seed(seed)
    os.environ.setdefault("PYTHONHASHSEED", str(seed))
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    # With op determinism on, TensorFlow's tf.data pass `make_deterministic` turns the parallel map Keras
    # builds for NumPy inputs into a sequential MapDataset whenever the last batch is partial, and leaves
    # the attribute `use_unbounded_threadpool` on it. TensorFlow then logs "NodeDef mentions attribute
    # use_unbounded_threadpool which is not in the op definition" to the kernel's log (build/logs/). It is
    # harmless: the attribute is ignored, and the batches, their order, the results and the speed are the
    # same as without the rewrite (measured with TF 2.21 / Keras 3.15).
    tf.config.experimental.enable_op_determinism()


def import_tensorflow():
    """``import tensorflow``, with its C++ start-up lines kept off this process's stderr.

    TensorFlow prints some of them before it reads TF_CPP_MIN_LOG_LEVEL, so the command line
    (``rnnlab doctor``) sends file descriptor 2 to the null device while the import runs. In a
    notebook TensorFlow is already imported by then and nothing changes.
    """
    import sys

    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 2)
            import tensorflow as tf

            tf.config.list_physical_devices()  # the CUDA probe logs here, also before the log level is read
    finally:
        os.dup2(saved, 2)
        os.close(saved)
    return tf


@functools.cache  # fixed for the life of the process; report.record asks on every call
def device_name() -> str:
    """'GPU (<name>)' when TensorFlow sees a GPU, else 'CPU (<n> cores)'."""
    tf = import_tensorflow()

    gpus = tf.config.list_physical_devices("GPU")
    if gpus:
        details = tf.config.experimental.get_device_details(gpus[0])
        return f"GPU ({details.get('device_name', gpus[0].name)})"
    return f"CPU ({os.cpu_count()} cores)"


@functools.cache
def versions() -> dict[str, str]:
    """Versions of the packages whose behaviour the course's numbers depend on."""
    import platform

    tf = import_tensorflow()
    import keras
    import numpy as np

    return {
        "python": platform.python_version(),
        "tensorflow": tf.__version__,
        "keras": keras.__version__,
        "numpy": np.__version__,
    }


def setup(notebook: str, seed: int = 0) -> None:
    """Start a notebook: seed everything, set the plot style, print a one-line banner.

    ``notebook`` names the file the metrics go to (build/metrics/<notebook>.json). ``RNNLAB_SEED``, when
    set, replaces ``seed``, so the same notebook can be run with several seeds (scripts/seed_spread.py).
    """
    if not isinstance(notebook, str) or not notebook.strip() or "/" in notebook:
        raise ValueError(f"notebook must be a file stem such as '01_one_hot_vs_embedding', got {notebook!r}")
    name = current_profile()
    override = os.environ.get(SEED_ENV, "").strip()
    if override:
        if not override.isdigit():
            raise ValueError(f"{SEED_ENV} must be a whole number >= 0, got {override!r}")
        seed = int(override)
    seed_everything(seed)
    from rnnlab.plots import use_course_style

    use_course_style()
    _state.update(notebook=notebook, seed=seed)
    v = versions()
    print(
        f"rnnlab · {notebook} · profile {name} · {device_name()} · "
        f"TensorFlow {v['tensorflow']} · Keras {v['keras']} · seed {seed}" + (f" (from {SEED_ENV})" if override else "")
    )


def current_seed() -> int:
    """The seed the last ``setup()`` used (the notebook's, or ``RNNLAB_SEED``'s)."""
    if _state["seed"] is None:
        raise RuntimeError("call rnnlab.setup('<notebook name>') first")
    return int(_state["seed"])


def active_notebook() -> str:
    """The notebook named by the last ``setup()``; RuntimeError if setup was not called."""
    if _state["notebook"] is None:
        raise RuntimeError("call rnnlab.setup('<notebook name>') before recording metrics")
    return str(_state["notebook"])
