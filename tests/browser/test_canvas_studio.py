"""The canvas builder's Studio editor in Chromium, as course staff: every scenario's editor
loads cleanly and passes axe; a custom template (started from the Lean Canvas) is refused
while two sections overlap, then saved with an example note and required sections and
reaches the learner; template JSON import refuses bad files and round-trips an export;
and the editor works by keyboard alone on a 320px screen.

Scenarios (xblocks/initiative_canvas/scenarios.py): 0 Business Model Canvas with an
example (graded), 1 Lean Canvas, 2 Value Proposition Canvas, 3 continues from 0.
The test that saves runs on `isolated_workbench`, a server of its own, so the other
tests (here and elsewhere) keep seeing the scenarios as written.
"""
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, assert_accessible, open_block, serve_workbench

pytestmark = pytest.mark.browser

CANVAS = "bizmooc_canvas"
STAFF = "course_staff"
BMC, LEAN, VPC, CONTINUED = 0, 1, 2, 3
DATA = Path(__file__).resolve().parents[2] / "xblocks" / "initiative_canvas" / "data"
TEMPLATES = {name: json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
             for name in ("business_model_canvas", "lean_canvas", "value_proposition_canvas")}
SCENARIO_TEMPLATE = {BMC: "business_model_canvas", LEAN: "lean_canvas", VPC: "value_proposition_canvas",
                     CONTINUED: "business_model_canvas"}
SETTINGS_KEYS = ["display_name", "instructions", "template_choice", "custom_template", "example_notes",
                 "continue_from", "required_sections", "min_notes", "graded", "weight"]


@pytest.fixture(scope="module")
def isolated_workbench():
    """A workbench of this module's own: the saved settings change nobody else's scenario."""
    with serve_workbench() as base:
        yield base


def open_studio(page, base, scenario):
    open_block(page, base, f"{CANVAS}.{scenario}", STAFF, "studio_view")
    expect(studio(page).locator(".cs-preview .cs-box").first).to_be_visible()
    return studio(page)


def studio(page):
    return page.locator(".canvas-studio")


def section_rows(page):
    return studio(page).locator(".cs-section-list > li")


def note_rows(page):
    return studio(page).locator(".cs-note-list > li")


def editor(page):
    """What the custom template editor holds, read from the page."""
    return page.evaluate("""() => {
        const root = document.querySelector('.canvas-studio');
        const value = sel => root.querySelector(sel).value;
        return {title: value('.cs-tpl-title'), attribution: value('.cs-tpl-attribution'),
                licence_url: value('.cs-tpl-licence'), columns: value('.cs-tpl-columns'), rows: value('.cs-tpl-rows'),
                sections: Array.from(root.querySelectorAll('.cs-section-list > li')).map(row =>
                    Array.from(row.querySelectorAll('[data-f]')).map(input => input.value))};
    }""")


def focused(page, script="el => el"):
    return page.evaluate(f"() => ({script})(document.activeElement)")


def choose_custom_by_keyboard(page):
    studio(page).locator("input[name=template_choice]:checked").focus()
    while not studio(page).locator("input[name=template_choice][value=custom]").is_checked():
        page.keyboard.press("ArrowDown")
    expect(studio(page).locator(".cs-custom")).to_be_visible()
    expect(studio(page).locator(".cs-builtin")).to_be_hidden()


def why(response):
    return f"{response.status} {response.url}: {response.text()[:500]}"


# Every scenario ----------------------------------------------------------------------

