"""AugmentedClassifier: augments in fit, delegates prediction, fits sklearn's tools."""

import doctest

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, clone
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC
from sklearn.utils.estimator_checks import parametrize_with_checks

import skactivegan
from skactivegan import (
    ActiveGANAugmenter,
    AugmentedClassifier,
    MarginFilter,
)
from skactivegan._meta import (
    _candidates,
    _choose,
    _macro_f1,
    _randomization_test,
    _seed_unset_random_states,
)
from skactivegan.oracle import _default_svm
from skactivegan.oracle._default_svm import DefaultSVC
from skactivegan.oracle._oracle import search_svc

X, y = make_classification(n_samples=60, n_features=4, n_informative=3, n_redundant=0,
                           n_classes=3, n_clusters_per_class=1, random_state=0)

# Keeps every generated row whatever its margin or label: these tests are about
# the meta-estimator, not whether a 20-iteration GAN passes the filter.
KEEP_ALL = MarginFilter(threshold=1.0, top_k=None)

TINY = {"max_iter": 20, "warmup_iter": 10, "filter": KEEP_ALL, "random_state": 0}


def tiny_augmenter(**params):
    return ActiveGANAugmenter(oracle=LogisticRegression(), **{**TINY, **params})


# The common checks fit many times: the shortest training that still runs both
# phases of Algorithm 1, and a count of rows to add so that every fit augments.
CHECKS = {"max_iter": 6, "warmup_iter": 3, "n_samples": 0.5}


def expected_failed_checks(estimator):
    """The common checks that AugmentedClassifier fails, with the reason: none."""
    return {}


