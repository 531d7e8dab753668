"""Peer review as course staff use it, in Chromium: the dashboard (summary, grade
distribution, filters, pages), one submission with its reviews and reviewers, a staff grade,
an override with a reason that the learner then sees, removing a submission and resetting a
learner (both confirmed), the CSV downloads, and axe-core on each state.
"""
import re

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, assert_accessible, open_block
from .test_peer_review_learner import (
    ESSAY,
    ROOT,
    block,
    choose_by_keyboard,
    essay,
    learner_page,
    own_workbench,
    review_next_by_keyboard,
    submit_text,
)

pytestmark = pytest.mark.browser
STAFF = "course_staff"
__all__ = ["own_workbench"]  # the fixture, imported for this module's tests


def open_dashboard(page, base):
    open_block(page, base, ESSAY, STAFF)
    page.wait_for_selector(f"{ROOT} .pr-steps li")
    staff = block(page).locator(".pr-staff")
    toggle = staff.get_by_role("button", name="Show the dashboard")
    toggle.click()
    expect(staff.get_by_role("button", name="Hide the dashboard")).to_have_attribute("aria-expanded", "true")
    return staff


def summary(staff):
    terms = staff.locator(".pr-summary dt").all_inner_texts()
    values = staff.locator(".pr-summary dd").all_inner_texts()
    return dict(zip(terms, values))


def row(staff, learner):
    return staff.locator(".pr-rows tbody tr", has_text=learner)


def test_staff_dashboard_grade_override_remove_and_reset(new_context, own_workbench):
    base = own_workbench
    ana, ben, cem = (learner_page(new_context, base, name) for name in ("staff_ana", "staff_ben", "staff_cem"))
    for page, name in ((ana, "Ana"), (ben, "Ben"), (cem, "Cem")):
        submit_text(page, essay(name))
    reviewed = [review_next_by_keyboard(ana, downs=0) for _ in (1, 2)]  # Ana reviews Ben and Cem

    page = new_context().new_page()
    staff = open_dashboard(page, base)
    expect(staff.locator(".pr-rows tbody tr")).to_have_count(3)
    facts = summary(staff)
    assert facts["Submissions"] == "3", facts
    assert facts["Waiting for reviews"] in {"2", "3"}, facts
    expect(staff.locator(".pr-distribution caption")).to_have_text("Grade distribution")
    expect(row(staff, "staff_ben").locator("td").nth(2)).to_have_text("1")
    expect(row(staff, "staff_ana").locator("td").nth(3)).to_have_text("2")
    expect(staff.locator(".pr-page")).to_have_text(re.compile(r"Page 1 of 1 \(3 submissions\)"))
    assert_accessible(page, "on the staff dashboard")

    # Open Ben's submission: his text, Ana's review with her name (staff only), no grade yet.
    row(staff, "staff_ben").get_by_role("button", name=re.compile("Open")).click()
    viewer = staff.locator(".pr-staff-view")
    expect(viewer).to_be_focused()
    expect(viewer.locator("h5")).to_have_text("Submission of staff_ben")
    expect(viewer.locator(".pr-sv-content")).to_have_text(essay("Ben"))
    assert essay("Ben") in reviewed
    expect(viewer.locator(".pr-sv-reviews .pr-review")).to_have_count(1)
    expect(viewer.locator(".pr-sv-reviews .pr-review")).to_contain_text("Reviewer: staff_ana")
    expect(viewer.get_by_role("button", name="Report this review")).to_have_count(0)

    # Staff grade: the rubric form, by keyboard; the top option everywhere is 10 of 10.
    viewer.locator("summary", has_text="Grade it as staff").click()
    form = viewer.locator(".pr-staff-form")
    form.get_by_role("button", name="Save the staff grade").click()
    expect(form.locator("[aria-invalid=true]").first).to_be_focused()
    choose_by_keyboard(page, form, 99)
    form.get_by_role("button", name="Save the staff grade").click()
    expect(block(page).locator(".bizmooc-live")).to_have_text("Staff grade saved.")
    expect(viewer.locator(".pr-sv-reviews .pr-review")).to_have_count(2)
    expect(viewer.locator(".pr-sv-reviews")).to_contain_text("(course team)")
    assert_accessible(page, "with a submission open")

    # Override: points and a reason are needed; the learner sees the new grade.
    viewer.locator("summary", has_text="Override the grade").click()
    override = viewer.locator(".pr-override-form")
    override.get_by_role("button", name="Override").click()
    expect(override.get_by_label("Points")).to_have_attribute("aria-invalid", "true")
    override.get_by_label("Points").fill("7")
    override.get_by_role("button", name="Override").click()
    expect(override.get_by_label(re.compile("^Reason"))).to_be_focused()
    override.get_by_label(re.compile("^Reason")).fill("Late, but agreed with the learner.")
    override.get_by_role("button", name="Override").click()
    expect(block(page).locator(".bizmooc-live")).to_have_text("Grade overridden.")
    expect(viewer.locator(".pr-sv-grade .pr-grade-line")).to_have_text("Grade: 7 of 10 points")
    ben.reload()
    open_block(ben, base, ESSAY, "staff_ben")
    expect(block(ben).locator(".pr-grade-line")).to_contain_text("7 of 10 points")
    expect(block(ben).locator(".pr-explanation")).to_contain_text("Late, but agreed with the learner.")

    # Remove Cem's submission: a reason, then a confirmation; Cancel keeps it.
    viewer.get_by_role("button", name="Close").click()
    expect(row(staff, "staff_ben").get_by_role("button")).to_be_focused()
    row(staff, "staff_cem").get_by_role("button", name=re.compile("Open")).click()
    viewer.locator("summary", has_text="Remove or reset").click()
    remove = viewer.locator(".pr-remove-form")
    remove.get_by_label("Reason for removing the submission").fill("Copied from a website.")
    remove.get_by_role("button", name="Remove the submission").click()
    viewer.get_by_role("button", name="Cancel").click()
    expect(remove.get_by_role("button", name="Remove the submission")).to_be_focused()
    remove.get_by_role("button", name="Remove the submission").click()
    expect(viewer.get_by_role("button", name="Yes, remove it")).to_be_focused()
    assert_accessible(page, "confirming a removal")
    viewer.get_by_role("button", name="Yes, remove it").click()
    expect(block(page).locator(".bizmooc-live")).to_have_text("Submission removed.")
    expect(viewer).to_be_hidden()
    expect(row(staff, "staff_cem")).to_contain_text("removed")
    # Cem is told his work was removed, why, and whom to ask; not that a deadline passed.
    cem.reload()
    open_block(cem, base, ESSAY, "staff_cem")
    notice = block(cem).locator(".pr-removed")
    expect(notice).to_be_visible()
    expect(notice.get_by_role("heading", name="Your submission was removed")).to_be_visible()
    expect(notice.locator(".pr-removed-reason")).to_have_text("Copied from a website.")
    expect(notice).to_contain_text("ask the course team")
    expect(block(cem)).not_to_contain_text("deadline has passed")
    expect(block(cem).locator(".pr-submit, .pr-mine, .pr-peer")).to_have_count(3)
    expect(block(cem).locator(".pr-submit:visible, .pr-mine:visible, .pr-peer:visible")).to_have_count(0)
    assert_accessible(cem, "with a removed submission", selector=ROOT)

    # Reset Ana: she may submit again.
    row(staff, "staff_ana").get_by_role("button", name=re.compile("Open")).click()
    viewer.locator("summary", has_text="Remove or reset").click()
    viewer.get_by_role("button", name=re.compile("Reset the learner")).click()
    viewer.get_by_role("button", name="Yes, reset").click()
    expect(block(page).locator(".bizmooc-live")).to_have_text("Learner reset.")
    ana.reload()
    open_block(ana, base, ESSAY, "staff_ana")
    expect(block(ana).get_by_role("button", name="Submit for review")).to_be_visible()

    # Filters and exports.
    staff.get_by_label("Show", exact=True).select_option("to_staff")
    expect(staff.locator(".pr-no-rows")).to_be_visible()
    staff.get_by_label("Show", exact=True).select_option("all")
    expect(staff.locator(".pr-rows tbody tr").first).to_be_visible()
    for what in ("Submissions", "Reviews", "Grades"):
        href = staff.get_by_role("link", name=f"{what} (CSV)").evaluate("a => a.href")
        response = page.request.get(href)
        assert response.status == 200, what
        assert "text/csv" in response.headers["content-type"], what
        assert response.text().count("\n") >= 1, what


