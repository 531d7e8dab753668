"""Turning peer reviews into one score per submission.

Three methods, all behind `estimate_scores`:

- "median": ORA2's rule (the median of the points a submission received). Robust to one
  careless reviewer, but blind to how harsh or careless each reviewer is.
- "mean": the plain average, kept as a baseline for the benchmark.
- "calibrated": model PG1 of Piech et al. 2013, "Tuned Models of Peer Assessment in MOOCs".
  Each reviewer has a bias (how much they over- or under-score) and a reliability (how
  consistent they are); both are estimated jointly with the true scores from all reviews of
  the course, so a harsh reviewer's low points are corrected upwards and a careless
  reviewer's points count for less. Reviews of staff-scored training examples, when there are
  any, are observations with a known true score: they pin a reviewer's bias and reliability.

Plain Python and the standard library only (no numpy: it is not among the dependencies of
Open edX XBlocks here). The calibrated fit of 100,000 submissions with 5 reviews each takes
seconds, not minutes: each sweep works on flat lists with map() and running totals (C loops),
never a Python-level loop or a dict look-up per review.

Everything is deterministic: the input is mapped to sorted indices and sorted before any
arithmetic, so the same reviews in any order give the same floats, and nothing is random.
"""
import math
import numbers
import statistics
from collections import Counter
from dataclasses import dataclass
from itertools import accumulate
from operator import mul, sub

METHODS = ("median", "mean", "calibrated")

# Fitting: stop when no estimated score moves by more than this share of the points' range in
# one sweep (0.01 points out of 100: the result is then within about 0.03 points of where more
# sweeps would take it), or after MAX_ITERATIONS sweeps (about 20 to 25 are needed).
TOLERANCE = 1e-4
MAX_ITERATIONS = 200
# Shape (alpha0) of the gamma prior on reliabilities: broad, so that a reviewer whose points are
# far off the others' after a handful of reviews counts clearly less, while one with two or three
# unremarkable reviews stays close to the course's typical reliability. (Estimating it by
# empirical Bayes was tried: mean-field posteriors look more alike than reviewers are, the
# estimate grew to 10-70 and calibration became little more than a plain mean.)
RELIABILITY_SHAPE = 2.0
# The prior on true scores is this much wider than the spread the reviews show (see _calibrated).
SCORE_PRIOR_WIDENING = 1.5


def estimate_scores(reviews, method, training=()):
    """Estimated points of every reviewed submission: `{submission_id: float}`.

    `reviews`: iterable of `(reviewer_id, submission_id, points)`. `method`: "median" (ORA2),
    "mean" or "calibrated" (see module docstring). `training`: iterable of
    `(reviewer_id, example_id, points, true_points)`, reviews of staff-scored training
    examples; only "calibrated" uses them (a learner's first attempt at each example is the
    one that says how they score; later attempts after seeing the answer say less). Example
    ids live apart from submission ids and are never in the result.

    Raises ValueError on an unknown method or points that are not finite numbers.
    """
    if method not in METHODS:
        raise ValueError(f"unknown grading method {method!r}: expected one of {', '.join(METHODS)}")
    reviews = [(reviewer, submission, _points(points)) for reviewer, submission, points in reviews]
    if method == "calibrated":
        training = [(reviewer, example, _points(points), _points(true_points))
                    for reviewer, example, points, true_points in training]
        return _calibrated(reviews, training)
    by_submission = {}
    for _reviewer, submission, points in reviews:
        by_submission.setdefault(submission, []).append(points)
    combine = statistics.median if method == "median" else math.fsum
    result = {}
    for submission, points in by_submission.items():
        points.sort()  # the order of the input never changes a float
        result[submission] = float(combine(points)) if method == "median" else combine(points) / len(points)
    return result


