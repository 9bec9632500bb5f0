import importlib.util
import sys
from pathlib import Path

import pytest
import torch

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def import_benchmark(name):
    """Yield the module of ``benchmarks/NAME.py``, its folder on ``sys.path``
    meanwhile (the benchmarks import their shared ``_common`` and data modules)."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.path.remove(str(BENCHMARKS))

# Tiny networks gain nothing from several threads, and oversubscribed threads slow a
# busy machine down by orders of magnitude: the tests use one.
torch.set_num_threads(1)


def pytest_addoption(parser):
    parser.addoption("--runslow", action="store_true", default=False,
                     help="run tests marked slow (statistical or long-running)")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # The tests of the benchmark scripts (tests/test_bench_*.py) are marked, and
    # left out of the default run by setup.cfg: ``python -m pytest -m benchmark``
    # runs them.
    for item in items:
        if item.path.name.startswith("test_bench_"):
            item.add_marker(pytest.mark.benchmark)
    if config.getoption("--runslow"):
        return
    skip_slow = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip_slow)
