"""The peer review editor in Studio (the workbench's studio_view), in Chromium: the rubric
editor (criteria and options added, moved, removed; comments only), a rubric template,
JSON export and import, training examples that follow the rubric, dates, and Save with
field errors (the browser's and the server's) next to the field at fault; what is saved
reaches the author view and learners. Keyboard alone at 320 px; axe-core on each state.

The tests that save run on a workbench of their own, so other tests keep the scenarios as
written.
"""
import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, assert_accessible, open_block, serve_workbench
from .test_peer_review_learner import ESSAY, TRAINING, essay, learner_page, review_next_by_keyboard, submit_text
from .test_peer_review_staff import open_dashboard

pytestmark = pytest.mark.browser
STAFF = "course_staff"


@pytest.fixture
def isolated_workbench(migrated_db):
    with serve_workbench(migrated_db) as base:
        yield base


def open_studio(page, base, scenario=ESSAY):
    open_block(page, base, scenario, STAFF, "studio_view")
    root = page.locator(".pr-studio")
    expect(root.locator(".ps-criterion").first).to_be_visible()
    return root


def criteria(root):
    return root.locator(".ps-criteria > li")


def save(page, root, ok=True):
    with page.expect_response(re.compile(r"/studio_submit/")) as answer:
        root.get_by_role("button", name="Save", exact=True).click()
    assert (answer.value.status == 200) is ok, answer.value.text()
    return answer.value


def test_rubric_edit_with_field_errors_then_saved_reaches_the_author_view_and_learners(
        new_context, isolated_workbench, page_errors):
    page_errors.allow(r"status of 400 .*/studio_submit/")
    base = isolated_workbench
    page = new_context().new_page()
    root = open_studio(page, base)
    expect(criteria(root)).to_have_count(3)  # the "general" template
    assert_accessible(page, "in the studio view", selector=".pr-studio")

    # A new criterion: the browser refuses it without a name, next to the field.
    root.get_by_role("button", name="Add a criterion").click()
    new = criteria(root).nth(3)
    name = new.get_by_label("Criterion name")
    expect(name).to_be_focused()
    root.get_by_role("button", name="Save", exact=True).click()
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(new.locator(".bizmooc-field-error")).to_have_text(
        re.compile("Criterion 4 · Criterion name: this field is required"))
    expect(root.locator(".bizmooc-settings-form > .bizmooc-error")).to_be_visible()
    assert_accessible(page, "with a field error", selector=".pr-studio")
    name.fill("Clarity")
    options = new.locator(".ps-options > li")
    options.nth(0).get_by_label("Option label").fill("Muddled")
    options.nth(1).get_by_label("Option label").fill("Clear")
    options.nth(1).get_by_label("Points").fill("4")
    new.get_by_role("button", name="Add an option").click()
    options.nth(2).get_by_label("Option label").fill("Crystal clear")
    options.nth(2).get_by_label("Points").fill("6")
    options.nth(2).get_by_role("button", name="Move option up").click()
    expect(options.nth(1).get_by_label("Option label")).to_have_value("Crystal clear")
    expect(options.nth(1).get_by_role("button", name="Move option up")).to_be_focused()
    options.nth(1).get_by_role("button", name="Remove option").click()
    expect(options).to_have_count(2)
    new.get_by_role("button", name="Move criterion up").click()
    expect(criteria(root).nth(2).get_by_label("Criterion name")).to_have_value("Clarity")
    expect(root.locator(".ps-max")).to_have_text("Highest possible score: 14 points.")
    # The criterion it passed becomes comments only.
    last = criteria(root).nth(3)
    last.get_by_label("Reviewer comments on this criterion").select_option("none")
    last.get_by_label("Comments only (no options, no points)").check()
    expect(last.locator(".ps-options-box")).to_be_hidden()
    expect(last.get_by_label("Reviewer comments on this criterion")).to_have_value("required")

    # The server's refusal, on what the browser cannot check, lands next to the field too.
    points = criteria(root).nth(0).locator(".ps-options > li").nth(0).get_by_label("Points")
    points.evaluate("input => input.removeAttribute('max')")
    points.fill("5000")
    save(page, root, ok=False)
    expect(root.locator(".bizmooc-settings-form > .bizmooc-error")).to_have_text(re.compile("1000"))
    expect(root.locator("[aria-invalid=true]")).to_have_count(1)
    expect(root.locator("[aria-invalid=true]")).to_be_focused()
    points.fill("0")

    root.get_by_label("Fewest words").fill("5")
    # Words: the editor refuses what the server refuses (above 20000), next to the field; 0 most
    # words is "no limit", and the fields say so.
    most = root.get_by_label("Most words")
    expect(most).to_have_accessible_description(re.compile(r"0 for no limit"))
    most.fill("20001")
    root.get_by_role("button", name="Save", exact=True).click()
    expect(most).to_have_attribute("aria-invalid", "true")
    expect(most).to_be_focused()
    expect(root.locator(".bizmooc-settings-form > .bizmooc-error")).to_have_text(re.compile("20000"))
    most.fill("0")
    root.get_by_label("Peer reviews due").fill("2030-06-01T12:00")
    save(page, root)
    expect(root.locator(".bizmooc-live")).to_have_text("Settings saved.")

    # Reopened, the editor shows what was saved; the author view and learners see it.
    page.reload()
    root = open_studio(page, base)
    expect(criteria(root).nth(2).get_by_label("Criterion name")).to_have_value("Clarity")
    expect(criteria(root).nth(3).get_by_label("Comments only (no options, no points)")).to_be_checked()
    expect(root.get_by_label("Peer reviews due")).to_have_value("2030-06-01T12:00")
    expect(root.get_by_label("Most words")).to_have_value("0")
    open_block(page, base, ESSAY, STAFF, "author_view")
    table = page.locator(".pr-author-rubric")
    expect(table.locator("tbody tr").nth(2)).to_contain_text("Clarity")
    expect(table.locator("tbody tr").nth(3)).to_contain_text("comments only")
    assert_accessible(page, "in the author view", selector=".bizmooc-peer-review")
    learner = new_context().new_page()
    open_block(learner, base, ESSAY, "studio_learner")
    expect(learner.locator(".pr-words")).to_have_text("0 words (at least 5)")
    expect(learner.locator(".pr-steps li", has_text="Peer review")).to_contain_text("2030")


