"""Command line of skactivegan.

``skactivegan`` (or ``python -m skactivegan``) with no sub-command runs ``demo``: a
grid-searched SVM trained on a few labelled digits, against the same SVM retrained on
ActiveGAN-augmented data, both scored by macro-F1 on the remaining digits.
"""

import argparse
import sys
import time

__all__ = ["main"]


def _add_demo_arguments(parser):
    parser.add_argument("--n-labels", type=int, default=200,
                        help="number of labelled digits to train on (default: 200)")
    parser.add_argument("--max-iter", type=int, default=2000,
                        help="GAN iterations, warm-up included (default: 2000)")
    parser.add_argument("--warmup-iter", type=int, default=1000,
                        help="plain AC-GAN iterations first (default: 1000)")
    parser.add_argument("--random-state", type=int, default=0,
                        help="seed of the split and of training (default: 0)")
    parser.add_argument("--device", default="auto", help="torch device (default: auto)")
    parser.add_argument("--quiet", action="store_true", help="no progress output")


def run_demo(args, out=sys.stdout):
    """Fit on ``args.n_labels`` digits and print macro-F1 with and without ActiveGAN."""
    from sklearn.datasets import load_digits
    from sklearn.metrics import f1_score
    from sklearn.model_selection import train_test_split

    from ._oracle import fit_default_oracle
    from ._augmenter import ActiveGANAugmenter

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=args.n_labels, stratify=y, random_state=args.random_state
    )
    print(f"digits: {len(X_train)} labelled rows, {len(X_test)} test rows, "
          f"{X.shape[1]} features", file=out)

    start = time.perf_counter()
    svm = fit_default_oracle(X_train, y_train, args.random_state)
    f1_svm = f1_score(y_test, svm.predict(X_test), average="macro")
    print(f"SVM alone (grid-searched): macro-F1 = {f1_svm:.4f} "
          f"({time.perf_counter() - start:.1f}s)", file=out)

    start = time.perf_counter()
    augmenter = ActiveGANAugmenter(
        max_iter=args.max_iter,
        warmup_iter=min(args.warmup_iter, args.max_iter),
        device=args.device,
        random_state=args.random_state,
        verbose=0 if args.quiet else 1,
    )
    X_aug, y_aug = augmenter.fit_resample(X_train, y_train)
    n_added = len(X_aug) - len(X_train)
    svm_aug = fit_default_oracle(X_aug, y_aug, args.random_state)
    f1_aug = f1_score(y_test, svm_aug.predict(X_test), average="macro")
    print(f"SVM + ActiveGAN+F ({n_added} generated rows kept): macro-F1 = {f1_aug:.4f} "
          f"({time.perf_counter() - start:.1f}s)", file=out)
    print(f"change: {100 * (f1_aug - f1_svm):+.2f} macro-F1 points", file=out)
    return f1_svm, f1_aug


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skactivegan",
        description="ActiveGAN: informative labelled samples for scikit-learn classifiers.",
    )
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="SVM vs. SVM + ActiveGAN on a few labelled digits "
                                       "(the default)")
    _add_demo_arguments(demo)
    return parser


def main(argv=None):
    """Entry point of the ``skactivegan`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["demo", *argv]
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        run_demo(args)
    return 0
