"""The classic over-samplers that the demo and evaluate compare ActiveGAN with."""

import numpy as np
import pandas as pd
import pytest

from skactivegan._baselines import NUMERIC_ONLY, OVERSAMPLERS, oversample


def test_oversamplers_are_asked_for_every_class_and_report_their_counts():
    rng = np.random.RandomState(0)
    X = np.vstack([rng.normal(0, 1, (12, 2)), rng.normal(1.5, 1, (12, 2)),
                   rng.normal(30, 1, (12, 2))])  # class 2: far from the others
    y = np.repeat([0, 1, 2], 12)
    asked = {0: 6, 1: 6, 2: 6}
    for name in OVERSAMPLERS:
        made = oversample(name, X, y, asked, seed=0)
        assert made.asked == asked and made.n_added == len(made.y) == len(made.X)
        assert sum(made.added.values()) == made.n_added
        assert set(np.unique(made.y)) <= {0, 1, 2}
        if made.added == asked:
            assert made.note() == ""
        else:  # another count: said, with the reason
            assert made.note().startswith(f"{made.n_added} rows for the 18 asked")
            assert name in made.note()
    assert oversample("SMOTE", X, y, asked).added == asked  # exact, every class
    assert oversample("ROS", X, y, asked).added == asked
    # Class 2 has no neighbour in another class: no row in danger, and ADASYN's
    # weights are undefined there; the others still get theirs.
    border = oversample("Borderline-SMOTE", X, y, asked)
    assert border.added[2] == 0 and "none for class 2" in border.note()
    adasyn = oversample("ADASYN", X, y, asked)
    assert adasyn.added[2] == 0 and 2 in adasyn.refused and adasyn.added[0] > 0
    # The same seed, the same rows.
    again = oversample("ADASYN", X, y, asked)
    np.testing.assert_array_equal(adasyn.X, again.X)


def test_smote_is_smotenc_on_mixed_tables_and_the_interpolators_refuse_them():
    rng = np.random.RandomState(1)
    X = pd.DataFrame({"x": rng.normal(size=20),
                      "colour": pd.Categorical(rng.choice(["red", "blue"], 20))})
    y = np.repeat([0, 1], [14, 6])
    for name in ("SMOTE", "ROS"):
        made = oversample(name, X, y, {1: 8}, categorical=["colour"])
        assert made.added == {1: 8} and list(made.X.columns) == ["x", "colour"]
        assert set(made.X["colour"]) <= {"red", "blue"}  # categories, not codes
    for name in NUMERIC_ONLY:
        with pytest.raises(ValueError, match=f"{name} interpolates numeric columns "
                                             "only.*colour"):
            oversample(name, X, y, {1: 8}, categorical=["colour"])


def test_a_class_of_one_row_is_a_clear_error():
    X, y = np.arange(10.0).reshape(5, 2), np.array([0, 0, 0, 0, 1])
    with pytest.raises(ValueError, match="at least 2 rows"):
        oversample("SMOTE", X, y, {1: 3})
