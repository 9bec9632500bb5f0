"""Reports of the engine's results: tables, verdicts, Markdown, HTML and CSV.

:class:`Document` is a list of blocks (headings, paragraphs, tables, figures, code)
written both as Markdown (figures as PNG files beside it) and as one self-contained
HTML file (figures embedded as base64 PNG).  :func:`write_report` writes the paper's
tables (Tables 1–3, Figures 2–5); :func:`write_evaluation_report` the report of
:func:`~skactivegan.experiments.evaluate`.  Imports point one way: this module uses
:mod:`._stats` and :mod:`._figures`, which know nothing of it.
"""

import base64
import csv
import html
import json
import re
from pathlib import Path

import numpy as np

from ._paper import METHODS
from ._stats import compare, paired_tests, verdict_phrase

try:
    from ..experiments import _figures
except ImportError:  # matplotlib is optional: reports without figures
    _figures = None

__all__ = [
    "Document",
    "comparisons",
    "paired_tests",
    "recommend",
    "summarise",
    "verdict",
    "write_evaluation_report",
    "write_report",
]

_TEST_BEST_SUFFIX = " (test-best)"


# ------------------------------------------------------------------ document
class Document:
    """A report as blocks, rendered to Markdown and to self-contained HTML."""

    def __init__(self, title):
        self.title = title
        self.blocks = []

    def heading(self, text, level=2):
        self.blocks.append(("heading", level, text))

    def paragraph(self, text):
        self.blocks.append(("paragraph", text))

    def table(self, header, rows):
        self.blocks.append(("table", list(header), [list(r) for r in rows]))

    def code(self, text):
        self.blocks.append(("code", text))

    def figure(self, name, png, caption=""):
        """A figure: ``png`` bytes (None when matplotlib is missing: skipped)."""
        if png is not None:
            self.blocks.append(("figure", name, png, caption))

    def figures(self):
        """(name, png bytes) of every figure."""
        return [(b[1], b[2]) for b in self.blocks if b[0] == "figure"]

    def markdown(self, figure_folder="figures"):
        """Markdown text; figures are linked as ``figure_folder/<name>.png``."""
        out = [f"# {self.title}"]
        for block in self.blocks:
            kind = block[0]
            if kind == "heading":
                out.append("#" * block[1] + " " + block[2])
            elif kind == "paragraph":
                out.append(block[1])
            elif kind == "table":
                out.append(markdown_table(block[1], block[2]))
            elif kind == "code":
                out.append("```\n" + block[1] + "\n```")
            elif kind == "figure":
                out.append(f"![{block[1]}]({figure_folder}/{block[1]}.png)")
                if block[3]:
                    out.append(block[3])
        return "\n\n".join(out) + "\n"

    def html(self):
        """One HTML page, figures embedded as base64 PNG."""
        body = [f"<h1>{html.escape(self.title)}</h1>"]
        for block in self.blocks:
            kind = block[0]
            if kind == "heading":
                body.append(f"<h{block[1]}>{_inline(block[2])}</h{block[1]}>")
            elif kind == "paragraph":
                body.append(f"<p>{_inline(block[1])}</p>")
            elif kind == "table":
                head = "".join(f"<th>{_inline(str(c))}</th>" for c in block[1])
                rows = "".join(
                    "<tr>" + "".join(f"<td>{_inline(str(c))}</td>" for c in r)
                    + "</tr>" for r in block[2])
                body.append(f"<table><thead><tr>{head}</tr></thead>"
                            f"<tbody>{rows}</tbody></table>")
            elif kind == "code":
                body.append(f"<pre><code>{html.escape(block[1])}</code></pre>")
            elif kind == "figure":
                data = base64.b64encode(block[2]).decode("ascii")
                body.append(f'<figure><img alt="{html.escape(block[1])}" '
                            f'src="data:image/png;base64,{data}">'
                            f"<figcaption>{_inline(block[3])}</figcaption></figure>")
        return (
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(self.title)}</title><style>{_CSS}</style></head>"
            "<body>\n" + "\n".join(body) + "\n</body></html>\n")

    def write(self, folder, stem="report"):
        """Write ``stem.md`` (with ``figures/*.png``) and ``stem.html`` into ``folder``.

        Returns
        -------
        markdown, html : pathlib.Path
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        if self.figures():
            (folder / "figures").mkdir(exist_ok=True)
        for name, png in self.figures():
            (folder / "figures" / f"{name}.png").write_bytes(png)
        md, page = folder / f"{stem}.md", folder / f"{stem}.html"
        md.write_text(self.markdown(), encoding="utf-8")
        page.write_text(self.html(), encoding="utf-8")
        return md, page


_CSS = (
    "body{font-family:sans-serif;max-width:70em;margin:2em auto;padding:0 1em;"
    "line-height:1.45}table{border-collapse:collapse;margin:1em 0;font-size:90%}"
    "td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}"
    "th{background:#f3f3f3}img{max-width:100%}code{background:#f5f5f5}"
    "pre{background:#f5f5f5;padding:.6em;overflow-x:auto}")


def _inline(text):
    """Markdown's ``code`` and **bold** as HTML (the rest escaped)."""
    text = html.escape(str(text))
    text = re.sub(r"`([^`]+)`", r"<code>\1</code>", text)
    return re.sub(r"\*\*([^*]+)\*\*", r"<b>\1</b>", text)


