"""The blank rating form (a learner who has not answered yet) is rendered once per block,
language and settings, and kept: every learner gets the same HTML, and any change of what
the form shows (framework, evidence, language) gives a fresh one."""
import pytest
from django.utils import translation

from tests.conftest import LEARNER_A, LEARNER_B, STUDIO_STAFF
from tests.learning_to_learn.test_self_assessment_block import sa_xml, studio_body
from xblocks.learning_to_learn import assessment_views


@pytest.fixture
def form_renders(monkeypatch):
    """How many times the form template was rendered."""
    renders = []
    original = assessment_views.form_html

    def counting(block, current):
        renders.append(current)
        return original(block, current)

    monkeypatch.setattr(assessment_views, "form_html", counting)
    monkeypatch.setattr(assessment_views, "_blank_forms", {})
    return renders


def form_of(wb, usage_id, user):
    html = wb.render(usage_id, user)
    return html[html.index("<form class=\"sa-form\""):html.index("</form>")]


def test_every_learner_gets_the_same_form_rendered_once(wb, form_renders):
    usage_id = wb.load(sa_xml())
    first = form_of(wb, usage_id, LEARNER_A)
    assert form_of(wb, usage_id, LEARNER_B) == first
    assert form_of(wb, usage_id, "learner_c") == first
    assert len(form_renders) == 1
    assert first.count('type="radio"') == 15 * 9  # EntreComp: 15 competences, 8 levels + "can't judge"


def test_another_language_framework_or_evidence_setting_gives_a_fresh_form(wb, form_renders):
    usage_id = wb.load(sa_xml(ask_evidence=False))
    english = form_of(wb, usage_id, LEARNER_A)
    with translation.override("de"):
        german = form_of(wb, usage_id, LEARNER_A)
    assert german != english and "Chancen erkennen" in german

    assert wb.call(usage_id, "studio_submit", studio_body(framework_choice="lifecomp", ask_evidence=True),
                   user=STUDIO_STAFF).status == 200
    lifecomp = form_of(wb, usage_id, LEARNER_B)
    assert "Spotting opportunities" not in lifecomp and "Self-regulation" in lifecomp
    assert "sa-evidence" in lifecomp and "sa-evidence" not in english
    assert len(form_renders) == 3


def test_two_blocks_never_share_a_form(wb, form_renders):
    one, two = wb.load(sa_xml()), wb.load(sa_xml())
    assert form_of(wb, one, LEARNER_A) != form_of(wb, two, LEARNER_A)  # element ids are per block
    assert len(form_renders) == 2
