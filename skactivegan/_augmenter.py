"""ActiveGANAugmenter: the estimator that wires the oracle, a generator and the filter.

The parts live in their own packages: a generator's settings and networks in
:mod:`skactivegan.generators`, the reward estimators in :mod:`skactivegan.reward`,
Algorithm 1 and everything ``fit`` learns in :mod:`skactivegan.training`, the oracle
in :mod:`skactivegan.oracle`, encoding and validation in :mod:`skactivegan.tables`,
the ranked generation in :mod:`._generation` and the "+F" rule in :mod:`._filter`.
This module only validates the parameters and wires the parts together.
"""

import copy
import inspect
import sys
import warnings
from collections import OrderedDict
from numbers import Integral, Real

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_sampling_strategy, check_target_type
from sklearn import get_config
from sklearn.base import clone
from sklearn.utils.metadata_routing import (
    MetadataRouter,
    MethodMapping,
    process_routing,
)
from sklearn.utils.validation import check_is_fitted

from ._compat import HasMethods, Interval, StrOptions, fit_context, validate_params
from ._filter import MarginFilter, label_in_top_k
from ._generation import budget_message, concat_rows, generate_ranked
from ._migration import check_moved
from ._parts import PartsMixin
from ._utils import (
    allocate_per_class,
    draw_seeds,
    resolve_device,
    torch_threads,
    user_stacklevel,
)
from .exceptions import GenerationBudgetWarning
from .generators import ComposingGenerator, MLPGenerator
from .generators._base import GeneratorSettings
from .generators._generate import generate_rows
from .oracle._oracle import build_network_oracle
from .tables._validation import (
    check_classes,
    check_label_types,
    template_fit_resample,
    unchanged_on_failure,
    validate_table,
)
from .training import TrainingConfig
from .training._callbacks import ProgressPrinter
from .training._fitting import cached_training, informative_history, resolve_warmup_iter
from .uncertainty import margin

__all__ = ["ActiveGANAugmenter"]

#: What the shorthands of ``generator`` stand for.
GENERATORS = {"auto": ComposingGenerator, "compose": ComposingGenerator,
              "mlp": MLPGenerator}
#: The margin below which ``history_`` calls a row informative, without a threshold.
_PAPER_THRESHOLD = 0.2
#: How MarginFilter chooses rows, for a filter of your own that does not say.
_MARGIN_DEFAULTS = MarginFilter()

#: What the usual scikit-learn guesses get instead of a bare AttributeError.
_NO_TRANSFORM = (
    "ActiveGANAugmenter adds rows, so it has no {name}: a scikit-learn transformer "
    "must keep the number of rows. Use one of: aug.fit_resample(X, y), which returns "
    "the augmented (X, y); imblearn.pipeline.make_pipeline(..., ActiveGANAugmenter(), "
    "classifier), whose pipeline runs samplers while it is fitted; or "
    "skactivegan.AugmentedClassifier(augmenter=..., classifier=...), a classifier "
    "that augments in fit and works inside scikit-learn's own Pipeline."
)


