"""Command line of skactivegan.

``skactivegan`` (or ``python -m skactivegan``) has three sub-commands:

``demo`` (the default when no sub-command is given; about 10-30 seconds)
    A grid-searched SVM trained on 200 labelled digits, and the same SVM retrained
    on the rows that imbalanced-learn's SMOTE, Borderline-SMOTE, ADASYN and
    SVM-SMOTE, AC-GAN and ActiveGAN add, scored by macro-F1 on the held-out digits;
    writes a figure of the generated rows.
``augment``
    ``skactivegan augment data.csv --target label --output augmented.csv`` reads a
    CSV file with a header row, trains :class:`~skactivegan.ActiveGANAugmenter` on it
    and writes the real rows, unchanged, followed by the generated rows, with a
    column that marks the generated ones.  Text columns are categorical features.
    The estimator's parameters, its generator's, its reward estimator's and its
    filter's are options spelled the same way (``--max-iter``, ``--alpha``,
    ``--k-neighbors``, ``--threshold``, ``--random-state`` ...; the tables
    ``AUGMENTER_OPTIONS``, ``GENERATOR_OPTIONS``, ``REWARD_OPTIONS`` and
    ``FILTER_OPTIONS`` list them).
    A bad file gives a one-line error and a non-zero exit status, and the output
    file is only ever written whole.
``evaluate``
    ``skactivegan evaluate data.csv --target label``: does augmenting help on this
    data?  See :mod:`skactivegan.experiments`.
"""

import argparse
import csv
import math
import os
import re
import sys
import tempfile
import time

from ._cli_parsing import (
    boolean,
    count_or_fraction,
    delimiter,
    listed,
    or_auto,
    or_none,
)

__all__ = ["build_parser", "main"]

#: Exit status of a run stopped by a bad input file or bad parameters.
EXIT_ERROR = 1
#: Exit status of a run interrupted with Ctrl-C (128 + SIGINT).
EXIT_INTERRUPTED = 130


class InputError(ValueError):
    """A problem with the input file or the options, reported in one line."""


# ------------------------------------------------------------ augment: options
def _sampling_strategy(text):
    """``auto``, ``minority`` ... as text; ``0.5`` a float; ``a:10,b:20`` a dict."""
    text = text.strip()
    if ":" in text:
        counts = {}
        for part in filter(None, (p.strip() for p in text.split(","))):
            label, _, count = part.rpartition(":")
            try:
                counts[label.strip()] = int(count)
            except ValueError:
                raise argparse.ArgumentTypeError(
                    f"expected LABEL:COUNT pairs such as yes:40,no:10; got {text!r}"
                ) from None
        return counts
    try:
        return float(text)
    except ValueError:
        return text


def _categorical_features(text):
    """``auto`` stays "auto"; anything else is a comma-separated list of names."""
    if text.strip().lower() == "auto":
        return "auto"
    return list(listed(str, what="column names", example="colour,size")(text))