@parametrize_with_checks([
    AugmentedClassifier(augmenter=tiny_augmenter(**CHECKS),
                        classifier=LogisticRegression()),
    AugmentedClassifier(augmenter=tiny_augmenter(**{**CHECKS, "filter": None}),
                        classifier=LinearSVC()),
    # The default classifier and the augmenter's default oracle, both unseeded:
    # the checks set AugmentedClassifier's random_state, which must make two fits
    # agree (check_fit_idempotent, check_supervised_y_2d).
    AugmentedClassifier(augmenter=ActiveGANAugmenter(
        **{**TINY, **CHECKS, "random_state": None})),
], expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.slow
@parametrize_with_checks([DefaultSVC()])
def test_default_svc_sklearn_compatible(estimator, check):
    check(estimator)


# ------------------------------------------------------------ delegation
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
    assert not hasattr(clf, "cv_results_") and not hasattr(clf, "selected_")


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
    clf = AugmentedClassifier(augmenter=tiny_augmenter(), random_state=0).fit(X, y)
    assert isinstance(clf.classifier_, DefaultSVC)
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


def test_inside_sklearn_pipeline():
    pipe = Pipeline([
        ("scale", StandardScaler()),
        ("clf", AugmentedClassifier(augmenter=tiny_augmenter(n_samples=0.5),
                                    classifier=LogisticRegression())),
    ])
    pipe.fit(X * 1000.0, y)
    # The augmenter saw the scaled rows, so the generated ones are in scaled units.
    X_gen, _ = pipe.named_steps["clf"].augmenter_.sample(30)
    assert np.abs(np.asarray(X_gen)).max() < 100.0
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


# ------------------------------------------------------------ random_state
def test_random_state_makes_fit_deterministic_with_the_default_parts():
    # Unseeded augmenter, default oracle, default classifier: random_state alone
    # decides every seed.
    augmenter = ActiveGANAugmenter(**{**TINY, "random_state": None, "n_samples": 0.5})
    clf = AugmentedClassifier(augmenter=augmenter, random_state=0)
    first = clf.fit(X, y).predict_proba(X)
    second = clone(clf).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(first, second)
    X_a, _ = clf.augmenter_.sample(20)
    X_b, _ = clone(clf).fit(X, y).augmenter_.sample(20)
    np.testing.assert_array_equal(X_a, X_b)
    # The seeds went to clones; the given augmenter is unchanged.
    assert augmenter.random_state is None
    assert isinstance(clf.augmenter_.random_state, int)
    assert isinstance(clf.classifier_.random_state, int)
    # Another random_state, other seeds.
    other = clone(clf).set_params(random_state=1).fit(X, y)
    assert other.augmenter_.random_state != clf.augmenter_.random_state


def test_seeds_set_on_the_parts_are_kept():
    clf = AugmentedClassifier(augmenter=tiny_augmenter(random_state=7),
                              classifier=DefaultSVC(random_state=3), random_state=0)
    clf.fit(X, y)
    assert clf.augmenter_.random_state == 7
    assert clf.classifier_.random_state == 3


def test_seed_unset_random_states_reaches_nested_parameters():
    pipe = make_pipeline(StandardScaler(), SVC(random_state=None))
    estimator = AugmentedClassifier(augmenter=tiny_augmenter(random_state=None),
                                    classifier=pipe)
    seeded = _seed_unset_random_states(clone(estimator), np.random.RandomState(0))
    params = seeded.get_params(deep=True)
    assert isinstance(params["random_state"], int)
    assert isinstance(params["augmenter__random_state"], int)
    assert isinstance(params["classifier__svc__random_state"], int)
    again = _seed_unset_random_states(clone(estimator), np.random.RandomState(0))
    assert again.get_params(deep=True)["classifier__svc__random_state"] == params[
        "classifier__svc__random_state"]


# ------------------------------------------------------- grid-search keys
def test_nested_keys_work_at_the_default_parts():
    clf = AugmentedClassifier().set_params(augmenter__filter__threshold=0.1,
                                           classifier__random_state=3)
    assert isinstance(clf.augmenter, ActiveGANAugmenter)
    assert clf.augmenter.get_params()["filter__threshold"] == 0.1
    assert clf.classifier.get_params() == DefaultSVC(random_state=3).get_params()
    # A default that a nested key did not touch stays None.
    assert AugmentedClassifier().set_params(augmenter__alpha=0.3).classifier is None
    # The default SVM's C and gamma are keys too: set, they are not searched.
    fixed = AugmentedClassifier().set_params(classifier__C=10.0, classifier__gamma=0.1)
    assert fixed.classifier.get_params()["C"] == 10.0


# A 20-iteration GAN rarely passes the default filter: its budget may run out.
BUDGET = "ignore::skactivegan.exceptions.GenerationBudgetWarning"


@pytest.mark.filterwarnings(BUDGET)
def test_grid_search_reaches_filter_threshold_at_the_default_augmenter():
    # augmenter=None: the keys build the default augmenter, then set its filter.
    clf = AugmentedClassifier(classifier=LogisticRegression(), random_state=0)
    grid = {
        "augmenter__filter__threshold": [0.1, 0.3],
        "augmenter__max_iter": [20], "augmenter__generator__k_neighbors": [3],
        "augmenter__n_samples": [0.3], "augmenter__filter__candidates_per_row": [3],
    }
    search = GridSearchCV(clf, grid, cv=StratifiedKFold(2)).fit(X, y)
    assert len(search.cv_results_["params"]) == 2
    best = search.best_estimator_
    assert best.augmenter_.filter_.threshold == search.best_params_[
        "augmenter__filter__threshold"]


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


# ------------------------------------------------------ never-worse mode
class _Duplicator(BaseEstimator):
    """A stand-in augmenter: ``sample(n)`` returns copies of random minority rows.

    Duplicating the minority class helps an unweighted classifier's macro-F1 on
    imbalanced data, so that the selection has something worth choosing.
    """

    def __init__(self, filter=None, random_state=None):
        self.filter = filter
        self.random_state = random_state

    def fit(self, X, y):
        self.X_, self.y_ = np.asarray(X), np.asarray(y)
        labels, counts = np.unique(y, return_counts=True)
        self.minority_ = labels[np.argmin(counts)]
        self.filter_ = None
        return self

    def fit_resample(self, X, y):
        return X, y

    def sample(self, n_samples):
        rows = np.flatnonzero(self.y_ == self.minority_)
        pick = np.random.RandomState(self.random_state).choice(rows, n_samples)
        return self.X_[pick], self.y_[pick]


def imbalanced(n=120, weights=(0.88, 0.12), seed=0):
    return make_classification(n_samples=n, n_features=4, n_informative=2,
                               n_redundant=0, weights=list(weights), flip_y=0.0,
                               class_sep=0.6, random_state=seed)


def test_candidates_put_add_nothing_first_and_fewer_rows_before_more():
    grid = {"threshold": [0.3, 0.1], "n_samples": [1.0, 0, 0.5]}
    assert _candidates(grid, has_filter=True) == [
        {"threshold": None, "n_samples": 0},
        {"threshold": 0.1, "n_samples": 0.5}, {"threshold": 0.3, "n_samples": 0.5},
        {"threshold": 0.1, "n_samples": 1.0}, {"threshold": 0.3, "n_samples": 1.0},
    ]
    assert _candidates(grid, has_filter=False) == [
        {"threshold": None, "n_samples": 0},
        {"threshold": None, "n_samples": 0.5}, {"threshold": None, "n_samples": 1.0},
    ]


def test_macro_f1_matches_scikit_learn():
    rng = np.random.RandomState(0)
    y_true = rng.randint(3, size=40)
    pred = rng.randint(3, size=(5, 40))
    pred[0] = 0  # classes never predicted score 0
    expected = [f1_score(y_true, p, average="macro", labels=[0, 1, 2],
                         zero_division=0.0) for p in pred]
    np.testing.assert_allclose(_macro_f1(y_true, pred, 3), expected)


def test_randomization_test_counts_rows_and_tells_signal_from_noise():
    y_true = np.array([0] * 30 + [1] * 10)
    reference = np.zeros(40, dtype=np.int64)        # misses the whole minority
    recovers = y_true.copy()                        # right everywhere
    one_row = reference.copy()
    one_row[30] = 1                                 # one minority row more
    pred = np.array([reference, recovers, one_row])
    fixed, broken, p_value = _randomization_test(y_true, pred, reference,
                                                 np.random.RandomState(0))
    np.testing.assert_array_equal(fixed, [0, 10, 1])
    np.testing.assert_array_equal(broken, [0, 0, 0])
    assert p_value[0] == 1.0
    assert p_value[1] < 0.01
    assert p_value[2] > 0.3


def test_choose_keeps_add_nothing_unless_clearly_beaten():
    nothing = [0.80, 0.70, 0.75]
    better = [0.85, 0.74, 0.80]
    # Ties: nothing wins, whatever the test says.
    assert _choose(np.array([nothing, nothing]), np.array([1.0, 0.0])) == 0
    # A better mean without a significant sign test: nothing.
    assert _choose(np.array([nothing, better]), np.array([1.0, 0.125])) == 0
    # A better mean and a significant test: chosen.
    assert _choose(np.array([nothing, better]), np.array([1.0, 0.03])) == 1
    # Only the best mean is considered: a significant runner-up is not chosen.
    best = [0.90, 0.80, 0.85]
    assert _choose(np.array([nothing, better, best]), np.array([1.0, 0.01, 0.2])) == 0
    assert _choose(np.array([nothing, better, best]), np.array([1.0, 0.2, 0.01])) == 2


def test_selection_chooses_rows_that_help_and_refits_them():
    # Unweighted logistic regression misses most of a 10 % minority; duplicated
    # minority rows gain it about 13 macro-F1 points in the inner folds.
    X_imb, y_imb = imbalanced(n=300, weights=(0.9, 0.1))
    clf = AugmentedClassifier(augmenter=_Duplicator(random_state=0),
                              classifier=LogisticRegression(), selection="cv",
                              selection_grid={"n_samples": [75, 150]}, random_state=0)
    clf.fit(X_imb, y_imb)
    results = clf.cv_results_
    assert results["params"] == [{"threshold": None, "n_samples": 0},
                                 {"threshold": None, "n_samples": 75},
                                 {"threshold": None, "n_samples": 150}]
    np.testing.assert_array_equal(results["mean_n_generated"], [0, 75, 150])
    assert clf.selected_ == {"threshold": None, "n_samples": 75}
    chosen = clf.selected_index_
    assert results["selected"][chosen] and results["rank_test_score"][chosen] == 1
    assert results["mean_improvement"][chosen] > 0.1
    assert results["p_value"][chosen] < 0.05
    # It breaks more rows than it fixes: accuracy falls, macro-F1 rises.
    assert results["n_broken"][chosen] > results["n_fixed"][chosen]
    for k in range(3):
        assert results[f"split{k}_test_score"].shape == (3,)
    # Refitted on all rows with the chosen number of rows.
    assert clf.n_generated_ == clf.selected_["n_samples"]
    assert isinstance(clf.augmenter_, _Duplicator)
    assert clf.augmenter_.X_.shape == X_imb.shape


def test_selection_adds_nothing_on_ties_and_is_then_the_classifier_alone():
    X_imb, y_imb = imbalanced()
    # A constant classifier scores the same whatever rows are added: a tie.
    constant = DummyClassifier(strategy="constant", constant=1)
    clf = AugmentedClassifier(augmenter=_Duplicator(random_state=0),
                              classifier=constant, selection="cv",
                              selection_grid={"n_samples": [30]}, random_state=0)
    clf.fit(X_imb, y_imb)
    assert clf.selected_ == {"threshold": None, "n_samples": 0}
    assert clf.augmenter_ is None and clf.n_generated_ == 0
    assert clf.cv_results_["mean_test_score"][0] == clf.cv_results_[
        "mean_test_score"][1]


@pytest.mark.filterwarnings(BUDGET)
def test_selection_with_activegan_trains_once_per_fold():
    X_imb, y_imb = imbalanced(n=90, weights=(0.7, 0.3))
    fits = []

    class CountingAugmenter(ActiveGANAugmenter):
        def fit(self, X, y):
            fits.append(len(X))
            return super().fit(X, y)

    augmenter = CountingAugmenter(oracle=LogisticRegression(),
                                  **{**TINY, "filter": clone(KEEP_ALL).set_params(
                                      candidates_per_row=3)})
    clf = AugmentedClassifier(augmenter=augmenter, classifier=LogisticRegression(),
                              selection="cv", random_state=0)
    clf.fit(X_imb, y_imb)
    results = clf.cv_results_
    # 1 + 3 thresholds x 2 row counts; 3 folds; one GAN per fold, one more on all
    # rows only if rows were chosen.
    assert len(results["params"]) == 7
    assert fits[:3] == [60, 60, 60]
    assert len(fits) == (3 if clf.selected_["n_samples"] == 0 else 4)
    # Each threshold filtered the same fold's generator: rows asked for, at most.
    asked = np.array([round(p["n_samples"] * 60) for p in results["params"]])
    assert np.all(results["mean_n_generated"] <= asked)
    assert results["mean_n_generated"][0] == 0
    # The same seed, the same evidence and choice.
    again = clone(clf).fit(X_imb, y_imb)
    np.testing.assert_array_equal(again.cv_results_["mean_test_score"],
                                  results["mean_test_score"])
    assert again.selected_ == clf.selected_
    if clf.selected_["n_samples"] == 0:
        alone = LogisticRegression().fit(X_imb, y_imb)
        np.testing.assert_array_equal(clf.predict_proba(X_imb),
                                      alone.predict_proba(X_imb))


@pytest.mark.filterwarnings(BUDGET)
def test_selection_keeps_a_dataframe_a_dataframe():
    pd = pytest.importorskip("pandas")
    X_imb, y_imb = imbalanced(n=90, weights=(0.7, 0.3))
    frame = pd.DataFrame(X_imb, columns=["a", "b", "c", "d"])
    seen = []

    class Recording(LogisticRegression):
        def fit(self, X, y):
            seen.append(type(X))
            return super().fit(X, y)

    clf = AugmentedClassifier(augmenter=tiny_augmenter(), classifier=Recording(),
                              selection="cv",
                              selection_grid={"threshold": [1.0], "n_samples": [0.5]},
                              random_state=0)
    clf.fit(frame, y_imb)
    assert set(seen) == {pd.DataFrame}
    assert clf.cv_results_["mean_n_generated"][1] == 30
    np.testing.assert_array_equal(clf.feature_names_in_, ["a", "b", "c", "d"])
    assert clf.predict(frame).shape == (90,)


def test_selection_errors_name_the_fix():
    X_imb, y_imb = imbalanced()
    with pytest.raises(TypeError, match="sample"):
        AugmentedClassifier(augmenter=_NoSample(), classifier=LogisticRegression(),
                            selection="cv").fit(X_imb, y_imb)
    few = np.r_[y_imb[y_imb == 0], [1, 1]]
    with pytest.raises(ValueError, match="Lower cv"):
        AugmentedClassifier(augmenter=_Duplicator(), classifier=LogisticRegression(),
                            selection="cv").fit(
            np.r_[X_imb[y_imb == 0], X_imb[y_imb == 1][:2]], few)
    for grid, match in [({"thresholds": [0.1]}, "unknown keys"),
                        ({"threshold": [1.5]}, "threshold"),
                        ({"threshold": []}, "threshold"),
                        ({"n_samples": [-1]}, "n_samples")]:
        with pytest.raises(ValueError, match=match):
            AugmentedClassifier(augmenter=_Duplicator(),
                                classifier=LogisticRegression(), selection="cv",
                                selection_grid=grid).fit(X_imb, y_imb)
    with pytest.raises(ValueError, match="selection"):
        AugmentedClassifier(selection="always").fit(X_imb, y_imb)


class _NoSample(BaseEstimator):
    def fit_resample(self, X, y):
        return X, y


# ------------------------------------------------------------ DefaultSVC
def test_default_svc_is_deterministic_with_a_seed():
    first = DefaultSVC(random_state=0).fit(X, y)
    second = DefaultSVC(random_state=0).fit(X, y)
    np.testing.assert_array_equal(first.predict_proba(X), second.predict_proba(X))
    assert set(first.best_params_) == {"C", "gamma"}
    assert first.score(X, y) > 0.8


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("weights", [None, [0.8, 0.2], [0.6, 0.3, 0.1]])
def test_default_svc_search_chooses_what_grid_search_cv_chooses(seed, weights):
    n_classes = 2 if weights is None else len(weights)
    X_s, y_s = make_classification(n_samples=90, n_features=6, n_informative=4,
                                   n_classes=n_classes, weights=weights, flip_y=0.1,
                                   random_state=seed)
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=seed)
    grid = [{"C": C, "gamma": g} for C in (1.0, 10.0, 100.0)
            for g in (0.1 / 6, 1 / 6, 10 / 6)]
    chosen = search_svc(X_s, y_s, grid, cv, class_weight="balanced",
                        random_state=seed)
    # A Series with a shuffled index is indexed by position, as GridSearchCV does.
    y_series = pd.Series(y_s, index=np.random.default_rng(seed).permutation(len(y_s)))
    assert search_svc(X_s, y_series, grid, cv, class_weight="balanced",
                      random_state=seed) == chosen
    reference = GridSearchCV(
        make_pipeline(StandardScaler(), SVC(class_weight="balanced")),
        {"svc__C": [1.0, 10.0, 100.0], "svc__gamma": [0.1 / 6, 1 / 6, 10 / 6]},
        cv=cv, scoring="balanced_accuracy",
    ).fit(X_s, y_s)
    assert chosen == {"C": reference.best_params_["svc__C"],
                      "gamma": reference.best_params_["svc__gamma"]}


