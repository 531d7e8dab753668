"""Declared request shapes: every rule accepts what it should and refuses the rest with
the field named, unknown keys are refused, and limits may be read at request time."""
import pytest

from xblocks.common.errors import ApiError
from xblocks.common.shapes import Anything, Bool, Choice, Int, IntText, ListOf, MapOf, Nullable, Number, Str, validate


def refusal(shape, data):
    with pytest.raises(ApiError) as caught:
        validate(shape, data)
    error = caught.value
    assert error.status == 400
    return error


def test_valid_body_comes_back_clean():
    shape = {"text": Str(max_length=10), "count": Int(min_value=0, max_value=5), "flag": Bool(),
             "kind": Choice(("a", "b")), "tags": ListOf(Str(max_length=3), max_items=2)}
    data = {"text": "hello", "count": 5, "flag": False, "kind": "b", "tags": ["x", "yz"]}
    assert validate(shape, data) == data


@pytest.mark.parametrize("body", [[], "text", 3, None])
def test_body_must_be_an_object(body):
    assert refusal({"text": Str(max_length=5)}, body).code == "invalid_body"


def test_unknown_keys_are_refused_not_ignored():
    error = refusal({"text": Str(max_length=5)}, {"text": "hi", "txet": "typo"})
    assert error.code == "unknown_field"
    assert error.field == "txet"
    assert "txet" in error.as_json()["error"]["message"]


def test_missing_required_key_is_named():
    error = refusal({"text": Str(max_length=5), "version": Int()}, {"text": "hi"})
    assert (error.code, error.field) == ("missing_field", "version")
    assert error.as_json()["error"]["message"] == "'version' is required."


def test_optional_key_takes_its_default():
    shape = {"page": IntText(min_value=1, required=False, default=1)}
    assert validate(shape, {}) == {"page": 1}


@pytest.mark.parametrize("value", [5, None, ["a"], {"a": 1}, True])
def test_str_refuses_non_text(value):
    assert refusal({"text": Str(max_length=10)}, {"text": value}).code == "invalid_type"


def test_str_length_limits():
    shape = {"text": Str(max_length=5, min_length=1)}
    assert validate(shape, {"text": "abcde"}) == {"text": "abcde"}
    long = refusal(shape, {"text": "abcdef"})
    assert (long.code, long.field) == ("too_long", "text")
    assert long.as_json()["error"]["message"] == "'text' is longer than 5 characters."
    # min_length counts non-blank characters: whitespace alone is empty.
    assert refusal(shape, {"text": "   "}).code == "too_short"


def test_str_refuses_text_that_cannot_be_stored():
    # json.loads('"\\ud800"') gives a lone surrogate: valid JSON, but not storable text.
    error = refusal({"text": Str(max_length=10)}, {"text": "ok \ud800"})
    assert (error.code, error.field) == ("invalid_text", "text")
    assert validate({"text": Str(max_length=10)}, {"text": "ok 🙂"}) == {"text": "ok 🙂"}


@pytest.mark.parametrize("value", ["3", 3.5, True, None, [3]])
def test_int_refuses_non_integers(value):
    assert refusal({"n": Int()}, {"n": value}).code == "invalid_type"


@pytest.mark.parametrize("value, ok", [(-1, False), (0, True), (10, True), (11, False)])
def test_int_range(value, ok):
    shape = {"n": Int(min_value=0, max_value=10)}
    if ok:
        assert validate(shape, {"n": value}) == {"n": value}
    else:
        assert refusal(shape, {"n": value}).code == "out_of_range"


def test_number_takes_decimals_and_whole_numbers():
    shape = {"w": Number(min_value=0, max_value=10)}
    assert validate(shape, {"w": 2.5}) == {"w": 2.5}
    assert validate(shape, {"w": 3.0}) == {"w": 3}
    assert validate(shape, {"w": 4}) == {"w": 4}
    assert refusal(shape, {"w": 10.5}).code == "out_of_range"
    assert refusal(shape, {"w": -0.5}).code == "out_of_range"
    assert refusal(shape, {"w": "2"}).code == "invalid_type"
    assert refusal(shape, {"w": True}).code == "invalid_type"


