"""The business-model canvas as learners and course staff use it, in Chromium: notes added,
edited, deleted, reordered and moved (mouse and keyboard), autosave and version conflicts,
snapshots, exports and import, the example canvas, the staff list, phone layout, and
learner text that looks like HTML staying text everywhere.

Scenarios (xblocks/initiative_canvas/scenarios.py): 0 week 2, Business Model Canvas with an
example (graded); 1 Lean Canvas; 2 Value Proposition Canvas; 3 week 5, continuing from the
learner's week-2 canvas (scenario 0).
"""
import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import SCREENSHOTS, assert_accessible, open_block, serve_workbench

pytestmark = pytest.mark.browser

WEEK_2, LEAN, VPC, WEEK_5 = (f"bizmooc_canvas.{n}" for n in range(4))
SAVED = "All changes saved"
XSS = "<script>window.__xss=1</script><img src=x onerror=window.__xss=2>"
NO_XSS = "() => window.__xss === undefined && !document.querySelector('.bizmooc img')"
TOOLS = re.compile(r"/canvas_tools\.js")
LOCAL_COPIES = """() => Object.keys(localStorage).filter(key => key.startsWith('bizmooc-canvas:'))"""
OVERFLOW = """() => ({
    page: document.scrollingElement.scrollWidth,
    blocks: Array.from(document.querySelectorAll('.bizmooc')).map(b => ({
        right: Math.ceil(b.getBoundingClientRect().right), scroll: b.scrollWidth, client: b.clientWidth})),
})"""


def board(page):
    return page.locator(".canvas-sections")


def section(page, section_id):
    return page.locator(f".canvas-sections .canvas-section[data-section='{section_id}']")


def note(page, text):
    return board(page).locator(".canvas-note", has_text=text)


def texts(page, section_id):
    return [t.strip() for t in section(page, section_id).locator(".canvas-note-text").all_inner_texts()]


def live(page):
    return page.locator(".bizmooc-canvas .bizmooc-live").first


def wait_saved(page):
    expect(page.locator(".canvas-save-state")).to_have_text(SAVED)


def add_note(page, section_id, text, kind=None, save=True):
    """Add a note through the section's editor, as a learner does; wait for the autosave."""
    section(page, section_id).get_by_role("button", name="Add a note").click()
    editor = section(page, section_id).locator(".canvas-editor")
    editor.get_by_label("Note text").fill(text)
    if kind:
        editor.get_by_label(kind, exact=True).check()
    editor.get_by_role("button", name="Save note").click()
    expect(note(page, text)).to_be_visible()
    if save:
        wait_saved(page)


def tool(page, text, name):
    """A note's button ("Edit note", "Move up", "Move down", "Delete note")."""
    return note(page, text).get_by_role("button", name=name, exact=True)


def open_panels(page):
    """Open the example canvas and the staff list (their code loads on the first click)."""
    for button in page.locator(".canvas-example-toggle, .canvas-staff-toggle").all():
        button.click()
        expect(button).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".canvas-staff-panel[aria-busy]")).to_have_count(0)


def open_learner(page, base, scenario, learner):
    open_block(page, base, scenario, learner)
    page.wait_for_function("() => !!document.querySelector('.canvas-sections .canvas-note-tools') || "
                           "!document.querySelector('.canvas-sections .canvas-note')")
    return page


# -- every view --------------------------------------------------------------------------

@pytest.mark.parametrize("scenario", [WEEK_2, LEAN, VPC, WEEK_5])
@pytest.mark.parametrize("student,view", [("learner", None), ("course_staff", None), ("course_staff", "author_view")],
                         ids=["learner", "staff", "author"])
def test_every_view_loads_cleanly_and_passes_axe(page, workbench, scenario, student, view):
    open_block(page, workbench, scenario, f"views_{student}" if student == "learner" else student, view=view)
    assert_accessible(page, f"{scenario} {view or 'student_view'} as {student}")
    if view:
        return
    # With the panels open too: example canvas, the note editor, the staff list.
    open_panels(page)
    board(page).get_by_role("button", name="Add a note").first.click()
    assert_accessible(page, f"{scenario} with its panels open as {student}")


# -- notes -------------------------------------------------------------------------------

