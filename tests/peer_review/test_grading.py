"""Grades from peer reviews: ORA2's median, the mean, and the calibrated model (Piech et al.
2013, PG1) that corrects for harsh, lenient and careless reviewers."""
import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest

from xblocks.peer_review.grading import (
    MIN_REVIEWERS,
    MIN_REVIEWS_PER_REVIEWER,
    calibration_ready,
    estimate_scores,
    graded_estimates,
    within_reviews,
)


def rmse(truth, estimates):
    return math.sqrt(sum((estimates[u] - truth[u]) ** 2 for u in truth) / len(truth))


def course(seed, n=300, k=5, bias_sd=5.0, flat_share=0.0):
    """A small synthetic course like the benchmark's: each learner submits once and reviews k
    peers (k rounds of a shifted random order: exactly k given and k received, never one's own),
    true scores N(75, 12²), bias N(0, bias_sd²), noise N(0, 1/tau) with tau ~ Gamma(2, rate 80),
    points clipped to 0..100; `flat_share` of the reviewers give everything 75 ± 1."""
    rng = random.Random(seed)
    truth = {f"s{u}": min(100.0, max(0.0, rng.gauss(75, 12))) for u in range(n)}
    bias = [rng.gauss(0, bias_sd) for _ in range(n)]
    noise = [1 / math.sqrt(rng.gammavariate(2, 1 / 80)) for _ in range(n)]
    flat = set(rng.sample(range(n), int(n * flat_share)))
    order = list(range(n))
    reviews = []
    for shift in range(1, k + 1):
        rng.shuffle(order)
        for position, v in enumerate(order):
            u = order[(position + shift) % n]  # shift < n: never one's own
            points = rng.gauss(75, 1) if v in flat else truth[f"s{u}"] + bias[v] + rng.gauss(0, noise[v])
            reviews.append((f"r{v}", f"s{u}", min(100.0, max(0.0, points))))
    return truth, reviews


# Median and mean ----------------------------------------------------------------------------------

def test_median_is_oras_median_and_mean_the_plain_average():
    reviews = [("ann", "a", 70), ("bob", "a", 90), ("cid", "a", 80),
               ("ann", "b", 60), ("bob", "b", 100),
               ("ann", "c", 10), ("bob", "c", 20), ("cid", "c", 90),
               ("dan", "d", 55)]
    assert estimate_scores(reviews, "median") == {"a": 80.0, "b": 80.0, "c": 20.0, "d": 55.0}
    assert estimate_scores(reviews, "mean") == {"a": 80.0, "b": 80.0, "c": 40.0, "d": 55.0}


# Deterministic ------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["median", "mean", "calibrated"])
def test_same_reviews_in_any_order_give_exactly_the_same_grades(method):
    _truth, reviews = course(seed=7, n=60, k=3)
    first = estimate_scores(reviews, method)
    shuffled = list(reviews)
    random.Random(1).shuffle(shuffled)
    assert estimate_scores(iter(shuffled), method) == first
    assert estimate_scores(reviews, method) == first
    assert set(first) == {submission for _r, submission, _p in reviews}


def test_training_reviews_in_any_order_give_exactly_the_same_grades():
    _truth, reviews = course(seed=8, n=60, k=3)
    training = [(f"r{v}", f"ex{e}", 50 + 10 * e + v % 7 - 3, 50 + 10 * e) for v in range(60) for e in range(3)]
    first = estimate_scores(reviews, "calibrated", training=training)
    assert estimate_scores(reversed(reviews), "calibrated", training=reversed(training)) == first


# Calibrated: what a course team would notice -------------------------------------------------------

