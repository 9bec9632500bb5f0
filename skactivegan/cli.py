"""Command line of skactivegan.

``skactivegan`` (or ``python -m skactivegan``) has two sub-commands:

``demo`` (the default when no sub-command is given)
    A grid-searched SVM trained on a few labelled digits, against the same SVM
    retrained on ActiveGAN-augmented data, both scored by macro-F1 on the remaining
    digits.
``augment``
    ``skactivegan augment data.csv --target label --output augmented.csv`` reads a
    CSV file with a header row, trains :class:`~skactivegan.ActiveGANAugmenter` on it
    and writes the real rows, unchanged, followed by the generated rows, with a
    column that marks the generated ones.  The estimator's parameters are options
    spelled the same way (``--max-iter``, ``--alpha``, ``--uncertainty-weight``,
    ``--threshold``, ``--random-state`` ...).  A bad file gives a one-line error and
    a non-zero exit status, and the output file is only ever written whole.
"""

import argparse
import csv
import inspect
import math
import os
import re
import sys
import tempfile
import time

__all__ = ["main", "build_parser"]

#: Exit status of a run stopped by a bad input file or bad parameters.
EXIT_ERROR = 1
#: Exit status of a run interrupted with Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130

# Parameters of the estimators that are not plain options of ``augment``: objects,
# or settings that ``augment`` spells its own way (``--quiet``, ``--no-filter``).
_AUGMENTER_SKIP = {"oracle", "filter", "verbose", "random_state"}
_FILTER_SKIP = {"oracle", "random_state"}


# --------------------------------------------------------------------------- demo
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


# ------------------------------------------------------------- augment: options
class InputError(ValueError):
    """A problem with the input file or the options, reported in one line."""


def _parameter_summaries(cls):
    """First sentence of each parameter's description in a numpydoc docstring.

    Returns
    -------
    summaries : dict of str to str
    """
    doc = inspect.getdoc(cls) or ""
    match = re.search(r"^Parameters\n-+\n(.*?)(?:^\w[\w ]*\n-+\n|\Z)", doc,
                      flags=re.S | re.M)
    summaries, name, lines = {}, None, []
    for line in (match.group(1) if match else "").splitlines():
        header = re.match(r"^(\w+) :", line)
        if header:
            if name:
                summaries[name] = " ".join(lines)
            name, lines = header.group(1), []
        elif name and line.strip():
            lines.append(line.strip())
    if name:
        summaries[name] = " ".join(lines)
    return {key: _first_sentence(text) for key, text in summaries.items()}


def _first_sentence(text):
    """The first sentence of a docstring paragraph, without reST markup."""
    text = re.sub(r":\w+:`~?([^`]+)`", r"\1", text).replace("``", "")
    return re.split(r"(?<!Eq)(?<!e\.g)(?<!i\.e)\.\s+(?=[A-Z\"(])", text,
                    maxsplit=1)[0].rstrip(".")


def _number(text):
    """An int when ``text`` is written as one ("500"), else a float ("0.5", "1e3")."""
    try:
        return int(text)
    except ValueError:
        return float(text)


def _int_tuple(text):
    """``"128,64"`` to ``(128, 64)``."""
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected comma-separated integers such as 128,128; got {text!r}"
        ) from None


def _or_none(kind):
    """An argparse type that also reads "none" as None."""

    def parse(text):
        return None if text.strip().lower() == "none" else kind(text)

    parse.__name__ = getattr(kind, "__name__", "value")
    return parse


_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def _boolean(text):
    """``true``/``false`` (also yes/no, on/off, 1/0) as a bool, for boolean options."""
    value = text.strip().lower()
    if value in _TRUE or value in _FALSE:
        return value in _TRUE
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


_boolean.__name__ = "boolean"


