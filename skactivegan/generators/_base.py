"""What every generator's settings object provides to training and generation.

A generator is given to :class:`~skactivegan.ActiveGANAugmenter` as an object that
carries its own settings (a scikit-learn estimator for ``get_params``, ``clone`` and
grid-search keys); it is never fitted itself.  At ``fit`` the augmenter asks it for

- the encoder of the rows the networks see (:meth:`GeneratorSettings._make_encoder`),
- the settings of Algorithm 1 that belong to it (:meth:`_training_settings`),
- its networks, built on the encoded rows (:meth:`_build`),

and its defaults: the number of iterations (``max_iter="auto"``) and the filter
(``filter="auto"``).  The trained networks are the augmenter's ``generator_`` and
``discriminator_``.
"""

from sklearn.base import BaseEstimator

from .._compat import validate_params
from ..tables._encoder import TableEncoder

__all__ = ["GeneratorSettings"]


class GeneratorSettings(BaseEstimator):
    """Base of the generators' settings objects (not public).

    Attributes
    ----------
    default_max_iter : int
        Iterations of Algorithm 1 when the augmenter's ``max_iter`` is "auto".
    default_filter : {"margin", None}
        The filter that the augmenter's ``filter="auto"`` stands for.
    """

    default_max_iter = 2000
    default_filter = "margin"

    def _check(self, n_features, device):
        """Validate the settings for a table of ``n_features`` columns on ``device``.

        Raises a ValueError or TypeError that names the setting; called by the
        augmenter before anything is trained.
        """
        validate_params(self)

    def _make_encoder(self, categorical_features, n_features):
        """The unfitted encoder between the caller's rows and the networks' rows."""
        return TableEncoder(categorical_features=categorical_features)

    def _training_settings(self):
        """The fields of :class:`~skactivegan.training.TrainingConfig` set by this
        generator, as a dict."""
        raise NotImplementedError

    def _build(self, X, Z, y_index, n_classes, *, encoder, device, rng, seed,
               classes_to_generate):
        """The untrained networks ``(generator, discriminator)`` on ``device``.

        Parameters
        ----------
        X : ndarray or DataFrame of shape (n_samples, n_features)
            The caller's rows.
        Z : ndarray of shape (n_samples, n_encoded)
            The same rows, encoded.
        y_index : ndarray of shape (n_samples,), int
            Class indices.
        n_classes : int
        encoder : fitted encoder
        device : torch.device
        rng : torch.Generator
            CPU generator of the initial weights.
        seed : int
            The seed ``rng`` was made from (for networks that draw their own).
        classes_to_generate : ndarray of int or None
            The classes that rows will be generated for (None: every class).
        """
        raise NotImplementedError
