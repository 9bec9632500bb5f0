"""Section 5 of the paper on its data sets: the engine of :mod:`._protocol`, set up.

One *setting* is a data set, a feature space and a number of labelled rows; one
*run* is a setting and a seed.  In each run the labelled rows are drawn (stratified)
with the seed (:func:`._protocol.labelled_draws`), and every method of
:func:`paper_methods` adds rows, the grid-searched SVM is retrained and scored by
macro F-score on held-out rows: the same engine as
:func:`~skactivegan.experiments.evaluate`, with the paper's splits and methods.

The GANs are the paper's configuration (:func:`paper_augmenter`): ActiveGAN with
α = 0.5 and AC-GAN (λ = 0) are each trained once per run without filter and
generate as many rows as there are labelled rows; the "+F" variants keep those of
its rows whose margin passes :class:`~skactivegan.MarginFilter` (the paper's
"generate n, keep those under the threshold", which is what
``MarginFilter(threshold, top_k=None, candidates_per_row=1, fill_shortfall=False)``
does inside the augmenter).  The threshold that is reported is chosen by stratified
cross-validation on the labelled rows only (a GAN
trained on each fold's training part); the best threshold *on the test set* is
reported too, separately, only to compare with the paper, which shows its best
F-scores.
"""

import hashlib
import sys
from dataclasses import asdict, dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .._augmenter import ActiveGANAugmenter
from .._filter import MarginFilter
from ..datasets import load_dataset
from ..generators import ConvGenerator, MLPGenerator
from ..reward import MixtureReward
from ._methods import (
    Classifier,
    GANAugmentation,
    NoAugmentation,
    SMOTEAugmentation,
    build_augmenter,
)
from ._protocol import ProgressLog, labelled_draws, run_protocol

__all__ = [
    "DEFAULT_N_LABELS",
    "GAN_METHODS",
    "METHODS",
    "ExperimentConfig",
    "ExperimentResult",
    "paper_augmenter",
    "run_experiment",
]

#: The paper's numbers of labelled rows per data set (digits is our smallest stand-in).
DEFAULT_N_LABELS = {
    "digits": (200, 400), "mnist": (500, 1000), "fashion-mnist": (5000, 10000),
}
#: The GANs compared: the parameters that differ from :func:`paper_augmenter`'s.
GAN_METHODS = {
    "AC-GAN": {"uncertainty_weight": 0.0},
    "ActiveGAN": {"alpha": 0.5},
}
#: Method names in table order.
METHODS = ("SVM", "SMOTE", "AC-GAN", "AC-GAN+F", "ActiveGAN", "ActiveGAN+F")
#: Margin thresholds at which the fraction of informative rows is recorded (Figure 3).
INFORMATIVE_GRID = tuple(np.round(np.arange(0.05, 0.501, 0.05), 2))


def paper_augmenter(image_shape=None):
    """The paper's configuration of ActiveGAN, as one expression.

    Algorithm 1 as written: the free generator (multilayer perceptrons, or
    convolutional networks for images of ``image_shape``), λ = 10, the reward of
    Eq. (8) and the log-density of Eq. (9) without normalisation, no mode-seeking
    term, and "+F": as many rows as there are labelled rows, kept when their
    oracle margin is at most 0.2 (the margin alone).  This is what the experiments
    run; the library's defaults differ (docs/efficacy.md says why).

    Parameters
    ----------
    image_shape : tuple of int or None, default=None
        ``(C, H, W)`` of image rows: a :class:`~skactivegan.generators.ConvGenerator`;
        None: an :class:`~skactivegan.generators.MLPGenerator`.

    Returns
    -------
    augmenter : ActiveGANAugmenter
        Unfitted.

    Examples
    --------
    >>> from skactivegan.experiments import paper_augmenter
    >>> paper_augmenter().uncertainty_weight
    10
    """
    as_written = dict(diversity_weight=0, reward=MixtureReward(
        reward_normalization="none", log_density_normalization="none"))
    generator = (MLPGenerator(**as_written) if image_shape is None
                 else ConvGenerator(image_shape, **as_written))
    return ActiveGANAugmenter(
        generator=generator, uncertainty_weight=10, n_samples=1.0,
        filter=MarginFilter(0.2, top_k=None, candidates_per_row=1,
                            fill_shortfall=False))


