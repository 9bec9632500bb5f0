"""Oracles of other families evaluated in torch must be their ``predict_proba``."""

import numpy as np
import pytest
import torch
from sklearn.datasets import make_classification
from sklearn.ensemble import (
    ExtraTreesClassifier,
    HistGradientBoostingClassifier,
    RandomForestClassifier,
)
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler, StandardScaler
from sklearn.tree import DecisionTreeClassifier

from skactivegan import ActiveGANAugmenter
from skactivegan.oracle._models_torch import compile_model, walk_trees

CPU = torch.device("cpu")
MODELS = {
    "logistic": lambda: LogisticRegression(),
    "scaled-logistic": lambda: make_pipeline(StandardScaler(), LogisticRegression()),
    "knn": lambda: KNeighborsClassifier(n_neighbors=4),
    "tree": lambda: DecisionTreeClassifier(max_depth=6, random_state=0),
    "forest": lambda: RandomForestClassifier(8, random_state=0),
    "extra-trees": lambda: ExtraTreesClassifier(8, random_state=0),
    "boosting": lambda: HistGradientBoostingClassifier(max_iter=10, random_state=0),
}


def _data(n_classes):
    return make_classification(n_samples=120, n_features=5, n_informative=4,
                               n_redundant=0, n_classes=n_classes, random_state=0)


@pytest.mark.parametrize("n_classes", [2, 3])
@pytest.mark.parametrize("name", sorted(MODELS))
def test_compiled_model_is_predict_proba(name, n_classes):
    X, y = _data(n_classes)
    model = MODELS[name]().fit(X, y)
    probe = np.concatenate([X[:20], X[:20] + 1.0])
    evaluator = compile_model(model, model.classes_, probe, CPU)
    assert evaluator is not None
    # Rows it was not checked on, some far outside the data.
    rows = np.random.default_rng(1).standard_normal((300, X.shape[1])) * 3
    with torch.no_grad():
        got = evaluator(torch.as_tensor(rows, dtype=evaluator.dtype)).double().numpy()
    np.testing.assert_allclose(got, model.predict_proba(rows), rtol=0, atol=1e-8)


def test_a_frozen_model_is_looked_through():
    X, y = _data(2)
    frozen = FrozenEstimator(RandomForestClassifier(5, random_state=0).fit(X, y))
    assert compile_model(frozen, frozen.classes_, X[:20], CPU) is not None


@pytest.mark.parametrize(
    "make_model",
    [lambda: GaussianNB(), lambda: make_pipeline(MinMaxScaler(), LogisticRegression()),
     lambda: KNeighborsClassifier(metric="manhattan")],
    ids=["naive-bayes", "minmax-scaler", "manhattan"],
)
def test_other_models_are_not_compiled(make_model):
    X, y = _data(2)
    model = make_model().fit(X, y)
    assert compile_model(model, model.classes_, X[:20], CPU) is None


def test_a_wrong_evaluation_is_caught_by_the_probe(monkeypatch):
    X, y = _data(2)
    model = RandomForestClassifier(5, random_state=0).fit(X, y)
    monkeypatch.setattr("skactivegan.oracle._models_torch.walk_trees",
                        lambda x, *args: walk_trees(x, *args[:-1], 0))
    assert compile_model(model, model.classes_, X[:40], CPU) is None


def test_walk_trees_by_hand():
    # One tree: root compares feature 1 with 0.5; left leaf 1, right leaf 2.
    feature = torch.tensor([[1, 0, 0]])
    threshold = torch.tensor([[0.5, np.inf, np.inf]], dtype=torch.float64)
    left, right = torch.tensor([[1, 1, 2]]), torch.tensor([[2, 1, 2]])
    x = torch.tensor([[9.0, 0.5], [-9.0, 0.6]], dtype=torch.float64)
    assert walk_trees(x, feature, threshold, left, right, 3).tolist() == [[1], [2]]


def test_a_forest_oracle_trains_in_torch():
    X, y = _data(2)
    aug = ActiveGANAugmenter(max_iter=6, warmup_iter=2, random_state=0,
                             oracle=RandomForestClassifier(5, random_state=0)).fit(X, y)
    assert aug.oracle_backend_ == "torch"


def test_on_a_large_table_the_default_oracle_is_a_boosting_evaluated_in_torch(
        monkeypatch):
    monkeypatch.setattr("skactivegan.training._fitting.LARGE_TABLE_ROWS", 50)
    X, y = _data(2)
    aug = ActiveGANAugmenter(max_iter=6, warmup_iter=2, random_state=0).fit(X, y)
    model = aug.oracle_.steps[-1][1]
    assert isinstance(model, HistGradientBoostingClassifier)
    assert model.class_weight == "balanced"
    assert aug.oracle_backend_ == "torch"
    assert aug.oracle_.predict_proba(X).shape == (len(X), 2)
