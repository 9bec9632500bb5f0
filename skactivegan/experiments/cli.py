"""Command line of the evaluation: ``python -m skactivegan.experiments [options]``."""

import argparse
import shlex
import sys
import time
from pathlib import Path

import joblib

from ..datasets import DATASETS, DatasetNotInstalledError
from ._evaluate import parse_param
from ._paper import ExperimentConfig, run_experiment
from ._report import write_report

__all__ = ["build_parser", "main", "quick_config"]

#: GAN settings of ``--quick`` only: far fewer iterations than the library default.
QUICK_GAN_PARAMS = {"max_iter": 300, "warmup_iter": 150}


def quick_config(dataset="digits", features="pixels"):
    """The ``--quick`` configuration: one small setting, 2 seeds, short GAN training.

    Every table and figure is still produced, but the numbers only show that the
    program works: the GANs are trained for 300 iterations instead of the default.
    """
    small = {"digits": (200,), "mnist": (500,), "fashion-mnist": (1000,)}[dataset]
    return ExperimentConfig(dataset=dataset, features=features, n_labels=small,
                            n_seeds=2, cv_folds=2, alphas=(0.0, 0.5, 1.0),
                            gan_params=dict(QUICK_GAN_PARAMS), max_test=1000)


def _floats(text):
    return tuple(float(v) for v in text.split(",") if v.strip())


def _ints(text):
    return tuple(int(v) for v in text.split(",") if v.strip())


def _count_or_fraction(text):
    """An int (a count) or, written with a decimal point, a float (a fraction)."""
    return float(text) if any(c in text for c in ".eE") else int(text)


def _gan_param(text):
    """``NAME=VALUE`` of ``--gan-param``; NAME must be an augmenter parameter."""
    from .._augmenter import ActiveGANAugmenter

    name, value = parse_param(text)
    known = ActiveGANAugmenter().get_params()
    if name.split("__")[0] not in known:
        raise argparse.ArgumentTypeError(
            f"{name!r} is not a parameter of ActiveGANAugmenter; known: "
            f"{', '.join(sorted(known))}"
        )
    return name, value


def build_parser():
    """The argument parser of the evaluation program."""
    parser = argparse.ArgumentParser(
        prog="skactivegan-experiments",
        description="The ActiveGAN paper's evaluation (Tables 1-3, Figures 2-5) on "
                    "offline data: SVM, SMOTE, AC-GAN(+F) and ActiveGAN(+F).",
    )
    parser.add_argument("--dataset", choices=DATASETS, default="digits",
                        help="data set (default: digits)")
    parser.add_argument("--features", choices=("pixels", "cnn"), default="pixels",
                        help="raw scaled pixels, or pretrained CNN features "
                             "(default: pixels)")
    parser.add_argument("--n-labels", type=_ints, default=None,
                        help="comma-separated numbers of labelled rows (default: the "
                             "paper's settings; digits: 200,400)")
    parser.add_argument("--seeds", type=int, default=5,
                        help="number of seeds per setting (default: 5)")
    parser.add_argument("--first-seed", type=int, default=0,
                        help="first seed; --seeds N runs first-seed .. first-seed+N-1 "
                             "(default: 0)")
    parser.add_argument("--thresholds", type=_floats,
                        default=ExperimentConfig.thresholds,
                        help="candidate margin thresholds of +F; 0 adds no row "
                             "(default: %(default)s)")
    parser.add_argument("--alphas", type=_floats, default=(0.0, 0.3, 0.5, 0.7, 1.0),
                        help="alpha values of the ablation; empty string to skip")
    parser.add_argument("--cv-folds", type=int, default=3,
                        help="folds of the threshold cross-validation (default: 3)")
    parser.add_argument("--max-iter", type=int, default=None,
                        help="GAN iterations (default: the library default)")
    parser.add_argument("--warmup-iter", type=_count_or_fraction, default=None,
                        help="GAN warm-up: iterations (an int) or a fraction of "
                             "--max-iter (a float below 1); default: the library's")
    parser.add_argument("--gan-param", type=_gan_param, action="append", default=[],
                        metavar="NAME=VALUE",
                        help="an ActiveGANAugmenter parameter for both GANs, nested "
                             "ones included, e.g. uncertainty_weight=3 (AC-GAN keeps "
                             "uncertainty_weight=0) or generator__reward__n_components"
                             "=5; repeatable")
    _add_run_arguments(parser)
    return parser