#: The ``ActiveGANAugmenter`` parameters that ``augment`` exposes: (name, reader,
#: help).  The option is ``--`` + the name with "-" for "_"; an option not given is
#: not passed, so the estimator's own default applies (and is shown in ``--help``).
#: The estimator validates the values; the help of an option that takes one of a few
#: words lists the words the estimator's constraints accept (:func:`_choices`).
AUGMENTER_OPTIONS = (
    ("n_samples", or_none(count_or_fraction),
     ("rows to add in all, split like the class frequencies (the few-labels mode): "
      "an integer count, or a fraction of the rows such as 1.0; 'none' takes the "
      "counts from --sampling-strategy")),
    ("sampling_strategy", _sampling_strategy,
     ("imbalanced-learn's: auto, minority, not minority, not majority, all, a float "
      "(two classes) or LABEL:COUNT,... (rows to reach); only with --n-samples none")),
    ("categorical_features", _categorical_features,
     "'auto' (text columns) or comma-separated names of the categorical columns"),
    ("alpha", float, "weight of the margin against the entropy in the reward, Eq. (8)"),
    ("uncertainty_weight", float,
     "weight of the uncertainty reward, lambda of Eq. (10); 0 is plain AC-GAN"),
    ("max_iter", or_auto(int),
     ("training iterations, warm-up included; auto: the generator's own (120 for "
      "the composing generator, 2000 for the free one)")),
    ("warmup_iter", count_or_fraction,
     ("plain AC-GAN iterations first: a fraction of --max-iter (a number with a "
      "'.', such as 0.5) or a count (an integer)")),
    ("generator", str,
     ("compose (real rows composed, steered by the reward) or mlp (the paper's "
      "free generator); auto is compose")),
    ("memory", or_none(str), "folder that caches trained networks; 'none' for none"),
    ("device", str, "torch device: auto, cpu, cuda, cuda:1 ..."),
    ("n_jobs", or_none(int), "torch and oracle threads while training; -1: all cores"),
)

#: The generators' parameters (``generator__<name>`` in Python); each belongs to the
#: generator named after it (:data:`GENERATOR_OPTIONS`).
COMPOSER_OPTIONS = (
    ("k_neighbors", int, "same-class neighbours a row is composed with"),
    ("residual_scale", float, "bound of the residual, in standard deviations"),
    ("policy_choices", listed(str, what="choices", example="anchor,position"),
     "choices the reward steers: anchor,neighbour,position (any of them)"),
    ("policy_learning_rate", float, "Adam learning rate of the policy"),
)
MLP_OPTIONS = (
    ("hidden_layer_sizes", listed(int), "hidden layers of both networks, e.g. 128,128"),
    ("latent_dim", int, "size of the generator's noise vector"),
    ("learning_rate", float, "Adam learning rate of both networks"),
    ("batch_size", int, "rows a training batch"),
    ("discriminator_every", int, "one discriminator update every k generator updates"),
    ("diversity_weight", float, "weight of the mode-seeking term (0 turns it off)"),
    ("mixed_precision", boolean, "half-precision forward passes (true or false)"),
)
#: The paper's reward estimator (``generator__reward__<name>``), free generator only.
REWARD_OPTIONS = (
    ("n_components", int, "components of the Gaussian mixture of Eq. (9)"),
    ("covariance_type", str, "covariance of the mixture's components"),
    ("buffer_batches", int, "generated batches the mixture is fitted on"),
    ("em_iter", int, "EM iterations per re-estimation of the mixture"),
    ("reward_normalization", str, "how the reward is scaled before Eq. (10)"),
    ("log_density_normalization", str, "how log P(x|Theta) is scaled in Eq. (10)"),
)
#: Which generator each group of options belongs to.
GENERATOR_OPTIONS = {"compose": COMPOSER_OPTIONS, "mlp": MLP_OPTIONS}

#: The ``MarginFilter`` parameters that ``augment`` exposes (the "+F" step).
FILTER_OPTIONS = (
    ("threshold", float,
     ("keep a generated row only when its oracle margin is at most this (1: no "
      "absolute threshold, the ranking by margin alone decides; the paper: 0.2)")),
    ("top_k", or_none(int),
     "keep it only when its label is among the oracle's top k; 'none' for any label"),
    ("candidates_per_row", float,
     ("candidates generated per row asked for; the rows kept are those that pass "
      "with the smallest margins (1 with --threshold is the paper's +F)")),
    ("fill_shortfall", boolean,
     ("when too few candidates pass, fill the count with the best of the rest "
      "(true or false)")),
)

#: Parameters of ``ActiveGANAugmenter`` that are not options: objects, and those
#: that ``augment`` spells its own way (``--random-state``, ``--quiet``,
#: ``--no-filter``).
NOT_OPTIONS = ("oracle", "filter", "callbacks", "random_state", "verbose")


