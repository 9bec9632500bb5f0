"""The mixture of Eq. (9): warm-started torch EM against refitting scikit-learn.

A short ActiveGAN fit on digits gives a trained generator and discriminator; a stream
of generated batches is mapped to discriminator features h(x̂) (128-d by default)
and slides through a ring buffer of M batches, as in training.  At every step each
method re-estimates the mixture on the buffer:

* ``torch warm EM``: the library's ``GaussianMixture.fit(buffer, n_iter=1)``,
  starting from the previous step's parameters (what the trainer does);
* ``sklearn refit``: ``sklearn.mixture.GaussianMixture(...).fit(buffer)`` from
  scratch (k-means initialisation, EM to convergence), the naive reading of
  Algorithm 1;
* ``sklearn warm_start``: scikit-learn with ``warm_start=True, max_iter=1``, a
  like-for-like single warm EM step.

Reported: median milliseconds per step and the mean log-likelihood of the *next*
batch under each mixture (how well a cheap warm step tracks the moving features).
A second table times the differentiable log-density of a generated batch (forward
and backward, the mixture rebuilt from its parameters as every training step must):
the library's (hand-written for diagonal covariances) against ``torch.distributions``
(``MixtureSameFamily`` of ``Independent(Normal)`` for diagonal covariances, of ``MultivariateNormal`` with
the Cholesky factor for full ones), with the largest difference of their values.
A third table times the warm EM step with 1 and with 2 torch threads (median,
90th percentile, maximum): on a small, shared machine the tail is what moves.

    python benchmarks/bench_mixture.py
    python benchmarks/bench_mixture.py --quick
"""

import time
import warnings

import numpy as np
import torch
from _common import (
    apply_threads,
    base_parser,
    load_digits_split,
    machine_summary,
    median,
    report,
)
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.mixture import GaussianMixture as SkGaussianMixture
from torch.distributions import (
    Categorical,
    Independent,
    MixtureSameFamily,
    MultivariateNormal,
    Normal,
)

from skactivegan import ActiveGANAugmenter
from skactivegan.reward._gaussian_mixture import GaussianMixture

BATCH = 64


def feature_stream(aug, n_batches, seed=0):
    """``n_batches`` batches of discriminator features of generated samples."""
    rng = torch.Generator().manual_seed(seed)
    n = n_batches * BATCH
    n_classes = len(aug.classes_)
    with torch.no_grad():
        z = torch.randn(n, aug.latent_dim, generator=rng)
        y = torch.randint(n_classes, (n,), generator=rng)
        h = aug.discriminator_(aug.generator_(z, y))[2]  # the trunk features
    return h.reshape(n_batches, BATCH, -1)


def run(stream, buffer_batches, n_components, covariance_type, n_steps):
    """Per-step seconds and next-batch log-likelihood of each method."""
    results = {
        "torch warm EM": ([], []),
        "sklearn refit": ([], []),
        "sklearn warm_start": ([], []),
    }
    torch_gmm = GaussianMixture(
        n_components,
        covariance_type=covariance_type,
        rng=torch.Generator().manual_seed(0),
    )
    sk_warm = SkGaussianMixture(
        n_components,
        covariance_type=covariance_type,
        reg_covar=1e-3,
        warm_start=True,
        max_iter=1,
        random_state=0,
    )
    for step in range(n_steps):
        buffer = stream[step : step + buffer_batches].reshape(-1, stream.shape[-1])
        nxt = stream[step + buffer_batches]
        buffer_np, next_np = buffer.double().numpy(), nxt.double().numpy()

        start = time.perf_counter()
        torch_gmm.fit(buffer, n_iter=1 if torch_gmm.has_parameters else 10)
        elapsed = time.perf_counter() - start
        if step:  # the first call initialises and runs 10 iterations, as in training
            results["torch warm EM"][0].append(elapsed)
        with torch.no_grad():
            results["torch warm EM"][1].append(float(torch_gmm.log_prob(nxt).mean()))

        start = time.perf_counter()
        sk = SkGaussianMixture(
            n_components,
            covariance_type=covariance_type,
            reg_covar=1e-3,
            random_state=step,
        ).fit(buffer_np)
        results["sklearn refit"][0].append(time.perf_counter() - start)
        results["sklearn refit"][1].append(float(sk.score(next_np)))

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            start = time.perf_counter()
            sk_warm.fit(buffer_np)
            elapsed = time.perf_counter() - start
        if step:
            results["sklearn warm_start"][0].append(elapsed)
        results["sklearn warm_start"][1].append(float(sk_warm.score(next_np)))
    return results


def distributions_log_prob(gmm):
    """``log_prob`` of the same mixture built from ``torch.distributions``."""
    mixing = Categorical(logits=torch.log(gmm.weights_), validate_args=False)
    if gmm.covariance_type == "diag":
        components = Independent(Normal(gmm.means_, gmm.covariances_.sqrt(),
                                        validate_args=False), 1, validate_args=False)
    else:
        components = MultivariateNormal(
            gmm.means_, scale_tril=torch.linalg.cholesky(gmm.covariances_),
            validate_args=False)
    return MixtureSameFamily(mixing, components, validate_args=False).log_prob


