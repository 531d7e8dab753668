"""Course staff comment on a submitted journal entry (issue 13): private to its learner, shown
under the entry, counted and listed for staff, exported, in the learner's data download, retired
with the learner's data, and notified unless the learner turned that off (issue 15)."""
import json

import pytest

from tests.conftest import LEARNER_A, LEARNER_B, STAFF, lms_user
from tests.learning_to_learn.journal_helpers import get, journal_xml, row, save, submit
from tests.queries import count_queries
from xblocks.common import seams
from xblocks.learning_to_learn import privacy
from xblocks.learning_to_learn.models import JournalEntry, JournalFeedback
from xblocks.notifications.models import Notification

OTHER_STAFF = lms_user("other_staff", is_staff=True, username="teacher2")
FEEDBACK_TABLE = ("bizmooc_learning_to_learn_journalfeedback", "bizmooc_learning_to_learn_journalentry")


def comment(wb, usage_id, entry, text, user=STAFF):
    return wb.call(usage_id, "staff_feedback", {"entry": str(entry), "text": text}, user=user)


def _submitted(wb, staff_can_read=True, allow_revisions=True):
    usage_id = wb.load(journal_xml(prompts=["<p>What did you try?</p>"], staff_can_read=staff_can_read,
                                   allow_revisions=allow_revisions))
    assert submit(wb, usage_id, "I tried spaced repetition.").status == 200
    assert submit(wb, usage_id, "Ben's own entry.", user=LEARNER_B).status == 200
    return usage_id, row(usage_id).public_id


def replies():
    return list(Notification.objects.filter(kind="journal_reply").values_list("user_id", flat=True))


def test_staff_comment_is_shown_to_its_learner_only_and_notified_once(wb):
    usage_id, entry = _submitted(wb)
    result = comment(wb, usage_id, entry, "  Good plan <b>really</b>: try it for a week.  ")
    assert result.status == 200, result.text
    assert result.json["feedback"]["text"] == "Good plan <b>really</b>: try it for a week."
    assert result.json["feedback"]["mine"] is True
    assert replies() == [LEARNER_A]

    page = wb.render(usage_id, LEARNER_A)
    assert "Feedback from the course team" in page
    assert "Good plan &lt;b&gt;really&lt;/b&gt;: try it for a week." in page  # escaped
    assert '<time class="bizmooc-date" datetime="' in page
    assert "Good plan" not in wb.render(usage_id, LEARNER_B)
    assert get(wb, usage_id, "student_view_user_state", user=LEARNER_B).json["entries"][0]["feedback"] == []

    mine = get(wb, usage_id, "my_journal").json["entries"][0]["feedback"]
    assert [item["text"] for item in mine] == ["Good plan <b>really</b>: try it for a week."]
    assert set(mine[0]) == {"text", "created", "modified"}  # never who wrote it
    state = get(wb, usage_id, "student_view_user_state").json["entries"][0]
    assert state["feedback"][0]["text"].startswith("Good plan")
    markdown = get(wb, usage_id, "download_journal", query="format=markdown").text
    assert "**Feedback from the course team**\n\n> Good plan" in markdown
    data = get(wb, usage_id, "download_my_data").json
    assert data["journals"][0]["entries"][0]["feedback"][0]["text"].startswith("Good plan")
    assert STAFF not in json.dumps(data)

    # Editing does not notify again; the same staff member has one comment per entry.
    assert comment(wb, usage_id, entry, "Better: try it for two weeks.").status == 200
    assert replies() == [LEARNER_A]
    assert list(JournalFeedback.objects.values_list("text", flat=True)) == ["Better: try it for two weeks."]
    events = [event.type for event in wb.events_of(usage_id, STAFF)]
    assert events == ["bizmooc.reflection_journal.feedback_given", "bizmooc.reflection_journal.feedback_edited"]


def test_empty_text_deletes_only_the_callers_comment(wb):
    usage_id, entry = _submitted(wb)
    comment(wb, usage_id, entry, "From the first teacher.")
    comment(wb, usage_id, entry, "From the second teacher.", user=OTHER_STAFF)
    result = comment(wb, usage_id, entry, "   ")
    assert result.status == 200 and result.json == {"feedback": None}
    assert list(JournalFeedback.objects.values_list("author_id", "text")) == [
        ("other_staff", "From the second teacher.")]
    assert "From the first teacher." not in wb.render(usage_id, LEARNER_A)
    # Deleting a comment one never wrote changes nothing and is no error.
    assert comment(wb, usage_id, entry, "").status == 200
    assert JournalFeedback.objects.count() == 1


def test_staff_panel_counts_entries_with_feedback_and_lists_comments_with_usernames(wb, monkeypatch):
    usage_id, entry = _submitted(wb)
    comment(wb, usage_id, entry, "Mine.")
    comment(wb, usage_id, entry, "Theirs.", user=OTHER_STAFF)
    monkeypatch.setattr(seams, "usernames_of", lambda ids: {LEARNER_A: "anna", "other_staff": "teacher2"}
                        if set(ids) >= {LEARNER_A, LEARNER_B} else {})
    result = get(wb, usage_id, "staff_summary", user=STAFF).json
    assert result["figures"] == {"wrote": 2, "submitted": 2, "entries": 2, "with_feedback": 1}
    by_learner = {item["learner"]: item for item in result["entries"]}
    assert set(by_learner) == {"anna", LEARNER_B}  # a username where the platform knows it
    comments = [(c["author"], c["text"], c["mine"]) for c in by_learner["anna"]["feedback"]]
    assert comments == [(STAFF, "Mine.", True), ("teacher2", "Theirs.", False)]
    assert by_learner[LEARNER_B]["feedback"] == []
    assert by_learner["anna"]["id"] == str(entry)