def test_templates_export_import_and_training_examples(new_context, isolated_workbench, tmp_path, page_errors):
    base = isolated_workbench
    page = new_context(accept_downloads=True).new_page()
    root = open_studio(page, base, TRAINING)
    examples = root.locator(".ps-examples > li")
    expect(examples).to_have_count(2)
    expect(examples.first.get_by_label("The course team's score for Ideas")).not_to_have_value("")

    # Export, start from another template, then import the export back.
    with page.expect_download() as download:
        root.get_by_role("button", name="Export as JSON (rubric.json)").click()
    exported = tmp_path / "rubric.json"
    download.value.save_as(exported)
    data = json.loads(exported.read_text())
    assert [c["id"] for c in data["criteria"]] == ["ideas", "evidence", "organisation"]
    root.get_by_label("Rubric template").select_option(index=1)
    root.get_by_role("button", name="Start from this template").click()
    expect(root.locator(".bizmooc-live")).to_have_text(re.compile("Rubric loaded"))
    expect(criteria(root).first.get_by_label("Criterion name")).not_to_have_value("Ideas")
    # The examples' menus follow the rubric in the editor: no "Ideas" any more.
    expect(examples.first.get_by_label("The course team's score for Ideas")).to_have_count(0)

    root.get_by_label("Or paste rubric JSON").fill("{not json")
    root.get_by_role("button", name="Import the pasted JSON").click()
    expect(root.get_by_label("Or paste rubric JSON")).to_have_attribute("aria-invalid", "true")
    expect(root.locator(".bizmooc-settings-form > .bizmooc-error")).to_have_text(re.compile("not a rubric in JSON"))
    root.get_by_label("Import a rubric file (JSON)").set_input_files(str(exported))
    expect(root.locator(".bizmooc-live")).to_have_text("Rubric imported.")
    expect(criteria(root).first.get_by_label("Criterion name")).to_have_value("Ideas")
    expect(examples.first.get_by_label("The course team's score for Ideas")).not_to_have_value("")

    # A new example needs the team's score for each criterion.
    root.get_by_role("button", name="Add an example").click()
    third = examples.nth(2)
    expect(third.get_by_label("Example answer")).to_be_focused()
    third.get_by_label("Example answer").fill("A food bus for villages without a shop.")
    root.get_by_role("button", name="Save", exact=True).click()
    expect(third.get_by_label("The course team's score for Ideas")).to_be_focused()
    for label in ("Ideas", "Evidence", "Organisation"):
        third.get_by_label(f"The course team's score for {label}").select_option(index=1)
    save(page, root)
    page.reload()
    root = open_studio(page, base, TRAINING)
    expect(root.locator(".ps-examples > li")).to_have_count(3)
    expect(root.locator(".ps-examples > li").nth(2).get_by_label("Example answer")).to_have_value(
        "A food bus for villages without a shop.")


def test_the_editor_works_by_keyboard_alone_at_320px(new_context, workbench):
    page = new_context(width=320, height=640).new_page()
    root = open_studio(page, workbench)
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 320
    root.get_by_role("button", name="Add a criterion").focus()
    page.keyboard.press("Enter")
    expect(criteria(root).nth(3).get_by_label("Criterion name")).to_be_focused()
    page.keyboard.type("Originality")
    criteria(root).nth(3).get_by_role("button", name="Move criterion up").focus()
    page.keyboard.press("Enter")
    expect(criteria(root).nth(2).get_by_label("Criterion name")).to_have_value("Originality")
    expect(root.locator(".bizmooc-live")).to_have_text("Moved: now Criterion 3.")
    criteria(root).nth(2).get_by_role("button", name="Remove criterion").focus()
    page.keyboard.press("Enter")
    expect(criteria(root)).to_have_count(3)
    expect(root.locator(".bizmooc-live")).to_have_text("Removed: Criterion 3.")
    assert page.evaluate("() => document.scrollingElement.scrollWidth") <= 320
    assert_accessible(page, "studio at 320 px", selector=".pr-studio")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    root.screenshot(path=str(SCREENSHOTS / "peer-review-studio.png"), animations="disabled", caret="hide")


