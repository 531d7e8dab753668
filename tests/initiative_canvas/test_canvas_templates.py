"""Canvas templates: the three built-ins as published (layout, sections, licence), and every
way a course team's template can be wrong, refused by `parse_template` with a 400 that names
the section, the id or the limit at fault."""
import copy
import importlib.resources
import json
import re

import pytest

from tests.conftest import LEARNER_A, STUDIO_STAFF
from xblocks.common.errors import ApiError
from xblocks.initiative_canvas import canvas_templates
from xblocks.initiative_canvas.canvas_templates import built_in, parse_template, parse_template_text

BMC = built_in("business_model_canvas")
LEAN = built_in("lean_canvas")
VPC = built_in("value_proposition_canvas")

# The Business Model Canvas in its classic layout: partners left, customers right,
# value propositions in the middle, costs and revenue along the bottom.
BMC_LAYOUT = {
    "key_partners": (1, 1, 2, 2),
    "key_activities": (3, 1, 2, 1),
    "key_resources": (3, 2, 2, 1),
    "value_propositions": (5, 1, 2, 2),
    "customer_relationships": (7, 1, 2, 1),
    "channels": (7, 2, 2, 1),
    "customer_segments": (9, 1, 2, 2),
    "cost_structure": (1, 3, 5, 1),
    "revenue_streams": (6, 3, 5, 1),
}


def numbers(message):
    return sorted(int(n) for n in re.findall(r"\d+", message))


def refused(data):
    with pytest.raises(ApiError) as caught:
        parse_template(data)
    error = caught.value
    assert (error.status, error.field) == (400, "template")
    return error.code, error.translated()


def cells(template):
    found = []
    for section in template.sections:
        column, row, width, height = section.grid
        found += [(c, r) for c in range(column, column + width) for r in range(row, row + height)]
    return found


# Built-in templates ----------------------------------------------------------------------

def test_business_model_canvas_has_nine_building_blocks_in_the_classic_layout():
    assert (BMC.id, BMC.title, BMC.columns, BMC.rows) == ("business_model_canvas", "Business Model Canvas", 10, 3)
    assert {section.id: section.grid for section in BMC.sections} == BMC_LAYOUT
    assert BMC.section_ids == tuple(BMC_LAYOUT)  # reading order: top row left to right, then the bottom


def test_lean_canvas_has_nine_sections_on_the_same_grid():
    assert (LEAN.columns, LEAN.rows, len(LEAN.sections)) == (10, 3, 9)
    assert {"problem", "solution", "key_metrics", "unique_value_proposition", "unfair_advantage", "channels",
            "customer_segments", "cost_structure", "revenue_streams"} == set(LEAN.section_ids)
    assert LEAN.section("problem").grid == (1, 1, 2, 2)
    assert LEAN.section("unique_value_proposition").grid == (5, 1, 2, 2)


def test_value_proposition_canvas_has_six_sections():
    assert (VPC.columns, VPC.rows) == (4, 2)
    assert set(VPC.section_ids) == {"gain_creators", "pain_relievers", "products_services", "gains", "pains",
                                    "customer_jobs"}


@pytest.mark.parametrize("template", [BMC, LEAN, VPC], ids=lambda t: t.id)
def test_built_ins_fill_their_grid_exactly_once(template):
    taken = cells(template)
    assert len(taken) == len(set(taken)) == template.columns * template.rows


@pytest.mark.parametrize("template", [BMC, LEAN, VPC], ids=lambda t: t.id)
def test_built_ins_carry_their_cc_by_sa_attribution_and_guiding_questions(template):
    assert "CC BY-SA" in template.attribution
    assert template.licence_url == "https://creativecommons.org/licenses/by-sa/3.0/"
    for section in template.sections:
        assert section.title and 1 <= len(section.questions) <= canvas_templates.MAX_QUESTIONS, section.id
        assert all(question.endswith("?") for question in section.questions), section.id


@pytest.mark.parametrize("template", [BMC, LEAN, VPC], ids=lambda t: t.id)
def test_as_json_parses_back_to_the_same_template(template):
    assert parse_template(template.as_json()) == template
    assert parse_template(json.loads(json.dumps(template.as_json()))).as_json() == template.as_json()


