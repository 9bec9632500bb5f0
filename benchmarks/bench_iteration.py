"""Cost of one training iteration, broken down into its parts.

The trainer's own methods are wrapped with timers in this process (nothing in the
library is changed): ``train_step``, ``generator_step``, ``discriminator_step``,
the oracle's probabilities (the default oracle's vectorised evaluation, or
``predict_proba`` for other oracles) and the un-scaling around them, the reward, the
buffer concatenation, the mixture's EM and its log-density.  "G rest" is the
generator step minus the timed parts inside it: the generator and discriminator
forward passes, the backward pass (including the backward through the
log-density) and the Adam step.
"bookkeeping" is the train step minus the generator and discriminator steps (noise,
labels, buffer push, history record).

Warm-up iterations are plain AC-GAN iterations (no oracle, no mixture); active
iterations of a run with ``uncertainty_weight=10`` are full ActiveGAN iterations;
active iterations with ``uncertainty_weight=0`` are AC-GAN iterations that still
query the oracle for the history.  Those two runs use the paper's free generator
(``MLPGenerator``).  A third run is the default on tables, the composing generator
(λ = 1): its warm-up iterations are the plain adversarial ones of the same
generator, its active iterations add the oracle's query and the policy gradient.
Ratios are taken inside one run.

    python benchmarks/bench_iteration.py            # digits and 784-d, 3 repeats
    python benchmarks/bench_iteration.py --quick    # smoke run
"""

import time
from functools import wraps

import numpy as np
from _common import (
    apply_threads,
    base_parser,
    load_784,
    load_digits_split,
    machine_summary,
    median,
    report,
)

import skactivegan.oracle._oracle as oracle_module
import skactivegan.training._trainer as training_module
from skactivegan import ActiveGANAugmenter
from skactivegan.oracle._oracle import fit_default_oracle
from skactivegan.oracle._svm_torch import TorchCalibratedSVC
from skactivegan.reward._gaussian_mixture import GaussianMixture
from skactivegan.training._trainer import ActiveGANTrainer, FeatureBuffer

PARTS = [
    "generator_step",
    "discriminator_step",
    "oracle_total",
    "predict_proba",
    "reward",
    "buffer",
    "mixture_em",
    "log_density",
]

_state = {"current": None, "records": []}


def _add(name, seconds):
    current = _state["current"]
    if current is not None:
        current[name] = current.get(name, 0.0) + seconds


def _timer(name, func):
    @wraps(func)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            _add(name, time.perf_counter() - start)

    return wrapper


def install_timers():
    """Wrap the trainer's pieces with timers; returns a function undoing it."""
    saved = []

    def patch(owner, attr, name):
        original = getattr(owner, attr)
        saved.append((owner, attr, original))
        setattr(owner, attr, _timer(name, original))

    patch(ActiveGANTrainer, "generator_step", "generator_step")
    patch(ActiveGANTrainer, "discriminator_step", "discriminator_step")
    patch(GaussianMixture, "fit", "mixture_em")
    patch(GaussianMixture, "log_prob", "log_density")
    patch(FeatureBuffer, "tensor", "buffer")
    patch(training_module, "_reward", "reward")
    patch(oracle_module, "oracle_proba", "predict_proba")
    patch(TorchCalibratedSVC, "__call__", "predict_proba")

    patch(oracle_module.NetworkOracle, "proba", "oracle_total")
    patch(oracle_module.NetworkOracle, "torch_proba", "oracle_total")

    original_step = ActiveGANTrainer.train_step

    def train_step(self, iteration, *args, **kwargs):
        _state["current"] = {}
        start = time.perf_counter()
        record = original_step(self, iteration, *args, **kwargs)
        current = _state["current"]
        current["iteration_total"] = time.perf_counter() - start
        current["phase"] = (
            "active" if iteration >= self.config.warmup_iter else "warmup"
        )
        current["index"] = iteration
        _state["records"].append(current)
        _state["current"] = None
        return record

    saved.append((ActiveGANTrainer, "train_step", original_step))
    ActiveGANTrainer.train_step = train_step

    def undo():
        for owner, attr, original in reversed(saved):
            setattr(owner, attr, original)

    return undo


