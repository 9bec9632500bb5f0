"""
From a CSV file to an augmented CSV file
========================================

The ``skactivegan augment`` command line does what the estimator does, for people
with a CSV file rather than a notebook::

    skactivegan augment iris.csv --target species --output augmented.csv \\
        --max-iter 300 --no-filter --n-samples 30 --random-state 0

This script runs the same command through :func:`skactivegan.cli.main` on a CSV
file that it writes first, then reads the result back: the real rows come first,
as they were, and an ``is_generated`` column marks the new ones.
"""

import csv
import os
import tempfile

from sklearn.datasets import load_iris

from skactivegan.cli import main

iris = load_iris()
here = os.getcwd()
with tempfile.TemporaryDirectory() as folder:
    os.chdir(folder)  # short file names in what is printed
    with open("iris.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["sepal_length", "sepal_width", "petal_length", "petal_width",
                         "species"])
        for row, label in zip(iris.data, iris.target):
            writer.writerow([*row, iris.target_names[label]])

    status = main(["augment", "iris.csv", "--target", "species",
                   "--output", "augmented.csv", "--max-iter", "300", "--no-filter",
                   "--n-samples", "30", "--random-state", "0", "--quiet"])
    print("exit status:", status)

    with open("augmented.csv", newline="") as f:
        rows = list(csv.reader(f))
    print(",".join(rows[0]))
    print(",".join(rows[1]), " <- first real row, unchanged")
    generated = [row for row in rows[1:] if row[-1] == "1"]
    print(f"{len(rows) - 1 - len(generated)} real rows, {len(generated)} generated")
    for row in generated[:3]:
        print(",".join(f"{float(v):.2f}" for v in row[:4]), *row[4:], sep=",")

    # A bad file gives a one-line error and a non-zero status; no output is written.
    with open("bad.csv", "w") as f:
        f.write("x,species\n1.0,setosa\nabc,virginica\n")
    status = main(["augment", "bad.csv", "--target", "species", "--output", "out.csv"])
    print("exit status:", status, "| output written:", os.path.exists("out.csv"))
    os.chdir(here)
