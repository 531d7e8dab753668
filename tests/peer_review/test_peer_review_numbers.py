"""NaN and Infinity are refused wherever peer review takes a number: Python's json reads them,
every range check lets NaN through, and then Studio answered 500 or a grade had no points."""
import json

import pytest

from tests.conftest import LEARNER_A, STAFF, STUDIO_STAFF
from tests.peer_review.peer_helpers import peer_xml, state, submit
from tests.peer_review.test_peer_review_block import studio_values
from xblocks.peer_review.models import Submission


def _raw(values, name, literal):
    """`values` as a JSON body with `name` set to the bare literal (NaN, Infinity, ...)."""
    body = json.dumps(dict(values, **{name: 0.123456789}))
    return body.replace("0.123456789", literal).encode("utf-8")


@pytest.mark.parametrize("name, literal", [("weight", "NaN"), ("weight", "Infinity"), ("wait_days", "NaN"),
                                           ("wait_days", "-Infinity"), ("weight", "1e999")])
def test_studio_submit_refuses_non_finite_numbers_and_saves_nothing(wb, name, literal):
    usage_id = wb.load(peer_xml())
    before = wb.block(usage_id, STAFF)
    kept = (before.weight, before.wait_days, before.display_name)
    result = wb.call(usage_id, "studio_submit", user=STUDIO_STAFF,
                     raw=_raw(studio_values(display_name="Changed"), name, literal))
    assert (result.status, result.error_code) == (400, "invalid_json"), result.text
    after = wb.block(usage_id, STAFF)
    assert (after.weight, after.wait_days, after.display_name) == kept


def test_override_grade_refuses_nan_points_and_the_grade_stays(wb):
    usage_id = wb.load(peer_xml(reviews_to_give=1, reviews_needed=1))
    assert submit(wb, usage_id).status == 200
    submission = state(wb, usage_id, LEARNER_A)["submission"]["id"]
    body = _raw({"submission": submission, "reason": "Tutor"}, "points", "NaN")
    result = wb.call(usage_id, "override_grade", user=STAFF, raw=body)
    assert (result.status, result.error_code) == (400, "invalid_json"), result.text
    assert Submission.objects.get(user_id=LEARNER_A).override_points is None
    assert state(wb, usage_id, LEARNER_A)["grade"] is None
    assert not [e for e in wb.events_of(usage_id) if e.type in ("grade", "bizmooc.peer_review.overridden")]
