"""The private scikit-learn names the library relies on, in one place.

scikit-learn has no public way for a third-party estimator to declare the
constraints of its parameters, or to validate them once at the start of ``fit``
while letting nested estimators validate theirs; imbalanced-learn's own samplers
use these same names.  Every module of the package imports them from here, and
``tests/test_compat.py`` fails loudly, naming the name, when a scikit-learn release
moves one or changes what the library needs of it.
"""

from sklearn.base import _fit_context
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

__all__ = ["HasMethods", "Interval", "StrOptions", "fit_context", "validate_params"]

#: ``fit_context(prefer_skip_nested_validation=...)``: the decorator that validates
#: an estimator's parameters before ``fit`` runs (scikit-learn's ``_fit_context``).
fit_context = _fit_context


def validate_params(estimator):
    """Validate the parameters of ``estimator`` and of every estimator nested in it.

    Only estimators that declare constraints (scikit-learn's own, and the parts of
    this library) are checked, each against its ``_parameter_constraints``: so that
    a bad value of a user's oracle (a step of its pipeline included) is an error
    before anything is trained, whichever validation scikit-learn's configuration
    would skip later.

    Parameters
    ----------
    estimator : object
    """
    if estimator is None or not hasattr(estimator, "get_params"):
        return
    nested = [value for value in estimator.get_params(deep=True).values()
              if hasattr(value, "get_params")]
    for part in (estimator, *nested):
        if hasattr(part, "_parameter_constraints") and hasattr(
                part, "_validate_params"):
            part._validate_params()
