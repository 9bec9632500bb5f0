"""Readers of command-line values, shared by the ``skactivegan`` command lines.

Each function turns the text of one option into a Python value and raises
``argparse.ArgumentTypeError`` (argparse prints it as a usage error) when the text
does not fit.  No estimator knowledge lives here: what a value means, and whether
it is in range, is the estimator's business.
"""

import argparse

__all__ = ["boolean", "count_or_fraction", "delimiter", "listed", "or_auto", "or_none"]

_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def boolean(text):
    """``true``/``false`` (also yes/no, on/off, 1/0, any case) as a bool.

    >>> boolean("Yes"), boolean("off")
    (True, False)
    """
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def listed(item=int, *, what="integers", example="128,128"):
    """A reader of comma-separated values, each read by ``item``, as a tuple.

    Parameters
    ----------
    item : callable, default=int
        Reads one value (``int``, ``float``, ``str`` ...).
    what, example : str
        Words of the error message: "expected comma-separated {what} such as
        {example}".

    Returns
    -------
    parse : callable
        ``parse("128,64")`` is ``(128, 64)``; empty parts are skipped, so ``""`` is
        ``()``.

    >>> listed()("128, 64")
    (128, 64)
    >>> listed(float, what="numbers")("0.1,0.2")
    (0.1, 0.2)
    """

    def parse(text):
        try:
            return tuple(item(part.strip()) for part in text.split(",") if part.strip())
        except (ValueError, argparse.ArgumentTypeError):
            raise argparse.ArgumentTypeError(
                f"expected comma-separated {what} such as {example}; got {text!r}"
            ) from None

    parse.__name__ = f"list of {what}"
    return parse


def count_or_fraction(text):
    """An int when written without a "." ("500"), else a float ("0.5", "1e-1").

    The estimators give the two types their meaning (a count of rows or
    iterations, or a fraction); this only keeps the distinction the user wrote.

    >>> count_or_fraction("500"), count_or_fraction("0.5"), count_or_fraction("1.0")
    (500, 0.5, 1.0)
    """
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected an integer count or a fraction such as 0.5, got {text!r}"
        ) from None


def or_none(kind):
    """A reader like ``kind`` that also reads ``none`` (any case) as None.

    >>> or_none(int)("None"), or_none(int)("3")
    (None, 3)
    """

    def parse(text):
        return None if text.strip().lower() == "none" else kind(text)

    parse.__name__ = getattr(kind, "__name__", "value")
    return parse


def or_auto(kind):
    """A reader like ``kind`` that also reads ``auto`` (any case) as "auto".

    >>> or_auto(int)("Auto"), or_auto(int)("300")
    ('auto', 300)
    """

    def parse(text):
        return "auto" if text.strip().lower() == "auto" else kind(text)

    parse.__name__ = getattr(kind, "__name__", "value")
    return parse


_DELIMITER_NAMES = {"\\t": "\t", "tab": "\t", "comma": ",", "semicolon": ";",
                    "space": " ", "pipe": "|"}


def delimiter(text):
    """One field-delimiter character; ``\\t`` or ``tab`` (also ``semicolon`` ...)
    name the invisible or awkward ones.

    >>> delimiter(";"), delimiter("tab"), delimiter(r"\\t")
    (';', '\\t', '\\t')
    """
    value = _DELIMITER_NAMES.get(text.lower(), text)
    if len(value) != 1:
        raise argparse.ArgumentTypeError(
            f"expected one character (or tab, \\t), got {text!r}"
        )
    return value