def _default_text(value):
    if isinstance(value, (tuple, list)):
        return ",".join(map(str, value))
    return "none" if value is None else str(value)


def _choices(constraints, name):
    """The words that the constraint of parameter ``name`` accepts, sorted; () if
    it is not a choice of words."""
    from ._compat import StrOptions

    words = set()
    for constraint in constraints.get(name, ()):
        if isinstance(constraint, StrOptions):
            words |= set(constraint.options) - set(constraint.deprecated or ())
    return tuple(sorted(words))


def _with_choices(text, choices):
    """``text``, followed by the accepted words unless it names them all already."""
    if not choices or all(word in text for word in choices):
        return text
    words = choices[0] if len(choices) == 1 else (
        f"{', '.join(choices[:-1])} or {choices[-1]}")
    return f"{text}: {words}"


def _add_options(group, table, defaults, dest_prefix, constraints=None):
    """One ``--option`` per row of ``table``; not given, it is not passed on.

    ``constraints`` (an estimator's ``_parameter_constraints``) add the accepted
    words to the help of the options that are a choice of words.
    """
    for name, reader, text in table:
        if reader is str:
            text = _with_choices(text, _choices(constraints or {}, name))
        default = (f"; default: {_default_text(defaults[name])}" if name in defaults
                   else "")
        group.add_argument(
            "--" + name.replace("_", "-"),
            dest=dest_prefix + name,
            type=reader,
            default=argparse.SUPPRESS,
            metavar=name.upper(),
            help=f"{text}{default}".replace("%", "%%"),
        )


def _add_augment_arguments(parser):
    from ._augmenter import ActiveGANAugmenter
    from ._filter import MarginFilter
    from .generators import ComposingGenerator, MLPGenerator
    from .reward import MixtureReward

    parser.add_argument("data", help="CSV file with a header row; numeric columns are "
                                     "numbers, text columns categories")
    parser.add_argument("--target", required=True, help="name of the label column")
    parser.add_argument("--output", "-o", required=True,
                        help="CSV file to write: the real rows, unchanged, then the "
                             "generated rows (replaced whole, never written in part)")
    parser.add_argument("--force", action="store_true",
                        help="allow --output to be the input file (it is replaced)")
    parser.add_argument("--generated-column", default="is_generated", metavar="NAME",
                        help="name of the added column that is 1 on generated rows and "
                             "0 on real ones; '' leaves it out (default: is_generated)")
    parser.add_argument("--delimiter", type=delimiter, default=",",
                        help="field delimiter of the input and the output: one "
                             "character, or tab (default: ,)")
    parser.add_argument("--quiet", "-q", action="store_true",
                        help="print nothing but warnings and errors (no progress)")

    est = parser.add_argument_group(
        "ActiveGANAugmenter parameters",
        "Named after the estimator's parameters (see its documentation); an option "
        "left out keeps the estimator's default.",
    )
    est.add_argument("--random-state", type=int, default=0, metavar="SEED",
                     help="seed of the oracle's CV split, initialisation, noise and "
                          "batches: the same seed gives the same file (default: 0)")
    _add_options(est, AUGMENTER_OPTIONS, ActiveGANAugmenter().get_params(),
                 "augmenter__", ActiveGANAugmenter._parameter_constraints)
    for name, table, settings, what in (
            ("compose", COMPOSER_OPTIONS, ComposingGenerator(), "ComposingGenerator"),
            ("mlp", MLP_OPTIONS, MLPGenerator(), "MLPGenerator")):
        group = parser.add_argument_group(
            f"{what} parameters (--generator {name})",
            f"generator__<name> in Python; only with --generator {name}"
            + (" or auto (the default)" if name == "compose" else "") + ".")
        _add_options(group, table, settings.get_params(), "generator__",
                     type(settings)._parameter_constraints)
    reward = parser.add_argument_group(
        "MixtureReward parameters (--generator mlp)",
        "The paper's reward estimator of the free generator "
        "(generator__reward__<name> in Python).")
    _add_options(reward, REWARD_OPTIONS, MixtureReward().get_params(),
                 "generator__reward__", MixtureReward._parameter_constraints)

    flt = parser.add_argument_group(
        "MarginFilter parameters (the '+F' step)",
        "Parameters of the augmenter's filter (filter__threshold ... in Python). "
        "With the composing generator (the default on tables) no filter runs "
        "unless one of these is given; with --generator mlp the margin filter "
        "runs, with these defaults.",
    )
    flt.add_argument("--no-filter", action="store_true",
                     help="keep every generated row (plain ActiveGAN, no '+F')")
    _add_options(flt, FILTER_OPTIONS, MarginFilter(threshold=1.0).get_params(),
                 "filter__")


