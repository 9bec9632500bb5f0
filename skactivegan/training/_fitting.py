"""Everything ``ActiveGANAugmenter.fit`` learns, as one function with a typed result.

:func:`train_activegan` fits the encoder (the space the networks work in), the oracle
and the networks, and runs the trainer of :mod:`skactivegan.training._trainer`.  It is a
plain function of the data and of the parameters that affect training, so that
``memory`` can cache it (:func:`cached_training`); the filter and the number of rows
to generate are not arguments, so tuning them reuses a cached result.
"""

from dataclasses import dataclass, field
from numbers import Integral
from typing import Any

import numpy as np
import torch
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_memory

from ..oracle._oracle import (
    LARGE_TABLE_ROWS,
    build_network_oracle,
    default_oracle_params,
    fit_default_oracle,
    fit_large_table_oracle,
    fit_oracle,
)
from ..reward._gaussian_mixture import GaussianMixture
from ._trainer import ActiveGANTrainer

__all__ = [
    "TrainingResult",
    "cached_training",
    "informative_history",
    "resolve_warmup_iter",
    "train_activegan",
]


def resolve_warmup_iter(warmup_iter, max_iter):
    """The number of warm-up iterations m of Algorithm 1.

    One rule for Python and the command line: a float in [0, 1) is a fraction of
    ``max_iter`` (rounded down), an int is a count and must not exceed ``max_iter``.

    Parameters
    ----------
    warmup_iter : int or float
    max_iter : int

    Returns
    -------
    m : int
    """
    if isinstance(warmup_iter, Integral):
        if warmup_iter > max_iter:
            raise ValueError(
                f"warmup_iter={warmup_iter} plain AC-GAN iterations do not fit in "
                f"max_iter={max_iter}; give a count of at most max_iter, or a fraction "
                "such as warmup_iter=0.5 (half of max_iter, the default)."
            )
        return int(warmup_iter)
    return int(np.floor(float(warmup_iter) * max_iter))


def fit_oracles(oracle, X, Z, y, encoder, seed, oracle_params=None):
    """Fit the oracle; return it on the caller's rows and, if any, on encoded rows.

    The default oracle (``oracle=None``) is fitted on the encoded rows (numbers
    standardised, categories one-hot) and exposed to the caller as
    ``Pipeline([("encoder", encoder), (name, model)])``: up to
    :data:`~skactivegan.oracle._oracle.LARGE_TABLE_ROWS` rows, the grid-searched,
    Platt-scaled SVM (``name`` "svm"); on more rows, whose grid search is quadratic
    in the rows, a class-balanced histogram gradient boosting (``name``
    "boosting", :func:`~skactivegan.oracle._oracle.fit_large_table_oracle`).  A user's
    oracle is cloned and fitted on the caller's own rows (a DataFrame stays one), so
    that a pipeline with its own encoder works as the oracle.  ``oracle_params``
    are the fit parameters of the oracle (the default oracle takes
    ``sample_weight`` only).

    Returns
    -------
    oracle_ : fitted classifier on the caller's rows
    encoded_oracle : fitted classifier on encoded rows, or None
    """
    oracle_params = dict(oracle_params or {})
    if oracle is None:
        weights = default_oracle_params(oracle_params)
        Z = np.asarray(Z, dtype=np.float64)
        if len(Z) > LARGE_TABLE_ROWS:
            model, name = fit_large_table_oracle(Z, y, seed, **weights), "boosting"
        else:
            model, name = fit_default_oracle(Z, y, seed, **weights), "svm"
        return Pipeline([("encoder", encoder), (name, model)]), model
    return fit_oracle(oracle, X, y, seed, **oracle_params), None


@dataclass
class TrainingResult:
    """What :func:`train_activegan` learned.

    Attributes
    ----------
    encoder : fitted encoder
        Caller rows to network rows (``transform``) and back (``inverse_transform``).
    oracle : fitted classifier
        The oracle on the caller's rows.
    network_oracle : NetworkOracle
        The oracle as training and the filter evaluate it.
    generator, discriminator : torch.nn.Module
    density : GaussianMixture or None
    history : list of dict
        One record per iteration run.
    margins : list of ndarray
        The oracle margins of each scored batch.
    stop_reason : str or None
        Why training stopped early, None when it ran ``max_iter`` iterations.
    probe : ndarray
        A few real rows, encoded, to check a compiled oracle after unpickling.
    encoded_oracle : fitted classifier or None
        The default oracle's model on encoded rows (the last step of ``oracle``),
        from which the torch oracle is rebuilt after unpickling; None for a user's
        oracle.
    """

    encoder: Any
    oracle: Any
    network_oracle: Any
    generator: torch.nn.Module
    discriminator: torch.nn.Module
    density: GaussianMixture | None
    history: list = field(default_factory=list)
    margins: list = field(default_factory=list)
    stop_reason: str | None = None
    probe: Any = None
    encoded_oracle: Any = None

    @property
    def completed(self):
        """Whether training ran to ``max_iter`` (not stopped by a callback or
        divergence)."""
        return self.stop_reason is None


