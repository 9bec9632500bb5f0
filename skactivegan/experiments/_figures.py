"""Figures 2-5 of the paper from an :class:`ExperimentResult` (needs matplotlib)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

__all__ = ["draw_figures"]

_COLORS = {"AC-GAN": "tab:orange", "ActiveGAN": "tab:blue", "train": "0.3"}
_DPI = 80


def _save(fig, path):
    fig.savefig(path, dpi=_DPI, bbox_inches="tight")
    plt.close(fig)
    return path


def figure2_confusion(fig_data, class_names, n_labels, path):
    """Figure 2: row-normalised confusion matrices, SVM against ActiveGAN+F."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.2))
    panels = [("SVM", fig_data["confusion_svm"]),
              (f"ActiveGAN+F (t={fig_data['threshold']:g}, CV)",
               fig_data["confusion_activegan_f"])]
    for ax, (title, cm) in zip(axes, panels):
        rates = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
        ax.imshow(rates, cmap="Blues", vmin=0, vmax=1)
        for i, j in np.ndindex(cm.shape):
            if cm[i, j]:
                ax.text(j, i, cm[i, j], ha="center", va="center", fontsize=6,
                        color="white" if rates[i, j] > 0.5 else "black")
        ticks = np.arange(len(class_names))
        ax.set_xticks(ticks, [str(c) for c in class_names], rotation=90, fontsize=7)
        ax.set_yticks(ticks, [str(c) for c in class_names], fontsize=7)
        ax.set_xlabel("predicted")
        ax.set_title(title, fontsize=9)
    axes[0].set_ylabel("true")
    fig.suptitle(f"Confusion matrices, {n_labels} labels (seed 0)", fontsize=10)
    return _save(fig, path)


def figure3_informative(rows, path):
    """Figure 3: share of generated rows with margin ≤ t, AC-GAN against ActiveGAN."""
    settings = sorted({r["n_labels"] for r in rows})
    fig, axes = plt.subplots(1, len(settings), figsize=(4.2 * len(settings), 3.4),
                             squeeze=False)
    for ax, n in zip(axes[0], settings):
        for gan in ("AC-GAN", "ActiveGAN"):
            rs = sorted((r for r in rows if r["n_labels"] == n and r["gan"] == gan),
                        key=lambda r: r["threshold"])
            t = [r["threshold"] for r in rs]
            m = np.array([r["fraction_mean"] for r in rs])
            s = np.array([r["fraction_std"] for r in rs])
            ax.plot(t, m, marker="o", ms=3, label=gan, color=_COLORS[gan])
            ax.fill_between(t, m - s, m + s, color=_COLORS[gan], alpha=0.2)
        ax.set_xlabel("margin threshold t")
        ax.set_title(f"{n} labels", fontsize=9)
        ax.set_ylim(bottom=0)
    axes[0][0].set_ylabel("informative rows (margin ≤ t)")
    axes[0][0].legend(fontsize=8)
    return _save(fig, path)


def figure4_pca(fig_data, n_labels, path):
    """Figure 4: PCA (fitted on the training rows) of training and generated rows."""
    X, _ = fig_data["train"]
    scaler = StandardScaler().fit(X)
    pca = PCA(n_components=2, random_state=0).fit(scaler.transform(X))
    fig, axes = plt.subplots(1, 2, figsize=(9, 4), sharex=True, sharey=True)
    train = pca.transform(scaler.transform(X))
    for ax, gan in zip(axes, ("AC-GAN", "ActiveGAN")):
        gen = pca.transform(scaler.transform(fig_data[gan][0]))
        ax.scatter(*train.T, s=5, color=_COLORS["train"], alpha=0.5, label="training")
        ax.scatter(*gen.T, s=5, color=_COLORS[gan], alpha=0.5, label=f"{gan} generated")
        ax.set_title(gan, fontsize=9)
        ax.set_xlabel("PC 1")
        ax.legend(fontsize=7, markerscale=2)
    axes[0].set_ylabel("PC 2")
    fig.suptitle(f"PCA of training vs generated rows, {n_labels} labels (seed 0)",
                 fontsize=10)
    return _save(fig, path)


def figure5_samples(fig_data, image_shape, class_names, n_labels, path, per_class=8):
    """Figure 5: generated images, a row per class, for each GAN (and +F kept rows)."""
    panels = [(g, fig_data[g]) for g in ("AC-GAN", "ActiveGAN", "ActiveGAN+F")]
    fig, axes = plt.subplots(1, len(panels), figsize=(3.2 * len(panels), 4.2))
    for ax, (title, (X, y)) in zip(axes, panels):
        h, w = image_shape
        # White background (0 in "gray_r"), thin grey lines between the images.
        grid = np.full(((h + 1) * len(class_names), (w + 1) * per_class), 0.15)
        for i, c in enumerate(class_names):
            rows = X[y == c][:per_class]
            grid[i * (h + 1):i * (h + 1) + h, :] = 0.0
            for j, img in enumerate(rows):
                grid[i * (h + 1):i * (h + 1) + h, j * (w + 1):j * (w + 1) + w] = (
                    img.reshape(h, w))
        ax.imshow(np.clip(grid, 0, 1), cmap="gray_r", vmin=0, vmax=1)
        ax.set_axis_off()
        label = title if title != "ActiveGAN+F" else (
            f"ActiveGAN+F kept (t={fig_data['threshold']:g})")
        ax.set_title(label, fontsize=9)
    fig.suptitle(f"Generated images, {n_labels} labels (seed 0)", fontsize=10)
    return _save(fig, path)


def draw_figures(result, output):
    """Draw every figure the result supports into ``output/figures``.

    Returns
    -------
    paths : list of pathlib.Path
    """
    from ._report import informative_rows

    folder = output / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    labels = np.unique(result.figures[next(iter(result.figures))]["train"][1])
    names = (result.class_names if result.class_names is not None
             and len(result.class_names) == len(labels) else labels)
    for n, data in sorted(result.figures.items()):
        paths.append(figure2_confusion(data, names, n,
                                       folder / f"figure2_confusion_{n}.png"))
    paths.append(figure3_informative(informative_rows(result),
                                     folder / "figure3_informative.png"))
    for n, data in sorted(result.figures.items()):
        paths.append(figure4_pca(data, n, folder / f"figure4_pca_{n}.png"))
    if result.image_shape is not None:
        for n, data in sorted(result.figures.items()):
            paths.append(figure5_samples(data, result.image_shape, labels, n,
                                         folder / f"figure5_samples_{n}.png"))
    return paths
