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

from ..generators._composer import build_composer
from ..generators._networks import (
    build_discriminator,
    build_networks,
    build_user_networks,
)
from ..oracle._oracle import (
    LARGE_TABLE_ROWS,
    build_network_oracle,
    fit_default_oracle,
    fit_large_table_oracle,
    fit_oracle,
)
from ..reward._gaussian_mixture import GaussianMixture
from ..tables._encoder import TableEncoder
from ..tables._scaling import ChannelStandardScaler
from ._trainer import ActiveGANTrainer

__all__ = [
    "TrainingResult",
    "cached_training",
    "fit_encoder",
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


def fit_encoder(X, *, image_shape, categorical_features):
    """Fit the map between the caller's rows and the networks' rows.

    Images are standardised per channel (:class:`ChannelStandardScaler`); tables are
    encoded by :class:`TableEncoder` (numbers standardised, categories one-hot).
    """
    if image_shape is not None:
        return ChannelStandardScaler(image_shape).fit(X)
    return TableEncoder(categorical_features=categorical_features).fit(X)


def fit_oracles(oracle, X, Z, y, encoder, seed):
    """Fit the oracle; return it on the caller's rows and, if any, on encoded rows.

    The default oracle (``oracle=None``) is fitted on the encoded rows (numbers
    standardised, categories one-hot) and exposed to the caller as
    ``Pipeline([("encoder", encoder), (name, model)])``: up to
    :data:`~skactivegan.oracle._oracle.LARGE_TABLE_ROWS` rows, the grid-searched,
    Platt-scaled SVM (``name`` "svm"); on more rows, whose grid search is quadratic
    in the rows, a class-balanced histogram gradient boosting (``name``
    "boosting", :func:`~skactivegan.oracle._oracle.fit_large_table_oracle`).  A user's
    oracle is cloned and fitted on the caller's own rows (a DataFrame stays one), so
    that a pipeline with its own encoder works as the oracle.

    Returns
    -------
    oracle_ : fitted classifier on the caller's rows
    encoded_oracle : fitted classifier on encoded rows, or None
    """
    if oracle is None:
        Z = np.asarray(Z, dtype=np.float64)
        if len(Z) > LARGE_TABLE_ROWS:
            model, name = fit_large_table_oracle(Z, y, seed), "boosting"
        else:
            model, name = fit_default_oracle(Z, y, seed), "svm"
        return Pipeline([("encoder", encoder), (name, model)]), model
    return fit_oracle(oracle, X, y, seed), None


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

    @property
    def completed(self):
        """Whether training ran to ``max_iter`` (not stopped by a callback or
        divergence)."""
        return self.stop_reason is None


def train_activegan(X, y, *, oracle, config, hidden_layer_sizes, image_shape,
                    categorical_features, networks, seeds, device, callbacks=(),
                    composer=None, label_weights=None):
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
    hidden_layer_sizes : tuple of int
    image_shape : tuple of int or None
    categorical_features : see ``ActiveGANAugmenter``
    networks : callable or None
        Factory of user-supplied networks.
    seeds : tuple of int
        Seeds of the oracle, the networks, the mixture and the training loop.
    device : str
    callbacks : list of callable
    composer : dict or None, default=None
        None trains the free generator (MLP, convolutional, or ``networks``');
        a dict (``k_neighbors``, ``residual_scale``, ``choices``) trains a
        :class:`~skactivegan.generators._composer.RowComposer` on the encoded rows.
    label_weights : ndarray of shape (n_classes,) or None, default=None
        How often each class is drawn for the generated batches: in proportion to
        the rows that will be generated, so that the generator learns the classes
        it is asked for (over-sampling: the minority classes).  None uses the class
        frequencies.

    Returns
    -------
    result : TrainingResult
    """
    device = torch.device(device)
    classes, y_index, counts = np.unique(y, return_inverse=True, return_counts=True)
    class_prior = counts / counts.sum()
    encoder = fit_encoder(X, image_shape=image_shape,
                          categorical_features=categorical_features)
    Z = encoder.transform(X)
    oracle_, encoded_oracle = fit_oracles(oracle, X, Z, y, encoder, seeds[0])
    network_oracle = build_network_oracle(oracle_, encoder, Z, classes, device,
                                          encoded_oracle=encoded_oracle)
    if config.uses_oracle_gradient and not network_oracle.differentiable:
        raise ValueError(
            "reward_gradient='pathwise' differentiates the oracle's probabilities, "
            "which is possible for the default oracle, a sigmoid-calibrated SVC "
            "(CalibratedClassifierCV(SVC(), method='sigmoid'), alone or after "
            "StandardScaler steps) or a LogisticRegression on a numeric table, or an "
            "oracle with a torch_predict_proba method (trees and nearest neighbours "
            "are evaluated in torch too, but are piecewise constant: no gradient); "
            f"got {type(oracle_).__name__}. Use "
            "reward_gradient='score_function' with this oracle."
        )

    n_classes, n_encoded = len(classes), Z.shape[1]
    rng = torch.Generator().manual_seed(seeds[1])
    if composer is not None:
        discriminator = build_discriminator(
            n_encoded, n_classes, hidden_layer_sizes=hidden_layer_sizes,
            image_shape=image_shape, device=device, rng=rng,
        )
        generator = build_composer(
            Z, y_index.ravel(), n_classes, latent_dim=config.latent_dim,
            hidden_layer_sizes=hidden_layer_sizes,
            output_blocks=tuple(getattr(encoder, "output_blocks_", ())),
            device=device, rng=rng,
            composed_classes=_composed_classes(label_weights), **composer,
        )
    elif networks is None:
        generator, discriminator = build_networks(
            n_encoded, n_classes, latent_dim=config.latent_dim,
            hidden_layer_sizes=hidden_layer_sizes, image_shape=image_shape,
            device=device, rng=rng, output_blocks=tuple(encoder.output_blocks_),
        )
    else:
        generator, discriminator = build_user_networks(
            networks, n_encoded, n_classes, latent_dim=config.latent_dim,
            seed=seeds[1], device=device,
        )
    density = None
    if config.uses_mixture:
        density = GaussianMixture(config.n_components,
                                  covariance_type=config.covariance_type,
                                  rng=torch.Generator().manual_seed(seeds[2]))
    trainer = ActiveGANTrainer(
        generator, discriminator, density, network_oracle, config,
        torch.Generator().manual_seed(seeds[3]), device, callbacks,
    )
    Z_t = torch.as_tensor(np.asarray(Z, dtype=np.float32), device=device)
    y_t = torch.as_tensor(y_index.ravel().astype(np.int64), device=device)
    if label_weights is not None and np.sum(label_weights) > 0:
        class_prior = np.asarray(label_weights, dtype=np.float64)
        class_prior = class_prior / class_prior.sum()
    trainer.fit(Z_t, y_t, torch.as_tensor(class_prior, dtype=torch.float32))
    if density is not None:
        density.rng = None  # a torch.Generator does not pickle
    return TrainingResult(
        encoder=encoder,
        oracle=oracle_,
        network_oracle=network_oracle,
        generator=generator,
        discriminator=discriminator,
        density=density,
        history=trainer.history,
        margins=trainer.margins,
        stop_reason=trainer.stop_reason,
        probe=np.asarray(Z[:64]),
    )


def _composed_classes(label_weights):
    """The class indices the generator will be asked for (all when none is)."""
    if label_weights is None or np.sum(label_weights) <= 0:
        return None
    return np.flatnonzero(np.asarray(label_weights) > 0)


class _StoppedEarly(Exception):
    """Carries the result of a run that must not be cached (joblib caches no
    exception)."""

    def __init__(self, result):
        super().__init__(result.stop_reason)
        self.result = result


def _train_completed(X, y, *, oracle, config, hidden_layer_sizes, image_shape,
                     categorical_features, networks, seeds, device, callbacks=(),
                     composer=None, label_weights=None):
    """:func:`train_activegan`, raising :class:`_StoppedEarly` for incomplete runs."""
    result = train_activegan(
        X, y, oracle=oracle, config=config, hidden_layer_sizes=hidden_layer_sizes,
        image_shape=image_shape, categorical_features=categorical_features,
        networks=networks, seeds=seeds, device=device, callbacks=callbacks,
        composer=composer, label_weights=label_weights,
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