def test_each_built_in_credits_its_authors():
    assert "Strategyzer" in BMC.attribution and "Strategyzer" in VPC.attribution
    assert "Ash Maurya" in LEAN.attribution


def test_an_unknown_built_in_is_a_key_error():
    with pytest.raises(KeyError):
        built_in("swot")


def test_localized_translates_titles_and_questions_but_not_the_licence_notice():
    shout = str.upper
    loud = canvas_templates.localized(BMC, shout)
    assert loud.title == "BUSINESS MODEL CANVAS"
    assert loud.section("channels").title == "CHANNELS"
    assert loud.section("channels").questions == tuple(q.upper() for q in BMC.section("channels").questions)
    assert loud.attribution == BMC.attribution
    assert [s.grid for s in loud.sections] == [s.grid for s in BMC.sections]
    custom = parse_template(valid())
    assert canvas_templates.localized(custom, shout) is custom  # the course team's words stay theirs


def test_translatable_texts_are_titles_and_questions_once_each():
    data = json.loads((importlib.resources.files("xblocks.initiative_canvas")
                       / "data/business_model_canvas.json").read_text("utf-8"))
    texts = canvas_templates.translatable_texts(data)
    assert texts[0] == "Business Model Canvas"
    assert len(texts) == len(set(texts)) == 1 + 9 + sum(len(s.questions) for s in BMC.sections)
    assert BMC.attribution not in texts


# Custom templates: what is accepted --------------------------------------------------------

def valid():
    return {
        "id": "opportunity",
        "title": "  Intrapreneurial opportunity ",
        "columns": 3,
        "rows": 2,
        "sections": [
            {"id": "problem", "title": "Problem", "grid": [1, 1, 2, 1], "questions": ["Whose problem?"]},
            {"id": "sponsor", "title": "Sponsor", "grid": [3, 1, 1, 2]},
            {"id": "next-step_2", "title": "Next step", "grid": [1, 2, 2, 1], "questions": []},
        ],
    }


def test_a_custom_template_is_parsed_and_normalised():
    template = parse_template(valid())
    assert template.title == "Intrapreneurial opportunity"
    assert template.section_ids == ("problem", "sponsor", "next-step_2")
    assert template.section("sponsor").questions == ()
    assert (template.attribution, template.licence_url) == ("", "")
    assert template.section("nothing") is None


def test_a_template_without_an_id_is_called_custom():
    data = valid()
    del data["id"]
    assert parse_template(data).id == "custom"


def test_the_largest_allowed_template_is_accepted():
    data = {"title": "t" * canvas_templates.MAX_TITLE, "columns": 12, "rows": 12, "sections": [
        {"id": f"s{i}", "title": "t" * canvas_templates.MAX_TITLE, "grid": [i + 1, 1, 1, 12],
         "questions": ["q" * canvas_templates.MAX_TEXT] * canvas_templates.MAX_QUESTIONS}
        for i in range(12)]}
    template = parse_template(data)
    assert len(template.sections) == 12 and len(cells(template)) == 144


# Custom templates: what is refused ----------------------------------------------------------

def changed(path, value):
    """valid() with one value replaced; `path` is a tuple of keys/indexes."""
    data = copy.deepcopy(valid())
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


DELETE = object()


