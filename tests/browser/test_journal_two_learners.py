"""Two learners in two browser contexts on one block, and course staff reading both."""
import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, open_block, type_into

pytestmark = pytest.mark.browser

OPPORTUNITY_LOG = 4  # scenario used by this test only: its staff figures count exactly these learners

ENTRY_A = ("Invoices from small suppliers wait three weeks for approval because nobody owns the shared "
           "inbox. The suppliers suffer first. A first experiment: one person triages the inbox for a week.")
ENTRY_B = ("New colleagues spend their first days without a laptop. IT and HR both think the other orders it. "
           "Experiment: a one-page checklist that the team lead signs before day one.")


def submit(page, text):
    type_into(page.locator(".journal-text"), text)
    with page.expect_response(re.compile(r"/submit_entry/")) as answer:
        page.locator(".journal-submit").click()
    assert answer.value.ok, answer.value.text()
    expect(page.locator(".bizmooc-live")).to_have_text("Entry submitted.")


def test_two_learners_see_only_their_own_text_and_staff_sees_both(new_context, workbench):
    learner_a = open_block(new_context().new_page(), workbench, OPPORTUNITY_LOG, "learner_a")
    learner_b = open_block(new_context().new_page(), workbench, OPPORTUNITY_LOG, "learner_b")
    # Interleaved, as in a real course: A writes, B writes, both submit.
    type_into(learner_a.locator(".journal-text"), "Draft of A. ")
    type_into(learner_b.locator(".journal-text"), "Draft of B. ")
    expect(learner_a.locator(".journal-save-state")).to_have_text("Draft saved")
    expect(learner_b.locator(".journal-save-state")).to_have_text("Draft saved")
    submit(learner_a, ENTRY_A)
    submit(learner_b, ENTRY_B)

    for page, mine, theirs in ((learner_a, ENTRY_A, ENTRY_B), (learner_b, ENTRY_B, ENTRY_A)):
        page.reload()
        expect(page.locator(".journal-text")).to_have_value(re.compile(re.escape(mine) + "$"))
        page.get_by_role("button", name="Show all my entries").click()
        entries = page.locator(".journal-mine-entry")
        expect(entries).to_have_count(1)
        expect(entries).to_contain_text(mine)
        assert theirs not in page.locator(".bizmooc").inner_text()
        assert page.locator(".journal-staff").count() == 0  # no staff section for learners
        assert page.locator(".journal-show-staff").count() == 0

    staff = open_block(new_context().new_page(), workbench, OPPORTUNITY_LOG, "course_staff")
    button = staff.get_by_role("button", name="Show responses")
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    panel = staff.locator(".journal-staff-panel")
    expect(panel.locator("dd")).to_have_count(4)
    figures = dict(zip(panel.locator("dt").all_inner_texts(), panel.locator("dd").all_inner_texts()))
    assert figures == {"Learners who wrote": "2", "Learners who submitted": "2", "Submitted entries": "2",
                       "Entries with feedback": "0"}
    rows = panel.locator("tbody tr")
    expect(rows).to_have_count(2)
    by_learner = {rows.nth(i).locator("td").nth(0).inner_text(): rows.nth(i).locator("td").nth(2).inner_text()
                  for i in range(2)}
    assert by_learner["learner_a"].endswith(ENTRY_A)
    assert by_learner["learner_b"].endswith(ENTRY_B)
    assert_accessible(staff, "with the staff panel open")

    # The staff CSV export carries both answers.
    with staff.expect_download() as download:
        staff.get_by_role("link", name="Download all entries (CSV)").click()
    csv = open(download.value.path(), encoding="utf-8").read()
    assert "learner_a" in csv and "learner_b" in csv and "nobody owns the shared" in csv
