"""Evaluation: does augmenting help a classifier, on your data and on the paper's.

:func:`evaluate` (and ``skactivegan evaluate data.csv --target y``) runs the paper's
protocol on the user's table and writes a report; ``python -m
skactivegan.experiments`` (the ``skactivegan-experiments`` console script, or
:func:`run_experiment` and :func:`write_report`) runs the same engine on the paper's
data sets (Tables 1–3, Figures 2–5).
"""

from ._evaluate import Evaluation, evaluate
from ._paper import (
    DEFAULT_N_LABELS,
    GAN_METHODS,
    METHODS,
    ExperimentConfig,
    ExperimentResult,
    paper_augmenter,
    run_experiment,
)
from ._report import paired_tests, summarise, write_evaluation_report, write_report
from .cli import main, quick_config

__all__ = [
    "DEFAULT_N_LABELS",
    "GAN_METHODS",
    "METHODS",
    "Evaluation",
    "ExperimentConfig",
    "ExperimentResult",
    "evaluate",
    "main",
    "paired_tests",
    "paper_augmenter",
    "quick_config",
    "run_experiment",
    "summarise",
    "write_evaluation_report",
    "write_report",
]
