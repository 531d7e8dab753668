"""Dates relative to the learner in the Studio editors (issue 15, "Dates"), in Chromium on
desktop: peer review's choice between fixed dates and dates relative to each learner, and the
idea board's relative phases, show the matching fields, pass axe, and save. Saving runs on a
workbench of its own."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, open_block, serve_workbench
from .test_idea_board_learner import FREE
from .test_peer_review_learner import ESSAY

pytestmark = pytest.mark.browser
STAFF = "course_staff"
DAYS_14, DAYS_21 = re.compile(r"^14(\.0)?$"), re.compile(r"^21(\.0)?$")  # a number of days, as the editor shows it


@pytest.fixture
def isolated_workbench(migrated_db):
    with serve_workbench(migrated_db) as base:
        yield base


def save(page, root):
    with page.expect_response(re.compile(r"/studio_submit/")) as answer:
        root.get_by_role("button", name="Save", exact=True).click()
    assert answer.value.status == 200, answer.value.text()


def test_peer_review_editor_offers_dates_relative_to_each_learner(new_context, isolated_workbench):
    page = new_context().new_page()
    open_block(page, isolated_workbench, ESSAY, STAFF, "studio_view")
    root = page.locator(".pr-studio")
    expect(root.get_by_label("Fixed dates, the same for everyone")).to_be_checked()
    expect(root.get_by_label(re.compile(r"^Submissions due \("))).to_be_visible()
    expect(root.get_by_label("Days learners have to submit, from their enrolment")).to_be_hidden()

    root.get_by_label("Relative to each learner (self-paced courses)").check()
    expect(root.get_by_label(re.compile(r"^Submissions due \("))).to_be_hidden()
    days = root.get_by_label("Days learners have to submit, from their enrolment")
    expect(days).to_be_visible()
    days.fill("14")
    root.get_by_label("Days for the peer reviews", exact=True).fill("7")
    expect(root.get_by_label("Days for the peer reviews count from")).to_have_value("submission")
    root.get_by_label("Days for the self review count from").select_option("enrolment")
    assert_accessible(page, "peer review editor, relative dates", selector=".pr-studio")
    save(page, root)

    page.reload()
    root = page.locator(".pr-studio")
    expect(root.get_by_label("Relative to each learner (self-paced courses)")).to_be_checked()
    expect(root.get_by_label("Days learners have to submit, from their enrolment")).to_have_value(DAYS_14)
    expect(root.get_by_label("Days for the self review count from")).to_have_value("enrolment")


def test_idea_board_editor_offers_phases_relative_to_each_learner(new_context, isolated_workbench):
    page = new_context().new_page()
    open_block(page, isolated_workbench, FREE, STAFF, "studio_view")
    editor = page.locator(".ibs")
    expect(editor.get_by_label("Days until the vote, from the learner's enrolment")).to_be_hidden()
    editor.get_by_label("Phases switch").select_option("relative")
    expect(editor.get_by_label(re.compile(r"^Voting starts \(UTC\)"))).to_be_hidden()
    editor.get_by_label("Days until the vote, from the learner's enrolment").fill("7")
    editor.get_by_label("Days until the results, from the learner's enrolment").fill("21")
    assert_accessible(page, "idea board editor, relative phases", selector=".ibs")
    save(page, editor)
    page.reload()
    editor = page.locator(".ibs")
    expect(editor.get_by_label("Phases switch")).to_have_value("relative")
    expect(editor.get_by_label("Days until the results, from the learner's enrolment")).to_have_value(DAYS_21)
