"""Section 5 of the paper as a protocol: methods, threshold selection by CV, seeds.

One *setting* is a data set, a feature space and a number of labelled rows; one
*run* is a setting and a seed.  In each run the labelled rows are drawn (stratified)
with the seed, and every method generates rows, adds them to the labelled set,
retrains the grid-searched SVM and is scored by macro F-score on held-out rows.

Each GAN (AC-GAN, λ = 0; ActiveGAN, the library defaults with α = 0.5) is trained once per run with
``filter=None``; the "+F" variants apply :class:`~skactivegan.MarginFilter` at each
candidate threshold to the same generated rows.  The threshold that is reported is
chosen by stratified cross-validation on the labelled rows only (a GAN trained on
each fold's training part); the best threshold *on the test set* is reported too,
separately, only to compare with the paper, which shows its best F-scores.
"""

import hashlib
import sys
import time
from dataclasses import asdict, dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.metrics import confusion_matrix, f1_score
from sklearn.model_selection import StratifiedKFold, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .._augmenter import ActiveGANAugmenter
from .._utils import allocate_per_class
from .._filter import MarginFilter
from .._oracle import fit_default_oracle
from ..datasets import load_dataset
from ..uncertainty import margin

__all__ = [
    "DEFAULT_N_LABELS",
    "ExperimentConfig",
    "ExperimentResult",
    "GAN_METHODS",
    "METHODS",
    "run_experiment",
]

#: The paper's numbers of labelled rows per data set (digits is our smallest stand-in).
DEFAULT_N_LABELS = {
    "digits": (200, 400), "mnist": (500, 1000), "fashion-mnist": (5000, 10000),
}
#: The GANs compared: the parameters that differ from the library defaults.
GAN_METHODS = {
    "AC-GAN": {"uncertainty_weight": 0.0},
    "ActiveGAN": {"alpha": 0.5},  # the library's λ and reward settings
}
#: Method names in table order.
METHODS = ("SVM", "SMOTE", "AC-GAN", "AC-GAN+F", "ActiveGAN", "ActiveGAN+F")
#: Margin thresholds at which the fraction of informative rows is recorded (Figure 3).
INFORMATIVE_GRID = tuple(np.round(np.arange(0.05, 0.501, 0.05), 2))
# Share of the final iterations averaged into the "final" history statistics.
_HISTORY_TAIL = 0.1


@dataclass
class ExperimentConfig:
    """What to run.

    Parameters
    ----------
    dataset : {"digits", "mnist", "fashion-mnist"}, default="digits"
    features : {"pixels", "cnn"}, default="pixels"
        "pixels": raw pixels scaled to [0, 1] (the SVM standardises them again).
        "cnn": :class:`~skactivegan.features.PretrainedCNNFeatures`; the GANs then
        work in the feature space, unless ``gan_params`` has an ``image_shape``: then
        they generate images and every SVM, their oracle included, sees the CNN
        features of the images (the paper's set-up, see :func:`cnn_oracle_mode`).
    n_labels : tuple of int or None, default=None
        Numbers of labelled rows; None uses :data:`DEFAULT_N_LABELS`.
    n_seeds : int, default=5
        Runs per setting, with seeds ``first_seed .. first_seed + n_seeds - 1``.
    thresholds : tuple of float, default=(0.0, 0.1, 0.15, 0.2, 0.25, 0.3)
        Candidate margin thresholds of "+F".  A threshold of 0 adds no row (a
        margin is never negative), so the cross-validation can also decide that the
        generated rows do not help; ties go to the smallest threshold.
    alphas : tuple of float, default=(0.0, 0.3, 0.5, 0.7, 1.0)
        α values of the ablation (Table 3); empty to skip it.
    first_seed : int, default=0
        The first seed, so that a later run can add seeds that an earlier one did
        not use.
    cv_folds : int, default=3
        Folds of the threshold-selection cross-validation.
    gan_params : dict, default={}
        Extra :class:`~skactivegan.ActiveGANAugmenter` parameters for every GAN
        (e.g. fewer iterations for a quick run); empty keeps the library defaults.
    max_test : int or None, default=None
        Cap on the number of test rows (a stratified subsample per seed).
    data_home : str or None, default=None
        Folder of the Fashion-MNIST files.
    cnn_backbone : str, default="efficientnet-lite0"
    cnn_image_size : int, default=64
    device : str, default="auto"
        Torch device of the GANs and the CNN.
    """

    dataset: str = "digits"
    features: str = "pixels"
    n_labels: tuple = None
    n_seeds: int = 5
    first_seed: int = 0
    thresholds: tuple = (0.0, 0.1, 0.15, 0.2, 0.25, 0.3)
    alphas: tuple = (0.0, 0.3, 0.5, 0.7, 1.0)
    cv_folds: int = 3
    gan_params: dict = field(default_factory=dict)
    max_test: int = None
    data_home: str = None
    cnn_backbone: str = "efficientnet-lite0"
    cnn_image_size: int = 64
    device: str = "auto"

    def settings(self):
        """The numbers of labelled rows to run, as a tuple of int."""
        n = self.n_labels
        if n is None:
            n = DEFAULT_N_LABELS[self.dataset]
        return tuple(int(v) for v in n)

    def seeds(self):
        """The seeds of every setting, as a range."""
        return range(self.first_seed, self.first_seed + self.n_seeds)

    def to_dict(self):
        """The configuration as plain data (for the results' README)."""
        out = asdict(self)
        out["n_labels"] = list(self.settings())
        return out


