"""AugmentedClassifier: augments in fit, delegates prediction, fits sklearn's tools."""

import doctest

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import (
    GridSearchCV,
    StratifiedKFold,
    TunedThresholdClassifierCV,
    cross_val_score,
)
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
from skactivegan._meta import _seed_unset_random_states
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
    """The common checks that AugmentedClassifier fails, with the reason."""
    failed = {
        "check_sample_weight_equivalence_on_dense_data": (
            "a weight of 2 is not a duplicated row here: the generated rows are "
            "composed from the real rows, and a duplicate changes them"),
    }
    if estimator.classifier is None:
        failed["check_class_weight_classifiers"] = (
            "the default classifier (DefaultSVC) has no class_weight of its own to "
            "set: it weights its classes as balanced, then calibrates")
    return failed


@parametrize_with_checks([
    # A user's classifier, with and without probabilities; the remedies are checked
    # with the defaults below.
    AugmentedClassifier(augmenter=tiny_augmenter(**CHECKS),
                        classifier=LogisticRegression(), threshold=None),
    AugmentedClassifier(augmenter=tiny_augmenter(**{**CHECKS, "filter": None}),
                        classifier=LinearSVC(), threshold=None),
    # The default classifier and the augmenter's default oracle, both unseeded:
    # the checks set AugmentedClassifier's random_state, which must make two fits
    # agree (check_fit_idempotent, check_supervised_y_2d). Two folds for the
    # threshold's tuning: the checks fit many times.
    AugmentedClassifier(augmenter=ActiveGANAugmenter(
        **{**TINY, **CHECKS, "random_state": None}), cv=2),
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


# ------------------------------------------------------- the remedies
def binary(n=160, weights=(0.85, 0.15), seed=0):
    return make_classification(n_samples=n, n_features=4, n_informative=3,
                               n_redundant=0, weights=list(weights), flip_y=0.02,
                               random_state=seed)


X2, y2 = binary()
N_MAJ, N_MIN = np.bincount(y2)
# Left to the recipe: how many rows, and which (sampling_strategy, n_samples and
# filter at their defaults); short training and a cheap oracle.
QUICK = ActiveGANAugmenter(max_iter=12, warmup_iter=6, oracle=LogisticRegression())


def tuned(clf, X, y):
    """The threshold that scikit-learn's own tuning finds, rows rebuilt per fold."""
    inner = clone(clf).set_params(threshold=None)
    return TunedThresholdClassifierCV(inner, scoring=clf.scoring, cv=StratifiedKFold(5),
                                      response_method="predict_proba").fit(X, y)


def test_balanced_accuracy_adds_half_the_rows_weights_the_classes_and_tunes():
    clf = AugmentedClassifier(augmenter=QUICK, classifier=LogisticRegression(),
                              random_state=0).fit(X2, y2)
    assert clf.n_generated_ == int(0.5 * N_MAJ) - N_MIN
    assert clf.class_weight_ == "balanced"
    assert clf.classifier_.class_weight == "balanced"
    assert clf.threshold_ == tuned(clf, X2, y2).best_threshold_
    proba = clf.predict_proba(X2)[:, 1]
    np.testing.assert_array_equal(clf.predict(X2),
                                  (proba >= clf.threshold_).astype(int))


def test_an_f_score_adds_consistent_rows_and_moves_the_threshold_halfway():
    clf = AugmentedClassifier(augmenter=QUICK, classifier=LogisticRegression(),
                              scoring="f1_macro", random_state=0).fit(X2, y2)
    assert clf.n_generated_ == N_MAJ - N_MIN
    assert clf.class_weight_ is None and clf.classifier_.class_weight is None
    best = tuned(clf, X2, y2).best_threshold_
    assert clf.threshold_ == pytest.approx(0.5 * (best + 0.5))


def test_the_consistent_rows_are_labelled_as_their_class():
    from sklearn.neighbors import KNeighborsClassifier

    from skactivegan._remedies import consistent_rows

    X_gen, y_gen = consistent_rows(clone(QUICK).set_params(random_state=0), X2, y2, 1)
    assert len(y_gen) == N_MAJ - N_MIN and (y_gen == 1).all()
    # Most of them agree with their real neighbours (Lee's rule) ...
    neighbours = KNeighborsClassifier(5).fit(StandardScaler().fit(X2).transform(X2), y2)
    agree = neighbours.predict(StandardScaler().fit(X2).transform(X_gen)) == y_gen
    assert agree.mean() > 0.8


def test_more_than_two_classes_get_rows_only():
    clf = AugmentedClassifier(augmenter=tiny_augmenter(filter=None),
                              classifier=LogisticRegression(), random_state=0)
    clf.fit(X, y)
    assert clf.threshold_ is None and clf.class_weight_ is None
    np.testing.assert_array_equal(clf.predict(X), clf.classifier_.predict(X))


def test_the_remedies_can_be_chosen():
    fixed = AugmentedClassifier(augmenter=QUICK,
                                classifier=LogisticRegression(), threshold=0.3,
                                class_weight=None, random_state=0).fit(X2, y2)
    assert fixed.threshold_ == 0.3 and fixed.class_weight_ is None
    own = AugmentedClassifier(augmenter=QUICK,
                              classifier=LogisticRegression(), threshold=None,
                              random_state=0).fit(X2, y2)
    np.testing.assert_array_equal(own.predict(X2), own.classifier_.predict(X2))
    # A classifier without class_weight is fitted without; said in class_weight_.
    from sklearn.neighbors import KNeighborsClassifier

    knn = AugmentedClassifier(augmenter=QUICK,
                              classifier=KNeighborsClassifier(), threshold=None,
                              class_weight="balanced", random_state=0).fit(X2, y2)
    assert knn.class_weight_ is None
    with pytest.raises(ValueError, match="binary problem.*threshold=None"):
        AugmentedClassifier(augmenter=tiny_augmenter(), threshold=0.5).fit(X, y)


def test_without_scores_there_is_no_threshold_to_tune():
    class Votes(LogisticRegression):
        """A classifier with predict only."""

        predict_proba = property(lambda self: (_ for _ in ()).throw(AttributeError))
        decision_function = predict_proba

    clf = AugmentedClassifier(augmenter=QUICK,
                              classifier=Votes(), random_state=0).fit(X2, y2)
    assert clf.threshold_ is None


@pytest.mark.parametrize("cv, tuned_", [(2, False), (3, True)])
def test_too_few_rows_of_a_class_for_the_folds_leave_the_threshold_untuned(cv, tuned_):
    # Three rows of the rare class: two folds would leave one in a training part.
    keep = np.r_[np.flatnonzero(y2 == 0), np.flatnonzero(y2 == 1)[:3]]
    clf = AugmentedClassifier(augmenter=QUICK, classifier=LogisticRegression(),
                              cv=cv, random_state=0).fit(X2[keep], y2[keep])
    assert (clf.threshold_ is not None) == tuned_


def test_score_is_the_metric_it_is_tuned_for():

    clf = AugmentedClassifier(augmenter=QUICK,
                              classifier=LogisticRegression(), scoring="f1_macro",
                              random_state=0).fit(X2, y2)
    assert clf.score(X2, y2) == f1_score(y2, clf.predict(X2), average="macro")


# ------------------------------------------------------- sample weights
def test_real_rows_keep_their_weights_and_generated_rows_get_their_class_mean():
    weights = np.where(y2 == 1, 3.0, 1.0) * np.linspace(0.5, 1.5, len(y2))
    seen = {}

    class Spy(LogisticRegression):
        def fit(self, X, y, sample_weight=None):
            seen["weights"], seen["y"] = sample_weight, y
            return super().fit(X, y, sample_weight=sample_weight)

    clf = AugmentedClassifier(augmenter=QUICK,
                              classifier=Spy(), threshold=None, random_state=0)
    clf.fit(X2, y2, sample_weight=weights)
    np.testing.assert_array_equal(seen["weights"][:len(y2)], weights)
    generated = seen["weights"][len(y2):]
    assert len(generated) == clf.n_generated_ > 0
    np.testing.assert_allclose(generated, weights[y2 == 1].mean())
    # With the threshold tuned, the folds' fits and scores are weighted too.
    tuned_fit = AugmentedClassifier(augmenter=QUICK,
                                    classifier=LogisticRegression(), random_state=0)
    tuned_fit.fit(X2, y2, sample_weight=weights)
    assert tuned_fit.threshold_ != AugmentedClassifier(
        classifier=LogisticRegression(), random_state=0).fit(X2, y2).threshold_


def test_weights_for_a_classifier_without_them_are_an_error():
    from sklearn.neighbors import KNeighborsClassifier

    with pytest.raises(TypeError, match="does not take sample_weight"):
        AugmentedClassifier(augmenter=QUICK,
                            classifier=KNeighborsClassifier(), threshold=None).fit(
            X2, y2, sample_weight=np.ones(len(y2)))


def test_metadata_reaches_the_augmenters_oracle_with_routing():
    from sklearn import config_context

    seen = {}

    class Oracle(LogisticRegression):
        def fit(self, X, y, groups=None):
            seen["groups"] = groups
            return super().fit(X, y)

    groups = np.arange(len(y2)) % 4
    with config_context(enable_metadata_routing=True):
        oracle = Oracle().set_fit_request(groups=True)
        clf = AugmentedClassifier(
            augmenter=ActiveGANAugmenter(oracle=oracle, max_iter=6),
            classifier=LogisticRegression(), threshold=None, random_state=0)
        clf.fit(X2, y2, groups=groups)
    np.testing.assert_array_equal(seen["groups"], groups)


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
