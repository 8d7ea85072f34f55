"""`rnnlab run` and `rnnlab doctor` on tiny notebooks written into a temporary folder."""
import json
import re

import nbformat
import pytest

from rnnlab import paths, run
from rnnlab.__main__ import main


def write_notebook(folder, stem, *sources):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, folder / f"{stem}.ipynb")


@pytest.fixture
def tiny_notebooks(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    write_notebook(
        folder, "01_tiny",
        "import rnnlab\nrnnlab.setup('01_tiny')\nP = rnnlab.profile(quick=dict(n=2), standard=dict(n=3), full=dict(n=4))",
        "rnnlab.report.record('n_squared', P.n ** 2)",
    )
    write_notebook(folder, "02_broken", "raise RuntimeError('this lesson is broken')")
    monkeypatch.setattr(paths, "NOTEBOOK_DIR", folder)
    return folder


def test_run_executes_into_build_and_writes_the_report(tiny_notebooks, isolated_dirs, capsys):
    assert main(["run", "--profile", "standard", "01"]) == 0
    build = isolated_dirs / "build"
    metrics = json.loads((build / "metrics" / "01_tiny.json").read_text())
    assert metrics["profile"] == "standard" and metrics["metrics"] == {"n_squared": 9}  # standard: n = 3
    assert metrics["wall_s"] > 0 and metrics["peak_rss_mb"] > 50  # the kernel's memory was seen
    assert (build / "01_tiny.ipynb").exists() and (build / "01_tiny.html").exists()
    report = (build / "report.md").read_text()
    assert "| 01_tiny | standard | ok |" in report and "n_squared = 9" in report
    out = capsys.readouterr().out
    assert "[1/1] 01_tiny" in out and "peak RSS" in out


def test_a_failing_notebook_fails_the_run_and_is_reported(tiny_notebooks, isolated_dirs):
    assert main(["run", "--profile", "quick", "02", "--no-html"]) == 1
    metrics = json.loads((isolated_dirs / "build" / "metrics" / "02_broken.json").read_text())
    assert "this lesson is broken" in metrics["error"]
    assert "| 02_broken | quick | failed |" in (isolated_dirs / "build" / "report.md").read_text()


def test_a_failure_prints_the_error_and_the_logs_last_lines_without_colour_codes(tiny_notebooks, capsys):
    assert main(["run", "--profile", "quick", "02", "--no-html"]) == 1
    out = capsys.readouterr().out
    assert "FAILED: RuntimeError: this lesson is broken" in out
    assert "last lines of" in out and "02_broken.log" in out
    assert "raise RuntimeError('this lesson is broken')" in out  # the traceback, from the log
    assert "\x1b[" not in out  # captured output is not a terminal: no ANSI codes


def test_a_dead_kernel_fails_its_notebook_and_the_run_goes_on(tmp_path, monkeypatch, isolated_dirs, capsys):
    folder = tmp_path / "nb"
    folder.mkdir()
    write_notebook(folder, "01_dies", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)")
    write_notebook(folder, "02_fine", "import rnnlab\nrnnlab.setup('02_fine')\nprint('still here')")
    monkeypatch.setattr(paths, "NOTEBOOK_DIR", folder)
    assert main(["run", "--no-html"]) == 1
    out = capsys.readouterr().out
    assert "FAILED: the kernel died in code cell 1" in out and "[2/2] 02_fine" in out
    report_md = (isolated_dirs / "build" / "report.md").read_text()
    assert "| 01_dies | quick | failed |" in report_md and "| 02_fine | quick | ok |" in report_md


def test_kernel_stderr_goes_to_the_log_and_not_into_the_notebook(tmp_path, monkeypatch, isolated_dirs, capfd):
    folder = tmp_path / "nb"
    folder.mkdir()
    write_notebook(
        folder, "01_native",
        "import os, rnnlab\nrnnlab.setup('01_native')\n"
        "os.write(2, b'NATIVE LINE FROM C++\\n')  # what TensorFlow's runtime does\n"
        "rnnlab.report.record('tf_log_level', os.environ.get('TF_CPP_MIN_LOG_LEVEL'))\nprint('python output')",
    )
    monkeypatch.setattr(paths, "NOTEBOOK_DIR", folder)
    monkeypatch.delenv("TF_CPP_MIN_LOG_LEVEL", raising=False)
    assert main(["run", "01", "--no-html"]) == 0
    build = isolated_dirs / "build"
    assert "NATIVE LINE FROM C++" in (build / "logs" / "01_native.log").read_text()
    outputs = json.dumps(nbformat.read(build / "01_native.ipynb", as_version=4).cells[0].outputs)
    assert "python output" in outputs and "NATIVE LINE" not in outputs
    console = capfd.readouterr()
    assert "NATIVE LINE" not in console.out + console.err
    assert json.loads((build / "metrics" / "01_native.json").read_text())["metrics"]["tf_log_level"] == "2"


def test_progress_names_the_running_cell_and_the_longest_silence_is_measured(tmp_path, monkeypatch, isolated_dirs, capsys):
    folder = tmp_path / "nb"
    folder.mkdir()
    # cell 3's 8 s must stay the longest silence: cell 1's import of TensorFlow took 3.4 s under CI load
    write_notebook(folder, "01_slow", "import rnnlab\nrnnlab.setup('01_slow')", "print('start')",
                   "import time\ntime.sleep(8)\nprint('done')")
    monkeypatch.setattr(paths, "NOTEBOOK_DIR", folder)
    monkeypatch.setattr(run, "PROGRESS_EVERY_S", 1.0)
    assert main(["run", "01", "--no-html"]) == 0
    out = capsys.readouterr().out
    assert len(re.findall(r"^      cell 3/3 running · \d+ s$", out, re.M)) >= 2  # one line per second of the 8 s
    metrics = json.loads((isolated_dirs / "build" / "metrics" / "01_slow.json").read_text())
    assert 7.9 <= metrics["longest_silence_s"] < 16.8 and metrics["longest_silence_cell"] == 3
    assert re.search(r"\| \d+ \(3\) \|", (isolated_dirs / "build" / "report.md").read_text())


def test_run_rejects_unknown_notebooks_and_profiles(tiny_notebooks, capsys):
    assert main(["run", "07"]) == 2
    assert "notebook '07' not found" in capsys.readouterr().err
    assert main(["run", "--profile", "huge", "01"]) == 2
    assert "quick, standard, full" in capsys.readouterr().err


def test_doctor_lists_every_dataset_with_how_to_get_it(isolated_dirs, capsys):
    (isolated_dirs / "data" / "cmn-eng").mkdir()
    (isolated_dirs / "data" / "cmn-eng" / "cmn.txt").write_text("Hi.\t嗨。\n")
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "tensorflow" in out and "keras" in out and ("CPU (" in out or "GPU (" in out)
    assert "profile     quick" in out and str(isolated_dirs / "data") in out
    assert "[present] Tatoeba English-Chinese" in out
    assert "[missing] Keras IMDB integer sequences: download https://storage.googleapis.com" in out


def _metrics_file(out, notebook, profile, wall_s, peak_rss_mb, error=None):
    (out / "metrics").mkdir(parents=True, exist_ok=True)
    m = dict(notebook=notebook, profile=profile, wall_s=wall_s, peak_rss_mb=peak_rss_mb, metrics={}, tables={})
    if error:
        m["error"] = error
    (out / "metrics" / f"{notebook}.json").write_text(json.dumps(m), encoding="utf-8")


def _status(report_text, notebook):
    row = next(line for line in report_text.splitlines() if line.startswith(f"| {notebook} "))
    return row.split("|")[3].strip()


def test_the_report_flags_runs_over_their_time_or_memory_budget_and_only_those(tmp_path):
    quick_05 = run.budget_s("05_imdb_sentiment", "quick")
    assert quick_05 == 120 and run.budget_s("05_imdb_sentiment", "standard") == run.STANDARD_BUDGET_S
    assert run.budget_s("05_imdb_sentiment", "full") is None
    _metrics_file(tmp_path, "01_one_hot_vs_embedding", "quick", run.budget_s("01_x", "quick") - 1, 100)
    _metrics_file(tmp_path, "05_imdb_sentiment", "quick", quick_05 + 1, 100)
    _metrics_file(tmp_path, "06_cosine_time_series", "quick", 5, run.QUICK_PEAK_RSS_MB + 1)
    _metrics_file(tmp_path, "07_lorenz_forecasting", "standard", run.STANDARD_BUDGET_S + 1, 99_999)
    _metrics_file(tmp_path, "08_seq2seq_translation", "full", 99_999, 99_999, error="boom")
    text = run.write_report(tmp_path).read_text(encoding="utf-8")
    assert _status(text, "01_one_hot_vs_embedding") == "ok"
    assert _status(text, "05_imdb_sentiment") == "ok · over time budget"
    assert _status(text, "06_cosine_time_series") == "ok · over memory budget"
    assert _status(text, "07_lorenz_forecasting") == "ok · over time budget"  # memory is budgeted in quick only
    assert _status(text, "08_seq2seq_translation") == "failed"  # full has no time budget