@dataclass
class ExperimentResult:
    """Everything a run of the protocol measured; :func:`write_report` writes it.

    Attributes
    ----------
    config : ExperimentConfig
    runs : list of dict
        One row per (n_labels, seed, method): ``f1``, ``threshold``, ``n_added``,
        ``agreement_added`` (share of added rows whose label the retrained-on-real
        oracle agrees with), ``final_agreement`` and ``final_informative`` (mean
        over the last 10 % of the GAN's ``history_`` records that measured them),
        ``seconds``.
    cv : list of dict
        Cross-validated F-score per (n_labels, seed, method, threshold).
    informative : list of dict
        Fraction of generated rows with margin at most t, per (n_labels, seed, GAN, t).
    ablation : list of dict
        Per (n_labels, seed, alpha): ActiveGAN and ActiveGAN+F F-scores.
    distances : list of dict
        Per (n_labels, seed, source): centroid, mean and std distances (Table 2).
    figures : dict
        Per n_labels: arrays of the first seed for the figures.
    image_shape : tuple or None
        Shape of one image when the GANs work on pixels, else None.
    class_names : ndarray
    augmenter_params : dict
        The :class:`~skactivegan.ActiveGANAugmenter` parameters in force for every
        GAN (library defaults with ``gan_params`` applied), before the per-method
        ``uncertainty_weight``, ``alpha`` and ``filter=None``.
    """

    config: ExperimentConfig
    runs: list = field(default_factory=list)
    cv: list = field(default_factory=list)
    informative: list = field(default_factory=list)
    ablation: list = field(default_factory=list)
    distances: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)
    image_shape: tuple = None
    class_names: np.ndarray = None
    augmenter_params: dict = None


class _Log:
    """Progress lines with elapsed time, to a stream (stderr by default)."""

    def __init__(self, stream):
        self.stream = stream
        self.start = time.perf_counter()

    def __call__(self, message):
        if self.stream is not None:
            elapsed = time.perf_counter() - self.start
            print(f"[{elapsed:7.1f}s] {message}", file=self.stream, flush=True)


# --------------------------------------------------------------------- data
def load_features(config):
    """Load the data set and turn it into the feature space of the experiment.

    Returns
    -------
    X, y : ndarray
        The pool the labelled rows are drawn from.
    X_test, y_test : ndarray or None
        The official test split, when the data set has one.
    data : Bunch
        The raw data set (image shape, class names).
    """
    data = load_dataset(config.dataset, data_home=config.data_home)
    X, X_test = data.data, data.X_test
    if config.features == "pixels" or cnn_oracle_mode(config):
        X = X / data.pixel_max
        X_test = None if X_test is None else X_test / data.pixel_max
    elif config.features == "cnn":
        cnn = _pretrained_cnn(config, data, pixel_max=data.pixel_max).fit(X)
        # No label is used, and the network is not trained: the whole pool can be
        # transformed once.
        X = cnn.transform(X)
        X_test = None if X_test is None else cnn.transform(X_test)
    else:
        raise ValueError(
            f"features must be 'pixels' or 'cnn'; got {config.features!r}.")
    return X, data.target, X_test, data.y_test, data


