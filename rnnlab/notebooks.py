"""The course's notebooks: their fixed order, executing one, and keeping checked outputs.

Only cells marked ``# NBVAL_CHECK_OUTPUT`` keep their output in git: nbval compares it.
"""
from __future__ import annotations

import os
from pathlib import Path

from rnnlab import paths

NOTEBOOKS = (
    "01_one_hot_vs_embedding",
    "02_simple_rnn",
    "03_lstm",
    "04_gru",
    "05_imdb_sentiment",
    "06_cosine_time_series",
    "07_lorenz_forecasting",
    "08_seq2seq_translation",
    "09_text_generation",
)
CHECK_MARK = "# NBVAL_CHECK_OUTPUT"


def is_checked(cell) -> bool:
    """True for a code cell whose output nbval compares."""
    return cell.get("cell_type") == "code" and CHECK_MARK in "".join(cell.get("source", ""))


def resolve(selection: list[str] | None, folder: Path | None = None) -> list[Path]:
    """Notebook paths for ``['01', '05']`` or full stems; all present notebooks when empty."""
    folder = folder or paths.NOTEBOOK_DIR
    present = sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))
    if not selection:
        return present
    chosen = []
    for item in selection:
        matches = [p for p in present if p.stem == item or p.stem.split("_", 1)[0] == item.zfill(2)]
        if not matches:
            names = ", ".join(p.stem for p in present) or "none"
            raise ValueError(f"notebook {item!r} not found in {folder}; present: {names}")
        chosen.extend(m for m in matches if m not in chosen)
    return chosen


CELL_TIMEOUT_S = 4 * 3600  # one cell may train a whole table on a CPU in the full profile

# TensorFlow's C++ runtime writes start-up lines straight to the process's stderr, some of them
# before it reads its log level (they come before absl::InitializeLog). By default ipykernel copies
# such low-level output into the notebook; with capture_fd_output off it stays on the kernel's own
# stderr, which `rnnlab run` sends to build/logs/<notebook>.log. The log level hides TF's later
# INFO and WARNING lines there too.
KERNEL_ENV = {"TF_CPP_MIN_LOG_LEVEL": "2"}
KERNEL_SETTING = ("IPKernelApp.capture_fd_output", False)  # one setting, written two ways below
KERNEL_ARGS = [f"--{KERNEL_SETTING[0]}={KERNEL_SETTING[1]}"]  # on the command line of a kernel we start
KERNEL_CONFIG = f"c.{KERNEL_SETTING[0]} = {KERNEL_SETTING[1]}"  # in the environment's ipython_kernel_config.py


def kernel_env() -> dict[str, str]:
    """This process's environment plus the course's kernel settings (a value already set wins)."""
    env = dict(os.environ)
    for key, value in KERNEL_ENV.items():
        env.setdefault(key, value)
    return env


def execute(path: Path, timeout: int = CELL_TIMEOUT_S, log=None, on_cell_start=None, on_cell=None, on_output=None):
    """Execute a notebook in a fresh python3 kernel (cwd = its folder); returns the notebook.

    ``log``: an open file that receives the kernel's own stdout/stderr (TensorFlow's C++ lines);
    ``on_cell_start(cell, cell_index)``, ``on_cell(cell, cell_index, execute_reply)`` and
    ``on_output(cell_index)`` let the caller show progress.
    """
    import nbformat
    from nbclient import NotebookClient

    class Client(NotebookClient):
        def output(self, outs, msg, display_id, cell_index):
            if on_output is not None:
                on_output(cell_index)
            return super().output(outs, msg, display_id, cell_index)

    nb = nbformat.read(path, as_version=4)
    client = Client(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        extra_arguments=list(KERNEL_ARGS),
        on_cell_start=on_cell_start,
        on_cell_executed=on_cell,
    )
    streams = {"stdout": log, "stderr": log} if log is not None else {}
    client.execute(env=kernel_env(), **streams)
    return nb


def keep_checked_outputs(nb) -> None:
    """Keep outputs only in checked cells, numbered 1, 2, … in place; clear every other cell.

    nbval skips (and rejects) a stored output whose cell has no execution count, so checked
    cells keep a running count; all other cells have neither outputs nor counts.
    """
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)
        if is_checked(cell):
            count += 1
            cell.execution_count = count
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = count
        else:
            cell.execution_count = None
            cell.outputs = []


def refresh_checked_outputs(path: Path) -> int:
    """Re-execute ``path`` in the quick profile and store only its checked outputs; returns their count."""
    import nbformat

    os.environ["RNNLAB_PROFILE"] = "quick"
    nb = execute(path)
    keep_checked_outputs(nb)
    nbformat.write(nb, path)
    return sum(is_checked(c) for c in nb.cells)
