"""The private scikit-learn names the library relies on (skactivegan/_compat.py).

A scikit-learn release that moves or changes one of them fails here, by name,
rather than somewhere inside an estimator.
"""

from numbers import Integral

import pytest
from sklearn.base import BaseEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skactivegan import _compat


class _Part(BaseEstimator):
    _parameter_constraints = {
        "size": [_compat.Interval(Integral, 1, None, closed="left")],
        "kind": [_compat.StrOptions({"a", "b"})],
        "model": [_compat.HasMethods(["fit"]), None],
    }

    def __init__(self, size=1, kind="a", model=None):
        self.size, self.kind, self.model = size, kind, model

    @_compat.fit_context(prefer_skip_nested_validation=False)
    def fit(self, X=None, y=None):
        self.fitted_ = True
        return self


@pytest.mark.parametrize("params, name", [
    ({"size": 0}, "size"), ({"kind": "c"}, "kind"), ({"model": 3}, "model")])
def test_the_constraints_refuse_bad_values_by_name(params, name):
    with pytest.raises(ValueError, match=f"'{name}' parameter of _Part"):
        _Part(**params).fit()
    with pytest.raises(ValueError, match=f"'{name}' parameter of _Part"):
        _compat.validate_params(_Part(**params))


def test_fit_context_validates_then_fits():
    assert _Part(size=2, kind="b", model=LogisticRegression()).fit().fitted_


def test_validate_params_reaches_nested_estimators():
    nested = _Part(model=make_pipeline(StandardScaler(), LogisticRegression(C=-1)))
    with pytest.raises(ValueError, match="'C' parameter of LogisticRegression"):
        _compat.validate_params(nested)
    _compat.validate_params(None)  # nothing to check
    _compat.validate_params(object())
