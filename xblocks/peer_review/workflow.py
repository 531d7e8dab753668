"""Where a learner is in a peer review, and what their grade is: plain rules on plain values.

Steps, in order: submit -> training (if on) -> peer (if on) -> self (if on) -> waiting -> done.
A step whose date has passed is "closed": the learner moves on without it (a closed
submission step ends everything). The grade:

- an override by staff (with a reason) wins; then a staff grade, which is final when the
  staff step is on, and also for a submission sent to staff after the wait;
- with the peer step, once the submission has `reviews_needed` peer reviews and the learner
  did their own steps: the median of each criterion's points, added up (as ORA2 does, a
  median between two whole numbers rounds up), or the calibrated estimate (grading.py);
- when it is still short of reviews `wait_days` after it was submitted: with
  wait_action "fewer", the reviews it has count (at least one); with "staff", it goes to
  staff (`to_staff`) and the staff grade is the grade;
- with only a self-review step, the self-review is the grade.

The rule is evaluated whenever the learner or staff looks: no background job is needed.
Explanations are `Phrase`s, translated by the view.
"""
import math
import statistics
from dataclasses import dataclass, field, replace
from datetime import timedelta

from xblocks.common.errors import Phrase, _

NONE, DRAFT, SUBMITTED, REMOVED = "none", "draft", "submitted", "removed"


@dataclass(frozen=True)
class Settings:
    training: bool = False
    peer: bool = True
    self_review: bool = False
    staff: bool = False
    reviews_to_give: int = 3
    reviews_needed: int = 3
    training_total: int = 0
    submission_due: object = None
    peer_due: object = None
    self_due: object = None
    wait_days: float = 3
    wait_action: str = "fewer"
    grading_method: str = "median"


@dataclass(frozen=True)
class Progress:
    status: str = NONE
    submitted_at: object = None
    given: int = 0
    received: int = 0
    training_passed: int = 0
    self_done: bool = False
    to_staff: bool = False


@dataclass(frozen=True)
class Grade:
    final: bool
    points: float
    max: float
    method: str
    per_criterion: list = field(default_factory=list)  # [(criterion, points, max)]
    explanation: Phrase = None
    rubric: str = None  # the key of the rubric it was computed with (models.RubricVersion), when known


def _passed(due, now):
    return due is not None and now > due


def training_open(settings, progress, now):
    return settings.training and settings.training_total > 0 and \
        progress.training_passed < settings.training_total and not _passed(settings.peer_due, now)


def peer_open(settings, progress, now):
    return settings.peer and progress.given < settings.reviews_to_give and not _passed(settings.peer_due, now)


def self_open(settings, progress, now):
    return settings.self_review and not progress.self_done and not _passed(settings.self_due, now)


def own_steps_done(settings, progress, now):
    return progress.status == SUBMITTED and not (
        training_open(settings, progress, now) or peer_open(settings, progress, now)
        or self_open(settings, progress, now))


def current_step(settings, progress, now, grade_final=False):
    """'submit' | 'training' | 'peer' | 'self' | 'waiting' | 'done' | 'closed'."""
    if progress.status in (NONE, DRAFT):
        return "closed" if _passed(settings.submission_due, now) else "submit"
    if progress.status == REMOVED:
        return "closed"
    if training_open(settings, progress, now):
        return "training"
    if peer_open(settings, progress, now):
        return "peer"
    if self_open(settings, progress, now):
        return "self"
    return "done" if grade_final else "waiting"


def steps(settings, progress, now, step):
    """The step list with each step's status: todo, current, done or closed."""
    order = ["submit"] + [name for name, on in (("training", settings.training and settings.training_total > 0),
                                                ("peer", settings.peer), ("self", settings.self_review),
                                                ("staff", settings.staff)) if on]
    dues = {"submit": settings.submission_due, "training": settings.peer_due, "peer": settings.peer_due,
            "self": settings.self_due, "staff": None}
    done = {
        "submit": progress.status == SUBMITTED,
        "training": progress.training_passed >= settings.training_total,
        "peer": progress.given >= settings.reviews_to_give,
        "self": progress.self_done,
        "staff": False,
    }
    result = []
    for name in order:
        if name == step:
            status = "current"
        elif done[name] or (name == "staff" and step == "done"):
            status = "done"
        elif _passed(dues[name], now) or step == "closed":
            status = "closed"
        else:
            status = "todo"
        result.append({"name": name, "status": status, "due": dues[name]})
    return result


def waiting_since(settings, progress):
    """When the learner's submission started waiting for reviews (None if it is not)."""
    if progress.status != SUBMITTED or not settings.peer or progress.received >= settings.reviews_needed:
        return None
    return progress.submitted_at


def overdue(settings, progress, now):
    """Short of reviews `wait_days` after it was submitted."""
    since = waiting_since(settings, progress)
    return since is not None and now >= since + timedelta(days=settings.wait_days)


def goes_to_staff(settings, progress, now):
    return progress.to_staff or (settings.wait_action == "staff" and overdue(settings, progress, now))


# Grades ----------------------------------------------------------------------------------

def _round(value):
    return int(value) if float(value).is_integer() else round(value, 2)