def markdown_table(header, rows):
    """A Markdown table of strings."""
    lines = ["| " + " | ".join(str(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def write_csv(path, rows):
    """Rows (dicts with the same keys) as a CSV file; an empty file for no rows."""
    if not rows:
        Path(path).write_text("")
        return
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _png(draw, *args, **kwargs):
    """PNG bytes of ``draw(*args)``, or None when matplotlib is not installed."""
    if _figures is None:
        return None
    return _figures.png_bytes(getattr(_figures, draw)(*args, **kwargs))


def _fmt(mean, std, digits=2):
    if not np.isfinite(mean):
        return "–"
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def _fmt_num(x, fmt="{:.2f}"):
    return "–" if x is None or not np.isfinite(x) else fmt.format(x)


def _mean_std(values):
    v = np.asarray(values, dtype=np.float64)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return float("nan"), float("nan")
    return float(v.mean()), float(v.std(ddof=1)) if v.size > 1 else 0.0


# -------------------------------------------------------------- comparisons
def comparisons(runs, methods, baseline, *, test_train_ratio=0.0, level=0.95,
                key="split"):
    """Each method's paired comparison (F1 in points) against ``baseline``.

    Parameters
    ----------
    runs : list of dict
        Engine records (``method``, ``f1``, and ``key`` identifying the split).
    methods : sequence of str
    baseline : str
    test_train_ratio : float, default=0.0
        Nadeau and Bengio's correction (0: the plain paired t-test).
    level : float, default=0.95
    key : str, default="split"

    Returns
    -------
    dict of str to Comparison
    """
    base = {r[key]: r["f1"] for r in runs if r["method"] == baseline}
    out = {}
    for m in methods:
        if m == baseline:
            continue
        rs = [r for r in runs if r["method"] == m and r[key] in base]
        if rs:
            diff = [100 * (r["f1"] - base[r[key]]) for r in rs]
            out[m] = compare(diff, test_train_ratio=test_train_ratio, level=level)
    return out


def verdict(comps, baseline, metric="macro F1"):
    """The one-line verdict: each method's clause, measurable differences first."""
    if not comps:
        return "No method to compare."
    ordered = sorted(comps.items(), key=lambda kv: (not kv[1].measurable,
                                                    -(kv[1].mean or 0)))
    clauses = "; ".join(verdict_phrase(name, c) for name, c in ordered)
    return f"Against {baseline} ({metric}): {clauses}."


def holm(pvalues):
    """Holm's step-down adjusted p-values, in the order given (NaN stays NaN)."""
    p = np.asarray(pvalues, dtype=float)
    out = np.full(p.shape, np.nan)
    finite = np.flatnonzero(np.isfinite(p))
    order = finite[np.argsort(p[finite], kind="stable")]
    m = len(order)
    out[order] = np.minimum(np.maximum.accumulate((m - np.arange(m)) * p[order]), 1.0)
    return out


#: What each kind of method is, in the recommendation's words.
_KINDS = {
    "none": "nothing: the classifier as it is",
    "class_weight": "re-weighting: class_weight=\"balanced\"",
    "threshold": "re-thresholding: the decision threshold tuned for macro F1 by "
                 "cross-validation",
    "class_weight+threshold": "re-weighting and re-thresholding",
    "AugmentedClassifier": "the library's AugmentedClassifier: ActiveGAN rows, class "
                           "weights and a tuned threshold as its recipe for the "
                           "metric says",
}


def method_kind(name):
    """The kind of remedy a method of :func:`~._evaluate.evaluate` is, in words."""
    if name in _KINDS:
        return _KINDS[name]
    if "GAN" in name:
        return "ActiveGAN's rows" if "Active" in name else "a plain GAN's rows"
    return "an over-sampler"


def method_cost(name):
    """How much machinery a method adds, for the recommendation's "cheapest":
    0 nothing, 1 class weights, 2 a tuned threshold, 3 both, 4 an over-sampler,
    5 a GAN, 6 the AugmentedClassifier (a GAN in every fold of a tuned threshold)."""
    order = {"none": 0, "class_weight": 1, "threshold": 2,
             "class_weight+threshold": 3, "AugmentedClassifier": 6}
    if name in order:
        return order[name]
    return 5 if "GAN" in name else 4


def _against_best(by, best, mean, cost, *, test_train_ratio, level, alpha):
    """Every other method against the best, Holm-adjusted, best mean first."""
    base = {r["split"]: r["f1"] for r in by[best]}
    rows = []
    for m in by:
        if m == best:
            continue
        diff = [100 * (base[r["split"]] - r["f1"]) for r in by[m] if r["split"] in base]
        c = compare(diff, test_train_ratio=test_train_ratio, level=level)
        rows.append({"method": m, "f1_mean": mean[m], "diff_to_best": -c.mean,
                     "p_value": c.p_value, "seconds": cost[m]})
    for row, p in zip(rows, holm([r["p_value"] for r in rows])):
        row["p_holm"] = float(p)
        row["within_noise"] = not p < alpha
    rows.sort(key=lambda r: -r["f1_mean"])
    return rows


def _recommendation_text(table, n, alpha):
    """The method to use, and why, from the table of :func:`recommend`."""
    best, score = table[0]["method"], table[0]["f1_mean"]
    top = [r for r in table if r["within_noise"]]
    pick = min(top, key=lambda r: (method_cost(r["method"]), r["seconds"]))
    test = (f"Holm-adjusted corrected t-tests of the best against each other "
            f"method over the {n} splits, p < {alpha:g}")
    if len(top) == 1:
        return (f"Use {best} ({method_kind(best)}): its macro F1, {score:.2f} %, "
                f"is ahead of every other method beyond noise ({test}).")
    others = [r["method"] for r in top if r["method"] != best]
    within = (f"{', '.join(others)} {'is' if len(others) == 1 else 'are'} "
              f"within noise of it (no difference at p < {alpha:g} by "
              f"Holm-adjusted corrected t-tests over the {n} splits)")
    if pick["method"] == best:
        return (f"Use {best} ({method_kind(best)}): the best mean macro F1 "
                f"({score:.2f} %), and the cheapest of the top group; {within}.")
    p = pick["method"]
    lead = ("Nothing measurably helps: use the classifier as it is. The"
            if p == "none" else
            f"Use {p} ({method_kind(p)}), the cheapest of the top group: the")
    return (lead + f" best mean macro F1 is {best}'s ({score:.2f} % "
            f"against {pick['f1_mean']:.2f} %), but {within}; {p} takes "
            f"{pick['seconds']:.2f} s a split, {best} {table[0]['seconds']:.2f} s.")


def _recommendation_notes(table, alpha):
    """What the recommendation adds: the methods behind, and the raw test of none."""
    text = ""
    far = [r["method"] for r in table if not r["within_noise"]]
    if far:
        text += (f" Measurably behind the best: {', '.join(far)}.")
    rows = table[1:]
    none_row = next((r for r in rows if r["method"] == "none"), None)
    if (none_row is not None and none_row["within_noise"]
            and none_row["p_value"] < alpha):
        text += (f" ({table[0]['method']} against none alone: "
                 f"p = {none_row['p_value']:.3f}, the "
                 f"verdict's \"better\"; adjusted for the {len(rows)} comparisons, "
                 f"p = {none_row['p_holm']:.3f}. Fewer methods (`methods`) or more "
                 "repeats (`n_repeats`) can make a difference of this size "
                 "detectable.)")
    return text


def recommend(runs, methods, *, test_train_ratio=0.0, level=0.95, alpha=0.05):
    """Which method to use: the best, or the cheapest of those within noise of it.

    The method with the best mean score is compared with every other one by the
    paired differences over the splits (best minus other, in points; the corrected
    resampled t-test of :func:`~._stats.compare`), the p-values Holm-adjusted over
    those ``len(methods) - 1`` comparisons. The methods whose adjusted p-value is at
    least ``alpha`` cannot be told from the best at this number of splits: with the
    best, they are the top group, and the cheapest of the group is the one
    recommended: the one that adds the least machinery (:func:`method_cost`), then
    the fastest (mean fit time per split: the augmentation and the classifier's
    fit).

    Returns
    -------
    text : str
        The recommendation, in plain words.
    table : list of dict
        Per method, best first: mean score (%), difference to the best (points), its
        p-values (raw and Holm-adjusted), whether it is in the top group, and its
        mean fit time per split (s).
    """
    by = {m: [r for r in runs if r["method"] == m] for m in methods}
    by = {m: rs for m, rs in by.items() if rs}
    if len(by) < 2:
        return "Nothing to choose between: one method ran.", []
    mean = {m: 100 * float(np.mean([r["f1"] for r in rs])) for m, rs in by.items()}
    cost = {m: float(np.mean([r["seconds"] for r in rs])) for m, rs in by.items()}
    best = max(by, key=lambda m: (mean[m], -method_cost(m), -cost[m]))
    rows = _against_best(by, best, mean, cost, test_train_ratio=test_train_ratio,
                         level=level, alpha=alpha)
    table = [{"method": best, "f1_mean": mean[best], "diff_to_best": 0.0,
              "p_value": float("nan"), "p_holm": float("nan"), "within_noise": True,
              "seconds": cost[best]}] + rows
    n = len(next(iter(by.values())))
    text = _recommendation_text(table, n, alpha) + _recommendation_notes(table, alpha)
    return text, table


# --------------------------------------------------------------- paper report
def summarise(result):
    """Aggregate the paper's runs over seeds.

    Returns
    -------
    rows : list of dict
        Per (n_labels, method): mean and std of F (in %), of the difference to the
        SVM, the two p-values, wins and losses, mean threshold, rows added and the
        generation statistics.
    """
    runs = result.runs
    out = []
    names = (*METHODS, *(m + _TEST_BEST_SUFFIX for m in METHODS if m.endswith("+F")))
    for n in result.config.settings():
        rs_n = [r for r in runs if r["n_labels"] == n]
        comps = comparisons(rs_n, names, "SVM", key="seed")
        for method in names:
            rs = [r for r in rs_n if r["method"] == method]
            if not rs:
                continue
            row = {"n_labels": n, "method": method, "n_seeds": len(rs)}
            row["f1_mean"], row["f1_std"] = _mean_std([100 * r["f1"] for r in rs])
            c = comps.get(method)
            row["diff_mean"] = c.mean if c else float("nan")
            row["diff_std"] = (c.std if c and c.n > 1 else 0.0) if c else float("nan")
            p_t, p_w = paired_tests([]) if c is None else (c.p_value, c.p_wilcoxon)
            row["p_ttest"], row["p_wilcoxon"] = p_t, p_w
            row["wins"] = c.wins if c else 0
            row["losses"] = c.losses if c else 0
            for key in ("threshold", "n_added", "agreement_added", "final_agreement",
                        "final_informative"):
                row[key] = _mean_std([r[key] for r in rs])[0]
            row["thresholds"] = " ".join(f"{r['threshold']:g}" for r in rs
                                         if np.isfinite(r["threshold"]))
            out.append(row)
    return out


def table1_markdown(summary, settings):
    """Table 1 as two Markdown tables (see :func:`table1_tables`)."""
    (h1, r1), (h2, r2) = table1_tables(summary, settings)
    return markdown_table(h1, r1), markdown_table(h2, r2)


def table1_tables(summary, settings):
    """Table 1: macro F-score (%) per method and setting, and the paired differences.

    Returns
    -------
    scores, differences : (header, rows) each
    """
    label = {n: f"{n} labels" for n in settings}
    cell = {(r["n_labels"], r["method"]): r for r in summary}
    methods = list(dict.fromkeys(r["method"] for r in summary))

    def mark(m):
        return m.replace(_TEST_BEST_SUFFIX, " (test-best) ¹")

    main = (
        ["Method", *(label[n] for n in settings)],
        [[mark(m), *(_fmt(cell[n, m]["f1_mean"], cell[n, m]["f1_std"])
                     if (n, m) in cell else "–" for n in settings)] for m in methods])
    diff_rows = []
    for n in settings:
        for m in methods:
            if m == "SVM" or (n, m) not in cell:
                continue
            r = cell[n, m]
            diff_rows.append([
                n, mark(m), _fmt(r["diff_mean"], r["diff_std"]),
                f"{r['wins']}/{r['losses']}", _fmt_num(r["p_ttest"], "{:.3f}"),
                _fmt_num(r["p_wilcoxon"], "{:.3f}"), r["thresholds"] or "–",
                f"{r['n_added']:.0f}", _fmt_num(r["agreement_added"]),
                _fmt_num(r["final_informative"]),
            ])
    diffs = (
        ["Labels", "Method", "Δ F vs SVM (points)", "wins/losses", "p (paired t)",
         "p (Wilcoxon)", "threshold per seed", "rows added",
         "label agreement of added rows", "informative (end of training)"],
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


def _paper_figures(doc, result, informative):
    """Figures 2–5 into ``doc`` (nothing when matplotlib is missing)."""
    from sklearn.metrics import confusion_matrix

    classes = result.classes
    names = (result.class_names if result.class_names is not None
             and len(result.class_names) == len(classes) else classes)
    for n, fig in sorted(result.figures.items()):
        t = fig["thresholds"].get("ActiveGAN+F")
        panels = [("SVM", confusion_matrix(fig["y_test"], fig["pred"]["SVM"],
                                           labels=classes)),
                  (f"ActiveGAN+F (t={t:g}, CV)",
                   confusion_matrix(fig["y_test"], fig["pred"]["ActiveGAN+F"],
                                    labels=classes))]
        doc.figure(f"figure2_confusion_{n}", _png(
            "confusion_figure", panels, names,
            title=f"Confusion matrices, {n} labels (seed {fig['seed']})"))
    curves = {}
    for n in result.config.settings():
        gans = {}
        for gan in ("AC-GAN", "ActiveGAN"):
            rs = [r for r in informative if r["n_labels"] == n and r["gan"] == gan]
            if rs:
                gans[gan] = tuple(np.array([r[k] for r in rs]) for k in
                                  ("threshold", "fraction_mean", "fraction_std"))
        if gans:
            curves[f"{n} labels"] = gans
    if curves:
        doc.figure("figure3_informative", _png("informative_figure", curves))
    for n, fig in sorted(result.figures.items()):
        X, y = fig["train"]
        doc.figure(f"figure4_pca_{n}", _png(
            "projection_figure", X, y,
            {g: fig["added"][g][0] for g in ("AC-GAN", "ActiveGAN")},
            title=f"PCA of training vs generated rows, {n} labels "
                  f"(seed {fig['seed']})"))
    if result.image_shape is not None:
        for n, fig in sorted(result.figures.items()):
            t = fig["thresholds"].get("ActiveGAN+F")
            panels = [(g, *fig["added"][g]) for g in ("AC-GAN", "ActiveGAN")]
            panels.append((f"ActiveGAN+F kept (t={t:g})", *fig["added"]["ActiveGAN+F"]))
            doc.figure(f"figure5_samples_{n}", _png(
                "samples_figure", panels, result.image_shape, result.classes,
                title=f"Generated images, {n} labels (seed {fig['seed']})"))


def _table2_table(t2):
    """Table 2 (distances of the generated rows), as header and body."""
    header = ["Labels", "Generated by", "centroid distance", "mean distance",
              "std of distance"]
    body = [[r["n_labels"], r["source"], f"{r['centroid']:.2f}", f"{r['mean']:.2f}",
             f"{r['std']:.2f}"] for r in t2]
    return header, body


def _table3_table(t3):
    """Table 3 (the α ablation), as header and body."""
    header = ["Labels", "α", "ActiveGAN F (%)", "ActiveGAN+F F (%)",
              "label agreement (end)"]
    body = [[r["n_labels"], f"{r['alpha']:g}",
             _fmt(r["f1_activegan_mean"], r["f1_activegan_std"]),
             _fmt(r["f1_activegan_f_mean"], r["f1_activegan_f_std"]),
             f"{r['final_agreement']:.2f}"] for r in t3]
    return header, body


def _write_paper_tables(out, result, summary):
    """Write the runs and the tables as CSV and Markdown into ``out``.

    Returns
    -------
    tables : dict
        Table 1 and its paired differences, Tables 2 and 3 (None when the ablation
        did not run), each as (header, body).
    informative : list of dict
        Figure 3's rows.
    """
    write_csv(out / "runs.csv", result.runs)
    write_csv(out / "table1.csv", summary)
    write_csv(out / "thresholds_cv.csv", result.cv)
    t2 = table2_rows(result)
    write_csv(out / "table2.csv", t2)
    t3 = table3_rows(result)
    write_csv(out / "table3.csv", t3)
    inf = informative_rows(result)
    write_csv(out / "figure3.csv", inf)

    main, diffs = table1_tables(summary, result.config.settings())
    tables = {"table1": main, "diffs": diffs, "table2": _table2_table(t2),
              "table3": _table3_table(t3) if t3 else None}
    (out / "table1.md").write_text(
        markdown_table(*main) + "\n\n" + markdown_table(*diffs) + "\n")
    (out / "table2.md").write_text(markdown_table(*tables["table2"]) + "\n")
    (out / "table3.md").write_text(
        (markdown_table(*tables["table3"]) if t3 else "(ablation not run)") + "\n")
    return tables, inf


def _paper_tables_section(doc, config, tables):
    """Tables 1 to 3, each with what its columns mean."""
    doc.heading("Table 1: F-score")
    doc.table(*tables["table1"])
    doc.paragraph(
        "¹ test-best: the threshold that scored best *on the test set*; shown only to "
        "compare with the paper, which reports its best F-scores. It is not a valid "
        "estimate of performance. The +F rows without ¹ use the threshold chosen by "
        f"{config.cv_folds}-fold cross-validation on the labelled rows.")
    doc.paragraph("Paired differences to the SVM (same seed, same labelled rows):")
    doc.table(*tables["diffs"])
    doc.paragraph(
        "p (paired t): paired t-test on the per-seed F-scores (the labelled sets are "
        "independent draws, so no resampling correction); p (Wilcoxon): "
        "`scipy.stats.wilcoxon` signed-rank, two-sided. \"label agreement\": share of "
        "the added rows whose conditioning label the oracle SVM also predicts; "
        "\"informative\": share of the GAN's last training batches with oracle margin "
        "≤ the augmenter's reporting threshold.")
    doc.heading("Table 2: distance of generated rows to the training rows")
    doc.table(*tables["table2"])
    doc.paragraph(
        "Per class, in the labelled rows' standardised feature space: distance between "
        "the centroid of the generated rows and that of the training rows, and mean / "
        "std of the generated rows' distances to the training centroid; averaged over "
        "classes and seeds. The \"training\" row is the labelled rows themselves "
        "(their spread around their own centroid), for reference.")
    doc.heading("Table 3: α ablation (ActiveGAN at the library's λ)")
    if tables["table3"]:
        doc.table(*tables["table3"])
        doc.paragraph("ActiveGAN+F here uses, for every α, the threshold "
                      "cross-validated for α = 0.5.")
    else:
        doc.paragraph("(ablation not run)")


def _paper_document(result, tables, informative, *, command, figures):
    """The README of the paper's evaluation: settings, tables, figures, config."""
    config = result.config
    settings = config.settings()
    seeds = config.seeds()
    doc = Document(
        f"ActiveGAN evaluation: {config.dataset}, {config.features} features")
    doc.paragraph(
        f"Settings: {', '.join(str(n) for n in settings)} labelled rows; "
        f"{config.n_seeds} seeds ({seeds[0]}..{seeds[-1]}); macro F-score (%) on the "
        "held-out rows, mean ± std over seeds.")
    if command:
        doc.paragraph("Command:")
        doc.code(command)
    _paper_tables_section(doc, config, tables)
    if figures and result.figures:
        doc.heading("Figures")
        before = len(doc.blocks)
        _paper_figures(doc, result, informative)
        if len(doc.blocks) == before:
            doc.paragraph("matplotlib is not installed: no figures were drawn.")
    doc.heading("Configuration")
    doc.code(json.dumps(config.to_dict(), indent=2, default=str))
    params = getattr(result, "augmenter_params", None)
    if params:
        doc.paragraph("ActiveGANAugmenter parameters of every GAN (then `filter=None` "
                      "and each method's `uncertainty_weight` / `alpha`):")
        doc.code(json.dumps(params, indent=2, default=str, sort_keys=True))
    return doc


def write_report(result, output, *, command=None, figures=True, stream=None):
    """Write the paper's tables (Markdown and CSV), figures and README into ``output``.

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
    tables, inf = _write_paper_tables(out, result, summarise(result))
    doc = _paper_document(result, tables, inf, command=command, figures=figures)
    doc.write(out, stem="README")
    readme = out / "README.md"
    if stream is not None:
        print(f"results written to {out}", file=stream, flush=True)
    return readme


# ---------------------------------------------------------- evaluation report
def _fmt_threshold(row):
    """A method's filter threshold: "ranked" for the margin filter without an
    absolute threshold, "none" for a GAN whose rows are not filtered."""
    if np.isfinite(row["n_candidates"]) and not np.isfinite(row["threshold"]):
        return "ranked" if row.get("filtered", True) else "none"
    return _fmt_num(row["threshold"], "{:g}")


def _threshold_legend(shown):
    """What the threshold column's words mean, for those the table shows."""
    words = {
        "ranked": (" Threshold \"ranked\": the margin filter that keeps the "
                   "candidates with the smallest margins that the oracle labels as "
                   "their class."),
        "none": (" Threshold \"none\": no filter, every generated row is added "
                 "(the default of the composing generator)."),
    }
    return "".join(words[w] for w in ("ranked", "none") if w in shown)


def _fmt_rows(row):
    """Mean rows added; the rows asked for when they differ; budget shortfalls."""
    added, asked = row["n_added"], row.get("n_asked", np.nan)
    text = _fmt_num(added, "{:.0f}" if float(added).is_integer() else "{:.1f}")
    if np.isfinite(asked) and np.isfinite(added) and asked != added:
        text += " of " + _fmt_num(asked, "{:.0f}" if float(asked).is_integer()
                                  else "{:.1f}") + " asked"
    if row["budget_exhausted"]:
        text += f" (budget ran out on {row['budget_exhausted']})"
    return text


def evaluation_summary(evaluation):
    """Per method: mean ± std of F1 (%), the comparison, rows added, times.

    Returns
    -------
    rows : list of dict
    """
    rows = []
    for m in evaluation.methods:
        rs = [r for r in evaluation.runs if r["method"] == m]
        c = evaluation.comparisons.get(m)
        row = {"method": m, "n_splits": len(rs)}
        row["f1_mean"], row["f1_std"] = _mean_std([100 * r["f1"] for r in rs])
        for name in ("mean", "ci_low", "ci_high", "p_value", "p_wilcoxon"):
            row["diff_" + name if name != "p_value" and name != "p_wilcoxon"
                else name] = getattr(c, name) if c else float("nan")
        row["wins"] = c.wins if c else 0
        row["losses"] = c.losses if c else 0
        for key in ("n_added", "n_asked", "threshold", "n_candidates",
                    "augment_seconds", "classifier_seconds"):
            row[key] = _mean_std([r.get(key, np.nan) for r in rs])[0]
        row["budget_exhausted"] = int(sum(r["budget_exhausted"] for r in rs))
        row["filtered"] = any(r.get("filtered", False) for r in rs)
        rows.append(row)
    return rows


def _data_paragraph(ev):
    """The table, the splits, the classifier and the score, in one paragraph."""
    return (
        f"{ev.n_rows} rows × {ev.n_features} columns"
        + (f" ({len(ev.categorical)} categorical)" if ev.categorical else "")
        + f", {len(ev.class_counts)} classes (counts: "
        + ", ".join(f"{k}: {v}" for k, v in ev.class_counts.items()) + "). "
        f"Splits: {ev.split_description}. Classifier: {ev.classifier_description}. "
        f"Score: macro F1 on each split's test rows. Total time {ev.seconds:.0f} s.")


def _scores_section(doc, ev, summary, level):
    """The "Scores" section: each method against the baseline, and its legend."""
    shown = {_fmt_threshold(r) for r in summary}
    doc.heading("Scores")
    doc.table(
        ["Method", "F1 (%) mean ± std", f"Δ vs {ev.baseline} (points)", f"{level} CI",
         "p (corrected t)", "wins/losses", "rows added", "threshold",
         "augment time (s)", "classifier fit (s)"],
        [[r["method"], _fmt(r["f1_mean"], r["f1_std"]),
          _fmt_num(r["diff_mean"], "{:+.2f}"),
          ("–" if not np.isfinite(r["diff_ci_low"])
           else f"{r['diff_ci_low']:+.2f} to {r['diff_ci_high']:+.2f}"),
          _fmt_num(r["p_value"], "{:.3f}"),
          "–" if r["method"] == ev.baseline else f"{r['wins']}/{r['losses']}",
          _fmt_rows(r),
          _fmt_threshold(r),
          _fmt_num(r["augment_seconds"], "{:.1f}"),
          _fmt_num(r["classifier_seconds"], "{:.1f}")] for r in summary])
    doc.paragraph(
        f"Δ: the method's macro F1 minus {ev.baseline}'s on the same split, in "
        "points. "
        f"The interval and p-value come from the corrected resampled t-test of Nadeau "
        f"and Bengio (2003): the variance of the mean difference is "
        f"(1/J + n_test/n_train)·s² over the J = {ev.n_splits} splits "
        f"(n_test/n_train = {ev.test_train_ratio:.3f}), because the training sets of "
        "the splits overlap. An interval that contains 0 means no measurable "
        "difference at this number of splits, not proof of no difference. "
        "\"rows added\" is the mean over splits of the rows that passed the margin "
        "filter (+F), that a GAN generated, or that an over-sampler made; \"of N "
        "asked\" when a method made another number than it was asked for (see "
        "Methods)." + _threshold_legend(shown))


def _ranking_section(doc, ranking):
    """The "Which to use" section: every method against the best, and the rule."""
    doc.heading("Which to use")
    doc.table(
        ["Method", "F1 (%)", "Δ vs the best (points)", "p (corrected t)",
         "p (Holm)", "within noise of the best", "fit time a split (s)"],
        [[r["method"], f"{r['f1_mean']:.2f}", _fmt_num(r["diff_to_best"], "{:+.2f}"),
          _fmt_num(r["p_value"], "{:.3f}"), _fmt_num(r["p_holm"], "{:.3f}"),
          "yes" if r["within_noise"] else "no", f"{r['seconds']:.2f}"]
         for r in ranking])
    doc.paragraph(
        "The method with the best mean is compared with each other one by the "
        "paired differences over the splits (the corrected t-test above), the "
        f"{len(ranking) - 1} p-values Holm-adjusted for their number. Methods "
        "whose adjusted p-value is 0.05 or more cannot be told from the best at "
        "this number of splits; the cheapest of them is the one recommended: "
        "nothing, then class weights, a tuned threshold, both, an over-sampler, "
        "a GAN, the AugmentedClassifier, and among equals the fastest (mean "
        "time a split: the augmentation and the classifier's fit, "
        "cross-validated threshold included). Each method's own tuning (a "
        "threshold, a grid search) sees its split's training rows only; "
        "picking the best of several methods on the same splits favours the "
        "luckiest a little, which is why those within noise of it are named.")


def _skipped_paragraph(skipped):
    """The methods not run, grouped by the reason."""
    reasons = {}
    for name, why in skipped.items():
        reasons.setdefault(why, []).append(name)
    return "Not run: " + "; ".join(
        f"{', '.join(names)}: {'each ' if len(names) > 1 else ''}{why}"
        for why, names in reasons.items()) + "."


def _evaluation_figures(doc, ev, level):
    """The "Figures" section: scores, and the added rows of the first split."""
    doc.heading("Figures")
    scores = {m: [100 * r["f1"] for r in ev.runs if r["method"] == m]
              for m in ev.methods}
    colors = (_figures.method_colors(ev.methods) if _figures is not None
              else None)
    doc.figure("scores", _png("scores_figure", scores, ev.comparisons, ev.baseline,
                              colors=colors),
               "Left: macro F1 of each method on each split. Right: the paired "
               f"difference to {ev.baseline} with its {level} corrected interval.")
    fig = ev.figures
    if fig is not None and fig.get("projection"):
        X_real, y_real, generated = fig["projection"]
        doc.figure("projection", _png(
            "projection_figure", X_real, y_real, generated,
            title="Real training rows and added rows, first split (PCA of the "
                  "standardised real rows)", colors=colors),
            "Generated rows next to the real ones: the first two principal components "
            "of the real training rows of the first split (categorical columns "
            "one-hot encoded).")
    if fig is not None and fig.get("margins"):
        doc.figure("margins", _png(
            "margins_figure", fig["margins"], fig["thresholds"],
            title="Oracle margins of the added rows, first split", colors=colors),
            "Margin (top-1 minus top-2 class probability of the GAN's oracle) of each "
            "added row" + ("; the dashed line is the filter's threshold."
                           if any(t is not None and np.isfinite(t)
                                  for t in fig["thresholds"].values())
                           else "."))


def _evaluation_document(ev):
    """The report of an evaluation, and its summary rows."""
    doc = Document(f"Does augmentation help on {ev.data_name}?")
    doc.paragraph(f"**Verdict.** {ev.verdict}")
    advice = getattr(ev, "recommendation", "")
    if advice:
        doc.paragraph(f"**Which to use.** {advice}")
    doc.paragraph(_data_paragraph(ev))
    summary = evaluation_summary(ev)
    level = f"{100 * ev.level:.0f}%"
    _scores_section(doc, ev, summary, level)
    ranking = getattr(ev, "ranking", None) or []
    if ranking:
        _ranking_section(doc, ranking)
    doc.paragraph("Methods: " + "; ".join(ev.method_notes) + ".")
    skipped = getattr(ev, "skipped", None) or {}
    if skipped:
        doc.paragraph(_skipped_paragraph(skipped))
    _evaluation_figures(doc, ev, level)
    doc.heading("Files")
    doc.paragraph("`runs.csv`: one row per split and method (scores, rows added, "
                  "thresholds, times); `summary.csv`: the table above.")
    doc.heading("Settings")
    doc.code(json.dumps(ev.settings, indent=2, default=str))
    return doc, summary


def write_evaluation_report(evaluation, output):
    """Write ``report.md``, ``report.html``, ``runs.csv`` and ``summary.csv``.

    Parameters
    ----------
    evaluation : Evaluation
        The result of :func:`~skactivegan.experiments.evaluate`.
    output : str or path-like
        Folder, created if needed.

    Returns
    -------
    markdown, html : pathlib.Path
    """
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    doc, summary = _evaluation_document(evaluation)
    write_csv(out / "runs.csv", evaluation.runs)
    write_csv(out / "summary.csv", summary)
    return doc.write(out, stem="report")
