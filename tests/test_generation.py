"""Rank-aware generation with a fake generator and a fake filter."""

import numpy as np
import pandas as pd
import pytest

from skactivegan._generation import _BUDGET_POOLS, budget_message, generate_ranked


def draw(y_index, seed):
    """Rows (label, margin-to-be, seed) so that the judge can read them back."""
    rng = np.random.default_rng(seed)
    return np.column_stack([y_index, rng.random(len(y_index)), np.full(len(y_index), seed)])


def judge_rate(rate):
    """A filter that passes about ``rate`` of the rows; margin = the row's draw."""
    def judge(rows, y_index):
        margin = rows[:, 1]
        agree = margin < 0.9
        return (margin < rate) & agree, margin, agree
    return judge


def test_without_a_filter_the_first_candidates_come_back():
    rows, y, report = generate_ranked(np.array([3, 0, 2]), draw, None,
                                      candidates_per_row=10, seed=0)
    assert y.tolist() == [0, 0, 0, 2, 2]
    assert report.candidates.tolist() == [3, 0, 2] and not report.short
    np.testing.assert_array_equal(rows[:, 0], y)



def test_without_a_filter_the_rows_drawn_come_back_in_order_over_several_rounds(
        monkeypatch):
    monkeypatch.setattr("skactivegan._generation._ROUND", 4)
    drawn = []

    def recording(y_index, seed):
        drawn.append(draw(y_index, seed))
        return drawn[-1]

    rows, y, _ = generate_ranked(np.array([5, 0, 6]), recording, None,
                                 candidates_per_row=10, seed=0)
    assert len(drawn) == 3
    np.testing.assert_array_equal(rows, np.concatenate(drawn))
    assert y.tolist() == [0] * 5 + [2] * 6

def test_the_most_uncertain_passing_candidates_come_back_in_order():
    rows, y, report = generate_ranked(np.array([5, 5]), draw, judge_rate(0.5),
                                      candidates_per_row=10, seed=1)
    assert np.bincount(y).tolist() == [5, 5]
    assert report.candidates.tolist() == [50, 50]
    for k in (0, 1):
        kept = report.kept_margins[y == k]
        assert (np.diff(kept) >= 0).all()  # most uncertain first
        assert kept.max() < 0.5
    np.testing.assert_array_equal(rows[:, 1], report.kept_margins)


def test_rare_passes_get_further_rounds_within_the_budget():
    counts = np.array([4, 4])
    _, y, report = generate_ranked(counts, draw, judge_rate(0.01),
                                   candidates_per_row=10, seed=2)
    assert (report.candidates > 40).all()  # more than the first pool
    assert (report.candidates <= _BUDGET_POOLS * 10 * counts).all()
    assert len(y) == 8 and not report.short


def test_an_unreachable_filter_spends_the_budget_then_fills_with_the_best_of_the_rest():
    counts = np.array([3, 2])
    rows, y, report = generate_ranked(counts, draw, judge_rate(0.0),
                                      candidates_per_row=2, seed=3)
    # Every row asked for comes back: none passed, so all are filling rows.
    assert np.bincount(y).tolist() == [3, 2] and report.short
    assert report.kept.tolist() == [3, 2] and report.filled.tolist() == [3, 2]
    assert report.candidates.tolist() == [_BUDGET_POOLS * 2 * 3, _BUDGET_POOLS * 2 * 2]
    assert (report.smallest_margins < 0.1).all()  # the best seen, for the message
    # The best of the rest: the label-consistent candidates with the smallest margins
    # of all those generated.
    for k in (0, 1):
        kept = report.kept_margins[y == k]
        assert (np.diff(kept) >= 0).all() and kept[0] == report.smallest_margins[k]
    np.testing.assert_array_equal(rows[:, 1], report.kept_margins)
    message = budget_message(report, np.array(["a", "b"]), "MarginFilter(threshold=0.0)")
    assert "Only 0 of the 5" in message and "class 'a': 0 of 3" in message
    assert "The other 5 rows are the candidates closest to passing" in message


def test_without_fill_an_unreachable_filter_returns_what_passed():
    rows, y, report = generate_ranked(np.array([3, 2]), draw, judge_rate(0.0),
                                      candidates_per_row=2, seed=3, fill=False)
    assert len(y) == 0 and report.short and rows.shape == (0, 3)
    message = budget_message(report, np.array(["a", "b"]), "MarginFilter(threshold=0.0)")
    assert "Fewer rows than asked for are returned" in message


def test_filling_prefers_label_consistent_rows():
    def judge(rows, y_index):  # nothing passes; rows with margin >= 0.5 disagree
        margin = rows[:, 1]
        agree = margin < 0.5
        return np.zeros(len(rows), bool), margin, agree

    _, y, report = generate_ranked(np.array([30]), draw, judge, candidates_per_row=1,
                                   seed=5)
    assert len(y) == 30
    consistent = report.kept_margins < 0.5
    # consistent rows first (all of them), then the others by margin
    n = consistent.sum()
    assert consistent[:n].all() and not consistent[n:].any()


def test_one_candidate_per_row_without_fill_is_the_papers_generate_and_keep():
    _, y, report = generate_ranked(np.array([50]), draw, judge_rate(0.3),
                                   candidates_per_row=1, seed=4, fill=False)
    assert report.candidates.tolist() == [50]
    assert 0 < len(y) < 50 and report.short


def test_same_seed_same_rows_and_dataframes_work():
    def frame_draw(y_index, seed):
        return pd.DataFrame(draw(y_index, seed), columns=["label", "margin", "seed"])

    def frame_judge(rows, y_index):
        return judge_rate(0.5)(rows.to_numpy(), y_index)

    a = generate_ranked(np.array([4, 4]), frame_draw, frame_judge, candidates_per_row=5,
                        seed=7)[0]
    b = generate_ranked(np.array([4, 4]), frame_draw, frame_judge, candidates_per_row=5,
                        seed=7)[0]
    assert isinstance(a, pd.DataFrame) and list(a.index) == list(range(8))
    pd.testing.assert_frame_equal(a, b)
    c = generate_ranked(np.array([4, 4]), frame_draw, frame_judge, candidates_per_row=5,
                        seed=8)[0]
    assert not a.equals(c)


@pytest.mark.parametrize("per_row", [1, 3.5])
def test_counts_of_zero_generate_nothing(per_row):
    rows, y, report = generate_ranked(np.array([0, 0]), draw, judge_rate(0.5),
                                      candidates_per_row=per_row, seed=0)
    assert rows is None and len(y) == 0 and report.candidates.sum() == 0
