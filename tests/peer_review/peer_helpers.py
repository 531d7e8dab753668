"""Helpers for the peer review tests: OLX, and handler calls as the browser makes them."""

from tests.conftest import LEARNER_A
from tests.olx import block_xml

PEER = "bizmooc_peer_review"
ESSAY = ("Our canteen throws away food every Friday; an app could let colleagues reserve the leftovers at a low "
         "price before two, so less is wasted.")
GOOD = {"ideas": "good", "evidence": "solid", "organisation": "clear"}     # 3 + 3 + 2 = 8
POOR = {"ideas": "poor", "evidence": "none", "organisation": "hard"}       # 0
FAIR = {"ideas": "fair", "evidence": "some", "organisation": "clear"}     # 1 + 1 + 2 = 4


def peer_xml(**attributes):
    """OLX for one peer review block (see `tests.olx.block_xml`)."""
    return block_xml(PEER, **attributes)


def get(wb, usage_id, handler, user=LEARNER_A, query=""):
    return wb.call(usage_id, handler, user=user, method="GET", query=query)


def state(wb, usage_id, user=LEARNER_A):
    result = get(wb, usage_id, "state", user=user)
    assert result.status == 200, result.text
    return result.json


def submit(wb, usage_id, user=LEARNER_A, text=ESSAY, version=None, **extra):
    if version is None:
        version = state(wb, usage_id, user)["submission"]["version"]
    return wb.call(usage_id, "submit", dict({"text": text, "link": "", "artefact": None, "version": version},
                                            **extra), user=user)


def next_review(wb, usage_id, user):
    result = wb.call(usage_id, "next_review", {}, user=user)
    assert result.status == 200, result.text
    return result.json["lease"]


def review(wb, usage_id, user, lease, scores=None, comments=None, feedback="Clear and useful."):
    body = {"lease": lease, "scores": scores or GOOD, "comments": comments or {}, "feedback": feedback}
    return wb.call(usage_id, "submit_review", body, user=user)


def review_next(wb, usage_id, user, scores=None):
    lease = next_review(wb, usage_id, user)
    assert lease is not None, f"{user} got nothing to review"
    result = review(wb, usage_id, user, lease["id"], scores)
    assert result.status == 200, result.text
    return lease, result.json
