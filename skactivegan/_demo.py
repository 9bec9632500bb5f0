"""The ``skactivegan demo``: the library at work on 200 labelled digits, in a minute.

The set-up is the paper's few-labels setting on scikit-learn's embedded digits
(no download): a grid-searched SVM is trained on a few labelled rows, and the same
SVM is retrained on each augmented training set and scored by macro-F1 on the
held-out digits.  The augmenters: ActiveGAN and AC-GAN (``uncertainty_weight=0``)
at the estimator's defaults, and imbalanced-learn's SMOTE, Borderline-SMOTE, ADASYN
and SVM-SMOTE, each asked for the rows that ActiveGAN adds to each class.  A GAN's
name ends in "+F" only when its rows passed a margin filter.  Progress goes to
standard error, the table of results to standard output, and a figure (generated
rows next to real ones, and the oracle margins of the added rows) to a PNG file.

Random over-sampling is left out here: with every class over-sampled alike, copies
of real rows only re-weight them (``skactivegan evaluate`` runs it on imbalanced
classes, as ``ROS-OS``).  So are the two other remedies for rare classes, class
weights and a decision threshold tuned for the metric: they are for imbalanced
classes, and these ten are balanced (``class_weight="balanced"`` would weigh them
alike, and the grid-searched SVM weights its classes already), while scikit-learn
tunes the threshold of binary problems only.  ``skactivegan evaluate`` runs both,
and the library's ``AugmentedClassifier``, on imbalanced tables.
"""


import os
import sys
import time
import warnings
from dataclasses import dataclass, field

import numpy as np

__all__ = ["DemoSettings", "demo_figure", "run_demo"]

#: The demo's last note: why the remedies for imbalanced classes are not in it.
REMEDIES_NOTE = (
    "(Class weights and a tuned decision threshold, the other remedies for rare "
    "classes, are not run here: these ten classes are balanced, so "
    "class_weight=\"balanced\" would weigh them alike, and scikit-learn tunes the "
    "threshold of binary problems only. `skactivegan evaluate` runs them, and the "
    "library's AugmentedClassifier, on imbalanced tables.)"
)

#: imbalanced-learn's over-samplers in the table, in its order (see
#: :mod:`._baselines`).
COMPARED_OVERSAMPLERS = ("SMOTE", "Borderline-SMOTE", "ADASYN", "SVM-SMOTE")


@dataclass
class DemoSettings:
    """What the demo runs; the defaults are those of ``skactivegan demo``.

    Parameters
    ----------
    n_labels : int
        Labelled digits to train on (stratified); the rest are the test set.
    n_samples : int or float
        Rows each method adds: a count, or a fraction of ``n_labels``.
    max_iter : int or None
        GAN iterations; None keeps the estimator's default.
    warmup_iter : int, float or None
        Warm-up iterations (int) or fraction of ``max_iter`` (float); None keeps
        the estimator's default.
    figure : str or None
        PNG file to write; None writes none.
    """

    n_labels: int = 200
    n_samples: object = 1.0
    max_iter: object = None
    warmup_iter: object = None
    random_state: int = 0
    device: object = None
    n_jobs: object = None
    figure: object = "skactivegan-demo.png"
    quiet: bool = False
    gan_params: dict = field(default_factory=dict)


@dataclass
class MethodResult:
    """One row of the demo's table."""

    name: str
    X_added: np.ndarray
    y_added: np.ndarray
    f1: float
    margins: object = None  # oracle margins of the added rows (GAN methods)
    seconds: float = 0.0
    note: str = ""


def _gan(settings, oracle, uncertainty_weight, verbose):
    from ._augmenter import ActiveGANAugmenter

    params = {"oracle": oracle, "n_samples": settings.n_samples,
              "random_state": settings.random_state, "verbose": verbose}
    if uncertainty_weight is not None:  # None: ActiveGAN+F at the estimator's default
        params["uncertainty_weight"] = uncertainty_weight
    for name in ("max_iter", "warmup_iter", "device", "n_jobs"):
        if getattr(settings, name) is not None:  # else the estimator's default
            params[name] = getattr(settings, name)
    return ActiveGANAugmenter(**params, **settings.gan_params)


def _fit_gan(augmenter, X, y):
    """``fit_resample``, with a budget warning turned into a note for the table."""
    from .exceptions import GenerationBudgetWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", GenerationBudgetWarning)
        X_res, y_res = augmenter.fit_resample(X, y)
    note = ""
    for w in caught:
        if issubclass(w.category, GenerationBudgetWarning):
            note = "generation budget ran out: fewer rows than asked"
        else:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return X_res[len(X):], y_res[len(X):], note


def _gan_name(base, augmenter):
    """``base``, with "+F" when the fitted augmenter filtered its rows."""
    return base + ("+F" if augmenter.filter_ is not None else "")