@dataclass
class ExperimentConfig:
    """What to run.

    Parameters
    ----------
    dataset : {"digits", "mnist", "fashion-mnist"}, default="digits"
    features : {"pixels", "cnn"}, default="pixels"
        "pixels": raw pixels scaled to [0, 1] (the SVM standardises them again).
        "cnn": :class:`~skactivegan.features.PretrainedCNNFeatures`; the GANs then
        work in the feature space, unless ``image_shape`` is set: then they generate
        images and every SVM, their oracle included, sees the CNN features of the
        images (the paper's set-up, see :func:`cnn_oracle_mode`).
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
        :class:`~skactivegan.ActiveGANAugmenter` parameters for every GAN, nested
        ones included (``generator__width``), over :func:`paper_augmenter`'s (e.g.
        fewer iterations for a quick run).
    image_shape : tuple of int or None, default=None
        ``(C, H, W)``: the GANs are convolutional and generate images (image mode);
        None: multilayer perceptrons on the rows.
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
    image_shape: tuple = None
    max_test: int = None
    data_home: str = None
    cnn_backbone: str = "efficientnet-lite0"
    cnn_image_size: int = 64
    device: str = "auto"

    def paper_gan_params(self):
        """The GANs' parameters: ``gan_params`` over :func:`paper_augmenter`'s."""
        paper = paper_augmenter(self.image_shape)
        return {"generator": paper.generator,
                "uncertainty_weight": paper.uncertainty_weight, **self.gan_params}

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
        ``agreement_added`` (share of added rows whose label the GAN's oracle
        agrees with), ``final_agreement`` and ``final_informative`` (mean over the
        last 10 % of the GAN's ``history_`` records that measured them), the
        times, and the engine's other columns (:func:`._protocol.run_protocol`).
        The α ablation's methods are rows too ("ActiveGAN α=0.3", ...).
    cv : list of dict
        Cross-validated F-score per (n_labels, seed, method, threshold).
    informative : list of dict
        Fraction of generated rows with margin at most t, per (n_labels, seed, GAN, t).
    ablation : list of dict
        Per (n_labels, seed, alpha): ActiveGAN and ActiveGAN+F F-scores.
    distances : list of dict
        Per (n_labels, seed, source): centroid, mean and std distances (Table 2).
    figures : dict
        Per n_labels: the first seed's arrays for the figures (see
        :class:`~skactivegan.experiments._protocol.ProtocolResult`).
    image_shape : tuple or None
        Shape of one image when the GANs work on pixels, else None.
    class_names : ndarray
    augmenter_params : dict
        The :class:`~skactivegan.ActiveGANAugmenter` parameters in force for every
        GAN (library defaults with ``gan_params`` applied), before the per-method
        ``uncertainty_weight``, ``alpha`` and ``filter=None``.
    classes : ndarray
        The labels, sorted (the order of the confusion matrices).
    seconds : float
        Wall time of the protocol.
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
    classes: np.ndarray = None
    seconds: float = float("nan")


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
    (``config.image_shape``).  The rows stay pixels; every SVM, the GANs'
    oracle included, sees :class:`~skactivegan.features.PretrainedCNNFeatures` of
    them.
    """
    return config.features == "cnn" and config.image_shape is not None


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
        # The one import of the private default SVM (its public name is coming).
        from ..oracle._default_svm import DefaultSVC

        return make_pipeline(clone(self.cnn), DefaultSVC(random_state=seed))


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


# ------------------------------------------------------------------ pieces
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


def _alpha_name(method, alpha):
    return f"{method} α={alpha:g}"


