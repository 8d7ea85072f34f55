"""pyproject.toml is the one place versions are pinned; environment.yml must repeat them exactly."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pins_from_pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = project["dependencies"] + [r for group in project["optional-dependencies"].values() for r in group]
    pins = {}
    for req in reqs:
        name, sep, version = req.partition("==")
        assert sep, f"pyproject.toml: {req!r} is not pinned with =="
        pins[name.lower()] = version
    return pins


def pins_from_environment_yml() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "environment.yml").read_text().splitlines():
        m = re.match(r"^\s*-\s*([A-Za-z0-9_.\-]+)==(\S+)\s*$", line)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def test_environment_yml_pins_the_same_versions_as_pyproject():
    assert pins_from_environment_yml() == pins_from_pyproject()


def test_the_course_versions_are_pinned():
    pins = pins_from_pyproject()
    assert pins["tensorflow"].startswith("2.21") and pins["keras"].startswith("3.15")


def test_both_files_allow_every_python_tensorflow_2_21_supports():
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == ">=3.11,<3.14"
    conda_python = re.search(r"^\s*-\s*python(\S*)", (ROOT / "environment.yml").read_text(), re.M).group(1)
    assert conda_python == requires, f"environment.yml asks for python{conda_python}, pyproject.toml for {requires}"


def test_make_names_the_same_python_versions():
    makefile = (ROOT / "Makefile").read_text()
    assert "(3, 11) <= sys.version_info[:2] <= (3, 13)" in makefile
    assert "python3.13 python3.12 python3.11" in makefile


def test_installed_versions_match_the_pins():
    import keras
    import tensorflow as tf

    pins = pins_from_pyproject()
    assert tf.__version__ == pins["tensorflow"] and keras.__version__ == pins["keras"]