def log_density_check(stream, n_steps):
    """Hand-written log-density against torch.distributions, forward + backward."""
    rows = []
    buffer = stream[:10].reshape(-1, stream.shape[-1])
    for cov in ("diag", "full"):
        gmm = GaussianMixture(10, covariance_type=cov,
                              rng=torch.Generator().manual_seed(0))
        gmm.fit(buffer, n_iter=10)
        batch = stream[10].clone()
        methods = {
            "library (GaussianMixture.log_prob)": lambda gmm=gmm: gmm.log_prob,
            "torch.distributions": lambda gmm=gmm: distributions_log_prob(gmm),
        }
        values = {}
        for name, build in methods.items():
            times = []
            for step in range(n_steps + 5):
                x = batch.clone().requires_grad_(True)
                start = time.perf_counter()
                log_prob = build()(x)
                log_prob.sum().backward()
                if step >= 5:  # the first calls pay one-off costs
                    times.append(time.perf_counter() - start)
            values[name] = log_prob.detach()
            rows.append({"covariance": cov, "method": name,
                         "median_ms": 1e3 * float(np.median(times)),
                         "p90_ms": 1e3 * float(np.percentile(times, 90)),
                         "steps": n_steps})
        library, reference = values.values()
        diff = (library - reference).abs()
        scale = reference.abs().max()
        for row in rows[-2:]:
            row["max_rel_diff"] = float(diff.max() / scale)
    return rows


def thread_check(stream, n_steps=300):
    """Median and 90th percentile of one warm EM step with 1 and 2 torch threads."""
    saved = torch.get_num_threads()
    buffer = stream[:10].reshape(-1, stream.shape[-1])
    rows = []
    try:
        for threads in (1, 2):
            torch.set_num_threads(threads)
            gmm = GaussianMixture(10, rng=torch.Generator().manual_seed(0))
            gmm.fit(buffer, n_iter=10)
            times = []
            for _ in range(n_steps):
                start = time.perf_counter()
                gmm.fit(buffer, n_iter=1)
                times.append(time.perf_counter() - start)
            rows.append(
                {
                    "torch_threads": threads,
                    "median_ms": 1e3 * float(np.median(times)),
                    "p90_ms": 1e3 * float(np.percentile(times, 90)),
                    "max_ms": 1e3 * max(times),
                    "steps": n_steps,
                }
            )
    finally:
        torch.set_num_threads(saved)
    return rows


def main():
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    args = parser.parse_args()
    n_steps = 6 if args.quick else args.steps
    apply_threads(args)
    print(machine_summary())

    X, _, y, _ = load_digits_split(n_train=500)
    aug = ActiveGANAugmenter(
        oracle=LogisticRegression(max_iter=500),
        generator="mlp",
        filter=None,
        max_iter=40 if args.quick else 400,
        warmup_iter=20 if args.quick else 200,
        random_state=0,
        device="cpu",
    ).fit(X, y)
    # (buffer batches M, components, covariance, steps): the larger problems get fewer
    # steps because refitting scikit-learn's mixture on them takes seconds per step.
    configs = [
        (10, 10, "diag", n_steps),
        (50, 10, "diag", max(3, n_steps // 3)),
        (10, 10, "full", max(3, n_steps // 3)),
    ]
    if args.quick:
        configs = configs[:1]
    longest = max(c[0] for c in configs)
    stream = feature_stream(aug, longest + n_steps + 1)

    rows = []
    for buffer_batches, n_components, cov, steps in configs:
        start = time.perf_counter()
        results = run(stream, buffer_batches, n_components, cov, steps)
        print(
            f"  M={buffer_batches} K={n_components} {cov}: {steps} steps in "
            f"{time.perf_counter() - start:.0f} s",
            flush=True,
        )
        base = median(results["torch warm EM"][0])
        for method, (times, loglik) in results.items():
            rows.append(
                {
                    "buffer_rows": buffer_batches * BATCH,
                    "features": stream.shape[-1],
                    "components": n_components,
                    "covariance": cov,
                    "method": method,
                    "median_ms_per_step": 1e3 * median(times),
                    "ratio_to_torch_warm_EM": median(times) / base,
                    "next_batch_loglik": float(np.mean(loglik[len(loglik) // 2 :])),
                    "steps": len(times),
                }
            )
    report(rows, args.output / "mixture.csv",
           title="Mixture re-estimation per training step", floatfmt="{:.3g}")

    density = log_density_check(stream, 20 if args.quick else 300)
    report(density, args.output / "mixture_log_density.csv",
           title="Differentiable log-density of a batch (64 x 128, 10 components), "
                 "forward + backward", floatfmt="{:.3g}")

    threads = thread_check(stream, 30 if args.quick else 300)
    report(threads, args.output / "mixture_threads.csv",
           title="One warm EM step (640 x 128, diag) against torch threads",
           floatfmt="{:.3g}")


if __name__ == "__main__":
    main()
