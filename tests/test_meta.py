"""AugmentedClassifier: augments in fit, delegates prediction, fits sklearn's tools."""

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

from skactivegan import ActiveGANAugmenter, AugmentedClassifier, MarginFilter
from skactivegan._meta import _DefaultSVM

X, y = make_classification(n_samples=60, n_features=4, n_informative=3, n_redundant=0,
                           n_classes=3, n_clusters_per_class=1, random_state=0)

TINY = dict(max_iter=20, warmup_iter=10, batch_size=16, hidden_layer_sizes=(16,),
            latent_dim=4, n_components=2, random_state=0)


def tiny_augmenter(**params):
    return ActiveGANAugmenter(oracle=LogisticRegression(), **{**TINY, **params})


# The common checks fit many times: the shortest training that still runs both
# phases of Algorithm 1.
CHECKS = dict(max_iter=6, warmup_iter=3)


@parametrize_with_checks([
    AugmentedClassifier(augmenter=tiny_augmenter(**CHECKS),
                        classifier=LogisticRegression()),
    AugmentedClassifier(augmenter=tiny_augmenter(filter=None, **CHECKS),
                        classifier=LinearSVC()),
])
def test_sklearn_compatible(estimator, check):
    check(estimator)


# The default classifier, seeded (with random_state=None its shuffled grid-search
# folds, and so its predictions, would differ between two fits).  Slow: every fit
# grid-searches an SVM.
@pytest.mark.slow
@parametrize_with_checks([
    AugmentedClassifier(augmenter=tiny_augmenter(**CHECKS),
                        classifier=_DefaultSVM(random_state=0)),
])
def test_sklearn_compatible_default_classifier(estimator, check):
    check(estimator)


def test_fit_trains_classifier_on_the_augmented_rows():
    augmenter = tiny_augmenter(filter=None, n_samples=25)
    clf = AugmentedClassifier(augmenter=augmenter, classifier=LogisticRegression())
    clf.fit(X, y)
    X_res, y_res = clone(augmenter).fit_resample(X, y)
    direct = LogisticRegression().fit(X_res, y_res)

    assert clf.n_generated_ == 25 == len(X_res) - len(X)
    np.testing.assert_array_equal(clf.classifier_.coef_, direct.coef_)
    np.testing.assert_array_equal(clf.predict(X), direct.predict(X))
    np.testing.assert_array_equal(clf.predict_proba(X), direct.predict_proba(X))
    assert clf.score(X, y) == direct.score(X, y)
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    # The parameters given are templates: fitting touches clones only.
    assert not hasattr(augmenter, "oracle_")


def test_delegation_follows_the_classifier():
    with_proba = AugmentedClassifier(augmenter=tiny_augmenter(),
                                     classifier=LogisticRegression())
    without_proba = AugmentedClassifier(augmenter=tiny_augmenter(),
                                        classifier=LinearSVC())
    assert hasattr(with_proba, "predict_proba")
    assert not hasattr(without_proba, "predict_proba")
    assert hasattr(without_proba, "decision_function")
    # The default classifier (the library's SVM) has probabilities.
    assert hasattr(AugmentedClassifier(), "predict_proba")
    without_proba.fit(X, y)
    assert without_proba.decision_function(X).shape == (len(X), 3)
    with pytest.raises(AttributeError):
        without_proba.predict_proba(X)


def test_default_classifier_is_the_library_svm():
    clf = AugmentedClassifier(augmenter=tiny_augmenter()).fit(X, y)
    assert isinstance(clf.classifier_, _DefaultSVM)
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert clf.score(X, y) > 0.6


@pytest.mark.slow
def test_default_augmenter_is_activegan_with_its_defaults():
    clf = AugmentedClassifier(classifier=LogisticRegression()).fit(X, y)
    assert isinstance(clf.augmenter_, ActiveGANAugmenter)
    assert clf.augmenter_.get_params() == ActiveGANAugmenter().get_params()


def test_string_labels_and_dataframe():
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(X, columns=["a", "b", "c", "d"])
    labels = np.array(["cat", "dog", "emu"])[y]
    clf = AugmentedClassifier(augmenter=tiny_augmenter(),
                              classifier=LogisticRegression())
    clf.fit(frame, labels)
    np.testing.assert_array_equal(clf.classes_, ["cat", "dog", "emu"])
    np.testing.assert_array_equal(clf.feature_names_in_, ["a", "b", "c", "d"])
    assert set(clf.predict(frame)) <= {"cat", "dog", "emu"}


def test_cross_val_score():
    clf = AugmentedClassifier(augmenter=tiny_augmenter(),
                              classifier=LogisticRegression())
    scores = cross_val_score(clf, X, y, cv=3)
    assert scores.shape == (3,)
    assert np.all((scores >= 0) & (scores <= 1))
    # Same seeds, same folds: the same scores again.
    np.testing.assert_array_equal(scores, cross_val_score(clf, X, y, cv=3))


def test_grid_search_reaches_filter_threshold_and_classifier_c():
    clf = AugmentedClassifier(augmenter=tiny_augmenter(filter=MarginFilter()),
                              classifier=LogisticRegression())
    grid = {"augmenter__filter__threshold": [0.1, 0.3], "classifier__C": [0.1, 10.0]}
    search = GridSearchCV(clf, grid, cv=StratifiedKFold(2)).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert set(search.best_params_) == set(grid)
    best = search.best_estimator_
    assert best.augmenter_.filter_.threshold == search.best_params_[
        "augmenter__filter__threshold"]
    assert best.classifier_.C == search.best_params_["classifier__C"]


def test_inside_sklearn_pipeline():
    pipe = Pipeline([
        ("scale", StandardScaler()),
        ("clf", AugmentedClassifier(augmenter=tiny_augmenter(),
                                    classifier=LogisticRegression())),
    ])
    pipe.fit(X * 1000.0, y)
    # The augmenter saw the scaled rows, so the generated ones are in scaled units.
    assert pipe.named_steps["clf"].augmenter_.scaler_.mean_ == pytest.approx(
        np.zeros(4), abs=1e-12)
    assert pipe.predict(X * 1000.0).shape == (len(X),)
    assert 0.0 <= pipe.score(X * 1000.0, y) <= 1.0
    params = pipe.get_params()
    assert "clf__augmenter__alpha" in params and "clf__classifier__C" in params


def test_invalid_parts_are_rejected():
    with pytest.raises(ValueError, match="augmenter"):
        AugmentedClassifier(augmenter=LogisticRegression()).fit(X, y)
    with pytest.raises(ValueError, match="classifier"):
        AugmentedClassifier(augmenter=tiny_augmenter(),
                            classifier=StandardScaler()).fit(X, y)
