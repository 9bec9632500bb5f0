"""More oracles evaluated in torch: linear models, trees, boosted trees, neighbours.

Training asks the oracle about every generated batch.  Through scikit-learn, each call
validates its input and, for the tree ensembles, walks every tree in compiled code
that is fast per row but costs a fixed overhead per call (and, for the histogram
gradient boosting, starts OpenMP threads, which stall on a busy machine); on a batch
of 64 rows that overhead costs more than a GAN update.  A fitted model of these
families is a few arrays, so the evaluators here copy them into tensors once and
compute the same function on the training device:

- :class:`TorchLinearProba`: ``LogisticRegression``, ``softmax(x W^T + b)`` (a
  sigmoid for two classes);
- :class:`TorchTreeEnsemble`: ``DecisionTreeClassifier``, ``RandomForestClassifier``,
  ``ExtraTreesClassifier`` (the mean of the trees' leaf class fractions) and
  ``HistGradientBoostingClassifier`` (the sum of the trees' leaf values, then its
  link), every tree walked at once, one level a step, as tensor look-ups;
- :class:`TorchKNeighbors`: ``KNeighborsClassifier`` with the Euclidean metric,
  uniform or distance weights.

Each may sit after ``StandardScaler`` steps in a ``Pipeline`` and inside a
``FrozenEstimator``.  :func:`compile_model` returns an evaluator only when it
reproduces ``predict_proba`` on a probe set; anything else keeps the scikit-learn
call.  Trees compare in float64 exactly as scikit-learn does (the random forest's
float32 cast included), so their probabilities agree to rounding.
"""

