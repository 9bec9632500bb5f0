"""Parts given as shorthands, and grid-search keys that reach them.

An estimator of this library composes parts (a generator, a filter, a reward
estimator, a classifier) and accepts a shorthand for each: a string such as
``"auto"`` or ``None`` for the default.  scikit-learn's ``set_params`` reaches a
part's own settings through ``__`` (``generator__k_neighbors``) only when the part
is an object, so the mixin below first puts the object that the shorthand stands
for in its place.  That is what makes such keys work in a grid search at the
defaults.
"""

__all__ = ["PartsMixin"]


class PartsMixin:
    """``set_params`` that turns a shorthand part into its object on a nested key.

    A class lists its parts in ``_parts``: ``{name: method_name}``, where the method
    takes the shorthand (a string or None) and returns the part it stands for, or
    None when it stands for no part (then scikit-learn's error about the nested key
    stands).
    """

    _parts = {}

    def set_params(self, **params):
        """Set parameters; a nested key of a part given as a shorthand sets it on
        the part that the shorthand stands for.

        Parameters
        ----------
        **params : dict
            Parameter names, nested ones with ``__``, and their values.

        Returns
        -------
        self : estimator
        """
        for name, method in self._parts.items():
            nested = any(key.startswith(f"{name}__") for key in params)
            value = params.get(name, getattr(self, name))
            if nested and not hasattr(value, "set_params"):
                part = getattr(self, method)(value)
                if part is not None:
                    params = {**params, name: part}
        return super().set_params(**params)
