"""The uncertainty oracle: the default grid-searched SVM, fitting, and proba checks.

Algorithm 1, line 3: "train a classifier (SVM with grid search) on the labelled set".
Any classifier with ``predict_proba`` can stand in for it.
"""

import warnings

import numpy as np
import torch
from sklearn import config_context
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import balanced_accuracy_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.validation import check_is_fitted

from ..exceptions import OracleFallbackWarning
from ..uncertainty import _check_proba
from ._models_torch import compile_model, looks_compilable_model
from ._svm_torch import compile_oracle

__all__ = [
    "NetworkOracle",
    "build_network_oracle",
    "LARGE_TABLE_ROWS",
    "fit_default_oracle",
    "fit_large_table_oracle",
    "default_oracle_params",
    "fit_oracle",
    "is_fitted",
    "oracle_proba",
    "search_svc",
]

#: C values searched by the default oracle.
DEFAULT_C_GRID = (1.0, 10.0, 100.0)
#: Multiples of gamma = 1 / n_features (scikit-learn's "scale" on standardised data).
DEFAULT_GAMMA_FACTORS = (0.1, 1.0, 10.0)
_MAX_CV_SPLITS = 3
#: Above this many rows the augmenter's default oracle is a histogram gradient
#: boosting (:func:`fit_large_table_oracle`) instead of the grid-searched SVM, whose
#: 31 fits are quadratic in the rows (37 s at 4,000 rows x 20 on 2 busy cores).
LARGE_TABLE_ROWS = 5_000


def fit_default_oracle(X, y, random_state, *, class_weight="balanced", C=None,
                       gamma=None, sample_weight=None):
    """Fit the default oracle: an RBF SVM tuned by stratified grid search.

    C and gamma are searched on standardised data with a plain ``SVC`` (cheap),
    scored by balanced accuracy; the best pair is then Platt-scaled (sigmoid calibration
    on cross-validated decision values, one SVM refitted on all the data) so that the
    oracle has ``predict_proba``.  This is what ``SVC(probability=True)`` did before
    scikit-learn 1.9 deprecated it.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        Every class must have at least 2 samples.
    random_state : int
        Seed of the CV splits.
    class_weight : "balanced" or None, default="balanced"
        Classes weighted inversely to their frequencies.  On imbalanced data an SVM
        fitted for accuracy puts its boundary deep inside the minority class and
        rarely predicts it, so that no generated minority row can be one the oracle
        agrees with (the filter's label check); the balanced boundary is the one
        that rows near it inform.  On balanced data it changes nothing.
    C, gamma : float or None, default=None
        A value fixes the parameter; None leaves it to the search (over
        :data:`DEFAULT_C_GRID`, and :data:`DEFAULT_GAMMA_FACTORS` / n_features).
        With both fixed there is no search.
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Weights of the rows in every SVM fit (the search's and the final one's);
        the Platt scaling and the search's scores are unweighted.

    Returns
    -------
    oracle : CalibratedClassifierCV
        Fitted; wraps ``make_pipeline(StandardScaler(), SVC(C=..., gamma=...))``.
    """
    n_splits = int(min(_MAX_CV_SPLITS, np.unique(y, return_counts=True)[1].min()))
    cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    base_gamma = 1.0 / X.shape[1]
    Cs = DEFAULT_C_GRID if C is None else (C,)
    gammas = ([f * base_gamma for f in DEFAULT_GAMMA_FACTORS] if gamma is None
              else [gamma])
    grid = [{"C": c, "gamma": g} for c in Cs for g in gammas]
    best = grid[0] if len(grid) == 1 else search_svc(
        X, y, grid, cv, class_weight=class_weight, random_state=random_state,
        sample_weight=sample_weight)
    model = make_pipeline(
        StandardScaler(),
        SVC(kernel="rbf", class_weight=class_weight, random_state=random_state,
            **best),
    )
    oracle = CalibratedClassifierCV(model, method="sigmoid", cv=cv, ensemble=False)
    if sample_weight is None:
        return oracle.fit(X, y)
    # The weights go to the SVM's fits as a fit parameter of the pipeline step,
    # whatever the caller's metadata-routing setting.
    with config_context(enable_metadata_routing=False):
        return oracle.fit(X, y, svc__sample_weight=np.asarray(sample_weight))