def _option_kind(default, constraints):
    """The argparse ``type`` and ``choices`` for a parameter.

    Read from the estimator's ``_parameter_constraints`` (so that ``None`` defaults
    get a type) and, failing that, from the type of the default.  ``(None, None)``
    for a parameter that only takes objects (a list of callbacks ...).
    """
    from numbers import Integral, Real

    from sklearn.utils._param_validation import Interval, StrOptions

    if "boolean" in constraints or isinstance(default, bool):
        return _boolean, None
    kinds = set()
    choices = None
    plain = default is not None and isinstance(default, (int, float, str, tuple))
    for constraint in constraints:
        if isinstance(constraint, (Interval, StrOptions)) or constraint in (str, tuple):
            plain = True
        if isinstance(constraint, Interval):
            kinds.add(Integral if constraint.type is Integral else Real)
        elif isinstance(constraint, StrOptions):
            choices = sorted(constraint.options)
        elif constraint in (tuple, list):
            kinds.add(tuple)
    if not plain:
        return None, None
    if choices is not None:
        return str, choices
    if tuple in kinds or isinstance(default, tuple):
        return _int_tuple, None
    if kinds == {Integral, Real}:
        return _number, None
    if kinds == {Integral} or (not kinds and isinstance(default, int)):
        return int, None
    if kinds == {Real} or (not kinds and isinstance(default, float)):
        return float, None
    return str, None


def _add_estimator_options(group, cls, skip, dest_prefix):
    """Add one ``--option`` per parameter of ``cls`` not in ``skip``."""
    summaries = _parameter_summaries(cls)
    constraints = getattr(cls, "_parameter_constraints", {})
    for name, param in inspect.signature(cls).parameters.items():
        if name in skip or param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            continue
        default = param.default
        kind, choices = _option_kind(default, constraints.get(name, []))
        if kind is None:  # an object (a list of callbacks ...): not an option
            continue
        shown = ",".join(map(str, default)) if isinstance(default, tuple) else default
        text = summaries.get(name, name.replace("_", " "))
        if None in constraints.get(name, []) and choices is None:
            kind = _or_none(kind)
            shown = f"{shown}; 'none' for None"
        group.add_argument(
            "--" + name.replace("_", "-"),
            dest=dest_prefix + name,
            type=kind,
            choices=choices,
            default=argparse.SUPPRESS,
            metavar=None if choices else name.upper(),
            help=f"{text} (default: {shown})".replace("%", "%%"),
        )


