"""A component's settings declared once (common/settings.py): the fields, the checks of a
save and of validate(), and the editor's form all come from the one declaration."""
from datetime import datetime, timezone

import pytest
from xblock.fields import Boolean, DateTime, Float, Integer, Scope, String

from xblocks.common.dates import check_moment, moment_text, parse_moment
from xblocks.common.errors import ApiError, _
from xblocks.common.fields import JSONList
from xblocks.common.fields import Moment as MomentField
from xblocks.common.settings import (
    Flag,
    Group,
    Moment,
    OneOf,
    Schema,
    SettingsRefused,
    Structured,
    Text,
    TextList,
    Whole,
    problem,
    weight,
)


def _parse_pair(value, values):
    if not isinstance(value, list) or len(value) != 2:
        raise ApiError("invalid_pair", _("Give exactly two items."), field="pair")
    return [str(item).strip() for item in value]


def _min_below_max(values):
    if values["low"] > values["high"]:
        yield problem("high", _("The highest must not be below the lowest."))


SCHEMA = Schema({
    "title": Text("A title", _("Title"), max_length=20, min_length=1),
    "items": TextList(["one"], _("Items"), max_items=3, max_length=10, item_label=_("Item {number}"),
                      add_label=_("Add an item"), message=_("At most {count} items."), html=True),
    "low": Whole(0, _("Lowest"), min_value=0, max_value=100),
    "high": Whole(10, _("Highest"), min_value=0, max_value=100, group="limits"),
    "shown": Flag(True, _("Shown")),
    "mode": OneOf("a", _("Mode"), choices=(("a", _("A")), ("b", _("B")))),
    "due": Moment(_("Due"), show_when=("mode", "b")),
    "pair": Structured(["x", "y"], _("Pair"), parse=_parse_pair),
    "weight": weight(),
}, groups=(Group("limits", _("Limits")),), checks=(_min_below_max,))

GOOD = {"title": "Week 1", "items": ["<p>a</p>"], "low": 1, "high": 5, "shown": False, "mode": "b",
        "due": "2027-03-01T14:00", "pair": [" p ", "q"], "weight": 2}


def test_each_setting_becomes_an_xblock_settings_field_with_its_label_and_default():
    fields = SCHEMA.xblock_fields()
    kinds = {name: type(field) for name, field in fields.items()}
    assert kinds == {"title": String, "items": JSONList, "low": Integer, "high": Integer, "shown": Boolean,
                     "mode": String, "due": MomentField, "pair": JSONList, "weight": Float}
    assert all(field.scope == Scope.settings for field in fields.values())
    assert fields["title"].display_name == "Title" and fields["title"].default == "A title"
    assert fields["mode"].values == ("a", "b")
    assert issubclass(MomentField, DateTime)


def test_a_good_save_is_cleaned_into_what_is_stored():
    clean = SCHEMA.cleaned(GOOD)
    assert clean["due"] == datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc)
    assert clean["pair"] == ["p", "q"] and clean["weight"] == 2 and clean["items"] == ["<p>a</p>"]


def test_every_fault_is_reported_at_once_in_the_editors_order():
    values = dict(GOOD, title=" ", items=["x"] * 4, low=50, high=7, due="next week", pair="no", weight=-1)
    with pytest.raises(SettingsRefused) as refused:
        SCHEMA.cleaned(values)
    body = refused.value.as_json()["error"]
    assert [found["field"] for found in body["fields"]] == ["title", "items", "high", "due", "pair", "weight"]
    messages = {found["field"]: found["message"] for found in body["fields"]}
    assert messages["items"] == "At most 3 items."
    assert messages["high"] == "The highest must not be below the lowest."
    assert messages["due"] == "Give a date as YYYY-MM-DD or YYYY-MM-DDTHH:MM."
    assert messages["weight"] == "The weight cannot be negative."
    assert (body["code"], body["field"]) == ("too_short", "title")


def test_a_rule_reading_a_faulty_setting_is_skipped_not_crashed():
    _clean, found = SCHEMA.check(dict(GOOD, low="many", high=1))
    assert [(p.field, p.code) for p in found] == [("low", "invalid_type")]


def test_the_message_replaces_only_the_limit_it_is_about():
    _clean, found = SCHEMA.check(dict(GOOD, items=["x" * 11]))
    assert [(p.field, p.code) for p in found] == [("items", "too_long")]
    assert found[0].message != "At most {count} items."


def test_stored_values_check_as_the_editor_sends_them():
    stored = dict(SCHEMA.cleaned(GOOD))
    block = type("Stored", (), stored)()
    assert SCHEMA.request_values(block)["due"] == "2027-03-01T14:00"
    assert SCHEMA.check(SCHEMA.request_values(block))[1] == []


def test_the_request_shape_names_every_setting_and_the_flags():
    flagged = Schema({"title": Text("", _("Title"), max_length=5)}, request_flags={"confirm": Flag(False, "x").rule()})
    assert set(flagged.request_shape()) == {"title", "confirm"}


@pytest.mark.parametrize("text, expected", [
    ("2027-03-01", datetime(2027, 3, 1, tzinfo=timezone.utc)),
    ("2027-03-01T14:30", datetime(2027, 3, 1, 14, 30, tzinfo=timezone.utc)),
    ("2027-03-01 14:30", datetime(2027, 3, 1, 14, 30, tzinfo=timezone.utc)),
    ("2027-03-01T16:30+02:00", datetime(2027, 3, 1, 14, 30, tzinfo=timezone.utc)),
    ("  ", None),
    ("", None),
])
def test_one_reading_of_a_course_teams_date(text, expected):
    assert parse_moment(text) == expected


def test_a_date_that_is_none_is_refused_naming_the_setting_and_shown_back_in_the_editors_format():
    with pytest.raises(ApiError) as refused:
        check_moment("vote_start", "31/12/2027")
    assert (refused.value.code, refused.value.field) == ("invalid_date", "vote_start")
    assert moment_text(datetime(2027, 3, 1, 16, 30, tzinfo=timezone.utc)) == "2027-03-01T16:30"
    assert moment_text(None) == ""


@pytest.mark.parametrize("stored, expected", [
    ("2027-03-01T14:00", datetime(2027, 3, 1, 14, 0, tzinfo=timezone.utc)),  # text, as 0.2 stored it
    ("", None),
    (None, None),
    ("not a date", None),  # a hand-edited OLX file: read as none (and logged), not a failing page
])
def test_a_moment_field_reads_what_earlier_releases_stored(stored, expected):
    assert MomentField().from_json(stored) == expected


def test_a_moment_in_olx_is_read_as_typed_not_as_yaml():
    assert MomentField().from_string("2027-03-01") == datetime(2027, 3, 1, tzinfo=timezone.utc)
    assert MomentField().from_string("") is None