@pytest.mark.parametrize("scenario", [BMC, LEAN, VPC, CONTINUED])
def test_studio_view_of_every_scenario_loads_cleanly_and_passes_axe(page, workbench, scenario):
    """The built-in template is chosen, its sections, guiding questions, licence and layout
    shown; the settings are filled in; nothing fails in the console (the fixture checks)."""
    template = TEMPLATES[SCENARIO_TEMPLATE[scenario]]
    root = open_studio(page, workbench, scenario)
    expect(root.locator(f"input[name=template_choice][value={template['id']}]")).to_be_checked()
    expect(root.locator(".cs-custom")).to_be_hidden()
    builtin = root.locator(".cs-builtin")
    expect(builtin.locator(".cs-builtin-section")).to_have_text([s["title"] for s in template["sections"]])
    expect(builtin).to_contain_text(template["sections"][0]["questions"][0])
    expect(builtin.locator(".cs-attribution")).to_contain_text("CC BY-SA 3.0")
    expect(builtin.locator("a.cs-licence")).to_have_attribute("href", template["licence_url"])
    # The preview: a box per section, and the same layout in words for screen readers.
    expect(root.locator(".cs-grid")).to_have_attribute("aria-hidden", "true")
    expect(root.locator(".cs-grid .cs-box")).to_have_text([s["title"] for s in template["sections"]])
    first = template["sections"][0]
    column, row, width, height = first["grid"]
    expect(root.locator(".cs-preview-text li").first).to_have_text(
        f"{first['title']}: column {column}, row {row}, {width} × {height}.")
    expect(root.locator(".cs-preview-caption")).to_have_text(
        f"Layout of {template['title']}: a grid of {template['columns']} × {template['rows']}.")
    # One checkbox per section for the completion rule.
    expect(root.locator(".cs-required-list input[type=checkbox]")).to_have_count(len(template["sections"]))
    if scenario == BMC:
        expect(note_rows(page)).to_have_count(7)  # the scenario's example canvas
        expect(root.locator(".cs-required-list input:checked")).to_have_count(4)
        expect(root.locator("input[name=graded]")).to_be_checked()
        expect(note_rows(page).first.locator("[data-f=colour] option:checked")).to_have_text("Idea")
    if scenario == CONTINUED:
        expect(root.locator("input[name=continue_from]")).to_have_value(re.compile(r"bizmooc_canvas\.d0\.u0$"))
    assert_accessible(page, f"in the studio view of {CANVAS}.{scenario}")
    choose_custom_by_keyboard(page)
    assert_accessible(page, f"in the custom template editor of {CANVAS}.{scenario}")


# Custom template, saved -------------------------------------------------------------

