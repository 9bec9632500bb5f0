"""Time the default ``evaluate`` report on a 200-row, 64-column table (issue 16.4).

The table is the first 200 rows of scikit-learn's digits (pixels / 16, 10 classes);
every setting of :func:`skactivegan.experiments.evaluate` is its default.  Run it
under ``/usr/bin/time`` to get the wall and CPU times::

    /usr/bin/time -v python benchmarks/time_evaluate.py --output /tmp/digits-report

The target is a wall time under 10 minutes on 2 CPU cores.
"""

import argparse
import time

from sklearn.datasets import load_digits

from skactivegan.experiments import evaluate


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="digits-200-report")
    args = parser.parse_args()
    X, y = load_digits(return_X_y=True)
    X, y = X[:200] / 16.0, y[:200]
    start = time.perf_counter()
    ev = evaluate(X, y, output=args.output, data_name="200 digits")
    print(ev.verdict)
    print(f"wall time {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
