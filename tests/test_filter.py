import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from skactivegan import MarginFilter
from skactivegan.uncertainty import margin

rng = np.random.RandomState(0)
X = np.vstack([rng.normal(loc=c, size=(30, 2)) for c in (-1.0, 1.0)])
y = np.repeat(["a", "b"], 30)


def test_prefit_oracle_is_used_as_is():
    clf = LogisticRegression().fit(X, y)
    flt = MarginFilter(threshold=0.3, top_k=None, oracle=clf)
    X_kept, y_kept = flt.fit_resample(X, y)
    assert flt.oracle_ is clf
    expected = np.flatnonzero(margin(clf.predict_proba(X)) <= 0.3)
    np.testing.assert_array_equal(flt.sample_indices_, expected)
    np.testing.assert_array_equal(X_kept, X[expected])
    np.testing.assert_array_equal(y_kept, y[expected])


def test_unfitted_oracle_is_cloned_and_fitted():
    clf = LogisticRegression()
    flt = MarginFilter(threshold=1.0, top_k=None, oracle=clf).fit(X, y)
    assert flt.oracle_ is not clf and hasattr(flt.oracle_, "coef_")
    assert len(flt.fit_resample(X, y)[0]) == len(X)


def test_default_oracle_and_threshold_zero():
    flt = MarginFilter(threshold=0.0, random_state=0)
    X_kept, _ = flt.fit_resample(X, y)
    assert len(X_kept) <= 1  # only exact ties survive


def test_dataframe_round_trip():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(X, columns=["u", "v"])
    X_kept, y_kept = MarginFilter(threshold=0.5, oracle=LogisticRegression()).fit_resample(
        df, pd.Series(y, name="t"))
    assert list(X_kept.columns) == ["u", "v"] and y_kept.name == "t"


def test_threshold_validated():
    with pytest.raises(ValueError, match="threshold"):
        MarginFilter(threshold=-0.1).fit(X, y)


def test_top_k_requires_label_among_most_probable():
    from skactivegan._filter import label_in_top_k

    proba = np.array([[0.5, 0.4, 0.1], [0.5, 0.4, 0.1], [0.5, 0.4, 0.1]])
    labels = np.array([0, 1, 2])
    assert label_in_top_k(proba, labels, 1).tolist() == [True, False, False]
    assert label_in_top_k(proba, labels, 2).tolist() == [True, True, False]


def test_top_k_standalone_uses_labels():
    clf = LogisticRegression().fit(X, y)
    wrong = np.where(y == "a", "b", "a")  # every label flipped
    kept_any, _ = MarginFilter(threshold=1.0, top_k=None, oracle=clf).fit_resample(X, wrong)
    kept_top1, _ = MarginFilter(threshold=1.0, top_k=1, oracle=clf).fit_resample(X, wrong)
    assert len(kept_any) == len(X)
    agree = (clf.predict(X) == wrong).sum()
    assert len(kept_top1) == agree < len(X)
