"""What a learner's page loads of the canvas up front stays within DESIGN.md's budget (at most
20 KB of the component's own JS+CSS, the shared helper apart); the tools few learners use come
from a second file that the student view names in its init args and the block serves."""
import json

from tests.conftest import LEARNER_A, STAFF
from tests.initiative_canvas.test_canvas_block import CANVAS, canvas_xml
from tests.page_weight import BUDGET, ROOT, own_files, prefix, weight

PREFIX = prefix(CANVAS)



def test_a_learners_page_loads_at_most_20_kb_of_the_canvas_up_front(wb):
    usage_id = wb.load(canvas_xml(example_notes=[
        {"id": "e1", "section": "channels", "text": "Example", "colour": "yellow"}]))
    for user in (LEARNER_A, STAFF):
        files = own_files(wb.block(usage_id, user).student_view({}), CANVAS)
        assert sorted(files) == ["initiative_canvas/static/css/canvas.css", "initiative_canvas/static/js/canvas.js"]
        assert weight(files) <= BUDGET


def test_the_tools_file_is_named_in_the_init_args_and_served_by_the_block(wb):
    usage_id = wb.load(canvas_xml())
    args = json.loads(wb.block(usage_id).student_view({}).json_init_args["bizmooc"])
    assert args["tools_url"] == PREFIX + "initiative_canvas/static/js/canvas_tools.js"
    block_class = type(wb.block(usage_id))
    with block_class.open_local_resource(args["tools_url"][len(PREFIX):]) as served:
        assert served.read() == ROOT.joinpath("initiative_canvas/static/js/canvas_tools.js").read_bytes()
