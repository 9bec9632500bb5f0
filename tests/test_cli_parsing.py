"""The readers of command-line values shared by the command lines."""

import argparse
import doctest

import pytest

from skactivegan import _cli_parsing
from skactivegan._cli_parsing import (
    boolean,
    count_or_fraction,
    delimiter,
    listed,
    or_auto,
    or_none,
)


def test_docstring_examples():
    result = doctest.testmod(_cli_parsing)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("text, value", [
    ("true", True), ("Yes", True), ("ON", True), ("1", True),
    ("false", False), ("no", False), ("Off", False), ("0", False),
])
def test_boolean(text, value):
    assert boolean(text) is value


def test_boolean_refuses_other_words():
    with pytest.raises(argparse.ArgumentTypeError, match="expected true or false, got "
                                                         "'maybe'"):
        boolean("maybe")


def test_listed():
    assert listed()("8,4") == (8, 4)
    assert listed()(" 8 , 4 ,") == (8, 4)
    assert listed()("") == ()
    assert listed(float, what="numbers")("0.1,1e-2") == (0.1, 0.01)
    assert listed(str)("a, b") == ("a", "b")
    with pytest.raises(argparse.ArgumentTypeError,
                       match="expected comma-separated integers such as 128,128; "
                             "got '8,x'"):
        listed()("8,x")


@pytest.mark.parametrize("text, value, kind", [
    ("500", 500, int), ("-3", -3, int), ("0.5", 0.5, float), ("1.0", 1.0, float),
    (".25", 0.25, float), ("1e-1", 0.1, float),
])
def test_count_or_fraction_keeps_the_type_written(text, value, kind):
    parsed = count_or_fraction(text)
    assert parsed == value and type(parsed) is kind


def test_count_or_fraction_refuses_words():
    with pytest.raises(argparse.ArgumentTypeError, match="integer count or a fraction"):
        count_or_fraction("half")


def test_or_auto_and_the_max_iter_option():
    assert or_auto(int)(" Auto ") == "auto"
    assert or_auto(int)("300") == 300
    with pytest.raises(ValueError):
        or_auto(int)("many")
    from skactivegan import cli

    parser = cli.build_parser()
    args = parser.parse_args(["augment", "in.csv", "--target", "y", "--output",
                              "out.csv", "--max-iter", "auto"])
    assert args.augmenter__max_iter == "auto"


def test_or_none():
    assert or_none(int)("none") is None
    assert or_none(int)("NONE") is None
    assert or_none(int)("7") == 7
    assert or_none(listed())("1,2") == (1, 2)


@pytest.mark.parametrize("text, value", [
    (",", ","), (";", ";"), ("tab", "\t"), ("\\t", "\t"), ("\t", "\t"),
    ("semicolon", ";"), ("|", "|"),
])
def test_delimiter(text, value):
    assert delimiter(text) == value


def test_delimiter_is_one_character():
    with pytest.raises(argparse.ArgumentTypeError, match="one character"):
        delimiter(";;")
