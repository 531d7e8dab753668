"""Competence frameworks: the built-in EntreComp and LifeComp data, and the one gate
(`parse_framework`) every custom framework passes on its way in from Studio, a JSON
import or OLX. A refused framework is a 400 whose message tells the course team what
to fix."""
import copy
import json

import pytest

from xblocks.common.errors import ApiError
from xblocks.learning_to_learn import frameworks
from xblocks.learning_to_learn.frameworks import parse_framework, parse_framework_text


def custom(**changes):
    """A small valid framework as a course team would write it; `changes` replace top-level keys."""
    data = {
        "id": "teamwork",
        "title": "Teamwork",
        "source": "Written by the course team",
        "licence": "CC BY 4.0",
        "scale": {
            "levels": [
                {"value": 1, "label": "Novice", "band": "Beginning", "descriptor": "I need help."},
                {"value": 2, "label": "Practitioner", "band": "Developing", "descriptor": "I manage alone."},
                {"value": 3, "label": "Expert", "band": "Proficient", "descriptor": "I teach others."},
            ],
            "allow_not_sure": True,
        },
        "areas": [
            {"id": "people", "title": "People", "competences": [
                {"id": "listening", "title": "Listening", "descriptor": "Hearing others out."},
                {"id": "feedback", "title": "Giving feedback"},
            ]},
            {"id": "work", "title": "Work", "competences": [
                {"id": "planning", "title": "Planning"},
            ]},
        ],
    }
    data.update(changes)
    return data


def refused(data, *mentions):
    """The refusal's message; it must name each of `mentions` (the place at fault, a limit).

    Messages are checked for what they tell the course team, not for their exact wording.
    """
    with pytest.raises(ApiError) as caught:
        parse_framework(data)
    error = caught.value
    assert (error.status, error.code) == (400, "invalid_framework")
    body = error.as_json()["error"]
    assert body["field"] == "framework"
    message = body["message"]
    assert "{" not in message, f"unfilled placeholder: {message}"
    for mention in mentions:
        assert mention.lower() in message.lower(), f"{message!r} does not mention {mention!r}"
    return message


def with_levels(*values):
    return {"levels": [{"value": v, "label": f"Level {v}"} for v in values]}


# The built-in frameworks ------------------------------------------------------------------

def test_entrecomp_has_its_three_areas_fifteen_competences_and_eight_levels():
    entrecomp = frameworks.built_in("entrecomp")
    assert entrecomp.id == "entrecomp"
    assert [area.title for area in entrecomp.areas] == ["Ideas and opportunities", "Resources", "Into action"]
    assert [len(area.competences) for area in entrecomp.areas] == [5, 5, 5]
    assert len(set(entrecomp.competence_ids)) == 15
    assert "spotting_opportunities" in entrecomp.competence_ids
    assert "learning_through_experience" in entrecomp.competence_ids
    assert entrecomp.level_values == (1, 2, 3, 4, 5, 6, 7, 8)
    assert [level.label for level in entrecomp.levels] == [
        "Discover", "Explore", "Experiment", "Dare", "Improve", "Reinforce", "Expand", "Transform"]
    assert [level.band for level in entrecomp.levels] == ["Foundation"] * 2 + ["Intermediate"] * 2 + \
        ["Advanced"] * 2 + ["Expert"] * 2
    # Every level and competence has a short descriptor learners read next to the radio button.
    assert all(level.descriptor for level in entrecomp.levels)
    assert all(competence.descriptor for competence in entrecomp.competences)


def test_lifecomp_has_its_three_areas_and_nine_competences():
    lifecomp = frameworks.built_in("lifecomp")
    assert [area.title for area in lifecomp.areas] == ["Personal", "Social", "Learning to learn"]
    assert [[c.id for c in area.competences] for area in lifecomp.areas] == [
        ["self_regulation", "flexibility", "wellbeing"],
        ["empathy", "communication", "collaboration"],
        ["growth_mindset", "critical_thinking", "managing_learning"],
    ]
    assert lifecomp.min_level == 1 and lifecomp.max_level == 5
    assert lifecomp.allow_not_sure is True


@pytest.mark.parametrize("framework_id, publication", [
    ("entrecomp", "EntreComp: The Entrepreneurship Competence Framework"),
    ("lifecomp", "LifeComp: The European Framework for Personal, Social and Learning to Learn Key Competence"),
])
def test_built_in_frameworks_state_their_source_and_licence(framework_id, publication):
    framework = frameworks.built_in(framework_id)
    assert publication in framework.source
    assert "doi:10." in framework.source
    assert "Commission Decision 2011/833/EU" in framework.licence
    assert "European Union" in framework.licence


def test_an_unknown_built_in_framework_is_an_error():
    with pytest.raises(KeyError):
        frameworks.built_in("digcomp")


