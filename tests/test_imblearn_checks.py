"""imbalanced-learn's (and through it scikit-learn's) common checks on the samplers."""

import pytest
from imblearn.utils.estimator_checks import parametrize_with_checks
from sklearn.linear_model import LogisticRegression

from skactivegan import ActiveGANAugmenter, MarginFilter
from skactivegan.generators import MLPGenerator
from skactivegan.reward import MixtureReward

# Tiny networks and a 20-iteration fit with the default filter: the counts that
# the checks ask for come back exactly, the filling rows included.  After so few
# iterations some classes' candidates rarely pass the filter's label check, and the
# GenerationBudgetWarning that says so is expected (tests/test_generation.py checks
# it); here the counts are what is checked.
pytestmark = pytest.mark.filterwarnings(
    "ignore::skactivegan.exceptions.GenerationBudgetWarning"
)
FAST = dict(max_iter=20, warmup_iter=10)
TINY_MLP = MLPGenerator(hidden_layer_sizes=(16,), latent_dim=4, batch_size=16,
                        reward=MixtureReward(n_components=2, buffer_batches=2))

SPARSE = (
    "Sparse input is refused with a TypeError: the networks generate dense rows and "
    "the encoder standardises columns."
)
USER_ORACLE = {
    "check_samplers_string": (
        "a user's oracle is given rows in the caller's own format, and "
        "LogisticRegression takes numbers only (the default oracle encodes text)"
    )
}
EXPECTED_FAILURES = {
    "ActiveGANAugmenter": {"check_samplers_pandas_sparse": SPARSE},
    "MarginFilter": {"check_samplers_pandas_sparse": SPARSE},
}


def parametrize_checks(estimators, **kwargs):
    """imbalanced-learn's ``parametrize_with_checks``, with its cases as a list.

    imbalanced-learn 0.14 hands pytest a generator of cases, which pytest 9.2
    deprecates (``PytestRemovedIn10Warning``); a list is what pytest asks for.
    """
    mark = parametrize_with_checks(estimators, **kwargs).mark
    argnames, argvalues = mark.args
    return pytest.mark.parametrize(argnames, list(argvalues), **mark.kwargs)


@parametrize_checks(
    [
        ActiveGANAugmenter(**FAST, random_state=0, oracle=LogisticRegression()),
        ActiveGANAugmenter(**FAST, random_state=0),
        # The paper's free generator with the label-checking filter: the counts are
        # filled when too few candidates pass.
        ActiveGANAugmenter(**FAST, random_state=0, generator=TINY_MLP, filter="margin"),
        # The checks' data are well separated: no row has a margin under 0.2.
        MarginFilter(threshold=1.0, random_state=0),
    ],
    expected_failed_checks=lambda estimator: {
        **EXPECTED_FAILURES.get(type(estimator).__name__, {}),
        **(USER_ORACLE if getattr(estimator, "oracle", None) is not None else {}),
    },
)
def test_imblearn_compatible_sampler(estimator, check):
    check(estimator)