def test_default_svc_search_breaks_ties_toward_the_first_candidate():
    # Two well-separated blobs: every candidate scores 1.0.
    X_s = np.r_[np.zeros((12, 2)), np.full((12, 2), 5.0)]
    X_s += np.random.default_rng(0).normal(scale=0.1, size=X_s.shape)
    y_s = np.r_[np.zeros(12, int), np.ones(12, int)]
    grid = [{"C": 100.0, "gamma": 1.0}, {"C": 1.0, "gamma": 0.1}]
    cv = StratifiedKFold(n_splits=3, shuffle=True, random_state=0)
    assert search_svc(X_s, y_s, grid, cv, class_weight=None,
                      random_state=0) == grid[0]


def test_default_svc_with_c_and_gamma_given_searches_nothing(monkeypatch):
    from skactivegan.oracle import _oracle

    calls = []
    monkeypatch.setattr(_oracle, "search_svc",
                        lambda *a, **k: calls.append(a[2]) or a[2][0])
    fixed = DefaultSVC(C=10.0, gamma=0.05, random_state=0).fit(X, y)
    assert fixed.best_params_ == {"C": 10.0, "gamma": 0.05} and calls == []
    svc = fixed.estimator_.estimator.named_steps["svc"]
    assert (svc.C, svc.gamma) == (10.0, 0.05)
    # One of them given: the search runs over the other alone.
    DefaultSVC(C=10.0, random_state=0).fit(X, y)
    assert [sorted({p["C"] for p in grid}) for grid in calls] == [[10.0]]
    assert len(calls[0]) == 3
    with pytest.raises(ValueError, match="gamma"):
        DefaultSVC(gamma=-1.0).fit(X, y)


def test_default_svc_errors():
    with pytest.raises(ValueError, match="1 sample"):
        DefaultSVC().fit(X[:5], [0, 0, 1, 1, 2])
    with pytest.raises(ValueError, match=r"1 class \(0\)"):
        DefaultSVC().fit(X[:5], [0] * 5)


# AugmentedClassifier's examples run in test_docs.py.
@pytest.mark.skipif(not hasattr(skactivegan, "DefaultSVC"),
                    reason="its example imports DefaultSVC from skactivegan")
def test_default_svc_docstring_example():
    result = doctest.testmod(_default_svm, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0
    assert result.failed == 0
