"""``rnnlab run`` (execute notebooks into build/, write build/report.md), ``rnnlab doctor`` and ``rnnlab lab``."""
from __future__ import annotations

import os
import re
import shutil
import sys
import threading
import time
from pathlib import Path

from rnnlab import config, data, notebooks, paths, report

# The course's time budgets on a 2-core CPU: in the quick profile each notebook's share of 10 minutes
# for all of them; in the standard profile 10 minutes each.
QUICK_BUDGET_S = {"01": 45, "02": 60, "03": 60, "04": 60, "05": 120, "06": 30, "07": 90, "08": 120, "09": 60}
STANDARD_BUDGET_S = 600
QUICK_PEAK_RSS_MB = 2560  # 2.5 GB per notebook in the quick profile
PROGRESS_EVERY_S = 30.0  # off a terminal, a progress line each time a cell has run this long again


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


class CellProgress:
    """Shows which code cell of how many is running, and measures the longest stretch without output.

    On a terminal one status line is rewritten every second; elsewhere (CI logs, pipes) a line is
    printed each time a cell has run another ``every`` seconds.
    """

    def __init__(self, nb_cells, tty: bool, every: float = 30.0):
        self._ordinal = {}
        for i, cell in enumerate(nb_cells):
            if cell.get("cell_type") == "code" and "".join(cell.get("source", "")).strip():
                self._ordinal[i] = len(self._ordinal) + 1
        self.n_code = len(self._ordinal)
        self.tty, self.every = tty, every
        self.cell = None  # ordinal of the running code cell
        self._reported = 0  # progress lines printed for it
        self.started = self.last_output = time.perf_counter()
        self.longest_silence, self.longest_silence_cell = 0.0, None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._tick, daemon=True)

    def _silence_until(self, now: float) -> None:
        if self.cell is not None and now - self.last_output > self.longest_silence:
            self.longest_silence, self.longest_silence_cell = now - self.last_output, self.cell

    def on_cell_start(self, cell, cell_index) -> None:
        if cell_index in self._ordinal:
            self.cell, self.started = self._ordinal[cell_index], time.perf_counter()
            self.last_output, self._reported = self.started, 0

    def on_output(self, cell_index) -> None:
        now = time.perf_counter()
        self._silence_until(now)
        self.last_output = now

    def on_cell_done(self, cell, cell_index, execute_reply) -> None:
        if cell_index not in self._ordinal:
            return
        now = time.perf_counter()
        self._silence_until(now)
        took, self.cell = now - self.started, None
        if took >= 10:
            self._clear()
            print(f"      cell {self._ordinal[cell_index]}/{self.n_code} took {took:.0f} s", flush=True)

    def _clear(self) -> None:
        if self.tty:
            print("\r\033[K", end="", flush=True)

    def _tick(self) -> None:
        while not self._stop.wait(min(1.0, self.every / 4)):
            if self.cell is None:
                continue
            running = time.perf_counter() - self.started
            if self.tty:
                print(f"\r      cell {self.cell}/{self.n_code} · {running:.0f} s", end="", flush=True)
            elif running >= (self._reported + 1) * self.every:
                self._reported += 1
                print(f"      cell {self.cell}/{self.n_code} running · {running:.0f} s", flush=True)

    def __enter__(self) -> "CellProgress":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self._clear()


def run_notebooks(selection: list[str] | None = None, profile: str | None = None, html: bool = True) -> int:
    """Execute the selected notebooks in order; returns 0 when all succeeded, 1 otherwise."""
    if profile is not None:
        os.environ[paths.PROFILE_ENV] = profile
    profile = config.current_profile()  # validates
    paths_ = notebooks.resolve(selection)
    if not paths_:
        raise ValueError(f"no notebooks found in {paths.NOTEBOOK_DIR}")
    out = paths.build_dir()
    os.environ[paths.BUILD_ENV] = str(out)  # the kernels write their metrics here
    (out / "logs").mkdir(parents=True, exist_ok=True)
    copy_diagrams(out)
    print(f"rnnlab run · profile {profile} · {len(paths_)} notebook(s) → {out}", flush=True)
    failures = 0
    total = 0.0
    for i, path in enumerate(paths_, 1):
        ok, wall = _run_one(path, profile, out, html, label=f"[{i}/{len(paths_)}]")
        failures += not ok
        total += wall
    report_path = write_report(out)
    print(f"total {total:.0f} s · report: {report_path}" + (f" · {failures} notebook(s) FAILED" if failures else ""),
          flush=True)
    return 1 if failures else 0


def copy_diagrams(out: Path) -> None:
    """Copy notebooks/diagrams/ to out/diagrams/, where the executed notebooks' markdown images look for them."""
    source = paths.NOTEBOOK_DIR / "diagrams"
    if source.is_dir():
        shutil.copytree(source, out / "diagrams", dirs_exist_ok=True)


ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text: str) -> str:
    """Text without terminal colour codes (IPython colours its tracebacks)."""
    return ANSI_ESCAPE.sub("", text)


def _tail(path: Path, n: int = 12) -> list[str]:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    return [line[:200] for line in lines[-n:]]


