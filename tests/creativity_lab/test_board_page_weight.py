"""What a learner's page loads of the idea board up front stays within DESIGN.md's budget (at
most 20 KB of the component's own JS+CSS, the shared helper apart): comments, flags,
withdrawal and the choice of notifications come from a second file that the student view
names in its init args and the block serves; the staff's tools only on staff pages."""
import json

from tests.conftest import LEARNER_A, STAFF
from tests.creativity_lab.board_helpers import BOARD, board_xml
from tests.page_weight import BUDGET, ROOT, own_files, prefix, weight

PREFIX = prefix(BOARD)
LEARNER_FILES = ["creativity_lab/static/css/idea_board.css", "creativity_lab/static/js/idea_board.js"]




def test_a_learners_page_loads_at_most_20_kb_of_the_board_up_front(wb):
    usage_id = wb.load(board_xml(technique="brainwriting", categories=[{"id": "a", "name": "A"}]))
    files = own_files(wb.block(usage_id, LEARNER_A).student_view({}), BOARD)
    assert sorted(files) == LEARNER_FILES
    assert weight(files) <= BUDGET
    staff = own_files(wb.block(usage_id, STAFF).student_view({}), BOARD)
    assert sorted(staff) == sorted(LEARNER_FILES + ["creativity_lab/static/js/idea_board_staff.js"])


def test_the_on_demand_file_is_named_in_the_init_args_and_served_by_the_block(wb):
    usage_id = wb.load(board_xml())
    args = json.loads(wb.block(usage_id).student_view({}).json_init_args["bizmooc"])
    assert args["more_url"] == PREFIX + "creativity_lab/static/js/idea_board_more.js"
    block_class = type(wb.block(usage_id))
    with block_class.open_local_resource(args["more_url"][len(PREFIX):]) as served:
        assert served.read() == ROOT.joinpath("creativity_lab/static/js/idea_board_more.js").read_bytes()
