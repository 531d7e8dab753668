"""The idea board's Studio editor in Chromium, as course staff: every scenario's editor loads
cleanly and passes axe; a save the server refuses points at the field at fault; categories
are added, reordered and removed and prompt cards started from SCAMPER, by keyboard, and the
saved settings reach the learner. Saving runs on a workbench of its own.
"""
import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, assert_accessible, open_block, serve_workbench
from .test_idea_board_learner import BRAINWRITING, FREE, SCAMPER, STAFF, open_board

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_workbench(migrated_db):
    with serve_workbench(migrated_db) as base:
        yield base


def open_studio(page, base, scenario):
    open_block(page, base, scenario, STAFF, "studio_view")
    editor = page.locator(".ibs")
    expect(editor.get_by_label("Display name")).not_to_have_value("")
    return editor


def live(editor):
    return editor.locator(".bizmooc-live")


@pytest.mark.parametrize("scenario", [FREE, SCAMPER, BRAINWRITING])
def test_editor_loads_with_the_settings_and_passes_axe(page, workbench, scenario):
    editor = open_studio(page, workbench, scenario)
    cards = editor.locator(".ibs-cards-box")
    if scenario == SCAMPER:
        expect(editor.get_by_label("Technique", exact=True)).to_have_value("prompts")
        expect(cards).to_be_visible()
        expect(editor.locator(".ibs-cards > li")).to_have_count(7)
        expect(editor.locator(".ibs-cards > li").first.get_by_label("Card title")).to_have_value("Substitute")
        expect(editor.get_by_label("Hide the others' ideas until voting starts (against anchoring)")).to_be_checked()
    else:
        expect(cards).to_be_hidden()
    if scenario == FREE:
        names = [n.input_value() for n in editor.locator(".ibs-categories [data-f=name]").all()]
        assert names == ["Process", "Product", "People"]
        expect(editor.get_by_label("Dots per learner")).to_have_value("5")
        expect(editor.get_by_label("Most dots on one idea")).to_have_value("2")
    if scenario == BRAINWRITING:
        expect(editor.get_by_label("Learners per room")).to_have_value("3")
        expect(editor.get_by_label("Graded: full marks on completion")).to_be_checked()
    assert_accessible(page, f"{scenario} studio_view")