def _make_augmenter(args):
    """The ``ActiveGANAugmenter`` that ``args`` describe (validated when fitted)."""
    from ._augmenter import ActiveGANAugmenter

    params = {key[len("augmenter__"):]: value for key, value in vars(args).items()
              if key.startswith("augmenter__")}
    nested = {key: value for key, value in vars(args).items()
              if key.startswith(("generator__", "filter__"))}
    filter_options = [_option(k) for k in nested if k.startswith("filter__")]
    if args.no_filter and filter_options:
        raise InputError(
            f"--no-filter cannot be combined with {', '.join(filter_options)}")
    if args.no_filter:
        params["filter"] = None
    augmenter = ActiveGANAugmenter(**params, random_state=args.random_state,
                                   verbose=0 if args.quiet else 1)
    # Nested options change the augmenter's parts, their defaults included.
    for key, value in nested.items():
        try:
            augmenter.set_params(**{key: value})
        except ValueError:
            raise InputError(
                f"{_option(key)} is not an option of --generator "
                f"{params.get('generator', 'auto')}; --help lists the options of "
                "each generator") from None
    return augmenter


def _option(key):
    """The command-line option of a nested parameter key (``--k-neighbors``)."""
    return "--" + key.split("__")[-1].replace("_", "-")


# ------------------------------------------------------------ augment: CSV files
_INTEGER = re.compile(r"^[+-]?\d+$")
_UNNAMED = re.compile(r"^(|Unnamed: \d+|index)$", re.IGNORECASE)


class Column:
    """What ``augment`` knows of one feature column of the input.

    Attributes
    ----------
    name : str
    kind : {"int", "float", "text"}
    decimals : int or None
        Digits after the point to write generated values of a "float" column with;
        None writes them with ``significant`` significant digits (the input used
        exponents).
    significant : int
        The most significant digits of any value of the column.
    """

    def __init__(self, name, cells):
        self.name = name
        numbers = [_read_number(cell) for cell in cells]
        if all(value is not None for value in numbers):
            self.kind = "int" if all(_INTEGER.match(c) for c in cells) else "float"
        else:
            self.kind = "text"
        if self.kind == "int":
            self.values = [int(cell) for cell in cells]
        else:
            self.values = numbers if self.kind == "float" else list(cells)
        mantissas = [re.split("[eE]", c)[0].lstrip("+-") for c in cells]
        self.significant = max(len(m.replace(".", "").lstrip("0")) or 1
                               for m in mantissas)
        if any(re.search("[eE]", c) for c in cells):
            self.decimals = None
        else:
            self.decimals = max(len(m.partition(".")[2]) for m in mantissas)

    def format(self, value):
        """A generated value as text, at the precision of the input's values."""
        if self.kind == "text":
            return str(value)
        if self.kind == "int":
            return str(round(float(value)))
        if self.decimals is None:
            text = f"{float(value):.{self.significant}g}"
        else:
            text = f"{float(value):.{self.decimals}f}"
        if re.fullmatch(r"-0(\.0*)?", text):  # -0.00 reads oddly
            text = text[1:]
        return text