def _add_augment_arguments(parser):
    from ._augmenter import ActiveGANAugmenter
    from ._filter import MarginFilter

    parser.add_argument("data", help="CSV file with a header row; every column but the "
                                     "target must be numeric")
    parser.add_argument("--target", required=True, help="name of the label column")
    parser.add_argument("--output", "-o", required=True,
                        help="CSV file to write: the real rows, unchanged, then the "
                             "generated rows (replaced whole, never written in part)")
    parser.add_argument("--generated-column", default="is_generated", metavar="NAME",
                        help="name of the added column that is 1 on generated rows and "
                             "0 on real ones; '' leaves it out (default: is_generated)")
    parser.add_argument("--delimiter", default=",",
                        help="field delimiter of the input and the output (default: ,)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="print nothing but errors (no progress while training)")

    est = parser.add_argument_group(
        "ActiveGANAugmenter parameters",
        "Options named after the estimator's parameters (see its documentation). "
        "--warmup-iter defaults to half of --max-iter when only --max-iter is given.",
    )
    est.add_argument("--random-state", type=int, default=0, metavar="SEED",
                     help="seed of the oracle's CV split, initialisation, noise and "
                          "batches: the same seed gives the same file (default: 0)")
    _add_estimator_options(est, ActiveGANAugmenter, _AUGMENTER_SKIP, "augmenter__")

    flt = parser.add_argument_group("MarginFilter parameters (the '+F' step)")
    flt.add_argument("--no-filter", action="store_true",
                     help="keep every generated row (plain ActiveGAN, no '+F')")
    _add_estimator_options(flt, MarginFilter, _FILTER_SKIP, "filter__")


def _make_augmenter(args):
    """Build the ``ActiveGANAugmenter`` that ``args`` describe, parameters validated."""
    from ._augmenter import ActiveGANAugmenter
    from ._filter import MarginFilter

    params = {key[len("augmenter__"):]: value for key, value in vars(args).items()
              if key.startswith("augmenter__")}
    filter_params = {key[len("filter__"):]: value for key, value in vars(args).items()
                     if key.startswith("filter__")}
    if "max_iter" in params and "warmup_iter" not in params:
        signature = inspect.signature(ActiveGANAugmenter)
        default = signature.parameters["warmup_iter"].default
        params["warmup_iter"] = min(default, params["max_iter"] // 2)
    if args.no_filter and filter_params:
        options = ", ".join("--" + k.replace("_", "-") for k in filter_params)
        raise InputError(f"--no-filter cannot be combined with {options}")
    augmenter = ActiveGANAugmenter(
        **params,
        filter=None if args.no_filter else MarginFilter(**filter_params),
        random_state=args.random_state,
        verbose=0 if args.quiet else 1,
    )
    augmenter._validate_params()
    if augmenter.filter is not None:
        augmenter.filter._validate_params()
    return augmenter


# ------------------------------------------------------------ augment: CSV files
def read_labelled_csv(path, target, *, delimiter=","):
    """Read a CSV file with a header row into features and labels.

    Parameters
    ----------
    path : str
        The file.  UTF-8, with or without a byte-order mark; blank lines are skipped.
    target : str
        Name of the label column.  Every other column is a feature and must hold
        finite numbers.
    delimiter : str, default=","
        Field delimiter.

    Returns
    -------
    header : list of str
        Column names, in file order.
    rows : list of list of str
        The data rows as read (text), to be written back unchanged.
    X : ndarray of shape (n_rows, n_columns - 1), float64
        The feature columns, in file order.
    y : ndarray of shape (n_rows,), str
        The labels, as text.

    Raises
    ------
    InputError
        With a one-line message that names the line and the column at fault.
    """
    import numpy as np

    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f, delimiter=delimiter, strict=True)
            records = [(reader.line_num, row) for row in reader if row]
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a CSV file") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not a UTF-8 text file ({exc.reason} at byte "
                         f"{exc.start})") from None
    except csv.Error as exc:
        raise InputError(f"{path}: not a readable CSV file: {exc}") from None
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}") from None

    if not records:
        raise InputError(f"{path}: the file is empty (a header row is needed)")
    header = records[0][1]
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise InputError(f"{path}: duplicated column name(s) {duplicated}")
    if target not in header:
        raise InputError(f"{path}: no column named {target!r} "
                         f"(columns: {', '.join(map(repr, header))})")
    if len(header) < 2:
        raise InputError(f"{path}: no feature column besides the target {target!r}")
    body = records[1:]
    if not body:
        raise InputError(f"{path}: the header has no data rows below it")

    t = header.index(target)
    features = [j for j in range(len(header)) if j != t]
    X = np.empty((len(body), len(features)))
    y = []
    for i, (line, row) in enumerate(body):
        if len(row) != len(header):
            raise InputError(f"{path}, line {line}: {len(row)} fields where the header "
                             f"has {len(header)}")
        label = row[t].strip()
        if not label:
            raise InputError(f"{path}, line {line}: missing label in column {target!r}")
        y.append(label)
        for k, j in enumerate(features):
            cell = row[j].strip()
            try:
                value = float(cell)
            except ValueError:
                what = "missing value" if not cell else f"non-numeric value {cell!r}"
                raise InputError(f"{path}, line {line}: {what} in feature column "
                                 f"{header[j]!r} (features must be numbers)") from None
            if not math.isfinite(value):
                raise InputError(f"{path}, line {line}: non-finite value {cell!r} in "
                                 f"column {header[j]!r}")
            X[i, k] = value
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise InputError(f"{path}: the target column {target!r} holds a single class "
                         f"({str(classes[0])!r}); at least 2 are needed")
    if counts.min() < 2:
        rare = ", ".join(repr(str(c)) for c in classes[counts < 2])
        raise InputError(f"{path}: class(es) {rare} of {target!r} have a single row; "
                         "each class needs at least 2 samples")
    return header, [row for _, row in body], X, np.asarray(y)


