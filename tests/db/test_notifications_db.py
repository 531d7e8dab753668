"""Review reminders racing on a real database: two cron runs at the same moment (an operator's
overlapping schedules) remind each learner once (the outbox's unique key per period)."""
import pytest

from xblocks.notifications import reminders
from xblocks.notifications.api import Activity
from xblocks.notifications.models import Notification

pytestmark = pytest.mark.django_db(transaction=True)

ACTIVITY = Activity("course-v1:BizMOOC+PR+2026", "block-v1:BizMOOC+PR+2026+type@bizmooc_peer_review+block@x",
                    "Pitch")


@pytest.fixture
def owed():
    learners = {f"anon-{i}": 1 for i in range(20)}
    reminders.register_reminder_source("db-test", lambda now: [reminders.Due(ACTIVITY, learners)])
    yield learners
    reminders._sources.pop("db-test", None)  # pylint: disable=protected-access


def test_concurrent_reminder_runs_remind_each_learner_once(owed, run_together):
    outcomes = run_together(4, lambda i: reminders.send_review_reminders(3))

    assert all(kind == "ok" for kind, _value in outcomes), outcomes
    assert sum(value for _kind, value in outcomes) == len(owed)
    assert Notification.objects.count() == len(owed)
    assert sorted(Notification.objects.values_list("user_id", flat=True)) == sorted(owed)