def test_refusals_point_at_the_field_then_the_save_reaches_learners(new_context, fresh_workbench, page_errors):
    page_errors.allow(r"status of 400")
    page = new_context().new_page()
    editor = open_studio(page, fresh_workbench, FREE)
    alert = editor.locator(".bizmooc-error")

    # In the page: a required field left empty.
    name = editor.get_by_label("Display name")
    name.fill("")
    editor.get_by_role("button", name="Save").click()
    expect(name).to_be_focused()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(alert).to_have_text("Display name: this field is required.")
    name.fill("Week 1: less food waste")

    # On the server: more dots per idea than a learner has.
    most = editor.get_by_label("Most dots on one idea")
    most.fill("9")
    editor.get_by_role("button", name="Save").click()
    expect(alert).to_have_text("The dots per idea cannot exceed the dots each learner has.")
    expect(most).to_be_focused()
    expect(most).to_have_attribute("aria-invalid", "true")
    note = page.locator("#" + most.get_attribute("aria-describedby").split()[-1])
    expect(note).to_have_text("The dots per idea cannot exceed the dots each learner has.")
    assert_accessible(page, "with a field error")
    most.fill("3")

    # Categories by keyboard: add "Money", move it above "People", remove "Product".
    add = editor.get_by_role("button", name="Add a category")
    add.focus()
    page.keyboard.press("Enter")
    fourth = editor.locator(".ibs-categories > li").nth(3)
    expect(fourth.get_by_label("Category name")).to_be_focused()
    page.keyboard.type("Money")
    expect(live(editor)).to_have_text("Added: Category 4.")
    up = fourth.get_by_role("button", name="Move up")
    up.focus()
    page.keyboard.press("Enter")
    expect(editor.locator(".ibs-categories > li").nth(2).get_by_role("button", name="Move up")).to_be_focused()
    expect(live(editor)).to_have_text("Moved: now Category 3.")
    editor.locator(".ibs-categories > li").nth(1).get_by_role("button", name="Remove").press("Enter")
    names = [n.input_value() for n in editor.locator(".ibs-categories [data-f=name]").all()]
    assert names == ["Process", "Money", "People"]

    # Prompt cards, started from SCAMPER and edited.
    editor.get_by_label("Technique", exact=True).select_option("prompts")
    editor.get_by_role("button", name="Start from the SCAMPER cards").click()
    rows = editor.locator(".ibs-cards > li")
    expect(rows).to_have_count(7)
    expect(rows.first.get_by_label("Card title")).to_be_focused()
    rows.first.get_by_label("Card title").fill("Swap")
    rows.nth(6).get_by_role("button", name="Remove").click()
    expect(rows).to_have_count(6)
    editor.get_by_label("Voting starts (UTC)").fill("2030-03-01T09:00")
    editor.get_by_label("Results start (UTC)").fill("2030-03-08T09:00")
    editor.get_by_label("Phases switch").select_option("dates")
    editor.get_by_role("button", name="Save").click()
    expect(live(editor)).to_have_text("Settings saved.")
    expect(alert).to_be_hidden()
    expect(most).not_to_have_attribute("aria-invalid", "true")

    page.reload()
    editor = open_studio(page, fresh_workbench, FREE)
    expect(editor.get_by_label("Display name")).to_have_value("Week 1: less food waste")
    expect(editor.get_by_label("Voting starts (UTC)")).to_have_value("2030-03-01T09:00")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".xblock-v1").first.screenshot(path=str(SCREENSHOTS / "idea-board-studio.png"), animations="disabled")

    learner = open_board(new_context().new_page(), fresh_workbench, FREE, "ana")
    expect(learner.locator(".bizmooc-title")).to_have_text("Week 1: less food waste")
    expect(learner.locator(".ib-form").get_by_label("Category").locator("option")).to_have_text(
        ["No category", "Process", "Money", "People"])
    cards = learner.locator(".ib-cards > li")
    expect(cards).to_have_count(6)
    expect(cards.first.locator("strong")).to_have_text("Swap")
    expect(learner.locator(".ib-phase")).to_contain_text("Collecting ideas until")
    expect(learner.locator(".ib-phase")).to_contain_text("2030")


def test_cancel_leaves_the_settings_as_they_were(page, workbench):
    editor = open_studio(page, workbench, SCAMPER)
    editor.get_by_label("Display name").fill("Not saved")
    editor.get_by_role("button", name="Cancel").click()
    page.reload()
    editor = open_studio(page, workbench, SCAMPER)
    expect(editor.get_by_label("Display name")).to_have_value("Week 2: SCAMPER your commute")


def test_editor_works_at_320px(new_context, workbench):
    page = new_context(width=320, height=640).new_page()
    open_studio(page, workbench, SCAMPER)
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= 320, width
    assert_accessible(page, "studio at 320 px")


def test_a_refused_save_marks_every_field_at_fault(new_context, fresh_workbench, page_errors):
    """The shared editor (common/settings_form.py) shows all the server's refusals at once."""
    page_errors.allow(r"status of 400")
    page = new_context().new_page()
    editor = open_studio(page, fresh_workbench, FREE)
    room = editor.get_by_label("Learners per room")
    room.fill("1")
    budget = editor.get_by_label("Dots per learner")
    budget.fill("1")
    editor.get_by_label("Voting starts (UTC)").fill("soon")
    editor.get_by_role("button", name="Save").click()
    vote = editor.get_by_label("Voting starts (UTC)")
    expect(vote).to_be_focused()
    for field in (vote, room, editor.get_by_label("Most dots on one idea"),
                  editor.get_by_label("Dots to place for completion")):
        expect(field).to_have_attribute("aria-invalid", "true")
    expect(editor.locator(".bizmooc-field-error")).to_have_count(4)
    expect(budget).not_to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "with several field errors")
