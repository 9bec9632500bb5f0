"""Warnings issued by skactivegan."""

__all__ = ["GenerationBudgetWarning", "OracleFallbackWarning"]


class GenerationBudgetWarning(UserWarning):
    """Fewer generated rows passed the filter than were asked for.

    Issued by :class:`~skactivegan.ActiveGANAugmenter` when fewer of its
    filter's ``candidates_per_row`` candidates per row asked for pass it than rows
    were asked for (an absolute threshold that the generated rows do not reach).  The
    message says how many rows passed, the smallest margins seen and which parameter to
    change.
    """


class OracleFallbackWarning(UserWarning):
    """A calibrated SVM oracle could not be evaluated in torch during training.

    Training then calls its ``predict_proba`` on every generated batch (slower).  The
    fitted attribute
    ``oracle_backend_`` of :class:`~skactivegan.ActiveGANAugmenter` records the path
    taken.
    """
