"""Sphinx configuration of the skactivegan documentation.

Build with ``python -m sphinx -W -q -b html docs docs/_build/html`` (warnings are
errors).  The build needs no network: no intersphinx inventory is fetched, and the
examples use only data that scikit-learn ships.
"""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # the package, when not installed

import torch  # noqa: E402
from sphinx_gallery.sorting import ExplicitOrder  # noqa: E402

import skactivegan  # noqa: E402

# The examples run in this process.  Their networks are tiny: several torch threads
# gain nothing and, on a busy machine, slow them down by orders of magnitude (as in
# tests/conftest.py).
torch.set_num_threads(1)

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
    "sphinx_gallery.gen_gallery",
    "sphinxarg.ext",
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
# Docstrings of the API reference checked while building (warnings, so errors under
# -W): every parameter documented, none that does not exist, in the signature's
# order, "name : type" spelled right; every documented object has a docstring.
numpydoc_validation_checks = {"PR01", "PR02", "PR03", "PR10", "GL08"}

# MyST, for the reports written in Markdown (results, performance): they are also
# read on the repository's web pages, where their links to files of the source tree
# (benchmark tables, scripts) work; here such links are left as they are.
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "myst.xref_missing"]

# The example gallery.  Scripts whose name starts with ``plot_`` are run while the
# docs are built (each in a few seconds: short training runs on small data); their
# output and figures are shown, and a script that fails fails the build.  Others
# (``dask_grid_search.py``: it starts a cluster) are shown, not run.  Every example
# can be downloaded as a script or a Jupyter notebook.  sphinx-gallery sets
# matplotlib's Agg backend for the build itself; the scripts do not choose a
# backend, so a reader's stays as it is.
sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": re.escape(os.sep) + "plot_",
    # The gallery's order: the first steps first, then the others as they come.
    "within_subsection_order": ExplicitOrder([
        "plot_quickstart.py", "plot_training_history.py", "plot_grid_search.py",
        "plot_augment_csv.py", "*"]),
    "abort_on_example_error": True,
    "remove_config_comments": True,
    "reset_modules": ("matplotlib",),
    "show_signature": False,
    "min_reported_time": 1,
    "image_scrapers": ("matplotlib",),
    # Link names used in the examples to this API reference, not to remote sites.
    "doc_module": ("skactivegan",),
    "backreferences_dir": None,
}


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


html_theme = "pydata_sphinx_theme"
html_title = f"skactivegan {release}"
html_theme_options = {
    # Everything is local: no version switcher (it would fetch a JSON file), no
    # analytics.
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
    "secondary_sidebar_items": ["page-toc", "sourcelink"],
}
