"""The uncertainty oracle: the default grid-searched SVM, fitting, and proba checks.

Algorithm 1, line 3: "train a classifier (SVM with grid search) on the labelled set".
Any classifier with ``predict_proba`` can stand in for it.
"""

import numpy as np
from sklearn.base import clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.utils.validation import check_is_fitted

from .uncertainty import _check_proba

__all__ = ["fit_default_oracle", "fit_oracle", "oracle_proba", "is_fitted"]

#: C values searched by the default oracle.
DEFAULT_C_GRID = (1.0, 10.0, 100.0)
#: Multiples of gamma = 1 / n_features (scikit-learn's "scale" on standardised data).
DEFAULT_GAMMA_FACTORS = (0.1, 1.0, 10.0)
_MAX_CV_SPLITS = 3


def fit_default_oracle(X, y, random_state):
    """Fit the default oracle: an RBF SVM tuned by stratified grid search.

    C and gamma are searched on standardised data with a plain ``SVC`` (cheap); the
    best pair is then Platt-scaled (sigmoid calibration on cross-validated decision
    values, one SVM refitted on all the data) so that the oracle has
    ``predict_proba``.  This is what ``SVC(probability=True)`` did before
    scikit-learn 1.9 deprecated it.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        Every class must have at least 2 samples.
    random_state : int
        Seed of the CV splits.

    Returns
    -------
    oracle : CalibratedClassifierCV
        Fitted; wraps ``make_pipeline(StandardScaler(), SVC(C=..., gamma=...))``.
    """
    n_splits = int(min(_MAX_CV_SPLITS, np.unique(y, return_counts=True)[1].min()))
    cv = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    base_gamma = 1.0 / X.shape[1]
    pipeline = make_pipeline(StandardScaler(), SVC(kernel="rbf", random_state=random_state))
    search = GridSearchCV(
        pipeline,
        {
            "svc__C": list(DEFAULT_C_GRID),
            "svc__gamma": [f * base_gamma for f in DEFAULT_GAMMA_FACTORS],
        },
        cv=cv,
        scoring="accuracy",
    )
    search.fit(X, y)
    best = clone(pipeline).set_params(**search.best_params_)
    oracle = CalibratedClassifierCV(best, method="sigmoid", cv=cv, ensemble=False)
    return oracle.fit(X, y)


def is_fitted(estimator):
    """Whether ``estimator`` has been fitted (scikit-learn's ``check_is_fitted``)."""
    try:
        check_is_fitted(estimator)
    except Exception:  # NotFittedError, or a TypeError for non-estimators
        return False
    return True


def fit_oracle(oracle, X, y, random_state):
    """Return a fitted oracle: the default SVM for ``None``, else a fitted clone.

    Parameters
    ----------
    oracle : estimator with ``fit`` and ``predict_proba``, or None
    X, y : ndarray
        Labelled training data.
    random_state : int
        Seed for the default oracle.

    Returns
    -------
    oracle_ : fitted estimator
    """
    if oracle is None:
        return fit_default_oracle(X, y, random_state)
    if not hasattr(oracle, "predict_proba"):
        raise TypeError(
            f"The oracle {type(oracle).__name__} has no predict_proba; ActiveGAN needs "
            "class probabilities (wrap it in sklearn.calibration.CalibratedClassifierCV)."
        )
    return clone(oracle).fit(X, y)


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
                f"The oracle was fitted on classes {list(oracle_classes)}, which differ "
                f"from the training classes {list(classes)}."
            )
        column = {label: j for j, label in enumerate(oracle_classes)}
        proba = proba[:, [column[label] for label in classes]]
    if not np.isfinite(proba).all():
        raise ValueError("oracle.predict_proba returned NaN or infinite values.")
    return _check_proba(proba)