# When calibration is trustworthy (see calibration_ready). Evidence: benchmarks/peer_grading.py,
# "Small courses" (the main scenario's truth, bias and precision; each learner reviews the next k
# in a ring of random order; 200 seeds; calibrated over the whole course, which is the
# neighbourhood of a small course). Calibration's RMSE cut against the median: 3 or 4 learners
# with 2 reviews each +1%, 5 learners -0.5% (seed to seed, about as often worse as better; and a
# 3-learner course whose reviewers always give 0, 4 and 10 points is all bias: every grade 4.67);
# with 3 reviews each +8% from 4 to 5 learners, +14% at 10, +18% at 30, and 21% to 25% on the
# 1,000-learner courses. A block's neighbourhood with 2 reviews per learner holds at most 4
# reviewers, so 5 reviewers and 3 reviews behind each bias start calibration at the first
# course size and review count where it gains clearly (the rule keeps 100% of the 1,000-learner
# courses calibrated, with the same RMSE).
MIN_REVIEWERS = 5              # N: distinct reviewers in the neighbourhood calibrated over
MIN_REVIEWS_PER_REVIEWER = 3   # K: reviews (training answers included) behind each reviewer's bias


def calibration_ready(reviews, submission, training=()):
    """Whether a calibrated estimate of `submission` can be trusted, from the neighbourhood it
    is calibrated over (`reviews`: `(reviewer_id, submission_id, points)`, every review of the
    submissions its reviewers reviewed; `training`: `(reviewer_id, example_id, points,
    true_points)` of those reviewers). All of:

    - at least MIN_REVIEWERS (5) distinct reviewers in the neighbourhood;
    - each reviewer of the submission has at least MIN_REVIEWS_PER_REVIEWER (3) reviews there,
      training answers included (their bias is estimated from that many);
    - each reviewer of the submission is connected to others: they reviewed another submission
      that someone else reviewed too, or did the training (whose true scores anchor them).

    Below that the grade is the median's (workflow.grade says so to the learner). See the
    constants for the evidence."""
    reviews = list(reviews)
    training = list(training)
    own = {reviewer for reviewer, item, _points in reviews if item == submission}
    if not own or len({reviewer for reviewer, _item, _points in reviews}) < MIN_REVIEWERS:
        return False
    counts = Counter(reviewer for reviewer, _item, _points in reviews)
    counts.update(row[0] for row in training)
    if any(counts[reviewer] < MIN_REVIEWS_PER_REVIEWER for reviewer in own):
        return False
    reviewers_of = {}
    for reviewer, item, _points in reviews:
        reviewers_of.setdefault(item, set()).add(reviewer)
    shared = {reviewer for item, found in reviewers_of.items() if item != submission and len(found) > 1
              for reviewer in found}
    trained = {row[0] for row in training}
    return own <= shared | trained


def within_reviews(estimate, points):
    """`estimate` brought into the range of the points a submission received: a grade above the
    best review or below the worst would contradict every review the learner can read."""
    return min(max(estimate, min(points)), max(points))


def graded_estimates(reviews, training=()):
    """What the block grades, for a whole course at once (benchmarks): per submission, the
    calibrated estimate brought into the range of its own reviews when calibration_ready holds
    on its neighbourhood (every review of the submissions its reviewers reviewed), else its
    median. Returns `{submission_id: (method, points)}` with method "calibrated" or "median"."""
    reviews = [(reviewer, submission, _points(points)) for reviewer, submission, points in reviews]
    training = list(training)
    calibrated = estimate_scores(reviews, "calibrated", training=training)
    median = estimate_scores(reviews, "median")
    by_submission, by_reviewer, trained = {}, {}, {}
    for row in reviews:
        by_submission.setdefault(row[1], []).append(row)
        by_reviewer.setdefault(row[0], []).append(row[1])
    for row in training:
        trained.setdefault(row[0], []).append(row)
    result = {}
    for submission, own in by_submission.items():
        reviewers = {row[0] for row in own}
        items = {item for reviewer in reviewers for item in by_reviewer[reviewer]}
        neighbourhood = [row for item in items for row in by_submission[item]]
        answers = [row for reviewer in reviewers for row in trained.get(reviewer, ())]
        if calibration_ready(neighbourhood, submission, answers):
            result[submission] = ("calibrated", within_reviews(calibrated[submission], [row[2] for row in own]))
        else:
            result[submission] = ("median", median[submission])
    return result