def median_points(values):
    """ORA2's median: between two whole numbers it rounds up."""
    values = sorted(values)
    middle = statistics.median(values)
    if all(float(v).is_integer() for v in values):
        return int(math.ceil(middle))
    return middle


def per_criterion(rubric, reviews):
    """[(criterion, median points, max)] over `reviews` (each {criterion: points})."""
    return [(c, _round(median_points([r[c.id] for r in reviews if c.id in r]) if any(c.id in r for r in reviews)
                       else 0), c.max_points) for c in rubric.scored]


def _with(rubric, method, reviews, final, explanation, total=None):
    parts = per_criterion(rubric, reviews)
    points = sum(p for _c, p, _m in parts) if total is None else total
    points = _round(min(max(points, 0), rubric.max_points))
    return Grade(final, points, rubric.max_points, method, parts,
                 Phrase(explanation.message, **dict(explanation.params, points=points, max=rubric.max_points)))


def review_totals(rubric, reviews):
    """(lowest, highest) total of the reviews (each {criterion: points}) over the rubric's scored criteria."""
    totals = [sum(r.get(c.id) or 0 for c in rubric.scored) for r in reviews]
    return _round(min(totals)), _round(max(totals))


CALIBRATION_PENDING = _("Median of the reviews: calibration starts once more learners have reviewed each other's "
                        "work.")


def _median_grade(rubric, method, peer, final, count, pending):
    """The per-criterion medians added up; if that sum is outside the totals the reviews gave (the
    medians of different reviews can add up to more than the best review, or less than the worst),
    the nearest of those totals, and the sentence says so: the table's medians always add up to the
    sum the sentence shows."""
    parts = per_criterion(rubric, peer)
    added = _round(sum(p for _c, p, _m in parts))
    lowest, highest = review_totals(rubric, peer)
    if lowest <= added <= highest:
        explanation = Phrase(_("The median of {count} peer reviews for each criterion, added up: {points} of {max} "
                               "points."), count=count)
        total = None
    else:
        total = min(max(added, lowest), highest)
        explanation = Phrase(_("The medians of {count} peer reviews for each criterion add up to {sum}, outside the "
                               "totals of the reviews ({lowest} to {highest}), so the grade is the nearest of those: "
                               "{points} of {max} points."), count=count, sum=added, lowest=lowest, highest=highest)
    grade = _with(rubric, method, peer, final, explanation, total=total)
    if pending:
        grade = replace(grade, explanation=Phrase("{pending} {how}", pending=Phrase(CALIBRATION_PENDING),
                                                  how=grade.explanation))
    return grade


def grade(rubric, settings, progress, now, peer=(), self_review=None, staff=None, override=None,
          calibrated=None):
    """The learner's Grade, or None while there is nothing to show.

    `peer`: the criterion points of each peer review; `self_review`, `staff`: one review's
    criterion points or None; `override`: (points, reason) or None; `calibrated`: the
    estimated total of grading.estimate_scores when the method is calibrated and
    grading.calibration_ready says the reviews allow it, else None: then the grade is the
    median's, and the sentence says that calibration needs more reviews.

    A median or calibrated total is never above the highest total of the peer reviews that
    count nor below the lowest: a calibrated estimate outside that range is brought back into
    it (a learner who received 0 and 4 never gets more than 4), and the sentence gives the
    range. With a calibrated total the table shows the reviewers' median for each criterion,
    and the sentence says the total is calibrated from all reviews."""
    peer = list(peer)
    if override is not None:
        points, reason = override
        return _with(rubric, "override", [staff] if staff else peer, True,
                     Phrase(_("Set by the course staff: {points} of {max} points. Reason: {reason}"), reason=reason),
                     total=points)
    own_done = own_steps_done(settings, progress, now)
    if staff is not None:
        return _with(rubric, "staff", [staff], True, Phrase(_("Graded by the course staff: {points} of {max} points.")))
    if settings.staff or (settings.peer and goes_to_staff(settings, progress, now)):
        return None
    if settings.peer:
        count = len(peer)
        if count >= settings.reviews_needed and count:
            if settings.grading_method == "calibrated" and calibrated is not None:
                lowest, highest = review_totals(rubric, peer)
                return _with(rubric, "calibrated", peer, own_done, Phrase(
                    _("Calibrated from all reviews, weighing each reviewer by how strict and how consistent they "
                      "were in their other reviews and in training: {points} of {max} points, within the totals of "
                      "the {count} peer reviews received ({lowest} to {highest}). The table shows the reviewers' "
                      "median for each criterion."), count=count, lowest=lowest, highest=highest),
                    total=min(max(calibrated, lowest), highest))
            return _median_grade(rubric, "median", peer, own_done, count,
                                 pending=settings.grading_method == "calibrated")
        if count and settings.wait_action == "fewer" and overdue(settings, progress, now):
            return _with(rubric, "fewer", peer, own_done, Phrase(
                _("Only {count} of {needed} peer reviews arrived within {days} days, so the median of those counts "
                  "for each criterion: {points} of {max} points."), count=count, needed=settings.reviews_needed,
                days=_round(settings.wait_days)))
        return None
    if settings.self_review and self_review is not None:
        return _with(rubric, "self", [self_review], own_done,
                     Phrase(_("Your self-review is the grade: {points} of {max} points.")))
    return None
