"""Sphinx directives of this documentation: runnable examples, optional pages.

``.. example:: ../examples/name.py`` shows an example script, runs it (once per
build, every example in parallel with the others, in a temporary folder with
matplotlib's non-interactive backend) and shows what it printed and the figures it
drew.  A script that fails is a build error, so the examples cannot rot.  Results
are cached under the build folder, keyed by the content of the script and of the
library, so a rebuild with neither changed does not run them again.

``.. optional-toctree::`` is a toctree that lists only the pages that exist, for
pages that are written separately (reports of results) and may not exist yet.
"""

import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.other import TocTree
from sphinx.errors import ExtensionError
from sphinx.util.docutils import SphinxDirective

_RUNNER = r"""
import runpy, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
plt.show = lambda *args, **kwargs: None
script, figures = sys.argv[1], sys.argv[2]
sys.argv = [script]
runpy.run_path(script, run_name="__main__")
for i, number in enumerate(plt.get_fignums()):
    plt.figure(number).savefig(f"{figures}_{i}.png", dpi=90)
"""


def _cache_dir(app):
    path = Path(app.outdir).parent / "example_output"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _key(script):
    """Hash of the script and of the library's source: what its output depends on."""
    digest = hashlib.sha256(script.read_bytes())
    package = Path(__file__).resolve().parents[2] / "skactivegan"
    for path in sorted(package.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class _Run:
    """One example run: started at once, waited for when its page is written."""

    def __init__(self, script, cache, timeout):
        self.script = script
        self.stem = f"{script.stem}-{_key(script)}"
        self.result_file = cache / f"{self.stem}.json"
        self.figures = cache / self.stem
        self.timeout = timeout
        self.process = None
        if not self.result_file.exists():
            self.folder = tempfile.TemporaryDirectory()
            env = dict(os.environ, MPLBACKEND="Agg")
            self.process = subprocess.Popen(
                [sys.executable, "-u", "-c", _RUNNER, str(script), str(self.figures)],
                cwd=self.folder.name, env=env, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True,
            )

    def result(self):
        if self.process is not None:
            try:
                output, _ = self.process.communicate(timeout=self.timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise ExtensionError(f"example {self.script.name} ran for more than "
                                     f"{self.timeout}s") from None
            finally:
                self.folder.cleanup()
            if self.process.returncode != 0:
                raise ExtensionError(f"example {self.script.name} failed:\n{output}")
            figures = sorted(p.name for p in self.figures.parent.glob(
                f"{self.stem}_*.png"))
            self.result_file.write_text(json.dumps({"output": output,
                                                    "figures": figures}))
            self.process = None
        return json.loads(self.result_file.read_text())


_EXAMPLE = re.compile(r"^\.\. example:: (\S+)\n(?!\s+:norun:)", re.M)


def _start_examples(app):
    """Start every example that a page runs, all at once, so they run side by side."""
    app.env_example_runs = {}
    for page in Path(app.srcdir).glob("*.rst"):
        for match in _EXAMPLE.finditer(page.read_text()):
            script = (page.parent / match.group(1)).resolve()
            if script.exists() and script not in app.env_example_runs:
                app.env_example_runs[script] = _Run(
                    script, _cache_dir(app), app.config.example_runner_timeout)


class ExampleDirective(SphinxDirective):
    """Show an example's source, then run it and show its output and figures."""

    required_arguments = 1
    option_spec = {"norun": directives.flag}

    def run(self):
        _, path = self.env.relfn2path(self.arguments[0], self.env.docname)
        script = Path(path).resolve()
        self.env.note_dependency(str(script))
        source = script.read_text()
        code = nodes.literal_block(source, source, language="python")
        title = nodes.strong("", f"examples/{script.name}")
        out = [nodes.paragraph("", "", title), code]
        if "norun" in self.options:
            return out
        runs = getattr(self.env.app, "env_example_runs", {})
        run = runs.get(script) or _Run(script, _cache_dir(self.env.app),
                                       self.config.example_runner_timeout)
        result = run.result()
        out.append(nodes.paragraph("", "Output:"))
        text = result["output"].rstrip() or "(no output)"
        out.append(nodes.literal_block(text, text, language="none"))
        cache = _cache_dir(self.env.app)
        for name in result["figures"]:
            # Image paths are relative to the source folder ("/" = its root).
            rel = os.path.relpath(cache / name, self.env.srcdir)
            out.append(nodes.image(uri="/" + rel.replace(os.sep, "/"),
                                   alt=f"figure drawn by {script.name}"))
        return out


class CommandHelp(SphinxDirective):
    """The ``--help`` text of a ``skactivegan`` sub-command, as a literal block."""

    required_arguments = 1

    def run(self):
        from skactivegan.cli import build_parser

        parser = build_parser()
        sub = next(a for a in parser._actions if hasattr(a, "choices")
                   and isinstance(a.choices, dict))
        old = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "88"
        try:
            text = sub.choices[self.arguments[0]].format_help()
        finally:
            if old is None:
                os.environ.pop("COLUMNS", None)
            else:
                os.environ["COLUMNS"] = old
        return [nodes.literal_block(text, text, language="none")]


class OptionalTocTree(TocTree):
    """A toctree whose entries that have no source file are left out."""

    def run(self):
        found = self.env.found_docs
        self.content = type(self.content)(
            [line for line in self.content if line.strip() in found],
            items=[item for line, item in zip(self.content, self.content.items)
                   if line.strip() in found],
        )
        if not self.content:
            return []
        return super().run()


def setup(app):
    app.add_config_value("example_runner_timeout", 300, "env")
    app.add_directive("example", ExampleDirective)
    app.add_directive("optional-toctree", OptionalTocTree)
    app.add_directive("command-help", CommandHelp)
    app.connect("builder-inited", _start_examples)
    return {"version": "1.0", "parallel_read_safe": False}
