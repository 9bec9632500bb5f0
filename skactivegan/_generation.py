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
    n_classes = len(counts)
    per_row = 1.0 if judge is None else float(candidates_per_row)
    extra_rounds = judge is not None and per_row > 1.0
    seeds = iter(np.random.SeedSequence(seed).spawn(_MAX_ROUNDS))

    # The candidates that pass are kept (rows, labels, margins); of those that fail,
    # the best counts[k] of each class in each round (bounded memory), to fill a
    # shortfall.  For the rest, the smallest label-consistent margin per class is all
    # the report needs.
    kept_rows, kept_labels, kept_ranks, kept_pass, kept_margins = [], [], [], [], []
    generated = np.zeros(n_classes, dtype=np.int64)
    passed = np.zeros(n_classes, dtype=np.int64)
    smallest = np.full(n_classes, np.inf)
    for round_number in range(_MAX_ROUNDS):
        if round_number and not extra_rounds:
            break
        sizes = _round_sizes(counts, generated, passed, per_row, round_number == 0)
        if not sizes.any():
            break
        y_round = np.repeat(np.arange(n_classes), sizes)
        round_seed = next(seeds)
        for start in range(0, len(y_round), _ROUND):
            y_part = y_round[start:start + _ROUND]
            part_seed = int(round_seed.spawn(1)[0].generate_state(1)[0] & 0x7FFFFFFF)
            rows = draw(y_part, part_seed)
            if judge is None:
                keep, margin = np.ones(len(y_part), bool), np.full(len(y_part), np.nan)
                agree = keep
            else:
                keep, margin, agree = judge(rows, y_part)
                keep, margin = np.asarray(keep, bool), np.asarray(margin, np.float64)
                agree = np.asarray(agree, bool)
                np.minimum.at(smallest, y_part[agree], margin[agree])
            # Rank: passing rows by margin; failing ones after, label-consistent
            # first, each by margin.
            rank = np.where(keep, 0.0, np.where(agree, 2.0, 4.0)) + np.nan_to_num(
                margin, nan=0.0)
            index = np.flatnonzero(keep)
            if fill and judge is not None:
                index = np.union1d(index, _best_failing(~keep, y_part, rank, counts))
            # All kept (no filter): the rows themselves, no copy.
            kept_rows.append(rows if len(index) == len(y_part) else _take(rows, index))
            kept_labels.append(y_part[index])
            kept_ranks.append(rank[index])
            kept_pass.append(keep[index])
            kept_margins.append(margin[index])
            generated += np.bincount(y_part, minlength=n_classes)
            passed += np.bincount(y_part[keep], minlength=n_classes)

    labels = np.concatenate(kept_labels) if kept_labels else np.empty(0, np.int64)
    ranks = np.concatenate(kept_ranks) if kept_ranks else np.empty(0)
    passes = np.concatenate(kept_pass) if kept_pass else np.empty(0, bool)
    chosen = []
    kept = np.zeros(n_classes, dtype=np.int64)
    filled = np.zeros(n_classes, dtype=np.int64)
    for k in range(n_classes):
        mine = np.flatnonzero(labels == k)
        if judge is not None:
            mine = mine[np.argsort(ranks[mine], kind="stable")]
        take = mine[: counts[k]]
        kept[k] = len(take)
        filled[k] = int((~passes[take]).sum())
        chosen.append(take)
    chosen = (
        np.concatenate(chosen).astype(np.int64) if chosen else np.empty(0, np.int64)
    )
    smallest[np.isinf(smallest)] = np.nan
    rows = None
    if kept_rows:
        rows = concat_rows(kept_rows)
        if not np.array_equal(chosen, np.arange(len(labels))):
            rows = _take(rows, chosen)
    margins = np.concatenate(kept_margins) if kept_margins else np.empty(0)
    report = GenerationReport(
        asked=counts,
        kept=kept,
        candidates=generated,
        passed=passed,
        smallest_margins=smallest,
        kept_margins=margins[chosen],
        filled=filled,
    )
    return rows, labels[chosen], report


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