def _read_number(cell):
    """``float(cell)``, or None when the cell is not a number."""
    try:
        return float(cell)
    except ValueError:
        return None


def _delimiter_hint(header, used):
    """Advice when the header was read as one column but holds another delimiter."""
    if len(header) != 1:
        return ""
    for char, spelled in ((";", "';'"), ("\t", "tab"), ("|", "'|'")):
        if char != used and char in header[0]:
            return (f"; the header is a single column {header[0]!r} that holds "
                    f"{spelled}: is the file {spelled}-separated? Try --delimiter "
                    f"{spelled}")
    return ""


def read_labelled_csv(path, target, *, delimiter=",", warn=None):
    """Read a CSV file with a header row into its columns and labels.

    Parameters
    ----------
    path : str
        The file.  UTF-8, with or without a byte-order mark; blank lines are skipped.
    target : str
        Name of the label column.  Every other column is a feature: numbers (integer
        or not), or text (a categorical feature).  No cell may be empty.
    delimiter : str, default=","
        Field delimiter.
    warn : callable, default=None
        Called with the text of each warning about the file (an unnamed index
        column, a column that mixes numbers and text).

    Returns
    -------
    header : list of str
        Column names, in file order.
    rows : list of list of str
        The data rows as read (text), to be written back unchanged.
    columns : list of Column
        The feature columns, in file order.
    y : ndarray of shape (n_rows,), str
        The labels, as text.

    Raises
    ------
    InputError
        With a one-line message that names the line and the column at fault.
    """
    import numpy as np

    records = _records(path, delimiter)
    header, body = _checked_header(path, records, target, delimiter)
    t = header.index(target)
    _check_cells(path, header, body, t)
    y = np.asarray([row[t].strip() for _, row in body])
    columns = [_read_column(path, j, name, body, warn or (lambda message: None))
               for j, name in enumerate(header) if j != t]
    classes, counts = np.unique(y, return_counts=True)
    if len(classes) < 2:
        raise InputError(f"{path}: the target column {target!r} holds a single class "
                         f"({str(classes[0])!r}); at least 2 are needed")
    if counts.min() < 2:
        rare = ", ".join(repr(str(c)) for c in classes[counts < 2])
        raise InputError(f"{path}: class(es) {rare} of {target!r} have a single row; "
                         "each class needs at least 2 samples")
    return header, [row for _, row in body], columns, y


