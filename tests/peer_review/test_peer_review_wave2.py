"""Peer review: reviews in progress kept on the server, notifications (reviews received, grade
ready, reminders to reviewers, the learner's choices), staff seeing usernames, and the
browser's strings handed over in the init args (issues 13, 14 and 15)."""
import json
from datetime import timedelta

from django.utils import timezone

from tests.conftest import LEARNER_A, LEARNER_B, STAFF
from tests.peer_review.peer_helpers import FAIR, GOOD, get, next_review, peer_xml, review, state, submit
from tests.queries import count_queries
from xblocks.common import seams
from xblocks.notifications.models import Notification
from xblocks.notifications.reminders import send_review_reminders
from xblocks.peer_review import privacy, review_service, review_views
from xblocks.peer_review.models import ReviewDraft, ReviewStep, Submission

LEARNER_C = "learner_c"


def draft(wb, usage_id, user, kind, lease="", scores=None, comments=None, feedback=""):
    return wb.call(usage_id, "save_review_draft", {"kind": kind, "lease": lease, "scores": scores or {},
                                                   "comments": comments or {}, "feedback": feedback}, user=user)


def two_submitted(wb, **attributes):
    usage_id = wb.load(peer_xml(**dict({"reviews_to_give": 1, "reviews_needed": 1}, **attributes)))
    assert submit(wb, usage_id, LEARNER_A).status == 200
    assert submit(wb, usage_id, LEARNER_B).status == 200
    return usage_id


# Reviews in progress -----------------------------------------------------------------------------

def test_a_peer_review_in_progress_is_kept_and_restored_then_gone_once_sent(wb):
    usage_id = two_submitted(wb)
    lease = next_review(wb, usage_id, LEARNER_A)
    partial = {"ideas": "good"}
    saved = draft(wb, usage_id, LEARNER_A, "peer", lease["id"], partial, {"ideas": "A strong idea"}, "Half done")
    assert saved.status == 200, saved.text
    again = draft(wb, usage_id, LEARNER_A, "peer", lease["id"], dict(partial, evidence="solid"))
    assert again.status == 200 and ReviewDraft.objects.count() == 1
    restored = state(wb, usage_id, LEARNER_A)
    assert restored["peer"]["lease"]["id"] == lease["id"]
    assert restored["drafts"] == {"peer": {"scores": {"ideas": "good", "evidence": "solid"}, "comments": {},
                                           "feedback": ""}}
    assert state(wb, usage_id, LEARNER_B)["drafts"] == {}  # nobody else's
    assert review(wb, usage_id, LEARNER_A, lease["id"], GOOD).status == 200
    assert not ReviewDraft.objects.exists()


def test_a_draft_needs_the_reviewers_own_running_lease(wb):
    usage_id = two_submitted(wb)
    lease = next_review(wb, usage_id, LEARNER_A)
    assert draft(wb, usage_id, LEARNER_B, "peer", lease["id"], GOOD).status == 404  # not handed out to B
    assert draft(wb, usage_id, LEARNER_A, "peer", "", GOOD).status == 404
    assert draft(wb, usage_id, LEARNER_A, "nonsense", lease["id"]).status == 400
    assert draft(wb, usage_id, LEARNER_A, "peer", lease["id"], {f"c{i}": "x" for i in range(99)}).status == 400
    assert not ReviewDraft.objects.exists()


def test_a_draft_written_under_a_lease_that_ran_out_is_not_shown(wb):
    usage_id = two_submitted(wb)
    lease = next_review(wb, usage_id, LEARNER_A)
    assert draft(wb, usage_id, LEARNER_A, "peer", lease["id"], GOOD).status == 200
    ReviewDraft.objects.update(lease_id="00000000-0000-4000-8000-000000000000")
    assert state(wb, usage_id, LEARNER_A)["drafts"] == {}