def test_a_reviewer_who_is_ten_points_harsh_no_longer_costs_their_peers_five_points():
    # 40 submissions, two reviews each; "harsh" reviews eight of them 10 points low, next to
    # a fair reviewer each time; ten fair reviewers (give or take a point) do the rest.
    rng = random.Random(3)
    truth = {f"s{u}": round(rng.uniform(50, 95)) for u in range(40)}
    pairs = [("harsh", f"s{u}") for u in range(8)] + [(f"fair{u}", f"s{u}") for u in range(8)]
    for u in range(8, 40):
        first, second = u % 10, (u * 3 + 1) % 10
        pairs += [(f"fair{first}", f"s{u}"), (f"fair{second if second != first else (first + 1) % 10}", f"s{u}")]
    wobble = [0.5, -1.0, 0.0, 1.0, -0.5]
    reviews = [(r, s, truth[s] - (10 if r == "harsh" else 0) + wobble[i % 5]) for i, (r, s) in enumerate(pairs)]
    median = estimate_scores(reviews, "median")
    calibrated = estimate_scores(reviews, "calibrated")
    for submission in [f"s{u}" for u in range(8)]:  # median = mean: half the bias
        assert truth[submission] - median[submission] > 4
        assert abs(calibrated[submission] - truth[submission]) < 1.5, (submission, calibrated[submission])
    for submission in [f"s{u}" for u in range(8, 40)]:  # the fair reviewers' grades stay (about) where they were
        assert abs(calibrated[submission] - truth[submission]) < 1.5


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_calibrated_grades_are_clearly_closer_to_the_truth_than_the_median(seed):
    truth, reviews = course(seed)
    median, calibrated = estimate_scores(reviews, "median"), estimate_scores(reviews, "calibrated")
    assert rmse(truth, calibrated) < 0.85 * rmse(truth, median)
    within = sum(abs(calibrated[u] - truth[u]) <= 5 for u in truth), sum(abs(median[u] - truth[u]) <= 5 for u in truth)
    assert within[0] > within[1]  # more learners get a grade within 5 points of what they deserve


@pytest.mark.parametrize("seed", [1, 2])
def test_calibration_does_no_harm_when_reviewers_have_no_bias(seed):
    truth, reviews = course(seed, k=3, bias_sd=0.0)
    assert rmse(truth, estimate_scores(reviews, "calibrated")) <= rmse(truth, estimate_scores(reviews, "median"))


@pytest.mark.parametrize("seed", [1, 2])
def test_calibration_does_no_harm_when_a_fifth_of_reviewers_give_everyone_the_same(seed):
    truth, reviews = course(seed, k=3, flat_share=0.2)
    assert rmse(truth, estimate_scores(reviews, "calibrated")) <= rmse(truth, estimate_scores(reviews, "median"))


def test_training_examples_reveal_a_bias_every_reviewer_shares():
    # Everyone is 10 points harsh: reviews alone cannot tell (bias is relative to the others),
    # the staff-scored training examples can.
    truth, reviews = course(seed=4, n=100, k=3, bias_sd=0.0)
    harsh = [(r, s, p - 10) for r, s, p in reviews]
    examples = {"ex1": 55, "ex2": 70, "ex3": 88}
    training = [(f"r{v}", ex, true - 10 + (v % 3 - 1), true) for v in range(100) for ex, true in examples.items()]
    without = estimate_scores(harsh, "calibrated")
    with_training = estimate_scores(harsh, "calibrated", training=training)
    assert sum(truth[u] - without[u] for u in truth) / len(truth) > 8
    assert abs(sum(truth[u] - with_training[u] for u in truth) / len(truth)) < 2
    assert rmse(truth, with_training) < rmse(truth, without) - 5
    assert set(with_training) == set(truth)  # examples are never graded