def _records(path, delimiter):
    """``(line number, fields)`` of every non-blank line of the file."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.reader(f, delimiter=delimiter, strict=True)
            return [(reader.line_num, row) for row in reader if row]
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


def _checked_header(path, records, target, delimiter):
    """The header and the data rows, after the checks of the header."""
    if not records:
        raise InputError(f"{path}: the file is empty (a header row is needed)")
    header = records[0][1]
    hint = _delimiter_hint(header, delimiter)
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise InputError(f"{path}: duplicated column name(s) {duplicated}")
    if target not in header:
        raise InputError(f"{path}: no column named {target!r} "
                         f"(columns: {', '.join(map(repr, header))}){hint}")
    if len(header) < 2:
        raise InputError(f"{path}: no feature column besides the target "
                         f"{target!r}{hint}")
    if len(records) < 2:
        raise InputError(f"{path}: the header has no data rows below it")
    return header, records[1:]


def _check_cells(path, header, body, target_index):
    """Every row has every field, and no field is empty."""
    for line, row in body:
        if len(row) != len(header):
            raise InputError(f"{path}, line {line}: {len(row)} fields where the header "
                             f"has {len(header)}")
        for j, cell in enumerate(row):
            if not cell.strip():
                what = "label" if j == target_index else "value"
                raise InputError(f"{path}, line {line}: missing {what} in column "
                                 f"{header[j]!r}")


def _read_column(path, j, name, body, warn):
    """Feature column ``j`` as a :class:`Column`, checked, with its warnings."""
    cells = [row[j].strip() for _, row in body]
    column = Column(name, cells)
    if column.kind == "int":
        _check_int64(path, name, body, cells, column.values)
    if column.kind != "text":
        for (line, _), cell, value in zip(body, cells, column.values):
            if not math.isfinite(value):
                raise InputError(f"{path}, line {line}: non-finite value {cell!r} "
                                 f"in column {name!r}")
    else:
        numeric = [c for c in cells if _read_number(c) is not None]
        if len(numeric) * 2 >= len(cells):
            line, text = next((line, c) for (line, _), c in zip(body, cells)
                              if _read_number(c) is None)
            warn(f"{path}: column {name!r} is read as categories: it mixes "
                 f"numbers with text such as {text!r} (line {line})")
    if (column.kind == "int" and _UNNAMED.match(name)
            and column.values in (list(range(len(body))),
                                  list(range(1, len(body) + 1)))):
        shown = repr(name) if name else "with no name"
        warn(f"{path}: column {j + 1} ({shown}) holds the row numbers "
             f"{int(column.values[0])}..{int(column.values[-1])}, like a saved "
             "index; it is used as a feature and generated rows get made-up "
             "values in it. Remove it (pandas: to_csv(..., index=False))")
    return column


#: The range of the integer columns the estimator is given (int64).
_INT64 = (-(2**63), 2**63 - 1)


def _check_int64(path, name, body, cells, values):
    """An integer column must fit in int64, the dtype it is given to the estimator."""
    for (line, _), cell, value in zip(body, cells, values):
        if not _INT64[0] <= value <= _INT64[1]:
            raise InputError(f"{path}, line {line}: the integer {cell} in column "
                             f"{name!r} is outside the 64-bit range (about ±9.2e18); "
                             "rescale that column or write it with a decimal point "
                             "to read it as a float")


def _features_frame(columns):
    """The feature columns as a DataFrame: int64, float64, and text as categories.

    Without pandas, numeric columns come as one float64 array (integer columns are
    rounded when written); text columns then need pandas.
    """
    try:
        import pandas as pd
    except ImportError:
        if any(column.kind == "text" for column in columns):
            raise InputError("text columns (categorical features) need pandas, which "
                             "is not installed: pip install pandas") from None
        import numpy as np

        return np.column_stack([np.asarray(c.values, dtype=np.float64)
                                for c in columns])
    data = {}
    for column in columns:
        if column.kind == "int":
            data[column.name] = pd.Series(column.values, dtype="int64")
        elif column.kind == "float":
            data[column.name] = pd.Series(column.values, dtype="float64")
        else:
            data[column.name] = pd.Series(column.values, dtype="category")
    return pd.DataFrame(data)


def _same_file(a, b):
    """Whether paths ``a`` and ``b`` name the same file (``b`` may not exist yet)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def _check_output_path(args):
    """Fail before training when ``args.output`` cannot or must not be written."""
    path = args.output
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise InputError(f"{path}: is a folder; --output must name a file")
    if _same_file(args.data, path) and not args.force:
        raise InputError(f"{path}: --output is the input file; write to another file, "
                         "or add --force to replace the input")
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


def _generated_rows(X_res, y_res, n_real):
    """The generated part of ``fit_resample``'s output, as a list of rows of values."""
    import numpy as np

    if hasattr(X_res, "iloc"):
        X_gen = X_res.iloc[n_real:].to_numpy(dtype=object)
    else:
        X_gen = np.asarray(X_res)[n_real:]
    return list(X_gen), list(np.asarray(y_res)[n_real:])


