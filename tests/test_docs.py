"""The documentation: every public name in the API reference, examples that run.

The full Sphinx build (which also runs the ``plot_`` examples through
sphinx-gallery) is marked slow; CI builds the docs with
``python -m sphinx -W -q -b html docs docs/_build/html``.
"""

import ast
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

PUBLIC_MODULES = ["skactivegan", "skactivegan.generators", "skactivegan.reward",
                  "skactivegan.uncertainty", "skactivegan.plotting",
                  "skactivegan.datasets", "skactivegan.features",
                  "skactivegan.exceptions"]


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
    path = ROOT.joinpath(*module_name.split("."))
    if not (path.with_suffix(".py").exists() or (path / "__init__.py").exists()):
        pytest.skip(f"{module_name} is not in this source tree")
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


def _readme_python_blocks():
    text = (ROOT / "README.md").read_text()
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_the_readme_examples_run_as_written_without_warnings():
    """The README's Python blocks, in order, as one script: every warning is an
    error (the tuned pipeline works at the defaults without a warning)."""
    import warnings

    blocks = _readme_python_blocks()
    assert len(blocks) >= 4
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        namespace = {}
        for block in blocks:
            exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102


def _examples():
    return sorted(EXAMPLES.glob("*.py"))


def test_the_gallery_has_a_header():
    header = (EXAMPLES / "GALLERY_HEADER.rst").read_text()
    assert re.match(r"(.+)\n(=+)\n", header)


@pytest.mark.parametrize("script", _examples(), ids=lambda p: p.name)
def test_every_example_has_a_gallery_header(script):
    """sphinx-gallery takes an example's title and thumbnail text from its docstring."""
    module = ast.parse(script.read_text())
    docstring = ast.get_docstring(module)
    assert docstring, f"{script.name} needs a module docstring: a title and a summary"
    lines = docstring.splitlines()
    assert len(lines) >= 4, f"{script.name}: a title, its underline, a blank line, text"
    title, underline = lines[0], lines[1]
    assert set(underline) == {"="} and len(underline) == len(title), (
        f"{script.name}: underline the title with as many '=' as it has characters")
    assert lines[2] == "" and lines[3].strip(), f"{script.name}: a summary paragraph"


@pytest.mark.parametrize("script", _examples(), ids=lambda p: p.name)
def test_examples_leave_the_matplotlib_backend_alone(script):
    """The docs build sets its own backend; a reader's must stay as it is."""
    source = script.read_text()
    assert "matplotlib.use(" not in source and "MPLBACKEND" not in source


def test_examples_that_are_not_run_are_said_so():
    """Scripts without the ``plot_`` prefix are shown, not run, in the build."""
    not_run = {p.name for p in _examples() if not p.name.startswith("plot_")}
    assert not_run == {"dask_grid_search.py"}
    assert "without being run" in (EXAMPLES / "GALLERY_HEADER.rst").read_text()


def test_the_docs_need_no_network():
    """The build must work offline: no intersphinx inventories to fetch."""
    conf = (DOCS / "conf.py").read_text()
    assert "sphinx.ext.intersphinx" not in conf and "intersphinx_mapping" not in conf


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    for module in ("sphinx", "numpydoc", "myst_parser", "sphinx_gallery",
                   "pydata_sphinx_theme", "sphinxarg"):
        pytest.importorskip(module)
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-E", "-q", "-b", "html", str(DOCS),
         str(tmp_path / "html")],
        capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    gallery = tmp_path / "html" / "auto_examples"
    for script in _examples():
        page = (gallery / f"{script.stem}.html").read_text()
        ran = "sphx-glr-script-out" in page
        assert ran == script.name.startswith("plot_"), script.name
    assert "real rows unchanged: True" in (gallery / "plot_quickstart.html").read_text()
    assert list((gallery.parent / "_images").glob("sphx_glr_plot_training_history_*"))