def test_training_examples_pin_one_biased_reviewers_bias():
    truth, reviews = course(seed=5, n=150, k=3)
    # r0 turns very lenient: 20 points above the truth on what they reviewed.
    reviews = [(r, s, min(100.0, truth[s] + 20)) if r == "r0" else (r, s, p) for r, s, p in reviews]
    theirs = sorted({s for r, s, _p in reviews if r == "r0"})
    training = [("r0", "ex1", 70, 50), ("r0", "ex2", 80, 60), ("r0", "ex3", 95, 75)]

    def error(estimates):
        return sum(abs(estimates[s] - truth[s]) for s in theirs)

    without = estimate_scores(reviews, "calibrated")
    with_training = estimate_scores(reviews, "calibrated", training=training)
    assert error(with_training) < error(without)
    assert error(with_training) < error(estimate_scores(reviews, "median"))


# Edge cases ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["median", "mean", "calibrated"])
def test_no_reviews_no_grades(method):
    assert estimate_scores([], method) == {}


def test_everyone_giving_the_same_points_gives_exactly_those_points():
    reviews = [(f"r{v}", f"s{(v + j) % 8}", 7) for v in range(8) for j in (1, 2, 3)]
    assert estimate_scores(reviews, "calibrated") == {f"s{u}": 7.0 for u in range(8)}


def test_a_single_review_is_the_grade():
    assert estimate_scores([("ann", "s1", 42)], "calibrated") == {"s1": 42.0}


def test_one_reviewer_for_everything_cannot_be_second_guessed():
    # Nobody to compare with: their points are the grades (no shrinking towards the mean).
    reviews = [("ann", "s1", 40), ("ann", "s2", 90), ("ann", "s3", 65)]
    grades = estimate_scores(reviews, "calibrated")
    assert grades == pytest.approx({"s1": 40, "s2": 90, "s3": 65}, abs=0.01)


def test_reviewers_with_one_review_and_submissions_with_one_review_get_sane_grades():
    reviews = [("ann", "s1", 80), ("bob", "s1", 84), ("cid", "s2", 60), ("ann", "s2", 64),
               ("dan", "s3", 70),                                # s3: one review, dan: one review
               ("bob", "s4", 90), ("cid", "s4", 88)]
    grades = estimate_scores(reviews, "calibrated")
    assert set(grades) == {"s1", "s2", "s3", "s4"}
    assert all(math.isfinite(g) and 60 <= g <= 90 for g in grades.values())
    assert grades["s1"] > grades["s3"] > grades["s2"]
    assert grades["s4"] > grades["s1"]


def test_grades_never_leave_the_range_of_the_points_given():
    reviews = [("ann", "s1", 100), ("bob", "s1", 100), ("cid", "s2", 0), ("ann", "s2", 0),
               ("bob", "s3", 100), ("cid", "s3", 0)]
    grades = estimate_scores(reviews, "calibrated")
    assert all(0 <= g <= 100 for g in grades.values())


def test_ids_of_any_type_and_examples_named_like_submissions():
    reviews = [(1, "s1", 80), ("2", "s1", 82), (1, 5, 60), ("2", 5, 62)]
    training = [(1, "s1", 40, 40)]  # an example called "s1" is not the submission "s1"
    grades = estimate_scores(reviews, "calibrated", training=training)
    assert set(grades) == {"s1", 5}
    assert grades["s1"] > 75 and grades[5] < 67


def test_a_reviewer_seen_only_in_training_changes_nothing_it_should_not():
    reviews = [("ann", "s1", 80), ("bob", "s1", 82), ("ann", "s2", 60), ("bob", "s2", 62)]
    plain = estimate_scores(reviews, "calibrated")
    extra = estimate_scores(reviews, "calibrated", training=[("zoe", "ex", 10, 90)])
    assert extra == pytest.approx(plain, abs=0.5)


@pytest.mark.parametrize("method", ["median", "mean", "calibrated"])
@pytest.mark.parametrize("points", [float("nan"), float("inf"), "80", None, True])
def test_points_that_are_not_finite_numbers_are_refused(method, points):
    with pytest.raises(ValueError):
        estimate_scores([("ann", "s1", 80), ("bob", "s1", points)], method)


