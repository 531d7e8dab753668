"""A learner switches language on the workbench page and uses the components in it.

For each BizMOOC partner language the learner opens a reflection journal, picks the
language in the page's form (it posts to Django's /i18n/setlang/, as the LMS language
menu does), sees the journal translated and submits an entry; then opens an EntreComp
self-assessment (the language is kept), sees it translated, down to the framework's own
competence titles, and submits it; then sees the canvas, the idea board and peer review in
that language; finally switches back to English.

The expected texts are read from the compiled catalogues (`text.mo`) with Python's
gettext, so the test follows the translators' wording; a checked string that a catalogue
does not translate fails the test (after the rest has run), since learners would see it
in English.
"""
import gettext
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import BLOCK_ROOT, assert_accessible, open_block, serve_workbench

pytestmark = pytest.mark.browser

# The suite's one catalogue, where the platform reads it (xblocks/common/seams.py, 3).
LOCALE = Path(__file__).resolve().parents[2] / "xblocks" / "translations"
BOARD_SCENARIO = "bizmooc_idea_board.0"  # brainstorming with categories
PEER_SCENARIO = "bizmooc_peer_review.0"  # an essay with peer and self-review
CANVAS_SCENARIO = "bizmooc_canvas.1"  # the Lean Canvas, not graded
LANGUAGES = ["de", "es", "pl", "bg", "sk", "it"]
# xblocks/learning_to_learn/scenarios*.py: a journal with one prompt and no minimum length,
# and the EntreComp "before" self-assessment.
JOURNAL_SCENARIO = "bizmooc_reflection_journal.4"
ASSESSMENT_SCENARIO = "bizmooc_self_assessment.0"
ENTRY = ("Our invoices reach customers two weeks late because three departments each "
         "wait for the other. Nobody owns the problem; a shared checklist would be a first, cheap test.")


@pytest.fixture(scope="module")
def own_workbench(migrated_db):
    """A workbench of this module's own: the entries written here never change the figures
    that other tests count on the session's workbench (scenario 4 is counted exactly)."""
    with serve_workbench(migrated_db) as base:
        yield base


def translator(language):
    """The suite's compiled catalogue for `language` (fails if there is none)."""
    return gettext.translation("text", str(LOCALE), languages=[language])


CHECKED = (
    "Your reflection", "Submit entry", "Entry submitted.", "Submit revision",
    "Course staff can read the entries you submit here.",
    "Submit my self-assessment", "Spotting opportunities", "Before the course",
    "Your answers are saved. Your profile is below.",
)


def switch_language(page, language):
    """Choose `language` in the page's form and submit it, as a learner does."""
    page.select_option("#workbench-language", language)
    with page.expect_navigation():
        page.locator(".bizmooc-workbench-language button[type=submit]").click()
    page.wait_for_selector(BLOCK_ROOT)
    page.wait_for_function("() => !!window.BizMOOC && !!window.XBlock")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#workbench-language")).to_have_value(language)


def journal(page):
    return page.locator(".bizmooc-journal").first


def assessment(page):
    return page.locator(".bizmooc-assessment").first


# SVG lengths and coordinates are numbers with a decimal point in every language: "175,7"
# is an error for cx and two coordinates for a <text>'s x.
SVG_NUMBERS = """root => Array.from(root.querySelectorAll('svg *')).flatMap(el =>
    ['x', 'y', 'x1', 'y1', 'x2', 'y2', 'cx', 'cy', 'r'].filter(name => el.hasAttribute(name))
      .map(name => el.tagName + ' ' + name + '=' + el.getAttribute(name)))
    .filter(text => !/=-?[0-9]+(\\.[0-9]+)?$/.test(text))"""


def rate_every_competence(page, level=3):
    groups = assessment(page).locator(".sa-competence")
    assert groups.count() > 0
    for i in range(groups.count()):
        groups.nth(i).locator(f"input[type=radio][value='{level}']").check()


@pytest.mark.parametrize("language", LANGUAGES)
def test_learner_switches_language_and_uses_the_components(new_context, own_workbench, language):
    catalogue = translator(language)
    expected = {msgid: catalogue.gettext(msgid) for msgid in CHECKED}
    student = f"language_{language}"
    page = new_context().new_page()

    # The journal, in English first, then in the chosen language.
    open_block(page, own_workbench, JOURNAL_SCENARIO, student)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(journal(page).locator(".journal-prompt label")).to_have_text("Your reflection")
    switch_language(page, language)
    assert f"student={student}" in page.url  # the form brings the learner back to the same page
    entry = journal(page).locator(".journal-prompt").first
    expect(entry.locator("label")).to_have_text(expected["Your reflection"])
    expect(entry.locator(".journal-submit")).to_have_text(expected["Submit entry"])
    expect(journal(page).locator(".journal-privacy")).to_contain_text(
        expected["Course staff can read the entries you submit here."])

    entry.locator(".journal-text").fill(ENTRY)
    with page.expect_response(re.compile(r"/submit_entry/")) as answer:
        entry.locator(".journal-submit").click()
    assert answer.value.ok, answer.value.text()
    expect(journal(page).locator(".bizmooc-live")).to_have_text(expected["Entry submitted."])
    expect(entry.locator(".journal-submit")).to_have_text(expected["Submit revision"])
    assert_accessible(page, f"in the journal in {language}")

    # The self-assessment: the language is kept from page to page.
    open_block(page, own_workbench, ASSESSMENT_SCENARIO, student)
    expect(page.locator("html")).to_have_attribute("lang", language)
    block = assessment(page)
    expect(block.locator(".sa-competence-title").first).to_have_text(expected["Spotting opportunities"])
    expect(block.locator(".sa-phase")).to_contain_text(expected["Before the course"])
    expect(block.locator(".sa-submit")).to_have_text(expected["Submit my self-assessment"])

    rate_every_competence(page)
    with page.expect_response(re.compile(r"/submit_assessment/")) as answer:
        block.locator(".sa-submit").click()
    assert answer.value.ok, answer.value.text()
    expect(block.locator(".bizmooc-live")).to_have_text(expected["Your answers are saved. Your profile is below."])
    profile = block.locator(".sa-profile")
    expect(profile).to_be_visible()
    expect(profile.locator("h4").first).to_contain_text(expected["Before the course"])
    expect(profile.locator(".sa-table").first).to_contain_text(expected["Spotting opportunities"])
    radar_in_language = profile.evaluate(SVG_NUMBERS)
    assert_accessible(page, f"in the self-assessment in {language}")

    # The canvas: its own catalogue, the built-in template's section titles included.
    canvas_catalogue = translator(language)
    canvas_expected = {msgid: canvas_catalogue.gettext(msgid)
                       for msgid in ("Customer segments", "Add a note", "Snapshots")}
    open_block(page, own_workbench, CANVAS_SCENARIO, student)
    expect(page.locator("html")).to_have_attribute("lang", language)
    board = page.locator(".bizmooc-canvas").first
    expect(board.locator("[data-section=customer_segments] h5")).to_have_text(canvas_expected["Customer segments"])
    expect(board.locator(".canvas-add").first).to_have_text(canvas_expected["Add a note"])
    expect(board.locator("h4", has_text=canvas_expected["Snapshots"])).to_have_count(1)
    assert_accessible(page, f"in the canvas in {language}")
    expected.update(canvas_expected)

    # The idea board and peer review, each with its own catalogue.
    board_catalogue = translator(language)
    board_expected = {msgid: board_catalogue.gettext(msgid) for msgid in ("Post an idea", "Title")}
    open_block(page, own_workbench, BOARD_SCENARIO, student)
    expect(page.locator("html")).to_have_attribute("lang", language)
    board = page.locator(".bizmooc-idea-board").first
    expect(board.locator("h4.ib-post-h")).to_have_text(board_expected["Post an idea"])
    expect(board.locator("label[for$='-t']")).to_have_text(board_expected["Title"])
    assert_accessible(page, f"in the idea board in {language}")
    expected.update(board_expected)

    peer_catalogue = translator(language)
    peer_expected = {msgid: peer_catalogue.gettext(msgid) for msgid in ("Submit for review",)}
    open_block(page, own_workbench, PEER_SCENARIO, student)
    expect(page.locator("html")).to_have_attribute("lang", language)
    review = page.locator(".bizmooc-peer-review").first
    expect(review.locator(".pr-submit-button")).to_have_text(peer_expected["Submit for review"])
    assert_accessible(page, f"in peer review in {language}")
    expected.update(peer_expected)
    open_block(page, own_workbench, ASSESSMENT_SCENARIO, student)

    # And back to English: the same answers, in English again.
    switch_language(page, "en")
    block = assessment(page)
    expect(block.locator(".sa-profile h4").first).to_contain_text("Before the course")
    expect(block.locator(".sa-profile .sa-table").first).to_contain_text("Spotting opportunities")
    assert block.locator(".sa-profile").evaluate(SVG_NUMBERS) == []
    open_block(page, own_workbench, JOURNAL_SCENARIO, student)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(journal(page).locator(".journal-prompt label")).to_have_text("Your reflection")
    expect(journal(page).locator(".journal-submit")).to_have_text("Submit revision")

    # Checked last, so that one fault still lets the whole flow above run in that language.
    problems = []
    if radar_in_language:
        problems.append(f"radar chart numbers written the {language} way: {radar_in_language[:6]}")
    untranslated = [msgid for msgid, text in expected.items() if text == msgid]
    if untranslated:
        problems.append(f"the {language} catalogue leaves these in English: {untranslated}")
    assert not problems, "\n".join(problems)