# A custom framework ------------------------------------------------------------------------

def test_a_custom_framework_is_parsed_with_its_defaults_and_whitespace_trimmed():
    data = custom()
    del data["id"], data["source"], data["licence"]
    del data["scale"]["allow_not_sure"]
    data["title"] = "  Teamwork  "
    data["areas"][0]["competences"][0]["title"] = " Listening\n"
    framework = parse_framework(data)
    assert framework.id == "custom"
    assert framework.title == "Teamwork"
    assert (framework.source, framework.licence, framework.allow_not_sure) == ("", "", False)
    assert framework.competences[0].title == "Listening"
    assert framework.competences[1].descriptor == ""
    assert [c.area_id for c in framework.competences] == ["people", "people", "work"]
    assert framework.level(2).label == "Practitioner" and framework.level(4) is None


@pytest.mark.parametrize("data", [[], "a framework", None, 42])
def test_a_framework_that_is_not_an_object_is_refused(data):
    assert refused(data, "framework", "object")


def test_a_framework_without_a_scale_is_refused():
    data = custom()
    del data["scale"]
    refused(data, "scale")
    refused(custom(scale={"allow_not_sure": True}), "scale", "2", "10")


@pytest.mark.parametrize("values", [(1, 1, 2), (3, 2, 1), (1, 3, 2)])
def test_levels_must_rise(values):
    refused(custom(scale=with_levels(*values)), "level", "rise")


@pytest.mark.parametrize("value", [-1, 101, 2.5, "2", True, None])
def test_a_level_value_is_a_whole_number_from_0_to_100(value):
    scale = with_levels(1, 2)
    scale["levels"][1]["value"] = value
    refused(custom(scale=scale), "level 2", "0", "100")


def test_scale_size_limits():
    refused(custom(scale=with_levels(1)), "scale", "2", "10")
    refused(custom(scale=with_levels(*range(11))), "scale", "2", "10")
    assert parse_framework(custom(scale=with_levels(*range(0, 100, 10)))).level_values == tuple(range(0, 100, 10))


def test_duplicate_ids_are_refused():
    data = custom()
    data["areas"][1]["competences"][0]["id"] = "listening"
    refused(data, "'listening'", "twice")
    data = custom()
    data["areas"][1]["id"] = "people"
    refused(data, "'people'", "twice")
    # A competence may not share its id with an area either (ids name form fields and CSV rows).
    data = custom()
    data["areas"][1]["competences"][0]["id"] = "work"
    refused(data, "'work'", "twice")


@pytest.mark.parametrize("bad_id", ["Listening", "team work", "-listening", "_x", "x" * 41, "liste\u00f1ing", "", 7,
                                    None])
def test_ids_follow_the_pattern(bad_id):
    data = custom()
    data["areas"][0]["competences"][0]["id"] = bad_id
    refused(data, "competence 1", "area 1", "1-40 lowercase letters, digits, '-' or '_'")


def test_the_longest_allowed_id_is_accepted():
    data = custom()
    data["areas"][0]["competences"][0]["id"] = "a" + "-_9" * 13
    assert len(data["areas"][0]["competences"][0]["id"]) == 40
    assert parse_framework(data).competence_ids[0] == data["areas"][0]["competences"][0]["id"]


def _areas(*sizes):
    return [{"id": f"area{a}", "title": f"Area {a}", "competences": [
        {"id": f"c{a}-{n}", "title": f"Competence {a}.{n}"} for n in range(size)]} for a, size in enumerate(sizes)]


def test_at_most_forty_competences_in_all_areas_together():
    assert len(parse_framework(custom(areas=_areas(20, 20))).competences) == 40
    refused(custom(areas=_areas(20, 21)), "competences", "40")
    refused(custom(areas=_areas(41)), "competences", "40")
    refused(custom(areas=_areas(*[1] * 11)), "areas", "1", "10")
    refused(custom(areas=[]), "areas", "1", "10")


@pytest.mark.parametrize("where, field, mentions", [
    (lambda d: d, "title", ["framework title"]),
    (lambda d: d["areas"][0], "title", ["title", "area 1"]),
    (lambda d: d["areas"][0]["competences"][1], "title", ["title", "competence 2", "area 1"]),
    (lambda d: d["areas"][0]["competences"][1], "descriptor", ["descriptor", "competence 2", "area 1"]),
    (lambda d: d["scale"]["levels"][2], "label", ["label", "level 3"]),
    (lambda d: d["scale"]["levels"][0], "descriptor", ["descriptor", "level 1"]),
    (lambda d: d, "source", ["source"]),
], ids=["framework title", "area title", "competence title", "competence descriptor", "level label",
        "level descriptor", "source"])
