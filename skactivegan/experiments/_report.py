"""Tables of the results: Table 1 (F-scores and paired tests), 2 (distances), 3 (α)."""

import csv
import json
import warnings
from pathlib import Path

import numpy as np
from scipy import stats

from ._protocol import METHODS

__all__ = ["paired_tests", "summarise", "write_report"]

_TEST_BEST = ("AC-GAN+F (test-best)", "ActiveGAN+F (test-best)")


def paired_tests(diff):
    """Two-sided paired tests that a method's F-score differs from the SVM's.

    Parameters
    ----------
    diff : array-like of shape (n_seeds,)
        Per-seed differences, method minus SVM.

    Returns
    -------
    p_ttest : float
        Paired t-test (``scipy.stats.ttest_rel``, i.e. a one-sample t-test of the
        differences).  1.0 when every difference is 0; 0.0 when they are all equal
        and non-zero (no variance: the sign is certain); NaN for fewer than 2 seeds.
    p_wilcoxon : float
        Wilcoxon signed-rank test (exact where scipy can), zero differences
        dropped; 1.0 when every difference is 0; NaN for fewer than 2 seeds.
        With 5 seeds its smallest possible p-value is 0.0625.
    """
    d = np.asarray(diff, dtype=np.float64)
    if d.size < 2:
        return float("nan"), float("nan")
    if np.all(d == 0):
        return 1.0, 1.0
    if np.ptp(d) == 0:
        p_t = 0.0
    else:
        p_t = float(stats.ttest_1samp(d, 0.0).pvalue)
    with warnings.catch_warnings():
        # scipy warns when ties or zeros force the normal approximation; the p-value
        # is still the documented one.
        warnings.simplefilter("ignore")
        p_w = float(stats.wilcoxon(d, zero_method="wilcox").pvalue)
    return p_t, p_w


def _mean_std(values):
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return float("nan"), float("nan")
    return float(v.mean()), float(v.std(ddof=1)) if v.size > 1 else 0.0


def summarise(result):
    """Aggregate the runs over seeds.

    Returns
    -------
    rows : list of dict
        Per (n_labels, method): mean and std of F (in %), of the difference to the
        SVM, the two p-values, number of wins, mean threshold, rows added and the
        generation statistics.
    """
    runs = result.runs
    svm = {(r["n_labels"], r["seed"]): r["f1"] for r in runs if r["method"] == "SVM"}
    out = []
    for n in result.config.settings():
        for method in (*METHODS, *_TEST_BEST):
            rs = [r for r in runs if r["n_labels"] == n and r["method"] == method]
            if not rs:
                continue
            f1 = np.array([r["f1"] for r in rs]) * 100
            diff = f1 - np.array([svm[n, r["seed"]] for r in rs]) * 100
            p_t, p_w = paired_tests(diff) if method != "SVM" else (float("nan"),) * 2
            row = {"n_labels": n, "method": method, "n_seeds": len(rs)}
            row["f1_mean"], row["f1_std"] = _mean_std(f1)
            row["diff_mean"], row["diff_std"] = _mean_std(diff)
            row["p_ttest"], row["p_wilcoxon"] = p_t, p_w
            row["wins"] = int(np.sum(diff > 0))
            row["losses"] = int(np.sum(diff < 0))
            for key in ("threshold", "n_added", "agreement_added", "final_agreement",
                        "final_informative"):
                row[key] = _mean_std([r[key] for r in rs])[0]
            row["thresholds"] = " ".join(f"{r['threshold']:g}" for r in rs
                                         if np.isfinite(r["threshold"]))
            out.append(row)
    return out


def _fmt(mean, std, digits=2):
    if not np.isfinite(mean):
        return "–"
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def _fmt_share(x):
    return "–" if not np.isfinite(x) else f"{x:.2f}"


def _fmt_p(p):
    return "–" if not np.isfinite(p) else f"{p:.3f}"