def test_a_rubric_change_after_reviews_asks_to_confirm_and_staff_can_regrade(new_context, isolated_workbench,
                                                                             page_errors):
    """Changing points after learners were reviewed: the server's 409 becomes a confirm step
    (message, focus on it, two buttons, keyboard only); confirmed, the rubric is saved. Then
    course staff regrade from the dashboard, after a confirmation."""
    page_errors.allow(r"status of 409 .*/studio_submit/")
    base = isolated_workbench
    ana, ben = (learner_page(new_context, base, name) for name in ("rubric_ana", "rubric_ben"))
    submit_text(ana, essay("Ana"))
    submit_text(ben, essay("Ben"))
    review_next_by_keyboard(ana)                        # Ben's work now has a review made with the rubric

    page = new_context().new_page()
    root = open_studio(page, base)
    criteria(root).nth(0).locator(".ps-options > li").nth(1).get_by_label("Points").fill("2")
    save(page, root, ok=False)
    box = root.locator(".ps-confirm")
    expect(box).to_be_visible()
    expect(box).to_be_focused()
    expect(box).to_have_accessible_name("Change the rubric of reviewed work?")
    expect(box.locator(".ps-confirm-text")).to_have_text(re.compile(r"current rubric: 1\. .*regrade"))
    expect(root.locator(".bizmooc-settings-form > .bizmooc-error")).to_be_hidden()
    assert_accessible(page, "asking to confirm a rubric change", selector=".pr-studio")
    # Keep editing: the step closes, focus back on Save; Escape does the same.
    box.get_by_role("button", name="Keep editing").click()
    expect(box).to_be_hidden()
    expect(root.get_by_role("button", name="Save", exact=True)).to_be_focused()
    save(page, root, ok=False)
    expect(box).to_be_focused()
    page.keyboard.press("Escape")
    expect(box).to_be_hidden()
    save(page, root, ok=False)
    expect(box).to_be_focused()
    page.keyboard.press("Tab")
    expect(box.get_by_role("button", name="Save the new rubric")).to_be_focused()
    with page.expect_response(re.compile(r"/studio_submit/")) as answer:
        page.keyboard.press("Enter")
    assert answer.value.status == 200 and json.loads(answer.value.request.post_data)["confirm_rubric_change"] is True
    expect(root.locator(".bizmooc-live")).to_have_text("Settings saved.")
    expect(box).to_be_hidden()

    # Ben's review keeps the rubric it was made with; staff regrade everyone with the new one.
    staff_page = new_context().new_page()
    staff = open_dashboard(staff_page, base)
    button = staff.get_by_role("button", name="Regrade with the current rubric")
    expect(button).to_have_accessible_description(re.compile("keep their grades"))
    button.click()
    yes = staff.get_by_role("button", name="Yes, regrade")
    expect(yes).to_be_focused()
    assert_accessible(staff_page, "confirming a regrade", selector=".pr-staff")
    with staff_page.expect_response(re.compile(r"/staff_dashboard/")):   # the dashboard reloads after it
        yes.press("Enter")
    expect(staff.locator(".pr-regrade-result")).to_have_text(
        re.compile(r"Learners regraded with the current rubric: 1\."))
    expect(button).to_be_focused()


def test_the_server_names_every_field_at_fault_at_once(new_context, isolated_workbench, page_errors):
    """Faults only the server finds (limits taken off the inputs): each field is marked, the
    first focused, and nothing is saved."""
    page_errors.allow(r"status of 400 .*/studio_submit/")
    page = new_context().new_page()
    root = open_studio(page, isolated_workbench)
    needed = root.get_by_label("Reviews each submission needs")
    weight = root.get_by_label("Weight (points in the grade)")
    for field, value in ((needed, "50"), (weight, "5000")):
        field.evaluate("input => input.removeAttribute('max')")
        field.fill(value)
    answer = save(page, root, ok=False)
    assert [found["field"] for found in answer.json()["error"]["fields"]] == ["reviews_needed", "weight"]
    expect(needed).to_have_attribute("aria-invalid", "true")
    expect(weight).to_have_attribute("aria-invalid", "true")
    expect(needed).to_be_focused()
    page.reload()
    root = open_studio(page, isolated_workbench)
    expect(root.get_by_label("Reviews each submission needs")).not_to_have_value("50")
