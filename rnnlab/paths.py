"""Where the course keeps things, and the environment variables that move them: one place for both.

Every folder has a default inside the repository and an environment variable that overrides it,
so a notebook finds its data, writes its metrics and reads a reference run from any working directory.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = REPO_ROOT / "notebooks"
REFERENCE_DIR = REPO_ROOT / "data" / "reference"  # full-profile runs worth keeping
ASSETS_DIR = Path(__file__).resolve().parent / "assets"  # files shipped with the package (the CJK font)

PROFILE_ENV = "RNNLAB_PROFILE"  # quick | standard | full
DATA_ENV = "RNNLAB_DATA_DIR"  # datasets (default data/cache/)
OFFLINE_ENV = "RNNLAB_OFFLINE"  # 1: never try a download
BUILD_ENV = "RNNLAB_BUILD_DIR"  # executed notebooks, metrics, logs, figures (default build/)
SEED_ENV = "RNNLAB_SEED"  # overrides the seed a notebook passes to setup() (seed-spread runs)
NPM_CACHE_ENV = "RNNLAB_NPM_CACHE"  # the slide libraries' npm tarballs (default data/cache/npm/)


def _folder(env: str, default: Path) -> Path:
    return Path(os.environ.get(env) or default).expanduser().resolve()


def data_dir() -> Path:
    """The data folder: ``RNNLAB_DATA_DIR`` if set, else ``data/cache/`` in the repository."""
    return _folder(DATA_ENV, REPO_ROOT / "data" / "cache")


def build_dir() -> Path:
    """``RNNLAB_BUILD_DIR`` if set, else the repository's ``build/`` folder."""
    return _folder(BUILD_ENV, REPO_ROOT / "build")


def npm_cache_dir() -> Path:
    """Where the pinned npm tarballs of the slide libraries are kept."""
    return _folder(NPM_CACHE_ENV, REPO_ROOT / "data" / "cache" / "npm")


def offline() -> bool:
    """True when ``RNNLAB_OFFLINE`` asks the loaders never to download."""
    return os.environ.get(OFFLINE_ENV, "").strip().lower() not in ("", "0", "false", "no")