def _points(value):
    """Points as a float (int, float, Decimal from a database column, Fraction); refuses what
    would silently poison every estimate (NaN, infinity, text, None, booleans)."""
    if isinstance(value, (bool, complex)) or not isinstance(value, numbers.Number):
        raise ValueError(f"points must be a number, not {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"points must be finite, not {value!r}")
    return value


def _sorted_ids(ids):
    """Ids in a stable order whatever their type (a course mixes nothing, but never crash)."""
    ids = set(ids)
    try:
        return sorted(ids)
    except TypeError:
        return sorted(ids, key=lambda item: (type(item).__name__, repr(item)))


def _segments(keys, count):
    """(starts, ends) of the runs of 0, 1, ..., count - 1 in sorted `keys` (each present)."""
    ends = list(accumulate(map(Counter(keys).__getitem__, range(count))))
    return [0] + ends[:-1], ends


def _pair_covariance(groups):
    """Mean of x_i * x_j over all pairs i < j within each group: an estimate of the variance
    of what the members of a group share (zero-mean noise averages out of the products).
    Returns None when no group has two members."""
    total = pairs = 0.0
    for values in groups:
        n = len(values)
        if n > 1:
            total += (math.fsum(values) ** 2 - math.fsum(x * x for x in values)) / 2.0
            pairs += n * (n - 1) / 2.0
    return total / pairs if pairs else None


def _calibrated(reviews, training):
    """PG1 fitted by mean-field variational coordinate ascent, priors estimated from the data.

    Model (Piech et al. 2013, PG1), for submission u and reviewer v:
        true score   s_u ~ N(mu0, 1/gamma0)
        bias         b_v ~ N(b0, 1/eta0)     (b0 = 0 without training, as in PG1)
        reliability  tau_v ~ Gamma(alpha0, beta0)      (shape, rate)
        points       z_uv ~ N(s_u + b_v, 1/tau_v)

    Each sweep sets, in turn, every s_u, every b_v and every tau_v to its closed-form
    conditional posterior (normal for s and b, gamma for tau) given the current posteriors of
    the others: s_u's mean is the reliability-weighted average of the bias-corrected points,
    shrunk towards mu0; b_v's mean is the reliability-weighted average of the reviewer's
    deviations from the current scores, shrunk towards b0; tau_v's mean is (alpha0 + n/2) over
    (beta0 + half the expected squared residual). "Expected" includes the posterior variances
    of s and b, not only their means: a reviewer whose points alone decided a submission's
    score would otherwise look perfectly consistent with it and be trusted more and more.
    Given the reliabilities, the means of s and b are the exact posterior means (the model is
    then jointly Gaussian and these sweeps are Gauss-Seidel on it).

    The priors are not fixed numbers, since a course's scale, spread and the harshness of its
    reviewers are unknown in advance; they come from the reviews, by the method of moments
    where the variational M-step is known to go wrong:
    - mu0: the mean of the scores (updated after each sweep).
    - 1/gamma0 (spread of true scores): two reviews of the same submission share its true
      score, so the mean product of their deviations from mu0 estimates its variance. Widened
      by SCORE_PRIOR_WIDENING: a too-narrow prior pulls every grade towards the course mean
      (the best and weakest work lose most), more so when some reviewers give everyone the
      same points; a too-wide one costs little. (The variational update shrank it further on
      every sweep, compressing grades.)
    - 1/eta0 (spread of biases): a reviewer's bias is what their deviations from the other
      reviewers of the same submissions (or from a training example's true score) have in
      common, so it is the mean product of pairs of one reviewer's deviations. It is about 0
      when reviewers show no bias, and calibration then corrects (almost) nothing. (The
      variational update collapsed it towards 0 with three reviews per reviewer.)
    - alpha0 = RELIABILITY_SHAPE; beta0 such that the prior's mean reliability is the mean of
      the reviewers' posterior reliabilities (variational M-step, after each sweep).
    Variances are kept above a floor tied to the points' range, so identical points or a single
    review never divide by zero. A course without any submission reviewed twice and without
    training says nothing about how noisy reviews are: then reviews are taken as exact (each
    estimate is its submission's mean, corrected for nothing).

    Training reviews are extra observations of items whose true score is known (variance 0):
    they enter the bias and reliability of their reviewer. Reviews alone only show a reviewer's
    bias relative to the others (PG1 centres biases on 0): if every reviewer is harsh by the
    same amount, only training can tell, so b0 is the trained reviewers' mean deviation from
    the true scores, times the share of the submissions' reviewers who did the training.
    Estimates are clamped to the range of the points given (never above the best points any
    reviewer gave, never below the lowest), as a rubric's scale would.

    These choices were checked on benchmarks/peer_grading.py (the issue's synthetic courses):
    given the true hyperparameters, this fit is as accurate as Gibbs sampling of the same model
    (RMSE within 1%), and the priors estimated as above do about as well as the true ones.
    """
    if not reviews:
        return {}
    data = _Observations(reviews, training)
    priors = _priors(data)
    mean_s = _fit(data, priors)
    return {submission: min(data.highest, max(data.lowest, mean_s[u]))
            for u, submission in enumerate(data.submissions)}


class _Observations:
    """The reviews and training reviews as flat, sorted lists of indices (see _calibrated):
    reviews grouped by submission, all observations grouped by reviewer, the known scores of
    training examples, and the scale of the points."""

    def __init__(self, reviews, training):
        self.review_points = [points for _reviewer, _submission, points in reviews]
        all_points = self.review_points + [points for _reviewer, _example, points, _true in training]
        self.lowest, self.highest = min(all_points), max(all_points)
        spread = self.highest - self.lowest
        # Floors relative to the scale of the points (1e-8 of the squared range, or of the value
        # when all points are the same), so that the fit is the same in points or in percent.
        self.scale = spread if spread > 0 else max(1.0, abs(self.highest))
        self.var_floor = 1e-8 * self.scale * self.scale

        self.submissions = _sorted_ids(submission for _r, submission, _p in reviews)
        examples = _sorted_ids(example for _r, example, _p, _t in training)
        reviewers = _sorted_ids([reviewer for reviewer, _s, _p in reviews]
                                + [reviewer for reviewer, _e, _p, _t in training])
        self.n_sub = n_sub = len(self.submissions)
        self.n_rev = len(reviewers)
        sub_index = {submission: i for i, submission in enumerate(self.submissions)}
        # Training examples are items n_sub, n_sub + 1, ... whose score is known and never updated.
        ex_index = {example: n_sub + i for i, example in enumerate(examples)}
        rev_index = {reviewer: i for i, reviewer in enumerate(reviewers)}

        obs = sorted((sub_index[submission], rev_index[reviewer], points) for reviewer, submission, points in reviews)
        known = {}
        train_obs = []
        for reviewer, example, points, true_points in training:
            item = ex_index[example]
            known.setdefault(item, []).append(true_points)
            train_obs.append((item, rev_index[reviewer], points))
        train_obs.sort()
        for item, values in known.items():  # one example given two true scores: their mean
            known[item] = math.fsum(sorted(values)) / len(values)
        self.known = known
        self.train_obs = train_obs
        self.known_items = [known[item] for item in range(n_sub, n_sub + len(examples))]

        # Reviews of submissions, grouped by submission (contiguous, sorted by submission index).
        self.s_rev = [o[1] for o in obs]
        self.s_z = [o[2] for o in obs]
        self.s_starts, self.s_ends = _segments([o[0] for o in obs], n_sub)
        self.s_bounds = list(zip(self.s_starts, self.s_ends))
        # All observations (reviews and training reviews) grouped by reviewer.
        by_reviewer = sorted((v, item, z) for item, v, z in obs + train_obs)
        self.r_item = [o[1] for o in by_reviewer]
        self.r_z = [o[2] for o in by_reviewer]
        self.r_starts, self.r_ends = _segments([o[0] for o in by_reviewer], self.n_rev)
        self.r_count = list(map(sub, self.r_ends, self.r_starts))


@dataclass
class _Priors:
    mu0: float
    gamma0: float
    eta0: float
    bias_centre: float
    residual_var: float


def _review_moments(data, mu0):
    """Moments of the raw reviews: the within-submission sum of squares and its degrees of
    freedom (how much reviewers of the same work disagree), each review's deviation from the
    mean of the other reviews of the same submission (for the biases) and the points'
    deviations from the mean (for the spread of true scores)."""
    within = dof = 0.0
    deviations = [[] for _ in range(data.n_rev)]
    centred = []
    s_z, s_rev = data.s_z, data.s_rev
    for start, end in data.s_bounds:
        n = end - start
        if n > 1:
            points = s_z[start:end]
            total = math.fsum(points)
            mean = total / n
            within += math.fsum((z - mean) ** 2 for z in points)
            dof += n - 1
            for i in range(start, end):
                deviations[s_rev[i]].append(s_z[i] - (total - s_z[i]) / (n - 1))
            centred.append([z - mu0 for z in points])
    return within, dof, deviations, centred


def _training_bias(data, deviations, within, dof):
    """Training reviews: each trained reviewer's deviations from the true scores. Their mean
    over the trained reviewers is the one thing reviews alone cannot show, a bias everyone
    shares; it becomes the centre of the bias prior in proportion to the share of reviewers
    (of submissions) who did the training (all: all of it; one in a hundred: a hundredth),
    so that a few trained reviewers' quirks do not shift everyone's grade. Returns
    (bias_centre, within, dof), the last two from training when no submission was reviewed
    twice; extends `deviations` with the trained reviewers' ones."""
    trained = {}
    for item, v, z in data.train_obs:
        trained.setdefault(v, []).append(z - data.known[item])
    bias_centre = 0.0
    if trained:
        # Only reviewers who also reviewed submissions say anything about the course's reviewers.
        active = set(data.s_rev)
        own_means = [math.fsum(values) / len(values) for v, values in sorted(trained.items()) if v in active]
        shared_bias = math.fsum(own_means) / len(own_means) if own_means else 0.0
        bias_centre = shared_bias * len(own_means) / len(active)
        for v, values in sorted(trained.items()):
            deviations[v].extend(x - shared_bias for x in values)
        if not dof:  # no submission reviewed twice: training says how much reviews stray
            within = math.fsum((x - shared_bias) ** 2 for values in trained.values() for x in values)
            dof = sum(len(values) for values in trained.values())
    return bias_centre, within, dof


def _priors(data):
    """The priors, by the method of moments (see _calibrated)."""
    review_points = data.review_points
    mu0 = math.fsum(review_points) / len(review_points)
    within, dof, deviations, centred = _review_moments(data, mu0)
    bias_centre, within, dof = _training_bias(data, deviations, within, dof)
    var_floor = data.var_floor
    residual_var = max(var_floor, within / dof) if dof else var_floor
    score_var = _pair_covariance(centred)
    if score_var is None:  # no submission reviewed twice: the spread of the points themselves
        score_var = statistics.pvariance(review_points) if len(review_points) > 1 else 0.0
    prior_var_s = max(var_floor, SCORE_PRIOR_WIDENING * score_var)
    prior_var_b = max(var_floor, _pair_covariance(deviations) or 0.0)
    return _Priors(mu0=mu0, gamma0=1.0 / prior_var_s, eta0=1.0 / prior_var_b, bias_centre=bias_centre,
                   residual_var=residual_var)


def _segment_sums(values, starts, ends):
    """Sum of `values` (any iterable, in observation order) over each [start, end)."""
    running = list(accumulate(values, initial=0.0))
    return list(map(sub, map(running.__getitem__, ends), map(running.__getitem__, starts)))


def _extrapolated_rate(rates, rate):
    """Aitken's extrapolation of the reliabilities' rate from its last three values, kept
    within a factor of 2 of `rate`."""
    curvature = (rates[2] - rates[1]) - (rates[1] - rates[0])
    if curvature != 0.0:
        jump = rates[2] - (rates[2] - rates[1]) ** 2 / curvature
        if 0.5 * rate < jump < 2.0 * rate:
            return jump
    return rate


def _fit(data, priors):
    """The sweeps of coordinate ascent (see _calibrated); the posterior means of the scores.

    Per-entity sums are differences of running totals at the segment bounds, and per-review
    products go through map(): both run in C, so a sweep over 500,000 reviews takes about a
    second, not ten. (Running totals of 500,000 points lose about 1e-10 points to rounding.)"""
    s_rev, s_z, s_starts, s_ends = data.s_rev, data.s_z, data.s_starts, data.s_ends
    r_item, r_z, r_starts, r_ends, r_count = data.r_item, data.r_z, data.r_starts, data.r_ends, data.r_count
    known_items = data.known_items
    mu0, gamma0, eta0, bias_centre = priors.mu0, priors.gamma0, priors.eta0, priors.bias_centre
    shape = RELIABILITY_SHAPE
    rate = shape * priors.residual_var
    # Start: each submission's median, no bias but the shared one, every reviewer as reliable
    # as the course's typical disagreement says.
    mean_s = [float(statistics.median(s_z[start:end])) for start, end in data.s_bounds] + known_items
    mean_b = [bias_centre] * data.n_rev
    mean_tau = [1.0 / priors.residual_var] * data.n_rev

    tolerance = TOLERANCE * data.scale
    zeros = [0.0] * len(known_items)
    rates = []
    for sweep in range(MAX_ITERATIONS):
        # 1. Scores: reliability-weighted mean of the bias-corrected points, shrunk towards mu0.
        weight = list(map(mean_tau.__getitem__, s_rev))
        weighted = map(mul, weight, map(sub, s_z, map(mean_b.__getitem__, s_rev)))
        precision = [gamma0 + w for w in _segment_sums(weight, s_starts, s_ends)]
        prior = gamma0 * mu0
        scores = [(prior + t) / p for t, p in zip(_segment_sums(weighted, s_starts, s_ends), precision)]
        moved = max(map(abs, map(sub, scores, mean_s)))
        mean_s = scores + known_items
        var_s = [1.0 / p for p in precision] + zeros

        # 2. Biases and 3. reliabilities, from each reviewer's deviations from those scores.
        deviation = list(map(sub, r_z, map(mean_s.__getitem__, r_item)))
        d1 = _segment_sums(deviation, r_starts, r_ends)
        d2 = _segment_sums(map(mul, deviation, deviation), r_starts, r_ends)
        item_var = _segment_sums(map(var_s.__getitem__, r_item), r_starts, r_ends)
        b_precision = [eta0 + n * t for n, t in zip(r_count, mean_tau)]
        prior_b = eta0 * bias_centre
        mean_b = [(prior_b + t * d) / p for t, d, p in zip(mean_tau, d1, b_precision)]
        # Expected squared residual: sum((d - b)^2) plus the posterior variances of s and b.
        expected = [max(0.0, q - 2.0 * b * d + n * (b * b + 1.0 / p) + w)
                    for q, b, d, n, p, w in zip(d2, mean_b, d1, r_count, b_precision, item_var)]
        mean_tau = [(shape + 0.5 * n) / (rate + 0.5 * e) for n, e in zip(r_count, expected)]

        # 4. Priors: mu0 and the reliabilities' rate (variational M-step). The rate is the
        # slowest thing to settle (each sweep closes only about a fifth of its gap): every
        # third sweep, Aitken's extrapolation jumps to where its last three values head,
        # within a factor of 2, which saves about a third of the sweeps.
        mu0 = math.fsum(scores) / data.n_sub
        rate = shape * data.n_rev / math.fsum(mean_tau)
        rates.append(rate)
        if len(rates) == 3:
            rate = _extrapolated_rate(rates, rate)
            rates = []
        if moved <= tolerance and sweep > 0:
            break
    return mean_s