def test_int_text_reads_query_parameters():
    shape = {"page": IntText(min_value=1)}
    assert validate(shape, {"page": "2"}) == {"page": 2}
    assert refusal(shape, {"page": "0"}).code == "out_of_range"
    assert refusal(shape, {"page": "two"}).code == "invalid_type"
    assert refusal(shape, {"page": "-1"}).code == "invalid_type"
    # Absurdly long digit strings are not turned into huge integers.
    assert refusal(shape, {"page": "9" * 40}).code == "invalid_type"


@pytest.mark.parametrize("value", [1, 0, "true", None])
def test_bool_refuses_truthy_values(value):
    assert refusal({"b": Bool()}, {"b": value}).code == "invalid_type"


def test_choice():
    shape = {"format": Choice(("markdown", "html"))}
    assert validate(shape, {"format": "html"}) == {"format": "html"}
    error = refusal(shape, {"format": "pdf"})
    assert error.code == "invalid_choice"
    assert error.as_json()["error"]["message"] == "'format' must be one of: markdown, html."


def test_list_of_checks_type_length_and_every_item():
    shape = {"prompts": ListOf(Str(max_length=3), max_items=2, min_items=1)}
    assert refusal(shape, {"prompts": "abc"}).code == "invalid_type"
    assert refusal(shape, {"prompts": []}).code == "invalid_length"
    assert refusal(shape, {"prompts": ["a", "b", "c"]}).code == "invalid_length"
    assert refusal(shape, {"prompts": ["a", 2]}).code == "invalid_type"
    assert refusal(shape, {"prompts": ["a", "long"]}).code == "too_long"


def test_callable_limits_are_read_at_each_validation():
    limits = {"chars": 3, "items": 1, "high": 2}
    shape = {
        "text": Str(max_length=lambda: limits["chars"]),
        "items": ListOf(Int(), max_items=lambda: limits["items"]),
        "n": Int(max_value=lambda: limits["high"]),
    }
    body = {"text": "abcd", "items": [1, 2], "n": 3}
    assert refusal(shape, body).code == "too_long"
    limits.update(chars=4)
    assert refusal(shape, body).code == "invalid_length"
    limits.update(items=2)
    assert refusal(shape, body).code == "out_of_range"
    limits.update(high=3)
    assert validate(shape, body) == body


def test_limit_in_message_is_the_current_one():
    limits = {"chars": 3}
    shape = {"text": Str(max_length=lambda: limits["chars"])}
    limits["chars"] = 7
    assert "7 characters" in refusal(shape, {"text": "x" * 8}).as_json()["error"]["message"]


def test_nullable_takes_null_or_what_its_rule_accepts():
    shape = {"level": Nullable(Int(min_value=1, max_value=5))}
    assert validate(shape, {"level": None}) == {"level": None}
    assert validate(shape, {"level": 3}) == {"level": 3}
    assert refusal(shape, {"level": 6}).code == "out_of_range"
    assert refusal(shape, {"level": "3"}).code == "invalid_type"


def test_map_of_checks_keys_count_and_every_value():
    shape = {"answers": MapOf(Int(min_value=0, max_value=3), max_items=lambda: 2, max_key_length=5)}
    assert validate(shape, {"answers": {"a": 1, "bb": 3}}) == {"answers": {"a": 1, "bb": 3}}
    assert refusal(shape, {"answers": [1, 2]}).code == "invalid_type"
    assert refusal(shape, {"answers": {"a": 1, "b": 2, "c": 3}}).code == "invalid_length"
    assert refusal(shape, {"answers": {"": 1}}).code == "invalid_key"
    assert refusal(shape, {"answers": {"toolong": 1}}).code == "invalid_key"
    error = refusal(shape, {"answers": {"a": 9}})
    assert (error.code, error.field) == ("out_of_range", "answers.a")  # names the competence at fault


def test_anything_passes_structured_data_through_but_keys_are_still_checked():
    shape = {"framework": Anything()}
    value = {"areas": [{"id": "ideas", "levels": [1, 2]}], "title": None}
    assert validate(shape, {"framework": value}) == {"framework": value}
    assert refusal(shape, {}).code == "missing_field"
    assert refusal(shape, {"framework": 1, "other": 2}).code == "unknown_field"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_number_refuses_nan_and_infinities(value):
    # Every comparison with NaN is false: without this, NaN passed any range check.
    for shape in ({"w": Number(min_value=0, max_value=10)}, {"w": Number()}, {"w": Nullable(Number())}):
        error = refusal(shape, {"w": value})
        assert (error.code, error.field) == ("out_of_range", "w")