def test_a_self_review_in_progress_is_kept_until_it_is_sent(wb):
    usage_id = wb.load(peer_xml(peer_enabled=False, self_enabled=True))
    assert submit(wb, usage_id, LEARNER_A).status == 200
    assert draft(wb, usage_id, LEARNER_A, "self", scores=FAIR, feedback="So far").status == 200
    assert state(wb, usage_id, LEARNER_A)["drafts"]["self"] == {"scores": FAIR, "comments": {}, "feedback": "So far"}
    body = {"scores": GOOD, "comments": {}, "feedback": "Done"}
    assert wb.call(usage_id, "submit_self_review", body).status == 200
    assert not ReviewDraft.objects.exists()
    assert draft(wb, usage_id, LEARNER_A, "self", scores=FAIR).error_code == "not_self_step"


def test_drafts_are_in_my_data_and_go_with_retirement(wb):
    usage_id = two_submitted(wb)
    lease = next_review(wb, usage_id, LEARNER_A)
    draft(wb, usage_id, LEARNER_A, "peer", lease["id"], GOOD, feedback="Mine")
    block = wb.block(usage_id)
    mine = privacy.peer_review_data(block.course_key_str, LEARNER_A)["reviews_in_progress"]
    assert [(d["kind"], d["scores"], d["feedback"]) for d in mine] == [("peer", GOOD, "Mine")]
    assert privacy.peer_review_data(block.course_key_str, LEARNER_B)["reviews_in_progress"] == []
    privacy.retire_peer_review([LEARNER_A])
    assert not ReviewDraft.objects.exists()


# Notifications -------------------------------------------------------------------------------------

def sent(kind=None):
    rows = Notification.objects.all() if kind is None else Notification.objects.filter(kind=kind)
    return sorted((n.kind, n.user_id) for n in rows)


def test_a_peer_review_tells_its_author_and_a_completed_grade_says_it_is_ready(wb):
    usage_id = two_submitted(wb)
    assert review(wb, usage_id, LEARNER_B, next_review(wb, usage_id, LEARNER_B)["id"], GOOD).status == 200
    assert sent() == [("reviews_received", LEARNER_A)]  # learner_a still owes a review: no grade yet
    assert review(wb, usage_id, LEARNER_A, next_review(wb, usage_id, LEARNER_A)["id"], GOOD).status == 200
    # learner_a's review completes learner_b's grade (learner_b is told); learner_a's own grade is
    # final in learner_a's own request: they see it on the page, nothing is sent to them.
    assert sent() == [("grade_ready", LEARNER_B), ("reviews_received", LEARNER_A), ("reviews_received", LEARNER_B)]
    ready = Notification.objects.get(kind="grade_ready")
    assert ready.context == {"points_earned": 8, "points_possible": 10}
    assert all(LEARNER_A not in json.dumps(n.context) and LEARNER_B not in json.dumps(n.context)
               for n in Notification.objects.all())  # never the other learner


def test_a_staff_grade_tells_the_learner_of_the_review_and_the_grade(wb):
    usage_id = wb.load(peer_xml(peer_enabled=False, staff_enabled=True))
    assert submit(wb, usage_id, LEARNER_A).status == 200
    row = get(wb, usage_id, "staff_dashboard", user=STAFF).json["rows"][0]
    body = {"submission": row["id"], "scores": GOOD, "comments": {}, "feedback": "Well done"}
    assert wb.call(usage_id, "staff_grade", body, user=STAFF).status == 200
    assert sent() == [("grade_ready", LEARNER_A), ("reviews_received", LEARNER_A)]


def test_learners_turn_each_kind_off_in_the_block(wb):
    usage_id = two_submitted(wb)
    shown = get(wb, usage_id, "notification_preferences").json
    assert shown == {"preferences": {"reviews_received": True, "grade_ready": True, "review_reminder": True}}
    off = wb.call(usage_id, "set_notification_preference", {"kind": "reviews_received", "enabled": False})
    assert off.status == 200 and off.json["preferences"]["reviews_received"] is False
    assert get(wb, usage_id, "notification_preferences", user=LEARNER_B).json["preferences"]["reviews_received"]
    for bad in ({"kind": "journal_reply", "enabled": False}, {"kind": "reviews_received", "enabled": "no"}, {}):
        assert wb.call(usage_id, "set_notification_preference", bad).status == 400
    assert review(wb, usage_id, LEARNER_B, next_review(wb, usage_id, LEARNER_B)["id"], GOOD).status == 200
    assert sent() == []