def test_custom_template_overlap_is_refused_then_saved_and_reaches_the_learner(new_context, isolated_workbench,
                                                                               page_errors):
    page_errors.allow(r"status of 400 .*/studio_submit/")
    base = isolated_workbench
    page = new_context().new_page()
    root = open_studio(page, base, VPC)
    choose_custom_by_keyboard(page)
    root.locator("[data-act=start-from][data-tpl=lean_canvas]").click()
    expect(root.locator(".bizmooc-live")).to_have_text("Lean Canvas copied into the custom template.")
    lean = TEMPLATES["lean_canvas"]
    assert [row[1] for row in editor(page)["sections"]] == [s["id"] for s in lean["sections"]]
    expect(root.locator(".cs-tpl-title")).to_have_value("Lean Canvas")
    # The Lean Canvas fills its grid: a new section takes a new row at the bottom.
    root.locator("[data-act=add-section]").click()
    expect(section_rows(page)).to_have_count(10)
    team = section_rows(page).nth(9)
    expect(team.locator("[data-f=title]")).to_be_focused()
    expect(root.locator(".cs-tpl-rows")).to_have_value("4")
    assert editor(page)["sections"][9][3:] == ["1", "4", "10", "1"]
    team.locator("[data-f=title]").fill("Team and partners")
    team.locator("[data-f=title]").press("Tab")
    expect(team.locator("[data-f=id]")).to_have_value("team_and_partners")
    team.locator("[data-f=questions]").fill("Who works on this with you?\nWhom do you still need?")

    # Put it on top of "Problem": the preview says so; the server refuses the save.
    team.locator("[data-f=row]").fill("1")
    team.locator("[data-f=width]").fill("2")
    warning = root.locator(".cs-preview-warning")
    expect(warning).to_have_text("The sections 'problem' and 'team_and_partners' overlap on the grid.")
    expect(root.locator(".cs-box-clash")).to_have_count(2)
    with page.expect_response(re.compile(r"/studio_submit/")) as answer:
        root.locator(".bizmooc-settings-save").click()
    assert answer.value.status == 400, why(answer.value)
    message = "The sections 'problem' and 'team_and_partners' overlap on the grid."
    expect(root.locator(".bizmooc-settings-form > .bizmooc-error")).to_have_text(message)
    column = team.locator("[data-f=column]")
    expect(column).to_be_focused()
    expect(column).to_have_attribute("aria-invalid", "true")
    note = team.locator(".bizmooc-field-error")
    expect(note).to_have_text(message)
    assert note.get_attribute("id") in column.get_attribute("aria-describedby").split()
    assert_accessible(page, "with the overlap refused")

    # Nothing was saved: a fresh editor still shows the Value Proposition Canvas.
    other = new_context().new_page()
    open_studio(other, base, VPC)
    expect(studio(other).locator("input[name=template_choice][value=value_proposition_canvas]")).to_be_checked()
    other.close()

    # Fix it: back to its own row. An example note in the new section; two required sections.
    team.locator("[data-f=row]").fill("4")
    team.locator("[data-f=width]").fill("10")
    expect(warning).to_be_hidden()
    expect(root.locator(".cs-box-clash")).to_have_count(0)
    expect(note_rows(page)).to_have_count(0)  # no example in this scenario yet
    root.locator("[data-act=add-note]").click()
    example = note_rows(page).first
    expect(example.locator("[data-f=section]")).to_be_focused()
    expect(example.locator("legend")).to_have_text("Example note 1")
    example.locator("[data-f=section]").select_option(label="Team and partners")
    example.locator("[data-f=colour]").select_option(label="Risk")
    # A note longer than the server allows: refused, and that note's text is focused.
    example.locator("[data-f=text]").fill("x" * 281)
    with page.expect_response(re.compile(r"/studio_submit/")) as answer:
        root.locator(".bizmooc-settings-save").click()
    assert answer.value.status == 400, why(answer.value)
    expect(root.locator(".bizmooc-settings-form > .bizmooc-error")).to_have_text("A note holds at most 280 characters.")
    expect(example.locator("[data-f=text]")).to_be_focused()
    expect(root.locator(".bizmooc-field-error")).to_have_count(1)
    example.locator("[data-f=text]").fill("Our two developers leave in spring <b>not bold</b>")
    required = root.locator(".cs-required-list")
    required.get_by_label("Team and partners").check()
    required.get_by_label("Problem").check()
    root.locator("input[name=min_notes]").fill("2")
    root.locator("input[name=display_name]").fill("Week 3: your lean canvas with your team")

    events = []
    page.on("console", lambda message: events.append(message.text) if "Runtime event" in message.text else None)
    with page.expect_response(re.compile(r"/studio_submit/")) as answer:
        root.locator(".bizmooc-settings-save").click()
    assert answer.value.ok, why(answer.value)
    expect(root.locator(".bizmooc-live")).to_have_text("Settings saved.")
    expect(root.locator(".bizmooc-settings-form > .bizmooc-error")).to_be_hidden()
    expect(root.locator(".bizmooc-field-error")).to_have_count(0)
    screenshot(page)
    sent = answer.value.request.post_data_json
    assert sorted(sent) == sorted(SETTINGS_KEYS)
    assert sent["template_choice"] == "custom"
    assert sent["custom_template"]["id"] == "lean_canvas-custom"
    assert sent["custom_template"]["rows"] == 4
    assert sent["custom_template"]["sections"][9] == {
        "id": "team_and_partners", "title": "Team and partners",
        "questions": ["Who works on this with you?", "Whom do you still need?"], "grid": [1, 4, 10, 1]}
    assert sent["custom_template"]["sections"][:9] == lean["sections"]
    [note_sent] = sent["example_notes"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,40}", note_sent["id"])
    assert {k: v for k, v in note_sent.items() if k != "id"} == {
        "section": "team_and_partners", "text": "Our two developers leave in spring <b>not bold</b>", "colour": "pink"}
    assert sorted(sent["required_sections"]) == ["problem", "team_and_partners"]
    assert sent["min_notes"] == 2 and sent["graded"] is False and sent["weight"] == 1
    for _ in range(50):
        if len(events) >= 2:
            break
        page.wait_for_timeout(20)
    assert events == ['Runtime event "save" with data: {state: start}',
                      'Runtime event "save" with data: {state: end}'], events
    with page.expect_console_message(lambda message: "Runtime event" in message.text):
        root.locator(".bizmooc-settings-cancel").click()
    assert events[-1].startswith('Runtime event "cancel"'), events

    # Reloaded, the editor shows what was saved.
    page.reload()
    expect(root.locator("input[name=template_choice][value=custom]")).to_be_checked()
    expect(section_rows(page)).to_have_count(10)
    expect(note_rows(page)).to_have_count(1)
    expect(note_rows(page).first.locator("[data-f=text]")).to_have_value(
        "Our two developers leave in spring <b>not bold</b>")
    expect(root.locator(".cs-required-list input:checked")).to_have_count(2)
    expect(root.locator(".cs-required-list").get_by_label("Team and partners")).to_be_checked()
    expect(root.locator("input[name=min_notes]")).to_have_value("2")

    # The learner's canvas has the new section; the example shows its note, as text.
    open_block(page, base, f"{CANVAS}.{VPC}", "lean_team_learner")
    learner = page.locator(".bizmooc-canvas").first
    expect(learner.locator(".bizmooc-title")).to_have_text("Week 3: your lean canvas with your team")
    expect(learner.locator(".canvas-mine .canvas-section[data-section=team_and_partners] h5")).to_have_text(
        "Team and partners")
    expect(learner.locator(".canvas-mine .canvas-section")).to_have_count(10)
    learner.get_by_role("button", name="Show the example canvas").click()
    expect(learner.locator(".canvas-example")).to_be_visible()
    expect(learner.locator(".canvas-example")).to_contain_text("Our two developers leave in spring <b>not bold</b>")


