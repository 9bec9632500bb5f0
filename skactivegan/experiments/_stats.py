"""Paired comparisons of two methods scored on the same splits (pure NumPy / SciPy).

A method's score minus the baseline's score on the same split is one paired
difference.  Over repeated cross-validation the differences are not independent (the
training sets overlap), so the plain t-test's variance is too small; Nadeau and
Bengio's correction (Machine Learning 52, 2003, "Inference for the generalization
error") inflates it by the ratio of test to training rows:

    var = (1 / J + n_test / n_train) * s²,   t = mean / sqrt(var),   df = J - 1,

with J differences of sample variance s².  ``n_test / n_train = 0`` gives back the
plain one-sample t-test, which is right for independent draws (the paper's seeds).
"""

import warnings
from dataclasses import dataclass

import numpy as np
from scipy import stats

__all__ = ["Comparison", "compare", "paired_tests", "verdict_phrase"]


@dataclass(frozen=True)
class Comparison:
    """A method against the baseline: paired differences, test and interval.

    Attributes
    ----------
    n : int
        Number of paired differences.
    mean, std : float
        Mean and sample standard deviation of the differences.
    ci_low, ci_high : float
        Two-sided confidence interval of the mean difference (``level``).
    p_value : float
        Two-sided p-value of the (corrected) t-test that the mean is 0.
    p_wilcoxon : float
        Two-sided Wilcoxon signed-rank p-value (uncorrected; zeros dropped).
    wins, losses : int
        Differences above and below 0.
    level : float
        Confidence level of the interval.
    test_train_ratio : float
        ``n_test / n_train`` of the correction; 0 for the plain t-test.
    """

    n: int
    mean: float
    std: float
    ci_low: float
    ci_high: float
    p_value: float
    p_wilcoxon: float
    wins: int
    losses: int
    level: float
    test_train_ratio: float

    @property
    def measurable(self):
        """Whether the interval excludes 0 (finite and on one side of it)."""
        return bool(np.isfinite(self.ci_low) and (self.ci_low > 0 or self.ci_high < 0))


def _wilcoxon(d):
    if d.size < 2 or np.all(d == 0):
        return 1.0 if d.size >= 2 else float("nan")
    with warnings.catch_warnings():
        # scipy warns when ties or zeros force the normal approximation; the p-value
        # is still the documented one.
        warnings.simplefilter("ignore")
        return float(stats.wilcoxon(d, zero_method="wilcox").pvalue)


def compare(diff, *, test_train_ratio=0.0, level=0.95):
    """Corrected resampled t-test and confidence interval of paired differences.

    Parameters
    ----------
    diff : array-like of shape (n_splits,)
        Method minus baseline, one value per split (in any unit).
    test_train_ratio : float, default=0.0
        ``n_test / n_train`` of the splits (Nadeau and Bengio's correction);
        0 is the plain paired t-test.
    level : float, default=0.95
        Confidence level of the interval.

    Returns
    -------
    comparison : Comparison
        NaN test and interval for fewer than 2 differences.  When every difference is
        equal there is no variance: the interval is that value and the p-value is 1
        if it is 0, else 0.
    """
    d = np.asarray(diff, dtype=np.float64)
    d = d[np.isfinite(d)]
    n = int(d.size)
    nan = float("nan")
    mean = float(d.mean()) if n else nan
    std = float(d.std(ddof=1)) if n > 1 else nan
    wins, losses = int(np.sum(d > 0)), int(np.sum(d < 0))
    common = {"n": n, "mean": mean, "std": std, "wins": wins, "losses": losses,
              "level": level, "test_train_ratio": float(test_train_ratio),
              "p_wilcoxon": _wilcoxon(d)}
    if n < 2:
        return Comparison(ci_low=nan, ci_high=nan, p_value=nan, **common)
    if std == 0:
        return Comparison(ci_low=mean, ci_high=mean, p_value=float(mean == 0),
                          **common)
    se = std * np.sqrt(1.0 / n + test_train_ratio)
    t = mean / se
    p = float(2 * stats.t.sf(abs(t), df=n - 1))
    half = float(stats.t.ppf(0.5 + level / 2, df=n - 1) * se)
    return Comparison(ci_low=mean - half, ci_high=mean + half, p_value=p, **common)


def paired_tests(diff):
    """Two-sided paired t-test and Wilcoxon test that the differences are 0.

    Parameters
    ----------
    diff : array-like of shape (n_seeds,)
        Per-seed differences, method minus baseline, from independent draws.

    Returns
    -------
    p_ttest : float
        Plain paired t-test (a one-sample t-test of the differences).  1.0 when every
        difference is 0; 0.0 when they are all equal and non-zero; NaN for fewer than
        2 differences.
    p_wilcoxon : float
        Wilcoxon signed-rank test, zero differences dropped; 1.0 when every
        difference is 0; NaN for fewer than 2.  With 5 differences its smallest
        possible p-value is 0.0625.
    """
    c = compare(diff)
    return c.p_value, c.p_wilcoxon


def verdict_phrase(name, c, unit="points"):
    """One clause that says what the interval supports, and no more.

    Examples
    --------
    >>> c = compare([0.5, -0.2, 0.1, 0.3, -0.1], test_train_ratio=0.25)
    >>> verdict_phrase("SMOTE", c)
    'SMOTE: no measurable difference (+0.12 points, 95% CI -0.41 to +0.65)'
    """
    if c.n < 2:
        return f"{name}: not enough splits to compare ({c.n})"
    interval = (f"{c.mean:+.2f} {unit}, {100 * c.level:.0f}% CI {c.ci_low:+.2f} "
                f"to {c.ci_high:+.2f}")
    if not c.measurable:
        return f"{name}: no measurable difference ({interval})"
    word = "better" if c.mean > 0 else "worse"
    return f"{name}: {word} ({interval})"
