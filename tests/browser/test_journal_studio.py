"""Studio editing as course staff: a refused save shows the message at the right field and
stores nothing; a valid save reaches the learner's view."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, open_block

pytestmark = pytest.mark.browser

PRIVATE = 2  # at least 50 words, one prompt; restored at the end of the test
NEW_PROMPT = "<p>Which of your habits surprised you most while keeping this journal?</p>"

FORM_VALUES = """form => ({
    display_name: form.elements.display_name.value,
    journal_name: form.elements.journal_name.value,
    prompts: Array.from(form.querySelectorAll('[data-setting="prompts"] .bizmooc-rows textarea')).map(t => t.value),
    guidance: form.elements.guidance.value,
    example_entry: form.elements.example_entry.value,
    min_words: parseInt(form.elements.min_words.value || '0', 10),
    max_words: parseInt(form.elements.max_words.value || '0', 10),
    allow_revisions: form.elements.allow_revisions.checked,
    staff_can_read: form.elements.staff_can_read.checked,
    graded: form.elements.graded.checked,
    weight: parseFloat(form.elements.weight.value || '0'),
})"""


def studio(page, workbench):
    open_block(page, workbench, PRIVATE, "course_staff", view="studio_view")
    return page.locator(".bizmooc-journal .bizmooc-settings-form")


def restore(page, workbench, original):
    """Put the scenario back as it was, through the same handler the form uses."""
    page.goto(workbench + "/")
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    usage = studio(page, workbench).evaluate("f => f.closest('.xblock-v1').dataset.usage")
    answer = page.request.post(f"{workbench}/studio/handler/{usage}/studio_submit/?student=course_staff",
                               data=original, headers={"X-CSRFToken": csrf, "Referer": workbench + "/"})
    assert answer.ok, answer.text()


def test_studio_refuses_impossible_limits_then_saves(page, workbench, learner, page_errors):
    page_errors.allow(r"status of 400")  # the refused save, on purpose
    form = studio(page, workbench)
    original = form.evaluate(FORM_VALUES)
    try:
        form.get_by_role("button", name="Add a prompt").click()
        new_prompt = form.locator("[data-setting='prompts'] .bizmooc-rows textarea").last
        expect(new_prompt).to_be_focused()
        new_prompt.press_sequentially(NEW_PROMPT)
        form.get_by_label("Minimum words").fill("500")
        form.get_by_label("Maximum words (0: no maximum)").fill("100")
        with page.expect_response(lambda r: "/studio_submit/" in r.url) as answer:
            form.get_by_role("button", name="Save").click()
        assert answer.value.status == 400

        message = "The maximum number of words must not be below the minimum."
        max_words = form.get_by_label("Maximum words (0: no maximum)")
        expect(form.locator(":scope > .bizmooc-error")).to_have_text(message)
        # Next to the right field, tied to it for screen readers, and focused.
        note = max_words.locator("xpath=following-sibling::p[contains(@class, 'bizmooc-field-error')]")
        expect(note).to_have_text(message)
        expect(max_words).to_have_attribute("aria-invalid", "true")
        assert note.get_attribute("id") in max_words.get_attribute("aria-describedby").split()
        expect(max_words).to_be_focused()
        expect(form.get_by_label("Minimum words")).not_to_have_attribute("aria-invalid", "true")
        assert form.locator(".bizmooc-field-error").count() == 1
        assert_accessible(page, "with a validation error")

        # Nothing was saved.
        form = studio(page, workbench)
        assert form.evaluate(FORM_VALUES) == original

        form.get_by_role("button", name="Add a prompt").click()
        form.locator("[data-setting='prompts'] .bizmooc-rows textarea").last.press_sequentially(NEW_PROMPT)
        form.get_by_label("Minimum words").fill("500")
        form.get_by_label("Maximum words (0: no maximum)").fill("100")
        form.get_by_role("button", name="Save").click()
        expect(form.locator(".bizmooc-field-error")).to_have_count(1)
        # Fix it and save again: the error goes away and the save is announced.
        form.get_by_label("Minimum words").fill("60")
        form.get_by_label("Maximum words (0: no maximum)").fill("300")
        form.get_by_role("button", name="Save").click()
        expect(form.locator(".bizmooc-live")).to_have_text("Settings saved.")
        expect(form.locator(".bizmooc-field-error")).to_have_count(0)
        expect(form.locator(":scope > .bizmooc-error")).to_be_hidden()
        expect(form.get_by_label("Maximum words (0: no maximum)")).not_to_have_attribute("aria-invalid", "true")

        open_block(page, workbench, PRIVATE, learner)
        prompts = page.locator(".journal-prompt")
        expect(prompts).to_have_count(2)
        expect(prompts.nth(1).locator(".journal-prompt-text")).to_have_text(
            "Which of your habits surprised you most while keeping this journal?")
        expect(prompts.nth(1).get_by_label("Your reflection on prompt 2")).to_be_visible()
        expect(prompts.nth(0).locator(".journal-count")).to_contain_text(re.compile(r"60\D+300"))
    finally:
        restore(page, workbench, original)
    open_block(page, workbench, PRIVATE, learner)
    expect(page.locator(".journal-prompt")).to_have_count(1)


def test_a_studio_user_without_write_access_cannot_save(page, workbench, learner, page_errors):
    """Studio runs a block's handlers for anyone signed in: the save itself must refuse."""
    page_errors.allow(r"status of 403")  # the refused save, on purpose
    open_block(page, workbench, PRIVATE, learner, view="studio_view")  # a learner, not on the course team
    form = page.locator(".bizmooc-journal .bizmooc-settings-form")
    original = form.evaluate(FORM_VALUES)
    form.get_by_label("Minimum words").fill("7")
    with page.expect_response(lambda r: "/studio/handler/" in r.url and "/studio_submit/" in r.url) as answer:
        form.get_by_role("button", name="Save").click()
    assert answer.value.status == 403
    expect(form.locator(":scope > .bizmooc-error")).to_have_text("Only course authors can change this component.")
    assert studio(page, workbench).evaluate(FORM_VALUES) == original