def summarise(records, phase, skip):
    """Mean seconds per iteration of each part over the steady-state iterations."""
    rows = [r for r in records if r["phase"] == phase]
    rows = rows[skip:] if len(rows) > 2 * skip else rows
    out = {}
    for part in PARTS + ["iteration_total"]:
        out[part] = float(np.mean([r.get(part, 0.0) for r in rows]))
    timed_inside_g = (
        out["oracle_total"]
        + out["reward"]
        + out["buffer"]
        + out["mixture_em"]
        + out["log_density"]
    )
    out["unscale"] = out["oracle_total"] - out["predict_proba"]
    out["g_rest"] = out["generator_step"] - timed_inside_g
    out["bookkeeping"] = (
        out["iteration_total"] - out["generator_step"] - out["discriminator_step"]
    )
    out["n_iter"] = len(rows)
    return out


def run_once(X, y, oracle, config, max_iter, warmup_iter, seed):
    _state["records"] = []
    weight, generator = config
    aug = ActiveGANAugmenter(
        oracle=oracle,
        generator=generator,
        uncertainty_weight=weight,
        max_iter=max_iter,
        warmup_iter=warmup_iter,
        random_state=seed,
        device="cpu",
    )
    aug.fit(X, y)
    return list(_state["records"])


#: (uncertainty_weight, generator) of the runs: the paper's ActiveGAN and λ = 0 with
#: the free generator, and the default on tables, the composing generator.
CONFIGS = [(10.0, "mlp"), (0.0, "mlp"), (1.0, "compose")]

SHOWN = [
    "g_rest",
    "discriminator_step",
    "predict_proba",
    "unscale",
    "reward",
    "buffer",
    "mixture_em",
    "log_density",
    "bookkeeping",
    "iteration_total",
]


def main():
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--max-iter", type=int, default=600)
    parser.add_argument("--n-rows-784", type=int, default=1000)
    args = parser.parse_args()
    repeats = args.repeats or (1 if args.quick else 3)
    max_iter = 40 if args.quick else args.max_iter
    warmup = max_iter // 2
    skip = 2 if args.quick else 20
    apply_threads(args)
    print(machine_summary())

    X_dig, _, y_dig, _ = load_digits_split(n_train=500)
    X_784, y_784, source = load_784(200 if args.quick else args.n_rows_784)
    datasets = [
        ("digits (64 features, 500 rows)", X_dig, y_dig),
        (f"{source} (784 features, {len(X_784)} rows)", X_784, y_784),
    ]

    undo = install_timers()
    rows, ratio_rows = [], []
    try:
        for name, X, y in datasets:
            start = time.perf_counter()
            oracle = fit_default_oracle(X, y, random_state=0)
            print(
                f"{name}: default oracle fitted in {time.perf_counter() - start:.1f} s"
            )
            per_config = {}
            for config in CONFIGS:
                runs = {"warmup": [], "active": []}
                for rep in range(repeats):
                    records = run_once(X, y, oracle, config, max_iter, warmup, rep)
                    for phase, summaries in runs.items():
                        summaries.append(summarise(records, phase, skip))
                per_config[config] = runs
                weight, generator = config
                active_label = f"active, lambda={weight:g}"
                if generator == "compose":
                    active_label += ", policy"
                warmup_label = ("AC-GAN warm-up" if generator == "mlp"
                                else "composing warm-up")
                for phase, label in (("warmup", warmup_label),
                                     ("active", active_label)):
                    row = {"data": name, "iteration": label, "repeats": repeats}
                    for part in SHOWN:
                        row[part + "_ms"] = 1e3 * median([r[part] for r in runs[phase]])
                    rows.append(row)
            # Ratios measured inside the same run, then the median over repeats.
            active, plain, policy = (per_config[c] for c in CONFIGS)

            def same_run(num, den, a_phase="active", b_phase="warmup"):
                return median([a["iteration_total"] / b["iteration_total"]
                               for a, b in zip(num[a_phase], den[b_phase])])

            ratio_rows.append(
                {
                    "data": name,
                    "activegan_over_warmup_same_run": same_run(active, active),
                    "lambda0_active_over_warmup_same_run": same_run(plain, plain),
                    "activegan_over_lambda0_active": same_run(active, plain,
                                                              b_phase="active"),
                    "compose_policy_over_warmup_same_run": same_run(policy, policy),
                }
            )
    finally:
        undo()

    columns = ["data", "iteration"] + [p + "_ms" for p in SHOWN]
    report(rows, args.output / "iteration_breakdown.csv",
           title="Mean milliseconds per iteration (median of repeats)",
           floatfmt="{:.3f}", columns=columns)
    report(ratio_rows, args.output / "iteration_ratios.csv",
           title="Iteration cost ratios", floatfmt="{:.2f}")


if __name__ == "__main__":
    main()