def paper_methods(config):
    """The methods of Table 1 (and Table 3's α ablation) in table order.

    AC-GAN and ActiveGAN are each trained once per run; their "+F" variants filter
    the same rows (``filtering="after"``), at the threshold chosen by
    ``config.cv_folds``-fold CV among ``config.thresholds``.  The ablation's +F uses
    the threshold chosen for ActiveGAN+F; at α = 0.5 it reuses ActiveGAN's training.
    """
    # Rows per labelled row of every GAN and of SMOTE: 1 (the paper), unless
    # ``--gan-param n_samples=...`` says otherwise.
    n_samples = float(config.gan_params.get("n_samples", 1.0))

    top_k = paper_augmenter().filter.top_k

    def gan(name, params, **kwargs):
        return GANAugmentation(
            name, params=tuple(sorted(params.items())),
            thresholds=tuple(config.thresholds), cv_folds=config.cv_folds,
            n_samples=n_samples, top_k=top_k, **kwargs)

    methods = [NoAugmentation("SVM"), SMOTEAugmentation("SMOTE", n_samples=n_samples)]
    for name, params in GAN_METHODS.items():
        methods += [gan(name, params, filtering=None),
                    gan(name + "+F", params, filtering="after", test_best=True)]
    for alpha in config.alphas:
        params = {**GAN_METHODS["ActiveGAN"], "alpha": float(alpha)}
        methods += [gan(_alpha_name("ActiveGAN", alpha), params, filtering=None),
                    gan(_alpha_name("ActiveGAN+F", alpha), params, filtering="after",
                        threshold_of="ActiveGAN+F")]
    return methods


def _distances(split, ctx, result):
    """Table 2's rows of one run (the engine's ``on_split`` hook)."""
    rows = [("training", ctx.X, ctx.y)] + [
        (g["gan"], g["X_gen"], g["y_gen"]) for g in ctx.gan_records
        if g["gan"] in GAN_METHODS]
    result.distances += [
        {"n_labels": split.group, "seed": split.seed, "source": source,
         **class_distances(ctx.X, ctx.y, X_gen, y_gen)}
        for source, X_gen, y_gen in rows]


def _ablation_rows(runs, alphas):
    """Table 3's records from the ablation methods' runs."""
    by = {(r["n_labels"], r["seed"], r["method"]): r for r in runs}
    out = []
    for (n, seed, method), r in by.items():
        for alpha in alphas:
            if method != _alpha_name("ActiveGAN", alpha):
                continue
            f = by[n, seed, _alpha_name("ActiveGAN+F", alpha)]
            out.append({"n_labels": n, "seed": seed, "alpha": float(alpha),
                        "threshold": f["threshold"], "f1_activegan": r["f1"],
                        "f1_activegan_f": f["f1"],
                        "final_agreement": r["final_agreement"]})
    return out


def _informative_rows(gans):
    """Figure 3's records: share of each GAN's generated rows with margin ≤ t."""
    return [{"n_labels": g["group"], "seed": g["seed"], "gan": g["gan"],
             "threshold": float(t), "fraction": float(np.mean(g["margins"] <= t))}
            for g in gans if g["gan"] in GAN_METHODS and len(g["margins"])
            for t in INFORMATIVE_GRID]

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
    log = ProgressLog(stream)
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
            for k, v in
            build_augmenter(config.paper_gan_params()).get_params().items()
            if k != "oracle" or v is not None},
    )
    log(f"{config.dataset}: {X.shape[0]} rows x {X.shape[1]} features; settings "
        f"{config.settings()}, {config.n_seeds} seeds")
    pool = np.arange(len(X))
    test = None
    if X_test is not None:
        test = np.arange(len(X), len(X) + len(X_test))
        X, y = np.concatenate([X, X_test]), np.concatenate([y, y_test])
    splits = []
    for n_labels in config.settings():
        splits += labelled_draws(y, n_labels, config.seeds(), pool=pool, test=test,
                                 max_test=config.max_test, group=n_labels,
                                 start=len(splits))
    gan_params = {**config.paper_gan_params(), "device": config.device}
    engine = run_protocol(X, y, splits, paper_methods(config),
                          classifier=Classifier(embed=embed), gan_params=gan_params,
                          log=log, on_split=lambda *a: _distances(*a[:2], result))
    for r in engine.runs:
        r["n_labels"] = r["group"]
    result.runs = engine.runs
    result.cv = [{"n_labels": r["group"], **r} for r in engine.cv]
    result.informative = _informative_rows(engine.gans)
    result.ablation = _ablation_rows(engine.runs, config.alphas)
    result.figures = engine.figures
    result.classes = np.unique(y)
    result.seconds = engine.seconds
    log("done")
    return result