def search_svc(X, y, grid, cv, *, class_weight, random_state, sample_weight=None):
    """The SVC parameters of ``grid`` with the best mean CV balanced accuracy.

    What ``GridSearchCV(make_pipeline(StandardScaler(), SVC(...)), grid, cv=cv,
    scoring="balanced_accuracy")`` chooses, ties going to the first in ``grid``
    as there, at about half its cost on the small tables the augmenter sees:
    each fold is standardised once rather than once per candidate, and the SVMs
    are fitted and scored without the search's per-candidate cloning and
    validation.  With it the whole default oracle (search and Platt scaling) took
    0.13-0.36 s instead of 0.35-0.65 s on the imbalanced benchmark's tuning tables
    (52-750 rows).  The test suite checks the choice against ``GridSearchCV``'s.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    grid : list of dict
        ``SVC`` parameters to try, in order.
    cv : cross-validation splitter
    class_weight : "balanced" or None
    random_state : int or None
    sample_weight : ndarray of shape (n_samples,) or None, default=None
        Weights of the training rows of each fit (scores are unweighted, as in
        ``GridSearchCV``).

    Returns
    -------
    params : dict
        The element of ``grid`` chosen.
    """
    X, y = np.asarray(X), np.asarray(y)
    scores = np.empty((len(grid), cv.get_n_splits()))
    with config_context(assume_finite=True, skip_parameter_validation=True):
        for fold, (train, test) in enumerate(cv.split(X, y)):
            scaler = StandardScaler().fit(X[train])
            X_train, X_test = scaler.transform(X[train]), scaler.transform(X[test])
            for i, params in enumerate(grid):
                svc = SVC(kernel="rbf", class_weight=class_weight,
                          random_state=random_state, **params)
                weight = None if sample_weight is None else sample_weight[train]
                svc.fit(X_train, y[train], sample_weight=weight)
                scores[i, fold] = balanced_accuracy_score(y[test],
                                                          svc.predict(X_test))
    return grid[int(np.argmax(scores.mean(axis=1)))]


def fit_large_table_oracle(X, y, random_state, *, class_weight="balanced",
                           sample_weight=None):
    """The default oracle on a large table: a class-balanced gradient boosting.

    scikit-learn's ``HistGradientBoostingClassifier`` at its defaults (early
    stopping on a validation split above 10,000 rows), with the classes weighted
    inversely to their frequencies as the SVM's are.  Its cost is linear in the
    rows, its ``predict_proba`` is a probability (log loss), and training evaluates
    it in torch (:mod:`~skactivegan.oracle._models_torch`).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
    random_state : int
        Seed of the validation split.
    class_weight : "balanced" or None, default="balanced"
    sample_weight : ndarray of shape (n_samples,) or None, default=None

    Returns
    -------
    oracle : HistGradientBoostingClassifier
        Fitted.
    """
    model = HistGradientBoostingClassifier(class_weight=class_weight,
                                           random_state=random_state)
    return model.fit(X, y, sample_weight=sample_weight)


def is_fitted(estimator):
    """Whether ``estimator`` has been fitted (scikit-learn's ``check_is_fitted``)."""
    try:
        check_is_fitted(estimator)
    except Exception:  # NotFittedError, or a TypeError for non-estimators
        return False
    return True


def fit_oracle(oracle, X, y, random_state, **fit_params):
    """Return a fitted oracle: the default SVM for ``None``, else a fitted clone.

    Parameters
    ----------
    oracle : estimator with ``fit`` and ``predict_proba``, or None
    X, y : ndarray
        Labelled training data.
    random_state : int
        Seed for the default oracle.
    **fit_params : dict
        Passed to the oracle's ``fit`` (the default oracle takes
        ``sample_weight`` only).

    Returns
    -------
    oracle_ : fitted estimator
    """
    if oracle is None:
        weights = default_oracle_params(fit_params)
        return fit_default_oracle(X, y, random_state, **weights)
    if not hasattr(oracle, "predict_proba"):
        raise TypeError(
            f"The oracle {type(oracle).__name__} has no predict_proba; ActiveGAN needs "
            "class probabilities (wrap it in "
            "sklearn.calibration.CalibratedClassifierCV)."
        )
    return clone(oracle).fit(X, y, **fit_params)


