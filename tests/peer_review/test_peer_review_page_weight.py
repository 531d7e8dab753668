"""What a learner's page loads of peer review up front stays within DESIGN.md's budget (at most
20 KB of the component's own JS+CSS, the shared helper apart); what few learners need comes from
peer_review_extras.js on first use (named in the init args), the dashboard only for staff."""
import json

from tests.conftest import LEARNER_A, STAFF
from tests.page_weight import BUDGET, ROOT, own_files, prefix, weight
from tests.peer_review.peer_helpers import PEER, peer_xml

PREFIX = prefix(PEER)



def test_a_learners_page_loads_at_most_20_kb_of_peer_review_up_front(wb):
    usage_id = wb.load(peer_xml(self_enabled=True, training_enabled=True,
                                training_examples=[{"text": "An example", "scores": {"ideas": "good"}}]))
    learner = own_files(wb.block(usage_id, LEARNER_A).student_view({}), PEER)
    assert sorted(learner) == ["peer_review/static/css/peer_review.css", "peer_review/static/js/peer_review.js"]
    assert weight(learner) <= BUDGET
    staff = own_files(wb.block(usage_id, STAFF).student_view({}), PEER)
    assert sorted(set(staff) - set(learner)) == ["peer_review/static/js/peer_review_staff.js"]


def test_the_extras_file_is_named_in_the_init_args_and_served_by_the_block(wb):
    usage_id = wb.load(peer_xml())
    args = json.loads(wb.block(usage_id).student_view({}).json_init_args["bizmooc"])
    assert args["extras_url"] == PREFIX + "peer_review/static/js/peer_review_extras.js"
    with type(wb.block(usage_id)).open_local_resource(args["extras_url"][len(PREFIX):]) as served:
        assert served.read() == ROOT.joinpath("peer_review/static/js/peer_review_extras.js").read_bytes()
