"""Issue 13 in the browser: course staff comment on an entry by keyboard (desktop and phone),
the learner reads it under the entry and can turn the notification off; where revisions are off,
Submit asks first; every date on the page is written by BizMOOC.formatDate, one format."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, open_block, type_into

pytestmark = pytest.mark.browser

TWO_PROMPTS = 1  # staff may read, revisions allowed
PRIVATE = 2  # staff may not read, no revisions, at least 50 words
SIZES = {"desktop": (1100, 900), "phone": (390, 844)}

ENTRY = ("This week I tried retrieval practice: after each video I closed the notes and wrote down the three "
         "ideas I remembered. It felt slower than rereading, but on Friday I could still explain them.")
HABIT = ("The habit I will keep is a weekly learning plan on Monday morning: what I want to learn, when, and "
         "how I will check that I learnt it. To keep it I need my manager to protect one hour a week in my "
         "calendar and a peer who plans with me, so that we keep each other honest when work gets busy.")


def submit(page, text):
    section = page.locator(".journal-prompt[data-prompt='0']")
    type_into(section.locator(".journal-text"), text)
    with page.expect_response(re.compile(r"/submit_entry/")) as answer:
        section.locator(".journal-submit").click()
    assert answer.value.ok, answer.value.text()
    expect(page.locator(".bizmooc-live")).to_have_text("Entry submitted.")


def dates_follow_the_shared_format(page):
    """Every <time> the server rendered reads as BizMOOC.formatDate writes its datetime."""
    pairs = page.evaluate("""() => Array.from(document.querySelectorAll('time.bizmooc-date')).map(
        node => [node.textContent, BizMOOC.formatDate(node.getAttribute('datetime'))])""")
    assert pairs and all(shown == expected for shown, expected in pairs), pairs
    return pairs


@pytest.mark.parametrize("size", SIZES)
def test_staff_comment_by_keyboard_and_the_learner_reads_it(new_context, workbench, size):
    learner = f"feedback_{size}"  # the learner fixture cuts the name before the size
    width, height = SIZES[size]
    student = open_block(new_context(width, height).new_page(), workbench, TWO_PROMPTS, learner)
    text = f"{ENTRY} ({learner})"
    submit(student, text)

    staff = open_block(new_context(width, height).new_page(), workbench, TWO_PROMPTS, "course_staff")
    staff.get_by_role("button", name="Show responses").click()
    row = staff.locator(".journal-staff-table tbody tr", has_text=learner)
    expect(row).to_have_count(1)
    figures = staff.locator(".journal-figures")
    expect(figures).to_contain_text("Entries with feedback")

    opener = row.get_by_role("button", name="Comment on this entry")
    opener.focus()
    staff.keyboard.press("Enter")
    field = row.get_by_label("Your comment to the learner (only they can read it)")
    expect(field).to_be_focused()
    staff.keyboard.type("Good start <b>really</b>: now try it without the video paused.")
    staff.keyboard.press("Tab")
    expect(row.get_by_role("button", name="Save comment")).to_be_focused()
    with staff.expect_response(re.compile(r"/staff_feedback/")) as answer:
        staff.keyboard.press("Enter")
    assert answer.value.ok, answer.value.text()
    expect(staff.locator(".bizmooc-live").first).to_have_text(re.compile("Comment saved"))
    expect(row.locator(".journal-feedback-author")).to_have_text("Your comment")
    expect(row.get_by_role("button", name="Edit your comment")).to_be_focused()
    assert_accessible(staff, f"staff panel with a comment ({size})")

    student.reload()
    feedback = student.locator(".journal-prompt[data-prompt='0'] .journal-feedback")
    expect(feedback.get_by_role("heading", name="Feedback from the course team")).to_be_visible()
    expect(feedback.locator(".journal-feedback-text")).to_have_text(
        "Good start <b>really</b>: now try it without the video paused.")  # as text, never markup
    dates_follow_the_shared_format(student)
    choice = student.get_by_label("Tell me when the course team comments on one of my entries")
    expect(choice).to_be_checked()
    with student.expect_response(re.compile(r"/reply_notifications/")) as answer:
        choice.press("Space")
    assert answer.value.json() == {"enabled": False}
    expect(student.locator(".bizmooc-live")).to_have_text("Your choice is saved.")
    assert_accessible(student, f"learner with feedback ({size})")
    student.reload()
    expect(student.get_by_label("Tell me when the course team comments on one of my entries")).not_to_be_checked()

    # Staff delete their comment: it is gone for the learner.
    staff.locator(".journal-staff-table tbody tr", has_text=learner).get_by_role(
        "button", name="Edit your comment").click()
    with staff.expect_response(re.compile(r"/staff_feedback/")):
        row.get_by_role("button", name="Delete comment").click()
    expect(staff.locator(".bizmooc-live").first).to_have_text("Comment deleted.")
    student.reload()
    expect(student.locator(".journal-feedback")).to_have_count(0)


@pytest.mark.parametrize("size", SIZES)
def test_submitting_a_locked_entry_asks_first_by_keyboard(new_context, workbench, size):
    learner = f"locked_{size}"
    page = open_block(new_context(*SIZES[size]).new_page(), workbench, PRIVATE, learner)
    section = page.locator(".journal-prompt[data-prompt='0']")
    type_into(section.locator(".journal-text"), HABIT)
    submit_button = section.locator(".journal-submit")
    confirm = section.get_by_role("group", name=re.compile("Once submitted, an entry cannot be changed."))
    expect(confirm).to_be_hidden()

    submit_button.focus()
    page.keyboard.press("Enter")
    expect(confirm).to_be_visible()
    expect(confirm.get_by_role("button", name="Submit for good")).to_be_focused()
    assert_accessible(page, f"with the confirmation open ({size})")
    page.keyboard.press("Escape")  # changed their mind: nothing sent, back on Submit
    expect(confirm).to_be_hidden()
    expect(submit_button).to_be_focused()
    expect(section.locator(".journal-text")).to_be_editable()

    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(confirm.get_by_role("button", name="Keep writing")).to_be_focused()
    page.keyboard.press("Enter")
    expect(confirm).to_be_hidden()
    expect(submit_button).to_be_focused()

    page.keyboard.press("Enter")
    with page.expect_response(re.compile(r"/submit_entry/")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.ok, answer.value.text()
    expect(page.locator(".bizmooc-live")).to_have_text("Entry submitted.")
    expect(section.locator(".journal-text")).not_to_be_editable()
    expect(section.locator(".journal-confirm")).to_have_count(0)
    # The status the browser wrote and the one the server renders after a reload read the same.
    shown = section.locator(".journal-status").inner_text()
    page.reload()
    pairs = dates_follow_the_shared_format(page)
    assert page.locator(".journal-prompt[data-prompt='0'] .journal-status").inner_text() == shown, pairs