def default_oracle_params(fit_params):
    """``fit_params`` for the default oracle, which takes ``sample_weight`` only."""
    unknown = sorted(set(fit_params) - {"sample_weight"})
    if unknown:
        raise TypeError(
            f"The default oracle takes sample_weight as its only fit parameter; got "
            f"{unknown}. Pass an oracle whose fit takes them."
        )
    return fit_params


def oracle_proba(oracle, X, classes):
    """Probabilities of ``oracle`` on ``X``, columns aligned with ``classes``.

    Parameters
    ----------
    oracle : fitted estimator with ``predict_proba``
    X : ndarray of shape (n, d)
    classes : ndarray of shape (K,)
        The labels, in the order of the returned columns.

    Returns
    -------
    proba : ndarray of shape (n, K), float64
        Rows sum to 1.

    Raises
    ------
    ValueError
        If the oracle returns something that is not a probability array over
        ``classes``.
    """
    if len(X) == 0:
        return np.empty((0, len(classes)))
    proba = np.asarray(oracle.predict_proba(X), dtype=np.float64)
    expected = (len(X), len(classes))
    if proba.ndim != 2 or proba.shape != expected:
        raise ValueError(
            f"oracle.predict_proba returned shape {proba.shape}; expected {expected}."
        )
    oracle_classes = getattr(oracle, "classes_", None)
    if oracle_classes is not None and not np.array_equal(oracle_classes, classes):
        if not np.isin(classes, oracle_classes).all():
            raise ValueError(
                f"The oracle was fitted on classes {list(oracle_classes)}, which "
                f"differ from the training classes {list(classes)}."
            )
        column = {label: j for j, label in enumerate(oracle_classes)}
        proba = proba[:, [column[label] for label in classes]]
    if not np.isfinite(proba).all():
        raise ValueError("oracle.predict_proba returned NaN or infinite values.")
    return _check_proba(proba)


# --------------------------------------------------------------------------------
# The oracle as training and the filter see it
# --------------------------------------------------------------------------------

#: The values of ``oracle_backend_``.
BACKENDS = ("torch", "predict_proba")


def _looks_compilable(oracle):
    """Whether ``oracle`` is a sigmoid-calibrated classifier, the kind compiled to
    torch."""
    return type(oracle) is CalibratedClassifierCV and oracle.method == "sigmoid"


def oracle_probe(Z, n=64):
    """Rows to check a compiled oracle on: real rows, and the same rows with noise.

    Generated rows are rarely real ones, so half the probe is perturbed by one unit
    (one standard deviation in the networks' space) per feature; the seed is fixed
    because the probe is part of the check, not of training.

    Parameters
    ----------
    Z : ndarray of shape (n_samples, n_features)
        Real rows in the space the oracle is evaluated in.

    Returns
    -------
    probe : ndarray of shape (2 * min(n, n_samples), n_features), float64
    """
    real = np.asarray(Z[:n], dtype=np.float64)
    noise = np.random.default_rng(0).standard_normal(real.shape)
    return np.concatenate([real, real + noise])


