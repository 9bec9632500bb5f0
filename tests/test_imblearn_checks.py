"""imbalanced-learn's (and through it scikit-learn's) common checks on the samplers."""

from imblearn.utils.estimator_checks import parametrize_with_checks
from sklearn.linear_model import LogisticRegression

from skactivegan import ActiveGANAugmenter, MarginFilter

# Tiny networks and few iterations: each fit takes a fraction of a second.  Such a
# generator makes few rows the oracle agrees with, so the checks run without the
# filter (tests/test_generation.py covers it).
FAST = dict(max_iter=12, warmup_iter=6, batch_size=16, hidden_layer_sizes=(16,),
            latent_dim=4, n_components=2, buffer_batches=2, filter=None)

SPARSE = (
    "Sparse input is refused with a TypeError: the networks generate dense rows and "
    "the encoder standardises columns."
)
EXPECTED_FAILURES = {
    "ActiveGANAugmenter": {
        "check_samplers_pandas_sparse": SPARSE,
        "check_samplers_string": "pending: text columns need the mixed-type encoder",
    },
    "MarginFilter": {"check_samplers_pandas_sparse": SPARSE},
}


@parametrize_with_checks(
    [
        ActiveGANAugmenter(**FAST, random_state=0, oracle=LogisticRegression()),
        ActiveGANAugmenter(**FAST, random_state=0),
        # The checks' data are well separated: no row has a margin under 0.2.
        MarginFilter(threshold=1.0, random_state=0),
    ],
    expected_failed_checks=lambda estimator: EXPECTED_FAILURES.get(
        type(estimator).__name__, {}
    ),
)
def test_imblearn_compatible_sampler(estimator, check):
    check(estimator)