def train_activegan(X, y, *, oracle, config, generator, categorical_features, seeds,
                    device, callbacks=(), label_weights=None, oracle_params=None):
    """Fit the encoder, the oracle and the networks: everything ``fit`` learns.

    Parameters
    ----------
    X : ndarray or DataFrame of shape (n_samples, n_features)
        The caller's rows.
    y : ndarray of shape (n_samples,)
        Labels, already checked.
    oracle : estimator or None
        Unfitted; fitted here (see :func:`fit_oracles`).
    config : TrainingConfig
    generator : generator settings
        A :class:`~skactivegan.generators.ComposingGenerator`,
        :class:`~skactivegan.generators.MLPGenerator` or
        :class:`~skactivegan.generators.ConvGenerator`, already checked: it makes
        the encoder and the networks.
    categorical_features : see ``ActiveGANAugmenter``
    seeds : tuple of int
        Seeds of the oracle, the networks, the mixture and the training loop.
    device : str
    callbacks : list of callable
    label_weights : ndarray of shape (n_classes,) or None, default=None
        How often each class is drawn for the generated batches: in proportion to
        the rows that will be generated, so that the generator learns the classes
        it is asked for (over-sampling: the minority classes).  None uses the class
        frequencies.
    oracle_params : dict or None, default=None
        Fit parameters of the oracle.

    Returns
    -------
    result : TrainingResult
    """
    device = torch.device(device)
    classes, y_index, counts = np.unique(y, return_inverse=True, return_counts=True)
    y_index = y_index.ravel()
    encoder = generator._make_encoder(categorical_features, np.shape(X)[1]).fit(X)
    Z = encoder.transform(X)
    oracle_, encoded_oracle = fit_oracles(oracle, X, Z, y, encoder, seeds[0],
                                          oracle_params)
    network_oracle = build_network_oracle(oracle_, encoder, Z, classes, device,
                                          encoded_oracle=encoded_oracle)
    G, D = generator._build(
        X, Z, y_index, len(classes), encoder=encoder, device=device,
        rng=torch.Generator().manual_seed(seeds[1]), seed=seeds[1],
        classes_to_generate=_classes_to_generate(label_weights),
    )
    density = None
    if config.uses_mixture:
        density = GaussianMixture(config.mixture.n_components,
                                  covariance_type=config.mixture.covariance_type,
                                  rng=torch.Generator().manual_seed(seeds[2]))
    trainer = ActiveGANTrainer(G, D, density, network_oracle, config,
                               torch.Generator().manual_seed(seeds[3]), device,
                               callbacks)
    trainer.fit(torch.as_tensor(np.asarray(Z, dtype=np.float32), device=device),
                torch.as_tensor(y_index.astype(np.int64), device=device),
                _class_prior(counts, label_weights))
    if density is not None:
        density.rng = None  # a torch.Generator does not pickle
    return TrainingResult(
        encoder=encoder, oracle=oracle_, network_oracle=network_oracle,
        generator=G, discriminator=D, density=density, history=trainer.history,
        margins=trainer.margins, stop_reason=trainer.stop_reason,
        # A copy: a view would keep the whole encoded table alive in the estimator.
        probe=np.array(Z[:64]), encoded_oracle=encoded_oracle,
    )


def _class_prior(counts, label_weights):
    """How often each class is drawn for a generated batch, as a float32 tensor."""
    prior = counts / counts.sum()
    if label_weights is not None and np.sum(label_weights) > 0:
        prior = np.asarray(label_weights, dtype=np.float64)
        prior = prior / prior.sum()
    return torch.as_tensor(prior, dtype=torch.float32)


def _classes_to_generate(label_weights):
    """The class indices the generator will be asked for (None: all)."""
    if label_weights is None or np.sum(label_weights) <= 0:
        return None
    return np.flatnonzero(np.asarray(label_weights) > 0)


class _StoppedEarly(Exception):
    """Carries the result of a run that must not be cached (joblib caches no
    exception)."""

    def __init__(self, result):
        super().__init__(result.stop_reason)
        self.result = result


def _train_completed(X, y, *, oracle, config, generator, categorical_features, seeds,
                     device, callbacks=(), label_weights=None, oracle_params=None):
    """:func:`train_activegan`, raising :class:`_StoppedEarly` for incomplete runs."""
    result = train_activegan(
        X, y, oracle=oracle, config=config, generator=generator,
        categorical_features=categorical_features, seeds=seeds, device=device,
        callbacks=callbacks, label_weights=label_weights, oracle_params=oracle_params,
    )
    if not result.completed:
        raise _StoppedEarly(result)
    return result


def cached_training(memory, **kwargs):
    """:func:`train_activegan`, through ``memory`` when it is not None.

    Only completed runs are cached: a run that a callback stopped or that diverged is
    returned but not stored, so that a later fit without that callback trains in
    full instead of replaying the truncated networks.  ``callbacks`` are not part of
    the cache key.
    """
    if memory is None:
        return train_activegan(**kwargs)
    train = check_memory(memory).cache(_train_completed, ignore=["callbacks"])
    try:
        return train(**kwargs)
    except _StoppedEarly as stopped:
        return stopped.result


def informative_history(history, margins, threshold):
    """Add to each scored record the fraction of its batch with margin <= threshold.

    Parameters
    ----------
    history : list of dict
    margins : list of ndarray
        One array per record whose ``margin`` is not NaN, in order.
    threshold : float

    Returns
    -------
    history : list of dict
        New records with an ``informative`` key (NaN where the batch was not scored).
    """
    batches = iter(margins)
    out = []
    for record in history:
        record = dict(record)
        scored = not np.isnan(record["margin"])
        record["informative"] = (
            float(np.mean(np.asarray(next(batches)) <= threshold))
            if scored else float("nan")
        )
        out.append(record)
    return out