def cnn_oracle_mode(config):
    """Whether the GANs generate images that an SVM judges by their CNN features.

    That is the paper's set-up: ``features="cnn"`` with image-mode GANs
    (``image_shape`` in ``gan_params``).  The rows stay pixels; every SVM, the GANs'
    oracle included, sees :class:`~skactivegan.features.PretrainedCNNFeatures` of
    them.
    """
    return config.features == "cnn" and "image_shape" in config.gan_params


class CNNEmbedding:
    """Pretrained CNN features of flattened images in [0, 1], for the SVMs.

    The test set is embedded by every method of a run; the features of the last
    few large arrays are kept, so that it is embedded once per run.

    Parameters
    ----------
    cnn : PretrainedCNNFeatures
        Fitted, with ``pixel_max=1``.
    """

    _CACHED = 2
    _MIN_CACHED_ROWS = 1000

    def __init__(self, cnn):
        self.cnn = cnn
        self._cache = {}

    def __call__(self, X):
        """CNN features of the rows of ``X`` (n, H*W)."""
        if len(X) < self._MIN_CACHED_ROWS:
            return self.cnn.transform(X)
        X = np.ascontiguousarray(X)
        key = (X.shape, hashlib.sha1(X.view(np.uint8)).hexdigest())
        if key not in self._cache:
            if len(self._cache) >= self._CACHED:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = self.cnn.transform(X)
        return self._cache[key]

    def oracle(self, seed):
        """A GAN oracle: the library's SVM on this CNN's features of each image."""
        from .._meta import _DefaultSVM

        return make_pipeline(clone(self.cnn), _DefaultSVM(random_state=seed))


def build_embedding(config, data):
    """The :class:`CNNEmbedding` of :func:`cnn_oracle_mode`, else None."""
    if not cnn_oracle_mode(config):
        return None
    cnn = _pretrained_cnn(config, data, pixel_max=1.0)  # the rows are scaled to [0, 1]
    return CNNEmbedding(cnn.fit(np.zeros((1, int(np.prod(data.image_shape))))))


def _pretrained_cnn(config, data, pixel_max):
    """The configured :class:`~skactivegan.features.PretrainedCNNFeatures`, unfitted."""
    from ..features import PretrainedCNNFeatures

    return PretrainedCNNFeatures(
        backbone=config.cnn_backbone, image_shape=data.image_shape, pixel_max=pixel_max,
        image_size=config.cnn_image_size, device=config.device,
    )


def split_run(X, y, X_test, y_test, n_labels, seed, max_test):
    """Draw the labelled rows and the test rows of one run (both stratified)."""
    if n_labels >= len(X):
        raise ValueError(f"n_labels={n_labels} leaves no row out of {len(X)}.")
    X_lab, X_rest, y_lab, y_rest = train_test_split(
        X, y, train_size=n_labels, stratify=y, random_state=seed)
    if X_test is None:
        X_test, y_test = X_rest, y_rest
    if max_test is not None and max_test < len(X_test):
        X_test, _, y_test, _ = train_test_split(
            X_test, y_test, train_size=max_test, stratify=y_test, random_state=seed)
    return X_lab, y_lab, X_test, y_test


# ------------------------------------------------------------------ pieces
def svm_f1(X_train, y_train, X_eval, y_eval, seed, embed=None):
    """Macro F-score of the library's grid-searched SVM, and its predictions.

    With ``embed`` (a :class:`CNNEmbedding`), the SVM works on the CNN features of
    the rows.
    """
    if embed is not None:
        X_train, X_eval = embed(X_train), embed(X_eval)
    svm = fit_default_oracle(X_train, y_train, seed)
    pred = svm.predict(X_eval)
    return f1_score(y_eval, pred, average="macro"), pred


def train_gan(X, y, params, gan_params, seed, device, embed=None):
    """Fit one augmenter without filter; return it and its generated rows.

    With ``embed``, its oracle is the SVM on the CNN features of each image.
    """
    kwargs = {**gan_params, **params, "filter": None, "random_state": seed,
              "device": device}
    if embed is not None:
        kwargs["oracle"] = embed.oracle(seed)
    aug = ActiveGANAugmenter(**kwargs)
    X_res, y_res = aug.fit_resample(X, y)
    return aug, X_res[len(X):], y_res[len(X):]