def _run_one(path: Path, profile: str, out: Path, html: bool, label: str) -> tuple[bool, float]:
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    stem = path.stem
    report.metrics_path(stem).unlink(missing_ok=True)
    log_path = out / "logs" / f"{stem}.log"
    print(f"{label} {stem} …", flush=True)
    started = time.perf_counter()
    error = None
    progress = CellProgress(nbformat.read(path, as_version=4).cells, tty=sys.stdout.isatty(), every=PROGRESS_EVERY_S)
    with open(log_path, "w", encoding="utf-8") as log, PeakMemory() as mem, progress:
        try:
            nb = notebooks.execute(path, log=log, on_cell_start=progress.on_cell_start,
                                   on_cell=progress.on_cell_done, on_output=progress.on_output)
        except CellExecutionError as err:
            traceback = strip_ansi(str(err)).strip()
            error = traceback.splitlines()[-1][:300]
            log.write(f"\n--- the notebook failed in code cell {progress.cell} ---\n{traceback}\n")
            nb = None
        except DeadKernelError:  # killed from outside, or out of memory: the next notebook still runs
            error = f"the kernel died in code cell {progress.cell} (out of memory, or killed)"
            nb = None
        except CellTimeoutError:
            error = f"code cell {progress.cell} ran longer than {notebooks.CELL_TIMEOUT_S} s"
            nb = None
    wall = time.perf_counter() - started
    peak_mb = mem.peak_bytes / 2**20

    metrics = report.read(stem)
    metrics.update(profile=profile, wall_s=round(wall, 1), peak_rss_mb=round(peak_mb),
                   longest_silence_s=round(progress.longest_silence, 1),
                   longest_silence_cell=progress.longest_silence_cell)
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
    if error:
        print(f"      last lines of {log_path}:", flush=True)
        for line in _tail(log_path):
            print(f"        {line}", flush=True)
    return error is None, wall


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_fmt(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        inner = ", ".join(_fmt(v) for v in value[:4])
        return f"[{inner}{', …' if len(value) > 4 else ''}]"
    return "—" if value is None else str(value)


def _silence(m: dict) -> str:
    if m.get("longest_silence_s") is None:
        return "—"
    return f"{m['longest_silence_s']:.0f} ({m.get('longest_silence_cell')})"


def write_report(out: Path) -> Path:
    """build/report.md: one row per notebook with its metrics file (wall time, peak RSS, key metrics)."""
    import json

    seen = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((out / "metrics").glob("*.json"))]
    rows = []
    total = 0.0
    for m in seen:
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
            f"{_fmt(budget)} | {_fmt(m.get('peak_rss_mb'))} | {_silence(m)} | {key_metrics or '—'} | {tables or '—'} |"
        )
    device = next((m["device"] for m in seen if m.get("device")), "not recorded")
    versions = next((m["versions"] for m in seen if m.get("versions")), {})
    lines = [
        "# Course run report",
        "",
        f"Device: {device} · versions: " + (", ".join(f"{k} {v}" for k, v in versions.items()) or "not recorded"),
        "",
        "| notebook | profile | status | wall s | budget s | peak RSS MB | longest silence s (cell) | key metrics | tables |",
        "|---|---|---|---:|---:|---:|---:|---|---|",
        *rows,
        "",
        f"Total wall time: {total:.0f} s. Budgets on a 2-core CPU: quick — each notebook's share of "
        f"10 min for all of them and ≤ {QUICK_PEAK_RSS_MB} MB each; standard — {STANDARD_BUDGET_S} s each. "
        "Longest silence: the longest time a cell ran without printing anything.",
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
    print(f"  profile     {config.current_profile()}  (set {paths.PROFILE_ENV}=quick|standard|full)")
    print(f"  data folder {paths.data_dir()}  (set {paths.DATA_ENV} to change)")
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


def configure_kernels(prefix: Path | None = None) -> Path:
    """Write the course's kernel setting into this environment's IPython config; returns the file.

    Every kernel of the environment then keeps TensorFlow's C++ start-up lines out of the
    notebooks (see ``notebooks.KERNEL_CONFIG``). An existing file keeps its other settings.
    """
    folder = Path(prefix or sys.prefix) / "etc" / "ipython"
    path = folder / "ipython_kernel_config.py"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if notebooks.KERNEL_CONFIG not in text:
        folder.mkdir(parents=True, exist_ok=True)
        note = "# rnnlab: TensorFlow's C++ start-up lines go to the terminal, not into the notebooks\n"
        path.write_text(text + ("\n" if text and not text.endswith("\n") else "") + note + notebooks.KERNEL_CONFIG + "\n",
                        encoding="utf-8")
    return path


def lab(extra_args: list[str] | None = None) -> int:
    """Start JupyterLab in notebooks/ with the course's kernel settings; returns its exit code."""
    import subprocess

    configure_kernels()
    command = [sys.executable, "-m", "jupyterlab", "--notebook-dir", str(paths.NOTEBOOK_DIR), *(extra_args or [])]
    print(f"rnnlab lab · notebooks in {paths.NOTEBOOK_DIR} · stop with Ctrl+C", flush=True)
    try:
        return subprocess.call(command, env=notebooks.kernel_env())
    except KeyboardInterrupt:
        return 0
