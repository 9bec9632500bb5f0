"""
From a CSV file to an augmented CSV file
========================================

The ``skactivegan augment`` command line does what the estimator does, for people
with a CSV file rather than a notebook::

    skactivegan augment iris.csv --target species --output augmented.csv \\
        --max-iter 300 --n-samples 30 --random-state 0

This script runs the same command through :func:`skactivegan.cli.main` on a CSV
file that it writes first, then reads the result back: the real rows come first,
as they were, then the 30 generated rows (composed from real rows), written
at the precision of the input (one decimal here), and an ``is_generated`` column
marks them.  A text column would be a categorical feature, generated as one of
its values.  The figure draws the petals of the real and of the generated rows,
as read back from the file.
"""

import csv
import os
import tempfile

import matplotlib.pyplot as plt
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
            writer.writerow([f"{v:.1f}" for v in row] + [iris.target_names[label]])

    status = main(["augment", "iris.csv", "--target", "species",
                   "--output", "augmented.csv", "--max-iter", "300",
                   "--n-samples", "30", "--random-state", "0", "--quiet"])
    print("exit status:", status)

    with open("augmented.csv", newline="") as f:
        rows = list(csv.reader(f))
    print(",".join(rows[0]))
    print(",".join(rows[1]), " <- first real row, unchanged")
    generated = [row for row in rows[1:] if row[-1] == "1"]
    print(f"{len(rows) - 1 - len(generated)} real rows, {len(generated)} generated")
    for row in generated[:3]:
        print(",".join(row))

    real = [row for row in rows[1:] if row[-1] == "0"]
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.scatter([float(row[2]) for row in real], [float(row[3]) for row in real],
               s=12, c="0.6", label="real rows")
    ax.scatter([float(row[2]) for row in generated],
               [float(row[3]) for row in generated], s=24, c="tab:orange",
               marker="x", label="generated rows")
    ax.set_xlabel(rows[0][2])
    ax.set_ylabel(rows[0][3])
    ax.legend()
    fig.tight_layout()

    # Writing over the input is refused (unless --force); so is a bad file: a
    # one-line error, a non-zero status, and no output written.
    status = main(["augment", "iris.csv", "--target", "species", "--output",
                   "iris.csv"])
    print("exit status:", status)
    with open("bad.csv", "w") as f:
        f.write("x,species\n1.0,setosa\n,virginica\n")
    status = main(["augment", "bad.csv", "--target", "species", "--output", "out.csv"])
    print("exit status:", status, "| output written:", os.path.exists("out.csv"))
    os.chdir(here)

plt.show()