def filter_rows(aug, X_gen, y_gen, threshold):
    """The generated rows the "+F" margin filter keeps, with the GAN's own oracle."""
    flt = MarginFilter(threshold=threshold, oracle=aug.oracle_)
    return flt.fit_resample(X_gen, y_gen)


def _tail_mean(history, key):
    """Mean of ``key`` over the last 10 % of the records where it was measured."""
    values = [r[key] for r in history if np.isfinite(r.get(key, np.nan))]
    if not values:
        return float("nan")
    return float(np.mean(values[-max(1, int(round(_HISTORY_TAIL * len(values)))):]))


def history_summary(history):
    """Final ``agreement`` and ``informative`` of a GAN's ``history_``.

    Each is the mean over the last 10 % of the iterations that measured it (the
    augmenter may skip the oracle on some iterations, recording NaN); NaN when none
    did.
    """
    return _tail_mean(history, "agreement"), _tail_mean(history, "informative")


def label_agreement(aug, X_gen, y_gen):
    """Share of rows whose label the augmenter's oracle predicts too."""
    if len(X_gen) == 0:
        return float("nan")
    return float(np.mean(aug.oracle_.predict(X_gen) == y_gen))


def smote_rows(X, y, n_new, seed):
    """SMOTE rows: ``n_new`` new rows shared among classes like the GANs share them."""
    from imblearn.over_sampling import SMOTE

    classes, counts = np.unique(y, return_counts=True)
    extra = allocate_per_class(n_new, counts / counts.sum())
    strategy = {c: int(n + e) for c, n, e in zip(classes, counts, extra)}
    smote = SMOTE(sampling_strategy=strategy, k_neighbors=int(min(5, counts.min() - 1)),
                  random_state=seed)
    X_res, y_res = smote.fit_resample(X, y)
    return X_res[len(X):], y_res[len(X):]


def choose_threshold(X, y, params, config, seed, embed=None):
    """Pick the "+F" threshold by stratified CV on the labelled rows only.

    In each fold a GAN is trained on the fold's training part; its rows, filtered at
    each threshold, are added to that part; the SVM retrained on it is scored on the
    fold's held-out part.  Ties go to the smallest threshold.

    Returns
    -------
    threshold : float
    scores : ndarray of shape (n_thresholds,)
        Mean macro F-score over the folds.
    """
    folds = StratifiedKFold(n_splits=config.cv_folds, shuffle=True, random_state=seed)
    scores = np.zeros(len(config.thresholds))
    for train, val in folds.split(X, y):
        aug, X_gen, y_gen = train_gan(X[train], y[train], params, config.gan_params,
                                      seed, config.device, embed)
        for j, t in enumerate(config.thresholds):
            X_keep, y_keep = filter_rows(aug, X_gen, y_gen, t)
            scores[j] += svm_f1(np.concatenate([X[train], X_keep]),
                                np.concatenate([y[train], y_keep]),
                                X[val], y[val], seed, embed)[0]
    scores /= config.cv_folds
    best = min(t for t, s in zip(config.thresholds, scores) if s == scores.max())
    return float(best), scores


def class_distances(X_train, y_train, X_gen, y_gen):
    """Table 2: how far generated rows lie from the training rows of their class.

    Computed in the training rows' standardised space, per class, then averaged over
    classes: the distance between the two centroids, and the mean and the standard
    deviation of the distances of the rows to the *training* centroid.

    Returns
    -------
    dict with keys ``centroid``, ``mean``, ``std``.
    """
    scaler = StandardScaler().fit(X_train)
    A, B = scaler.transform(X_train), scaler.transform(X_gen)
    out = {"centroid": [], "mean": [], "std": []}
    for c in np.unique(y_train):
        rows = B[y_gen == c]
        if len(rows) == 0:
            continue
        center = A[y_train == c].mean(axis=0)
        dist = np.linalg.norm(rows - center, axis=1)
        out["centroid"].append(np.linalg.norm(rows.mean(axis=0) - center))
        out["mean"].append(dist.mean())
        out["std"].append(dist.std())
    return {k: float(np.mean(v)) if v else float("nan") for k, v in out.items()}


# --------------------------------------------------------------------- run
def _row(n_labels, seed, method, f1, **extra):
    row = {"n_labels": n_labels, "seed": seed, "method": method, "f1": float(f1),
           "threshold": float("nan"), "n_added": 0, "agreement_added": float("nan"),
           "final_agreement": float("nan"), "final_informative": float("nan"),
           "seconds": float("nan")}
    row.update(extra)
    return row


