"""Training time in float32 against mixed precision (``mixed_precision=True``).

Fits the augmenter on 500 MNIST images (784 features) with the MLP networks and with
the convolutional ones (``image_shape=(1, 28, 28)``, 32 channels), once in float32
and once under ``torch.autocast`` (bfloat16 on a CPU, float16 on CUDA), alternating
the two in each repeat so that both see the same machine load.  Reports the median
training time (the training loop only, without the oracle's grid search) and the
float32 / mixed ratio inside each repeat.

    python benchmarks/bench_precision.py --threads 1
    python benchmarks/bench_precision.py --quick
"""

import time

from _common import (
    apply_threads,
    base_parser,
    load_784,
    machine_summary,
    median,
    report,
    warm_up_process,
)

from skactivegan import ActiveGANAugmenter
from skactivegan.generators import ConvGenerator, MLPGenerator


def training_seconds(X, y, image, mixed, max_iter, device):
    """Seconds from the end of the first training iteration to the end of the last.

    Timed with a callback, so that the oracle's grid search and the set-up before
    training are left out.
    """
    stamps = []
    generator = (ConvGenerator((1, 28, 28), width=32, mixed_precision=mixed) if image
                 else MLPGenerator(mixed_precision=mixed))
    aug = ActiveGANAugmenter(max_iter=max_iter, warmup_iter=max_iter // 2,
                             generator=generator, filter=None, n_samples=10,
                             random_state=0, device=device,
                             callbacks=[lambda _: stamps.append(time.perf_counter())])
    aug.fit(X, y)
    return stamps[-1] - stamps[0]


def main():
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--max-iter", type=int, default=150)
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()
    repeats = args.repeats or (1 if args.quick else 3)
    max_iter = 10 if args.quick else args.max_iter
    apply_threads(args)
    print(machine_summary())
    X, y, source = load_784(500)
    warm_up_process()

    rows = []
    for image in (False, True):
        times = {False: [], True: []}
        ratios = []
        for _ in range(repeats):
            for mixed in (False, True):
                seconds = training_seconds(X, y, image, mixed, max_iter, args.device)
                times[mixed].append(seconds)
            ratios.append(times[False][-1] / times[True][-1])
        rows.append({
            "networks": "conv (image_shape)" if image else "MLP (128, 128)",
            "data": f"{source}, 500 rows",
            "max_iter": max_iter,
            "iterations_timed": max_iter - 1,
            "float32_s": median(times[False]),
            "mixed_s": median(times[True]),
            "float32_over_mixed": median(ratios),
        })
    report(rows, args.output / "precision.csv",
           "Training time, float32 against mixed precision", floatfmt="{:.3g}")


if __name__ == "__main__":
    main()
