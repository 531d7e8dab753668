"""What a learner's page loads of the self-assessment stays within DESIGN.md's budget (at most
20 KB of the component's own JS+CSS, the shared helper apart), the draft autosave and the
phone stepper included; the Studio editor's code is only on the Studio view."""

from tests.conftest import LEARNER_A, STAFF
from tests.learning_to_learn.test_self_assessment_block import SA, sa_xml
from tests.page_weight import BUDGET, own_files, weight


def test_a_learners_page_loads_at_most_20_kb_of_the_self_assessment(wb):
    usage_id = wb.load(sa_xml())
    for user in (LEARNER_A, STAFF):
        files = own_files(wb.block(usage_id, user).student_view({}), SA)
        assert sorted(files) == ["learning_to_learn/static/css/self_assessment.css",
                                 "learning_to_learn/static/js/self_assessment.js"]
        assert weight(files) <= BUDGET
