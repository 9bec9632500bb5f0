"""ComposingGenerator: the settings of the generator that composes real rows."""

from numbers import Integral, Real

from .._compat import Interval
from ._base import GeneratorSettings
from ._composer import COMPOSER_CHOICES, build_composer
from ._networks import build_discriminator

__all__ = ["ComposingGenerator"]

#: Settings of Algorithm 1 fixed for the composing generator: its networks are
#: small and only its policy and a bounded residual are learned.
_TRAINING = dict(latent_dim=32, batch_size=64, learning_rate=2e-4,
                 discriminator_every=1, diversity_weight=1.0, mixed_precision=False)
_HIDDEN_LAYER_SIZES = (128, 128)


class ComposingGenerator(GeneratorSettings):
    """Rows composed from real ones, steered by the reward: the default on tables.

    For a row of class y it chooses an anchor a (a real row of class y), a neighbour
    b (one of a's ``k_neighbors`` nearest rows of class y, by SMOTENC's distance), a
    position t in (0, 1) and a small residual r, and returns ``a + t (b - a) + r``.
    A categorical column is taken from a (t < 0.5) or from b, integers come back
    integral and in range, and a column in which a and b agree keeps their value
    exactly.  The choices named in ``policy_choices`` are a policy (a network's
    distributions) that the reward of Eq. (8) steers by a policy gradient; the
    others stay uniform.  At the start every choice is uniform and r is zero: the
    generator starts as SMOTE.  The residual is trained by the adversarial losses.

    Parameters
    ----------
    k_neighbors : int, default=5
        Same-class nearest neighbours to choose b from (SMOTE's ``k_neighbors``).
        A class of one row gets copies of that row.
    residual_scale : float, default=0.1
        Bound of the residual r, in standard deviations of each numeric column
        (``r = residual_scale * tanh(.)``); 0 keeps the rows on the segments
        between real rows.
    policy_choices : tuple of str, default=("position",)
        The choices the reward steers: any of "anchor", "neighbour" and "position".
    policy_learning_rate : float, default=3e-3
        Adam learning rate of the policy, which only the reward trains.

    See Also
    --------
    MLPGenerator : the paper's free generator G(z, y).
    imblearn.over_sampling.SMOTE : the interpolation this generator starts from.

    Notes
    -----
    The defaults (120 iterations, no filter, the position as the only learned
    choice, the policy's learning rate) were chosen on the tuning tables of
    ``benchmarks/bench_imbalanced.py``; docs/imbalanced.md has the measurements.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skactivegan import ActiveGANAugmenter
    >>> from skactivegan.generators import ComposingGenerator
    >>> X, y = make_classification(n_samples=120, weights=[0.8], random_state=0)
    >>> aug = ActiveGANAugmenter(generator=ComposingGenerator(k_neighbors=3),
    ...                          random_state=0)
    >>> X_res, y_res = aug.fit_resample(X, y)
    >>> X_res.shape
    (194, 20)
    """

    default_max_iter = 120
    default_filter = None

    _parameter_constraints = {
        "k_neighbors": [Interval(Integral, 1, None, closed="left")],
        "residual_scale": [Interval(Real, 0.0, None, closed="left")],
        "policy_choices": [tuple, list],
        "policy_learning_rate": [Interval(Real, 0.0, None, closed="neither")],
    }

    def __init__(self, k_neighbors=5, residual_scale=0.1, policy_choices=("position",),
                 policy_learning_rate=3e-3):
        self.k_neighbors = k_neighbors
        self.residual_scale = residual_scale
        self.policy_choices = policy_choices
        self.policy_learning_rate = policy_learning_rate

    def _check(self, n_features, device):
        super()._check(n_features, device)
        unknown = sorted(set(self.policy_choices) - set(COMPOSER_CHOICES))
        if unknown:
            raise ValueError(
                f"policy_choices must be a subset of {COMPOSER_CHOICES}; got "
                f"{unknown} in {self.policy_choices!r}."
            )

    def _training_settings(self):
        return {**_TRAINING, "policy_learning_rate": float(self.policy_learning_rate)}

    def _build(self, X, Z, y_index, n_classes, *, encoder, device, rng, seed,
               classes_to_generate):
        discriminator = build_discriminator(
            Z.shape[1], n_classes, hidden_layer_sizes=_HIDDEN_LAYER_SIZES,
            image_shape=None, device=device, rng=rng,
        )
        generator = build_composer(
            Z, y_index, n_classes, latent_dim=_TRAINING["latent_dim"],
            hidden_layer_sizes=_HIDDEN_LAYER_SIZES,
            output_blocks=tuple(encoder.output_blocks_), device=device, rng=rng,
            composed_classes=classes_to_generate, k_neighbors=int(self.k_neighbors),
            residual_scale=float(self.residual_scale),
            choices=tuple(self.policy_choices),
        )
        # The real rows' float values, from which the rows returned are composed
        # exactly (see generate_rows).
        generator.float_values = encoder.float_values(X)
        return generator, discriminator