def run_augment(args, err=None):
    """Read ``args.data``, augment it and write ``args.output``; return the exit status.

    Progress, warnings and the summary go to ``err`` (standard error by default), so
    that the output stays clean when it is piped.
    """
    err = sys.stderr if err is None else err

    def say(message):
        if not args.quiet:
            print(message, file=err, flush=True)

    def warn(message):
        print(f"skactivegan augment: warning: {message}", file=err, flush=True)

    header, rows, columns, y = read_labelled_csv(
        args.data, args.target, delimiter=args.delimiter, warn=warn)
    flag = args.generated_column
    if flag and flag in header:
        raise InputError(f"{args.data}: already has a column {flag!r}; choose another "
                         "name with --generated-column")
    _check_output_path(args)
    augmenter = _make_augmenter(args)
    X = _features_frame(columns)
    n_text = sum(column.kind == "text" for column in columns)
    say(f"{args.data}: {len(rows)} rows, {len(columns)} features"
        f"{f' ({n_text} categorical)' if n_text else ''}, {len(set(y.tolist()))} "
        f"classes in {args.target!r}")

    start = time.perf_counter()
    X_res, y_res = augmenter.fit_resample(X, y)
    X_gen, y_gen = _generated_rows(X_res, y_res, len(rows))
    t = header.index(args.target)

    def write_rows(f):
        writer = csv.writer(f, delimiter=args.delimiter, lineterminator="\n")
        writer.writerow(header + ([flag] if flag else []))
        for row in rows:
            writer.writerow(row + (["0"] if flag else []))
        for values, label in zip(X_gen, y_gen):
            cells = [_format_value(column, v) for column, v in zip(columns, values)]
            cells.insert(t, str(label))
            writer.writerow(cells + (["1"] if flag else []))

    write_atomically(args.output, write_rows)
    say(f"wrote {len(rows) + len(X_gen)} rows ({len(rows)} real, {len(X_gen)} "
        f"generated) to {args.output} in {time.perf_counter() - start:.1f}s")
    return 0


def _format_value(column, value):
    """A generated value as text, at the precision of ``column`` in the input."""
    return column.format(value)


# ------------------------------------------------------------------------ demo
def _add_demo_arguments(parser):
    parser.add_argument("--n-labels", type=int, default=200,
                        help="labelled digits to train on; the rest are the test set "
                             "(default: 200)")
    parser.add_argument("--n-samples", type=count_or_fraction, default=1.0,
                        help="rows each method adds: a count, or a fraction of "
                             "--n-labels (default: 1.0)")
    parser.add_argument("--max-iter", type=int, default=None,
                        help="GAN iterations (default: the estimator's)")
    parser.add_argument("--warmup-iter", type=count_or_fraction, default=None,
                        help="warm-up: a fraction of --max-iter (0.5) or a count (500) "
                             "(default: the estimator's)")
    parser.add_argument("--quick", action="store_true",
                        help=f"{_QUICK_ITER} GAN iterations: shows that everything "
                             "works in seconds; the scores mean little")
    parser.add_argument("--figure", default="skactivegan-demo.png", metavar="PNG",
                        help="figure to write (default: skactivegan-demo.png in the "
                             "current folder)")
    parser.add_argument("--no-figure", action="store_true", help="write no figure")
    parser.add_argument("--random-state", type=int, default=0,
                        help="seed of the split and of training (default: 0)")
    parser.add_argument("--device", default=None,
                        help="torch device (default: the estimator's, auto)")
    parser.add_argument("--n-jobs", type=or_none(int), default=None,
                        help="torch threads while training (default: the estimator's)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress output")


#: GAN iterations of ``skactivegan demo --quick``.
_QUICK_ITER = 40


def run_demo(args, out=None):
    """Run ``skactivegan demo`` with the parsed ``args``; return the exit status."""
    from ._demo import DemoSettings
    from ._demo import run_demo as run

    settings = DemoSettings(
        n_labels=args.n_labels, n_samples=args.n_samples,
        max_iter=_QUICK_ITER if args.quick and args.max_iter is None else args.max_iter,
        warmup_iter=args.warmup_iter, random_state=args.random_state,
        device=args.device, n_jobs=args.n_jobs,
        figure=None if args.no_figure else args.figure, quiet=args.quiet,
    )
    run(settings, out=out)
    return 0


