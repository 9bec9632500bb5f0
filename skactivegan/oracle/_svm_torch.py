"""The calibrated SVM oracle evaluated as matrix products in torch.

During training the oracle is asked about every generated batch (Algorithm 1, line 7).
Through scikit-learn, ``CalibratedClassifierCV(SVC).predict_proba`` validates its input,
calls libsvm once per pair of classes and loops over the calibrators in Python; on a
batch of 64 rows that overhead costs more than the GAN update itself.  The fitted model
is only a handful of arrays, so :class:`TorchCalibratedSVC` copies them into tensors
once and evaluates the same function on the training device:

1. the pipeline's scalers, ``(x - mean_) / scale_``;
2. the kernel between the batch and the support vectors;
3. the one-vs-one decision values, one matrix product with the dual coefficients;
4. scikit-learn's one-vs-rest transform of them (votes plus bounded confidences);
5. the per-class sigmoid calibrators and their normalisation.

It is used only when :func:`compile_oracle` recognises the oracle's structure, and only
after checking that it reproduces ``predict_proba`` on a probe set; anything else keeps
the scikit-learn call.  In float64 the results agree with scikit-learn to rounding; in
float32, which the training loop uses because the reward needs no more and the kernel
then costs half as much on a CPU (most GPUs run float64 far slower still), to about
1e-6.
"""

import numpy as np
import torch
from sklearn.calibration import CalibratedClassifierCV
from sklearn.svm import SVC

from ._models_torch import unwrap_scalers

__all__ = ["TorchCalibratedSVC", "compile_oracle"]

#: Largest absolute difference to ``predict_proba`` on the probe set that is accepted,
#: by the precision of the evaluation.  float64 reproduces scikit-learn to rounding;
#: float32 (what the training loop uses, for speed) to about 1e-6.
_TOLERANCE = {torch.float64: 1e-8, torch.float32: 1e-4}


# ------------------------------------------------------------------ pure functions
def kernel_matrix(X, S, kernel, gamma, coef0, degree, S_sq=None):
    """The SVM kernel between rows of ``X`` (n, d) and support vectors ``S`` (m, d).

    ``S_sq`` optionally holds the squared norms of the support vectors (m,), which
    the RBF kernel needs, so that a repeated evaluation does not recompute them.
    """
    if kernel == "rbf":
        S_sq = (S * S).sum(1) if S_sq is None else S_sq
        sq = (X * X).sum(1, keepdim=True) - 2.0 * X @ S.T + S_sq
        return torch.exp(-gamma * sq.clamp_min(0.0))
    dot = X @ S.T
    if kernel == "linear":
        return dot
    if kernel == "poly":
        return (gamma * dot + coef0) ** degree
    return torch.tanh(gamma * dot + coef0)  # "sigmoid"


def ovr_from_ovo(dec, pair_first, pair_second):
    """scikit-learn's one-vs-rest decision values from one-vs-one ones.

    Each pair (i, j) gives a vote to i when its decision value is >= 0, else to j,
    and adds its confidence to j and subtracts it from i; the summed confidences,
    squashed into (-1/3, 1/3), break ties between equal vote counts.

    Parameters
    ----------
    dec : Tensor of shape (n, P)
        One-vs-one decision values, positive for the pair's first class.
    pair_first, pair_second : Tensor of shape (P, K)
        One-hot rows: the first and second class of each pair.
    """
    wins_first = (dec >= 0).to(dec.dtype)
    votes = wins_first @ pair_first + (1.0 - wins_first) @ pair_second
    confidence = dec @ pair_first - dec @ pair_second
    return votes + confidence / (3.0 * (confidence.abs() + 1.0))


def calibrated_proba(decision, slope, intercept):
    """Per-class Platt sigmoids ``1 / (1 + exp(a f + b))``, normalised over classes.

    ``decision`` is (n, K) for K > 2 classes, or (n, 1) holding the positive class's
    value for two; rows whose sigmoids all underflow to zero become uniform.
    """
    positive = torch.sigmoid(-(slope * decision + intercept))
    if positive.shape[1] == 1:
        proba = torch.cat([1.0 - positive, positive], dim=1)
    else:
        total = positive.sum(1, keepdim=True)
        uniform = torch.full_like(positive, 1.0 / positive.shape[1])
        # The clamp keeps the unused branch finite, so that gradients stay finite too.
        tiny = torch.finfo(positive.dtype).tiny
        proba = torch.where(total > 0, positive / total.clamp_min(tiny), uniform)
    # scikit-learn rounds values that exceed 1 by at most 1e-5 down to 1.
    return torch.where((proba > 1.0) & (proba <= 1.0 + 1e-5), torch.ones_like(proba), proba)


def one_vs_one_weights(dual_coef, n_support):
    """Dual coefficients as an (m, P) matrix: column p is pair p's decision function.

    In libsvm's layout, the support vectors of class i carry, in classifier (i, j),
    the coefficient ``dual_coef[j - 1]`` and those of class j the coefficient
    ``dual_coef[i]``; pairs are ordered (0, 1), (0, 2), ..., (1, 2), ...
    """
    n_classes = len(n_support)
    start = np.concatenate([[0], np.cumsum(n_support)])
    pairs = [(i, j) for i in range(n_classes) for j in range(i + 1, n_classes)]
    weights = np.zeros((dual_coef.shape[1], len(pairs)))
    for p, (i, j) in enumerate(pairs):
        weights[start[i]:start[i + 1], p] = dual_coef[j - 1, start[i]:start[i + 1]]
        weights[start[j]:start[j + 1], p] = dual_coef[i, start[j]:start[j + 1]]
    first = np.eye(n_classes)[[i for i, _ in pairs]]
    second = np.eye(n_classes)[[j for _, j in pairs]]
    return weights, first, second