def test_csv_export_has_each_entrys_comments_in_its_row(wb):
    usage_id, entry = _submitted(wb)
    ben = row(usage_id, LEARNER_B).public_id
    comment(wb, usage_id, ben, "For Ben.")
    comment(wb, usage_id, entry, "For Anna, one.")
    comment(wb, usage_id, entry, "For Anna, two.", user=OTHER_STAFF)
    rows = get(wb, usage_id, "export_csv", user=STAFF).csv_dicts
    assert [(r["learner"], r["feedback"]) for r in rows] == [
        (LEARNER_A, "For Anna, one.\n\nFor Anna, two."), (LEARNER_B, "For Ben.")]


def test_comments_are_refused_where_staff_may_not_read_and_for_learners(wb):
    usage_id, entry = _submitted(wb, staff_can_read=False)
    result = comment(wb, usage_id, entry, "Nice.")
    assert result.status == 403 and result.json["error"]["code"] == "entries_private"
    assert "journal-notify" not in wb.render(usage_id, LEARNER_A)  # nothing to be told of

    usage_id, entry = _submitted(wb)
    assert comment(wb, usage_id, entry, "Nice.", user=LEARNER_B).status == 403
    assert comment(wb, usage_id, "not-a-uuid", "Nice.").status == 400
    assert comment(wb, usage_id, "00000000-0000-0000-0000-000000000000", "Nice.").status == 404
    assert wb.call(usage_id, "staff_feedback", {"entry": str(entry)}, user=STAFF).status == 400
    assert comment(wb, usage_id, entry, "x" * 100_001).status == 400
    # A draft is not for staff to read, so not to comment on either.
    draft_block = wb.load(journal_xml())
    save(wb, draft_block, "Still writing")
    assert comment(wb, draft_block, row(draft_block).public_id, "Nice.").status == 404
    # An entry of another block is not found through this one.
    assert comment(wb, draft_block, entry, "Nice.").status == 404
    assert JournalFeedback.objects.count() == 0 and replies() == []


def test_a_learner_can_turn_reply_notifications_off_and_on(wb):
    usage_id, entry = _submitted(wb)
    assert 'class="journal-notify-reply" checked' in wb.render(usage_id, LEARNER_A)
    result = wb.call(usage_id, "reply_notifications", {"enabled": False})
    assert result.status == 200 and result.json == {"enabled": False}
    assert 'class="journal-notify-reply">' in wb.render(usage_id, LEARNER_A)
    comment(wb, usage_id, entry, "Nice.")
    assert replies() == []
    assert wb.call(usage_id, "reply_notifications", {"enabled": "no"}).status == 400
    assert wb.call(usage_id, "reply_notifications", {"enabled": True}).json == {"enabled": True}
    comment(wb, usage_id, row(usage_id, LEARNER_B).public_id, "Nice too.")
    assert replies() == [LEARNER_B]


def test_retiring_a_learner_deletes_the_comments_on_their_entries_and_a_staff_member_loses_authorship(wb):
    usage_id, entry = _submitted(wb)
    comment(wb, usage_id, entry, "For Anna.")
    comment(wb, usage_id, row(usage_id, LEARNER_B).public_id, "For Ben.")
    privacy.retire_journal([LEARNER_A])
    assert list(JournalFeedback.objects.values_list("author_id", "text")) == [(STAFF, "For Ben.")]
    privacy.retire_journal([STAFF])
    # Written to Ben, part of Ben's journal: the text stays, the staff member's id goes.
    assert list(JournalFeedback.objects.values_list("author_id", "text")) == [("", "For Ben.")]
    assert JournalEntry.objects.filter(user_id=LEARNER_B).count() == 1
    staff = get(wb, usage_id, "staff_summary", user=STAFF).json["entries"][0]["feedback"]
    assert staff[0]["author"] == "" and staff[0]["mine"] is False


@pytest.mark.parametrize("comments", [1, 30])
def test_commenting_takes_the_same_queries_whatever_the_number_of_comments(wb, comments):
    usage_id, entry = _submitted(wb)
    for number in range(comments - 1):
        JournalFeedback.objects.create(entry=JournalEntry.objects.get(public_id=entry), author_id=f"staff-{number}",
                                       text="Earlier")
    _, new, _ = count_queries(lambda: comment(wb, usage_id, entry, "Mine."), FEEDBACK_TABLE)
    _, edit, _ = count_queries(lambda: comment(wb, usage_id, entry, "Mine, edited."), FEEDBACK_TABLE)
    _, delete, _ = count_queries(lambda: comment(wb, usage_id, entry, ""), FEEDBACK_TABLE)
    assert (new, edit, delete) == (3, 3, 2)  # entry; UPDATE (0 rows) + INSERT / UPDATE + read back; DELETE
