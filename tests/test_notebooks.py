"""Notebook hygiene (COURSE_SPEC §8): names, kernel, stored outputs, lesson structure, Keras 3 only."""
import re

import nbformat
import pytest

from rnnlab.notebooks import CHECK_MARK, NOTEBOOKS, is_checked
from rnnlab.paths import NOTEBOOK_DIR

PRESENT = sorted(NOTEBOOK_DIR.glob("*.ipynb"))

# Metrics keys each notebook must record (COURSE_SPEC §10): (metrics, tables).
REQUIRED_KEYS = {
    "01_one_hot_vs_embedding": (["onehot_max_offdiag_cosine", "embedding_vs_onehot_max_abs_diff"], ["nearest_neighbours"]),
    "02_simple_rnn": (["hand_calc_outputs", "hand_calc_reversed_outputs", "numpy_vs_keras_max_abs_diff",
                       "bptt_vs_tape_max_abs_diff", "slot_tagger_acc"], ["grad_norm_by_step"]),
    "03_lstm": (["numpy_vs_keras_max_abs_diff", "params_formula", "params_keras", "longrange_acc"], ["grad_norm_by_step"]),
    "04_gru": (["numpy_vs_keras_max_abs_diff", "special_cases_max_abs_diff"], ["cell_comparison"]),
    "05_imdb_sentiment": (["total_train_seconds", "lecture_recipe_seconds_estimate"], ["comparison"]),
    "06_cosine_time_series": (["test_mse", "closed_loop_mse"], []),
    "07_lorenz_forecasting": (["lyapunov_estimate", "integrator_agreement_lt", "vpt_median_lt", "n_test_starts"], ["vpt_by_start"]),
    "08_seq2seq_translation": (["bleu", "chrf", "initial_loss", "log_target_vocab", "distinct_output_fraction"],
                               ["bleu_by_source_length", "examples"]),
    "09_text_generation": (["perplexity", "form_rate", "novel_line_fraction", "initial_loss", "log_vocab"], ["samples"]),
}
KERAS2_ONLY = ["input_shape=", "input_dim=", "input_length=", "batch_input_shape", "keras.preprocessing.sequence",
               "from keras.layers import *", "!pip", "%pip"]


def load(path):
    return nbformat.read(path, as_version=4)


def code(nb):
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


def headings(nb):
    return "\n".join(line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
                     if line.startswith("#"))


def test_there_are_notebooks():
    assert PRESENT, f"no notebooks in {NOTEBOOK_DIR}"


def test_names_follow_the_fixed_list():
    unknown = [p.name for p in PRESENT if p.stem not in NOTEBOOKS]
    assert not unknown, f"notebooks not in the course's fixed list {NOTEBOOKS}: {unknown}"


@pytest.mark.parametrize("path", PRESENT, ids=lambda p: p.stem)
class TestNotebook:
    def test_kernel_is_python3(self, path):
        assert load(path).metadata["kernelspec"]["name"] == "python3"

    def test_execution_counts_only_on_checked_cells(self, path):
        # nbval compares a stored output only when its cell has a count; refresh numbers them 1, 2, …
        expected = 0
        for i, cell in enumerate(load(path).cells):
            if cell.cell_type != "code":
                continue
            if is_checked(cell):
                expected += 1
                assert cell.execution_count == expected, f"checked cell {i} should have count {expected}"
            else:
                assert cell.execution_count is None, f"cell {i} has an execution count"

    def test_only_checked_cells_keep_outputs(self, path):
        nb = load(path)
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and not is_checked(cell):
                assert not cell.outputs, f"cell {i} is not marked {CHECK_MARK} but has stored outputs"
        checked = [c for c in nb.cells if is_checked(c)]
        assert checked, f"no cell is marked {CHECK_MARK}"
        for cell in checked:
            assert cell.outputs, f"checked cell has no stored output:\n{cell.source[:200]}"
            assert not any(o.get("name") == "stderr" for o in cell.outputs), "a checked cell stores stderr (warnings)"

    def test_lesson_structure(self, path):
        nb = load(path)
        text = headings(nb)
        for section in ("Learning objectives", "Summary", "Exercises"):
            assert re.search(section, text, re.I), f"no heading containing {section!r}"
        assert "学习目标" in "".join(c.source for c in nb.cells if c.cell_type == "markdown")
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        assert f'rnnlab.setup("{path.stem}")' in first_code.source or f"rnnlab.setup('{path.stem}')" in first_code.source

    def test_every_code_cell_is_introduced_by_prose(self, path):
        cells = load(path).cells
        for i, cell in enumerate(cells):
            if cell.cell_type == "code" and not cell.metadata.get("jupyter", {}).get("source_hidden"):
                assert i > 0 and cells[i - 1].cell_type == "markdown", (
                    f"code cell {i} is not preceded by a markdown cell saying why it exists:\n{cell.source[:120]}")

    def test_keras3_only(self, path):
        source = code(load(path))
        for old in KERAS2_ONLY:
            assert old not in source, f"Keras 2 / install code in a code cell: {old!r}"

    def test_records_the_spec_keys(self, path):
        source = code(load(path))
        metrics, tables = REQUIRED_KEYS[path.stem]
        for key in metrics:
            assert re.search(rf"record\(\s*['\"]{key}['\"]", source), f"does not record metric {key!r}"
        for key in tables:
            assert re.search(rf"record_table\(\s*['\"]{key}['\"]", source), f"does not record table {key!r}"


def test_keep_checked_outputs_keeps_only_checked_cells_and_numbers_them_in_order():
    from rnnlab.notebooks import keep_checked_outputs

    nb = nbformat.v4.new_notebook()
    out = lambda text, n: nbformat.v4.new_output("execute_result", data={"text/plain": text}, execution_count=n)
    nb.cells = [
        nbformat.v4.new_markdown_cell("# title"),
        nbformat.v4.new_code_cell(f"{CHECK_MARK}\n1 + 1", execution_count=7, outputs=[out("2", 7)]),
        nbformat.v4.new_code_cell("print('noise')", execution_count=8,
                                  outputs=[nbformat.v4.new_output("stream", name="stdout", text="noise\n")]),
        nbformat.v4.new_code_cell(f"{CHECK_MARK}\n2 + 2", execution_count=9, outputs=[out("4", 9)]),
    ]
    nb.cells[2].metadata["execution"] = {"iopub.execute_input": "2026-01-01"}
    keep_checked_outputs(nb)
    first, unchecked, second = nb.cells[1:]
    assert (first.execution_count, first.outputs[0]["execution_count"], first.outputs[0]["data"]["text/plain"]) == (1, 1, "2")
    assert (second.execution_count, second.outputs[0]["execution_count"]) == (2, 2)
    assert unchecked.execution_count is None and unchecked.outputs == [] and "execution" not in unchecked.metadata
    assert nb.cells[0].source == "# title"
