"""ActiveGANAugmenter: the estimator that wires encoder, oracle, networks and filter.

The parts live in their own modules: :mod:`._fitting` learns everything ``fit``
learns (encoder, oracle, networks, through the trainer of :mod:`._training`),
:mod:`._generation` generates filtered rows in rounds, :mod:`._filter` holds the
"+F" rule.  This module only validates parameters and wires them together.
"""

import copy
import sys
import warnings
from collections import OrderedDict
from numbers import Integral, Real

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_sampling_strategy, check_target_type
from sklearn.base import _fit_context, clone
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._filter import MarginFilter, label_in_top_k
from ._generation import budget_message, concat_rows, generate_ranked
from ._utils import allocate_per_class, draw_seeds, resolve_device, torch_threads
from .exceptions import GenerationBudgetWarning
from .generators._composer import COMPOSER_CHOICES, compose_values
from .generators._networks import check_image_shape as check_conv_image_shape
from .oracle._oracle import build_network_oracle
from .tables._validation import (
    check_classes,
    check_image_shape,
    check_label_types,
    fit_resample_checked,
    unchanged_on_failure,
    validate_table,
)
from .training._callbacks import ProgressPrinter
from .training._fitting import cached_training, informative_history, resolve_warmup_iter
from .training._trainer import (
    LOG_DENSITY_NORMALIZATIONS,
    REWARD_GRADIENTS,
    REWARD_NORMALIZATIONS,
    REWARD_TARGETS,
    TrainingConfig,
)
from .uncertainty import margin

__all__ = ["ActiveGANAugmenter"]

_GENERATION_BATCH = 4096
#: ``max_iter="auto"`` for each generator (see the parameter's documentation).
MAX_ITER = {"compose": 120, "mlp": 2000}
#: The margin below which ``history_`` calls a row informative, without a threshold.
_PAPER_THRESHOLD = 0.2

#: What the usual scikit-learn guesses get instead of a bare AttributeError.
_NO_TRANSFORM = (
    "ActiveGANAugmenter adds rows, so it has no {name}: a scikit-learn transformer "
    "must keep the number of rows. Use one of: aug.fit_resample(X, y), which returns "
    "the augmented (X, y); imblearn.pipeline.make_pipeline(..., ActiveGANAugmenter(), "
    "classifier), whose pipeline runs samplers while it is fitted; or "
    "skactivegan.AugmentedClassifier(augmenter=..., classifier=...), a classifier "
    "that augments in fit and works inside scikit-learn's own Pipeline."
)


