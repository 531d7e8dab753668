"""A link submission is opened by reviewers and staff: it passes the suite's one address check
(xblocks/common/links.py), so nothing a browser would run or read differently is handed out."""
import pytest

from tests.conftest import LEARNER_A, LEARNER_B
from tests.peer_review.peer_helpers import next_review, peer_xml, submit
from xblocks.peer_review.models import Submission


@pytest.mark.parametrize("link", [
    "https://trusted.example@evil.example/pitch",   # shows one site, opens another
    "https://example.com/\u202efdp.exe",            # right-to-left override: reads as "exe.pdf"
    "https://example.com/pitch\u200b",               # zero-width space
    "https://example.com:99999/pitch",
    "https://example.com/\x7f",
])
def test_a_disguised_link_is_refused_and_nothing_is_submitted(wb, link):
    usage_id = wb.load(peer_xml(submission_type="link", reviews_to_give=1, reviews_needed=1))
    refused = submit(wb, usage_id, text="", link=link)
    assert (refused.status, refused.error_code, refused.json["error"]["field"]) == (400, "invalid_link", "link")
    assert not Submission.objects.filter(user_id=LEARNER_A, status="submitted").exists()


def test_a_plain_link_is_handed_to_the_reviewer_without_blanks(wb):
    usage_id = wb.load(peer_xml(submission_type="link", reviews_to_give=1, reviews_needed=1))
    assert submit(wb, usage_id, text="", link="  https://example.com/my-pitch?v=2  ").status == 200
    assert submit(wb, usage_id, LEARNER_B, text="", link="https://example.org/b").status == 200
    assert next_review(wb, usage_id, LEARNER_B)["link"] == "https://example.com/my-pitch?v=2"