def run_one(result, X_pool, y_pool, X_test_all, y_test_all, n_labels, seed, log,
            embed=None):
    """All methods of one (n_labels, seed) run; appends to ``result``.

    ``embed`` (a :class:`CNNEmbedding`) makes every SVM, the GANs' oracles included,
    work on CNN features of the rows, which stay images.
    """
    config = result.config
    tag = f"n_labels={n_labels} seed={seed}"
    X, y, X_test, y_test = split_run(X_pool, y_pool, X_test_all, y_test_all, n_labels,
                                     seed, config.max_test)
    keep_figures = n_labels not in result.figures
    fig = result.figures.setdefault(n_labels, {}) if keep_figures else {}

    start = time.perf_counter()
    f1_svm, pred_svm = svm_f1(X, y, X_test, y_test, seed, embed)
    result.runs.append(_row(n_labels, seed, "SVM", f1_svm,
                            seconds=time.perf_counter() - start))
    log(f"{tag}: SVM F1={100 * f1_svm:.2f}")
    result.distances.append({"n_labels": n_labels, "seed": seed, "source": "training",
                             **class_distances(X, y, X, y)})
    if keep_figures:
        labels = np.unique(y_pool)
        fig["confusion_svm"] = confusion_matrix(y_test, pred_svm, labels=labels)
        fig["train"] = (X, y)

    chosen = {}
    n_generated = None
    for name, params in GAN_METHODS.items():
        start = time.perf_counter()
        aug, X_gen, y_gen = train_gan(X, y, params, config.gan_params, seed,
                                      config.device, embed)
        n_generated = len(X_gen)
        agreement, informative = history_summary(aug.history_)
        f1, _ = svm_f1(np.concatenate([X, X_gen]), np.concatenate([y, y_gen]),
                       X_test, y_test, seed, embed)
        hist = {"final_agreement": agreement, "final_informative": informative}
        result.runs.append(_row(
            n_labels, seed, name, f1, n_added=len(X_gen),
            agreement_added=label_agreement(aug, X_gen, y_gen),
            seconds=time.perf_counter() - start, **hist))
        log(f"{tag}: {name} F1={100 * f1:.2f} (agreement {agreement:.2f}, "
            f"informative {informative:.2f})")

        margins = margin(aug.oracle_.predict_proba(X_gen))
        for t in INFORMATIVE_GRID:
            result.informative.append({"n_labels": n_labels, "seed": seed, "gan": name,
                                       "threshold": float(t),
                                       "fraction": float(np.mean(margins <= t))})
        d = class_distances(X, y, X_gen, y_gen)
        result.distances.append({"n_labels": n_labels, "seed": seed, "source": name,
                                 **d})

        start = time.perf_counter()
        threshold, cv_scores = choose_threshold(X, y, params, config, seed, embed)
        cv_seconds = time.perf_counter() - start
        for t, s in zip(config.thresholds, cv_scores):
            result.cv.append({"n_labels": n_labels, "seed": seed, "method": name + "+F",
                              "threshold": float(t), "cv_f1": float(s)})
        chosen[name] = threshold
        per_threshold = {}
        for t in config.thresholds:
            X_keep, y_keep = filter_rows(aug, X_gen, y_gen, t)
            f1_t, pred_t = svm_f1(np.concatenate([X, X_keep]),
                                  np.concatenate([y, y_keep]), X_test, y_test, seed,
                                  embed)
            per_threshold[t] = (f1_t, pred_t, X_keep, y_keep)
        f1_cv, pred_cv, X_keep, y_keep = per_threshold[threshold]
        result.runs.append(_row(
            n_labels, seed, name + "+F", f1_cv, threshold=threshold,
            n_added=len(X_keep),
            agreement_added=label_agreement(aug, X_keep, y_keep), seconds=cv_seconds,
            **hist))
        best_t = max(config.thresholds, key=lambda t: per_threshold[t][0])
        f1_best, _, X_best, y_best = per_threshold[best_t]
        result.runs.append(_row(
            n_labels, seed, name + "+F (test-best)", f1_best, threshold=best_t,
            n_added=len(X_best), agreement_added=label_agreement(aug, X_best, y_best),
            **hist))
        log(f"{tag}: {name}+F threshold {threshold} (CV) F1={100 * f1_cv:.2f}, "
            f"{len(X_keep)} rows kept; test-best {best_t}: F1={100 * f1_best:.2f}")
        if keep_figures:
            fig[name] = (X_gen, y_gen)
            if name == "ActiveGAN":
                fig["confusion_activegan_f"] = confusion_matrix(
                    y_test, pred_cv, labels=np.unique(y_pool))
                fig["ActiveGAN+F"] = (X_keep, y_keep)
                fig["threshold"] = threshold

    start = time.perf_counter()
    X_smote, y_smote = smote_rows(X, y, n_generated, seed)
    f1, _ = svm_f1(np.concatenate([X, X_smote]), np.concatenate([y, y_smote]),
                   X_test, y_test, seed, embed)
    result.runs.append(_row(n_labels, seed, "SMOTE", f1, n_added=len(X_smote),
                            seconds=time.perf_counter() - start))
    log(f"{tag}: SMOTE F1={100 * f1:.2f}")

    for alpha in config.alphas:
        params = {**GAN_METHODS["ActiveGAN"], "alpha": float(alpha)}
        if alpha == GAN_METHODS["ActiveGAN"]["alpha"]:
            rows = {r["method"]: r for r in result.runs
                    if r["n_labels"] == n_labels and r["seed"] == seed}
            f1_all, f1_f = rows["ActiveGAN"]["f1"], rows["ActiveGAN+F"]["f1"]
            agreement = rows["ActiveGAN"]["final_agreement"]
        else:
            aug, X_gen, y_gen = train_gan(X, y, params, config.gan_params, seed,
                                          config.device, embed)
            agreement = history_summary(aug.history_)[0]
            f1_all, _ = svm_f1(np.concatenate([X, X_gen]), np.concatenate([y, y_gen]),
                               X_test, y_test, seed, embed)
            X_keep, y_keep = filter_rows(aug, X_gen, y_gen, chosen["ActiveGAN"])
            f1_f, _ = svm_f1(np.concatenate([X, X_keep]), np.concatenate([y, y_keep]),
                             X_test, y_test, seed, embed)
        result.ablation.append({
            "n_labels": n_labels, "seed": seed, "alpha": float(alpha),
            "threshold": chosen["ActiveGAN"], "f1_activegan": f1_all,
            "f1_activegan_f": f1_f, "final_agreement": agreement})
        log(f"{tag}: alpha={alpha} ActiveGAN F1={100 * f1_all:.2f}, "
            f"+F F1={100 * f1_f:.2f}")


