"""Plots of a fitted augmenter's training history.

matplotlib is imported only when a plot is drawn, so the rest of the library works
without it.
"""

import numpy as np

__all__ = ["plot_history"]

#: The default panels: a title and the ``history_`` keys drawn in it.
DEFAULT_PANELS = (
    ("Losses (as minimised)", ("loss_d", "loss_g")),
    ("Uncertainty term L_U", ("uncertainty",)),
    ("Mean reward r", ("reward",)),
    ("Oracle on the generated batch", ("margin", "informative", "agreement")),
)

_LABELS = {
    "loss_d": "discriminator, Eq. (4)",
    "loss_g": "generator, Eq. (5)",
    "uncertainty": "L_U",
    "reward": "mean r, Eq. (8)",
    "margin": "mean margin",
    "informative": "fraction with margin <= threshold",
    "agreement": "fraction where oracle = label",
}


def _import_pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ImportError(
            "plot_history needs matplotlib, which is not installed; install it with "
            "`pip install matplotlib`."
        ) from exc
    return plt


def _records(history):
    """The list of per-iteration records of ``history`` (an estimator or a list)."""
    records = getattr(history, "history_", history)
    if hasattr(records, "to_dict"):  # a DataFrame made from history_
        records = records.to_dict("records")
    records = list(records)
    if not records or not all(isinstance(r, dict) for r in records):
        raise ValueError(
            "history must be a fitted augmenter or its non-empty history_ (a list of "
            "dicts, one per iteration)."
        )
    return records


def _column(records, key):
    """``key`` of every record as a float array (NaN where missing)."""
    return np.array([float(r.get(key, np.nan)) for r in records], dtype=np.float64)


def moving_average(values, window):
    """Mean of the last ``window`` finite values at each position (NaN-aware).

    Parameters
    ----------
    values : ndarray of shape (n,)
        A series with NaN where a value is missing.
    window : int
        Width of the trailing window; 1 returns ``values``.

    Returns
    -------
    smoothed : ndarray of shape (n,)
        NaN where ``values`` is NaN, so that gaps stay visible.
    """
    if window <= 1:
        return values
    finite = np.isfinite(values)
    sums = np.cumsum(np.where(finite, values, 0.0))
    counts = np.cumsum(finite)
    sums[window:] = sums[window:] - sums[:-window]
    counts[window:] = counts[window:] - counts[:-window]
    with np.errstate(invalid="ignore", divide="ignore"):
        smoothed = sums / counts
    return np.where(finite, smoothed, np.nan)


def _panels(records, keys):
    if keys is None:
        panels = [(title, [k for k in group if k in records[0]])
                  for title, group in DEFAULT_PANELS]
        known = {k for _, group in DEFAULT_PANELS for k in group}
        skip = known | {"iteration", "phase"}
        extra = [k for k, v in records[0].items()
                 if k not in skip and isinstance(v, (int, float))]
        panels += [(k.replace("_", " ").capitalize(), [k]) for k in extra]
    else:
        panels = []
        for item in keys:
            group = [item] if isinstance(item, str) else list(item)
            missing = [k for k in group if k not in records[0]]
            if missing:
                raise ValueError(f"history_ has no key(s) {missing}; it has "
                                 f"{sorted(records[0])}.")
            panels.append((", ".join(group), group))
    # Keep the panels that have something to draw.
    return [(title, group) for title, group in panels
            if any(np.isfinite(_column(records, k)).any() for k in group)]


def plot_history(history, *, keys=None, smooth=1, axes=None, figsize=None):
    """Plot the training curves of an :class:`~skactivegan.ActiveGANAugmenter`.

    One panel for the two adversarial losses, one for the uncertainty term L_U, one
    for the mean reward and one for what the oracle says of each generated batch
    (mean margin, fraction informative, agreement with the conditioning label), then
    one for each other numeric key of ``history_``.  A dashed line marks the end of
    the warm-up, before which the reward does not steer the generator.  Panels with
    no finite value are left out.

    Parameters
    ----------
    history : ActiveGANAugmenter or list of dict
        A fitted augmenter, or its ``history_`` (a ``pandas.DataFrame`` of it works
        too).
    keys : list of str or of list of str, default=None
        The panels to draw, one per item; an item that is a list draws several keys
        in one panel.  None draws the default panels.
    smooth : int, default=1
        Width of a trailing moving average applied to every curve (missing values
        are skipped); 1 draws the raw values.
    axes : array-like of matplotlib Axes, default=None
        Where to draw, one Axes per panel.  None makes a new figure with one column
        of panels sharing the iteration axis.
    figsize : tuple of float, default=None
        Size of the new figure, in inches; None picks one from the number of panels.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure drawn on.

    Raises
    ------
    ImportError
        When matplotlib is not installed.
    ValueError
        When ``history`` is not a fitted augmenter's history, or ``keys`` names a key
        that it does not have.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from sklearn.datasets import load_iris
    >>> from skactivegan import ActiveGANAugmenter
    >>> from skactivegan.plotting import plot_history
    >>> X, y = load_iris(return_X_y=True)
    >>> aug = ActiveGANAugmenter(max_iter=40, warmup_iter=20, random_state=0).fit(X, y)
    >>> fig = plot_history(aug, smooth=5)
    >>> fig.axes[0].get_title()
    'Losses (as minimised)'
    """
    records = _records(history)
    if not isinstance(smooth, (int, np.integer)) or smooth < 1:
        raise ValueError(f"smooth must be a positive int; got {smooth!r}.")
    panels = _panels(records, keys)
    if not panels:
        raise ValueError("history_ has no finite value to plot.")
    plt = _import_pyplot()

    new_figure = axes is None
    if new_figure:
        size = figsize if figsize is not None else (7.0, 2.2 * len(panels) + 0.6)
        fig, axes = plt.subplots(len(panels), 1, sharex=True, figsize=size,
                                 squeeze=False)
        axes = axes[:, 0]
    else:
        axes = np.ravel(axes)
        if len(axes) < len(panels):
            raise ValueError(f"{len(panels)} panels to draw but {len(axes)} axes "
                             "given.")
        fig = axes[0].figure

    iteration = _column(records, "iteration")
    if not np.isfinite(iteration).all():
        iteration = np.arange(1, len(records) + 1, dtype=np.float64)
    active = [r.get("iteration", i + 1) for i, r in enumerate(records)
              if r.get("phase") == "active"]
    warmup_end = None
    if active and records[0].get("phase") == "warmup":
        warmup_end = active[0] - 0.5

    for ax, (title, group) in zip(axes, panels):
        for key in group:
            values = moving_average(_column(records, key), smooth)
            ax.plot(iteration, values, label=_LABELS.get(key, key), linewidth=1.2)
        if warmup_end is not None:
            ax.axvline(warmup_end, color="0.5", linestyle="--", linewidth=0.8)
        ax.set_title(title, fontsize="medium")
        if len(group) > 1:
            ax.legend(fontsize="small", loc="best")
        ax.grid(True, alpha=0.3)
    axes[len(panels) - 1].set_xlabel("iteration")
    if new_figure:
        fig.tight_layout()
    return fig