class ActiveGANAugmenter(BaseOverSampler):
    """Generate informative labelled rows with ActiveGAN: an over-sampler.

    An auxiliary-classifier GAN learns the labelled data; an oracle classifier
    already trained on the same data scores each generated row by its uncertainty
    (small margin, high entropy, Eq. (8)), and that reward steers the generator
    towards the oracle's decision boundary.  On tables the generator composes real
    rows (``generator="compose"``: a point between a real row and a same-class
    neighbour, plus a small residual, as SMOTE makes rows), and the reward is a
    policy gradient on where it puts that point (``reward_gradient="policy"``).
    The paper's free generator (``generator="mlp"``, the default for images) is
    steered by the reward weighted by a Gaussian-mixture density of the
    discriminator's features (Eq. (9)-(10)), and its rows are kept only when their
    margin is small (``filter``, the paper's "+F"), generated in rounds until as
    many rows as were asked for have passed.

    This is an over-sampler in the imbalanced-learn sense: :meth:`fit_resample`
    returns the real rows, unchanged, followed by the generated ones; in an
    ``imblearn.pipeline.Pipeline`` it runs only while the pipeline is fitted.  How
    many rows are generated follows imbalanced-learn's ``sampling_strategy`` (balance
    the classes; the default) or, with ``n_samples``, the paper's few-labels mode
    (add rows to every class in proportion to its frequency).  It has no
    ``transform``, because a scikit-learn transformer must keep the number of rows.

    Parameters
    ----------
    oracle : classifier with ``predict_proba``, default=None
        The classifier whose uncertainty is rewarded (Algorithm 1, line 3), cloned
        and fitted on the real rows in the caller's own format (a DataFrame stays a
        DataFrame, so a pipeline with its own encoder works).  None is an RBF SVM with
        C and gamma chosen by stratified grid search and Platt scaling, fitted on the
        encoded rows (numbers standardised, categories one-hot) and evaluated in torch
        on the training device; on a table of more than 5,000 rows, whose grid search
        is quadratic in the rows, it is a class-balanced
        ``HistGradientBoostingClassifier`` instead (docs/performance.md measures
        both).  On a numeric table these oracles of yours are evaluated in torch too,
        exactly (checked against ``predict_proba``): a sigmoid-calibrated ``SVC``,
        ``LogisticRegression``, decision trees, random forests and extra trees,
        ``HistGradientBoostingClassifier``, a Euclidean ``KNeighborsClassifier``
        (alone, after ``StandardScaler`` steps, or in a ``FrozenEstimator``), and any
        classifier with a ``torch_predict_proba(X)`` method (a differentiable torch
        function of a float tensor of rows in your units); any other oracle is
        called through ``predict_proba`` on each generated batch.
        ``oracle_backend_`` says which path was taken.
    alpha : float, default=0.5
        α of Eq. (8): weight of the margin term ``exp(1 - u_m)`` against the entropy
        term ``exp(u_le)``, in ``[0, 1]``.
    uncertainty_weight : float, default=1.0
        λ of Eq. (10): weight of the uncertainty term L_U in the generator's
        objective.  0 trains a plain AC-GAN.  The paper uses 10 with
        ``reward_normalization="none"`` and ``log_density_normalization="none"``;
        with the default normalisations L_U is on a different scale and 1 works
        better (see the efficacy notes in the documentation).
    filter : MarginFilter, "auto", "margin" or None, default="auto"
        The "+F" step, applied to the generated rows only, with this augmenter's
        oracle.  "auto" is None with the composing generator (every composed row
        is kept, as SMOTE keeps its rows: measured, the filter's label check and
        ranking cost that generator accuracy and time, see the imbalanced-data
        notes in the documentation) and "margin" with the free generator.
        "margin" means ``MarginFilter(threshold=1.0, top_k=1)``: no
        absolute threshold, the oracle must agree with the row's label, and the
        ranking by margin (``candidates_per_row``) picks the most uncertain rows;
        ``filter__threshold`` and ``filter__top_k`` are grid-search keys at the
        defaults (setting one puts that MarginFilter in place).  Any estimator
        (``get_params``, so that it clones) with a method
        ``keep_mask(proba, y_index) -> bool mask`` over the oracle's probabilities
        (n, K) and the rows' class indices (n,) can be a filter.  A threshold such as
        the paper's 0.2 is absolute: on data that the oracle separates well, no
        generated row may reach it (the count is then filled, with a warning; see
        ``fill_shortfall``).  None keeps the first generated rows.  The paper's
        filter is ``MarginFilter(threshold, top_k=None)`` with
        ``candidates_per_row=1`` and ``fill_shortfall=False``.
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows to add to each class, with imbalanced-learn's meaning: "auto"
        (= "not majority": bring every class up to the majority's count),
        "minority", "not minority", "not majority", "all", a float (binary
        problems: the minority/majority ratio after resampling), a dict
        ``{label: n_rows_after}``, or a callable ``y -> dict``.  Ignored when
        ``n_samples`` is set.
    n_samples : int, float or None, default=None
        The paper's few-labels mode: add this many rows in all (a float is a
        fraction of the number of real rows), split among the classes in
        proportion to their frequencies.  None uses ``sampling_strategy``.  Setting
        both ``n_samples`` and a ``sampling_strategy`` other than "auto" is an
        error.  On balanced data "auto" adds (almost) nothing: use ``n_samples``.
    candidates_per_row : float, default=10
        How selective the filter is: for each class, this many candidates are
        generated per row asked for, and the rows returned are the candidates that
        pass the filter with the smallest oracle margins (the most uncertain rows
        on their own class's side of the boundary).  When fewer pass (a threshold
        the generator's rows do not reach), further rounds are generated, then the
        count is filled with the best of the rest (``fill_shortfall``), with a
        ``GenerationBudgetWarning`` that says how many passed, the smallest margins
        seen and what to change.  1 with ``filter=MarginFilter(threshold)`` and
        ``fill_shortfall=False`` is the paper's behaviour: generate the rows asked
        for and keep those that pass.
    fill_shortfall : bool, default=True
        When fewer candidates of a class pass the filter than rows were asked for,
        even after the further rounds, fill the count with the best of the rest (the
        candidates the oracle labels as their own class first, each group by
        smallest margin), with a ``GenerationBudgetWarning`` that says how many
        passed.  So ``sampling_strategy`` and ``n_samples`` counts are exact at any
        ``max_iter``.  False returns only the rows that passed (the paper's "+F").
    categorical_features : "auto", array-like or None, default="auto"
        Which columns are categorical, with imbalanced-learn ``SMOTENC``'s meaning:
        "auto" takes the columns of dtype object, string, category or bool; or
        indices, column names or a boolean mask; None means none.  Categorical
        columns are one-hot encoded inside and generated as categories seen in
        ``fit``; integer columns come back integral and within the observed range.
    warmup_iter : float or int, default=0.5
        m: plain AC-GAN iterations before the uncertainty term is switched on.  A
        float in ``[0, 1)`` is a fraction of ``max_iter``; an int is a count, at
        most ``max_iter``.
    max_iter : int or "auto", default="auto"
        Total generator updates, warm-up included.  "auto" is 120 for the
        composing generator, which starts as SMOTE and has only its policy and a
        bounded residual to learn (200 scored the same on the imbalanced
        benchmark's tuning tables, within the spread of two draws, in 1.7 times
        the time), and 2000 for the free generator, which learns the data from
        scratch (the paper's setting).  ``n_iter_`` is what ran.
    generator : {"auto", "compose", "mlp"}, default="auto"
        How rows are made.  "compose" composes real rows: for a row of class y it
        chooses an anchor a (a real row of class y), a neighbour b (one of a's
        ``k_neighbors`` nearest rows of class y, by SMOTENC's distance), a position
        t in (0, 1) and a small residual r, and returns ``a + t (b - a) + r``;
        categorical columns are taken from a (t < 0.5) or b, integers come back
        integral and in range, and a column in which a and b agree keeps their
        value exactly (no residual there).  Its choices are a policy (a network's
        distributions) that the reward steers (``reward_gradient="policy"``); at
        the start every choice is uniform and r is zero, which is SMOTE.  "mlp" is
        the paper's free generator G(z, y) (convolutional with ``image_shape``, or
        the generator of ``networks``).  "auto" is "compose" for tables, and the
        free generator with ``image_shape`` or ``networks``.
    k_neighbors : int, default=5
        Same-class nearest neighbours the composing generator chooses from (SMOTE's
        ``k_neighbors``).  A class of one row gets copies of the row.
    residual_scale : float, default=0.1
        Bound of the composing generator's residual r, in standard deviations of
        each numeric column (r is ``residual_scale * tanh(.)``), and zero in the
        columns where the anchor and the neighbour agree; 0 keeps the rows on the
        segments between real rows.
    policy_choices : tuple of str, default=("position",)
        Which of the composing generator's choices are learned and steered by the
        reward: any of "anchor", "neighbour", "position"; the others stay uniform,
        as in SMOTE.
    n_components : int, default=10
        K_gmm, the number of components of the Gaussian mixture Θ of Eq. (9).
    covariance_type : {"diag", "full"}, default="diag"
        Covariance of the mixture components.
    buffer_batches : int, default=10
        M: the mixture is re-estimated on the discriminator features of the last M
        generated batches.
    em_iter : int, default=1
        EM iterations per training iteration, warm-started from the previous Θ.
    discriminator_every : int, default=1
        k: the discriminator is updated once every k generator updates.
    batch_size : int, default=64
        Size of the real and the generated batch of each iteration.
    latent_dim : int, default=32
        Size of the noise vector z.
    hidden_layer_sizes : tuple of int, default=(128, 128)
        Widths of the hidden layers of the generator and of the discriminator's
        trunk; the last one is the dimension of the features h(x).  With
        ``image_shape``, the first value is the channel width ``c`` of the
        convolutional networks and h(x) has ``4c`` dimensions (32 is a good width
        on a CPU for 28x28 images; 128 costs about sixteen times as much).
    image_shape : tuple of int, default=None
        ``(C, H, W)`` (or ``(H, W)`` for one channel) when each row of X is a
        flattened image, channel first (H and W multiples of 4): the generator and
        discriminator are then convolutional (DCGAN-style), h(x) is the output of the
        discriminator's conv trunk, and the data are standardised per channel rather
        than per pixel.  None uses MLPs.
    networks : callable, default=None
        Your own networks: ``networks(n_features, n_classes, latent_dim)`` returns
        ``(generator, discriminator)``, two ``torch.nn.Module``.  The generator maps
        noise ``z`` (n, latent_dim) and int64 labels ``y`` (n,) to rows
        (n, n_features) in the encoded space (numbers standardised, per channel
        with ``image_shape``; categories one-hot); the discriminator maps rows to
        ``(s, c, h)``: real/fake logits (n,), class logits (n, n_classes) and the
        trunk features h (n, d) that the mixture of Eq. (9) is fitted on.  Use a
        module-level function so that the estimator pickles.  None builds the MLP
        (or, with ``image_shape``, convolutional) networks.
    learning_rate : float, default=2e-4
        Adam learning rate of both networks (β1 = 0.5, β2 = 0.999).
    policy_learning_rate : float or None, default=3e-3
        Adam learning rate of the composing generator's policy heads (the
        distributions of its ``policy_choices``), which only the reward trains;
        None is ``learning_rate``.  At ``learning_rate`` the policy barely moves
        in the active iterations of a short run; on the tuning tables of the
        imbalanced-data benchmark (5 tables x 6 seeds), 3e-3 was the best of
        2e-4, 3e-3 and 1e-2 in each of the four columns measured, by 0.2 to 1.4
        points, less than the 2.6 points by which two 3-seed halves of the same
        comparison disagreed.  Not used by the free generator.
    policy_entropy_weight : float, default=0.0
        Weight β of the entropy of the composing generator's policy, added to the
        reward's term: the rewarded loss is ``-λ (L_U + β H(π))`` (not in the
        paper).  The reward is standardised per batch, so the policy always moves;
        without the bonus its position policy piles its mass at the segments' ends
        and the rows become near-copies of real ones.  The uniform position
        (SMOTE's) has the largest entropy, so β pulls the policy back toward it.
        Measured on the tuning tables of the imbalanced-data benchmark at 0.1, 0.5
        and 2: the position stayed near the uniform, but gradient boosting's
        macro-F1 fell by 1.7 to 2.3 points and no column gained beyond noise, so
        the default is 0.  Used with ``reward_gradient="policy"`` only.
    reward_normalization : {"none", "center", "standardize"}, default="standardize"
        Variance reduction of the reward before it weights log P(x̂|Θ) (not in the
        paper): "center" subtracts the batch mean (a policy-gradient baseline),
        "standardize" also divides by the batch standard deviation.  "none" is
        Eq. (10) as written.
    log_density_normalization : {"none", "per_dim"}, default="per_dim"
        "per_dim" divides log P(x̂|Θ) by the dimension of h(x), so that λ does not
        depend on the width of the discriminator (not in the paper).
    diversity_weight : float, default=1.0
        Weight of a mode-seeking regulariser (Mao et al., 2019) in the generator's
        loss, against intra-class mode collapse.  Not in the paper; 0 turns it off.
    reward_gradient : {"auto", "policy", "score_function", "pathwise"}, \
            default="auto"
        How the reward of Eq. (8) steers the generator.  "policy" (for
        ``generator="compose"``; not in the paper, but its estimator on the
        generator's own choices) is a policy gradient: the standardised reward, a
        constant, weights the log-probability of the choices that made each row
        (``policy_choices``).  "score_function" is Eq. (10): the reward, a constant,
        weights the log-density log P(x̂|Θ) of the mixture of Eq. (9), for either
        generator.  "auto" is "policy" for the composing generator and
        "score_function" for the free one.  "pathwise" (not in the paper)
        maximises the reward r(G(z, y)) itself, differentiated through the oracle;
        it uses no mixture and needs an oracle that torch evaluates
        (``oracle_backend_ == "torch"``).
    reward_target : {"any", "label"}, default="any"
        "any" is Eq. (8): a row near the oracle's boundary is rewarded whichever
        side of it it lies on.  "label" (not in the paper) gives the rows that the
        oracle labels as another class than their own the smallest reward, so that
        the generator is steered towards the boundary from its own class's side,
        where the filter's label check keeps rows.  Not used by the pathwise
        reward.
    callbacks : list of callable, default=None
        Each is called as ``callback(record)`` after every iteration with that
        iteration's record: ``iteration`` (int), ``phase`` (str), and ``loss_d``,
        ``loss_g``, ``uncertainty``, ``reward``, ``margin``, ``agreement`` as 0-d
        tensors on the training device (``float(v)`` reads one and waits for the
        device, so training does not wait unless a callback reads); training stops
        early when one returns True.  :attr:`history_` holds the same values as
        floats.  Not called when ``memory`` replays a cached fit.
    memory : str, joblib.Memory or None, default=None
        Cache of the trained encoder, oracle and networks, keyed by the data and by
        the parameters that affect training (not ``filter``, ``sampling_strategy``,
        ``n_samples``, ``candidates_per_row``, ``callbacks`` or ``verbose``), so
        that tuning ``filter__threshold`` trains the GAN once per fold.  Only runs
        that completed ``max_iter`` iterations are cached.  A string is a cache
        folder.  Caching needs an integer ``random_state``.
    device : str or torch.device, default="auto"
        Where to train: "auto" picks CUDA when available, else the CPU.
    mixed_precision : bool, default=False
        Run the networks' forward passes in half precision (``torch.autocast``):
        float16 with gradient scaling on CUDA, bfloat16 on the CPU.  Results are not
        bit-identical to float32 training.
    n_jobs : int or None, default=None
        Torch intra-op threads, and the OpenMP and BLAS threads of the oracle,
        during ``fit`` and generation: None means 1, -1 all cores.  The networks
        and the oracle's queries are small, and one thread is fastest on a machine
        that is also doing something else; every setting is restored afterwards.
    random_state : int, RandomState instance or None, default=None
        Controls the oracle's CV split, network initialisation, noise and batches.
        The same integer gives identical output on the same machine (CPU).
    verbose : int, default=0
        0 is silent; 1 or more prints a progress line about every 5 % of training to
        standard error.

    Attributes
    ----------
    oracle_ : classifier
        The oracle fitted on the real rows; ``oracle_.predict_proba`` takes rows in
        the caller's format.
    oracle_backend_ : {"torch", "predict_proba"}
        How the oracle was evaluated during training and filtering.
    filter_ : MarginFilter or None
        The filter applied to generated rows.
    sampling_strategy_ : dict
        Rows to add per class label, as imbalanced-learn defines it (or the
        few-labels split of ``n_samples``).
    encoder_ : transformer
        Maps the caller's rows to the networks' space and back.
    generator_ : torch.nn.Module
        The trained generator G(z, y), in evaluation mode: a ``RowComposer`` (which
        holds the encoded training rows) or the free generator.
    discriminator_ : torch.nn.Module
        The trained discriminator (trunk h, real/fake head s, class head c).
    density_ : GaussianMixture
        The last mixture Θ (None when it was not used).
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    class_prior_ : ndarray of shape (n_classes,)
        Class frequencies of the real data.
    history_ : list of dict
        One record per iteration: ``iteration``, ``phase`` ("warmup"/"active"),
        ``loss_d``, ``loss_g`` (Eq. (4) and (5) as minimised), ``uncertainty``
        (L_U), ``reward`` (mean r), ``margin`` (mean oracle margin),
        ``informative`` (fraction of the batch with margin at most the filter's
        threshold, or the paper's 0.2 when the filter has none), ``agreement`` (fraction
        whose oracle prediction is the conditioning label); NaN where an iteration does
        not compute a value.  ``pandas.DataFrame(history_)`` tabulates it.
    n_candidates_ : int
        Candidates generated by the last :meth:`fit_resample` or :meth:`sample`.
    generation_report_ : GenerationReport
        Per class: rows asked for, rows kept, candidates, smallest margins seen, and
        the margins of the kept rows, for the last :meth:`fit_resample` or
        :meth:`sample`.
    device_ : torch.device
        Where the networks are (after unpickling on a machine without CUDA, the CPU).
    n_iter_ : int
        Iterations run (fewer than ``max_iter`` when training stopped early).
    stop_reason_ : str or None
        Why training stopped early (divergence, a callback), or None.
    n_features_in_ : int
        Number of features seen in :meth:`fit`.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, when ``X`` had string column names.

    See Also
    --------
    MarginFilter : the "+F" step on its own.
    AugmentedClassifier : augment in ``fit`` inside scikit-learn's own Pipeline.
    imblearn.over_sampling.SMOTE : interpolating over-sampler.

    Notes
    -----
    Kong, Q., Tong, B., Klinkigt, M., Watanabe, Y., Akira, N., Murakami, T. "Active
    Generative Adversarial Network for Image Classification", AAAI 2019
    (arXiv:1906.07133).

    Examples
    --------
    Balance an imbalanced data set (imbalanced-learn's default, ``"auto"``):

    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from skactivegan import ActiveGANAugmenter
    >>> X, y = make_classification(n_samples=120, weights=[0.8], random_state=0)
    >>> aug = ActiveGANAugmenter(max_iter=500, random_state=0)
    >>> X_res, y_res = aug.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 97), (1, 97)]

    The paper's few-labels mode adds rows to every class:

    >>> aug = ActiveGANAugmenter(n_samples=0.5, max_iter=500, random_state=0)
    >>> X_res, y_res = aug.fit_resample(X, y)
    >>> len(X_res)
    180
    """

    _parameter_constraints = {
        **BaseOverSampler._parameter_constraints,
        "oracle": [HasMethods(["fit", "predict_proba"]), None],
        "alpha": [Interval(Real, 0.0, 1.0, closed="both")],
        "uncertainty_weight": [Interval(Real, 0.0, None, closed="left")],
        "filter": [
            HasMethods(["keep_mask", "get_params"]),
            StrOptions({"auto", "margin"}),
            None,
        ],
        "n_samples": [
            Interval(Integral, 0, None, closed="left"),
            Interval(Real, 0.0, None, closed="left"),
            None,
        ],
        "candidates_per_row": [Interval(Real, 1.0, None, closed="left")],
        "fill_shortfall": ["boolean"],
        "categorical_features": ["array-like", StrOptions({"auto"}), None],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "covariance_type": [StrOptions({"diag", "full"})],
        "buffer_batches": [Interval(Integral, 1, None, closed="left")],
        "em_iter": [Interval(Integral, 1, None, closed="left")],
        "warmup_iter": [
            Interval(Integral, 0, None, closed="left"),
            Interval(Real, 0.0, 1.0, closed="left"),
        ],
        "max_iter": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "discriminator_every": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "latent_dim": [Interval(Integral, 1, None, closed="left")],
        "hidden_layer_sizes": [tuple, list],
        "image_shape": [tuple, list, None],
        "networks": [callable, None],
        "learning_rate": [Interval(Real, 0.0, None, closed="neither")],
        "policy_learning_rate": [Interval(Real, 0.0, None, closed="neither"), None],
        "policy_entropy_weight": [Interval(Real, 0.0, None, closed="left")],
        "reward_normalization": [StrOptions(set(REWARD_NORMALIZATIONS))],
        "log_density_normalization": [StrOptions(set(LOG_DENSITY_NORMALIZATIONS))],
        "diversity_weight": [Interval(Real, 0.0, None, closed="left")],
        "generator": [StrOptions({"auto", "compose", "mlp"})],
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "residual_scale": [Interval(Real, 0.0, None, closed="left")],
        "policy_choices": [tuple, list],
        "reward_gradient": [StrOptions({"auto", *REWARD_GRADIENTS})],
        "reward_target": [StrOptions(set(REWARD_TARGETS))],
        "callbacks": [list, None],
        "memory": [str, HasMethods(["cache"]), None],
        "device": [str, torch.device],
        "mixed_precision": ["boolean"],
        "n_jobs": [
            Interval(Integral, None, -1, closed="right"),
            Interval(Integral, 1, None, closed="left"),
            None,
        ],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        oracle=None,
        alpha=0.5,
        uncertainty_weight=1.0,
        filter="auto",
        sampling_strategy="auto",
        n_samples=None,
        candidates_per_row=10,
        fill_shortfall=True,
        categorical_features="auto",
        warmup_iter=0.5,
        max_iter="auto",
        generator="auto",
        k_neighbors=5,
        residual_scale=0.1,
        policy_choices=("position",),
        n_components=10,
        covariance_type="diag",
        buffer_batches=10,
        em_iter=1,
        discriminator_every=1,
        batch_size=64,
        latent_dim=32,
        hidden_layer_sizes=(128, 128),
        image_shape=None,
        networks=None,
        learning_rate=2e-4,
        policy_learning_rate=3e-3,
        policy_entropy_weight=0.0,
        reward_normalization="standardize",
        log_density_normalization="per_dim",
        diversity_weight=1.0,
        reward_gradient="auto",
        reward_target="any",
        callbacks=None,
        memory=None,
        device="auto",
        mixed_precision=False,
        n_jobs=None,
        random_state=None,
        verbose=0,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.oracle = oracle
        self.alpha = alpha
        self.uncertainty_weight = uncertainty_weight
        self.filter = filter
        self.n_samples = n_samples
        self.candidates_per_row = candidates_per_row
        self.fill_shortfall = fill_shortfall
        self.categorical_features = categorical_features
        self.warmup_iter = warmup_iter
        self.max_iter = max_iter
        self.generator = generator
        self.k_neighbors = k_neighbors
        self.residual_scale = residual_scale
        self.policy_choices = policy_choices
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.buffer_batches = buffer_batches
        self.em_iter = em_iter
        self.discriminator_every = discriminator_every
        self.batch_size = batch_size
        self.latent_dim = latent_dim
        self.hidden_layer_sizes = hidden_layer_sizes
        self.image_shape = image_shape
        self.networks = networks
        self.learning_rate = learning_rate
        self.policy_learning_rate = policy_learning_rate
        self.policy_entropy_weight = policy_entropy_weight
        self.reward_normalization = reward_normalization
        self.log_density_normalization = log_density_normalization
        self.diversity_weight = diversity_weight
        self.reward_gradient = reward_gradient
        self.reward_target = reward_target
        self.callbacks = callbacks
        self.memory = memory
        self.device = device
        self.mixed_precision = mixed_precision
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
                # scikit-learn's Pipeline is checking its steps: say why it fails.
                raise TypeError(message)
            raise AttributeError(message)
        raise AttributeError(
            f"'{type(self).__name__}' object has no attribute '{name}'"
        )

    def set_params(self, **params):
        """Set parameters; ``filter__*`` keys also work at the default
        ``filter="auto"`` (which then becomes ``MarginFilter(threshold=1.0, top_k=1)``).

        Returns
        -------
        self : ActiveGANAugmenter
        """
        nested = any(key.startswith("filter__") for key in params)
        if nested and "filter" not in params and isinstance(self.filter, str):
            self.filter = _default_filter()
        return super().set_params(**params)

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

    # ------------------------------------------------------------ validation
    def _check_X_y(self, X, y, accept_sparse=None):
        check_label_types(y)
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X, y = validate_table(self, X, y)
        check_classes(y)
        return X, y, binarize_y

    def _check_params(self, n_features):
        """Check what the constraints cannot; return the hidden sizes and image
        shape."""
        _check_callbacks(self.callbacks)
        sizes = tuple(self.hidden_layer_sizes)
        if not sizes or not all(isinstance(s, Integral) and s > 0 for s in sizes):
            raise ValueError(
                "hidden_layer_sizes must be a non-empty sequence of positive ints; "
                f"got {self.hidden_layer_sizes!r}."
            )
        if self.n_samples is not None and not (
            isinstance(self.sampling_strategy, str) and self.sampling_strategy == "auto"
        ):
            raise ValueError(
                "n_samples (the few-labels mode: add rows to every class) and "
                f"sampling_strategy={self.sampling_strategy!r} (over-sampling) both "
                "say how many rows to add; set only one of them."
            )
        if self.mixed_precision and resolve_device(self.device).type not in (
            "cpu",
            "cuda",
        ):
            raise ValueError(
                f"mixed_precision=True is supported on CUDA and the CPU; got device "
                f"{self.device}. Set mixed_precision=False."
            )
        return sizes, self._check_image_shape(n_features)

    def _check_image_shape(self, n_features):
        if self.image_shape is None:
            return None
        shape = check_image_shape(self.image_shape, n_features)
        if self.networks is None:
            check_conv_image_shape(shape)
            if self.batch_size < 2:
                raise ValueError(
                    "batch_size must be at least 2 with image_shape: the convolutional "
                    "generator normalises each batch (batch normalisation)."
                )
        return shape

    def _resolve_filter(self, composer):
        """The filter to apply; ``composer`` says whether rows are composed."""
        if self.filter is None or (self.filter == "auto" and composer is not None):
            return None
        if isinstance(self.filter, str):
            return _default_filter()
        if getattr(self.filter, "oracle", None) is not None:
            raise ValueError(
                "The filter given to ActiveGANAugmenter scores rows with the "
                "augmenter's oracle; set `oracle` on the augmenter, not on the filter."
            )
        flt = clone(self.filter)
        if hasattr(flt, "_validate_params"):
            flt._validate_params()
        return flt

    def _rows_to_add(self, y):
        """``sampling_strategy_``: rows to add per label, over-sampling or
        few-labels."""
        if self.n_samples is None:
            return check_sampling_strategy(
                self.sampling_strategy, y, self._sampling_type
            )
        classes, counts = np.unique(y, return_counts=True)
        if isinstance(self.n_samples, Integral):
            total = int(self.n_samples)
        else:
            total = int(round(self.n_samples * len(y)))
        split = allocate_per_class(total, counts / counts.sum())
        return OrderedDict((label, int(n)) for label, n in zip(classes, split))

    def _resolve_generator(self):
        """The generator to train and the reward's estimator: ``(composer, gradient)``.

        ``composer`` is the settings of
        :class:`~skactivegan.generators._composer.RowComposer`,
        or None for the free generator.
        """
        kind = self.generator
        if kind == "auto":
            free = self.image_shape is not None or self.networks is not None
            kind = "mlp" if free else "compose"
        if kind == "compose" and self.networks is not None:
            raise ValueError(
                "networks= gives a generator of your own, and generator='compose' "
                "builds the composing generator; set generator='mlp' to train yours."
            )
        gradient = self.reward_gradient
        if gradient == "auto":
            gradient = "policy" if kind == "compose" else "score_function"
        if gradient == "policy" and kind != "compose":
            raise ValueError(
                "reward_gradient='policy' is a policy gradient on the composing "
                "generator's own choices; the free generator (generator='mlp') makes "
                "none. Use generator='compose', or reward_gradient='score_function' "
                "(the paper's Eq. (10))."
            )
        if kind == "mlp":
            return None, gradient
        choices = tuple(self.policy_choices)
        unknown = sorted(set(choices) - set(COMPOSER_CHOICES))
        if unknown:
            raise ValueError(
                f"policy_choices must be a subset of {COMPOSER_CHOICES}; got "
                f"{unknown} in {self.policy_choices!r}."
            )
        composer = dict(k_neighbors=int(self.k_neighbors),
                        residual_scale=float(self.residual_scale), choices=choices)
        return composer, gradient

    def _resolve_max_iter(self, composer):
        """``max_iter``, with "auto" resolved for the generator that trains."""
        if self.max_iter == "auto":
            return MAX_ITER["mlp" if composer is None else "compose"]
        return int(self.max_iter)

    def _training_config(self, reward_gradient, max_iter):
        policy_lr = self.policy_learning_rate
        return TrainingConfig(
            alpha=float(self.alpha),
            uncertainty_weight=float(self.uncertainty_weight),
            max_iter=max_iter,
            warmup_iter=resolve_warmup_iter(self.warmup_iter, max_iter),
            discriminator_every=int(self.discriminator_every),
            batch_size=int(self.batch_size),
            latent_dim=int(self.latent_dim),
            n_components=int(self.n_components),
            buffer_batches=int(self.buffer_batches),
            covariance_type=self.covariance_type,
            em_iter=int(self.em_iter),
            learning_rate=float(self.learning_rate),
            policy_learning_rate=float(self.learning_rate if policy_lr is None
                                       else policy_lr),
            reward_normalization=self.reward_normalization,
            log_density_normalization=self.log_density_normalization,
            diversity_weight=float(self.diversity_weight),
            reward_gradient=reward_gradient,
            reward_target=self.reward_target,
            mixed_precision=bool(self.mixed_precision),
            policy_entropy_weight=float(self.policy_entropy_weight),
        )

    # ------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the oracle on ``(X, y)`` and train the GAN with Algorithm 1.

        If fitting is interrupted (``KeyboardInterrupt``) or fails, the estimator is
        left as it was before the call: unfitted, or holding its previous fit.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
            Real labelled rows: numbers, or a DataFrame mixing float, integer,
            boolean and categorical columns; no missing values.
        y : array-like of shape (n_samples,)
            Class labels (any hashable type); at least 2 classes with at least 2
            rows each.

        Returns
        -------
        self : ActiveGANAugmenter
        """
        with unchanged_on_failure(self):
            X, y, _ = self._check_X_y(X, y)
            self._fit(X, y)
        return self

    def _fit(self, X, y):
        """Train on validated ``(X, y)`` and set the fitted attributes."""
        hidden, image_shape = self._check_params(self.n_features_in_)
        classes, _, counts = check_classes(y)
        composer, reward_gradient = self._resolve_generator()
        max_iter = self._resolve_max_iter(composer)
        config = self._training_config(reward_gradient, max_iter)
        filter_ = self._resolve_filter(composer)
        rows_to_add = self._rows_to_add(y)
        device = resolve_device(self.device)
        seeds = draw_seeds(self.random_state, 5)

        callbacks = list(self.callbacks or [])
        if self.verbose:
            callbacks.insert(0, ProgressPrinter(max_iter))
        with torch_threads(self.n_jobs):
            result = cached_training(
                self.memory,
                X=X,
                y=y,
                oracle=self.oracle,
                config=config,
                composer=composer,
                label_weights=np.array([rows_to_add.get(c, 0) for c in classes],
                                       dtype=np.float64),
                hidden_layer_sizes=hidden,
                image_shape=image_shape,
                categorical_features=self.categorical_features,
                networks=self.networks,
                seeds=seeds[:4],
                device=str(device),
                callbacks=callbacks,
            )

        threshold = _PAPER_THRESHOLD
        if getattr(filter_, "threshold", None) is not None and filter_.threshold < 1.0:
            threshold = filter_.threshold
        self.sampling_strategy_ = rows_to_add
        self.classes_ = classes
        self.class_prior_ = counts / counts.sum()
        self.filter_ = filter_
        self.device_ = device
        self.encoder_ = result.encoder
        self.oracle_ = result.oracle
        self._network_oracle = result.network_oracle
        self.oracle_backend_ = result.network_oracle.backend
        self._probe = result.probe
        self.generator_ = result.generator
        # The real rows' float values, from which composed rows are made exactly
        # (see RowComposer.compose).
        self._float_rows = (
            self.encoder_.float_values(X)
            if composer is not None and hasattr(self.encoder_, "float_values")
            else None
        )
        self.discriminator_ = result.discriminator
        self.density_ = result.density
        self.history_ = informative_history(result.history, result.margins, threshold)
        self.n_iter_ = len(self.history_)
        self.stop_reason_ = result.stop_reason
        self._sample_seed = seeds[4]

    # ---------------------------------------------------------------- sample
    def _candidates(self, y_index, seed):
        """Candidates for the labels ``y_index``, unfiltered, in the caller's format."""
        n = len(y_index)
        rng = torch.Generator().manual_seed(seed)
        z = torch.randn(n, self.latent_dim, generator=rng)
        device = next(self.generator_.parameters()).device
        source = getattr(self, "_float_rows", None)
        chunks, floats = [], []
        self.generator_.eval()
        with torch.no_grad():
            for start in range(0, n, _GENERATION_BATCH):
                stop = start + _GENERATION_BATCH
                zb = z[start:stop].to(device)
                yb = torch.as_tensor(y_index[start:stop], device=device)
                if source is None:
                    chunks.append(self.generator_(zb, yb).float().cpu().numpy())
                    continue
                x, composition = self.generator_.compose(zb, yb)
                chunks.append(x.float().cpu().numpy())
                floats.append(self._composed_floats(source, composition))
        Z = (
            np.concatenate(chunks)
            if chunks
            else np.empty((0, self.encoder_.n_encoded_))
        )
        if not np.isfinite(Z).all():
            raise FloatingPointError(
                "The generator produced non-finite values; training diverged. Refit "
                "with a smaller learning_rate or uncertainty_weight."
            )
        if source is None:
            return self.encoder_.inverse_transform(Z)
        floats = np.concatenate(floats) if floats else np.empty((0, source.shape[1]))
        return self.encoder_.inverse_transform(Z, floats=floats)

    def _composed_floats(self, source, composition):
        """The float columns of composed rows, from the real rows' exact values."""
        anchor, neighbour, t, residual = (v.cpu().numpy() for v in composition)
        return compose_values(source, anchor, neighbour, t,
                              self.encoder_.float_offsets(residual))

    def _judge(self, rows, y_index):
        """The filter's verdict on candidate rows: keep mask and oracle margins."""
        oracle = self._oracle_for_rows()
        proba = oracle.rows_proba(rows)
        keep = self.filter_.keep_mask(proba, y_index)
        consistent = label_in_top_k(proba, y_index, 1)
        return keep, margin(proba), consistent

    def _oracle_for_rows(self):
        if getattr(self, "_network_oracle", None) is None:  # after unpickling
            encoded = None
            if (
                hasattr(self.oracle_, "named_steps")
                and "encoder" in self.oracle_.named_steps
            ):
                encoded = self.oracle_.steps[-1][1]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._network_oracle = build_network_oracle(
                    self.oracle_, self.encoder_, self._probe, self.classes_,
                    self.device_, encoded_oracle=encoded,
                )
        return self._network_oracle

    def _generate(self, counts, seed, stacklevel):
        """Generate ``counts[k]`` filtered rows of class k; returns rows, labels."""
        judge = self._judge if self.filter_ is not None else None
        with torch_threads(self.n_jobs):
            rows, y_index, report = generate_ranked(
                counts, self._candidates, judge,
                candidates_per_row=self.candidates_per_row, seed=seed,
                fill=self.fill_shortfall,
            )
        if rows is None:
            rows = self.encoder_.inverse_transform(
                np.empty((0, self.encoder_.n_encoded_), dtype=np.float32))
        self.generation_report_ = report
        self.n_candidates_ = int(report.candidates.sum())
        if report.short:
            warnings.warn(budget_message(report, self.classes_, repr(self.filter_)),
                          GenerationBudgetWarning, stacklevel=stacklevel)
        return rows, self.classes_[y_index]

    def sample(self, n_samples, *, random_state=None):
        """Generate ``n_samples`` labelled rows that pass the filter.

        The rows are split among the classes like ``sampling_strategy_`` (or like the
        class frequencies when that adds nothing) and chosen as in
        :meth:`fit_resample`: ``candidates_per_row`` candidates are generated per row,
        and those that pass the filter with the smallest margins are kept (further
        rounds where too few pass, then the best of the rest, with a
        :class:`~skactivegan.exceptions.GenerationBudgetWarning`).  For more rows,
        ask for them in one call, or pass another ``random_state``: with the default
        None, repeated calls return the same rows.

        Parameters
        ----------
        n_samples : int
            Number of rows to return.
        random_state : int, RandomState instance or None, default=None
            Seed of the noise.  None uses a seed drawn from the estimator's
            ``random_state`` at fit, so repeated calls return the same rows.

        Returns
        -------
        X_gen : ndarray or DataFrame of shape (n_samples, n_features_in_)
            In the format of the training data: a DataFrame with the same columns
            and dtypes when fitted on one.
        y_gen : ndarray of shape (n_samples,)
            Labels, with the values of the training labels.
        """
        check_is_fitted(self)
        if not isinstance(n_samples, Integral) or n_samples < 0:
            raise ValueError(
                f"n_samples must be a non-negative int; got {n_samples!r}."
            )
        seed = (
            self._sample_seed
            if random_state is None
            else draw_seeds(random_state)
        )
        weights = np.array([self.sampling_strategy_.get(c, 0) for c in self.classes_],
                           dtype=np.float64)
        if weights.sum() == 0:
            weights = self.class_prior_
        counts = allocate_per_class(int(n_samples), weights / weights.sum())
        return self._generate(counts, seed, stacklevel=3)

    @_fit_context(prefer_skip_nested_validation=False)
    def fit_resample(self, X, y):
        """Fit, then return the real rows followed by the generated rows.

        Everything is checked before training (a user's oracle's parameters
        included, as in :meth:`fit`), and a call that fails leaves the estimator as
        it was before, its previous fit intact.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_samples, n_features)
        y : array-like of shape (n_samples,) or (n_samples, n_classes)
            Labels, or their one-hot encoding (one 1 a row).

        Returns
        -------
        X_resampled : ndarray or DataFrame of shape (n_samples + n_added, n_features)
            The real rows first, unchanged and in order, then
            ``sum(sampling_strategy_.values())`` generated rows that passed the
            filter (fewer only with a ``GenerationBudgetWarning``).  A DataFrame
            with the same columns and dtypes when ``X`` is one; an array of the
            dtype of ``X`` (strings included) otherwise.
        y_resampled : ndarray or Series of shape (n_samples + n_added,)
            One-hot, of shape (n_samples + n_added, n_classes), when ``y`` is.
        """
        return fit_resample_checked(self, X, y)

    def _fit_resample(self, X, y):
        # fit_resample_checked has validated X and y, set sampling_strategy_, will
        # restore the caller's containers and, on failure, this estimator: train,
        # then generate.
        self._fit(X, y)
        counts = np.array([self.sampling_strategy_.get(c, 0) for c in self.classes_])
        # The caller is 6 frames up: _fit_context's wrapper, fit_resample,
        # fit_resample_checked, _fit_resample, _generate.
        X_gen, y_gen = self._generate(counts, self._sample_seed, stacklevel=6)
        return concat_rows([X, X_gen]), np.concatenate(
            [y, y_gen.astype(y.dtype, copy=False)]
        )

    # ---------------------------------------------------------- persistence
    def __getstate__(self):
        """Pickle with every tensor on the CPU, so that the model loads anywhere."""
        state = super().__getstate__()
        state.pop("_network_oracle", None)  # rebuilt on demand (it holds tensors)
        for name in ("generator_", "discriminator_"):
            module = state.get(name)
            if module is not None and any(
                p.device.type != "cpu" for p in module.parameters()
            ):
                state[name] = copy.deepcopy(module).cpu()
        return state

    def __setstate__(self, state):
        """Unpickle; ``device_`` says where the networks now are (the CPU)."""
        super().__setstate__(state)
        generator = state.get("generator_")
        if generator is not None:
            self.device_ = next(generator.parameters()).device


def _check_callbacks(callbacks):
    """Refuse, before training, a ``callbacks`` entry that cannot be called."""
    for i, callback in enumerate(callbacks or ()):
        if not callable(callback):
            raise TypeError(
                f"callbacks[{i}] is {callback!r} ({type(callback).__name__}), which is "
                "not callable; callbacks must be a list of functions called as "
                "callback(record) after every iteration."
            )


def _default_filter():
    """The filter that ``filter="margin"`` stands for: rank by margin,
    label-consistent."""
    return MarginFilter(threshold=1.0, top_k=1)