def _md_table(header, rows):
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _write_csv(path, rows):
    if not rows:
        path.write_text("")
        return
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def table1_markdown(summary, settings):
    """Table 1: macro F-score (%) per method and setting, and the paired differences."""
    label = {n: f"{n} labels" for n in settings}
    cell = {(r["n_labels"], r["method"]): r for r in summary}
    methods = [m for m in (*METHODS, *_TEST_BEST)
               if any((n, m) in cell for n in settings)]
    main = _md_table(
        ["Method", *(label[n] for n in settings)],
        [[m + (" ¹" if m in _TEST_BEST else ""),
          *(_fmt(cell[n, m]["f1_mean"], cell[n, m]["f1_std"]) if (n, m) in cell else "–"
            for n in settings)] for m in methods])
    diff_rows = []
    for n in settings:
        for m in methods:
            if m == "SVM" or (n, m) not in cell:
                continue
            r = cell[n, m]
            diff_rows.append([
                n, m + (" ¹" if m in _TEST_BEST else ""),
                _fmt(r["diff_mean"], r["diff_std"]), f"{r['wins']}/{r['losses']}",
                _fmt_p(r["p_ttest"]), _fmt_p(r["p_wilcoxon"]),
                r["thresholds"] or "–", f"{r['n_added']:.0f}",
                _fmt_share(r["agreement_added"]), _fmt_share(r["final_informative"]),
            ])
    diffs = _md_table(
        ["Labels", "Method", "Δ F vs SVM (points)", "wins/losses", "p (paired t)",
         "p (Wilcoxon)", "threshold per seed", "rows added",
         "label agreement of added rows",
         "informative (end of training)"],
        diff_rows)
    return main, diffs


def table2_rows(result):
    """Table 2: mean over seeds of the distances, per setting and GAN."""
    rows = []
    for n in result.config.settings():
        for source in ("training", "AC-GAN", "ActiveGAN"):
            rs = [r for r in result.distances
                  if r["n_labels"] == n and r["source"] == source]
            if rs:
                rows.append({"n_labels": n, "source": source,
                             **{k: float(np.mean([r[k] for r in rs]))
                                for k in ("centroid", "mean", "std")}})
    return rows


def table3_rows(result):
    """Table 3: ActiveGAN and ActiveGAN+F F-score (%) against α, per setting."""
    rows = []
    for n in result.config.settings():
        for alpha in result.config.alphas:
            rs = [r for r in result.ablation
                  if r["n_labels"] == n and r["alpha"] == alpha]
            if not rs:
                continue
            row = {"n_labels": n, "alpha": alpha}
            for key in ("f1_activegan", "f1_activegan_f"):
                m, s = _mean_std([100 * r[key] for r in rs])
                row[key + "_mean"], row[key + "_std"] = m, s
            row["final_agreement"] = _mean_std([r["final_agreement"] for r in rs])[0]
            rows.append(row)
    return rows


def informative_rows(result):
    """Figure 3's data: mean fraction of generated rows with margin ≤ t."""
    rows = []
    for n in result.config.settings():
        for gan in ("AC-GAN", "ActiveGAN"):
            for t in sorted({r["threshold"] for r in result.informative}):
                rs = [r["fraction"] for r in result.informative
                      if r["n_labels"] == n and r["gan"] == gan and r["threshold"] == t]
                if rs:
                    rows.append({"n_labels": n, "gan": gan, "threshold": t,
                                 "fraction_mean": float(np.mean(rs)),
                                 "fraction_std": float(np.std(rs))})
    return rows