def run_experiment(config=None, *, stream=sys.stderr):
    """Run the protocol for every setting and seed of ``config``.

    Parameters
    ----------
    config : ExperimentConfig, default=None
        None runs the default: digits, raw pixels, 200 and 400 labels, 5 seeds.
    stream : file-like or None, default=sys.stderr
        Where progress lines go; None is silent.

    Returns
    -------
    result : ExperimentResult

    Examples
    --------
    >>> from skactivegan.experiments import ExperimentConfig, run_experiment
    >>> config = ExperimentConfig(n_labels=(60,), n_seeds=1, cv_folds=2,
    ...                           alphas=(), max_test=200,
    ...                           gan_params={"max_iter": 20, "warmup_iter": 10})
    >>> result = run_experiment(config, stream=None)  # doctest: +SKIP
    """
    config = ExperimentConfig() if config is None else config
    log = _Log(stream)
    log(f"loading {config.dataset} ({config.features} features)")
    X, y, X_test, y_test, data = load_features(config)
    embed = build_embedding(config, data)
    result = ExperimentResult(
        config=config,
        image_shape=(data.image_shape
                     if config.features == "pixels" or embed is not None else None),
        class_names=np.asarray(data.target_names),
        augmenter_params={
            k: v
            for k, v in ActiveGANAugmenter(**config.gan_params).get_params().items()
            if k != "oracle" or v is not None},
    )
    log(f"{config.dataset}: {X.shape[0]} rows x {X.shape[1]} features; settings "
        f"{config.settings()}, {config.n_seeds} seeds")
    for n_labels in config.settings():
        for seed in config.seeds():
            run_one(result, X, y, X_test, y_test, n_labels, seed, log, embed)
    log("done")
    return result