def _add_run_arguments(parser):
    """The options of where and how the program runs (data, device, output)."""
    parser.add_argument("--max-test", type=int, default=None,
                        help="cap on test rows (default: all)")
    parser.add_argument("--data-home", default=None,
                        help="folder of the Fashion-MNIST files")
    parser.add_argument("--cnn-backbone", default="efficientnet-lite0",
                        choices=("efficientnet-lite0", "mobilenetv2"))
    parser.add_argument("--cnn-image-size", type=int, default=64)
    parser.add_argument("--image-mode", action="store_true",
                        help="train convolutional GANs (ConvGenerator, 32 "
                             "channels) on the images; with --features cnn, every "
                             "SVM, the GANs' oracle included, sees CNN features of "
                             "the images (the paper's set-up)")
    parser.add_argument("--device", default="auto", help="torch device (default: auto)")
    parser.add_argument("--output", default="activegan-results",
                        help="results folder (default: ./activegan-results)")
    parser.add_argument("--quick", action="store_true",
                        help="small configuration for CI: 1 setting, 2 seeds, 300 GAN "
                             "iterations; still writes every table and figure")
    parser.add_argument("--no-figures", action="store_true", help="tables only")
    parser.add_argument("--report-from", default=None, metavar="FILE",
                        help="do not run: rewrite the report from the result.joblib of "
                             "an earlier run")
    parser.add_argument("--quiet", action="store_true", help="no progress output")


#: Shape (C, H, W) of one image of each data set, for ``--image-mode``.
IMAGE_SHAPES = {"digits": (1, 8, 8), "mnist": (1, 28, 28), "fashion-mnist": (1, 28, 28)}
IMAGE_CHANNELS = 32


def config_from_args(args):
    """Turn parsed arguments into an :class:`ExperimentConfig`."""
    if args.quick:
        config = quick_config(args.dataset, args.features)
    else:
        config = ExperimentConfig(
            dataset=args.dataset, features=args.features, n_labels=args.n_labels,
            n_seeds=args.seeds, first_seed=args.first_seed, thresholds=args.thresholds,
            alphas=args.alphas, cv_folds=args.cv_folds, max_test=args.max_test)
    config.data_home = args.data_home
    config.cnn_backbone = args.cnn_backbone
    config.cnn_image_size = args.cnn_image_size
    config.device = args.device
    config.gan_params.update(dict(args.gan_param))
    for name in ("max_iter", "warmup_iter"):
        if getattr(args, name) is not None:
            config.gan_params[name] = getattr(args, name)
    if args.image_mode:
        config.image_shape = IMAGE_SHAPES[config.dataset]
        # 32 channels: the convolutional networks' width, small enough for a CPU.
        config.gan_params.setdefault("generator__width", IMAGE_CHANNELS)
    return config


def main(argv=None):
    """Entry point of ``python -m skactivegan.experiments``.

    Returns
    -------
    status : int
        0 on success, 2 when the data set or an optional package is missing.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    stream = None if args.quiet else sys.stderr
    start = time.perf_counter()
    if args.report_from is not None:
        saved = joblib.load(args.report_from)
        result, command = saved["result"], saved["command"]
    else:
        try:
            result = run_experiment(config_from_args(args), stream=stream)
        except (DatasetNotInstalledError, ImportError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        command = ("python -m skactivegan.experiments " + shlex.join(argv)).strip()
    write_report(result, args.output, command=command, figures=not args.no_figures,
                 stream=stream)
    if args.report_from is None:
        # Everything measured, so that the report can be redrawn without rerunning.
        joblib.dump({"result": result, "command": command},
                    Path(args.output) / "result.joblib", compress=3)
    if stream is not None:
        print(f"total time {time.perf_counter() - start:.0f}s", file=stream)
    return 0
