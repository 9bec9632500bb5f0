"""The figures of the evaluation reports, drawn from plain arrays (needs matplotlib).

Every function builds a :class:`matplotlib.figure.Figure` with its own Agg canvas and
returns it: no ``pyplot`` state and no global backend are touched, so drawing a report
from a notebook leaves the notebook's backend as it was.  :func:`png_bytes` renders a
figure.  This module knows nothing of the protocol or of the report: the report
imports it, never the other way round.
"""

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

__all__ = [
    "confusion_figure",
    "informative_figure",
    "margins_figure",
    "method_colors",
    "png_bytes",
    "projection_figure",
    "samples_figure",
    "scores_figure",
]

_DPI = 80
_TRAIN_COLOR = "0.3"
# Panels side by side before the projection figure starts a new row.
_PANELS_PER_ROW = 4


def _figure(width, height):
    fig = Figure(figsize=(width, height))
    FigureCanvasAgg(fig)
    return fig


def _color(i):
    return f"C{i % 10}"


def method_colors(names):
    """A colour per method: matplotlib's cycle up to 10 methods, tab20 beyond."""
    if len(names) <= 10:
        return {name: _color(i) for i, name in enumerate(names)}
    from matplotlib import colormaps

    palette = colormaps["tab20"].colors
    return {name: palette[i % len(palette)] for i, name in enumerate(names)}