def test_sections_are_placed_on_the_preview_by_keyboard_and_mouse_and_saved(new_context, isolated_workbench):
    """A custom template's preview boxes are labelled controls: the arrow keys move the focused
    section by one cell (said aloud), a mouse drag moves it to the cell it is dropped on; both
    write the column and row fields, which are what is saved and what the learner's board uses."""
    base = isolated_workbench
    page = new_context().new_page()
    root = open_studio(page, base, LEAN)
    grid = root.locator(".cs-grid")
    expect(grid).to_have_attribute("aria-hidden", "true")  # built-in: a picture
    expect(grid.locator(".cs-box[tabindex]")).to_have_count(0)
    choose_custom_by_keyboard(page)
    root.locator("[data-act=start-from][data-tpl=lean_canvas]").click()
    expect(grid).not_to_have_attribute("aria-hidden", "true")
    expect(root.locator(".cs-preview-hint")).to_be_visible()
    root.locator("[data-act=add-section]").click()
    team = section_rows(page).nth(9)
    team.locator("[data-f=title]").fill("Team")
    team.locator("[data-f=title]").press("Tab")
    expect(team.locator("[data-f=id]")).to_have_value("team")
    team.locator("[data-f=width]").fill("2")
    root.locator(".cs-tpl-rows").fill("5")
    box = grid.get_by_role("button", name="Team: column 1, row 4, 2 × 1.")
    expect(box).to_have_attribute("aria-roledescription", "movable section")
    live = root.locator(".bizmooc-live")

    # By keyboard: two cells right, one down, one more down (the last row: it stays), back up.
    box.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(live).to_have_text("Team: column 3, row 4")
    expect(team.locator("[data-f=column]")).to_have_value("3")
    expect(grid.get_by_role("button", name="Team: column 3, row 4, 2 × 1.")).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(team.locator("[data-f=row]")).to_have_value("5")
    page.keyboard.press("ArrowDown")
    expect(team.locator("[data-f=row]")).to_have_value("5")
    expect(live).to_have_text("Team: column 3, row 5")
    page.keyboard.press("ArrowUp")
    expect(live).to_have_text("Team: column 3, row 4")
    expect(team.locator("[data-f=row]")).to_have_value("4")
    assert_accessible(page, "with a section focused on the preview")

    # By mouse: grab the box's first cell, drop it on column 9 of the empty bottom row.
    start = grid.locator(".cs-box", has_text="Team").bounding_box()
    target = grid.locator(".cs-box", has_text="Customer segments").bounding_box()
    page.mouse.move(start["x"] + start["width"] / 4, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(target["x"] + target["width"] / 4, start["y"] + start["height"] * 1.5, steps=5)
    page.mouse.up()
    expect(live).to_have_text("Team: column 9, row 5")
    expect(team.locator("[data-f=column]")).to_have_value("9")
    expect(team.locator("[data-f=row]")).to_have_value("5")
    expect(grid.get_by_role("button", name="Team: column 9, row 5, 2 × 1.")).to_be_focused()
    expect(root.locator(".cs-preview-warning")).to_be_hidden()
    # Typing in the fields still moves the box.
    team.locator("[data-f=column]").fill("8")
    expect(grid.get_by_role("button", name="Team: column 8, row 5, 2 × 1.")).to_have_count(1)
    team.locator("[data-f=column]").fill("9")

    with page.expect_response(re.compile(r"/studio_submit/")) as answer:
        root.locator(".bizmooc-settings-save").click()
    assert answer.value.ok, why(answer.value)
    sent = answer.value.request.post_data_json["custom_template"]
    assert sent["rows"] == 5
    assert sent["sections"][9] == {"id": "team", "title": "Team", "questions": [], "grid": [9, 5, 2, 1]}

    # The learner's board lays the section out where it was dropped.
    open_block(page, base, f"{CANVAS}.{LEAN}", "placed_team_learner")
    section = page.locator(".bizmooc-canvas .canvas-mine .canvas-section[data-section=team]").first
    expect(section).to_have_attribute("style", re.compile(r"--grid-area: 5 / 9 / span 1 / span 2"))


def screenshot(page):
    """The top of the editor, down to section 2 of the custom template: settings, template
    choice, layout preview, import/export and the first sections."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1100, "height": page.evaluate("() => document.documentElement.scrollHeight")})
    page.evaluate("() => window.scrollTo(0, 0)")
    top = studio(page).bounding_box()
    end = section_rows(page).nth(1).bounding_box()
    height = end["y"] + end["height"] - top["y"] + 24
    page.screenshot(path=str(SCREENSHOTS / "canvas-studio.png"),
                    clip={"x": top["x"] - 8, "y": top["y"] - 8, "width": top["width"] + 16, "height": height})
    page.set_viewport_size({"width": 1100, "height": 900})


# Import and export -------------------------------------------------------------------

def test_template_import_refuses_bad_json_and_an_export_imports_again(page, workbench, tmp_path, page_errors):
    page_errors.allow(r"status of 400 .*/import_template/")
    root = open_studio(page, workbench, LEAN)
    choose_custom_by_keyboard(page)
    root.locator("[data-act=start-from][data-tpl=value_proposition_canvas]").click()
    before = editor(page)
    assert before["title"] == "Value Proposition Canvas" and len(before["sections"]) == 6
    error = root.locator(".bizmooc-settings-form > .bizmooc-error")

    # Malformed JSON, pasted: the server's message, the field marked and focused, nothing changed.
    paste = root.locator(".cs-import-text")
    paste.fill('{"title": "Broken", "sections": [')
    with page.expect_response(re.compile(r"/import_template/")) as answer:
        root.locator("[data-act=import-paste]").click()
    assert answer.value.status == 400
    expect(error).to_have_text("The template is not valid JSON (line 1).")
    expect(paste).to_be_focused()
    expect(paste).to_have_attribute("aria-invalid", "true")
    assert editor(page) == before

    # Valid JSON that is not a valid template (overlapping sections), as a file.
    bad = {"title": "Two on one", "columns": 2, "rows": 1, "sections": [
        {"id": "a", "title": "A", "grid": [1, 1, 2, 1]}, {"id": "b", "title": "B", "grid": [2, 1, 1, 1]}]}
    upload = root.locator(".cs-import-file")
    with page.expect_response(re.compile(r"/import_template/")):
        upload.set_input_files(files=[{"name": "bad.json", "mimeType": "application/json",
                                       "buffer": json.dumps(bad).encode()}])
    expect(error).to_have_text("The sections 'a' and 'b' overlap on the grid.")
    expect(upload).to_be_focused()
    assert editor(page) == before

    # Edit a little, export, check the file, start from another template, import the file.
    section_rows(page).nth(0).locator("[data-f=title]").fill("What we offer")
    expected = editor(page)
    with page.expect_download() as download:
        root.locator("[data-act=export]").click()
    assert download.value.suggested_filename == "template.json"
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    vpc = TEMPLATES["value_proposition_canvas"]
    assert exported["id"] == "value_proposition_canvas-custom"
    assert exported["title"] == "Value Proposition Canvas" and exported["columns"] == 4 and exported["rows"] == 2
    assert exported["attribution"] == vpc["attribution"] and exported["licence_url"] == vpc["licence_url"]
    assert exported["sections"][0] == dict(vpc["sections"][0], title="What we offer")
    assert exported["sections"][1:] == vpc["sections"][1:]
    path = tmp_path / "template.json"
    path.write_text(json.dumps(exported), encoding="utf-8")

    root.locator("[data-act=start-from][data-tpl=business_model_canvas]").click()
    assert len(editor(page)["sections"]) == 9
    with page.expect_response(re.compile(r"/import_template/")):
        upload.set_input_files(str(path))
    expect(root.locator(".bizmooc-live")).to_have_text("Template imported: Value Proposition Canvas.")
    expect(error).to_be_hidden()
    expect(root.locator("[aria-invalid]")).to_have_count(0)
    assert editor(page) == expected
    expect(root.locator(".cs-grid .cs-box").first).to_have_text("What we offer")
    expect(root.locator(".cs-required-list input[type=checkbox]")).to_have_count(6)


# Keyboard, small screen ------------------------------------------------------------------

def test_the_editor_works_by_keyboard_alone_at_320px(new_context, workbench):
    page = new_context(width=320, height=700).new_page()
    root = open_studio(page, workbench, BMC)
    assert root.evaluate("el => el.scrollWidth - el.clientWidth") <= 0, "the built-in view is wider than 320px"
    choose_custom_by_keyboard(page)

    # "Start from the Lean Canvas" by Tab and Enter from the radio group, past the preview's
    # nine movable sections (one tab stop each).
    for section in TEMPLATES["business_model_canvas"]["sections"]:
        page.keyboard.press("Tab")
        assert focused(page, "el => el.getAttribute('aria-label')").startswith(section["title"] + ": column ")
    page.keyboard.press("Tab")
    assert focused(page, "el => el.textContent") == "Start from the Business Model Canvas"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(root.locator(".cs-tpl-title")).to_have_value("Lean Canvas")
    expect(root.locator(".bizmooc-live")).to_have_text("Lean Canvas copied into the custom template.")

    # Move section 1 down and back up; focus stays on the button pressed.
    first = section_rows(page).nth(0)
    first.locator("[data-act=move-down]").focus()
    page.keyboard.press("Enter")
    assert [row[1] for row in editor(page)["sections"][:2]] == ["solution", "problem"]
    moved = section_rows(page).nth(1).locator("[data-act=move-down]")
    expect(moved).to_be_focused()
    expect(root.locator(".bizmooc-live")).to_have_text("Moved: now Section 2.")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert [row[1] for row in editor(page)["sections"][:2]] == ["problem", "solution"]

    # Add a section, type its title, Tab fills its id; remove it: focus on the row before.
    root.locator("[data-act=add-section]").focus()
    page.keyboard.press("Enter")
    expect(section_rows(page)).to_have_count(10)
    page.keyboard.type("Team")
    page.keyboard.press("Tab")
    expect(section_rows(page).nth(9).locator("[data-f=id]")).to_have_value("team")
    expect(root.locator(".cs-required-list").get_by_label("Team")).to_have_count(1)
    section_rows(page).nth(9).locator("[data-act=remove]").focus()
    page.keyboard.press("Enter")
    expect(section_rows(page)).to_have_count(9)
    expect(section_rows(page).nth(8).locator("[data-f=title]")).to_be_focused()
    expect(root.locator(".bizmooc-live")).to_have_text("Removed: Section 10.")

    # Example notes (the scenario has 7, in Business Model Canvas sections): add one by keyboard.
    root.locator("[data-act=add-note]").focus()
    page.keyboard.press("Enter")
    expect(note_rows(page)).to_have_count(8)
    new_note = note_rows(page).nth(7)
    expect(new_note.locator("[data-f=section]")).to_be_focused()
    page.keyboard.press("ArrowDown")  # Chromium's closed <select>: the next option
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    page.keyboard.type("Is this a real problem?")
    assert new_note.locator("[data-f=section]").input_value() == "solution"
    expect(new_note.locator("[data-f=colour] option:checked")).to_have_text("Tested")
    # Remove it again: focus goes to the note before it.
    new_note.locator("[data-act=remove]").focus()
    page.keyboard.press("Enter")
    expect(note_rows(page)).to_have_count(7)
    expect(note_rows(page).nth(6).locator("[data-f=section]")).to_be_focused()

    # A required section by Space.
    box = root.locator(".cs-required-list").get_by_label("Unfair advantage")
    box.focus()
    page.keyboard.press("Space")
    expect(box).to_be_checked()

    # Nothing is wider than the screen; the whole editor passes axe, here and on a desktop.
    overflow = root.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 0, f"the editor is {overflow}px wider than a 320px screen"
    assert_accessible(page, "in the custom editor at 320px")
    page.set_viewport_size({"width": 1100, "height": 900})
    assert_accessible(page, "in the custom editor at 1100px")


# Several faults at once -----------------------------------------------------------------

def test_every_setting_at_fault_is_marked_at_once(page, workbench, page_errors):
    """The shared settings form (common/settings_form.py): the server names every field at
    fault, and each is marked; the first gets focus. Nothing is saved."""
    page_errors.allow(r"status of 400 .*/studio_submit/")
    root = open_studio(page, workbench, LEAN)
    root.locator("input[name=display_name]").fill(" ")
    root.locator("input[name=min_notes]").fill("51")
    root.locator("input[name=weight]").fill("-1")
    with page.expect_response(re.compile(r"/studio_submit/")) as answer:
        root.locator(".bizmooc-settings-save").click()
    assert answer.value.status == 400
    fields = [problem["field"] for problem in answer.value.json()["error"]["fields"]]
    assert fields == ["display_name", "min_notes", "weight"]
    for name in fields:
        expect(root.locator(f"input[name={name}]")).to_have_attribute("aria-invalid", "true")
    expect(root.locator(".bizmooc-field-error")).to_have_count(3)
    expect(root.locator(".bizmooc-field-error").last).to_have_text("The weight cannot be negative.")
    expect(root.locator("input[name=display_name]")).to_be_focused()
