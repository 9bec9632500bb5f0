"""A generator that composes real rows, ``x = a + t (b - a) + r``, by a policy.

The free generator of the paper
(:class:`~skactivegan.generators._networks.GeneratorMLP`) has to
learn a class from its few rows; the over-samplers that win on small imbalanced
tables compose real rows instead (SMOTE and its family interpolate between a real
row and a same-class neighbour).  :class:`RowComposer` is a conditional generator
``G(z, y)`` that does both: for a row of class ``y`` it chooses

- an *anchor* ``a``, a real row of class ``y``,
- a *neighbour* ``b``, one of the anchor's ``k`` nearest same-class rows,
- a *position* ``t`` in (0, 1) on the segment from ``a`` to ``b``, and
- a small bounded *residual* ``r`` (numeric columns in which the anchor and the
  neighbour differ: where they agree, a 0/1 column say, the row keeps their value),

and returns ``x = a + t (b - a) + r``; a categorical column (a one-hot block) is
taken from the anchor when ``t < 0.5`` and from the neighbour otherwise, so every
generated category is one of the two rows', as in SMOTENC.  The anchor and the
neighbour are drawn from categorical distributions and ``t`` from a Kumaraswamy
distribution whose parameters a network outputs; their log-probabilities are what
a policy gradient needs (:meth:`RowComposer.act`); the reward alone moves them (no
gradient of the adversarial losses reaches a choice).  The residual is a
deterministic output, trained by the adversarial losses only.  At initialisation
every choice is uniform and the residual zero: the composer starts as SMOTE.

The randomness of a row comes from its noise ``z`` only: ``Phi(z[:, 0])``,
``Phi(z[:, 1])`` and ``Phi(z[:, 2])`` are the uniforms that choose the anchor, the
neighbour and ``t`` by inversion, and the rest of ``z`` feeds the network.  So the
module draws no random numbers of its own, and the same noise gives the same rows.

Neighbours are searched once, in the encoded space, with SMOTENC's distance:
numeric columns standardised, one-hot columns scaled so that two different
categories are as far apart as the median standard deviation of the numeric
columns (Chawla et al., 2002).  The module keeps the encoded training rows as a
buffer (like a nearest-neighbour model), so a pickled augmenter holds them.
"""

import math
from typing import NamedTuple

import numpy as np
import torch
from sklearn.neighbors import NearestNeighbors
from torch import nn

from ._networks import _mlp, build_module, check_output_blocks, label_embedding

__all__ = [
    "COMPOSER_CHOICES",
    "RowComposer",
    "build_composer",
    "Composition",
    "class_neighbours",
    "composed_floats",
    "interpolate",
    "inverse_categorical",
    "kumaraswamy_icdf",
    "kumaraswamy_log_prob",
    "smotenc_weights",
]

#: The composer's stochastic choices that a policy gradient can drive.
COMPOSER_CHOICES = ("anchor", "neighbour", "position")
#: Noise columns used as uniforms (anchor, neighbour, position).
N_UNIFORMS = 3
#: Share of the uniform distribution mixed into the anchor and neighbour policies,
#: so that every real row and every neighbour keeps a chance (no collapse).
_UNIFORM_SHARE = 0.2
_EPS = 1e-6
#: A class of at most this many rows is searched exactly; a larger one with a spill
#: tree whose leaves hold at most this many rows (:func:`_spill_tree_neighbours`).
_EXACT_SEARCH_ROWS = 20_000
#: Overlap of a spill tree's split: each side also searches this share of the
#: node's own rows, those nearest the split, from the other side.
_SPILL = 0.2
#: A spill tree's overlap grows with a node only up to this many times the leaf
#: size, so that building the tree stays O(n log n) (see _spill_tree_neighbours).
_SPILL_CAP = 8
#: A spill-tree node's split direction: power iterations, on at most this many of
#: its rows.
_POWER_ITERATIONS = 8
_DIRECTION_ROWS = 4096


def smotenc_weights(Z, y, output_blocks):
    """Column weights that turn Euclidean distance into SMOTENC's distance.

    Numeric columns keep weight 1; the columns of a one-hot block get
    ``median_std / sqrt(2)``, where ``median_std`` is the median, over numeric
    columns, of their standard deviation within each class (then over classes), so
    that two different categories add ``median_std ** 2`` to the squared distance.

    Parameters
    ----------
    Z : ndarray of shape (n, d)
        Encoded rows (numbers standardised, categories one-hot).
    y : ndarray of shape (n,), int
        Class indices.
    output_blocks : sequence of (int, int)
        One-hot blocks of ``Z``.

    Returns
    -------
    weights : ndarray of shape (d,)
    """
    weights = np.ones(Z.shape[1])
    one_hot = np.zeros(Z.shape[1], dtype=bool)
    for start, stop in output_blocks:
        one_hot[start:stop] = True
    if not one_hot.any():
        return weights
    numeric = ~one_hot
    stds = [Z[y == k][:, numeric].std(axis=0)
            for k in np.unique(y) if (y == k).sum() > 1]
    median_std = 1.0
    if numeric.any() and stds:
        median_std = float(np.median(np.concatenate(stds)))
    weights[one_hot] = (median_std if median_std > 0 else 1.0) / math.sqrt(2.0)
    return weights


def class_neighbours(Z, y, k, output_blocks=(), classes=None):
    """Each row's ``k`` nearest rows of its own class (itself excluded).

    A search per class.  A class of at most :data:`_EXACT_SEARCH_ROWS` rows is
    searched exactly with scikit-learn's ``NearestNeighbors`` at its default
    algorithm (brute force above 15 features, a k-d tree below).  A larger class
    is searched approximately, in linear time, with a spill tree
    (:func:`_spill_tree_neighbours`): no exact search is better than quadratic in
    a class's rows when their intrinsic dimension is high, and the k-d tree used
    before degrades to a brute force without its vectorisation (343 s on the
    104,065 minority rows of a 10^6 x 20 table, against 29 s for brute force and
    5.6 s for the spill tree, one thread; docs/performance.md).  A class of
    ``m <= k`` rows gives each row its ``m - 1`` other rows, repeated to ``k``
    columns; a class of one row gives the row itself (the composer then copies it:
    no residual where anchor and neighbour agree).

    Parameters
    ----------
    Z : ndarray of shape (n, d)
    y : ndarray of shape (n,), int
    k : int
    output_blocks : sequence of (int, int)
        One-hot blocks, for SMOTENC's distance (:func:`smotenc_weights`).
    classes : sequence of int or None, default=None
        The classes to search (those rows will be composed for); the rows of the
        others get themselves as neighbours.  None searches every class.

    Returns
    -------
    neighbours : ndarray of shape (n, k), int64
        Row indices into ``Z``.
    """
    Z = np.asarray(Z)
    weights = smotenc_weights(Z, y, output_blocks)
    neighbours = np.repeat(np.arange(len(Z), dtype=np.int64)[:, None], k, axis=1)
    searched = np.unique(y) if classes is None else np.intersect1d(np.unique(y),
                                                                   classes)
    for label in searched:
        members = np.flatnonzero(y == label)
        if len(members) == 1:
            neighbours[members] = members[0]
            continue
        # Only the searched class is weighted (in float64): no copy of the table.
        Zw = np.asarray(Z[members], dtype=np.float64) * weights
        n_query = min(k + 1, len(members))
        if len(members) > _EXACT_SEARCH_ROWS:
            idx = _spill_tree_neighbours(Zw, n_query, _EXACT_SEARCH_ROWS, _SPILL)
        else:
            search = NearestNeighbors(n_neighbors=n_query).fit(Zw)
            idx = _drop_self(search.kneighbors(Zw, return_distance=False),
                             np.arange(len(members)))
        # A class of at most k rows: repeat its other rows up to k columns.
        neighbours[members] = members[idx[:, np.arange(k) % idx.shape[1]]]
    return neighbours


def _drop_self(idx, rows):
    """Each row's neighbours ``idx`` (m, q) without the row itself, (m, q - 1).

    The row is dropped wherever the search put it (ties among equal rows may put
    it anywhere, or leave it out: then the last column goes).
    """
    keep = idx != np.asarray(rows)[:, None]
    keep[keep.all(axis=1), -1] = False
    return idx[keep].reshape(len(idx), idx.shape[1] - 1)


def _spill_tree_neighbours(Zw, n_query, leaf_rows, spill):
    """Approximate ``n_query - 1`` nearest neighbours of each row, in linear time.

    A spill tree (Liu, Moore, Gray and Yang, "An investigation of practical
    approximate nearest neighbor algorithms", NIPS 2004): a node's rows are split
    at the median of their projection on their principal direction, and each
    child searches its side plus, from the other side, the ``spill`` x (node's
    rows) rows nearest to the median, so that a row near the split still finds
    its neighbours across it.  Each row is searched for in the one leaf on its
    side of every split (its own leaf).  A node of at most ``leaf_rows`` rows is a
    leaf, searched exactly by scikit-learn's ``NearestNeighbors`` for its own
    rows, so every row is compared with at most ``leaf_rows`` rows and the search
    costs at most ``n x leaf_rows`` distances: linear in ``n``.  Building the tree
    is a few passes over each node's rows (a power iteration on a sample, a
    partition).  With an overlap proportional to the node, the nodes of a level
    would hold ``(1 + 2 spill)^level x n`` rows, which grows faster than ``n``
    (measured: 42 s of splitting for a class of 10^6 rows); so the overlap stops
    growing above ``_SPILL_CAP x leaf_rows`` rows, and building is O(n log n).
    Deterministic (no random numbers).

    Written here because scikit-learn and scipy have no approximate search with a
    bounded cost.  Measured (one thread, 20 features, docs/performance.md): on
    the 104,065 minority rows of a 10^6-row table this tree found 90 % of the
    exact neighbours, their mean distance 0.6 % above the exact ones', in 5.6 s,
    where scipy's ``cKDTree.query(eps=2)`` found 72 % in 7 s, an exact brute
    force took 29 s and a k-d tree 343 s; on the 1,040,312 of a 10^7-row table,
    70 % (distance +2.4 %) in 55 s.

    Parameters
    ----------
    Zw : ndarray of shape (n, d), float64
    n_query : int
        Neighbours searched per row, the row itself included.
    leaf_rows : int
    spill : float
        In [0, 0.5).

    Returns
    -------
    idx : ndarray of shape (n, n_query - 1), int64
        Row indices into ``Zw``.
    """
    out = np.empty((len(Zw), n_query - 1), dtype=np.int64)
    # (rows searched, which of them are the node's own), depth first.
    stack = [(np.arange(len(Zw)), np.ones(len(Zw), dtype=bool))]
    while stack:
        rows, own = stack.pop()
        if len(rows) > leaf_rows:
            band = int(spill * min(len(rows), _SPILL_CAP * leaf_rows))
            children = _spill_split(Zw[rows], own, band, n_query)
            if children is not None:
                stack.extend((rows[part], own_part) for part, own_part in children)
                continue
        queries = rows[own]
        search = NearestNeighbors(n_neighbors=n_query).fit(Zw[rows])
        found = rows[search.kneighbors(Zw[queries], return_distance=False)]
        out[queries] = _drop_self(found, queries)
    return out


def _spill_split(P, own, band, min_rows):
    """Split a spill-tree node; None when it cannot be made smaller.

    The node's rows are split at the median of their projection on their
    principal direction; each side also gets the ``band`` rows of the other side
    nearest to the median.  Each own row stays own on its side of the median only.

    Parameters
    ----------
    P : ndarray of shape (m, d)
        The rows the node searches.
    own : ndarray of shape (m,), bool
        Which of them the node finds neighbours for.
    band : int
        Rows that each side takes from the other, fewer than ``m // 2``.
    min_rows : int
        Fewest rows a child may search.

    Returns
    -------
    children : list of (index into P, own mask of those rows), or None
        The children with own rows (one or two).
    """
    half = len(P) // 2
    if half - band < 1 or half + band >= len(P) - 1 or half + band < min_rows:
        return None
    centred = P - P.mean(axis=0)
    # The principal direction, by power iteration from the row farthest from the
    # mean, on evenly spaced rows (deterministic; a rough direction splits as
    # well).  Rows that are all equal are split by their order.
    sample = centred[::max(1, len(P) // _DIRECTION_ROWS)]
    direction = sample[np.argmax(np.einsum("ij,ij->i", sample, sample))]
    for _ in range(_POWER_ITERATIONS):
        direction = sample.T @ (sample @ direction)
        norm = np.linalg.norm(direction)
        if not np.isfinite(norm) or norm == 0.0:
            direction = np.zeros(P.shape[1])
            break
        direction = direction / norm
    # Only the three cuts matter, not the order within each part.
    order = np.argpartition(centred @ direction, (half - band, half, half + band))
    left, right = order[:half + band], order[half - band:]
    left_own = np.zeros(len(P), dtype=bool)
    left_own[order[:half]] = True
    left_own &= own
    right_own = own & ~left_own
    children = [(left, left_own[left]), (right, right_own[right])]
    return [(part, mine) for part, mine in children if mine.any()]


def inverse_categorical(probs, u):
    """Draw from categorical distributions by inversion: the index where the CDF
    passes ``u``.

    Parameters
    ----------
    probs : Tensor of shape (n, m) or (m,)
        Rows sum to one; one row is shared by all draws.
    u : Tensor of shape (n,)
        Uniforms in (0, 1).

    Returns
    -------
    index : Tensor of shape (n,), int64
    """
    cdf = probs.detach().cumsum(dim=-1).contiguous()
    u = u.to(cdf.dtype).contiguous()
    if cdf.dim() == 1:
        index = torch.searchsorted(cdf, u)
    else:
        index = torch.searchsorted(cdf, u.unsqueeze(1)).squeeze(1)
    return index.clamp_(max=probs.shape[-1] - 1)


#: log of the largest Kumaraswamy concentration; the smallest is its inverse.
_LOG_CONCENTRATION = math.log(10.0)


def kumaraswamy_icdf(u, a, b):
    """Inverse CDF of the Kumaraswamy distribution: ``(1 - (1 - u)^(1/b))^(1/a)``.

    Written in log space (``log1p``, ``expm1``) so that it stays finite and
    differentiable in ``a`` and ``b`` for every ``u`` in (0, 1).
    ``torch.distributions.Kumaraswamy`` has the same distribution but computes
    ``log(1 - t^a)`` directly in its ``log_prob``, which gives NaN gradients once
    ``t^a`` rounds to 1; these two functions avoid that.

    Parameters
    ----------
    u : Tensor of shape (n,)
        Uniforms in (0, 1).
    a, b : Tensor of shape (n,)
        Positive concentrations.

    Returns
    -------
    t : Tensor of shape (n,), in (0, 1)
    """
    inner = -torch.expm1(torch.log1p(-u) / b)  # 1 - (1 - u)^(1/b), in (0, 1)
    return torch.exp(torch.log(inner.clamp_min(_EPS)) / a)


def kumaraswamy_log_prob(t, a, b):
    """Log-density of the Kumaraswamy distribution at ``t`` in (0, 1).

    ``log a + log b + (a - 1) log t + (b - 1) log(1 - t^a)``, with ``1 - t^a``
    computed as ``-expm1(a log t)``.

    Parameters
    ----------
    t, a, b : Tensor of shape (n,)

    Returns
    -------
    log_prob : Tensor of shape (n,)
    """
    log_t = torch.log(t)
    one_minus = (-torch.expm1(a * log_t)).clamp_min(_EPS)
    return (torch.log(a) + torch.log(b) + (a - 1.0) * log_t
            + (b - 1.0) * torch.log(one_minus))


class Composition(NamedTuple):
    """The choices that compose a batch of rows (see :class:`RowComposer`)."""

    anchor: torch.Tensor  # (n,) int64, index into the real rows
    neighbour: torch.Tensor  # (n,) int64, index into the real rows
    t: torch.Tensor  # (n,) position on the segment, in (0, 1)
    residual: torch.Tensor  # (n, d) encoded units; zero on one-hot columns and
    # where the anchor and the neighbour agree


def interpolate(a, b, t, residual):
    """``a + t (b - a) + r``: the one formula of a composed row.

    Written once for NumPy arrays and torch tensors alike: the composer applies it
    to the encoded float32 rows in training, and :func:`composed_floats` to the
    real rows' own float64 values for the rows returned.

    Parameters
    ----------
    a, b : ndarray or Tensor of shape (n, m)
        Anchor and neighbour rows.
    t : ndarray or Tensor of shape (n,)
        Positions on the segments.
    residual : ndarray or Tensor of shape (n, m)

    Returns
    -------
    rows : ndarray or Tensor of shape (n, m)
    """
    return a + t[:, None] * (b - a) + residual


def composed_floats(values, composition, float_offsets):
    """The float columns of composed rows, from the real rows' exact values.

    The composer works in float32 on standardised rows; un-standardising its output
    does not give a real row's value back bit for bit, and a value that differs
    from every real one in its last bits is a value of its own to a tree (gradient
    boosting bins each distinct value of a column with few of them apart): it could
    then tell generated rows from real ones by that alone.  So the float columns of
    the rows returned are composed from the real values in float64, and a column in
    which the anchor and its neighbour agree keeps their value exactly, as SMOTE's
    rows do.

    Parameters
    ----------
    values : ndarray of shape (n_rows, m), float64
        The real rows' values of the float columns.
    composition : Composition
        The choices that composed a batch (:meth:`RowComposer.compose`).
    float_offsets : callable
        Maps residuals in encoded units (n, d) to the float columns' own units
        (n, m) (the encoder's ``float_offsets``).

    Returns
    -------
    composed : ndarray of shape (n, m), float64
    """
    anchor, neighbour, t, residual = (v.cpu().numpy() for v in composition)
    return interpolate(values[anchor], values[neighbour], t.astype(np.float64),
                       float_offsets(residual))


def _uniforms(z):
    """The three uniforms of the choices and the rest of the noise."""
    u = torch.special.ndtr(z[:, :N_UNIFORMS].float()).clamp(_EPS, 1.0 - _EPS)
    return u[:, 0], u[:, 1], u[:, 2], z[:, N_UNIFORMS:]


class RowComposer(nn.Module):
    """Generator ``G(z, y)`` that composes real rows (see the module docstring).

    Built empty, like every network here (on the ``meta`` device, then
    initialised from an explicit generator, :func:`build_composer`); the real
    rows are put in with :meth:`set_rows`.

    Parameters
    ----------
    n_rows, n_features : int
        Shape of the encoded real rows.
    k_neighbors : int
        Neighbours per row.
    n_classes : int
    latent_dim : int
        Size of the noise ``z``; its first three columns choose anchor, neighbour
        and position, so at least 4.
    hidden_layer_sizes : tuple of int
        Widths of the policy network's hidden layers.
    output_blocks : sequence of (int, int), default=()
        One-hot blocks of a row (categorical columns): composed by choice, never
        interpolated, and given no residual.
    residual_scale : float, default=0.1
        Bound of the residual, in standard deviations of each numeric column.
    choices : sequence of str, default=COMPOSER_CHOICES
        The choices that a network learns; the others stay uniform (SMOTE's).
    device : torch.device or str, default=None
    """

    #: Buffers set once by :meth:`set_rows` and never changed by training (the
    #: trainer's checkpoints leave them out).
    constant_buffers = ("rows", "neighbours", "order", "counts", "starts", "numeric")

    def __init__(self, n_rows, n_features, k_neighbors, n_classes, latent_dim,
                 hidden_layer_sizes, output_blocks=(), residual_scale=0.1,
                 choices=COMPOSER_CHOICES, device=None):
        super().__init__()
        if latent_dim <= N_UNIFORMS:
            raise ValueError(
                f"generator='compose' uses {N_UNIFORMS} noise columns to choose the "
                f"anchor, the neighbour and the position, so latent_dim must be at "
                f"least {N_UNIFORMS + 1}; got {latent_dim}."
            )
        d = n_features
        self.n_classes = n_classes
        self.latent_dim = latent_dim
        self.choices = tuple(choices)
        self.output_blocks = check_output_blocks(output_blocks, d)
        self.residual_scale = float(residual_scale)
        for name, shape, dtype in (
            ("rows", (n_rows, d), torch.float32),
            ("neighbours", (n_rows, k_neighbors), torch.long),
            ("order", (n_rows,), torch.long),
            ("counts", (n_classes,), torch.long),
            ("starts", (n_classes,), torch.long),
            ("numeric", (d,), torch.bool),
        ):
            self.register_buffer(name, torch.empty(shape, dtype=dtype, device=device))
        width = hidden_layer_sizes[-1]
        self.label_embedding = label_embedding(n_classes, 8, device=device)
        self.body = _mlp((2 * d + 8 + latent_dim - N_UNIFORMS, *hidden_layer_sizes),
                         device=device)
        self.position_head = nn.Linear(width, 2, device=device)
        self.residual_head = nn.Linear(width, d, device=device)
        # The anchor's score depends on the row and its class; the neighbour's on
        # the anchor, the neighbour and the class.
        self.anchor_score = nn.Sequential(
            _mlp((d + 8, hidden_layer_sizes[0]), device=device),
            nn.Linear(hidden_layer_sizes[0], 1, device=device))
        self.neighbour_score = nn.Sequential(
            _mlp((2 * d + 8, hidden_layer_sizes[0]), device=device),
            nn.Linear(hidden_layer_sizes[0], 1, device=device))

    def set_rows(self, rows, y, neighbours):
        """Put in the real rows (n, d), their class indices (n,) and neighbours (n, k).

        Returns
        -------
        self : RowComposer
        """
        with torch.no_grad():
            self.rows.copy_(rows)
            self.neighbours.copy_(neighbours)
            self.order.copy_(torch.argsort(y, stable=True))
            counts = torch.bincount(y, minlength=self.n_classes)
            self.counts.copy_(counts)
            self.starts.copy_(torch.cumsum(counts, 0) - counts)
            self.numeric.fill_(True)
            for start, stop in self.output_blocks:
                self.numeric[start:stop] = False
        return self

    def start_as_smote(self):
        """Zero the output layers: uniform choices, ``t`` uniform, no residual."""
        with torch.no_grad():
            for head in (self.position_head, self.residual_head,
                         self.anchor_score[-1], self.neighbour_score[-1]):
                head.weight.zero_()
                head.bias.zero_()
        return self

    def policy_parameters(self):
        """The parameters of the learned choices' distributions (the policy heads).

        The position's head, and the anchor's and the neighbour's scoring networks
        when they are learned (``choices``); only the reward trains them.  The
        shared trunk, which the residual also uses, is not among them.
        """
        heads = {"position": self.position_head, "anchor": self.anchor_score,
                 "neighbour": self.neighbour_score}
        for name in self.choices:
            yield from heads[name].parameters()

    # ------------------------------------------------------------------ choices
    def _choose_anchor(self, y, u):
        """Anchor row indices (n,) and their log-probabilities (n,)."""
        counts = self.counts[y]
        if "anchor" not in self.choices:
            pick = torch.minimum((u * counts).long(), counts - 1)
            return self.order[self.starts[y] + pick], torch.zeros_like(u)
        index = torch.empty_like(y)
        log_prob = torch.empty_like(u)
        for label in torch.unique(y).tolist():
            mine = torch.nonzero(y == label).squeeze(1)
            start, count = int(self.starts[label]), int(self.counts[label])
            members = self.order[start:start + count]
            emb = self.label_embedding.weight[label].expand(count, -1)
            logits = self.anchor_score(torch.cat([self.rows[members], emb], dim=1))
            probs = _mix_uniform(torch.softmax(logits.squeeze(1), dim=0))
            choice = inverse_categorical(probs, u[mine])
            index[mine] = members[choice]
            log_prob[mine] = torch.log(probs[choice])
        return index, log_prob

    def _choose_neighbour(self, anchor, emb, u):
        """Neighbour row indices (n,) and their log-probabilities (n,)."""
        candidates = self.neighbours[anchor]  # (n, k)
        k = candidates.shape[1]
        if "neighbour" not in self.choices:
            pick = (u * k).long().clamp_(max=k - 1)
            chosen = candidates.gather(1, pick.unsqueeze(1)).squeeze(1)
            return chosen, torch.zeros_like(u)
        a = self.rows[anchor].unsqueeze(1).expand(-1, k, -1)
        b = self.rows[candidates]
        e = emb.unsqueeze(1).expand(-1, k, -1)
        logits = self.neighbour_score(torch.cat([a, b - a, e], dim=2)).squeeze(2)
        probs = _mix_uniform(torch.softmax(logits, dim=1))
        pick = inverse_categorical(probs, u)
        log_prob = torch.log(probs.gather(1, pick.unsqueeze(1)).squeeze(1))
        return candidates.gather(1, pick.unsqueeze(1)).squeeze(1), log_prob

    def _decide(self, z, y):
        """The choices for noise ``z`` and labels ``y``: a :class:`Composition`, and
        the log-probability of the learned ones (see :meth:`act`)."""
        u_anchor, u_neighbour, u_position, rest = _uniforms(z)
        emb = self.label_embedding(y)
        anchor, log_anchor = self._choose_anchor(y, u_anchor)
        neighbour, log_neighbour = self._choose_neighbour(anchor, emb, u_neighbour)
        x_a, x_b = self.rows[anchor], self.rows[neighbour]
        h = self.body(torch.cat([x_a, x_b - x_a, emb, rest.float()], dim=1))
        # Concentrations in [1/10, 10]; 1 and 1 (the uniform, SMOTE's t) at the start.
        log_ab = _LOG_CONCENTRATION * torch.tanh(self.position_head(h))
        a, b_conc = torch.exp(log_ab[:, 0]), torch.exp(log_ab[:, 1])
        # t is a sample of the policy, steered by the reward only (through its
        # log-probability): without the adversarial gradient through t, which pulls
        # rows onto the real ones (random over-sampling), the position stays SMOTE's
        # uniform unless the reward moves it.  The residual is trained by the
        # adversarial losses.
        t = kumaraswamy_icdf(u_position, a, b_conc).clamp(_EPS, 1.0 - _EPS).detach()
        # No residual where the anchor and its neighbour agree (a 0/1 column, a
        # column of many zeros): the row keeps their value, as SMOTE's would.  A
        # value off every real one there marks the row as generated to a tree.
        moves = self.numeric & (x_a != x_b)
        residual = self.residual_scale * torch.tanh(self.residual_head(h)) * moves
        log_prob = log_anchor + log_neighbour
        if "position" in self.choices:
            log_prob = log_prob + kumaraswamy_log_prob(t, a, b_conc)
        return Composition(anchor, neighbour, t, residual), log_prob

    def _assemble(self, composition):
        """The encoded rows ``a + t (b - a) + r`` of a :class:`Composition`."""
        anchor, neighbour, t, residual = composition
        x_a, x_b = self.rows[anchor], self.rows[neighbour]
        x = interpolate(x_a, x_b, t, residual)
        if self.output_blocks:
            take_b = (t >= 0.5).unsqueeze(1) & ~self.numeric
            x = torch.where(take_b, x_b, torch.where(self.numeric, x, x_a))
        return x

    def act(self, z, y):
        """Compose rows and return the log-probability of the choices made.

        Parameters
        ----------
        z : Tensor of shape (n, latent_dim)
        y : Tensor of shape (n,), int64

        Returns
        -------
        x : Tensor of shape (n, d)
            Differentiable with respect to the residual network (the choices reach
            the policy through ``log_prob`` only).
        log_prob : Tensor of shape (n,)
            Sum of the log-probabilities of the learned choices (``choices``);
            zero when none is learned.
        """
        composition, log_prob = self._decide(z, y)
        return self._assemble(composition), log_prob

    def compose(self, z, y):
        """Compose rows and return the choices that made them.

        Returns
        -------
        x : Tensor of shape (n, d)
            The encoded rows, as :meth:`forward` gives them.
        composition : Composition
            Anchor and neighbour indices into the real rows, positions ``t`` and
            residuals (encoded units): what :func:`composed_floats` needs to
            compose the same rows from the real rows' exact values.
        """
        composition = self._decide(z, y)[0]
        return self._assemble(composition), composition

    def forward(self, z, y):
        """Compose rows from noise ``z`` (n, latent_dim) and labels ``y`` (n,)."""
        return self.act(z, y)[0]


def _mix_uniform(probs):
    """``(1 - s) probs + s / m`` along the last axis: every option keeps a chance."""
    m = probs.shape[-1]
    return (1.0 - _UNIFORM_SHARE) * probs + _UNIFORM_SHARE / m


def build_composer(Z, y_index, n_classes, *, latent_dim, hidden_layer_sizes,
                   k_neighbors, output_blocks, residual_scale, choices, device, rng,
                   composed_classes=None):
    """Build a :class:`RowComposer` on the encoded training rows.

    Parameters
    ----------
    Z : ndarray of shape (n, d)
        Encoded rows.
    y_index : ndarray of shape (n,), int
    n_classes : int
    latent_dim : int
    hidden_layer_sizes : tuple of int
    k_neighbors : int
    output_blocks : sequence of (int, int)
    residual_scale : float
    choices : tuple of str
    device : torch.device
    rng : torch.Generator
        CPU generator of the initial weights.
    composed_classes : sequence of int or None, default=None
        The classes rows will be composed for; only their neighbours are searched
        (:func:`class_neighbours`).  None: every class.

    Returns
    -------
    composer : RowComposer
        On ``device``, starting as SMOTE (:meth:`RowComposer.start_as_smote`).
    """
    Z = np.asarray(Z, dtype=np.float32)
    neighbours = class_neighbours(Z, y_index, k_neighbors, output_blocks,
                                  classes=composed_classes)
    composer = build_module(
        RowComposer, len(Z), Z.shape[1], k_neighbors, n_classes, latent_dim,
        hidden_layer_sizes, output_blocks=output_blocks,
        residual_scale=residual_scale, choices=choices, device=device, rng=rng,
    )
    composer.set_rows(torch.as_tensor(Z, device=device),
                      torch.as_tensor(y_index, dtype=torch.long, device=device),
                      torch.as_tensor(neighbours, device=device))
    return composer.start_as_smote()