@pytest.mark.parametrize("data, ids, nums", [
    pytest.param([], [], [], id="not an object"),
    pytest.param(changed(("id",), "Bad Id"), [], [1, 40], id="template id with capitals and a space"),
    pytest.param(changed(("id",), "x" * 41), [], [1, 40], id="template id too long"),
    pytest.param(changed(("sections", 1, "id"), "Sponsor"), [], [1, 2, 40], id="section id with a capital"),
    pytest.param(changed(("sections", 1, "id"), "_lead"), [], [1, 2, 40], id="section id starting with _"),
    pytest.param(changed(("sections", 1, "id"), ""), [], [1, 2, 40], id="empty section id"),
    pytest.param(changed(("sections", 1, "id"), 7), [], [1, 2, 40], id="section id not text"),
    pytest.param(changed(("sections", 2, "id"), "problem"), ["'problem'"], [], id="duplicate section id"),
    pytest.param(changed(("sections", 1), "sponsor"), [], [2], id="section not an object"),
    pytest.param(changed(("columns",), 0), [], [1, 12], id="no columns"),
    pytest.param(changed(("rows",), 13), [], [1, 12], id="too many rows"),
    pytest.param(changed(("rows",), "2"), [], [1, 12], id="rows as text"),
    pytest.param(changed(("rows",), True), [], [1, 12], id="rows as a boolean"),
    pytest.param(changed(("sections", 1, "grid"), [4, 1, 1, 1]), [], [1, 2, 3], id="column outside the grid"),
    pytest.param(changed(("sections", 1, "grid"), [3, 3, 1, 1]), [], [1, 2, 2], id="row outside the grid"),
    pytest.param(changed(("sections", 0, "grid"), [2, 1, 3, 1]), [], [1, 1, 2], id="wider than the grid"),
    pytest.param(changed(("sections", 1, "grid"), [3, 2, 1, 2]), [], [1, 1, 2], id="taller than the grid"),
    pytest.param(changed(("sections", 1, "grid"), [3, 1, 0, 1]), [], [1, 1, 2], id="zero width"),
    pytest.param(changed(("sections", 1, "grid"), [3, 1, 1]), [], [2], id="grid of three numbers"),
    pytest.param(changed(("sections", 1, "grid"), DELETE), [], [2], id="no grid"),
    pytest.param(changed(("sections", 1, "grid"), [3.0, 1, 1, 1]), [], [1, 2, 3], id="column as a float"),
    pytest.param(changed(("sections", 2, "grid"), [2, 2, 2, 1]), ["'sponsor'", "'next-step_2'"], [2],
                 id="overlapping sections"),
    pytest.param(changed(("sections",), []), [], [1, 16], id="no sections"),
    pytest.param(changed(("sections",), "problem"), [], [1, 16], id="sections not a list"),
    pytest.param(changed(("title",), "   "), [], [], id="blank title"),
    pytest.param(changed(("title",), "t" * 121), [], [120], id="title too long"),
    pytest.param(changed(("sections", 0, "title"), "t" * 121), [], [1, 120], id="section title too long"),
    pytest.param(changed(("sections", 0, "title"), DELETE), [], [1], id="section without a title"),
    pytest.param(changed(("sections", 0, "questions"), ["q" * 501]), [], [1, 500], id="question too long"),
    pytest.param(changed(("sections", 0, "questions"), ["q?"] * 6), [], [1, 5], id="too many questions"),
    pytest.param(changed(("sections", 0, "questions"), "Whose problem?"), [], [1, 5], id="questions not a list"),
    pytest.param(changed(("sections", 0, "questions"), [3]), [], [1], id="question not text"),
    pytest.param(changed(("attribution",), "a" * 501), [], [500], id="attribution too long"),
    pytest.param(changed(("licence_url",), ["https://x"]), [], [], id="licence address not text"),
    pytest.param(changed(("title",), "Broken \ud800 text"), [], [], id="title with a lone surrogate"),
])
def test_invalid_templates_are_refused_naming_what_is_wrong(data, ids, nums):
    code, message = refused(data)
    assert code == "invalid_template"
    for expected in ids:
        assert expected in message, message
    assert numbers(message) == nums, message


