"""Who is calling: Open edX's user attributes first, the workbench learner id only
outside Open edX, and staff rights from the operator's list only in the workbench."""
import pytest

from tests.conftest import LEARNER_A, LMS_ANONYMOUS, STAFF, lms_user
from xblocks.common.identity import caller_of


@pytest.fixture
def journal(wb):
    return wb.load("<bizmooc_reflection_journal/>")


def caller(wb, usage_id, user):
    return caller_of(wb.block(usage_id, user))


def test_lms_learner(wb, journal):
    found = caller(wb, journal, lms_user("5e3b0c1d9f2a4b6c8d0e1f2a3b4c5d6e", username="maria"))
    assert found.user_id == "5e3b0c1d9f2a4b6c8d0e1f2a3b4c5d6e"
    assert found.is_authenticated and not found.is_staff
    assert found.username == "maria"


def test_lms_staff(wb, journal):
    found = caller(wb, journal, lms_user("anon-staff", is_staff=True))
    assert found.is_staff and found.user_id == "anon-staff"


def test_lms_signed_out_visitor_is_anonymous_even_with_an_id(wb, journal):
    assert not caller(wb, journal, LMS_ANONYMOUS).is_authenticated
    # Open edX may still hand out an anonymous id for AnonymousUser: it names nobody.
    attrs = dict(LMS_ANONYMOUS, **{"edx-platform.anonymous_user_id": "some-id", "edx-platform.user_is_staff": True})
    found = caller(wb, journal, attrs)
    assert found.user_id is None
    assert not found.is_authenticated and not found.is_staff


def test_lms_user_named_like_a_workbench_staff_id_is_not_staff(wb, journal):
    # WORKBENCH_STAFF_IDS must never grant staff rights inside Open edX.
    found = caller(wb, journal, lms_user(STAFF, is_staff=False))
    assert found.user_id == STAFF and not found.is_staff


def test_lms_attributes_win_over_the_workbench_id(wb, journal):
    attrs = dict(lms_user("anon-9"), **{"xblock-workbench.user_id": STAFF})
    found = caller(wb, journal, attrs)
    assert (found.user_id, found.is_staff) == ("anon-9", False)


def test_workbench_learner_id_is_the_fallback(wb, journal):
    found = caller(wb, journal, LEARNER_A)
    assert (found.user_id, found.is_staff, found.is_authenticated) == (LEARNER_A, False, True)


def test_workbench_learners_are_told_apart(wb, journal):
    assert caller(wb, journal, "learner_a").user_id != caller(wb, journal, "learner_b").user_id


def test_workbench_staff_ids_come_from_operator_settings(wb, journal, settings):
    assert caller(wb, journal, STAFF).is_staff
    settings.XBLOCK_SETTINGS = {"bizmooc": {"WORKBENCH_STAFF_IDS": ["teacher"]}}
    assert caller(wb, journal, "teacher").is_staff
    assert not caller(wb, journal, STAFF).is_staff


def test_no_user_at_all_is_anonymous(wb, journal):
    found = caller(wb, journal, {})
    assert found.user_id is None and not found.is_authenticated and not found.is_staff