def _what_ran(augmenter):
    """How the fitted augmenter made its rows, in a few words."""
    from .generators._composer import RowComposer

    how = ("rows composed from real ones (generator='compose')"
           if isinstance(augmenter.generator_, RowComposer)
           else "the free generator (generator='mlp')")
    kept = ("every generated row kept (no filter)" if augmenter.filter_ is None
            else "the rows that passed the margin filter")
    return f"{how}, {kept}"


class _Progress:
    """The demo's progress lines on standard error; none when quiet."""

    def __init__(self, err, quiet):
        self.err = err
        self.quiet = quiet

    def say(self, message):
        """Print one line, unless quiet."""
        if not self.quiet:
            print(message, file=self.err, flush=True)

    def step(self, number, message):
        """Announce step ``number`` of 5; return when it started."""
        self.say(f"[{number}/5] {message}")
        return time.perf_counter()

    def done(self, since):
        """Say how long the step started at ``since`` took."""
        self.say(f"      done in {time.perf_counter() - since:.1f}s")


def _split_digits(settings, progress):
    """The digits, split into ``n_labels`` labelled rows and the test rows."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    n_classes = len(np.unique(y))
    if not 2 * n_classes <= settings.n_labels <= len(y) - n_classes:
        raise ValueError(
            f"n_labels (--n-labels) must be between {2 * n_classes} (2 labelled "
            f"digits of each of the {n_classes} classes: the SVM's grid search "
            f"cross-validates) and {len(y) - n_classes} (the rest is the test set); "
            f"got {settings.n_labels}."
        )
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, train_size=settings.n_labels, stratify=y,
        random_state=settings.random_state,
    )
    progress.say(f"skactivegan demo: {len(X_train)} labelled digits ({X.shape[1]} "
                 f"pixels), {len(X_test)} held out for the test; `skactivegan "
                 "--help` lists the commands")
    return X_train, X_test, y_train, y_test


def _train_gans(settings, oracle, X_train, y_train, progress):
    """Steps 2 and 3: AC-GAN and ActiveGAN trained, with their rows and times."""
    gans = []
    for number, base, weight in ((2, "AC-GAN", 0.0), (3, "ActiveGAN", None)):
        augmenter = _gan(settings, oracle, weight, 0 if settings.quiet else 1)
        what = ("uncertainty_weight=0: the adversarial losses alone, no reward"
                if weight == 0.0
                else f"uncertainty_weight={augmenter.uncertainty_weight}")
        t = progress.step(number, f"training {base} ({what}; "
                                  f"max_iter={augmenter.max_iter!r})")
        X_gen, y_gen, note = _fit_gan(augmenter, X_train, y_train)
        seconds = time.perf_counter() - t
        progress.say(f"      done in {seconds:.1f}s, {augmenter.n_iter_} iterations: "
                     f"{_what_ran(augmenter)}")
        gans.append((_gan_name(base, augmenter), augmenter, X_gen, y_gen, note,
                     seconds))
    return gans


def _oversample_as_asked(asked, settings, X_train, y_train, progress):
    """Step 4: each over-sampler's rows for the counts asked, note and time."""
    from ._baselines import oversample

    t = progress.step(4, f"imbalanced-learn's {', '.join(COMPARED_OVERSAMPLERS)}: "
                         f"asking each for the {sum(asked.values())} rows, class by "
                         "class, that ActiveGAN was asked for")
    added = []
    for name in COMPARED_OVERSAMPLERS:
        start = time.perf_counter()
        made = oversample(name, X_train, y_train, asked, seed=settings.random_state)
        added.append((name, made.X, made.y, None, made.note(),
                      time.perf_counter() - start))
    progress.done(t)
    return added


def _retrain(classifier, train, score, added, gans, progress):
    """Step 5: the classifier retrained on each augmented set, as table rows."""
    from sklearn.base import clone

    from .uncertainty import margin

    X_train, y_train = train
    t = progress.step(5, "retraining the same SVM (same C and gamma) on each "
                         "augmented set")
    added = list(added)
    for name, augmenter, X_gen, y_gen, note, seconds in gans:
        margins = margin(augmenter.oracle_.predict_proba(X_gen)) if len(X_gen) else (
            np.empty(0))
        added.append((name, X_gen, y_gen, margins, note, seconds))
    results = []
    for name, X_add, y_add, margins, note, seconds in added:
        model = clone(classifier).fit(np.vstack([X_train, X_add]),
                                      np.concatenate([y_train, y_add]))
        results.append(MethodResult(name, X_add, y_add, score(model), margins,
                                    seconds, note))
    progress.done(t)
    return results