class NetworkOracle:
    """The fitted oracle, evaluated on rows in the networks' (encoded) space.

    Training asks it about every generated batch, so it is evaluated in torch on the
    training device whenever that is possible:

    - ``compiled`` is a torch function ``Z -> proba`` on encoded rows (the default
      oracle, a calibrated SVM fitted on the encoded rows, through
      :func:`~skactivegan.oracle._svm_torch.compile_oracle`);
    - otherwise, an oracle with a ``torch_predict_proba(X)`` method (the protocol for
      torch-native classifiers) or a compiled calibrated SVM is given the rows in
      the caller's units, ``affine`` undoing the standardisation in torch (numeric
      tables only);
    - anything else gets the decoded rows (the caller's own format, a DataFrame when
      fitted on one) through ``predict_proba`` on the CPU.

    Parameters
    ----------
    oracle : fitted classifier
        What ``predict_proba`` is called on in the last case.
    encoder : fitted encoder
        Maps caller rows to network rows (``transform``) and back
        (``inverse_transform``).
    classes : ndarray of shape (K,)
    device : torch.device
    compiled : callable or None
        Torch function of encoded rows (n, d) to probabilities (n, K).
    to_units : tuple of (Tensor, Tensor) or None
        ``(mean, scale)``: with ``units_proba``, encoded rows ``z`` are given as
        ``z * scale + mean``.
    units_proba : callable or None
        Torch function of rows in the caller's units to probabilities.
    constant : tuple of (Tensor, Tensor) or None
        ``(mask, values)`` of the encoded columns that are constant in the real data.
        Decoding gives such a column its constant back, so the torch paths set it
        too: the oracle judges a generated row as it will be returned.
    """

    def __init__(self, oracle, encoder, classes, device, *, compiled=None,
                 to_units=None, units_proba=None, constant=None):
        self.oracle = oracle
        self.encoder = encoder
        self.classes = classes
        self.device = device
        self.compiled = compiled
        self.to_units = to_units
        self.units_proba = units_proba
        self.constant = constant

    @property
    def backend(self):
        """"torch" when evaluated in torch, else "predict_proba"."""
        torch_path = self.compiled is not None or self.units_proba is not None
        return "torch" if torch_path else "predict_proba"

    def torch_proba(self, z):
        """Probabilities (n, K) of encoded rows ``z``, by the torch backend.

        Returned on ``z``'s device and dtype.
        """
        if self.constant is not None:
            mask, values = self.constant
            z = torch.where(mask.to(z.device), values.to(z.device, z.dtype), z)
        if self.compiled is not None:
            dtype = getattr(self.compiled, "dtype", z.dtype)
            proba = self.compiled(z.to(device=self.device, dtype=dtype))
        else:
            mean, scale = self.to_units
            x = z.to(device=self.device, dtype=mean.dtype) * scale + mean
            proba = self.units_proba(x)
        return proba.to(device=z.device, dtype=z.dtype)

    def proba(self, z):
        """Probabilities (n, K) of a detached batch of encoded rows, as a tensor.

        On ``z``'s device, without gradient: float32 from the torch paths, float64
        from ``predict_proba``.
        """
        if self.backend == "torch":
            with torch.no_grad():
                return self.torch_proba(z.detach()).float()
        rows = self.encoder.inverse_transform(
            z.detach().cpu().numpy().astype(np.float64)
        )
        proba = oracle_proba(self.oracle, rows, self.classes)
        # float64 as predict_proba gave it, where the device has float64.
        dtype = torch.float32 if z.device.type == "mps" else torch.float64
        return torch.as_tensor(proba, dtype=dtype, device=z.device)

    def rows_proba(self, X, batch_size=8192):
        """Probabilities (n, K), float64, of rows in the caller's format.

        This is what the filter judges generated rows by: the rows exactly as they
        are returned (categories decoded, integers rounded).
        """
        if len(X) == 0:
            return np.empty((0, len(self.classes)))
        if self.backend != "torch":
            return oracle_proba(self.oracle, X, self.classes)
        if self.compiled is not None:
            rows, function = self.encoder.transform(X), self.compiled
        else:
            rows, function = np.asarray(X, dtype=np.float64), self.units_proba
        dtype = getattr(function, "dtype", torch.float32)
        out = []
        with torch.no_grad():
            for start in range(0, len(rows), batch_size):
                # A copy: a DataFrame's values can be a read-only view (pandas'
                # copy-on-write), which torch refuses to share without a warning.
                batch = torch.tensor(np.asarray(rows[start:start + batch_size]),
                                     dtype=dtype, device=self.device)
                out.append(function(batch).cpu().numpy().astype(np.float64))
        return _check_proba(np.concatenate(out))


def _compile_first(oracle, classes, probe, device):
    """The oracle compiled to torch in float32, else float64; None when neither
    reproduces its ``predict_proba``.

    A sigmoid-calibrated SVC goes to
    :func:`~skactivegan.oracle._svm_torch.compile_oracle`, the other recognised
    families to :func:`~skactivegan.oracle._models_torch.compile_model`.
    """
    compile_ = compile_oracle if _looks_compilable(oracle) else compile_model
    for dtype in (torch.float32, torch.float64):
        compiled = compile_(oracle, classes, probe, device, dtype)
        if compiled is not None:
            return compiled
    return None