def write_report(result, output, *, command=None, figures=True, stream=None):
    """Write the tables (Markdown and CSV), the figures and a README into ``output``.

    Parameters
    ----------
    result : ExperimentResult
    output : str or path-like
        Folder, created if needed.
    command : str, default=None
        The command line that produced the result, quoted in the README.
    figures : bool, default=True
        Draw the figures (needs matplotlib; skipped with a note when absent).
    stream : file-like, default=None
        Where to report what was written.

    Returns
    -------
    readme : pathlib.Path
    """
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    config = result.config
    settings = config.settings()
    summary = summarise(result)

    _write_csv(out / "runs.csv", result.runs)
    _write_csv(out / "table1.csv", summary)
    _write_csv(out / "thresholds_cv.csv", result.cv)
    t2 = table2_rows(result)
    _write_csv(out / "table2.csv", t2)
    t3 = table3_rows(result)
    _write_csv(out / "table3.csv", t3)
    inf = informative_rows(result)
    _write_csv(out / "figure3.csv", inf)

    main, diffs = table1_markdown(summary, settings)
    t2_md = _md_table(
        ["Labels", "Generated by", "centroid distance", "mean distance",
         "std of distance"],
        [[r["n_labels"], r["source"], f"{r['centroid']:.2f}", f"{r['mean']:.2f}",
          f"{r['std']:.2f}"] for r in t2])
    t3_md = _md_table(
        ["Labels", "α", "ActiveGAN F (%)", "ActiveGAN+F F (%)",
         "label agreement (end)"],
        [[r["n_labels"], f"{r['alpha']:g}",
          _fmt(r["f1_activegan_mean"], r["f1_activegan_std"]),
          _fmt(r["f1_activegan_f_mean"], r["f1_activegan_f_std"]),
          f"{r['final_agreement']:.2f}"] for r in t3]) if t3 else "(ablation not run)"
    (out / "table1.md").write_text(main + "\n\n" + diffs + "\n")
    (out / "table2.md").write_text(t2_md + "\n")
    (out / "table3.md").write_text(t3_md + "\n")

    figure_files, figure_note = [], ""
    if figures:
        try:
            from ._figures import draw_figures
        except ImportError:
            figure_note = "matplotlib is not installed: no figures were drawn."
        else:
            figure_files = draw_figures(result, out)

    n_seeds = config.n_seeds
    seeds = config.seeds()
    text = [
        f"# ActiveGAN evaluation: {config.dataset}, {config.features} features",
        "",
        f"Settings: {', '.join(str(n) for n in settings)} labelled rows; "
        f"{n_seeds} seeds "
        f"({seeds[0]}..{seeds[-1]}); macro F-score (%) on the held-out rows, mean ± std over "
        "seeds.",
    ]
    if command:
        text += ["", "Command:", "", "```", command, "```"]
    text += [
        "", "## Table 1: F-score", "", main, "",
        "¹ test-best: the threshold that scored best *on the test set*; shown only to "
        "compare with the paper, which reports its best F-scores. It is not a valid "
        "estimate of performance. The +F rows without ¹ use the threshold chosen by "
        f"{config.cv_folds}-fold cross-validation on the labelled rows.",
        "", "Paired differences to the SVM (same seed, same labelled rows):", "",
        diffs, "",
        "p (paired t): paired t-test on the per-seed F-scores "
        "(`scipy.stats.ttest_1samp` "
        "of the differences, identical to `ttest_rel`); p (Wilcoxon): "
        "`scipy.stats.wilcoxon` signed-rank, two-sided. \"label agreement\": share of "
        "the added rows whose conditioning label the oracle SVM also predicts; "
        "\"informative\": share of the GAN's last training batches with oracle margin "
        "≤ the augmenter's reporting threshold.",
        "", "## Table 2: distance of generated rows to the training rows", "",
        t2_md, "",
        "Per class, in the labelled rows' standardised feature space: distance between "
        "the centroid of the generated rows and that of the training rows, and mean / "
        "std of the generated rows' distances to the training centroid; averaged over "
        "classes and seeds. The \"training\" row is the labelled rows themselves "
        "(their spread around their own centroid), for reference.",
        "", "## Table 3: α ablation (ActiveGAN at the library's λ)", "", t3_md,
    ]
    if t3:
        text += ["", "ActiveGAN+F here uses, for every α, the threshold "
                 "cross-validated for α = 0.5."]
    if figure_files or figure_note:
        text += ["", "## Figures", ""]
        text += [f"![{p.stem}]({p.relative_to(out).as_posix()})" for p in figure_files]
        if figure_note:
            text += [figure_note]
    text += ["", "## Configuration", "", "```json",
             json.dumps(config.to_dict(), indent=2, default=str), "```", ""]
    params = getattr(result, "augmenter_params", None)
    if params:
        text += ["ActiveGANAugmenter parameters of every GAN (then `filter=None` and "
                 "each method's `uncertainty_weight` / `alpha`):", "", "```json",
                 json.dumps(params, indent=2, default=str, sort_keys=True), "```", ""]
    readme = out / "README.md"
    readme.write_text("\n".join(text))
    if stream is not None:
        print(f"results written to {out}", file=stream, flush=True)
    return readme