def test_over_long_text_is_refused_and_the_longest_allowed_is_kept(where, field, mentions):
    longest = {"title": 200, "label": 200}.get(field, 1000)
    data = custom()
    where(data)[field] = "x" * longest
    parse_framework(data)
    where(data)[field] = "x" * (longest + 1)
    refused(data, *mentions, str(longest))


def test_titles_and_labels_are_required():
    data = custom()
    data["areas"][1]["competences"][0]["title"] = "   "
    refused(data, "competence 1", "area 2")
    data = custom()
    del data["scale"]["levels"][1]["label"]
    refused(data, "label", "level 2")
    data = custom()
    del data["title"]
    refused(data, "framework title")


def test_allow_not_sure_must_be_true_or_false():
    data = custom()
    data["scale"]["allow_not_sure"] = "yes"
    refused(data, "allow_not_sure", "true", "false")


# JSON import ---------------------------------------------------------------------------

def test_framework_text_is_parsed_and_validated():
    framework = parse_framework_text(json.dumps(custom()))
    assert framework.competence_ids == ("listening", "feedback", "planning")
    with pytest.raises(ApiError) as caught:
        parse_framework_text(json.dumps(custom(areas=[])))
    assert caught.value.code == "invalid_framework"


@pytest.mark.parametrize("text, line", [
    ('{"title": "Teamwork",\n "scale": }', 2),
    ("{'title': 'single quotes'}", 1),
    ("", 1),
    ('{"title": "x"}\n\n\ntrailing', 4),
])
def test_malformed_json_is_refused_with_its_line(text, line):
    with pytest.raises(ApiError) as caught:
        parse_framework_text(text)
    assert caught.value.status == 400
    assert caught.value.as_json()["error"] == {
        "code": "invalid_json", "field": "framework",
        "message": f"The framework is not valid JSON (line {line})."}


def test_framework_text_larger_than_the_operator_limit_is_refused(settings):
    text = json.dumps(custom(title="Teamwork \u00e9t\u00e9"), ensure_ascii=False)  # 2 two-byte characters
    size = len(text.encode("utf-8"))
    assert size == len(text) + 2
    settings.XBLOCK_SETTINGS = {"bizmooc": {"FRAMEWORK_MAX_BYTES": size}}
    assert parse_framework_text(text).title == "Teamwork \u00e9t\u00e9"
    settings.XBLOCK_SETTINGS = {"bizmooc": {"FRAMEWORK_MAX_BYTES": size - 1}}  # counts bytes, not characters
    with pytest.raises(ApiError) as caught:
        parse_framework_text(text)
    assert caught.value.as_json()["error"] == {
        "code": "too_large", "field": "framework",
        "message": f"The framework file is larger than {size - 1} bytes."}


def test_the_default_size_limit_is_100_kb():
    """The size is checked before parsing: a file padded to 100 KB passes, one byte more does not."""
    text = json.dumps(custom(), indent=2)
    at_limit = text + "\n" * (100 * 1024 - len(text))
    assert parse_framework_text(at_limit).title == "Teamwork"
    with pytest.raises(ApiError) as caught:
        parse_framework_text(at_limit + " ")
    assert caught.value.as_json()["error"]["message"] == "The framework file is larger than 102400 bytes."


# Export ----------------------------------------------------------------------------------

@pytest.mark.parametrize("framework", [
    frameworks.built_in("entrecomp"), frameworks.built_in("lifecomp"), parse_framework(custom()),
], ids=["entrecomp", "lifecomp", "custom"])
def test_as_json_round_trips(framework):
    exported = framework.as_json()
    assert parse_framework(json.loads(json.dumps(exported))) == framework
    assert parse_framework_text(json.dumps(exported)).as_json() == exported


def test_as_json_is_what_was_imported_once_normalised():
    data = custom()
    assert parse_framework(copy.deepcopy(data)).as_json() == data | {"areas": [
        {"id": "people", "title": "People", "competences": [
            {"id": "listening", "title": "Listening", "descriptor": "Hearing others out."},
            {"id": "feedback", "title": "Giving feedback", "descriptor": ""},
        ]},
        {"id": "work", "title": "Work", "competences": [{"id": "planning", "title": "Planning", "descriptor": ""}]},
    ]}


def test_built_in_data_files_are_exactly_their_parsed_form():
    """The shipped JSON needs no normalising: what Studio exports is the file itself."""
    import importlib.resources  # pylint: disable=import-outside-toplevel

    for framework_id in frameworks.BUILT_IN:
        text = importlib.resources.files("xblocks.learning_to_learn").joinpath(
            f"data/{framework_id}.json").read_text("utf-8")
        assert frameworks.built_in(framework_id).as_json() == json.loads(text)
