"""Every scenario on the workbench's index page, in every view, loads without a console
error and passes axe-core (default rules + WCAG 2.1 AA) inside the block."""
import json

import pytest

from .conftest import BLOCK_ROOT, axe_violations, open_block

pytestmark = pytest.mark.browser

VIEWS = [
    ("learner", None),            # student_view as a learner
    ("course_staff", None),       # student_view as course staff (adds the staff section)
    ("course_staff", "author_view"),
    ("course_staff", "studio_view"),
]


def listed_scenarios(page, base):
    page.goto(base + "/")
    hrefs = page.eval_on_selector_all("main a[href^='/scenario/']", "links => links.map(a => a.getAttribute('href'))")
    return [href.strip("/").split("/")[1] for href in hrefs]


def test_index_lists_every_journal_scenario(page, workbench):
    scenarios = listed_scenarios(page, workbench)
    assert [s for s in scenarios if s.startswith("bizmooc_reflection_journal.")] == [
        f"bizmooc_reflection_journal.{n}" for n in range(5)
    ]


@pytest.mark.parametrize("student,view", VIEWS, ids=["student_view-learner", "student_view-staff",
                                                     "author_view", "studio_view"])
def test_every_scenario_loads_cleanly_and_passes_axe(page, workbench, student, view):
    scenarios = listed_scenarios(page, workbench)
    assert scenarios, "the index lists no scenario"
    failures = {}
    for scenario in scenarios:
        open_block(page, workbench, scenario, student=f"views_{student}" if student == "learner" else student,
                   view=view)
        assert page.locator(BLOCK_ROOT).count() >= 1
        violations = axe_violations(page)
        if violations:
            failures[scenario] = violations
    assert not failures, "axe-core violations:\n" + json.dumps(failures, indent=2)