def test_add_edit_delete_and_reorder_notes_survive_a_reload(page, new_context, workbench, learner):
    open_learner(page, workbench, WEEK_2, learner)
    add_note(page, "customer_segments", "Field technicians of our service department")
    expect(live(page)).to_have_text("Note added to Customer segments.")
    add_note(page, "customer_segments", "Call-centre agents", kind="Question")
    add_note(page, "customer_segments", "Temporary staff", kind="Risk")
    segments = section(page, "customer_segments")
    expect(segments.locator(".canvas-count")).to_have_text("Notes: 3")
    # The type is written on the note, not only shown by its colour.
    expect(note(page, "Call-centre agents").locator(".canvas-note-label")).to_have_text("Question")
    expect(note(page, "Temporary staff")).to_have_class(re.compile("canvas-colour-pink"))

    tool(page, "Call-centre agents", "Edit note").click()
    editor = segments.locator(".canvas-editor")
    expect(editor.get_by_label("Note text")).to_be_focused()
    expect(editor.get_by_label("Question", exact=True)).to_be_checked()
    editor.get_by_label("Note text").fill("Call-centre agents (about 40)\nsecond line")
    editor.get_by_label("Tested", exact=True).check()
    editor.get_by_role("button", name="Save note").click()
    expect(tool(page, "Call-centre agents (about 40)", "Edit note")).to_be_focused()
    expect(note(page, "Call-centre agents").locator(".canvas-note-label")).to_have_text("Tested")

    tool(page, "Temporary staff", "Move up").click()
    expect(live(page)).to_have_text("Note moved to Customer segments, position 2.")
    expect(tool(page, "Temporary staff", "Move up")).to_be_focused()
    tool(page, "Field technicians", "Move down").click()
    assert texts(page, "customer_segments") == [
        "Temporary staff", "Field technicians of our service department", "Call-centre agents (about 40)\nsecond line"]
    tool(page, "Field technicians", "Delete note").click()
    expect(live(page)).to_have_text("Note deleted from Customer segments.")
    expect(segments.locator(".canvas-count")).to_have_text("Notes: 2")
    wait_saved(page)
    assert page.evaluate(LOCAL_COPIES) == []  # confirmed by the server

    page.reload()
    open_learner(page, workbench, WEEK_2, learner)
    assert texts(page, "customer_segments") == ["Temporary staff", "Call-centre agents (about 40)\nsecond line"]
    # Another device (no local copy) gets the same canvas from the server.
    other = open_learner(new_context().new_page(), workbench, WEEK_2, learner)
    assert texts(other, "customer_segments") == ["Temporary staff", "Call-centre agents (about 40)\nsecond line"]
    expect(note(other, "Call-centre agents").locator(".canvas-note-label")).to_have_text("Tested")


def test_unsent_notes_are_kept_on_the_device_and_sent_after_a_reload(page, workbench, learner, page_errors):
    page_errors.allow(r"status of 503")
    open_learner(page, workbench, LEAN, learner)
    add_note(page, "problem", "Saved before the outage")
    page.route(re.compile(r"/save_canvas/"), lambda route: route.fulfill(status=503, body="{}"))
    add_note(page, "solution", "Written while the server was away", save=False)
    expect(page.locator(".canvas-save-state")).to_contain_text("Not saved yet")
    expect(page.locator(".canvas-save-live")).to_contain_text("Not saved yet")
    assert len(page.evaluate(LOCAL_COPIES)) == 1
    page.unroute(re.compile(r"/save_canvas/"))
    page.reload()
    open_learner(page, workbench, LEAN, learner)
    expect(page.locator(".canvas-save-state")).to_have_text(re.compile("Restored changes|Saving|" + SAVED))
    assert texts(page, "solution") == ["Written while the server was away"]
    wait_saved(page)
    assert page.evaluate(LOCAL_COPIES) == []
    page.reload()
    open_learner(page, workbench, LEAN, learner)
    assert texts(page, "solution") == ["Written while the server was away"]


def test_the_editor_refuses_an_empty_note_and_caps_its_length(page, workbench, learner):
    open_learner(page, workbench, LEAN, learner)
    problem = section(page, "problem")
    problem.get_by_role("button", name="Add a note").click()
    editor = problem.locator(".canvas-editor")
    editor.get_by_label("Note text").fill("   ")
    editor.get_by_role("button", name="Save note").click()
    expect(editor.locator(".bizmooc-field-error")).to_have_text("A note needs some text.")
    expect(editor.get_by_label("Note text")).to_be_focused()
    assert_accessible(page, "with the editor's error")
    assert editor.get_by_label("Note text").get_attribute("maxlength") == "280"
    editor.get_by_label("Note text").fill("x" * 300)
    expect(editor.get_by_label("Note text")).to_have_value("x" * 280)
    expect(editor).to_contain_text("280 of 280 characters")
    editor.get_by_label("Note text").press("Escape")
    expect(problem.locator(".canvas-editor")).to_have_count(0)
    expect(problem.get_by_role("button", name="Add a note")).to_be_focused()
    expect(problem.locator(".canvas-note")).to_have_count(0)