def test_a_reported_review_shows_in_the_flagged_filter(new_context, own_workbench):
    base = own_workbench
    ana, ben, cem = (learner_page(new_context, base, name) for name in ("flag_ana", "flag_ben", "flag_cem"))
    for page, name in ((ana, "Ana"), (ben, "Ben"), (cem, "Cem")):
        submit_text(page, essay(name))
    review_next_by_keyboard(ben)
    review_next_by_keyboard(ben)
    review_next_by_keyboard(ana)  # Ben did his reviews: he is served first
    ben.reload()
    open_block(ben, base, ESSAY, "flag_ben")
    received = block(ben).locator(".pr-results .pr-review").filter(has_text="(peer review)")
    expect(received).to_have_count(1)
    received.get_by_role("button", name="Report this review").click()
    received.get_by_label(re.compile("^Why should")).fill("Insulting.")
    received.get_by_role("button", name="Send the report").click()
    expect(received.locator(".pr-flagged")).to_have_text(re.compile("You reported"))

    page = new_context(width=1280).new_page()
    staff = open_dashboard(page, base)
    expect(staff.locator(".pr-rows tbody tr")).to_have_count(3)
    staff.get_by_label("Show", exact=True).select_option("flagged")
    expect(staff.locator(".pr-rows tbody tr")).to_have_count(1)
    expect(row(staff, "flag_ben")).to_contain_text("reported by the learner")
    row(staff, "flag_ben").get_by_role("button", name=re.compile("Open")).click()
    expect(staff.locator(".pr-sv-reviews .pr-flagged")).to_have_text("reported by the learner")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.add_style_tag(content=".workbench .banner { position: static; }")
    staff.screenshot(path=str(SCREENSHOTS / "peer-review-staff.png"), animations="disabled", caret="hide")
    assert_accessible(page, "with the flagged filter")


def test_the_staff_view_works_at_320px(new_context, own_workbench):
    base = own_workbench
    submit_text(learner_page(new_context, base, "narrow_ana"), essay("Ana"))
    page = new_context(width=320, height=640).new_page()
    staff = open_dashboard(page, base)
    row(staff, "narrow_ana").get_by_role("button", name=re.compile("Open")).click()
    expect(staff.locator(".pr-staff-view")).to_be_visible()
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 320
    assert_accessible(page, "staff view at 320 px", selector=ROOT)
