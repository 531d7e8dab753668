"""What a learner's page loads of the canvas up front stays within DESIGN.md's budget (at most
20 KB of the component's own JS+CSS, the shared helper apart); the tools few learners use come
from a second file that the student view names in its init args and the block serves."""
import importlib.resources
import json

from tests.conftest import LEARNER_A, STAFF
from tests.initiative_canvas.test_canvas_block import CANVAS, canvas_xml

BUDGET = 20 * 1024
PACKAGE = importlib.resources.files("xblocks.initiative_canvas")
PREFIX = f"/resource/{CANVAS}/"


def own_files(fragment):
    """The block's own files a fragment links to (not the shared helper, not the runtime's)."""
    return [r.data[len(PREFIX):] for r in fragment.resources
            if r.kind == "url" and r.data.startswith(PREFIX) and not r.data.startswith(PREFIX + "static/common/")]


def test_a_learners_page_loads_at_most_20_kb_of_the_canvas_up_front(wb):
    usage_id = wb.load(canvas_xml(example_notes=[
        {"id": "e1", "section": "channels", "text": "Example", "colour": "yellow"}]))
    for user in (LEARNER_A, STAFF):
        files = own_files(wb.block(usage_id, user).student_view({}))
        assert sorted(files) == ["static/css/canvas.css", "static/js/canvas.js"]
        assert sum(len(PACKAGE.joinpath(name).read_bytes()) for name in files) <= BUDGET


def test_the_tools_file_is_named_in_the_init_args_and_served_by_the_block(wb, client):
    usage_id = wb.load(canvas_xml())
    args = json.loads(wb.block(usage_id).student_view({}).json_init_args["bizmooc"])
    assert args["tools_url"] == PREFIX + "static/js/canvas_tools.js"
    response = client.get(args["tools_url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content if response.streaming else [response.content]) == \
        PACKAGE.joinpath("static/js/canvas_tools.js").read_bytes()