def test_keyboard_alone_moves_a_note_between_sections(page, workbench, learner):
    open_learner(page, workbench, WEEK_2, learner)
    add_note(page, "key_partners", "Translation agency")
    add_note(page, "key_resources", "Technical writers")
    edit = tool(page, "Translation agency", "Edit note")
    edit.focus()
    # Alt+arrow keys: right to the next section in the template's order, down within it.
    page.keyboard.press("Alt+ArrowRight")
    expect(live(page)).to_have_text("Note moved to Key activities, position 1.")
    expect(tool(page, "Translation agency", "Edit note")).to_be_focused()
    page.keyboard.press("Alt+ArrowRight")
    expect(live(page)).to_have_text("Note moved to Key resources, position 2.")
    page.keyboard.press("Alt+ArrowUp")
    expect(live(page)).to_have_text("Note moved to Key resources, position 1.")
    assert texts(page, "key_resources") == ["Translation agency", "Technical writers"]
    # The editor's section menu, with keys only: Enter, Tab to the menu, type, Tab to Save, Enter.
    page.keyboard.press("Enter")
    expect(section(page, "key_resources").get_by_label("Note text")).to_be_focused()
    page.keyboard.press("Tab")   # the note types (one radio group)
    page.keyboard.press("Tab")   # "Move to section"
    expect(section(page, "key_resources").get_by_label("Move to section")).to_be_focused()
    page.keyboard.type("Channels")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(live(page)).to_have_text("Note moved to Channels, position 1.")
    expect(tool(page, "Translation agency", "Edit note")).to_be_focused()
    assert texts(page, "channels") == ["Translation agency"]
    assert texts(page, "key_resources") == ["Technical writers"]
    wait_saved(page)
    page.reload()
    open_learner(page, workbench, WEEK_2, learner)
    assert texts(page, "channels") == ["Translation agency"]


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_a_deleted_note_can_be_undone_by_keyboard(new_context, workbench, learner, width, height):
    page = new_context(width=width, height=height).new_page()
    learner = f"{learner[:30]}_{width}"
    open_learner(page, workbench, WEEK_2, learner)
    add_note(page, "key_partners", "Translation agency")
    add_note(page, "key_partners", "Printing house")
    tool(page, "Translation agency", "Delete note").focus()
    page.keyboard.press("Enter")
    expect(live(page)).to_have_text("Note deleted from Key partners.")
    offer = page.locator(".canvas-undo")
    expect(offer).to_be_visible()
    expect(offer).to_contain_text("Note deleted from Key partners.")
    assert_accessible(page, f"undo offered at {width}px")
    offer.get_by_role("button", name="Undo").focus()
    page.keyboard.press("Enter")
    expect(live(page)).to_have_text("Note restored in Key partners.")
    expect(offer).to_be_hidden()
    expect(tool(page, "Translation agency", "Edit note")).to_be_focused()
    assert texts(page, "key_partners") == ["Translation agency", "Printing house"]
    wait_saved(page)
    page.reload()
    open_learner(page, workbench, WEEK_2, learner)
    assert texts(page, "key_partners") == ["Translation agency", "Printing house"]
    # The offer lasts a few actions, then goes.
    tool(page, "Printing house", "Delete note").click()
    expect(offer).to_be_visible()
    for text in ("one", "two", "three", "four"):
        add_note(page, "channels", text, save=False)
    expect(offer).to_be_hidden()


def test_mouse_drag_moves_a_note_between_sections(page, workbench, learner):
    open_learner(page, workbench, WEEK_2, learner)
    add_note(page, "channels", "Service app")
    add_note(page, "customer_relationships", "Monthly webinar")
    add_note(page, "customer_relationships", "Hotline")
    note(page, "Service app").drag_to(note(page, "Hotline"), target_position={"x": 10, "y": 2})
    expect(live(page)).to_have_text("Note moved to Customer relationships, position 2.")
    assert texts(page, "customer_relationships") == ["Monthly webinar", "Service app", "Hotline"]
    note(page, "Monthly webinar").drag_to(section(page, "value_propositions"))
    assert texts(page, "value_propositions") == ["Monthly webinar"]
    expect(section(page, "channels").locator(".canvas-count")).to_have_text("Notes: 0")
    wait_saved(page)
    page.reload()
    open_learner(page, workbench, WEEK_2, learner)
    assert texts(page, "customer_relationships") == ["Service app", "Hotline"]
    assert texts(page, "value_propositions") == ["Monthly webinar"]


# -- conflicts between tabs ----------------------------------------------------------------

def stale_pair(new_context, base, learner):
    """Two tabs on one canvas; the first saves, the second then saves from the old version."""
    context = new_context()
    first = open_learner(context.new_page(), base, VPC, learner)
    add_note(first, "customer_jobs", "Plan the day's repairs")
    second = open_learner(context.new_page(), base, VPC, learner)
    add_note(first, "pains", "Manual not at hand", kind="Risk")
    add_note(second, "gains", "Fewer second visits", save=False)
    expect(second.locator(".canvas-conflict")).to_be_visible()
    expect(second.locator(".canvas-conflict")).to_contain_text("changed in another tab")
    return first, second


def test_a_stale_tab_keeps_its_notes_and_the_newer_canvas_as_a_snapshot(new_context, workbench, learner, page_errors):
    page_errors.allow(r"status of 409")
    first, second = stale_pair(new_context, workbench, learner)
    assert_accessible(second, "with the conflict panel")
    second.get_by_role("button", name="Keep mine, save the newer one as a snapshot").click()
    expect(second.locator(".canvas-conflict")).to_be_hidden()
    expect(live(second)).to_contain_text("the newer canvas is saved as the snapshot")
    wait_saved(second)
    snapshot = second.locator(".canvas-snapshot")
    expect(snapshot).to_have_count(1)
    expect(snapshot).to_contain_text("Newer canvas")
    # Mine is the canvas now, on every tab after a reload...
    first.reload()
    open_learner(first, workbench, VPC, learner)
    assert texts(first, "gains") == ["Fewer second visits"]
    assert texts(first, "pains") == []
    # ...and the other tab's note is in the snapshot: no words lost.
    with second.context.expect_page() as opened:
        snapshot.get_by_role("link", name=re.compile("^View")).click()
    view = opened.value
    view.wait_for_load_state()
    expect(view.locator("body")).to_contain_text("Manual not at hand")
    expect(view.locator("body")).to_contain_text("Plan the day's repairs")


def test_a_stale_tab_can_load_the_newer_canvas(new_context, workbench, learner, page_errors):
    page_errors.allow(r"status of 409")
    first, second = stale_pair(new_context, workbench, learner)
    second.get_by_role("button", name="Load the newer canvas").click()
    expect(second.locator(".canvas-conflict")).to_be_hidden()
    expect(live(second)).to_have_text("The newer canvas is loaded.")
    assert texts(second, "pains") == ["Manual not at hand"]
    assert texts(second, "gains") == []
    add_note(second, "gains", "Fewer second visits")  # saves on the newer version, no conflict
    first.reload()
    open_learner(first, workbench, VPC, learner)
    assert texts(first, "pains") == ["Manual not at hand"]
    assert texts(first, "gains") == ["Fewer second visits"]


# -- snapshots, exports, import ----------------------------------------------------------------

def test_snapshots_are_listed_viewed_and_restored(page, workbench, learner):
    open_learner(page, workbench, WEEK_2, learner)
    add_note(page, "value_propositions", "Manuals offline on the phone")
    snapshots = page.locator(".canvas-snapshots")
    expect(snapshots).to_contain_text("No snapshots yet")
    snapshots.get_by_label("Snapshot name").fill("week 2")
    snapshots.get_by_role("button", name="Take snapshot").click()
    expect(live(page)).to_have_text('Snapshot "week 2" saved.')
    item = snapshots.locator(".canvas-snapshot")
    expect(item).to_have_count(1)
    expect(item.locator("> .canvas-snapshot-name")).to_have_text("week 2")
    expect(item.locator("time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\d"))
    expect(snapshots.locator(".canvas-no-snapshots")).to_be_hidden()

    tool(page, "Manuals offline", "Delete note").click()
    add_note(page, "value_propositions", "Video instructions instead")
    with page.context.expect_page() as opened:
        item.get_by_role("link", name="View week 2 (opens in a new tab)").click()
    view = opened.value
    view.wait_for_load_state()
    expect(view.locator("h1")).to_have_text("week 2")
    expect(view.locator(".canvas-readonly")).to_contain_text("Manuals offline on the phone")
    expect(view.locator(".canvas-readonly")).not_to_contain_text("Video instructions")

    item.get_by_role("button", name="Restore week 2").click()
    expect(live(page)).to_have_text('Snapshot "week 2" restored.')
    assert texts(page, "value_propositions") == ["Manuals offline on the phone"]
    page.reload()
    open_learner(page, workbench, WEEK_2, learner)
    assert texts(page, "value_propositions") == ["Manuals offline on the phone"]
    expect(page.locator(".canvas-snapshot")).to_have_count(1)
    assert_accessible(page, "with a snapshot listed")


def test_json_export_then_import_round_trip(page, workbench, learner, tmp_path):
    open_learner(page, workbench, LEAN, learner)
    add_note(page, "problem", "Manuals are out of date", kind="Risk")
    add_note(page, "solution", "Wiki edited by technicians")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download JSON").click()
    exported = tmp_path / "canvas.json"
    download.value.save_as(exported)
    document = json.loads(exported.read_text("utf-8"))
    assert document["format"] == "bizmooc-canvas/1"
    assert [(n["section"], n["text"], n["colour"]) for n in document["notes"]] == [
        ("problem", "Manuals are out of date", "pink"), ("solution", "Wiki edited by technicians", "yellow")]

    tool(page, "Manuals are out of date", "Delete note").click()
    tool(page, "Wiki edited", "Delete note").click()
    wait_saved(page)
    page.get_by_label("Import a canvas (JSON file)").set_input_files(exported)
    expect(live(page)).to_have_text("Canvas imported.")
    assert texts(page, "problem") == ["Manuals are out of date"]
    assert texts(page, "solution") == ["Wiki edited by technicians"]
    page.reload()
    open_learner(page, workbench, LEAN, learner)
    assert texts(page, "problem") == ["Manuals are out of date"]


@pytest.mark.parametrize("width,height", [(1280, 900), (390, 844)])
def test_a_canvas_from_another_template_is_named_and_its_fitting_notes_imported_on_confirm(
        new_context, workbench, learner, tmp_path, width, height, page_errors):
    page_errors.allow(r"status of 400")  # the first answer: "from another template"
    page = new_context(width=width, height=height).new_page()
    learner = f"{learner[:30]}_{width}"
    open_learner(page, workbench, LEAN, learner)
    file = tmp_path / "bmc.json"
    file.write_text(json.dumps({"format": "bizmooc-canvas/1", "title": "Week 2", "template": {
        "id": "business_model_canvas"}, "notes": [
        {"id": "a1", "section": "key_partners", "text": "Bakery co-op", "colour": "yellow"},
        {"id": "a2", "section": "channels", "text": "Farmers' market", "colour": "green"}]}))
    page.get_by_label("Import a canvas (JSON file)").set_input_files(file)
    confirm = page.locator(".canvas-import-confirm")
    expect(confirm).to_be_focused()
    expect(confirm).to_contain_text("This file comes from another template: Business Model Canvas.")
    expect(confirm).not_to_contain_text("key_partners")
    expect(confirm.locator("li")).to_have_text(["Key partners"])
    assert_accessible(page, f"import confirm at {width}px")
    page.keyboard.press("Tab")
    expect(confirm.get_by_role("button", name="Import the notes that fit")).to_be_focused()
    page.keyboard.press("Enter")
    expect(live(page)).to_have_text("Canvas imported.")
    expect(confirm).to_be_hidden()
    assert texts(page, "channels") == ["Farmers' market"]
    page.reload()
    open_learner(page, workbench, LEAN, learner)
    assert texts(page, "channels") == ["Farmers' market"]


def test_a_file_that_is_not_a_canvas_is_refused(page, workbench, learner, tmp_path, page_errors):
    page_errors.allow(r"status of 400")
    open_learner(page, workbench, LEAN, learner)
    add_note(page, "problem", "Kept as it is")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", "utf-8")
    page.get_by_label("Import a canvas (JSON file)").set_input_files(broken)
    expect(page.locator(".bizmooc-canvas > .bizmooc-error")).to_contain_text("not a canvas export")
    assert texts(page, "problem") == ["Kept as it is"]


def test_png_export_is_a_png(page, workbench, learner, tmp_path):
    open_learner(page, workbench, WEEK_2, learner)
    add_note(page, "cost_structure", "Translation of 400 pages per release " * 5, kind="Risk")
    add_note(page, "revenue_streams", XSS)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download image (PNG)").click()
    assert download.value.suggested_filename == "canvas.png"
    saved = tmp_path / "canvas.png"
    download.value.save_as(saved)
    data = saved.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width == 1600 and height > 400
    assert page.evaluate(NO_XSS)


def test_the_rarely_used_tools_load_on_first_use_once_and_again_after_a_failed_load(page, workbench, learner,
                                                                                      tmp_path, page_errors):
    page_errors.allow(r"canvas_tools\.js")  # the load the test makes fail
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if "canvas_tools.js" in request.url else None)
    open_learner(page, workbench, WEEK_2, learner)
    add_note(page, "channels", "Service app", kind="Tested")
    assert fetched == []  # not part of what the page loads up front
    # The connection drops before the first click: the learner is told, the canvas is untouched.
    page.route(TOOLS, lambda route: route.abort())
    page.get_by_role("button", name="Download image (PNG)").click()
    error = page.locator(".bizmooc-canvas > .bizmooc-error")
    expect(error).to_have_text("You are offline. Please try again when you are connected.")
    page.unroute(TOOLS)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download image (PNG)").click()
    download.value.save_as(tmp_path / "canvas.png")
    assert (tmp_path / "canvas.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    expect(error).to_be_hidden()
    # Every other tool comes from the same file, without fetching it again.
    page.locator(".canvas-snapshots").get_by_label("Snapshot name").fill("first")
    page.get_by_role("button", name="Take snapshot").click()
    expect(live(page)).to_have_text('Snapshot "first" saved.')
    page.locator(".canvas-example-toggle").click()
    expect(page.locator(".canvas-example")).to_be_visible()
    assert len(fetched) == 2 and texts(page, "channels") == ["Service app"]


def test_printable_page_shows_the_notes(page, workbench, learner):
    open_learner(page, workbench, WEEK_2, learner)
    add_note(page, "key_activities", "Writing and translating manuals")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name=re.compile("Printable page")).click()
    printable = opened.value
    printable.wait_for_load_state()
    expect(printable.locator("h1")).to_have_text("Week 2: the business model of your idea")
    sections = printable.locator(".canvas-readonly-section")
    expect(sections).to_have_count(9)
    expect(sections.nth(1)).to_contain_text("Key activities")
    expect(sections.nth(1)).to_contain_text("Writing and translating manuals")
    expect(sections.nth(1).locator(".canvas-note-label")).to_have_text("Idea")


def test_html_in_a_note_is_text_everywhere(page, new_context, workbench, learner, tmp_path):
    open_learner(page, workbench, WEEK_2, learner)
    add_note(page, "key_partners", XSS)
    expect(note(page, "<script>").locator(".canvas-note-text")).to_have_text(XSS)
    page.reload()
    open_learner(page, workbench, WEEK_2, learner)
    expect(note(page, "<script>").locator(".canvas-note-text")).to_have_text(XSS)
    assert page.evaluate(NO_XSS)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download image (PNG)").click()
    download.value.save_as(tmp_path / "x.png")
    assert page.evaluate(NO_XSS)
    with page.context.expect_page() as opened:
        page.get_by_role("link", name=re.compile("Printable page")).click()
    printable = opened.value
    printable.wait_for_load_state()
    expect(printable.locator(".canvas-readonly")).to_contain_text(XSS)
    assert printable.evaluate(NO_XSS)

    staff = open_block(new_context().new_page(), workbench, WEEK_2, "course_staff")
    staff.get_by_role("button", name="Show canvases").click()
    staff.locator(".canvas-staff-table tr", has_text=learner).get_by_role("button").click()
    viewer = staff.locator(".canvas-staff-canvas")
    expect(viewer).to_contain_text(XSS)
    assert staff.evaluate(NO_XSS)


# -- layouts --------------------------------------------------------------------------------

def test_phone_width_lists_the_sections_without_sideways_scroll(new_context, workbench):
    page = new_context(width=320, height=640).new_page()
    for scenario in (WEEK_2, LEAN, VPC, WEEK_5):
        open_block(page, workbench, scenario, "course_staff")
        add = page.locator(".canvas-add").first
        add.click()
        open_panels(page)
        sizes = page.evaluate(OVERFLOW)
        assert sizes["page"] <= 320, f"{scenario}: page scrolls sideways: {sizes}"
        for block in sizes["blocks"]:
            assert block["right"] <= 320 and block["scroll"] <= block["client"], f"{scenario}: {sizes}"
        boxes = [s.bounding_box() for s in page.locator(".canvas-sections > .canvas-section").all()]
        assert len({round(b["x"]) for b in boxes}) == 1, f"{scenario}: sections side by side on a phone"
        assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes)
        assert_accessible(page, f"{scenario} at 320 px")


def assert_business_model_layout(box):
    """The Business Model Canvas as Strategyzer draws it: `box(section_id)` is a bounding box."""
    partners, activities, resources = box("key_partners"), box("key_activities"), box("key_resources")
    segments, cost, revenue = box("customer_segments"), box("cost_structure"), box("revenue_streams")
    offer = box("value_propositions")
    assert activities["x"] > partners["x"] and abs(activities["x"] - resources["x"]) < 1
    assert resources["y"] > activities["y"]  # stacked in one column of the grid
    assert abs(partners["y"] + partners["height"] - (resources["y"] + resources["height"])) < 1  # 2 rows high
    assert segments["x"] > offer["x"] > activities["x"] and abs(segments["y"] - partners["y"]) < 1  # middle band
    assert cost["y"] > partners["y"] + partners["height"] - 1 and abs(cost["y"] - revenue["y"]) < 1  # bottom band
    assert revenue["x"] > cost["x"]


def test_desktop_keeps_the_templates_grid(page, workbench):
    page.set_viewport_size({"width": 1280, "height": 900})
    open_block(page, workbench, WEEK_2, "views_grid")
    assert_business_model_layout(lambda section_id: section(page, section_id).bounding_box())


def readonly_layout(container):
    return lambda section_id: container.locator(f".canvas-readonly-section[data-section='{section_id}']").bounding_box()


def test_printable_page_staff_view_and_example_follow_the_templates_layout(page, new_context, workbench, learner):
    """One layout for every rendering: the printable page (print to PDF), the staff view and the
    example canvas (the peer-review view is the same HTML: tests/initiative_canvas)."""
    page.set_viewport_size({"width": 1280, "height": 900})
    open_learner(page, workbench, WEEK_2, learner)
    add_note(page, "customer_segments", "Field technicians")
    with page.context.expect_page() as opened:
        page.get_by_role("link", name=re.compile("Printable page")).click()
    printable = opened.value
    printable.set_viewport_size({"width": 1280, "height": 900})
    printable.wait_for_load_state()
    assert_business_model_layout(readonly_layout(printable))
    printable.emulate_media(media="print")
    assert_business_model_layout(readonly_layout(printable))
    printable.emulate_media(media="screen")
    printable.set_viewport_size({"width": 390, "height": 844})  # a phone: the sections in template order
    boxes = [s.bounding_box() for s in printable.locator(".canvas-readonly-section").all()]
    assert [b["y"] for b in boxes] == sorted(b["y"] for b in boxes)
    assert_accessible(printable, "printable page on a phone")

    staff = new_context(width=1280, height=900).new_page()
    open_block(staff, workbench, WEEK_2, "course_staff")
    open_panels(staff)
    assert_business_model_layout(readonly_layout(staff.locator(".canvas-example")))
    staff.locator(".canvas-staff-table tr", has_text=learner).get_by_role("button").click()
    viewer = staff.locator(".canvas-staff-canvas")
    expect(viewer).to_contain_text("Field technicians")
    assert_business_model_layout(readonly_layout(viewer))


# -- learners and staff ---------------------------------------------------------------------

def test_two_learners_see_only_their_own_canvas_and_staff_see_both(new_context, workbench, learner):
    ana, ben = f"ana_{learner}"[:40], f"ben_{learner}"[:40]
    first = open_learner(new_context().new_page(), workbench, LEAN, ana)
    add_note(first, "problem", "Ana: technicians wait for answers")
    add_note(first, "solution", "Ana: chat with experts")
    second = open_learner(new_context().new_page(), workbench, LEAN, ben)
    expect(board(second).locator(".canvas-note")).to_have_count(0)
    add_note(second, "customer_segments", "Ben: new hires")
    first.reload()
    open_learner(first, workbench, LEAN, ana)
    expect(board(first)).not_to_contain_text("Ben:")
    expect(board(first).locator(".canvas-note")).to_have_count(2)

    staff = open_block(new_context().new_page(), workbench, LEAN, "course_staff")
    staff.get_by_role("button", name="Show canvases").click()
    table = staff.locator(".canvas-staff-table")
    row_ana = table.locator("tbody tr", has_text=ana)
    row_ben = table.locator("tbody tr", has_text=ben)
    expect(row_ana.locator("td").nth(1)).to_have_text("2")
    expect(row_ana.locator("td").nth(2)).to_have_text("2 of 9")
    expect(row_ben.locator("td").nth(2)).to_have_text("1 of 9")
    row_ana.get_by_role("button", name=f"Open {ana}").click()
    viewer = staff.locator(".canvas-staff-view")
    expect(viewer).to_be_focused()
    expect(viewer.locator("h5").first).to_have_text(f"Canvas of {ana}")
    expect(viewer).to_contain_text("Ana: chat with experts")
    expect(viewer).not_to_contain_text("Ben:")
    expect(viewer.locator("button, textarea, [draggable=true]")).to_have_count(1)  # only "Close": read-only
    assert_accessible(staff, "with a canvas open in the staff view")
    viewer.get_by_role("button", name="Close").click()
    expect(row_ana.get_by_role("button")).to_be_focused()
    for name in ("Download all notes (CSV)", "Download all canvases (JSON)"):
        expect(staff.get_by_role("link", name=name)).to_have_attribute("href", re.compile("export_"))


