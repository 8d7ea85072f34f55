"""``rnnlab run`` (execute notebooks into build/, write build/report.md) and ``rnnlab doctor``."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

from rnnlab import config, data, notebooks, report

# Quick-profile wall-time shares of the 10-minute CI budget (COURSE_SPEC §4); standard: 10 min each.
QUICK_BUDGET_S = {"01": 45, "02": 60, "03": 60, "04": 60, "05": 120, "06": 30, "07": 90, "08": 120}
STANDARD_BUDGET_S = 600
QUICK_PEAK_RSS_MB = 2560  # 2.5 GB per notebook in the quick profile


def budget_s(notebook: str, profile: str) -> float | None:
    if profile == "quick":
        return QUICK_BUDGET_S.get(notebook[:2])
    return STANDARD_BUDGET_S if profile == "standard" else None


class PeakMemory:
    """Polls the resident memory of this process's children (the kernel) and keeps the peak."""

    def __init__(self, interval: float = 0.2):
        import psutil

        self._me = psutil.Process()
        self._interval = interval
        self._stop = threading.Event()
        self.peak_bytes = 0
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        import psutil

        while not self._stop.is_set():
            total = 0
            for child in self._me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.peak_bytes = max(self.peak_bytes, total)
            self._stop.wait(self._interval)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def run_notebooks(selection: list[str] | None = None, profile: str | None = None, html: bool = True) -> int:
    """Execute the selected notebooks in order; returns 0 when all succeeded, 1 otherwise."""
    if profile is not None:
        os.environ[config.PROFILE_ENV] = profile
    profile = config.current_profile()  # validates
    paths = notebooks.resolve(selection)
    if not paths:
        raise ValueError(f"no notebooks found in {notebooks.NOTEBOOK_DIR}")
    out = report.build_dir()
    os.environ[report.BUILD_ENV] = str(out)  # the kernels write their metrics here
    out.mkdir(parents=True, exist_ok=True)
    print(f"rnnlab run · profile {profile} · {len(paths)} notebook(s) → {out}", flush=True)
    failures = 0
    for i, path in enumerate(paths, 1):
        ok = _run_one(path, profile, out, html, label=f"[{i}/{len(paths)}]")
        failures += not ok
    report_path = write_report(out)
    print(f"report: {report_path}" + (f" · {failures} notebook(s) FAILED" if failures else ""), flush=True)
    return 1 if failures else 0


def _run_one(path: Path, profile: str, out: Path, html: bool, label: str) -> bool:
    import nbformat
    from nbclient.exceptions import CellExecutionError

    stem = path.stem
    report.metrics_path(stem).unlink(missing_ok=True)
    print(f"{label} {stem} …", flush=True)
    started = time.perf_counter()
    last = [started]

    def on_cell(cell, cell_index, execute_reply):
        now = time.perf_counter()
        if now - last[0] >= 10:
            print(f"      cell {cell_index + 1}/{len(nb_cells)} took {now - last[0]:.0f} s", flush=True)
        last[0] = now

    nb_cells = nbformat.read(path, as_version=4).cells
    error = None
    with PeakMemory() as mem:
        try:
            nb = notebooks.execute(path, on_cell=on_cell)
        except CellExecutionError as err:
            error = str(err).strip().splitlines()[-1][:300]
            nb = None
    wall = time.perf_counter() - started
    peak_mb = mem.peak_bytes / 2**20

    metrics = report.read(stem)
    metrics.update(profile=profile, wall_s=round(wall, 1), peak_rss_mb=round(peak_mb))
    if error:
        metrics["error"] = error
    report.write(metrics)
    if nb is not None:
        nbformat.write(nb, out / f"{stem}.ipynb")
        if html:
            from nbconvert import HTMLExporter

            body, _ = HTMLExporter().from_notebook_node(nb)
            (out / f"{stem}.html").write_text(body, encoding="utf-8")
    budget = budget_s(stem, profile)
    over = f" (over its {budget:.0f} s budget)" if budget and wall > budget else ""
    status = f"FAILED: {error}" if error else "ok"
    print(f"      {status} · {wall:.1f} s{over} · peak RSS {peak_mb:.0f} MB", flush=True)
    return error is None


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        inner = ", ".join(_fmt(v) for v in value[:4])
        return f"[{inner}{', …' if len(value) > 4 else ''}]"
    return "—" if value is None else str(value)


def write_report(out: Path) -> Path:
    """build/report.md: one row per notebook with its metrics file (wall time, peak RSS, key metrics)."""
    import json

    rows = []
    total = 0.0
    for path in sorted((out / "metrics").glob("*.json")):
        m = json.loads(path.read_text(encoding="utf-8"))
        wall = m.get("wall_s")
        total += wall or 0
        budget = budget_s(m["notebook"], m.get("profile", ""))
        status = "failed" if m.get("error") else ("ok" if wall is not None else "not run by rnnlab run")
        if budget and wall and wall > budget:
            status += " · over time budget"
        if m.get("profile") == "quick" and (m.get("peak_rss_mb") or 0) > QUICK_PEAK_RSS_MB:
            status += " · over memory budget"
        key_metrics = "; ".join(f"{k} = {_fmt(v)}" for k, v in m.get("metrics", {}).items())
        tables = ", ".join(f"{k} ({len(v)} rows)" for k, v in m.get("tables", {}).items())
        rows.append(
            f"| {m['notebook']} | {m.get('profile')} | {status} | {_fmt(wall)} | "
            f"{_fmt(budget)} | {_fmt(m.get('peak_rss_mb'))} | {key_metrics or '—'} | {tables or '—'} |"
        )
    lines = [
        "# Course run report",
        "",
        f"Device: {config.device_name()} · versions: "
        + ", ".join(f"{k} {v}" for k, v in config.versions().items()),
        "",
        "| notebook | profile | status | wall s | budget s | peak RSS MB | key metrics | tables |",
        "|---|---|---|---:|---:|---:|---|---|",
        *rows,
        "",
        f"Total wall time: {total:.0f} s. Budgets (COURSE_SPEC §4): quick — the per-notebook shares of "
        f"10 min and ≤ {QUICK_PEAK_RSS_MB} MB each; standard — {STANDARD_BUDGET_S} s each.",
        "",
    ]
    path = out / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def doctor() -> int:
    """Print versions, device, profile, data folder and each dataset's status (how to get the missing)."""
    print("rnnlab doctor")
    for name, version in config.versions().items():
        print(f"  {name:<11} {version}")
    print(f"  device      {config.device_name()}")
    print(f"  profile     {config.current_profile()}  (set {config.PROFILE_ENV}=quick|standard|full)")
    print(f"  data folder {data.data_dir()}  (set {data.DATA_ENV} to change)")
    missing = 0
    for name, d in data.DATASETS.items():
        if data.is_present(name):
            print(f"  [present] {d.title}: {data.dataset_path(name)}")
        else:
            missing += 1
            print(f"  [missing] {d.title}: {data.how_to_get(name)}")
    if not data.is_present("imdb_npz") and data.is_present("aclimdb"):
        print("  note: without imdb.npz, load_imdb encodes the raw aclImdb reviews with the Keras word index.")
    if missing:
        print(f"  {missing} dataset(s) missing; the loaders try to download them on first use.")
    return 0