@pytest.mark.parametrize("method", ["median", "mean", "calibrated"])
def test_points_from_a_decimal_column_are_numbers(method):
    reviews = [("ann", "s1", Decimal("80.5")), ("bob", "s1", Fraction(161, 2)), ("cid", "s1", 80.5)]
    assert estimate_scores(reviews, method) == {"s1": pytest.approx(80.5)}


def test_training_true_points_must_be_numbers_too():
    with pytest.raises(ValueError):
        estimate_scores([("ann", "s1", 80)], "calibrated", training=[("ann", "ex", 50, float("nan"))])


@pytest.mark.parametrize("method", ["staff", "", "MEDIAN", None])
def test_an_unknown_method_is_refused(method):
    with pytest.raises(ValueError, match="unknown grading method"):
        estimate_scores([("ann", "s1", 80)], method)


# When calibration is trusted ---------------------------------------------------------------------

ISSUE = [(reviewer, submission, points) for reviewer, points in (("a", 0), ("b", 4), ("c", 10))
         for submission in ("sa", "sb", "sc") if submission != "s" + reviewer]


def test_the_rule_asks_for_5_reviewers_with_3_reviews_each():
    assert (MIN_REVIEWERS, MIN_REVIEWS_PER_REVIEWER) == (5, 3)


def test_the_issues_three_learners_are_not_calibrated_and_get_their_median():
    # Always 0, 4 and 10 points: calibration takes it all for bias and gives everyone 4.67.
    assert estimate_scores(ISSUE, "calibrated") == pytest.approx({"sa": 4.67, "sb": 4.67, "sc": 4.67}, abs=0.01)
    assert not any(calibration_ready(ISSUE, submission) for submission in ("sa", "sb", "sc"))
    assert graded_estimates(ISSUE) == {"sa": ("median", 7.0), "sb": ("median", 5.0), "sc": ("median", 2.0)}


def shifted(n, k):
    """Learner v reviews the k next learners' submissions (a ring): k reviews given and received."""
    return [(f"r{v}", f"s{(v + shift) % n}", 50 + v + shift) for v in range(n) for shift in range(1, k + 1)]


def test_enough_reviewers_with_enough_reviews_each_are_calibrated():
    assert all(calibration_ready(shifted(10, 3), f"s{u}") for u in range(10))
    assert not calibration_ready(shifted(4, 3), "s0")          # 4 reviewers only
    assert not calibration_ready(shifted(10, 2), "s0")         # 2 reviews behind each bias
    assert {method for method, _points in graded_estimates(shifted(30, 3)).values()} == {"calibrated"}
    assert {method for method, _points in graded_estimates(shifted(30, 2)).values()} == {"median"}


def test_training_answers_count_towards_a_reviewers_reviews():
    reviews = shifted(10, 2)
    reviewers = {reviewer for reviewer, submission, _points in reviews if submission == "s0"}
    training = [(reviewer, "ex1", 60, 60) for reviewer in reviewers]
    assert calibration_ready(reviews, "s0", training)


def test_a_reviewer_who_shares_no_submission_with_anyone_is_not_calibrated():
    # s0's reviewer "solo" reviewed two more submissions nobody else reviewed.
    reviews = shifted(10, 3) + [("solo", "s0", 70), ("solo", "x1", 60), ("solo", "x2", 65)]
    assert not calibration_ready(reviews, "s0")
    assert calibration_ready(reviews, "s0", [("solo", "ex", 60, 62)])


def test_a_calibrated_estimate_stays_within_the_submissions_reviews():
    assert within_reviews(4.67, [0, 4]) == 4
    assert within_reviews(-1.0, [0, 4]) == 0
    assert within_reviews(2.5, [0, 4]) == 2.5
    truth, reviews = course(3, n=200, k=3)
    grades = graded_estimates(reviews)
    received = {}
    for _reviewer, submission, points in reviews:
        received.setdefault(submission, []).append(points)
    assert all(min(received[u]) <= points <= max(received[u]) for u, (_m, points) in grades.items())