import numpy as np
import torch
from sklearn.ensemble import (
    ExtraTreesClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.tree import DecisionTreeClassifier, ExtraTreeClassifier

__all__ = [
    "TorchKNeighbors",
    "TorchLinearProba",
    "TorchTreeEnsemble",
    "as_fitted_input",
    "compile_model",
    "looks_compilable_model",
    "unwrap_scalers",
    "walk_trees",
]

#: Largest absolute difference to ``predict_proba`` on the probe set that is accepted.
_TOLERANCE = {torch.float64: 1e-8, torch.float32: 1e-4}
_FOREST_TYPES = (RandomForestClassifier, ExtraTreesClassifier)
_TREE_TYPES = (DecisionTreeClassifier, ExtraTreeClassifier)


# ------------------------------------------------------------------ pure functions
def walk_trees(x, feature, threshold, left, right, depth):
    """The leaf each row reaches in each tree, all trees walked at once.

    Parameters
    ----------
    x : Tensor of shape (n, d)
        Rows, in the precision the trees compare in.
    feature, left, right : Tensor of shape (T, m), int64
        Per tree and node: the feature compared, and the children; a leaf is its
        own child (and compares feature 0), so that walking past it stays there.
    threshold : Tensor of shape (T, m)
        ``x[feature] <= threshold`` goes left.
    depth : int
        Number of levels to walk (the deepest tree's depth).

    Returns
    -------
    leaf : Tensor of shape (n, T), int64
        Flat node indices into the (T * m) node arrays.
    """
    n_trees, m = feature.shape
    n = len(x)
    offset = torch.arange(n_trees, device=x.device) * m
    node = offset.repeat(n)  # (n * T,), row-major: row i's trees together
    feature, threshold = feature.reshape(-1), threshold.reshape(-1)
    # children[2 j] is node j's left child, children[2 j + 1] its right one.
    children = torch.stack([left.reshape(-1), right.reshape(-1)], dim=1).reshape(-1)
    for _ in range(depth):
        value = x.gather(1, feature.index_select(0, node).view(n, n_trees)).view(-1)
        right_turn = (value > threshold.index_select(0, node)).long()
        node = children.index_select(0, 2 * node + right_turn)
    return node.view(n, n_trees)


def apply_scalers(x, scalers):
    """``(x - mean) / scale`` for each ``StandardScaler`` step, in order."""
    for mean, scale in scalers:
        x = (x - mean) / scale
    return x


def _padded_nodes(trees):
    """Stack trees' node arrays into (T, m) tensors-to-be, leaves their own children.

    Parameters
    ----------
    trees : list of dict
        Each with ``feature``, ``threshold``, ``left``, ``right`` (node arrays, a leaf
        marked by ``left == -1``) and ``value`` (m_t, K).

    Returns
    -------
    arrays : dict of ndarray
        ``feature``, ``left``, ``right`` (T, m) int64 with children as flat indices,
        ``threshold`` (T, m) float64, ``value`` (T * m, K) float64, and ``depth``.
    """
    m = max(len(t["feature"]) for t in trees)
    n_trees, n_out = len(trees), trees[0]["value"].shape[1]
    feature = np.zeros((n_trees, m), dtype=np.int64)
    threshold = np.full((n_trees, m), np.inf)
    left = np.tile(np.arange(m, dtype=np.int64), (n_trees, 1))
    right = left.copy()
    value = np.zeros((n_trees, m, n_out))
    depth = 0
    for i, tree in enumerate(trees):
        size = len(tree["feature"])
        inner = tree["left"] >= 0
        feature[i, :size] = np.where(inner, tree["feature"], 0)
        threshold[i, :size] = np.where(inner, tree["threshold"], np.inf)
        left[i, :size] = np.where(inner, tree["left"], np.arange(size))
        right[i, :size] = np.where(inner, tree["right"], np.arange(size))
        value[i, :size] = tree["value"]
        depth = max(depth, _tree_depth(tree["left"], tree["right"]))
    offset = (np.arange(n_trees) * m)[:, None]
    return {"feature": feature, "threshold": threshold, "left": left + offset,
            "right": right + offset, "value": value.reshape(n_trees * m, n_out),
            "depth": depth}


def _tree_depth(left, right):
    """Depth of a tree given by child arrays (-1 for none), root at node 0."""
    depth, level = 0, np.array([0])
    while True:
        children = np.concatenate([left[level], right[level]])
        level = children[children >= 0]
        if not len(level):
            return depth
        depth += 1


# ------------------------------------------------------------------ evaluators
class TorchLinearProba:
    """``predict_proba`` of a fitted ``LogisticRegression``, in torch.

    Parameters
    ----------
    scalers : list of (Tensor, Tensor)
    coef : Tensor of shape (K or 1, d)
    intercept : Tensor of shape (K or 1,)
    dtype : torch.dtype
    """

    def __init__(self, scalers, coef, intercept, dtype):
        self.scalers, self.coef, self.intercept = scalers, coef, intercept
        self.dtype = dtype

    def __call__(self, X):
        """Probabilities (n, K) of rows ``X`` (n, d)."""
        decision = apply_scalers(X, self.scalers) @ self.coef.T + self.intercept
        if decision.shape[1] == 1:
            p = torch.sigmoid(decision)
            return torch.cat([1.0 - p, p], dim=1)
        return torch.softmax(decision, dim=1)


class TorchTreeEnsemble:
    """``predict_proba`` of a fitted tree, forest or histogram gradient boosting.

    Parameters
    ----------
    scalers : list of (Tensor, Tensor)
    nodes : dict of Tensor
        From :func:`_padded_nodes`, on the device.
    kind : {"forest", "boosting"}
        "forest" averages the trees' normalised leaf fractions (T trees, K values
        a leaf); "boosting" adds the leaf values (one value a leaf) per output to
        ``baseline`` and applies the link (a sigmoid for two classes, else softmax).
    n_outputs : int
        Trees per boosting iteration (1 for two classes, else K); unused for forests.
    baseline : Tensor of shape (n_outputs,) or None
    float32_inputs : bool
        Whether the model compares float32 copies of the rows (scikit-learn's trees
        and forests do; the histogram gradient boosting compares float64).
    """

    dtype = torch.float64

    def __init__(self, scalers, nodes, kind, *, n_outputs=1, baseline=None,
                 float32_inputs=False):
        self.scalers, self.nodes, self.kind = scalers, nodes, kind
        self.n_outputs, self.baseline = n_outputs, baseline
        self.float32_inputs = float32_inputs

    def __call__(self, X):
        """Probabilities (n, K) of rows ``X`` (n, d), float64."""
        x = apply_scalers(X.to(torch.float64), self.scalers)
        if self.float32_inputs:
            x = x.to(torch.float32).to(torch.float64)
        nodes = self.nodes
        leaf = walk_trees(x, nodes["feature"], nodes["threshold"], nodes["left"],
                          nodes["right"], nodes["depth"])
        values = nodes["value"].index_select(0, leaf.reshape(-1)).view(
            *leaf.shape, -1)  # (n, T, out)
        if self.kind == "forest":
            return values.mean(dim=1)
        n_trees = leaf.shape[1]
        raw = values[..., 0].reshape(len(x), n_trees // self.n_outputs, self.n_outputs)
        raw = raw.sum(dim=1) + self.baseline
        if self.n_outputs == 1:
            p = torch.sigmoid(raw)
            return torch.cat([1.0 - p, p], dim=1)
        return torch.softmax(raw, dim=1)


class TorchKNeighbors:
    """``predict_proba`` of a fitted Euclidean ``KNeighborsClassifier``, in torch.

    Parameters
    ----------
    scalers : list of (Tensor, Tensor)
    rows : Tensor of shape (m, d)
        The training rows.
    labels : Tensor of shape (m,), int64
        Their class indices.
    n_neighbors, n_classes : int
    weights : {"uniform", "distance"}
    dtype : torch.dtype
    """

    def __init__(self, scalers, rows, labels, n_neighbors, n_classes, weights, dtype):
        self.scalers, self.rows, self.labels = scalers, rows, labels
        self.rows_sq = (rows * rows).sum(1)
        self.n_neighbors, self.n_classes = n_neighbors, n_classes
        self.weights, self.dtype = weights, dtype

    def __call__(self, X):
        """Probabilities (n, K) of rows ``X`` (n, d)."""
        x = apply_scalers(X, self.scalers)
        sq = ((x * x).sum(1, keepdim=True) - 2.0 * x @ self.rows.T + self.rows_sq)
        sq, index = torch.topk(sq.clamp_min(0.0), self.n_neighbors, dim=1,
                               largest=False)
        if self.weights == "uniform":
            w = torch.ones_like(sq)
        else:  # 1 / distance; a row at distance 0 takes all the weight
            dist = sq.sqrt()
            exact = dist == 0
            w = torch.where(exact.any(1, keepdim=True), exact.to(dist.dtype),
                            1.0 / dist.clamp_min(torch.finfo(dist.dtype).tiny))
        votes = torch.zeros(len(x), self.n_classes, dtype=w.dtype, device=w.device)
        votes.scatter_add_(1, self.labels[index], w)
        return votes / votes.sum(1, keepdim=True)


# ------------------------------------------------------------------ compilers
def unwrap_scalers(estimator):
    """``(scalers, model)``: ``StandardScaler`` steps (mean, scale) and the final model.

    A ``FrozenEstimator`` is looked through.  Returns None when a step of a pipeline
    is not a ``StandardScaler``.
    """
    estimator = _unfreeze(estimator)
    scalers = []
    if isinstance(estimator, Pipeline):
        *steps, (_, estimator) = estimator.steps
        for _, step in steps:
            if step == "passthrough" or step is None:
                continue
            if type(step) is not StandardScaler:
                return None
            mean = step.mean_ if step.with_mean else 0.0
            scale = step.scale_ if step.with_std else 1.0
            scalers.append((mean, scale))
        estimator = _unfreeze(estimator)
    return scalers, estimator


def _unfreeze(estimator):
    """The estimator inside a ``FrozenEstimator``, else the estimator itself."""
    frozen = type(estimator).__name__ == "FrozenEstimator"
    if frozen and hasattr(estimator, "estimator"):
        return estimator.estimator
    return estimator


def _linear(model, classes, as_tensor, dtype):
    if type(model) is not LogisticRegression:
        return None
    coef, intercept = np.atleast_2d(model.coef_), np.atleast_1d(model.intercept_)
    if len(classes) > 2 and coef.shape[0] != len(classes):
        return None
    return TorchLinearProba(None, as_tensor(coef), as_tensor(intercept), dtype)


def _tree_arrays(tree_model):
    """Node arrays of a fitted tree, its leaf values as normalised fractions."""
    tree = tree_model.tree_
    value = np.asarray(tree.value[:, 0, :], dtype=np.float64)
    total = value.sum(axis=1, keepdims=True)
    value = value / np.where(total == 0, 1.0, total)
    return {"feature": tree.feature.astype(np.int64), "threshold": tree.threshold,
            "left": tree.children_left.astype(np.int64),
            "right": tree.children_right.astype(np.int64), "value": value}


def _boosting_arrays(predictor):
    """Node arrays of one tree of a histogram gradient boosting, or None."""
    nodes = predictor.nodes
    if nodes["is_categorical"].any():
        return None
    leaf = nodes["is_leaf"].astype(bool)
    return {"feature": nodes["feature_idx"].astype(np.int64),
            "threshold": nodes["num_threshold"].astype(np.float64),
            "left": np.where(leaf, -1, nodes["left"].astype(np.int64)),
            "right": np.where(leaf, -1, nodes["right"].astype(np.int64)),
            "value": nodes["value"].astype(np.float64)[:, None]}


def _trees(model, classes, device):
    """A :class:`TorchTreeEnsemble` (unchecked) for a tree model, or None."""
    if isinstance(model, _TREE_TYPES) or isinstance(model, _FOREST_TYPES):
        if getattr(model, "n_outputs_", 1) != 1:
            return None
        members = (model.estimators_ if isinstance(model, _FOREST_TYPES)
                   else [model])
        trees = [_tree_arrays(m) for m in members]
        if any(t["value"].shape[1] != len(classes) for t in trees):
            return None
        kind, extra = "forest", {"float32_inputs": True}
    elif type(model) is HistGradientBoostingClassifier:
        trees = [_boosting_arrays(p) for it in model._predictors for p in it]
        if not trees or any(t is None for t in trees):
            return None
        baseline = np.asarray(model._baseline_prediction, dtype=np.float64).ravel()
        n_outputs = len(model._predictors[0])
        if n_outputs != (1 if len(classes) == 2 else len(classes)):
            return None
        kind = "boosting"
        extra = {"n_outputs": n_outputs,
                 "baseline": torch.as_tensor(baseline, device=device)}
    else:
        return None
    arrays = _padded_nodes(trees)
    nodes = {key: (value if key == "depth" else torch.as_tensor(value, device=device))
             for key, value in arrays.items()}
    return TorchTreeEnsemble(None, nodes, kind, **extra)


def _neighbours(model, classes, as_tensor, dtype, device):
    if type(model) is not KNeighborsClassifier or model.weights not in (
            "uniform", "distance"):
        return None
    euclidean = model.effective_metric_ == "euclidean" or (
        model.effective_metric_ == "minkowski"
        and (model.effective_metric_params_ or {}).get("p", 2) == 2)
    fit_X = getattr(model, "_fit_X", None)
    if not euclidean or not isinstance(fit_X, np.ndarray) or model.outputs_2d_:
        return None
    labels = torch.as_tensor(np.asarray(model._y, dtype=np.int64), device=device)
    return TorchKNeighbors(None, as_tensor(fit_X), labels, int(model.n_neighbors),
                           len(classes), model.weights, dtype)


def as_fitted_input(oracle, rows):
    """``rows`` as a DataFrame with the oracle's column names when it was fitted on
    one (so that checking it raises no feature-name warning), else as they are."""
    names = getattr(oracle, "feature_names_in_", None)
    if names is None:
        return rows
    import pandas as pd

    return pd.DataFrame(rows, columns=names)


def looks_compilable_model(oracle):
    """Whether ``oracle`` is of a family :func:`compile_model` knows (not checked)."""
    unwrapped = unwrap_scalers(oracle)
    if unwrapped is None:
        return False
    model = unwrapped[1]
    return type(model) in (LogisticRegression, HistGradientBoostingClassifier,
                           KNeighborsClassifier, *_FOREST_TYPES, *_TREE_TYPES)


def compile_model(oracle, classes, probe, device, dtype=torch.float64):
    """An evaluator equal to ``oracle.predict_proba`` in torch, or None.

    Parameters
    ----------
    oracle : fitted estimator
        Recognised: ``LogisticRegression``, ``DecisionTreeClassifier``,
        ``ExtraTreeClassifier``, ``RandomForestClassifier``, ``ExtraTreesClassifier``,
        ``HistGradientBoostingClassifier`` (numeric features),
        ``KNeighborsClassifier`` (Euclidean, dense), each alone, after
        ``StandardScaler`` steps in a ``Pipeline``, or in a ``FrozenEstimator``.
    classes : ndarray of shape (K,)
        The training labels; the model's classes must be exactly these.
    probe : ndarray of shape (n, d)
        Rows on which the evaluator is checked against ``oracle.predict_proba``.
    device : torch.device
    dtype : {torch.float64, torch.float32}, default=torch.float64
        Precision of the linear and neighbour evaluators (trees always compare in
        float64); accepted differences are 1e-8 in float64 and 1e-4 in float32.

    Returns
    -------
    evaluator : callable or None
        Maps a tensor of rows (n, d) of its ``dtype`` to probabilities (n, K); has
        a ``dtype`` attribute.
    """
    unwrapped = unwrap_scalers(oracle)
    if unwrapped is None:
        return None
    scalers, model = unwrapped
    if not np.array_equal(getattr(model, "classes_", None), classes):
        return None

    def as_tensor(values, precision=dtype):
        return torch.as_tensor(np.asarray(values, dtype=np.float64), device=device,
                               dtype=precision)

    try:
        evaluator = (_linear(model, classes, as_tensor, dtype)
                     or _trees(model, classes, device)
                     or _neighbours(model, classes, as_tensor, dtype, device))
    except (AttributeError, KeyError, ValueError, TypeError):  # an unexpected layout
        return None
    if evaluator is None:
        return None
    evaluator.scalers = [(as_tensor(m, evaluator.dtype), as_tensor(s, evaluator.dtype))
                         for m, s in scalers]
    probe = np.asarray(probe, dtype=np.float64)
    try:
        with torch.no_grad():
            fast = evaluator(torch.as_tensor(probe, device=device,
                                             dtype=evaluator.dtype))
        fast = fast.cpu().numpy().astype(np.float64)
    except RuntimeError:  # e.g. a device without float64
        return None
    expected = np.asarray(oracle.predict_proba(as_fitted_input(oracle, probe)),
                          dtype=np.float64)
    if fast.shape != expected.shape or not np.allclose(
            fast, expected, rtol=0, atol=_TOLERANCE[evaluator.dtype]):
        return None
    return evaluator