def _print_figure(settings, X_train, y_train, results, augmenter, out):
    """Write the demo's figure, and say where (or why there is none)."""
    threshold = _threshold(augmenter)
    path = demo_figure(settings.figure, X_train, y_train, results, threshold)
    if path is None:
        print("no figure: matplotlib is not installed (pip install matplotlib)",
              file=out)
    else:
        print(f"figure written to {path}: generated rows next to real ones (PCA "
              "and images), and the oracle margins of the added rows", file=out)


def run_demo(settings=None, *, out=None, err=None):
    """Run the demo and print its table; return the results, one per method.

    Parameters
    ----------
    settings : DemoSettings, default=None
        None runs the defaults.
    out, err : file, default=None
        Where the table (standard output) and the progress lines (standard error)
        go.

    Returns
    -------
    results : list of MethodResult
        "SVM alone", "SMOTE", "Borderline-SMOTE", "ADASYN", "SVM-SMOTE", then
        "AC-GAN" and "ActiveGAN" ("+F" appended when their rows were filtered),
        in this order.
    """
    from sklearn.base import clone
    from sklearn.metrics import f1_score

    from .oracle._oracle import fit_default_oracle

    settings = DemoSettings() if settings is None else settings
    out = sys.stdout if out is None else out
    progress = _Progress(sys.stderr if err is None else err, settings.quiet)

    started = time.perf_counter()
    X_train, X_test, y_train, y_test = _split_digits(settings, progress)

    t = progress.step(1, "fitting the oracle: an RBF SVM, C and gamma grid-searched "
                         f"on the {len(X_train)} labelled rows, then Platt-scaled")
    svm = fit_default_oracle(X_train, y_train, settings.random_state)
    progress.done(t)

    def score(model):
        return f1_score(y_test, model.predict(X_test), average="macro")

    # The classifier compared: the tuned SVM itself (C and gamma from the search),
    # without the oracle's probability calibration, which prediction does not need.
    classifier = clone(getattr(svm, "estimator", svm))
    baseline = clone(classifier).fit(X_train, y_train)
    results = [MethodResult("SVM alone", X_train[:0], y_train[:0], score(baseline))]

    gans = _train_gans(settings, svm, X_train, y_train, progress)
    # The classic over-samplers are asked for the rows that ActiveGAN was asked for,
    # class by class; the ones that decide their own counts say so in a note.
    added = _oversample_as_asked(gans[-1][1].sampling_strategy_, settings, X_train,
                                 y_train, progress)
    results += _retrain(classifier, (X_train, y_train), score, added, gans, progress)

    _print_table(results, len(X_test), out)
    if settings.figure:
        _print_figure(settings, X_train, y_train, results, gans[-1][1], out)
    progress.say(f"total: {time.perf_counter() - started:.1f}s")
    return results


def _threshold(augmenter):
    """The margin threshold of the augmenter's filter (None when it has none)."""
    flt = getattr(augmenter, "filter_", None)
    return getattr(flt, "threshold", None)


def _print_table(results, n_test, out):
    import textwrap

    base = results[0].f1
    width = max(13, *(len(r.name) + 2 for r in results))
    print(f"\nmacro-F1 on {n_test} held-out digits; the same SVM trained on the "
          "labelled rows plus each method's rows:", file=out)
    print(f"  {'method':<{width}}{'rows added':>11}{'macro-F1':>10}{'change':>9}"
          f"{'time':>8}", file=out)
    for r in results:
        change = "" if r is results[0] else f"{100 * (r.f1 - base):+.2f}"
        seconds = "" if r is results[0] else f"{r.seconds:.1f}s"
        print(f"  {r.name:<{width}}{len(r.X_added):>11}{r.f1:>10.4f}{change:>9}"
              f"{seconds:>8}".rstrip(), file=out)
        if r.note:
            print(textwrap.fill(f"({r.note})", width=88, initial_indent=" " * 4,
                                subsequent_indent=" " * 5), file=out)
    print("(change in macro-F1 points. One split and one seed: differences of about "
          "a point are within the noise here; `skactivegan evaluate` runs repeated "
          "cross-validation with paired tests on your own data.)", file=out)
    print(textwrap.fill(REMEDIES_NOTE, width=88), file=out)


# ------------------------------------------------------------------- figure
def _mosaic(rows, shape=(8, 8), pad=1):
    """Images laid out in a grid, as one array for ``imshow``.

    Parameters
    ----------
    rows : list of list of ndarray of shape (h * w,) or None
        One list a mosaic row; None leaves a blank cell.

    Returns
    -------
    mosaic : ndarray of shape (n_rows * (h + pad) - pad, n_cols * (w + pad) - pad)
        NaN in the padding and in blank cells.
    """
    h, w = shape
    n_cols = max(len(r) for r in rows)
    mosaic = np.full((len(rows) * (h + pad) - pad, n_cols * (w + pad) - pad), np.nan)
    for i, row in enumerate(rows):
        for j, image in enumerate(row):
            if image is not None:
                top, left = i * (h + pad), j * (w + pad)
                mosaic[top:top + h, left:left + w] = np.reshape(image, shape)
    return mosaic


