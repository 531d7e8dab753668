"""What a learner's page loads of the self-assessment stays within DESIGN.md's budget (at most
20 KB of the component's own JS+CSS, the shared helper apart), the draft autosave and the
phone stepper included; the Studio editor's code is only on the Studio view."""
import importlib.resources

from tests.conftest import LEARNER_A, STAFF
from tests.learning_to_learn.test_self_assessment_block import SA, sa_xml

BUDGET = 20 * 1024
ROOT = importlib.resources.files("xblocks")   # resource URIs are relative to the collected root
PREFIX = f"/resource/{SA}/"


def own_files(fragment):
    """The block's own files a fragment links to (not the shared helper, not the runtime's)."""
    return [r.data[len(PREFIX):] for r in fragment.resources
            if r.kind == "url" and r.data.startswith(PREFIX) and not r.data.startswith(PREFIX + "common/")]


def test_a_learners_page_loads_at_most_20_kb_of_the_self_assessment(wb):
    usage_id = wb.load(sa_xml())
    for user in (LEARNER_A, STAFF):
        files = own_files(wb.block(usage_id, user).student_view({}))
        assert sorted(files) == ["learning_to_learn/static/css/self_assessment.css",
                                 "learning_to_learn/static/js/self_assessment.js"]
        assert sum(len(ROOT.joinpath(name).read_bytes()) for name in files) <= BUDGET