def build_network_oracle(oracle, encoder, Z, classes, device, *, encoded_oracle=None):
    """Wrap a fitted oracle for training and filtering; warn when torch is refused.

    Parameters
    ----------
    oracle : fitted classifier
        The oracle on the caller's rows (``oracle_``).
    encoder : fitted encoder
    Z : ndarray of shape (n_samples, n_encoded)
        The real rows, encoded (for the probe that checks a compiled oracle).
    classes : ndarray of shape (K,)
    device : torch.device
    encoded_oracle : fitted classifier or None
        The same oracle's classifier on encoded rows, when it has one (the default
        oracle is ``encoder`` followed by a calibrated SVM fitted on encoded rows).

    Returns
    -------
    network_oracle : NetworkOracle
    """
    if device.type not in ("cpu", "cuda"):  # devices without float64
        device = torch.device("cpu")
    probe_z = oracle_probe(Z)
    plain = NetworkOracle(oracle, encoder, classes, device)
    constant = _constant_columns(Z)
    if encoded_oracle is not None:
        compiled = _compile_first(encoded_oracle, classes, probe_z, device)
        if compiled is None:
            _warn_fallback(encoded_oracle)
            return plain
        return NetworkOracle(oracle, encoder, classes, device, compiled=compiled,
                             constant=constant)

    numeric = not getattr(encoder, "output_blocks_", [])
    mean, scale = getattr(encoder, "mean_", None), getattr(encoder, "scale_", None)
    if not numeric or mean is None or len(np.atleast_1d(mean)) != Z.shape[1]:
        return plain
    mean, scale = (
        np.asarray(mean, dtype=np.float64),
        np.asarray(scale, dtype=np.float64),
    )
    if not _is_affine(encoder, _fix_constant(probe_z, constant), mean, scale):
        return plain
    if hasattr(oracle, "torch_predict_proba"):
        to_units = (torch.as_tensor(mean, dtype=torch.float32, device=device),
                    torch.as_tensor(scale, dtype=torch.float32, device=device))
        return NetworkOracle(oracle, encoder, classes, device, to_units=to_units,
                             units_proba=oracle.torch_predict_proba, constant=constant)
    compilable = _looks_compilable(oracle)
    if not compilable and not looks_compilable_model(oracle):
        return plain
    compiled = _compile_first(oracle, classes, probe_z * scale + mean, device)
    if compiled is None:
        if compilable:
            _warn_fallback(oracle)
        return plain
    to_units = (torch.as_tensor(mean, dtype=compiled.dtype, device=device),
                torch.as_tensor(scale, dtype=compiled.dtype, device=device))
    return NetworkOracle(oracle, encoder, classes, device, to_units=to_units,
                         units_proba=compiled, constant=constant)


def _is_affine(encoder, Z, mean, scale):
    """Whether decoding ``Z`` is ``Z * scale + mean`` (a numeric table of floats).

    Integer columns are rounded when decoded: a torch oracle would then see other
    values than the rows returned, so they take the ``predict_proba`` path.
    """
    decoded = np.asarray(encoder.inverse_transform(Z), dtype=np.float64)
    return np.allclose(decoded, Z * scale + mean, rtol=1e-5, atol=1e-6 * np.abs(scale))


def _fix_constant(Z, constant):
    """``Z`` with its constant columns set to their values (as decoding does)."""
    if constant is None:
        return Z
    mask, values = (t.numpy() for t in constant)
    return np.where(mask, values, Z)


def _constant_columns(Z):
    """``(mask, values)`` tensors of the columns of ``Z`` without variance, or None."""
    Z = np.asarray(Z, dtype=np.float32)
    if not len(Z):
        return None
    mask = (Z == Z[0]).all(axis=0)
    if not mask.any():
        return None
    return torch.as_tensor(mask), torch.as_tensor(np.where(mask, Z[0], 0.0))


def _warn_fallback(oracle):
    warnings.warn(
        f"The oracle {type(oracle).__name__} looks like a sigmoid-calibrated SVC but "
        "could not be evaluated in torch (an unsupported kernel, step or layout, or "
        "a result that differs from its predict_proba); training calls predict_proba "
        "on every batch instead, which is slower. oracle_backend_ records the path "
        "taken.",
        OracleFallbackWarning,
        stacklevel=3,
    )