def _projection_panel(ax, pca, real_2d, y_real, result, colours):
    """The real rows and one GAN's added rows in the real rows' first two PCs."""
    ax.scatter(*real_2d.T, c=[colours[c] for c in y_real], s=12, alpha=0.35,
               linewidths=0, label="real (labelled)")
    if len(result.X_added):
        gen_2d = pca.transform(result.X_added)
        ax.scatter(*gen_2d.T, c=[colours[c] for c in result.y_added], s=22,
                   marker="x", linewidths=1.0, label="generated, added")
    ax.set_title(f"{result.name}: {len(result.X_added)} rows added")
    ax.set_xlabel("PC 1 of the real rows")
    ax.set_ylabel("PC 2")
    ax.legend(loc="best", fontsize="small", title="colour = class",
              title_fontsize="small")


def _margins_panel(ax, gans, threshold):
    """A histogram of the oracle margins of each GAN's added rows."""
    highest = [float(r.margins.max()) for r in gans if len(r.margins)]
    if threshold is not None and threshold < 1.0:
        highest.append(threshold)
    bins = np.linspace(0.0, max(highest + [1e-3]), 21)
    for r in gans:
        if len(r.margins):
            ax.hist(r.margins, bins=bins, histtype="step", linewidth=1.8,
                    label=r.name)
    if threshold is not None and threshold < 1.0:  # 1: no absolute threshold
        ax.axvline(threshold, color="k", linestyle="--",
                   label=f"filter threshold {threshold:g}")
    ax.set_title("Oracle margin of the added rows")
    ax.set_xlabel("margin p(1st) - p(2nd)\n(small = near the boundary)")
    ax.set_ylabel("rows")
    ax.legend(loc="best", fontsize="small")


def _digits_panel(ax, X_real, y_real, gans):
    """One real and one generated digit of each class, a line per source."""
    classes = np.unique(y_real)
    lines, names = [], []
    for name, X_rows, y_rows in [("real", X_real, y_real)] + [
            (r.name, r.X_added, r.y_added) for r in gans]:
        lines.append([X_rows[np.flatnonzero(y_rows == c)[0]]
                      if np.any(y_rows == c) else None for c in classes])
        names.append(name)
    ax.imshow(_mosaic(lines), cmap="gray_r", vmin=0.0, vmax=16.0,
              interpolation="nearest")
    ax.set_yticks([i * 9 + 3.5 for i in range(len(names))], names)
    ax.set_xticks([j * 9 + 3.5 for j in range(len(classes))],
                  [str(c) for c in classes])
    ax.set_title("One digit of each class: real, and generated by each GAN "
                 "(8 x 8 pixels)")
    ax.tick_params(length=0)


def demo_figure(path, X_real, y_real, results, threshold=None):
    """Write the demo's figure; return its absolute path (None without matplotlib).

    Top: the real labelled rows and each GAN's added rows in the first two
    principal components of the real rows, and a histogram of the oracle margins of
    the added rows.  Bottom: one real and one generated digit of each class.

    matplotlib's global state (backend, pyplot's figures) is left alone: the figure
    is drawn on its own Agg canvas.

    Parameters
    ----------
    path : str
        The PNG file.
    X_real : ndarray of shape (n, 64)
    y_real : ndarray of shape (n,)
    results : list of MethodResult
        The GAN methods among them (those with ``margins``) are drawn.
    threshold : float, default=None
        The filter's margin threshold, marked on the histogram.
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        return None
    from sklearn.decomposition import PCA

    gans = [r for r in results if r.margins is not None]
    pca = PCA(n_components=2, random_state=0).fit(X_real)
    real_2d = pca.transform(X_real)
    colours = {c: f"C{i % 10}" for i, c in enumerate(np.unique(y_real))}

    fig = Figure(figsize=(4.2 * (len(gans) + 1), 7.6), layout="constrained")
    FigureCanvasAgg(fig)
    grid = fig.add_gridspec(2, len(gans) + 1, height_ratios=(1.25, 1.0))
    for k, r in enumerate(gans):
        _projection_panel(fig.add_subplot(grid[0, k]), pca, real_2d, y_real, r,
                          colours)
    _margins_panel(fig.add_subplot(grid[0, len(gans)]), gans, threshold)
    _digits_panel(fig.add_subplot(grid[1, :]), X_real, y_real, gans)

    path = os.path.abspath(os.fspath(path))
    fig.savefig(path, dpi=100)
    return path
