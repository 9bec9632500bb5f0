"""The GPU benchmark script runs, in its --quick mode, on any machine (so that it is
ready, and correct, whenever a GPU is at hand)."""

import csv
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = {"cuda tests", "iteration", "cpu", "pickle", "determinism", "fit_resample"}


def test_bench_gpu_quick(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_gpu.py"), "--quick",
         "--output", str(tmp_path)],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    with open(tmp_path / "gpu.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {row["step"] for row in rows} == STEPS
    by_step = {}
    for row in rows:
        by_step.setdefault(row["step"], []).append(row)
    # Four network cases in quick mode (composing, MLP, MLP mixed precision,
    # convolutional), three rows each (warm-up, active, their ratio), all positive.
    iteration = by_step["iteration"]
    assert len(iteration) == 12
    assert all(float(row["value"]) > 0 for row in iteration)
    # A model pickled where it was trained and loaded where no GPU is visible
    # generates the same rows (here both are CPUs: exactly the same).
    assert [float(row["value"]) for row in by_step["pickle"]] == [0.0]
    assert all(row["detail"] == "identical" for row in by_step["determinism"])
    assert float(by_step["fit_resample"][0]["value"]) > 0
    assert "| step" in done.stdout  # the Markdown table