def _check_output_path(path):
    """Fail before training when ``path`` cannot be written."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise InputError(f"{path}: is a folder; --output must name a file")
    if not os.path.isdir(folder):
        raise InputError(f"{path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise InputError(f"{path}: the folder {folder} is not writable")


def write_atomically(path, write_rows):
    """Write a file whole or not at all.

    ``write_rows(file)`` writes into a temporary file in the destination's folder,
    which then replaces ``path`` in one step (``os.replace``).  On any error, or
    Ctrl-C, the temporary file is removed and ``path`` is left as it was.

    Parameters
    ----------
    path : str
        Destination.
    write_rows : callable
        Called with the open text file.
    """
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".part",
                               dir=folder)
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            write_rows(f)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _format_value(value):
    """Shortest text that reads back as the same float64."""
    return repr(float(value))


def run_augment(args, err=None):
    """Read ``args.data``, augment it and write ``args.output``; return the exit status.

    Progress and the summary go to ``err`` (standard error by default), so that the
    output stays clean when it is piped.
    """
    err = sys.stderr if err is None else err

    def say(message):
        if not args.quiet:
            print(message, file=err, flush=True)

    header, rows, X, y = read_labelled_csv(args.data, args.target,
                                           delimiter=args.delimiter)
    flag = args.generated_column
    if flag and flag in header:
        raise InputError(f"{args.data}: already has a column {flag!r}; choose another "
                         "name with --generated-column")
    _check_output_path(args.output)
    augmenter = _make_augmenter(args)
    say(f"{args.data}: {len(rows)} rows, {X.shape[1]} features, "
        f"{len(set(y.tolist()))} classes in {args.target!r}")

    start = time.perf_counter()
    X_res, y_res = augmenter.fit_resample(X, y)
    X_gen, y_gen = X_res[len(rows):], y_res[len(rows):]
    t = header.index(args.target)

    def write_rows(f):
        writer = csv.writer(f, delimiter=args.delimiter, lineterminator="\n")
        writer.writerow(header + ([flag] if flag else []))
        for row in rows:
            writer.writerow(row + (["0"] if flag else []))
        for values, label in zip(X_gen, y_gen):
            cells = [_format_value(v) for v in values]
            cells.insert(t, label)
            writer.writerow(cells + (["1"] if flag else []))

    write_atomically(args.output, write_rows)
    say(f"wrote {len(rows) + len(X_gen)} rows ({len(rows)} real, {len(X_gen)} "
        f"generated) to {args.output} in {time.perf_counter() - start:.1f}s")
    return 0


def _one_line(exc):
    """An exception's message on a single line."""
    return " ".join(str(exc).split()) or type(exc).__name__


# ------------------------------------------------------------------------ main
def build_parser():
    """The argument parser of the ``skactivegan`` console script."""
    parser = argparse.ArgumentParser(
        prog="skactivegan",
        description="ActiveGAN: informative labelled samples for scikit-learn "
                    "classifiers.",
    )
    sub = parser.add_subparsers(dest="command")
    demo = sub.add_parser("demo", help="SVM vs. SVM + ActiveGAN on a few labelled "
                                       "digits (the default)")
    _add_demo_arguments(demo)
    augment = sub.add_parser(
        "augment",
        help="add ActiveGAN rows to a labelled CSV file",
        description="Train ActiveGAN on a labelled CSV file and write the real rows, "
                    "unchanged, followed by the generated rows that passed the margin "
                    "filter, with a column marking the generated ones.",
    )
    _add_augment_arguments(augment)
    return parser


def main(argv=None):
    """Entry point of the ``skactivegan`` console script.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments; None reads ``sys.argv``.  With no sub-command, ``demo`` runs.

    Returns
    -------
    status : int
        0 on success, 1 for a bad input file or bad parameters (after a one-line
        message on standard error), 130 when interrupted.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-") and argv[0] not in ("-h", "--help"):
        argv = ["demo", *argv]
    args = build_parser().parse_args(argv)
    if args.command == "demo":
        run_demo(args)
        return 0
    try:
        return run_augment(args)
    except KeyboardInterrupt:
        print("skactivegan augment: interrupted; no output written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (InputError, ValueError, FloatingPointError, OSError) as exc:
        print(f"skactivegan augment: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR
