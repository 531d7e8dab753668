"""Peer review with files, in Chromium (scenario 3 of xblocks/peer_review/scenarios.py: files
optional, one review to give and to get): the author adds a PDF by keyboard, sees it listed with
a labelled remove button and hears it announced; a refused file is said at the field; on a phone,
the reviewer gets the work with a download list and downloads the file as an attachment under a
neutral name (never the author's file name). axe-core on each state, desktop and phone."""
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from .conftest import assert_accessible, serve_workbench
from .test_peer_review_learner import ROOT, block, block_shot, learner_page, submit_text

pytestmark = pytest.mark.browser

FILES = "bizmooc_peer_review.3"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"%" * 2000
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def own_workbench(migrated_db):
    with serve_workbench(migrated_db) as base:
        yield base


def choose_by_keyboard(page, input_locator, payload):
    """Focus the file input and open its chooser with the keyboard (Space), as a keyboard user
    does; the chooser gets the file. On a loaded machine Chromium now and then drops the
    keypress's activation: the key is pressed again (at most three times), as a user would."""
    expect(input_locator).to_be_enabled()
    for attempt in range(3):
        input_locator.focus()
        try:
            with page.expect_file_chooser(timeout=5_000) as chooser:
                page.keyboard.press("Space")
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            continue
        chooser.value.set_files(payload)
        return


def test_a_pdf_is_added_by_keyboard_and_its_reviewer_downloads_it_under_a_neutral_name(new_context, own_workbench,
                                                                                       page_errors):
    base = own_workbench
    page_errors.allow(r"status of 400")  # the refused file below
    author = learner_page(new_context, base, "files_anna_schmidt", FILES)
    files = block(author).locator(".pr-files-field")
    picker = files.get_by_label("Add files (optional)")
    expect(picker).to_be_visible()
    expect(files.locator(".bizmooc-help")).to_contain_text(".pdf")
    assert_accessible(author, "the upload field", selector=ROOT)

    # A file that is not what its name says is refused, at the field, and announced.
    choose_by_keyboard(author, picker, {"name": "fake.pdf", "mimeType": "application/pdf",
                                        "buffer": b"<html><script>alert(1)</script></html>"})
    expect(block(author).locator(".bizmooc-error:not(.pr-conflict)")).to_contain_text("does not match its type")
    expect(picker).to_be_focused()

    choose_by_keyboard(author, picker, {"name": "Anna Schmidt pitch.pdf", "mimeType": "application/pdf",
                                        "buffer": PDF})
    listed = files.locator(".pr-draft-files li")
    expect(listed).to_have_count(1)
    expect(listed.get_by_role("link")).to_have_text(re.compile(r"^Download Anna Schmidt pitch\.pdf \(\d+ KB\)$"))
    expect(listed.get_by_role("button", name="Remove Anna Schmidt pitch.pdf")).to_be_visible()
    expect(block(author).locator(".bizmooc-live")).to_have_text("Added: Anna Schmidt pitch.pdf.")
    assert_accessible(author, "a file added", selector=ROOT)
    block_shot(author, "peer-review-files.png")
    submit_text(author, "My slides: please look at the pricing.")
    expect(block(author).locator(".pr-mine-content .pr-files a")).to_have_text(
        re.compile(r"^Download Anna Schmidt pitch\.pdf"))

    reviewer = learner_page(new_context, base, "files_ben", FILES, **PHONE)
    submit_text(reviewer, "Ben's notes, no slides.")
    block(reviewer).get_by_role("button", name="Review the next submission").focus()
    reviewer.keyboard.press("Enter")
    lease = block(reviewer).locator(".pr-lease")
    expect(lease).to_be_focused()
    link = lease.locator(".pr-lease-content .pr-files").get_by_role("link")
    expect(link).to_have_text(re.compile(r"^Download work-1\.pdf \(\d+ KB\)$"))
    assert "Anna" not in block(reviewer).inner_text()
    assert_accessible(reviewer, "reviewing a work with a file (phone)", selector=ROOT)
    link.focus()
    with reviewer.expect_download() as download:
        reviewer.keyboard.press("Enter")
    assert download.value.suggested_filename == "work-1.pdf"
    with open(download.value.path(), "rb") as saved:
        assert saved.read() == PDF


def test_a_file_is_removed_by_keyboard_on_a_phone(new_context, own_workbench):
    page = learner_page(new_context, own_workbench, "files_remove", FILES, **PHONE)
    picker = block(page).get_by_label("Add files (optional)")
    choose_by_keyboard(page, picker, {"name": "photo.png", "mimeType": "image/png",
                                      "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64})
    remove = block(page).get_by_role("button", name="Remove photo.png")
    remove.focus()
    page.keyboard.press("Enter")
    expect(block(page).locator(".pr-draft-files li")).to_have_count(0)
    expect(picker).to_be_focused()
    expect(block(page).locator(".bizmooc-live")).to_have_text("Removed: photo.png.")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert_accessible(page, "a file removed (phone)", selector=ROOT)
