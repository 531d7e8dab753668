"""`student_view_data` (the mobile apps' data, through the Course Blocks API) is collected by
the platform once per course when it is published, with no user (devstack PublishRuntime
mirrors that runtime), and cached for every learner: each component's data must build there
and be the same whoever asks afterwards."""
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from tests.conftest import LEARNER_A, LEARNER_B, STAFF

BLOCKS = {
    "reflection journal": "<bizmooc_reflection_journal/>",
    "self-assessment": "<bizmooc_self_assessment/>",
    "canvas": "<bizmooc_canvas/>",
    "idea board, fixed phases": '<bizmooc_idea_board phase_mode="dates" vote_start="2027-01-10T09:00"/>',
    "idea board, phases relative to each learner":
        '<bizmooc_idea_board phase_mode="relative" vote_after_days="7" results_after_days="21"/>',
    "peer review, relative dates": '<bizmooc_peer_review dates_mode="relative" submission_due_days="14"/>',
}

NOW = timezone.now()


@pytest.mark.parametrize("xml", BLOCKS.values(), ids=BLOCKS.keys())
def test_the_mobile_data_builds_without_a_user_and_is_the_same_for_everyone(wb, xml):
    usage_id = wb.load(xml)
    starts = {LEARNER_A: (NOW - timedelta(days=30)).isoformat(), LEARNER_B: (NOW - timedelta(days=2)).isoformat()}
    with override_settings(BIZMOOC_WORKBENCH_LEARNER_STARTS=starts):
        collected = wb.published(usage_id).student_view_data()
        assert collected
        for user in (LEARNER_A, LEARNER_B, STAFF):
            assert wb.block(usage_id, user).student_view_data() == collected, user