# ------------------------------------------------------------------ the evaluator
class TorchCalibratedSVC:
    """``predict_proba`` of a fitted sigmoid-calibrated SVC, evaluated in torch.

    Built by :func:`compile_oracle`; call it on a tensor of raw rows of its ``dtype``.

    Parameters
    ----------
    members : list of dict
        One entry per calibrated classifier (one with ``ensemble=False``), each with
        the tensors of its scalers, kernel, coefficients and calibrators.
    dtype : torch.dtype
        Precision of the tensors, float64 or float32.
    """

    def __init__(self, members, dtype=torch.float64):
        self.members = members
        self.dtype = dtype

    def __call__(self, X):
        """Probabilities (n, K) of rows ``X`` (n, d) of the evaluator's dtype and device."""
        proba = None
        for m in self.members:
            x = X
            for mean, scale in m["scalers"]:
                x = (x - mean) / scale
            k = kernel_matrix(x, m["support"], m["kernel"], m["gamma"], m["coef0"],
                              m["degree"], m["support_sq"])
            dec = k @ m["weights"] + m["bias"]
            if m["first"] is not None:
                dec = ovr_from_ovo(dec, m["first"], m["second"])
            p = calibrated_proba(dec, m["slope"], m["intercept"])
            proba = p if proba is None else proba + p
        return proba / len(self.members)


def _unwrap_svc(estimator):
    """The scalers (mean, scale) and the SVC of ``estimator``, or None if unsupported."""
    unwrapped = unwrap_scalers(estimator)
    if unwrapped is None:
        return None
    scalers, estimator = unwrapped
    if type(estimator) is not SVC or estimator.decision_function_shape != "ovr":
        return None
    if callable(estimator.kernel) or estimator.kernel == "precomputed":
        return None
    if not isinstance(estimator.support_vectors_, np.ndarray):  # sparse training data
        return None
    return scalers, estimator


def _member(calibrated, classes, device, dtype):
    """Tensors of one ``_CalibratedClassifier``, or None if it is unsupported."""
    unwrapped = _unwrap_svc(calibrated.estimator)
    if unwrapped is None or calibrated.method != "sigmoid":
        return None
    scalers, svc = unwrapped
    if not np.array_equal(svc.classes_, classes):
        return None

    def as_tensor(values):
        return torch.as_tensor(np.asarray(values, dtype=np.float64), device=device,
                               dtype=dtype)

    n_classes = len(classes)
    if n_classes == 2:
        weights, first, second = svc.dual_coef_.T, None, None
    else:
        weights, first, second = one_vs_one_weights(svc.dual_coef_, svc.n_support_)
        # The one-vs-one values scikit-learn feeds its OvR transform are libsvm's own,
        # positive for the pair's first class: the sign of the stored coefficients.
        first, second = as_tensor(first), as_tensor(second)
    calibrators = calibrated.calibrators
    return {
        "scalers": [(as_tensor(m), as_tensor(s)) for m, s in scalers],
        "support": as_tensor(svc.support_vectors_),
        "support_sq": as_tensor((svc.support_vectors_ ** 2).sum(1)),
        "kernel": svc.kernel,
        "gamma": float(svc._gamma),
        "coef0": float(svc.coef0),
        "degree": int(svc.degree),
        "weights": as_tensor(weights),
        "bias": as_tensor(svc.intercept_),
        "first": first,
        "second": second,
        "slope": as_tensor([c.a_ for c in calibrators]),
        "intercept": as_tensor([c.b_ for c in calibrators]),
    }


def compile_oracle(oracle, classes, probe, device, dtype=torch.float64):
    """A :class:`TorchCalibratedSVC` equal to ``oracle.predict_proba``, or None.

    Parameters
    ----------
    oracle : fitted estimator
        Recognised: ``CalibratedClassifierCV(method="sigmoid")`` around an ``SVC``
        (any built-in kernel, dense data) or a ``Pipeline`` of ``StandardScaler``
        steps ending in one, as the default oracle is.
    classes : ndarray of shape (K,)
        The training labels; the oracle's classes must be exactly these.
    probe : ndarray of shape (n, d)
        Rows on which the evaluator is checked against ``oracle.predict_proba``.
    device : torch.device
        Where to evaluate (the CPU for devices without float64).
    dtype : {torch.float64, torch.float32}, default=torch.float64
        Precision of the evaluation; the check against ``predict_proba`` accepts a
        largest difference of 1e-8 in float64 and 1e-4 in float32.

    Returns
    -------
    evaluator : TorchCalibratedSVC or None
        None when the oracle is not recognised or the check fails, in which case the
        caller keeps calling ``predict_proba``.
    """
    if type(oracle) is not CalibratedClassifierCV or not hasattr(oracle, "classes_"):
        return None
    if not np.array_equal(oracle.classes_, classes):
        return None
    members = [_member(c, classes, device, dtype)
               for c in oracle.calibrated_classifiers_]
    if not members or any(m is None for m in members):
        return None
    evaluator = TorchCalibratedSVC(members, dtype)
    probe = np.asarray(probe, dtype=np.float64)
    try:
        with torch.no_grad():
            fast = evaluator(torch.as_tensor(probe, device=device, dtype=dtype))
        fast = fast.cpu().numpy().astype(np.float64)
    except RuntimeError:  # e.g. a device without float64
        return None
    expected = np.asarray(oracle.predict_proba(probe), dtype=np.float64)
    if fast.shape != expected.shape or not np.allclose(fast, expected, rtol=0,
                                                       atol=_TOLERANCE[dtype]):
        return None
    return evaluator
