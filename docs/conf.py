"""Sphinx configuration of the skactivegan documentation.

Build with ``python -m sphinx -W -b html docs docs/_build/html``.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "_ext"))
sys.path.insert(0, os.path.dirname(HERE))  # the package, when not installed

import skactivegan  # noqa: E402

project = "skactivegan"
author = "The skactivegan developers"
copyright = "The skactivegan developers"
release = skactivegan.__version__
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.mathjax",
    "numpydoc",
    "myst_parser",
    "example_runner",
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build"]
templates_path = []

# API reference: numpydoc sections; methods are listed explicitly in api.rst.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# MyST, for the reports written in Markdown (results, performance): they are also
# read on the repository's web pages, where their links to files of the source tree
# (benchmark tables, scripts) work; here such links are left as they are.
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "myst.xref_missing"]

# Examples: run during the build (each a few seconds); output and figures shown.
example_runner_timeout = 300


def _escape_shape_names(app, what, name, obj, options, lines):
    """Quote fitted-attribute names in shapes, ``(n, n_features_in_)``.

    In reStructuredText a word ending with ``_`` is a link; scikit-learn's own
    docstrings quote such names, this makes the others render the same way.
    """
    for i, line in enumerate(lines):
        if "shape (" in line:
            lines[i] = re.sub(r"(?<![`\w])([A-Za-z]\w*_)(?=[,)])", r"``\1``", line)


def setup(app):
    app.connect("autodoc-process-docstring", _escape_shape_names)


html_theme = "alabaster"
html_theme_options = {
    "description": "ActiveGAN for scikit-learn",
    "fixed_sidebar": True,
}
html_title = f"skactivegan {release}"
