"""The documentation: every public name in the API reference, examples that run.

The full Sphinx build (which also runs the examples) is marked slow; CI builds the
docs with ``python -m sphinx -W -b html docs docs/_build/html``.
"""

import doctest
import importlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"

PUBLIC_MODULES = ["skactivegan", "skactivegan.uncertainty", "skactivegan.plotting",
                  "skactivegan.datasets", "skactivegan.features"]


def documented_names():
    text = (DOCS / "api.rst").read_text()
    names = set()
    module = "skactivegan"
    for line in text.splitlines():
        current = re.match(r"\.\. currentmodule:: (\S+)", line)
        if current:
            module = current.group(1)
        entry = re.match(r"\.\. auto(?:class|function|exception|data):: (\S+)", line)
        if entry:
            name = entry.group(1)
            names.add(name if name.startswith("skactivegan") else f"{module}.{name}")
    return names


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_every_public_name_is_in_the_api_reference(module_name):
    module = importlib.import_module(module_name)
    documented = documented_names()
    missing = []
    for name in module.__all__:
        obj = getattr(module, name)
        if name.startswith("__") or type(obj).__name__ == "module":
            continue
        home = f"{module_name}.{name}"
        if home not in documented and f"skactivegan.{name}" not in documented:
            missing.append(home)
    assert not missing, f"add to docs/api.rst: {missing}"


@pytest.mark.parametrize("module_name", ["skactivegan._meta", "skactivegan.plotting"])
def test_docstring_examples_run(module_name):
    pytest.importorskip("matplotlib")
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


def test_every_example_is_shown_in_the_docs():
    shown = set(re.findall(r"\.\. example:: \.\./examples/(\S+)",
                           (DOCS / "examples.rst").read_text()))
    assert shown == {p.name for p in EXAMPLES.glob("*.py")}


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("numpydoc")
    pytest.importorskip("myst_parser")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-E", "-q", "-b", "html", str(DOCS),
         str(tmp_path / "html")],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    page = (tmp_path / "html" / "examples.html").read_text()
    assert page.count("Output:") == 4
    assert "real rows unchanged: True" in page