# -------------------------------------------------------------------- evaluate
#: The module that implements ``skactivegan evaluate`` (imported when it runs).
_EVALUATE_MODULE = "skactivegan.experiments._evaluate"


def run_evaluate(argv, out=None):
    """Parse the arguments of ``skactivegan evaluate`` and run it.

    The evaluation engine is imported only here, so that the other commands do not
    pay for it.
    """
    import importlib

    out = sys.stdout if out is None else out
    try:
        module = importlib.import_module(_EVALUATE_MODULE)
    except ImportError as exc:
        raise InputError(f"the evaluate command is not available in this "
                         f"installation ({_one_line(exc)})") from None
    parser = argparse.ArgumentParser(prog="skactivegan evaluate",
                                     description=_EVALUATE_HELP)
    module.add_arguments(parser)
    return module.run(parser.parse_args(argv), out=out)


_EVALUATE_HELP = ("does augmenting help on your data? Repeated stratified CV of a "
                  "classifier alone and with the rows of SMOTE, Borderline-SMOTE, "
                  "ADASYN, SVM-SMOTE (and random over-sampling on imbalanced "
                  "classes), AC-GAN and ActiveGAN, with paired tests, as a report "
                  "with figures")


def _one_line(exc):
    """An exception's message on a single line."""
    return " ".join(str(exc).split()) or type(exc).__name__


# ------------------------------------------------------------------------ main
def build_parser():
    """The argument parser of the ``skactivegan`` console script.

    ``evaluate`` takes its arguments from the evaluation engine when it runs (see
    :func:`run_evaluate`); here it only has a name and a help line.
    """
    parser = argparse.ArgumentParser(
        prog="skactivegan",
        description="ActiveGAN: informative labelled samples for scikit-learn "
                    "classifiers.  With no command, runs the demo (about 10-30 "
                    "seconds on 2 cores).",
    )
    sub = parser.add_subparsers(dest="command", metavar="{demo,augment,evaluate}")
    demo = sub.add_parser(
        "demo", help="SVM alone, and retrained on the rows of SMOTE, "
                     "Borderline-SMOTE, ADASYN, SVM-SMOTE, AC-GAN and ActiveGAN, on "
                     "200 labelled digits (the default; about 10-30 seconds)",
        description="A grid-searched SVM trained on --n-labels digits, then "
                    "retrained on the rows that each method adds, scored by macro-F1 "
                    "on the other digits: imbalanced-learn's SMOTE, Borderline-SMOTE, "
                    "ADASYN and SVM-SMOTE, each asked for the rows that ActiveGAN "
                    "adds to each class (the table notes where one made another "
                    "number), and AC-GAN (uncertainty_weight=0) and ActiveGAN at the "
                    "estimator's defaults (named +F when their rows were filtered).")
    _add_demo_arguments(demo)
    augment = sub.add_parser(
        "augment",
        help="add ActiveGAN rows to a labelled CSV file",
        usage="skactivegan augment data.csv --target COLUMN --output FILE [options]",
        description="Train ActiveGAN on a labelled CSV file and write the real rows, "
                    "unchanged, followed by the generated rows (those that passed the "
                    "margin filter, when one runs), with a column marking the "
                    "generated ones.",
    )
    _add_augment_arguments(augment)
    sub.add_parser("evaluate", help=_EVALUATE_HELP, add_help=False,
                   usage="skactivegan evaluate data.csv --target y [options]  "
                         "(skactivegan evaluate --help lists them)")
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
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command != "evaluate" and rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        if args.command == "demo":
            return run_demo(args)
        if args.command == "evaluate":
            return run_evaluate(rest)
        return run_augment(args)
    except KeyboardInterrupt:
        what = "; no output written" if args.command == "augment" else ""
        print(f"skactivegan {args.command}: interrupted{what}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except (InputError, ValueError, ArithmeticError, OSError) as exc:
        print(f"skactivegan {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR
