"""Rank-aware generation: the rows asked for, chosen among several candidates each.

The number of rows a user asks for is the number that comes back.  For each class,
``candidates_per_row`` candidates are generated per row asked for (in batches of at
most :data:`_ROUND` rows, to bound memory), the filter judges them, and the rows
returned are the candidates that pass with the smallest oracle margins: the most
uncertain, label-consistent rows the generator can make.  A class with too few
passing candidates gets further rounds, sized by its pass rate, within a budget of
:data:`_BUDGET_POOLS` times its first pool.  When even that is not enough (a class the
generator rarely makes so that the oracle agrees, or a threshold its rows do not
reach), the count is filled with the best of the rest (the candidates that failed,
label-consistent ones first, each group by smallest margin) and a
:class:`~skactivegan.exceptions.GenerationBudgetWarning` says how many passed.
With ``candidates_per_row=1``, a threshold and ``fill=False`` this is the paper's
"+F": generate n, keep those that pass.
"""

from dataclasses import dataclass

import numpy as np

__all__ = ["GenerationReport", "budget_message", "concat_rows", "generate_ranked"]

#: Most candidates generated and judged at once.
_ROUND = 16384
#: With a filter, a class gets at most this many pools of candidates in all.
_BUDGET_POOLS = 20
#: Fewest candidates in a further round for a class.
_MIN_ROUND = 256
#: Most rounds (the budget normally ends the loop long before).
_MAX_ROUNDS = 12


@dataclass
class GenerationReport:
    """What a call of :func:`generate_ranked` did, class by class.

    Attributes
    ----------
    asked, kept, candidates, passed : ndarray of shape (K,), int
        Rows asked for, rows returned, candidates generated, candidates that passed
        the filter.
    filled : ndarray of shape (K,), int
        Rows returned that did not pass the filter (the best of the rest, filling
        the count).
    smallest_margins : ndarray of shape (K,)
        The smallest oracle margin among each class's label-consistent candidates
        (NaN without a filter or without such a candidate).
    kept_margins : ndarray of shape (n_kept,)
        The margins of the rows returned, in their order (NaN without a filter).
    """

    asked: np.ndarray
    kept: np.ndarray
    candidates: np.ndarray
    passed: np.ndarray
    smallest_margins: np.ndarray
    kept_margins: np.ndarray
    filled: np.ndarray

    @property
    def short(self):
        """Whether fewer rows passed the filter than were asked for (the rest were
        filled, or are missing)."""
        return bool((self.kept - self.filled).sum() < self.asked.sum())


def _round_sizes(counts, candidates, passed, per_row, first):
    """Candidates to generate per class in the next round.

    The first round generates the pool, ``per_row`` candidates per row asked for.
    Later rounds serve only the classes with fewer passing candidates than rows asked
    for, sized from the pass rate seen so far, until the budget of
    ``_BUDGET_POOLS`` pools is spent.
    """
    pools = np.ceil(per_row * counts).astype(np.int64)
    if first:
        return pools
    budget = np.ceil(_BUDGET_POOLS * np.maximum(per_row, 1.0) * counts).astype(np.int64)
    left = np.maximum(budget - candidates, 0)
    need = np.maximum(counts - passed, 0)
    rate = np.where(candidates > 0, passed / np.maximum(candidates, 1), 1.0)
    rate = np.maximum(rate, 1.0 / np.maximum(budget, 1))
    wanted = np.ceil(1.25 * need / rate).astype(np.int64)
    sizes = np.minimum(left, np.maximum(wanted, _MIN_ROUND))
    return np.where(need > 0, sizes, 0)


def generate_ranked(counts, draw, judge, *, candidates_per_row, seed, fill=True):
    """Generate ``counts[k]`` rows of each class k, the most uncertain that pass.

    Parameters
    ----------
    counts : ndarray of shape (K,), int
        Rows asked for per class (class indices 0..K-1).
    draw : callable
        ``draw(y_index, seed) -> rows``: candidates for the labels ``y_index``
        (m,), in the caller's format (ndarray or DataFrame), from the integer seed.
    judge : callable or None
        ``judge(rows, y_index) -> (keep, margins, consistent)``: whether each row
        passes the filter, its oracle margin, and whether the oracle agrees with its
        label; all (m,).  None keeps the first candidates (no filter).
    candidates_per_row : float
        Candidates per row asked for (at least 1) in the first round.  With a
        filter, classes with too few passing candidates get further rounds, up to
        ``_BUDGET_POOLS`` times that many candidates in all (not with 1, the
        paper's "generate n, keep those that pass").
    seed : int
    fill : bool, default=True
        When fewer candidates of a class pass than were asked for, fill the count
        with the best of the rest: the candidates that failed, those the oracle
        labels as their own class first, each group by smallest margin.  False
        returns only the rows that passed.

    Returns
    -------
    rows : ndarray, DataFrame or None
        The kept rows (caller's format), class by class in class order: those that
        passed, the most uncertain first, then the filling rows; None when nothing
        was generated.
    y_index : ndarray of shape (n_kept,), int64
    report : GenerationReport
    """
    counts = np.asarray(counts, dtype=np.int64)
    per_row = 1.0 if judge is None else float(candidates_per_row)
    extra_rounds = judge is not None and per_row > 1.0
    seeds = iter(np.random.SeedSequence(seed).spawn(_MAX_ROUNDS))
    pool = _Pool(counts, fill=fill and judge is not None)
    for round_number in range(_MAX_ROUNDS):
        if round_number and not extra_rounds:
            break
        sizes = _round_sizes(counts, pool.generated, pool.passed, per_row,
                             round_number == 0)
        if not sizes.any():
            break
        y_round = np.repeat(np.arange(len(counts)), sizes)
        round_seed = next(seeds)
        for start in range(0, len(y_round), _ROUND):
            y_part = y_round[start:start + _ROUND]
            part_seed = int(round_seed.spawn(1)[0].generate_state(1)[0] & 0x7FFFFFFF)
            rows = draw(y_part, part_seed)
            pool.add(rows, y_part, *_verdict(judge, rows, y_part))
    return pool.result(ranked=judge is not None)


def _verdict(judge, rows, y_index):
    """``(keep, margins, consistent)`` of candidate rows; all kept without a judge."""
    if judge is None:
        keep = np.ones(len(y_index), bool)
        return keep, np.full(len(y_index), np.nan), keep
    keep, margin, agree = judge(rows, y_index)
    return (np.asarray(keep, bool), np.asarray(margin, np.float64),
            np.asarray(agree, bool))


class _Pool:
    """The candidates kept over the rounds of :func:`generate_ranked`.

    Those that pass are kept (rows, labels, margins); of those that fail, the best
    ``counts[k]`` of each class in each round (bounded memory), to fill a
    shortfall when ``fill``.  For the rest, the smallest label-consistent margin per
    class is all the report needs.
    """

    def __init__(self, counts, fill):
        self.counts, self.fill = counts, fill
        self.rows, self.labels, self.ranks, self.passes, self.margins = (
            [], [], [], [], [])
        self.generated = np.zeros(len(counts), dtype=np.int64)
        self.passed = np.zeros(len(counts), dtype=np.int64)
        self.smallest = np.full(len(counts), np.inf)

    def add(self, rows, y, keep, margin, agree):
        """Judged candidates of one part of a round."""
        judged = agree & ~np.isnan(margin)  # no margins without a filter
        np.minimum.at(self.smallest, y[judged], margin[judged])
        # Rank: passing rows by margin; failing ones after, label-consistent first,
        # each by margin.
        rank = np.where(keep, 0.0, np.where(agree, 2.0, 4.0)) + np.nan_to_num(
            margin, nan=0.0)
        index = np.flatnonzero(keep)
        if self.fill:
            index = np.union1d(index, _best_failing(~keep, y, rank, self.counts))
        # All kept (no filter): the rows themselves, no copy.
        self.rows.append(rows if len(index) == len(y) else _take(rows, index))
        self.labels.append(y[index])
        self.ranks.append(rank[index])
        self.passes.append(keep[index])
        self.margins.append(margin[index])
        self.generated += np.bincount(y, minlength=len(self.counts))
        self.passed += np.bincount(y[keep], minlength=len(self.counts))

    def result(self, ranked):
        """``(rows, y_index, report)``: the best ``counts[k]`` of each class k."""
        labels = _join(self.labels, np.int64)
        ranks, passes = _join(self.ranks, float), _join(self.passes, bool)
        chosen, kept, filled = [], [], []
        for k, count in enumerate(self.counts):
            mine = np.flatnonzero(labels == k)
            if ranked:
                mine = mine[np.argsort(ranks[mine], kind="stable")]
            take = mine[:count]
            kept.append(len(take))
            filled.append(int((~passes[take]).sum()))
            chosen.append(take)
        chosen = np.concatenate(chosen).astype(np.int64)
        rows = None
        if self.rows:
            rows = concat_rows(self.rows)
            if not np.array_equal(chosen, np.arange(len(labels))):
                rows = _take(rows, chosen)
        smallest = np.where(np.isinf(self.smallest), np.nan, self.smallest)
        report = GenerationReport(
            asked=self.counts, kept=np.array(kept, dtype=np.int64),
            candidates=self.generated, passed=self.passed, smallest_margins=smallest,
            kept_margins=_join(self.margins, float)[chosen],
            filled=np.array(filled, dtype=np.int64))
        return rows, labels[chosen], report


def _join(parts, dtype):
    """Concatenated ``parts``, or an empty array of ``dtype``."""
    return np.concatenate(parts) if parts else np.empty(0, dtype)


def _best_failing(failing, y, rank, counts):
    """Indices of the ``counts[k]`` best-ranked failing candidates of each class k."""
    out = []
    for k in np.unique(y[failing]):
        mine = np.flatnonzero(failing & (y == k))
        out.append(mine[np.argsort(rank[mine], kind="stable")[: counts[k]]])
    return np.concatenate(out) if out else np.empty(0, np.int64)


def concat_rows(batches):
    """Concatenate batches of rows (ndarrays or DataFrames) in order."""
    if hasattr(batches[0], "iloc"):
        import pandas as pd

        return pd.concat(batches, ignore_index=True)
    return np.concatenate([np.asarray(b) for b in batches])


def _take(rows, index):
    """Rows ``index`` of an ndarray or a DataFrame."""
    if hasattr(rows, "iloc"):
        return rows.iloc[index].reset_index(drop=True)
    return rows[index]


def budget_message(report, classes, filter_description):
    """The warning text when fewer candidates passed than rows were asked for.

    Parameters
    ----------
    report : GenerationReport
    classes : ndarray of shape (K,)
    filter_description : str
        E.g. ``"MarginFilter(threshold=0.2)"``.
    """
    passed = report.kept - report.filled
    short = np.flatnonzero(passed < report.asked)
    details = "; ".join(
        f"class {_label(classes[k])}: {passed[k]} of {report.asked[k]} "
        f"(smallest label-consistent margin {report.smallest_margins[k]:.3f})"
        for k in short
    )
    filled = int(report.filled.sum())
    outcome = (
        f"The other {filled} rows are the candidates closest to passing (label "
        "consistent first, then by smallest margin)."
        if filled else "Fewer rows than asked for are returned."
    )
    return (
        f"Only {int(passed.sum())} of the {int(report.asked.sum())} generated "
        f"rows asked for passed the filter {filter_description}, out of "
        f"{int(report.candidates.sum())} candidates ({details}). {outcome} For rows "
        "that all pass: raise the filter's threshold (filter__threshold) above those "
        "margins, raise the filter's candidates_per_row or max_iter, or keep every "
        "generated row "
        "with filter=None."
    )


def _label(value):
    """A class label as the user wrote it (``3``, not ``np.int64(3)``)."""
    return repr(value.item() if hasattr(value, "item") else value)