class ActiveGANAugmenter(PartsMixin, BaseOverSampler):
    """Generate informative labelled rows with ActiveGAN: an over-sampler.

    An auxiliary-classifier GAN learns the labelled rows; an oracle classifier
    trained on the same rows scores each generated row by its uncertainty (small
    margin, high entropy: the reward of Eq. (8)), and the reward steers the
    generator towards the oracle's decision boundary.  On tables the default
    generator composes real rows (a point between a real row and a same-class
    neighbour, as SMOTE makes them) and the reward steers where on the segment;
    the paper's free generator is ``generator="mlp"``.

    :meth:`fit_resample` returns the real rows, unchanged, followed by the generated
    ones; in imbalanced-learn's ``Pipeline`` it runs only while the pipeline is
    fitted.  How many rows are added follows imbalanced-learn's
    ``sampling_strategy`` (balance the classes: the default) or, with
    ``n_samples``, the paper's few-labels mode.  The number of rows asked for is
    the number that comes back.

    On imbalanced tables its rows are level with SMOTE's; class weights or a
    decision threshold tuned for the metric do as well or better at a fraction of
    the cost, and :class:`AugmentedClassifier` combines the three (measured in
    docs/imbalanced.md).

    Parameters
    ----------
    oracle : classifier with ``predict_proba``, default=None
        The classifier whose uncertainty is rewarded, cloned and fitted on the real
        rows in the caller's own format (a pipeline with its own encoder works).
        None is an RBF SVM with C and gamma chosen by stratified grid search and
        Platt scaling, on the encoded rows; above 5,000 rows a class-balanced
        ``HistGradientBoostingClassifier``.  The oracle is evaluated in torch when
        it can be (``oracle_backend_``).
    alpha : float, default=0.5
        α of Eq. (8): the weight of the margin term ``exp(1 - u_m)`` against the
        entropy term ``exp(u_le)``, in [0, 1].
    uncertainty_weight : float, default=1.0
        λ of Eq. (10): the weight of the reward in the generator's objective; 0
        trains a plain AC-GAN.
    filter : MarginFilter, "auto", "margin" or None, default="auto"
        The "+F" step on the generated rows, with this augmenter's oracle.  "auto"
        is the generator's own default: none for the composing generator, "margin"
        for the free ones.  "margin" is ``MarginFilter(threshold=1.0)``: no
        absolute threshold, the oracle must agree with the row's label, and the
        most uncertain of several candidates are kept.  ``filter__threshold`` is a
        grid key at the defaults (it puts that filter in place).  Any estimator with
        ``keep_mask(proba, y_index) -> bool mask`` can be a filter.
    sampling_strategy : float, str, dict or callable, default="auto"
        Rows to add per class, with imbalanced-learn's meaning ("auto",
        "minority", "not minority", "not majority", "all", a float for two classes,
        a dict ``{label: rows after}``, a callable).
    n_samples : int, float or None, default=None
        The few-labels mode: add this many rows in all (a float is a fraction of the
        real rows), split among the classes like their frequencies.  None uses
        ``sampling_strategy``; setting both is an error.
    categorical_features : "auto", array-like or None, default="auto"
        Which columns are categorical, as in imbalanced-learn's ``SMOTENC``:
        "auto" takes columns of dtype object, string, category or bool; or
        indices, names or a boolean mask; None means none.
    generator : {"auto", "compose", "mlp"} or generator object, default="auto"
        How rows are made: a :class:`~skactivegan.generators.ComposingGenerator`
        ("compose", and "auto"), a :class:`~skactivegan.generators.MLPGenerator`
        ("mlp": the paper's free generator) or a
        :class:`~skactivegan.generators.ConvGenerator` (images), with its own
        settings; ``generator__k_neighbors`` and the like are grid keys.
    max_iter : int or "auto", default="auto"
        Generator updates, warm-up included; "auto" is the generator's own (120
        for the composing generator, 2000 for the free ones).
    warmup_iter : float or int, default=0.5
        m of Algorithm 1: plain AC-GAN iterations before the reward is switched on;
        a float in [0, 1) is a fraction of ``max_iter``, an int a count.
    memory : str, joblib.Memory or None, default=None
        Cache of the trained encoder, oracle and networks (a folder, or a
        ``joblib.Memory``), keyed by everything that affects training, so that
        tuning the filter or the counts trains once per fold.  Needs an integer
        ``random_state``; only completed runs are cached.
    callbacks : list of callable, default=None
        Each is called as ``callback(record)`` after every iteration with that
        iteration's record (the keys of ``history_``; values are 0-d tensors on
        the training device until read); training stops when one returns True.
    device : str or torch.device, default="auto"
        Where to train: "auto" is CUDA when available, else the CPU.
    n_jobs : int or None, default=None
        Torch, OpenMP and BLAS threads during ``fit`` and generation: None is 1
        (fastest for these small networks on a busy machine), -1 every core.  The
        caller's settings are restored afterwards.
    random_state : int, RandomState instance or None, default=None
        Seeds the oracle's folds, the networks, the noise and the batches; an int
        gives identical output on the same machine (CPU).
    verbose : int, default=0
        1 or more prints a progress line about every 5 % of training.

    Attributes
    ----------
    oracle_ : classifier
        The oracle fitted on the real rows; its ``predict_proba`` takes rows in the
        caller's format.
    oracle_backend_ : {"torch", "predict_proba"}
        How the oracle was evaluated during training and filtering.
    filter_ : MarginFilter or None
        The filter applied to generated rows.
    sampling_strategy_ : dict
        Rows to add per class label.
    encoder_ : transformer
        Maps the caller's rows to the networks' space and back.
    generator_ : torch.nn.Module
        The trained generator G(z, y), in evaluation mode.
    discriminator_ : torch.nn.Module
        The trained discriminator (trunk h, real/fake head s, class head c).
    density_ : GaussianMixture or None
        The last mixture Θ of Eq. (9), when it was used.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    class_prior_ : ndarray of shape (n_classes,)
        Class frequencies of the real rows.
    history_ : list of dict
        One record per iteration: ``iteration``, ``phase`` ("warmup" or "active"),
        ``loss_d``, ``loss_g``, ``uncertainty`` (L_U), ``reward``, ``margin`` (batch
        means), ``informative`` (fraction with margin at most the filter's threshold,
        or 0.2), ``agreement`` (fraction the oracle labels as their own class); NaN
        where an iteration does not compute a value.
    n_candidates_ : int
        Candidates generated by the last :meth:`fit_resample` or :meth:`sample`.
    generation_report_ : GenerationReport
        Per class: rows asked for, kept, candidates, how many passed the filter and
        the margins of the kept rows, for the last call.
    device_ : torch.device
        Where the networks are (the CPU after unpickling on a machine without CUDA).
    n_iter_ : int
        Iterations run.
    stop_reason_ : str or None
        Why training stopped early (divergence, a callback), or None.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` had string column names.

    See Also
    --------
    MarginFilter : the "+F" step on its own.
    AugmentedClassifier : a classifier that augments in ``fit``.
    imblearn.over_sampling.SMOTE : the interpolating over-sampler.

    Notes
    -----
    Kong, Q., Tong, B., Klinkigt, M., Watanabe, Y., Akira, N., Murakami, T. "Active
    Generative Adversarial Network for Image Classification", AAAI 2019
    (arXiv:1906.07133).  The paper's configuration (free generator, λ = 10, the
    reward and the log-density as written, no mode-seeking term, generate n and
    keep those whose margin is at most 0.2) is::

        ActiveGANAugmenter(
            generator=MLPGenerator(diversity_weight=0, reward=MixtureReward(
                reward_normalization="none", log_density_normalization="none")),
            uncertainty_weight=10, n_samples=1.0,
            filter=MarginFilter(0.2, top_k=None, candidates_per_row=1,
                                fill_shortfall=False))

    docs/efficacy.md reports why the defaults differ from it.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from skactivegan import ActiveGANAugmenter
    >>> X, y = make_classification(n_samples=120, weights=[0.8], random_state=0)
    >>> X_res, y_res = ActiveGANAugmenter(random_state=0).fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 97), (1, 97)]

    The few-labels mode adds rows to every class:

    >>> aug = ActiveGANAugmenter(n_samples=0.5, random_state=0)
    >>> len(aug.fit_resample(X, y)[0])
    180
    """

    _parameter_constraints = {
        **BaseOverSampler._parameter_constraints,
        "oracle": [HasMethods(["fit", "predict_proba"]), None],
        "alpha": [Interval(Real, 0.0, 1.0, closed="both")],
        "uncertainty_weight": [Interval(Real, 0.0, None, closed="left")],
        "filter": [HasMethods(["keep_mask", "get_params"]),
                   StrOptions({"auto", "margin"}), None],
        "n_samples": [Interval(Integral, 0, None, closed="left"),
                      Interval(Real, 0.0, None, closed="left"), None],
        "categorical_features": ["array-like", StrOptions({"auto"}), None],
        "generator": [StrOptions(set(GENERATORS)), HasMethods(["get_params"])],
        "max_iter": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "warmup_iter": [Interval(Integral, 0, None, closed="left"),
                        Interval(Real, 0.0, 1.0, closed="left")],
        "memory": [str, HasMethods(["cache"]), None],
        "callbacks": [list, None],
        "device": [str, torch.device],
        "n_jobs": [Interval(Integral, None, -1, closed="right"),
                   Interval(Integral, 1, None, closed="left"), None],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }
    _parts = {"generator": "_generator_part", "filter": "_filter_part"}

    def __new__(cls, *args, **kwargs):
        # A parameter of before 1.0 gets a message that says where it went.
        check_moved(cls.__name__, kwargs)
        return super().__new__(cls)

    def __init__(self, *, oracle=None, alpha=0.5, uncertainty_weight=1.0,
                 filter="auto", sampling_strategy="auto", n_samples=None,
                 categorical_features="auto", generator="auto", max_iter="auto",
                 warmup_iter=0.5, memory=None, callbacks=None, device="auto",
                 n_jobs=None, random_state=None, verbose=0):
        super().__init__(sampling_strategy=sampling_strategy)
        self.oracle = oracle
        self.alpha = alpha
        self.uncertainty_weight = uncertainty_weight
        self.filter = filter
        self.n_samples = n_samples
        self.categorical_features = categorical_features
        self.generator = generator
        self.max_iter = max_iter
        self.warmup_iter = warmup_iter
        self.memory = memory
        self.callbacks = callbacks
        self.device = device
        self.n_jobs = n_jobs
        self.random_state = random_state
        self.verbose = verbose

    # ----------------------------------------------------------- conventions
    def __getattr__(self, name):
        # Only reached for attributes that do not exist.  The usual scikit-learn
        # guesses get a message that names the right ways; hasattr stays False, so
        # imbalanced-learn's Pipeline still sees a sampler without a transform.
        if name in ("transform", "fit_transform"):
            message = _NO_TRANSFORM.format(name=name)
            caller = sys._getframe(1)
            if (caller.f_globals.get("__name__") == "sklearn.pipeline"
                    and caller.f_code.co_name == "_validate_steps"):
                raise TypeError(message)  # scikit-learn's Pipeline checks its steps
            raise AttributeError(message)
        raise AttributeError(
            f"'{type(self).__name__}' object has no attribute '{name}'")

    def set_params(self, **params):
        """Set parameters; ``generator__*`` and ``filter__*`` keys also work at the
        shorthand defaults (the object the shorthand stands for is put in place).

        Parameters
        ----------
        **params : dict
            Parameter names, nested ones with ``__``, and their values.

        Returns
        -------
        self : ActiveGANAugmenter
        """
        check_moved(type(self).__name__, params)
        return super().set_params(**params)

    @staticmethod
    def _generator_part(value):
        return GENERATORS[value]() if isinstance(value, str) else None

    @staticmethod
    def _filter_part(value):
        return MarginFilter(threshold=1.0) if isinstance(value, str) else None

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        tags.input_tags.categorical = True
        tags.input_tags.string = True
        tags.non_deterministic = self.random_state is None
        return tags

    def __sklearn_is_fitted__(self):
        return hasattr(self, "generator_")

    def get_metadata_routing(self):
        """How ``fit`` and ``fit_resample`` route metadata: to the oracle's ``fit``.

        Returns
        -------
        routing : MetadataRouter
        """
        router = MetadataRouter(owner=type(self).__name__)
        if self.oracle is not None:
            router.add(oracle=self.oracle, method_mapping=MethodMapping()
                       .add(caller="fit", callee="fit")
                       .add(caller="fit_resample", callee="fit"))
        return router

    # ------------------------------------------------------------ validation
    def _check_X_y(self, X, y, accept_sparse=None):
        check_label_types(y)
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X, y = validate_table(self, X, y)
        check_classes(y)
        return X, y, binarize_y

    def _resolve_generator(self, device):
        """A clone of the generator's settings object, checked."""
        generator = self._generator_part(self.generator) or clone(self.generator)
        if not isinstance(generator, GeneratorSettings):
            raise TypeError(
                "generator must be 'auto', 'compose', 'mlp' or an object of "
                "skactivegan.generators (ComposingGenerator, MLPGenerator, "
                f"ConvGenerator); got {self.generator!r}."
            )
        generator._check(self.n_features_in_, device)
        return generator

    def _resolve_filter(self, generator):
        """The filter to apply (a clone), or None."""
        flt = generator.default_filter if self.filter == "auto" else self.filter
        if flt is None or isinstance(flt, str):
            return self._filter_part(flt)
        if getattr(flt, "oracle", None) is not None:
            raise ValueError(
                "The filter given to ActiveGANAugmenter scores rows with the "
                "augmenter's oracle; set `oracle` on the augmenter, not on the filter."
            )
        flt = clone(flt)
        validate_params(flt)
        return flt

    def _check_params(self):
        """Check what the constraints cannot."""
        for i, callback in enumerate(self.callbacks or ()):
            if not callable(callback):
                raise TypeError(
                    f"callbacks[{i}] is {callback!r} ({type(callback).__name__}), "
                    "which is not callable; callbacks must be a list of functions "
                    "called as callback(record) after every iteration."
                )
        if self.n_samples is not None and not (
                isinstance(self.sampling_strategy, str)
                and self.sampling_strategy == "auto"):
            raise ValueError(
                "n_samples (the few-labels mode: add rows to every class) and "
                f"sampling_strategy={self.sampling_strategy!r} (over-sampling) both "
                "say how many rows to add; set only one of them."
            )

    def _rows_to_add(self, y):
        """``sampling_strategy_``: rows to add per label."""
        if self.n_samples is None:
            return check_sampling_strategy(self.sampling_strategy, y,
                                           self._sampling_type)
        classes, counts = np.unique(y, return_counts=True)
        total = (int(self.n_samples) if isinstance(self.n_samples, Integral)
                 else int(round(self.n_samples * len(y))))
        split = allocate_per_class(total, counts / counts.sum())
        return OrderedDict((label, int(n)) for label, n in zip(classes, split))

    def _training_config(self, generator):
        max_iter = (generator.default_max_iter if self.max_iter == "auto"
                    else int(self.max_iter))
        return TrainingConfig(
            alpha=float(self.alpha), uncertainty_weight=float(self.uncertainty_weight),
            max_iter=max_iter, warmup_iter=resolve_warmup_iter(self.warmup_iter,
                                                               max_iter),
            **generator._training_settings(),
        )

    def _oracle_params(self, method, params):
        """The fit parameters of the oracle among ``params`` (metadata routing)."""
        if not params:
            return {}
        if self.oracle is not None and get_config()["enable_metadata_routing"]:
            return process_routing(self, method, **params).oracle.fit
        return params

    # ------------------------------------------------------------------- fit
    @fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y, **params):
        """Fit the oracle on ``(X, y)`` and train the GAN with Algorithm 1.

        A call that fails or is interrupted leaves the estimator as it was.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Real labelled rows: numbers, or a DataFrame mixing float, integer,
            boolean and categorical columns; no missing values.
        y : array-like of shape (n_samples,)
            Class labels of any hashable type; at least 2 classes with at least 2
            rows each.
        **params : dict
            Fit parameters of the oracle (``sample_weight``, say), routed with
            scikit-learn's metadata routing when it is enabled.

        Returns
        -------
        self : ActiveGANAugmenter
        """
        with unchanged_on_failure(self):
            X, y, _ = self._check_X_y(X, y)
            self._fit(X, y, self._oracle_params("fit", params))
        return self

    def _fit(self, X, y, oracle_params):
        """Train on validated ``(X, y)`` and set the fitted attributes."""
        self._check_params()
        device = resolve_device(self.device)
        generator = self._resolve_generator(device)
        config = self._training_config(generator)
        filter_ = self._resolve_filter(generator)
        validate_params(self.oracle)
        classes, _, counts = check_classes(y)
        rows_to_add = self._rows_to_add(y)
        seeds = draw_seeds(self.random_state, 5)
        callbacks = list(self.callbacks or [])
        if self.verbose:
            callbacks.insert(0, ProgressPrinter(config.max_iter))
        with torch_threads(self.n_jobs):
            result = cached_training(
                self.memory, X=X, y=y, oracle=self.oracle, config=config,
                generator=generator, categorical_features=self.categorical_features,
                seeds=seeds[:4], device=str(device), callbacks=callbacks,
                label_weights=np.array([rows_to_add.get(c, 0) for c in classes],
                                       dtype=np.float64),
                oracle_params=oracle_params,
            )
        threshold = getattr(filter_, "threshold", 1.0)
        self.sampling_strategy_ = rows_to_add
        self.classes_ = classes
        self.class_prior_ = counts / counts.sum()
        self.filter_ = filter_
        self.device_ = device
        self.encoder_ = result.encoder
        self.oracle_ = result.oracle
        self.oracle_backend_ = result.network_oracle.backend
        self.generator_ = result.generator
        self.discriminator_ = result.discriminator
        self.density_ = result.density
        self.history_ = informative_history(
            result.history, result.margins,
            threshold if threshold < 1.0 else _PAPER_THRESHOLD)
        self.n_iter_ = len(self.history_)
        self.stop_reason_ = result.stop_reason
        self._network_oracle = result.network_oracle
        self._encoded_oracle = result.encoded_oracle
        self._probe = result.probe
        self._latent_dim = config.latent_dim
        self._sample_seed = seeds[4]

    # ---------------------------------------------------------------- sample
    def _candidates(self, y_index, seed):
        """Unfiltered rows for the class indices ``y_index``, in the caller's format."""
        return generate_rows(self.generator_, self.encoder_, y_index, seed,
                             self._latent_dim)

    def _judge(self, rows, y_index):
        """The filter's verdict on candidate rows: keep mask, margins, agreement."""
        proba = self._oracle_for_rows().rows_proba(rows)
        keep = self.filter_.keep_mask(proba, y_index)
        return keep, margin(proba), label_in_top_k(proba, y_index, 1)

    def _oracle_for_rows(self):
        """The oracle as the filter asks it (rebuilt after unpickling)."""
        if getattr(self, "_network_oracle", None) is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._network_oracle = build_network_oracle(
                    self.oracle_, self.encoder_, self._probe, self.classes_,
                    self.device_, encoded_oracle=self._encoded_oracle,
                )
        return self._network_oracle

    def _generate(self, counts, seed):
        """``counts[k]`` rows of class k, filtered and ranked; returns rows, labels."""
        flt = self.filter_
        with torch_threads(self.n_jobs):
            rows, y_index, report = generate_ranked(
                counts, self._candidates, None if flt is None else self._judge,
                candidates_per_row=getattr(flt, "candidates_per_row",
                                           _MARGIN_DEFAULTS.candidates_per_row),
                fill=getattr(flt, "fill_shortfall", _MARGIN_DEFAULTS.fill_shortfall),
                seed=seed,
            )
        if rows is None:
            rows = self.encoder_.inverse_transform(
                np.empty((0, self.encoder_.n_encoded_), dtype=np.float32))
        self.generation_report_ = report
        self.n_candidates_ = int(report.candidates.sum())
        if report.short:
            warnings.warn(budget_message(report, self.classes_, repr(flt)),
                          GenerationBudgetWarning, stacklevel=user_stacklevel())
        return rows, self.classes_[y_index]

    def sample(self, n_samples, *, y=None, random_state=None):
        """Generate ``n_samples`` labelled rows after ``fit``.

        The rows are chosen as in :meth:`fit_resample` (through the filter, if any).
        Without ``y`` they are split among the classes like ``sampling_strategy_``
        (like the class frequencies when that adds nothing).

        Parameters
        ----------
        n_samples : int
            Number of rows to return.
        y : label, default=None
            A class label: all ``n_samples`` rows are of that class.
        random_state : int, RandomState instance or None, default=None
            Seed of the noise.  None uses a seed drawn at ``fit``, so repeated calls
            return the same rows; pass another seed for other rows.

        Returns
        -------
        X_gen : ndarray or DataFrame of shape (n_samples, n_features_in_)
            In the format of the training rows (a DataFrame with the same columns
            and dtypes when fitted on one).
        y_gen : ndarray of shape (n_samples,)
            Labels, with the values of the training labels.
        """
        check_is_fitted(self)
        if not isinstance(n_samples, Integral) or isinstance(n_samples, bool) or (
                n_samples < 0):
            raise ValueError(
                f"n_samples must be a non-negative int; got {n_samples!r}.")
        seed = self._sample_seed if random_state is None else draw_seeds(random_state)
        if y is not None:
            weights = (self.classes_ == y).astype(np.float64)
            if not weights.any():
                raise ValueError(
                    f"y={y!r} is not a class seen in fit; the classes are "
                    f"{self.classes_.tolist()}."
                )
        else:
            weights = np.array([self.sampling_strategy_.get(c, 0)
                                for c in self.classes_], dtype=np.float64)
            if weights.sum() == 0:
                weights = self.class_prior_
        counts = allocate_per_class(int(n_samples), weights / weights.sum())
        return self._generate(counts, seed)

    def fit_resample(self, X, y, **params):
        """Fit, then return the real rows followed by the generated rows.

        imbalanced-learn's template: ``X`` and ``y`` are checked, and ``**params``
        reach the oracle's ``fit`` (in imbalanced-learn's ``Pipeline`` too, with
        metadata routing).  A call that fails leaves the estimator as it was.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Labels, or their one-hot encoding.
        **params : dict
            Fit parameters of the oracle (``sample_weight``, say).

        Returns
        -------
        X_resampled : ndarray or DataFrame of shape (n_samples + n_added, n_features)
            The real rows first, unchanged and in order, then
            ``sum(sampling_strategy_.values())`` generated rows (fewer only with
            ``MarginFilter(fill_shortfall=False)``).  A DataFrame with the same
            columns and dtypes when ``X`` is one.
        y_resampled : ndarray or Series of shape (n_samples + n_added,)
            One-hot when ``y`` is.
        """
        return template_fit_resample(self, super().fit_resample, X, y, **params)

    def _fit_resample(self, X, y, **params):
        self._fit(X, y, self._oracle_params("fit_resample", params))
        counts = np.array([self.sampling_strategy_.get(c, 0) for c in self.classes_])
        X_gen, y_gen = self._generate(counts, self._sample_seed)
        return concat_rows([X, X_gen]), np.concatenate(
            [y, y_gen.astype(y.dtype, copy=False)])

    # ---------------------------------------------------------- persistence
    def __getstate__(self):
        """Pickle with every tensor on the CPU, so that the model loads anywhere."""
        state = super().__getstate__()
        state.pop("_network_oracle", None)  # rebuilt on demand (it holds tensors)
        for name in ("generator_", "discriminator_"):
            module = state.get(name)
            if module is not None and any(
                    p.device.type != "cpu" for p in module.parameters()):
                state[name] = copy.deepcopy(module).cpu()
        return state

    def __setstate__(self, state):
        """Unpickle; ``device_`` says where the networks now are (the CPU)."""
        super().__setstate__(state)
        generator = state.get("generator_")
        if generator is not None:
            self.device_ = next(generator.parameters()).device


# ``__new__`` takes any keywords (to name the new place of a parameter of before 1.0);
# the signature that inspect, numpydoc and IDEs show is that of ``__init__``.
_INIT_SIGNATURE = inspect.signature(ActiveGANAugmenter.__init__)
ActiveGANAugmenter.__signature__ = _INIT_SIGNATURE.replace(
    parameters=list(_INIT_SIGNATURE.parameters.values())[1:])