def test_the_reminder_source_lists_who_owes_reviews_in_one_query(wb):
    usage_id = wb.load(peer_xml(reviews_to_give=2, reviews_needed=1, display_name="Pitch review"))
    closed = wb.load(peer_xml(peer_due=(timezone.now() - timedelta(days=1)).isoformat()))
    for user in (LEARNER_A, LEARNER_B, LEARNER_C):
        assert submit(wb, usage_id, user).status == 200
    assert review(wb, usage_id, LEARNER_A, next_review(wb, usage_id, LEARNER_A)["id"], GOOD).status == 200
    ReviewStep.objects.create(usage_id=closed, course_id="c", name="Closed", reviews_to_give=3,
                              peer_due=timezone.now() - timedelta(days=1))
    Submission.objects.create(course_id="c", usage_id=closed, user_id="late", status="submitted")
    _total, own, due = count_queries(lambda: list(review_service.reminders_due(timezone.now())),
                                     ("bizmooc_peer_review_",))
    assert own == 1
    assert [(d.activity.usage_id, d.activity.name, d.owed) for d in due] == [
        (usage_id, "Pitch review", {LEARNER_A: 1, LEARNER_B: 2, LEARNER_C: 2})]
    wb.call(usage_id, "set_notification_preference", {"kind": "review_reminder", "enabled": False}, user=LEARNER_C)
    assert send_review_reminders() == 2
    assert sent("review_reminder") == [("review_reminder", LEARNER_A), ("review_reminder", LEARNER_B)]
    assert {n.user_id: n.context["count"] for n in Notification.objects.filter(kind="review_reminder")} == \
        {LEARNER_A: 1, LEARNER_B: 2}
    assert send_review_reminders() == 0  # reminded a moment ago


# Staff see usernames; learners never ------------------------------------------------------------

def test_staff_lists_name_learners_by_username_where_the_platform_knows_them(wb, monkeypatch):
    usage_id = two_submitted(wb)
    assert review(wb, usage_id, LEARNER_B, next_review(wb, usage_id, LEARNER_B)["id"], GOOD).status == 200
    monkeypatch.setattr(seams, "usernames_of", lambda ids: {i: {LEARNER_A: "anna", LEARNER_B: "bert_b"}[i]
                                                            for i in ids if i in (LEARNER_A, LEARNER_B)})
    rows = get(wb, usage_id, "staff_dashboard", user=STAFF).json["rows"]
    assert sorted(r["learner"] for r in rows) == ["anna", "bert_b"]
    one = get(wb, usage_id, "staff_submission", user=STAFF,
              query=f"submission={next(r['id'] for r in rows if r['learner'] == 'anna')}").json
    assert one["learner"] == "anna" and [r["reviewer"] for r in one["reviews"]] == ["bert_b"]
    learner_view = json.dumps(state(wb, usage_id, LEARNER_A)) + wb.render(usage_id, LEARNER_A)
    assert "bert_b" not in learner_view and LEARNER_B not in learner_view


# Strings: one dict, in the init args ---------------------------------------------------------------

def init_args(wb, usage_id, user):
    assert "data-key" not in wb.render(usage_id, user)  # no strings hidden in the markup any more
    return json.loads(wb.block(usage_id, user).student_view({}).json_init_args["bizmooc"])


def test_the_browsers_strings_come_in_the_init_args_staff_strings_only_for_staff(wb):
    usage_id = two_submitted(wb)
    learner = init_args(wb, usage_id, LEARNER_A)
    assert set(learner["strings"]) == set(review_views.BROWSER_STRINGS)
    assert learner["strings"]["differs"] == "Differs from the course team's choice."
    assert "expected" not in learner["strings"]  # training never names the course team's option
    assert learner["extras_url"].endswith("peer_review/static/js/peer_review_extras.js")
    staff = init_args(wb, usage_id, STAFF)
    assert set(staff["strings"]) == set(review_views.BROWSER_STRINGS) | set(review_views.STAFF_STRINGS)
    assert staff["strings"]["kind_self_staff"] == "the learner's self review"
