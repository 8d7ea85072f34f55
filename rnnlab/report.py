"""Metrics files: what each notebook measured, written to build/metrics/<notebook>.json.

``rnnlab run`` adds wall time and peak memory after the notebook finishes and builds
``build/report.md`` from these files (see ``rnnlab.run``).
"""
from __future__ import annotations

import datetime as _dt
import json
import math
from pathlib import Path
from typing import Any

from rnnlab import arguments, config, paths
from rnnlab.paths import build_dir


def metrics_path(notebook: str) -> Path:
    return build_dir() / "metrics" / f"{notebook}.json"


def to_jsonable(value: Any) -> Any:
    """NumPy scalars/arrays and pandas objects → plain JSON; NaN/inf → None (shown as '—')."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - numpy is a hard dependency
        np = None
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if np is not None:
        if isinstance(value, np.ndarray):
            return to_jsonable(value.tolist())
        if isinstance(value, np.generic):
            value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ValueError(f"cannot record a value of type {type(value).__name__}: {value!r}")


def read(notebook: str) -> dict[str, Any]:
    """The metrics file of ``notebook`` as a dict (a fresh skeleton if none exists yet)."""
    path = metrics_path(notebook)
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {
        "notebook": notebook,
        "profile": config.current_profile(),
        "finished": None,
        "wall_s": None,
        "peak_rss_mb": None,
        "device": None,
        "versions": {},
        "metrics": {},
        "tables": {},
    }


def write(data: dict[str, Any]) -> Path:
    """Write a metrics dict atomically to its file."""
    path = metrics_path(data["notebook"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


def _update(section: str, key: str, value: Any) -> None:
    if not isinstance(key, str) or not key:
        raise ValueError(f"{section} key must be a non-empty string, got {key!r}")
    notebook = config.active_notebook()
    data = read(notebook)
    if data.get("profile") != config.current_profile():  # left over from another profile
        data.update(profile=config.current_profile(), metrics={}, tables={}, wall_s=None, peak_rss_mb=None)
    data[section][key] = value
    data["finished"] = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    data["device"] = config.device_name()
    data["versions"] = config.versions()
    write(data)


def record(key: str, value: Any) -> Any:
    """Record one measured figure (number, list or dict of numbers) under ``key``; returns it."""
    _update("metrics", key, to_jsonable(value))
    return value


def record_table(name: str, table: Any) -> Any:
    """Record a pandas DataFrame (or a list of row dicts) as a table of rows; returns it."""
    rows = table.to_dict(orient="records") if hasattr(table, "to_dict") else table
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise ValueError(f"table {name!r} must be a DataFrame or a list of row dicts")
    _update("tables", name, to_jsonable(rows))
    return table


REFERENCE_KINDS = {  # kind -> how to make the file
    "full": "`rnnlab run --profile full {nn}`, then copy build/metrics/{notebook}.json to that path",
    "seeds.standard": "`python scripts/seed_spread.py {nn} --profile standard --seeds 0 1 2`",
    "seeds.full": "`python scripts/seed_spread.py {nn} --profile full --seeds 0 1 2`",
    "bilstm_levers": "`python scripts/bilstm_levers.py` (notebook 05 only)",
}


def reference_path(notebook: str, kind: str = "full") -> Path:
    """Where a kept run of ``notebook`` lives: data/reference/<notebook>.<kind>.json (kind: full, seeds.standard, …)."""
    kind = arguments.choice("kind", kind, tuple(REFERENCE_KINDS))
    return paths.REFERENCE_DIR / f"{notebook}.{kind}.json"


def load_reference(notebook: str | None = None, kind: str = "full") -> dict[str, Any] | None:
    """A kept run of ``notebook`` (default: this notebook), or None; prints one line on it.

    ``kind`` "full" is the full-profile reference run; "seeds.standard" / "seeds.full" are the runs of
    scripts/seed_spread.py; "bilstm_levers" the runs of scripts/bilstm_levers.py. Works from any working directory. The line names the run's device, date, wall time
    and versions, or, when none is kept, how to make one.
    """
    notebook = notebook or config.active_notebook()
    path = reference_path(notebook, kind)
    if not path.exists():
        shown = path.relative_to(paths.REPO_ROOT) if path.is_relative_to(paths.REPO_ROOT) else path
        how = REFERENCE_KINDS[kind].format(nn=notebook[:2], notebook=notebook)
        print(f"No {kind} reference run is kept ({shown} is missing). To make one: {how}.")
        return None
    ref = json.loads(path.read_text(encoding="utf-8"))
    versions = ", ".join(f"{k} {v}" for k, v in ref.get("versions", {}).items())
    seeds = f", seeds {', '.join(map(str, ref['seeds']))}" if ref.get("seeds") else ""
    print(f"Reference run ({ref.get('profile')} profile{seeds}): {ref.get('device')}, finished {ref.get('finished')}, "
          f"wall time {ref.get('wall_s')} s; {versions}")
    return ref