def test_week_5_starts_from_the_week_2_canvas(page, workbench, learner):
    open_learner(page, workbench, WEEK_2, learner)
    add_note(page, "customer_segments", "Field technicians")
    add_note(page, "channels", "The service app", kind="Tested")
    open_learner(page, workbench, WEEK_5, learner)
    expect(page.locator(".canvas-continued")).to_have_text(
        "Your canvas starts from your earlier canvas in this course.")
    assert texts(page, "customer_segments") == ["Field technicians"]
    expect(note(page, "The service app").locator(".canvas-note-label")).to_have_text("Tested")
    wait_saved(page)  # the copy is this block's own canvas from the start
    add_note(page, "customer_segments", "Warehouse staff, after the interviews")
    open_learner(page, workbench, WEEK_2, learner)
    assert texts(page, "customer_segments") == ["Field technicians"]  # week 2 is left as it was
    open_learner(page, workbench, WEEK_5, learner)
    expect(page.locator(".canvas-continued")).to_be_hidden()
    assert texts(page, "customer_segments") == ["Field technicians", "Warehouse staff, after the interviews"]


def test_the_example_canvas_shows_and_hides(page, workbench, learner):
    open_learner(page, workbench, WEEK_2, learner)
    toggle = page.locator(".canvas-example-toggle")
    expect(toggle).to_have_text("Show the example canvas")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    example = page.locator(".canvas-example")
    expect(example).to_be_visible()
    expect(toggle).to_have_text("Hide the example canvas")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(example.locator(".canvas-readonly-section").nth(3)).to_contain_text("Repair manuals on the phone")
    expect(example.locator(".canvas-note", has_text="Do technicians").locator(".canvas-note-label")) \
        .to_have_text("Question")
    expect(example.locator("button, [draggable=true]")).to_have_count(0)
    toggle.click()
    expect(example).to_be_hidden()


# -- screenshots ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pristine_workbench(migrated_db):
    with serve_workbench(migrated_db) as base:
        yield base


MARIA = [
    ("key_partners", "Translation agency we already use", None),
    ("key_activities", "Writing short, task-based repair guides", None),
    ("key_resources", "Technical writers; the translation budget", None),
    ("value_propositions", "Repair manuals on the phone, offline, in 6 languages", None),
    ("value_propositions", "Do technicians lack the manuals, or the time to read them?", "Question"),
    ("customer_relationships", "Feedback button on every page", "Tested"),
    ("channels", "Rolled out through the existing service app", "Tested"),
    ("customer_segments", "Field technicians of our own service department", None),
    ("cost_structure", "Translation of 400 pages per release", "Risk"),
    ("revenue_streams", "Savings: fewer second visits (about 8% of jobs today)", "Tested"),
]


def block_shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.add_style_tag(content=".workbench .banner { position: static; }")
    page.locator(".xblock-v1").first.screenshot(path=str(SCREENSHOTS / name), animations="disabled", caret="hide")


def test_screenshots(new_context, pristine_workbench):
    desktop = open_learner(new_context(width=1280, height=900).new_page(), pristine_workbench, WEEK_2, "maria")
    for section_id, text, kind in MARIA:
        add_note(desktop, section_id, text, kind=kind)
    desktop.locator(".canvas-snapshots").get_by_label("Snapshot name").fill("week 2")
    desktop.get_by_role("button", name="Take snapshot").click()
    expect(desktop.locator(".canvas-snapshot")).to_have_count(1)
    desktop.reload()
    open_learner(desktop, pristine_workbench, WEEK_2, "maria")
    block_shot(desktop, "canvas-desktop.png")
    phone = open_learner(new_context(width=375, height=800, device_scale_factor=2).new_page(),
                         pristine_workbench, WEEK_2, "maria")
    block_shot(phone, "canvas-phone.png")
    for name in ("canvas-desktop.png", "canvas-phone.png"):
        assert (SCREENSHOTS / name).stat().st_size > 10_000, name
