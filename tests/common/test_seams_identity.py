"""Who is calling, as the platform's user service says it (xblocks/common/seams.py, 1 and 2):
a learner in the LMS, course staff, a visitor, and a course author in Studio, where the user
service carries no anonymous id and write access comes from `studio_user_permissions`."""
import pytest

from devstack.platform_services import user_attrs
from tests.conftest import LEARNER_A, LMS_ANONYMOUS, STAFF, STUDIO_STAFF, InStudio, lms_user
from xblocks.common.seams import caller_of, can_edit


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
    assert not found.is_authenticated and not found.is_staff and not found.is_signed_in


def test_lms_user_named_like_a_devstack_staff_id_is_not_staff(wb, journal):
    # The devstack's list of staff ids never grants anything: only the user service's flag does.
    found = caller(wb, journal, lms_user(STAFF, is_staff=False))
    assert found.user_id == STAFF and not found.is_staff


def test_workbench_attributes_alone_identify_nobody(wb, journal):
    # The SDK's own user service (only `xblock-workbench.user_id`) is not the platform's.
    assert not caller(wb, journal, {"xblock-workbench.user_id": STAFF}).is_signed_in


def test_devstack_learners_get_the_platform_attributes(wb, journal):
    found = caller(wb, journal, LEARNER_A)
    assert (found.user_id, found.is_staff, found.is_authenticated) == (LEARNER_A, False, True)
    assert caller(wb, journal, "learner_b").user_id != found.user_id
    assert caller(wb, journal, STAFF).is_staff


def test_devstack_staff_ids_come_from_its_settings(wb, journal, settings):
    settings.WORKBENCH_STAFF_IDS = ["teacher"]
    assert caller(wb, journal, "teacher").is_staff
    assert not caller(wb, journal, STAFF).is_staff


def test_studio_user_has_no_anonymous_id_but_is_signed_in(wb, journal):
    found = caller(wb, journal, STUDIO_STAFF)
    assert found.user_id is None and not found.is_authenticated
    assert found.is_signed_in and found.account_id == STAFF and not found.is_staff


def test_the_devstack_shapes_users_as_the_platform_does():
    # load_services_for_studio: DjangoXBlockUserService(user) -> anonymous id None, staff False.
    assert user_attrs("u1", in_studio=True) == {
        "edx-platform.is_authenticated": True, "edx-platform.anonymous_user_id": None,
        "edx-platform.user_id": "u1", "edx-platform.username": "u1", "edx-platform.user_is_staff": False}
    assert user_attrs("") == {"edx-platform.is_authenticated": False}


def test_write_access_only_in_studio_and_only_for_the_course_team(wb, journal):
    assert can_edit(wb.block(journal, STUDIO_STAFF))
    assert not can_edit(wb.block(journal, InStudio(LEARNER_A)))   # signed in to Studio, not on the team
    assert not can_edit(wb.block(journal, STAFF))                 # the LMS has no editor
    assert not can_edit(wb.block(journal, lms_user("anon", is_staff=True)))


def test_no_user_at_all_is_anonymous(wb, journal):
    found = caller(wb, journal, {})
    assert found.user_id is None and not found.is_authenticated and not found.is_staff


@pytest.mark.parametrize("block_type", ["bizmooc_reflection_journal", "bizmooc_self_assessment", "bizmooc_canvas",
                                        "bizmooc_idea_board", "bizmooc_peer_review"])
def test_studio_previews_the_author_view_of_every_block(wb, block_type):
    # cms/djangoapps/contentstore/views/preview.py: AUTHOR_VIEW if has_author_view(block) else
    # STUDENT_VIEW, with xmodule/studio_editable.py: getattr(block, 'has_author_view', False).
    block = wb.block(wb.load(f"<{block_type}/>"), STUDIO_STAFF)
    preview_view = "author_view" if getattr(block, "has_author_view", False) else "student_view"
    assert preview_view == "author_view"
    assert block.render(preview_view, {}).content.strip()
