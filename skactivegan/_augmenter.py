"""ActiveGANAugmenter: the estimator that wires oracle, networks, mixture and loop."""

import copy
import sys
import time
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.preprocessing import StandardScaler
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, check_memory

from ._density import GaussianMixture
from ._fast_oracle import compile_oracle
from ._filter import MarginFilter
from ._networks import build_networks, build_user_networks, check_image_shape
from ._oracle import fit_oracle, oracle_proba
from ._training import (
    LOG_DENSITY_NORMALIZATIONS,
    REWARD_GRADIENTS,
    REWARD_NORMALIZATIONS,
    ActiveGANTrainer,
    TrainingConfig,
)
from ._utils import allocate_per_class, resolve_device
from ._validation import check_classes, validate_X_y, wrap_like

__all__ = ["ActiveGANAugmenter"]

_GENERATION_BATCH = 4096


class _ProgressPrinter:
    """Callback drawing a progress bar with the current losses and mean reward.

    One line about every 5 % of training, written to standard error, so that it
    reads the same in a terminal, a notebook and a log file.
    """

    width = 20

    def __init__(self, max_iter, stream=None):
        self.max_iter = max_iter
        self.every = max(1, max_iter // 20)
        self.stream = stream if stream is not None else sys.stderr
        self.start = time.perf_counter()

    def __call__(self, record):
        it = record["iteration"]
        if it % self.every and it != self.max_iter:
            return False
        done = int(self.width * it / self.max_iter)
        bar = "#" * done + "-" * (self.width - done)
        line = (
            f"[ActiveGAN] [{bar}] {it:>6d}/{self.max_iter} {record['phase']:<6s} "
            f"loss_d={record['loss_d']:.3f} loss_g={record['loss_g']:.3f}"
        )
        if record["phase"] == "active":
            line += (
                f" L_U={record['uncertainty']:.3g} reward={record['reward']:.3f}"
                f" margin={record['margin']:.2f} agreement={record['agreement']:.2f}"
            )
        print(f"{line} {time.perf_counter() - self.start:.1f}s", file=self.stream,
              flush=True)
        return False


def _informative_history(history, margins, threshold):
    """Add to each scored record the fraction of its batch with margin <= threshold."""
    batches = iter(margins)
    out = []
    for record in history:
        record = dict(record)
        scored = not np.isnan(record["margin"])
        record["informative"] = (
            float(np.mean(next(batches) <= threshold)) if scored else float("nan")
        )
        out.append(record)
    return out


def fit_channel_scaler(X, image_shape):
    """Standardise images per channel, not per pixel.

    One mean and one scale are shared by all the pixels of a channel: a convolution
    applies the same filter everywhere, which per-pixel scaling would defeat by
    blowing up rarely-inked pixels (a border pixel inked in one image of 500 becomes
    a 22-sigma value).

    Returns
    -------
    scaler : StandardScaler
        Fitted; its ``mean_``, ``var_`` and ``scale_`` repeat each channel's values
        over that channel's pixels.
    """
    per_channel = X.reshape(len(X), image_shape[0], -1)
    n_pixels = per_channel.shape[2]
    scaler = StandardScaler().fit(per_channel.transpose(0, 2, 1).reshape(-1, image_shape[0]))
    for name in ("mean_", "var_", "scale_"):
        setattr(scaler, name, np.repeat(getattr(scaler, name), n_pixels))
    scaler.n_features_in_ = X.shape[1]
    return scaler


class ScaledOracle:
    """The oracle on generated rows given in the networks' (scaled) space.

    A calibrated SVM (the default oracle) is evaluated on the training device by
    :func:`compile_oracle`, in float32 when that reproduces ``predict_proba`` to 1e-4
    on a probe set (else in float64), the scaling undone there too; any other oracle
    gets the rows back in data units on the CPU and is called through
    ``predict_proba``.

    Parameters
    ----------
    oracle : fitted classifier
    scaler : fitted scaler with ``mean_``, ``scale_`` and ``inverse_transform``
    classes : ndarray of shape (K,)
    X : ndarray of shape (n, d)
        Real rows, for the probe set that checks the compiled evaluation.
    device : torch.device
    """

    def __init__(self, oracle, scaler, classes, X, device):
        self.oracle = oracle
        self.scaler = scaler
        self.classes = classes
        if device.type not in ("cpu", "cuda"):  # devices without float64
            device = torch.device("cpu")
        probe = _oracle_probe(X, scaler)
        self.compiled = None
        for dtype in (torch.float32, torch.float64):
            self.compiled = compile_oracle(oracle, classes, probe, device, dtype)
            if self.compiled is not None:
                break
        if self.compiled is not None:
            self.mean = torch.as_tensor(scaler.mean_, dtype=dtype, device=device)
            self.scale = torch.as_tensor(scaler.scale_, dtype=dtype, device=device)
            self.device = device

    @property
    def differentiable(self):
        """Whether :meth:`torch_proba` is available (the oracle was compiled)."""
        return self.compiled is not None

    def _compiled_proba(self, x_scaled):
        x = x_scaled.to(device=self.device, dtype=self.compiled.dtype)
        return self.compiled(x * self.scale + self.mean)

    def torch_proba(self, x_scaled):
        """Probabilities (n, K) as a tensor, differentiable with respect to ``x_scaled``.

        Only when :attr:`differentiable`; returned on ``x_scaled``'s device and dtype.
        """
        proba = self._compiled_proba(x_scaled)
        return proba.to(device=x_scaled.device, dtype=x_scaled.dtype)

    def proba(self, x_scaled):
        """Probabilities (n, K) as a tensor on ``x_scaled``'s device, without gradient.

        The compiled oracle stays on the device (its dtype); any other oracle is
        called through ``predict_proba`` on the CPU (float64).
        """
        if self.compiled is not None:
            with torch.no_grad():
                return self._compiled_proba(x_scaled.detach()).to(x_scaled.device)
        return torch.as_tensor(self(x_scaled), device=x_scaled.device)

    def __call__(self, x_scaled):
        """Probabilities (n, K) as a float64 NumPy array, for a detached batch."""
        if self.compiled is not None:
            return self.proba(x_scaled).cpu().numpy().astype(np.float64)
        X_units = self.scaler.inverse_transform(
            x_scaled.detach().cpu().numpy().astype(np.float64)
        )
        return oracle_proba(self.oracle, X_units, self.classes)


def _oracle_probe(X, scaler, n=64):
    """Rows to check a compiled oracle on: real rows, and the same rows with noise.

    Generated rows are rarely real ones, so half the probe is perturbed by one
    standard deviation per feature (a fixed seed: the probe is part of the check,
    not of training).
    """
    real = X[:n]
    noise = np.random.default_rng(0).standard_normal(real.shape) * scaler.scale_
    return np.concatenate([real, real + noise])


def train_activegan(X, y, *, oracle, config, hidden_layer_sizes, image_shape, seeds,
                    device, callbacks=(), networks=None):
    """Fit the oracle and train the networks: everything of ``fit`` that is learned.

    A plain function of the data and of the parameters that affect training, so
    that ``memory`` can cache it (the filter and ``n_samples`` are not arguments:
    tuning them reuses a cached result).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        Labels, already checked by :func:`check_classes`.
    oracle : estimator or None
        Unfitted; fitted here on ``(X, y)``.
    config : TrainingConfig
    hidden_layer_sizes : tuple of int
    image_shape : tuple of int or None
    networks : callable or None
        Factory of user-supplied networks (see ``ActiveGANAugmenter``).
    seeds : tuple of int
        Seeds of the oracle, the networks, the mixture and the training loop.
    device : str
    callbacks : list of callable

    Returns
    -------
    result : dict
        ``oracle``, ``scaler``, ``constant_columns`` (mask of the columns without
        variance) and their ``constant_values``, ``generator``, ``discriminator``,
        ``density``, ``history``, ``margins`` (oracle margins of each active batch),
        ``stop_reason``.
    """
    device = torch.device(device)
    classes, y_index, counts = np.unique(y, return_inverse=True, return_counts=True)
    class_prior = counts / counts.sum()
    n_classes, n_features = len(classes), X.shape[1]
    oracle_ = fit_oracle(oracle, X, y, seeds[0])
    column_scaler = StandardScaler().fit(X)
    if image_shape is None:
        scaler = column_scaler
    else:
        scaler = fit_channel_scaler(X, image_shape)

    torch_rng = torch.Generator().manual_seed(seeds[1])
    if networks is None:
        generator, discriminator = build_networks(
            n_features, n_classes, latent_dim=config.latent_dim,
            hidden_layer_sizes=hidden_layer_sizes, image_shape=image_shape, device=device,
            generator=torch_rng,
        )
    else:
        generator, discriminator = build_user_networks(
            networks, n_features, n_classes, latent_dim=config.latent_dim,
            seed=seeds[1], device=device,
        )
    density = None
    if config.uses_mixture:
        density = GaussianMixture(config.n_components,
                                  covariance_type=config.covariance_type,
                                  rng=torch.Generator().manual_seed(seeds[2]))
    proba_of_scaled = ScaledOracle(oracle_, scaler, classes, X, device)
    if config.uses_oracle_gradient and not proba_of_scaled.differentiable:
        raise ValueError(
            "reward_gradient='pathwise' differentiates the oracle's probabilities, "
            "which is possible for a sigmoid-calibrated SVC (the default oracle, or "
            "CalibratedClassifierCV(SVC(), method='sigmoid'), alone or after "
            f"StandardScaler steps); got {type(oracle_).__name__}. Use "
            "reward_gradient='score_function' with this oracle."
        )

    trainer = ActiveGANTrainer(generator, discriminator, density, proba_of_scaled, config,
                               torch.Generator().manual_seed(seeds[3]), device, callbacks)
    X_t = torch.as_tensor(scaler.transform(X), dtype=torch.float32, device=device)
    y_t = torch.as_tensor(y_index.ravel().astype(np.int64), device=device)
    trainer.fit(X_t, y_t, torch.as_tensor(class_prior, dtype=torch.float32))
    if density is not None:
        density.rng = None
    return {
        "oracle": oracle_,
        "scaler": scaler,
        "constant_columns": column_scaler.var_ == 0,
        "constant_values": column_scaler.mean_[column_scaler.var_ == 0],
        "generator": generator,
        "discriminator": discriminator,
        "density": density,
        "history": trainer.history,
        "margins": trainer.margins,
        "stop_reason": trainer.stop_reason,
    }


class ActiveGANAugmenter(BaseEstimator):
    """Generate informative labelled samples with ActiveGAN.

    An auxiliary-classifier GAN learns the labelled data; an oracle classifier
    already trained on the same data scores each generated sample by its
    uncertainty (small margin, high entropy, Eq. (8)), and that reward, weighted by
    a Gaussian-mixture density of the discriminator's features (Eq. (9)), steers the
    generator towards the oracle's decision boundary (Eq. (10)).  The generated rows,
    optionally kept only when their margin is small (``filter``, the paper's "+F"),
    are appended to the real ones.

    This is a sampler in the imbalanced-learn sense: use :meth:`fit_resample`, or put
    it in an ``imblearn.pipeline.Pipeline`` in front of a classifier; samplers run
    only while the pipeline is fitted.  It has no ``transform``, because a
    scikit-learn transformer must keep the number of rows; ``fit_resample`` is the
    "transform that returns the augmented (X, y)".

    Parameters
    ----------
    oracle : classifier with ``predict_proba``, default=None
        The classifier whose uncertainty is rewarded (Algorithm 1, line 3).  It is
        cloned and fitted on the real data, in the caller's units.  None uses an RBF
        SVM with standardisation, C and gamma chosen by stratified grid search, and
        Platt scaling.  During training, a sigmoid-calibrated ``SVC`` (that default,
        or your own ``CalibratedClassifierCV(method="sigmoid")`` around an ``SVC``,
        alone or after ``StandardScaler`` steps) is evaluated in torch on the training
        device, once it has been checked to reproduce its ``predict_proba``; any
        other oracle is called through ``predict_proba`` on each generated batch.
    alpha : float, default=0.5
        α of Eq. (8): weight of the margin term ``exp(1 - u_m)`` against the entropy
        term ``exp(u_le)``, in ``[0, 1]``.
    uncertainty_weight : float, default=1.0
        λ of Eq. (10): weight of the uncertainty term L_U in the generator's
        objective.  0 trains a plain AC-GAN.  The paper uses 10 with
        ``reward_normalization="none"`` and ``log_density_normalization="none"``;
        with the default normalisations L_U is on a different scale and 1 works
        better (see the efficacy notes in the documentation).
    filter : MarginFilter, "margin" or None, default="margin"
        The "+F" step, applied to the generated rows only, with this augmenter's
        oracle.  "margin" means ``MarginFilter()`` (threshold 0.2, and the oracle
        must agree with the conditioning label, ``top_k=1``); None keeps every
        generated row.  Pass a ``MarginFilter`` to tune ``filter__threshold``; the
        paper's filter is ``MarginFilter(threshold, top_k=None)``.
    n_samples : int or float, default=1.0
        Number of rows to generate before filtering: an int is a count, a float a
        fraction of the number of real rows.
    n_components : int, default=10
        K_gmm, the number of components of the Gaussian mixture Θ of Eq. (9).
    covariance_type : {"diag", "full"}, default="diag"
        Covariance of the mixture components.
    buffer_batches : int, default=10
        M: the mixture is re-estimated on the discriminator features of the last M
        generated batches.
    em_iter : int, default=1
        EM iterations per training iteration, warm-started from the previous Θ.
    warmup_iter : int, default=1000
        m: plain AC-GAN iterations before the uncertainty term is switched on.
    max_iter : int, default=2000
        Total generator updates, warm-up included.
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
        ``(C, H, W)`` when each row of X is a flattened image (H and W multiples of
        4): the generator and discriminator are then convolutional (DCGAN-style),
        h(x) is the output of the discriminator's conv trunk (two convolutions and
        a dense layer), and the data are standardised per channel rather than per
        pixel.  None uses MLPs.
    networks : callable, default=None
        Your own networks: ``networks(n_features, n_classes, latent_dim)`` returns
        ``(generator, discriminator)``, two ``torch.nn.Module``.  The generator maps
        noise ``z`` (n, latent_dim) and int64 labels ``y`` (n,) to samples
        (n, n_features) in standardised units (per channel with ``image_shape``);
        the discriminator maps samples to
        ``(s, c, h)``: real/fake logits (n,), class logits (n, n_classes) and the
        trunk features h (n, d) that the mixture of Eq. (9) is fitted on.  Use a
        module-level function so that the estimator pickles.  None builds the MLP
        (or, with ``image_shape``, convolutional) networks.  With ``networks``,
        ``hidden_layer_sizes`` is ignored and ``image_shape`` only selects the
        per-channel standardisation.
    learning_rate : float, default=2e-4
        Adam learning rate of both networks (β1 = 0.5, β2 = 0.999).
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
        loss, against intra-class mode collapse: each batch is generated as two
        halves with the same labels, and G is penalised when different noise gives
        the same samples.  Not in the paper; 0 turns it off.
    reward_gradient : {"score_function", "pathwise"}, default="score_function"
        How the reward steers the generator.  "score_function" is Eq. (10): the
        reward, a constant, weights the log-density log P(x̂|Θ) of the mixture.
        "pathwise" (not in the paper) maximises the reward r(G(z, y)) itself,
        differentiated through the oracle with respect to the generated samples;
        it uses no mixture (``n_components``, ``covariance_type``,
        ``buffer_batches``, ``em_iter``, ``reward_normalization`` and
        ``log_density_normalization`` are then unused) and needs an oracle that
        torch can evaluate: a sigmoid-calibrated ``SVC``, as the default oracle is.
    callbacks : list of callable, default=None
        Each is called as ``callback(record)`` after every iteration with that
        iteration's :attr:`history_` record (without ``informative``); training
        stops early when one returns True.  Not called when ``memory`` replays a
        cached fit.
    memory : str, joblib.Memory or None, default=None
        Cache of the trained oracle and networks, keyed by the data and by the
        parameters that affect training (not ``filter``, ``n_samples`` or
        ``verbose``), so that tuning ``filter__threshold`` trains the GAN once per
        fold.  A string is a cache folder.  Caching needs an integer
        ``random_state``: with None every fit draws new seeds and misses the cache.
    device : str or torch.device, default="auto"
        Where to train: "auto" picks CUDA when available, else the CPU.
    mixed_precision : bool, default=False
        Run the networks' forward passes in half precision (``torch.autocast``):
        float16 with gradient scaling on CUDA, bfloat16 on the CPU.  Weights, the
        losses, the mixture and the oracle stay in float32 (the oracle in float64
        when float32 does not reproduce its ``predict_proba``).  Made for GPUs with tensor cores; on a CPU the effect depends
        on the processor and on the networks (the performance report measures
        both).  Results are not bit-identical to float32 training.
    random_state : int, RandomState instance or None, default=None
        Controls the oracle's CV split, network initialisation, noise and batches.
        The same integer gives identical output on the same machine (CPU).
    verbose : int, default=0
        0 is silent; 1 or more prints a progress line about every 5 % of training to
        standard error.

    Attributes
    ----------
    oracle_ : classifier
        The oracle fitted on the real data.
    filter_ : MarginFilter or None
        The filter applied to generated rows.
    generator_ : torch.nn.Module
        The trained generator G(z, y), in evaluation mode.
    discriminator_ : torch.nn.Module
        The trained discriminator (trunk h, real/fake head s, class head c).
    density_ : GaussianMixture
        The last mixture Θ (None when ``uncertainty_weight=0``).
    scaler_ : StandardScaler
        The standardisation the networks work in; outputs are mapped back.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    class_prior_ : ndarray of shape (n_classes,)
        Class frequencies of the real data; generated labels follow them.
    history_ : list of dict
        One record per iteration: ``iteration``, ``phase`` ("warmup"/"active"),
        ``loss_d``, ``loss_g`` (Eq. (4) and (5) as minimised), ``uncertainty``
        (L_U), ``reward`` (mean r), ``informative`` (fraction of the batch with
        margin at most the filter's threshold), ``agreement`` (fraction whose oracle
        prediction is the conditioning label).  Values that an iteration does not
        compute are NaN: the oracle's view (reward, margin, informative, agreement)
        is recorded on every active iteration when ``uncertainty_weight > 0`` (the
        reward needs it) and on every 10th one when it is 0, where it only serves
        the history.  ``pandas.DataFrame(history_)`` tabulates it.
    device_ : torch.device
        The device the networks were trained on.
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

    Notes
    -----
    Kong, Q., Tong, B., Klinkigt, M., Watanabe, Y., Akira, N., Murakami, T. "Active
    Generative Adversarial Network for Image Classification", AAAI 2019
    (arXiv:1906.07133).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skactivegan import ActiveGANAugmenter
    >>> X, y = load_iris(return_X_y=True)
    >>> aug = ActiveGANAugmenter(max_iter=60, warmup_iter=30, random_state=0)
    >>> X_res, y_res = aug.fit_resample(X, y)
    >>> bool((X_res[:150] == X).all())
    True
    >>> X_gen, y_gen = aug.sample(20)
    >>> X_gen.shape[1]
    4
    """

    _parameter_constraints = {
        "oracle": [HasMethods(["fit", "predict_proba"]), None],
        "alpha": [Interval(Real, 0.0, 1.0, closed="both")],
        "uncertainty_weight": [Interval(Real, 0.0, None, closed="left")],
        "filter": [HasMethods(["keep_mask"]), StrOptions({"margin"}), None],
        "n_samples": [
            Interval(Integral, 0, None, closed="left"),
            Interval(Real, 0.0, None, closed="left"),
        ],
        "n_components": [Interval(Integral, 1, None, closed="left")],
        "covariance_type": [StrOptions({"diag", "full"})],
        "buffer_batches": [Interval(Integral, 1, None, closed="left")],
        "em_iter": [Interval(Integral, 1, None, closed="left")],
        "warmup_iter": [Interval(Integral, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "discriminator_every": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "latent_dim": [Interval(Integral, 1, None, closed="left")],
        "hidden_layer_sizes": [tuple, list],
        "image_shape": [tuple, list, None],
        "networks": [callable, None],
        "learning_rate": [Interval(Real, 0.0, None, closed="neither")],
        "reward_normalization": [StrOptions(set(REWARD_NORMALIZATIONS))],
        "log_density_normalization": [StrOptions(set(LOG_DENSITY_NORMALIZATIONS))],
        "diversity_weight": [Interval(Real, 0.0, None, closed="left")],
        "reward_gradient": [StrOptions(set(REWARD_GRADIENTS))],
        "callbacks": [list, None],
        "memory": [str, HasMethods(["cache"]), None],
        "device": [str, torch.device],
        "mixed_precision": ["boolean"],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        oracle=None,
        alpha=0.5,
        uncertainty_weight=1.0,
        filter="margin",
        n_samples=1.0,
        n_components=10,
        covariance_type="diag",
        buffer_batches=10,
        em_iter=1,
        warmup_iter=1000,
        max_iter=2000,
        discriminator_every=1,
        batch_size=64,
        latent_dim=32,
        hidden_layer_sizes=(128, 128),
        image_shape=None,
        networks=None,
        learning_rate=2e-4,
        reward_normalization="standardize",
        log_density_normalization="per_dim",
        diversity_weight=1.0,
        reward_gradient="score_function",
        callbacks=None,
        memory=None,
        device="auto",
        mixed_precision=False,
        random_state=None,
        verbose=0,
    ):
        self.oracle = oracle
        self.alpha = alpha
        self.uncertainty_weight = uncertainty_weight
        self.filter = filter
        self.n_samples = n_samples
        self.n_components = n_components
        self.covariance_type = covariance_type
        self.buffer_batches = buffer_batches
        self.em_iter = em_iter
        self.warmup_iter = warmup_iter
        self.max_iter = max_iter
        self.discriminator_every = discriminator_every
        self.batch_size = batch_size
        self.latent_dim = latent_dim
        self.hidden_layer_sizes = hidden_layer_sizes
        self.image_shape = image_shape
        self.networks = networks
        self.learning_rate = learning_rate
        self.reward_normalization = reward_normalization
        self.log_density_normalization = log_density_normalization
        self.diversity_weight = diversity_weight
        self.reward_gradient = reward_gradient
        self.callbacks = callbacks
        self.memory = memory
        self.device = device
        self.mixed_precision = mixed_precision
        self.random_state = random_state
        self.verbose = verbose

    # ------------------------------------------------------------ validation
    def _check_params(self):
        if self.warmup_iter > self.max_iter:
            raise ValueError(
                f"warmup_iter ({self.warmup_iter}) must not exceed max_iter "
                f"({self.max_iter})."
            )
        sizes = tuple(self.hidden_layer_sizes)
        if not sizes or not all(isinstance(s, Integral) and s > 0 for s in sizes):
            raise ValueError(
                "hidden_layer_sizes must be a non-empty sequence of positive ints; "
                f"got {self.hidden_layer_sizes!r}."
            )
        return sizes

    def _check_image_shape(self, n_features):
        if self.image_shape is None:
            return None
        shape = tuple(int(v) for v in self.image_shape)
        if len(shape) != 3 or min(shape) < 1:
            raise ValueError(f"image_shape must be (C, H, W); got {self.image_shape!r}.")
        if np.prod(shape) != n_features:
            raise ValueError(
                f"image_shape {shape} holds {int(np.prod(shape))} values but X has "
                f"{n_features} features; X must hold flattened C*H*W images."
            )
        check_image_shape(shape)
        if self.networks is None and self.batch_size < 2:
            raise ValueError(
                "batch_size must be at least 2 with image_shape: the convolutional "
                "generator normalises each batch (batch normalisation)."
            )
        return shape

    def _resolve_filter(self):
        if self.filter is None:
            return None
        if isinstance(self.filter, str):
            return MarginFilter()
        if getattr(self.filter, "oracle", None) is not None:
            raise ValueError(
                "The filter given to ActiveGANAugmenter scores rows with the augmenter's "
                "oracle; set `oracle` on the augmenter, not on the filter."
            )
        flt = clone(self.filter)
        flt._validate_params()
        return flt

    def _n_to_generate(self, n_real):
        if isinstance(self.n_samples, Integral):
            return int(self.n_samples)
        return int(round(self.n_samples * n_real))

    # ------------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Fit the oracle on ``(X, y)`` and train the GAN with Algorithm 1.

        If fitting is interrupted (``KeyboardInterrupt``) or fails, the estimator is
        left as it was before the call: unfitted, or holding its previous fit.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Real labelled samples; numeric and finite.
        y : array-like of shape (n_samples,)
            Class labels (any hashable type); at least 2 classes with at least 2
            samples each.

        Returns
        -------
        self : ActiveGANAugmenter
        """
        self._fit_or_restore(X, y)
        return self

    def _fit_or_restore(self, X, y):
        """Fit; on any exception, put the estimator back as it was and re-raise.

        Returns the validated ``(X, y)``.
        """
        previous = dict(self.__dict__)
        try:
            return self._fit(X, y)
        except BaseException:
            self.__dict__.clear()
            self.__dict__.update(previous)
            raise

    def _training_config(self):
        return TrainingConfig(
            alpha=float(self.alpha),
            uncertainty_weight=float(self.uncertainty_weight),
            max_iter=int(self.max_iter),
            warmup_iter=int(self.warmup_iter),
            discriminator_every=int(self.discriminator_every),
            batch_size=int(self.batch_size),
            latent_dim=int(self.latent_dim),
            n_components=int(self.n_components),
            buffer_batches=int(self.buffer_batches),
            covariance_type=self.covariance_type,
            em_iter=int(self.em_iter),
            learning_rate=float(self.learning_rate),
            reward_normalization=self.reward_normalization,
            log_density_normalization=self.log_density_normalization,
            diversity_weight=float(self.diversity_weight),
            reward_gradient=self.reward_gradient,
            mixed_precision=bool(self.mixed_precision),
        )

    def _fit(self, X, y):
        X, y = validate_X_y(self, X, y)
        hidden = self._check_params()
        image_shape = self._check_image_shape(X.shape[1])
        classes, _, counts = check_classes(y)
        filter_ = self._resolve_filter()
        device = resolve_device(self.device)
        if self.mixed_precision and device.type not in ("cpu", "cuda"):
            raise ValueError(
                f"mixed_precision=True is supported on CUDA and the CPU; got device "
                f"{device}. Set mixed_precision=False."
            )
        rng = check_random_state(self.random_state)
        seeds = tuple(int(s) for s in rng.randint(np.iinfo(np.int32).max, size=5))

        callbacks = list(self.callbacks or [])
        if self.verbose:
            callbacks.insert(0, _ProgressPrinter(self.max_iter))
        train = train_activegan
        if self.memory is not None:
            train = check_memory(self.memory).cache(train, ignore=["callbacks"])
        result = train(
            X,
            y,
            oracle=self.oracle,
            config=self._training_config(),
            hidden_layer_sizes=hidden,
            image_shape=image_shape,
            networks=self.networks,
            seeds=seeds[:4],
            device=str(device),
            callbacks=callbacks,
        )

        threshold = filter_.threshold if filter_ is not None else MarginFilter().threshold
        self.classes_ = classes
        self.class_prior_ = counts / counts.sum()
        self.filter_ = filter_
        self.device_ = device
        self.oracle_ = result["oracle"]
        self.scaler_ = result["scaler"]
        self._constant_columns = result["constant_columns"]
        self._constant_values = result["constant_values"]
        self.generator_ = result["generator"]
        self.discriminator_ = result["discriminator"]
        self.density_ = result["density"]
        self.history_ = _informative_history(result["history"], result["margins"], threshold)
        self.n_iter_ = len(self.history_)
        self.stop_reason_ = result["stop_reason"]
        self._X_dtype = X.dtype
        self._sample_seed = seeds[4]
        return X, y

    def __sklearn_is_fitted__(self):
        return hasattr(self, "generator_")

    # ---------------------------------------------------------------- sample
    def _generate(self, n, seed):
        """Generate ``n`` rows (unfiltered) in the caller's units.

        Returns
        -------
        X_gen : ndarray of shape (n, n_features_in_)
        y_index : ndarray of shape (n,), int64
        """
        counts = allocate_per_class(n, self.class_prior_)
        y_index = np.repeat(np.arange(len(self.classes_)), counts)
        if n == 0:
            return np.empty((0, self.n_features_in_), dtype=self._X_dtype), y_index
        rng = torch.Generator().manual_seed(seed)
        z = torch.randn(n, self.latent_dim, generator=rng)
        device = next(self.generator_.parameters()).device
        chunks = []
        self.generator_.eval()
        with torch.no_grad():
            for start in range(0, n, _GENERATION_BATCH):
                stop = start + _GENERATION_BATCH
                zb = z[start:stop].to(device)
                yb = torch.as_tensor(y_index[start:stop], device=device)
                chunks.append(self.generator_(zb, yb).cpu().numpy().astype(np.float64))
        X_gen = self.scaler_.inverse_transform(np.concatenate(chunks))
        # A column without variance is standardised with scale 1 (or, for images,
        # with its channel's), which would let the generator's noise through in the
        # caller's units: give it its constant back.
        constant = self._constant_columns
        X_gen[:, constant] = self._constant_values
        if not np.isfinite(X_gen).all():
            raise FloatingPointError(
                "The generator produced non-finite values; training diverged. Refit with "
                "a smaller learning_rate or uncertainty_weight."
            )
        return X_gen.astype(self._X_dtype, copy=False), y_index

    def _sample_arrays(self, n, seed):
        X_gen, y_index = self._generate(n, seed)
        if self.filter_ is not None and n:
            proba = oracle_proba(self.oracle_, X_gen, self.classes_)
            keep = self.filter_.keep_mask(proba, y_index)
            X_gen, y_index = X_gen[keep], y_index[keep]
        return X_gen, self.classes_[y_index]

    def sample(self, n_samples, *, random_state=None):
        """Generate labelled rows from the trained generator, filter applied.

        ``n_samples`` rows are generated, with labels in proportion to the class
        frequencies of the training data; the filter (if any) then keeps the
        informative ones, so fewer rows may come back.

        Parameters
        ----------
        n_samples : int
            Number of rows to generate before filtering.
        random_state : int, RandomState instance or None, default=None
            Seed of the noise.  None uses a seed drawn from the estimator's
            ``random_state`` at fit, so repeated calls return the same rows.

        Returns
        -------
        X_gen : ndarray or DataFrame of shape (n_kept, n_features_in_)
            In the units and dtype of the training data (DataFrame when fitted on
            one).
        y_gen : ndarray of shape (n_kept,)
            Labels, with the values and dtype of the training labels.
        """
        check_is_fitted(self)
        if not isinstance(n_samples, Integral) or n_samples < 0:
            raise ValueError(f"n_samples must be a non-negative int; got {n_samples!r}.")
        seed = (
            self._sample_seed
            if random_state is None
            else int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
        )
        X_gen, y_gen = self._sample_arrays(int(n_samples), seed)
        return wrap_like(X_gen, y_gen, None, None,
                         columns=getattr(self, "feature_names_in_", None))

    @_fit_context(prefer_skip_nested_validation=False)
    def fit_resample(self, X, y):
        """Fit, then return the real rows followed by the generated rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)

        Returns
        -------
        X_resampled : ndarray or DataFrame of shape (n_samples + n_kept, n_features)
            The real rows first, unchanged and in order, then the generated rows that
            passed the filter.  A DataFrame when ``X`` is one.
        y_resampled : ndarray or Series of shape (n_samples + n_kept,)
        """
        X_arr, y_arr = self._fit_or_restore(X, y)
        X_gen, y_gen = self._sample_arrays(self._n_to_generate(len(X_arr)), self._sample_seed)
        X_res = np.concatenate([X_arr, X_gen.astype(X_arr.dtype, copy=False)])
        y_res = np.concatenate([y_arr, y_gen.astype(y_arr.dtype, copy=False)])
        return wrap_like(X_res, y_res, X, y)

    # ---------------------------------------------------------- persistence
    def __getstate__(self):
        """Pickle with every tensor on the CPU, so that the model loads anywhere."""
        state = super().__getstate__()
        for name in ("generator_", "discriminator_"):
            module = state.get(name)
            if module is not None and any(p.device.type != "cpu" for p in module.parameters()):
                state[name] = copy.deepcopy(module).cpu()
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        return tags
