"""Notifications end to end on the real libraries: the grade as openedx-events'
USER_NOTIFICATION_REQUESTED (what the LMS's notifications app receives), every other kind as
an edx-ace message rendered by ACE's pipeline from the app's templates into Django's mail
outbox (pytest-django's locmem backend; devstack/settings.py enables ACE's django_email)."""
import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from opaque_keys.edx.keys import CourseKey
from openedx_events.learning.signals import USER_NOTIFICATION_REQUESTED

from tests.queries import statements_of
from xblocks.common.retirement import retire_anonymous_ids
from xblocks.notifications import api, reminders
from xblocks.notifications.kinds import EMAIL, KINDS
from xblocks.notifications.models import Notification, Preference

from .conftest import ACTIVITY, BLOCK, COURSE

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run `action()` as a handler would (in a transaction) and the on-commit deliveries after it."""

    def run(action):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                return action()

    return run


@pytest.fixture
def platform_notifications():
    received = []

    def receiver(signal, sender, notification_data, metadata, **kwargs):  # pylint: disable=unused-argument
        received.append(notification_data)

    USER_NOTIFICATION_REQUESTED.connect(receiver)
    yield received
    USER_NOTIFICATION_REQUESTED.disconnect(receiver)


def test_grade_ready_reaches_the_platform_as_ora_grade_assigned_and_nothing_else(
        lms_learners, sent, platform_notifications):
    author = lms_learners("anon-author")

    assert sent(lambda: api.grade_ready(ACTIVITY, "anon-author", 8, 10)) == ["anon-author"]

    [data] = platform_notifications
    assert data.user_ids == [author.pk]
    assert (data.notification_type, data.app_name) == ("ora_grade_assigned", "grading")
    assert data.course_key == CourseKey.from_string(COURSE)
    assert data.context == {"ora_name": "Pitch your business idea", "points_earned": 8, "points_possible": 10}
    assert data.content_url == f"https://lms.example.org/courses/{COURSE}/jump_to/{BLOCK}"
    assert mail.outbox == []
    assert Notification.objects.get().status == Notification.SENT


def test_reviews_received_is_an_ace_email_naming_no_peer(lms_learners, sent):
    lms_learners("anon-author-1")
    lms_learners("anon-author-2", language="de")
    lms_learners("anon-reviewer")

    told = sent(lambda: api.reviews_received(ACTIVITY, ["anon-author-1", "anon-author-2", "anon-reviewer"],
                                             reviewer_id="anon-reviewer"))

    assert told == ["anon-author-1", "anon-author-2"]  # the reviewer is not told of their own review
    assert sorted(message.to[0] for message in mail.outbox) == ["anon-author-1@example.org",
                                                                 "anon-author-2@example.org"]
    first = next(message for message in mail.outbox if message.to == ["anon-author-1@example.org"])
    assert first.subject == "New feedback on your work in Pitch your business idea"
    assert "A peer has reviewed your work in Pitch your business idea." in first.body
    assert f"https://lms.example.org/courses/{COURSE}/jump_to/{BLOCK}" in first.body
    german = next(message for message in mail.outbox if message.to == ["anon-author-2@example.org"])
    assert 'lang="de"' in german.alternatives[0][0]  # ACE's message carries the learner's language
    for message in mail.outbox:
        assert "anon-reviewer" not in message.body + message.alternatives[0][0] + message.subject
    assert set(Notification.objects.values_list("status", flat=True)) == {Notification.SENT}


def test_text_is_escaped_in_html_and_kept_in_plain_text(lms_learners, sent):
    lms_learners("anon-author")

    sent(lambda: api.idea_response(ACTIVITY, "anon-author", "<b>Bikes & boats</b>", built_on=True,
                                   actor_id="anon-peer"))

    [message] = mail.outbox
    assert "A peer built on your idea \u201c<b>Bikes & boats</b>\u201d." in message.body
    assert "&lt;b&gt;Bikes &amp; boats&lt;/b&gt;" in message.alternatives[0][0]
    assert "<b>Bikes" not in message.alternatives[0][0]


@pytest.mark.parametrize("kind", [name for name, kind in KINDS.items() if kind.channel == EMAIL])
def test_every_email_kind_renders_with_its_own_ace_message_type(kind, lms_learners, sent):
    lms_learners("anon-learner")
    context = {"count": 2, "idea": "Bikes", "variant": "commented"} if kind in ("review_reminder", "idea_response") \
        else {}
    context = {key: context[key] for key in KINDS[kind].required}

    sent(lambda: api.notify(kind, ACTIVITY, ["anon-learner"], context))

    [message] = mail.outbox
    assert message.subject and "Pitch your business idea" in message.body + message.subject
    assert "You can turn off these messages in the activity." in message.body


def test_a_learner_who_turned_a_kind_off_gets_nothing_of_that_kind_in_that_course(lms_learners, sent):
    lms_learners("anon-a")
    lms_learners("anon-b")
    api.set_preference("anon-a", COURSE, "voting_open", False)

    assert sent(lambda: api.voting_open(ACTIVITY, ["anon-a", "anon-b"])) == ["anon-b"]
    assert [message.to for message in mail.outbox] == [["anon-b@example.org"]]
    assert api.preferences_for("anon-a", COURSE, "idea_board") == {"idea_response": True, "voting_open": False}
    assert api.preferences_for("anon-a", "course-v1:Other+X+1")["voting_open"] is True

    api.set_preference("anon-a", COURSE, "voting_open", True)
    assert sent(lambda: api.voting_open(ACTIVITY, ["anon-a"])) == ["anon-a"]


def test_a_rolled_back_action_sends_nothing_and_leaves_no_row(lms_learners, django_capture_on_commit_callbacks,
                                                              platform_notifications):
    lms_learners("anon-author")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                api.grade_ready(ACTIVITY, "anon-author", 1, 2)
                api.journal_reply(ACTIVITY, "anon-author")
                raise RuntimeError("the review could not be saved")

    assert callbacks == [] and mail.outbox == [] and platform_notifications == []
    assert not Notification.objects.exists()


def test_outside_the_lms_nothing_is_sent_and_the_outbox_says_so(db, sent, platform_notifications):
    assert sent(lambda: api.grade_ready(ACTIVITY, "workbench-learner", 3, 4)) == ["workbench-learner"]
    assert platform_notifications == [] and mail.outbox == []
    assert Notification.objects.get().status == Notification.UNRESOLVED


def test_a_failing_channel_marks_the_row_and_does_not_reach_the_caller(lms_learners, sent, monkeypatch):
    lms_learners("anon-author")
    monkeypatch.setattr("edx_ace.ace.send", lambda message: (_ for _ in ()).throw(OSError("SMTP down")))

    sent(lambda: api.journal_reply(ACTIVITY, "anon-author"))

    assert Notification.objects.get().status == Notification.FAILED


def test_mistakes_of_the_caller_are_refused(db):
    with pytest.raises(ValueError):
        api.notify("review_ready", ACTIVITY, ["a"])
    with pytest.raises(ValueError):
        api.notify("review_reminder", ACTIVITY, ["a"])  # no count
    with pytest.raises(ValueError):
        api.notify("idea_response", ACTIVITY, ["a"], {"idea": "x", "variant": "liked"})
    with pytest.raises(TypeError):
        api.voting_open(ACTIVITY, "anon-a")
    with pytest.raises(ValueError):
        api.set_preference(None, COURSE, "voting_open", False)


@pytest.fixture
def owed_reviews():
    owed = {}
    reminders.register_reminder_source("test", lambda now: [reminders.Due(ACTIVITY, dict(owed))])
    yield owed
    reminders._sources.pop("test", None)  # pylint: disable=protected-access


def test_the_reminder_command_reminds_once_per_learner_and_block_per_period(lms_learners, owed_reviews,
                                                                             django_capture_on_commit_callbacks):
    for learner in ("anon-a", "anon-b", "anon-c"):
        lms_learners(learner)
    owed_reviews.update({"anon-a": 2, "anon-b": 1, "anon-c": 0})

    with django_capture_on_commit_callbacks(execute=True):
        call_command("bizmooc_send_review_reminders", "--every-days", "3")
    assert sorted(message.to[0] for message in mail.outbox) == ["anon-a@example.org", "anon-b@example.org"]
    assert "Reviews still to give in Pitch your business idea: 2." in next(
        message.body for message in mail.outbox if message.to == ["anon-a@example.org"])

    with django_capture_on_commit_callbacks(execute=True):
        call_command("bizmooc_send_review_reminders", "--every-days", "3")
        assert reminders.send_review_reminders(3) == 0
    assert len(mail.outbox) == 2

    later = Notification.objects.latest("created").created + reminders.timedelta(days=3, seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_review_reminders(3, now=later) == 2
    assert len(mail.outbox) == 4


def test_retirement_deletes_the_learners_rows_and_choices(lms_learners, sent):
    lms_learners("anon-a")
    lms_learners("anon-b")
    sent(lambda: api.voting_open(ACTIVITY, ["anon-a", "anon-b"]))
    api.set_preference("anon-a", COURSE, "journal_reply", False)

    assert retire_anonymous_ids(["anon-a"])["bizmooc_notifications"] == 2

    assert list(Notification.objects.values_list("user_id", flat=True)) == ["anon-b"]
    assert not Preference.objects.exists()


def test_queries_per_notification_do_not_grow_with_the_recipients(lms_learners, sent):
    ids = [f"anon-{i:02d}" for i in range(50)]
    for uid in ids:
        lms_learners(uid)
    api.set_preference(ids[1], COURSE, "voting_open", False)

    one, _ = statements_of(lambda: sent(lambda: api.voting_open(ACTIVITY, ids[:1])))
    fifty, _ = statements_of(lambda: sent(lambda: api.voting_open(ACTIVITY, ids)))

    assert len(fifty) == len(one) <= 6, fifty
    assert len(mail.outbox) == 50  # 1 + 49 (one turned it off)


def test_the_workbench_page_shows_what_would_have_been_sent(db, sent, client):
    sent(lambda: api.idea_response(ACTIVITY, "workbench-learner", "Bikes"))
    sent(lambda: api.grade_ready(ACTIVITY, "workbench-learner", 3, 4))

    page = client.get("/notifications/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "A peer responded to your idea in Pitch your business idea" in text
    assert "A peer commented on your idea \u201cBikes\u201d." in text
    assert "ora_grade_assigned" in text and "unresolved" in text