def png_bytes(fig, dpi=_DPI):
    """The figure as PNG bytes (tight bounding box)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    return buf.getvalue()


def scores_figure(scores, comparisons, baseline, metric="macro F1 (%)", colors=None):
    """The score of every method on every split, and its paired difference to baseline.

    Parameters
    ----------
    scores : dict of str to array-like of shape (n_splits,)
        Per method, its score on each split, in table order (baseline included).
    comparisons : dict of str to Comparison
        Per method other than the baseline, its paired comparison (same unit).
    baseline : str
    metric : str, default="macro F1 (%)"
        Axis label.
    colors : dict of str to color, default=None
        A color per method (default: matplotlib's cycle in table order).

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    names = list(scores)
    colors = colors or {name: _color(i) for i, name in enumerate(names)}
    fig = _figure(10, 0.9 + 0.45 * len(names))
    left, right = fig.subplots(1, 2, sharey=True)
    ypos = np.arange(len(names))[::-1]
    for name, y0 in zip(names, ypos):
        values = np.asarray(scores[name], dtype=float)
        jitter = np.linspace(-0.15, 0.15, len(values)) if len(values) > 1 else [0.0]
        left.scatter(values, y0 + np.asarray(jitter), s=12, color=colors[name],
                     alpha=0.6)
        left.plot([np.nanmean(values)] * 2, [y0 - 0.3, y0 + 0.3], color="k", lw=1.5)
    left.set_yticks(ypos, names)
    left.set_xlabel(metric)
    left.set_title("score on each split (bar: mean)", fontsize=9)
    for name, y0 in zip(names, ypos):
        c = comparisons.get(name)
        if c is None:
            continue
        if np.isfinite(c.ci_low):
            right.plot([c.ci_low, c.ci_high], [y0, y0], color=colors[name], lw=2)
        right.plot([c.mean], [y0], "o", color=colors[name])
    right.axvline(0.0, color="0.5", lw=1, ls="--")
    level = next((c.level for c in comparisons.values()), 0.95)
    right.set_xlabel(f"difference to {baseline} (points)")
    right.set_title(f"paired difference, {100 * level:.0f}% interval", fontsize=9)
    return fig


def projection_figure(X_real, y_real, generated, title=None, colors=None):
    """A PCA of the real rows (standardised) with each method's generated rows on it.

    Parameters
    ----------
    X_real : ndarray of shape (n_samples, n_features)
        Numeric (one-hot encode categorical columns first).
    y_real : ndarray of shape (n_samples,)
        Unused for the projection; kept for the legend's count.
    generated : dict of str to ndarray of shape (n_generated, n_features)
        One panel per entry: those rows over the real ones; four panels a row.
    title : str, default=None
    colors : dict of str to color, default=None
        A color per panel.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    colors = colors or {name: _color(i + 1) for i, name in enumerate(generated)}
    X_real = np.asarray(X_real, dtype=float)
    scaler = StandardScaler().fit(X_real)
    pca = PCA(n_components=2, random_state=0).fit(scaler.transform(X_real))
    real = pca.transform(scaler.transform(X_real))
    empty = np.empty((0, X_real.shape[1]))
    panels = list(generated.items()) or [("real rows only", empty)]
    n_cols = min(len(panels), _PANELS_PER_ROW)
    n_rows = -(-len(panels) // n_cols)
    fig = _figure(4.2 * n_cols, 4 * n_rows)
    grid = np.atleast_1d(fig.subplots(n_rows, n_cols, sharex=True, sharey=True,
                                      squeeze=False)).ravel()
    for ax in grid[len(panels):]:  # the last row's empty cells
        ax.set_visible(False)
    axes = grid[:len(panels)]
    for ax, (name, X_gen) in zip(axes, panels):
        ax.scatter(*real.T, s=5, color=_TRAIN_COLOR, alpha=0.4,
                   label=f"real ({len(y_real)})")
        if len(X_gen):
            gen = pca.transform(scaler.transform(np.asarray(X_gen, dtype=float)))
            ax.scatter(*gen.T, s=7, color=colors[name], alpha=0.7,
                       label=f"generated ({len(X_gen)})")
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("PC 1")
        ax.legend(fontsize=7, markerscale=2)
    for ax in axes[::n_cols]:
        ax.set_ylabel("PC 2")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def margins_figure(margins, thresholds=None, title=None, colors=None):
    """Histograms of the oracle margins of each method's added rows.

    Parameters
    ----------
    margins : dict of str to ndarray of shape (n_rows,)
        Per method, the margin (top-1 minus top-2 probability) of each added row.
    thresholds : dict of str to float, default=None
        A dashed line at each method's filter threshold.
    title : str, default=None
    colors : dict of str to color, default=None
        A color per method.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    thresholds = thresholds or {}
    colors = colors or {name: _color(i + 1) for i, name in enumerate(margins)}
    fig = _figure(6, 3.4)
    ax = fig.subplots()
    bins = np.linspace(0, 1, 41)
    for name, m in margins.items():
        ax.hist(np.asarray(m, dtype=float), bins=bins, histtype="step", lw=1.5,
                color=colors[name], label=f"{name} ({len(m)} rows)")
        t = thresholds.get(name)
        if t is not None and np.isfinite(t):
            ax.axvline(t, color=colors[name], ls="--", lw=1)
    ax.set_xlabel("oracle margin of the added row (small: near the boundary)")
    ax.set_ylabel("rows")
    if margins:
        ax.legend(fontsize=7)
    if title:
        ax.set_title(title, fontsize=9)
    return fig


def confusion_figure(panels, class_names, title=None):
    """Row-normalised confusion matrices side by side (the paper's Figure 2).

    Parameters
    ----------
    panels : list of (str, ndarray of shape (n_classes, n_classes))
        Title and counts (rows: true class).
    class_names : sequence of str
    title : str, default=None

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    fig = _figure(4.5 * len(panels), 4.2)
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    ticks = np.arange(len(class_names))
    for ax, (name, cm) in zip(axes, panels):
        rates = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
        ax.imshow(rates, cmap="Blues", vmin=0, vmax=1)
        for i, j in np.ndindex(cm.shape):
            if cm[i, j]:
                ax.text(j, i, cm[i, j], ha="center", va="center", fontsize=6,
                        color="white" if rates[i, j] > 0.5 else "black")
        ax.set_xticks(ticks, [str(c) for c in class_names], rotation=90, fontsize=7)
        ax.set_yticks(ticks, [str(c) for c in class_names], fontsize=7)
        ax.set_xlabel("predicted")
        ax.set_title(name, fontsize=9)
    axes[0].set_ylabel("true")
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def informative_figure(curves, title=None):
    """Share of generated rows with margin ≤ t against t (the paper's Figure 3).

    Parameters
    ----------
    curves : dict of str to dict of str to (ndarray, ndarray, ndarray)
        Per panel (e.g. "200 labels"), per GAN: thresholds, mean and std of the share.
    title : str, default=None

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    fig = _figure(4.2 * len(curves), 3.4)
    axes = np.atleast_1d(fig.subplots(1, len(curves)))
    for ax, (panel, gans) in zip(axes, curves.items()):
        for i, (gan, (t, m, s)) in enumerate(gans.items()):
            ax.plot(t, m, marker="o", ms=3, label=gan, color=_color(i + 1))
            ax.fill_between(t, m - s, m + s, color=_color(i + 1), alpha=0.2)
        ax.set_xlabel("margin threshold t")
        ax.set_title(panel, fontsize=9)
        ax.set_ylim(bottom=0)
    axes[0].set_ylabel("informative rows (margin ≤ t)")
    axes[0].legend(fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig


def samples_figure(panels, image_shape, classes, per_class=8, title=None):
    """Generated images, a row per class, one panel per source (the paper's Figure 5).

    Parameters
    ----------
    panels : list of (str, ndarray of shape (n, h*w), ndarray of shape (n,))
        Title, rows in [0, 1] and their labels.
    image_shape : tuple of int
        ``(h, w)``.
    classes : sequence
        The labels, one grid row each.
    per_class : int, default=8
    title : str, default=None

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    h, w = image_shape
    fig = _figure(3.2 * len(panels), 4.2)
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    for ax, (name, X, y) in zip(axes, panels):
        # White background (0 in "gray_r"), thin grey lines between the images.
        grid = np.full(((h + 1) * len(classes), (w + 1) * per_class), 0.15)
        for i, c in enumerate(classes):
            grid[i * (h + 1):i * (h + 1) + h, :] = 0.0
            for j, img in enumerate(X[y == c][:per_class]):
                grid[i * (h + 1):i * (h + 1) + h, j * (w + 1):j * (w + 1) + w] = (
                    img.reshape(h, w))
        ax.imshow(np.clip(grid, 0, 1), cmap="gray_r", vmin=0, vmax=1)
        ax.set_axis_off()
        ax.set_title(name, fontsize=9)
    if title:
        fig.suptitle(title, fontsize=10)
    return fig