def test_too_many_sections_are_refused():
    data = {"title": "Crowded", "columns": 12, "rows": 12,
            "sections": [{"id": f"s{i}", "title": f"Section {i}", "grid": [i % 12 + 1, i // 12 + 1, 1, 1]}
                         for i in range(canvas_templates.MAX_SECTIONS + 1)]}
    code, message = refused(data)
    assert (code, numbers(message)) == ("invalid_template", [1, 16])
    data["sections"].pop()
    assert len(parse_template(data).sections) == 16


def test_overlap_names_the_first_section_placed_on_the_shared_cell():
    data = valid()
    data["sections"].append({"id": "budget", "title": "Budget", "grid": [2, 1, 1, 1]})
    _, message = refused(data)
    assert "'problem'" in message and "'budget'" in message and "sponsor" not in message


# Uploaded JSON text -------------------------------------------------------------------------

def test_uploaded_text_is_parsed_and_checked():
    assert parse_template_text(json.dumps(valid())) == parse_template(valid())


def test_malformed_json_names_the_line():
    with pytest.raises(ApiError) as caught:
        parse_template_text('{\n"title": "x",\n"columns": 3,,\n}')
    assert (caught.value.status, caught.value.code, caught.value.field) == (400, "invalid_json", "template")
    assert numbers(caught.value.translated()) == [3]


def test_json_nested_too_deep_is_malformed_not_a_crash():
    with pytest.raises(ApiError) as caught:
        parse_template_text("[" * 30_000 + "]" * 30_000)
    assert (caught.value.status, caught.value.code) == (400, "invalid_json")


def test_valid_json_that_is_not_a_template_is_refused():
    with pytest.raises(ApiError) as caught:
        parse_template_text('["a", "list"]')
    assert caught.value.code == "invalid_template"


def test_a_file_over_the_operator_limit_is_refused_before_parsing(settings):
    text = json.dumps(valid())
    settings.XBLOCK_SETTINGS = {"bizmooc": {**settings.XBLOCK_SETTINGS["bizmooc"],
                                            "CANVAS_TEMPLATE_MAX_BYTES": len(text) - 1}}
    with pytest.raises(ApiError) as caught:
        parse_template_text(text)
    assert (caught.value.code, numbers(caught.value.translated())) == ("invalid_template", [len(text) - 1])


def test_the_size_limit_counts_bytes_not_characters(settings):
    settings.XBLOCK_SETTINGS = {"bizmooc": {**settings.XBLOCK_SETTINGS["bizmooc"], "CANVAS_TEMPLATE_MAX_BYTES": 50}}
    rockets = '"' + "\U0001F680" * 20 + '"'  # 22 characters, 82 bytes
    with pytest.raises(ApiError) as caught:
        parse_template_text(rockets)
    assert numbers(caught.value.translated()) == [50]
    with pytest.raises(ApiError) as caught:
        parse_template_text('"' + "x" * 20 + '"')  # as many characters, under the limit: parsed, not a template
    assert (caught.value.code, numbers(caught.value.translated())) == ("invalid_template", [])


# The import_template handler (Studio) -------------------------------------------------------

def test_authors_import_a_template_file_and_get_it_normalised(wb):
    usage_id = wb.load("<bizmooc_canvas/>")
    result = wb.call(usage_id, "import_template", {"text": json.dumps(valid())}, user=STUDIO_STAFF)
    assert result.status == 200
    assert result.json == {"template": parse_template(valid()).as_json()}
    assert result.json["template"]["title"] == "Intrapreneurial opportunity"
    block = wb.block(usage_id)
    assert (block.template_choice, block.custom_template) == ("business_model_canvas", {})  # only checked


@pytest.mark.parametrize("text, code", [
    ('{"title": "x",', "invalid_json"),
    ("[" * 30_000, "invalid_json"),
    (json.dumps(changed(("sections", 2, "grid"), [2, 2, 2, 1])), "invalid_template"),
    (json.dumps(changed(("sections", 2, "id"), "problem")), "invalid_template"),
])
def test_import_template_refuses_bad_files(wb, text, code):
    usage_id = wb.load("<bizmooc_canvas/>")
    result = wb.call(usage_id, "import_template", {"text": text}, user=STUDIO_STAFF)
    assert (result.status, result.error_code) == (400, code)
    assert wb.block(usage_id).custom_template == {}


def test_import_template_refuses_an_oversized_file(wb, settings):
    settings.XBLOCK_SETTINGS = {"bizmooc": {**settings.XBLOCK_SETTINGS["bizmooc"], "CANVAS_TEMPLATE_MAX_BYTES": 50}}
    usage_id = wb.load("<bizmooc_canvas/>")
    result = wb.call(usage_id, "import_template", {"text": json.dumps(valid())}, user=STUDIO_STAFF)
    assert (result.status, result.error_code) == (400, "invalid_template")
    assert numbers(result.json["error"]["message"]) == [50]


def test_learners_cannot_call_import_template(wb):
    usage_id = wb.load("<bizmooc_canvas/>")
    result = wb.call(usage_id, "import_template", {"text": json.dumps(valid())}, user=LEARNER_A)
    assert (result.status, result.error_code) == (403, "forbidden")
    assert "template" not in result.json
