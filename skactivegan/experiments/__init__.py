"""The paper's evaluation (Section 5) as a program and a Python API.

``python -m skactivegan.experiments`` (or the ``skactivegan-experiments`` console
script) runs it; :func:`run_experiment` and :func:`write_report` are the same steps
from Python.
"""

from ._protocol import (
    DEFAULT_N_LABELS,
    GAN_METHODS,
    METHODS,
    ExperimentConfig,
    ExperimentResult,
    run_experiment,
)
from ._report import paired_tests, summarise, write_report
from .cli import main, quick_config

__all__ = [
    "DEFAULT_N_LABELS",
    "GAN_METHODS",
    "METHODS",
    "ExperimentConfig",
    "ExperimentResult",
    "main",
    "paired_tests",
    "quick_config",
    "run_experiment",
    "summarise",
    "write_report",
]
