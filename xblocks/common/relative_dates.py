"""Dates relative to the learner: the arithmetic, free of XBlock, of the platform and of the database.

A course team chooses per component whether its dates are fixed calendar dates (as before) or
relative to each learner. A relative date is "N days after an anchor": the learner's start in
the course (`ENROLMENT`: their schedule start, as the platform's relative dates count from it,
`seams.learner_starts`) or, for a review step, the moment the learner submitted
(`SUBMISSION`). 0 days is "no deadline", as an empty fixed date is.

The platform (edx-when, `DatePolicy.actual_date`) computes a relative date as
`schedule.start_date + rel_date`; `resolve` does the same, so that the date a component
enforces and the one the learner's Dates tab lists are the same moment. A learner whose
start is unknown (staff who are not enrolled, a learner without a schedule) has no relative
date, as edx-when then lists none (MissingScheduleError is skipped there).
"""
from dataclasses import dataclass
from datetime import timedelta

FIXED = "fixed"
RELATIVE = "relative"

ENROLMENT = "enrolment"
SUBMISSION = "submission"

MAX_DAYS = 3650  # the most days a course team may give (ten years)


@dataclass(frozen=True)
class Relative:
    """`days` after `anchor`; days <= 0 is no date."""

    days: float = 0
    anchor: str = ENROLMENT

    @property
    def delta(self):
        """The timedelta edx-when stores as a DatePolicy's rel_date, None for no date."""
        return timedelta(days=self.days) if self.days and self.days > 0 else None


def resolve(relative, start=None, submitted_at=None):
    """The moment `relative` names for a learner who started at `start` and submitted at
    `submitted_at` (aware datetimes, None when unknown / not yet); None when there is none."""
    delta = relative.delta
    if delta is None:
        return None
    anchor = submitted_at if relative.anchor == SUBMISSION else start
    return anchor + delta if anchor is not None else None


def registrable(mode, fixed, relative):
    """What edx-when can hold for everyone in the course: the fixed date (an abs_date), a
    timedelta counted from the learner's schedule start (a rel_date), or None. A date counted
    from the learner's submission is personal: edx-when has no such anchor, so it is not
    registered (the component shows it)."""
    if mode != RELATIVE:
        return fixed
    if relative.anchor != ENROLMENT:
        return None
    return relative.delta
