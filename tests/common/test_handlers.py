"""The JSON handler wrapper, on the workbench runtime with a small block that uses it.

What a browser (or an attacker) sends is checked before the handler runs; every refusal
is `{"error": {"code", "message"}}` with a 4xx status, and a refused request changes
nothing, including rows written before a handler gives up half-way.
"""
import json

import pytest
import xblock.plugin
from django.db import OperationalError
from webob import Response
from xblock.core import XBlock

from tests.conftest import LEARNER_A, LMS_ANONYMOUS, STAFF, STUDIO_STAFF, InStudio, lms_user
from xblocks.common import jsontext
from xblocks.common.block import BizMOOCBlock
from xblocks.common.errors import ApiError, _, bad_request
from xblocks.common.handlers import ANYONE, AUTHOR, LEARNER, api_handler
from xblocks.common.handlers import STAFF as STAFF_ROLE
from xblocks.common.shapes import Int, Str
from xblocks.learning_to_learn.models import JournalEntry

BLOCK_TYPE = "bizmooc_wrapper_probe"


class WrapperProbeBlock(BizMOOCBlock):
    """A block whose handlers exercise each part of the wrapper."""

    @api_handler(method="POST", shape={"text": Str(max_length=20), "n": Int(required=False, default=0)})
    def echo(self, data, caller):
        return {"data": data, "caller": caller.user_id, "staff": caller.is_staff}

    @api_handler(method="POST", shape={"text": Str(max_length=100)}, role=LEARNER)
    def write_then_fail(self, data, caller):
        JournalEntry.objects.create(course_id="c", journal_name="j", usage_id=self.usage_key_str,
                                    prompt_index=0, user_id=caller.user_id, position="p", draft=data["text"])
        raise bad_request("refused_late", _("Refused after writing {what}."), what="a row")

    @api_handler(method="POST", shape={"code": Int()}, role=LEARNER)
    def write_then_database_refuses(self, data, caller):
        """What PyMySQL raises when InnoDB picks this transaction as a deadlock's victim
        (1213) or gives up waiting for a lock (1205); any other code is a real fault."""
        JournalEntry.objects.create(course_id="c", journal_name="j", usage_id=self.usage_key_str,
                                    prompt_index=0, user_id=caller.user_id, position="p", draft="lost")
        raise OperationalError(data["code"], "the database refused the transaction")

    @api_handler(method="GET", role=STAFF_ROLE)
    def staff_only(self, data, caller):
        return {"ok": True}

    @api_handler(method="POST", shape={"title": Str(max_length=50)}, role=AUTHOR)
    def author_only(self, data, caller):
        self.display_name = data["title"]
        return {"saved": True}

    @api_handler(method="GET", role=ANYONE)
    def public(self, data, caller):
        return {"signed_in": caller.is_authenticated}

    @api_handler(method="GET", role=LEARNER)
    def file(self, data, caller):
        return Response(body=b"a,b\n", content_type="text/csv")

    @api_handler(method="POST", role=LEARNER)
    def nothing(self, data, caller):
        return None


@pytest.fixture
def probe(wb, monkeypatch):
    """The probe block, registered as an XBlock type for this test only, loaded from OLX."""
    entry_point = type("EntryPoint", (), {"name": BLOCK_TYPE, "load": staticmethod(lambda: WrapperProbeBlock),
                                          "group": "xblock.v1"})()
    monkeypatch.setattr(XBlock, "extra_entry_points", XBlock.extra_entry_points + [(BLOCK_TYPE, entry_point)])
    monkeypatch.setattr(xblock.plugin, "PLUGIN_CACHE", {})
    return wb.load(f'<{BLOCK_TYPE} display_name="Probe"/>')


def assert_error(result, status, code):
    assert result.status == status, result.text
    assert set(result.json) == {"error"}
    assert result.json["error"]["code"] == code
    assert isinstance(result.json["error"]["message"], str) and result.json["error"]["message"]
    assert result.response.content_type == "application/json"


def test_accepted_request_gets_the_handler_result(wb, probe):
    result = wb.call(probe, "echo", {"text": "hi"})
    assert result.status == 200
    assert result.json == {"data": {"text": "hi", "n": 0}, "caller": LEARNER_A, "staff": False}


def test_wrong_method_is_405(wb, probe):
    assert_error(wb.call(probe, "echo", method="GET", query="text=hi"), 405, "method_not_allowed")
    result = wb.call(probe, "staff_only", {}, user=STAFF, method="POST")
    assert_error(result, 405, "method_not_allowed")
    assert result.json["error"]["message"] == "Use GET for this request."


def test_oversized_body_is_413_before_parsing(wb, probe):
    body = json.dumps({"text": "x" * (256 * 1024)}).encode()
    result = wb.call(probe, "echo", raw=body)
    assert_error(result, 413, "too_large")
    assert str(256 * 1024) in result.json["error"]["message"]


def test_body_limit_is_an_operator_setting(wb, probe, settings):
    settings.XBLOCK_SETTINGS = {"bizmooc": {"MAX_REQUEST_BYTES": 30}}
    assert wb.call(probe, "echo", {"text": "short"}).status == 200
    assert_error(wb.call(probe, "echo", raw=b'{"text": "' + b"y" * 40 + b'"}'), 413, "too_large")


@pytest.mark.parametrize("raw", [b"{not json", b'{"text": "a"', b"\xff\xfe\x00", b"'single'"])
def test_invalid_json_is_400(wb, probe, raw):
    assert_error(wb.call(probe, "echo", raw=raw), 400, "invalid_json")


@pytest.mark.parametrize("body, code", [
    ([1, 2], "invalid_body"),
    ("text", "invalid_body"),
    ({}, "missing_field"),
    ({"text": 5}, "invalid_type"),
    ({"text": "x" * 21}, "too_long"),
    ({"text": "ok", "n": "1"}, "invalid_type"),
    ({"text": "ok", "admin": True}, "unknown_field"),
    ({"text": {"$gt": ""}}, "invalid_type"),
])
def test_wrong_shape_is_400_naming_the_problem(wb, probe, body, code):
    assert_error(wb.call(probe, "echo", body), 400, code)


def test_anonymous_caller_is_403_not_signed_in(wb, probe):
    result = wb.call(probe, "echo", {"text": "hi"}, user=LMS_ANONYMOUS)
    assert_error(result, 403, "not_signed_in")
    assert result.json["error"]["message"] == "Please sign in to do this."


def test_anyone_role_admits_anonymous_visitors(wb, probe):
    result = wb.call(probe, "public", user=LMS_ANONYMOUS, method="GET")
    assert result.status == 200 and result.json == {"signed_in": False}


def test_learner_on_staff_handler_is_403(wb, probe):
    assert_error(wb.call(probe, "staff_only", user=LEARNER_A, method="GET"), 403, "forbidden")
    assert wb.call(probe, "staff_only", user=STAFF, method="GET").json == {"ok": True}


def test_lms_staff_passes_staff_handler_and_lms_learner_does_not(wb, probe):
    assert wb.call(probe, "staff_only", user=lms_user("anon-1", is_staff=True), method="GET").status == 200
    assert_error(wb.call(probe, "staff_only", user=lms_user("anon-2"), method="GET"), 403, "forbidden")


def test_author_role_is_refused_in_the_lms_even_to_staff(wb, probe):
    # The LMS has no editor (no studio_user_permissions service): nobody changes settings there.
    for user in (LEARNER_A, STAFF, lms_user("anon-staff", is_staff=True)):
        assert_error(wb.call(probe, "author_only", {"title": "Changed"}, user=user), 403, "forbidden")
    assert wb.block(probe).display_name == "Probe"


def test_author_role_in_studio_admits_course_authors_without_anonymous_id(wb, probe):
    # Studio's user service has no anonymous id; write access comes from studio_user_permissions.
    result = wb.call(probe, "author_only", {"title": "By an author"}, user=STUDIO_STAFF)
    assert result.status == 200
    assert wb.block(probe).display_name == "By an author"


def test_studio_user_without_write_access_is_refused_and_nothing_saved(wb, probe):
    # Studio runs a block's handler for anyone signed in to Studio.
    result = wb.call(probe, "author_only", {"title": "Hijacked"}, user=InStudio(LEARNER_A))
    assert_error(result, 403, "forbidden")
    assert wb.block(probe).display_name == "Probe"
    assert_error(wb.call(probe, "author_only", {"title": "x"}, user=LMS_ANONYMOUS), 403, "not_signed_in")


def test_error_after_writing_leaves_no_row(wb, probe):
    result = wb.call(probe, "write_then_fail", {"text": "should vanish"})
    assert_error(result, 400, "refused_late")
    assert result.json["error"]["message"] == "Refused after writing a row."
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize("code", [1213, 1205])
def test_a_lock_conflict_is_a_503_to_send_again_and_leaves_no_row(wb, probe, code):
    result = wb.call(probe, "write_then_database_refuses", {"code": code})
    assert_error(result, 503, "busy")
    assert result.json["error"]["message"] == "Others saved at the same moment. Please try again."
    assert not JournalEntry.objects.exists()


def test_other_database_faults_are_not_disguised_as_busy(wb, probe):
    with pytest.raises(OperationalError):
        wb.call(probe, "write_then_database_refuses", {"code": 1054})


def test_refused_requests_change_nothing(wb, probe):
    before = wb.block(probe).display_name
    for kwargs in ({"raw": b"{"}, {"body": {"title": 3}}, {"body": {"title": "x", "extra": 1}}):
        assert wb.call(probe, "author_only", user=STUDIO_STAFF, **kwargs).status == 400
    assert wb.block(probe).display_name == before


def test_error_json_carries_field_for_forms(wb, probe):
    result = wb.call(probe, "echo", {"text": "x" * 30})
    assert result.json == {"error": {"code": "too_long", "message": "'text' is longer than 20 characters.",
                                     "field": "text"}}


def test_responses_pass_through_and_none_is_an_empty_object(wb, probe):
    result = wb.call(probe, "file", method="GET")
    assert (result.status, result.response.content_type, result.text) == (200, "text/csv", "a,b\n")
    assert wb.call(probe, "nothing", {}).json == {}


def test_get_handlers_see_only_declared_query_parameters(wb, probe):
    # The workbench adds ?student=...; a GET handler without a shape must not refuse it.
    result = wb.call(probe, "public", method="GET", query="student=learner_a&x=1")
    assert result.status == 200


def test_empty_post_body_counts_as_an_empty_object(wb, probe):
    assert wb.call(probe, "nothing", raw=b"").status == 200
    assert_error(wb.call(probe, "echo", raw=b""), 400, "missing_field")


def test_message_is_translated_before_parameters_are_filled():
    error = ApiError("too_large", _("The request is larger than {limit} bytes."), 413, params={"limit": 10})
    german = {"The request is larger than {limit} bytes.": "Die Anfrage ist größer als {limit} Bytes."}
    assert error.as_json(german.get)["error"]["message"] == "Die Anfrage ist größer als 10 Bytes."


def test_absurdly_long_learner_ids_are_refused(wb, probe):
    # Only the workbench's ?student= can carry one; the journal tables keep 64 characters.
    assert wb.call(probe, "echo", {"text": "hi"}, user="x" * 64).status == 200
    assert_error(wb.call(probe, "echo", {"text": "hi"}, user="x" * 65), 403, "invalid_user")


def test_the_role_is_checked_before_the_body(wb, probe):
    # Someone who may not act gets 403 whatever they send, and learns nothing of the shape.
    for kwargs in ({"raw": b"{"}, {"body": {"title": 3}}, {"body": {"nope": 1}}):
        assert_error(wb.call(probe, "author_only", user=InStudio(LEARNER_A), **kwargs), 403, "forbidden")
    assert wb.block(probe).display_name == "Probe"


@pytest.mark.parametrize("raw", [b'{"text": "hi", "n": NaN}', b'{"text": "hi", "n": Infinity}',
                                 b'{"text": "hi", "n": -Infinity}', b'{"text": "hi", "n": 1e999}',
                                 b'{"text": "hi", "n": [NaN]}', b'{"text": "hi", "n": ' + b"9" * 5000 + b"}"])
def test_non_finite_numbers_are_invalid_json_for_every_handler(wb, probe, raw):
    # Python's json reads these; the browser's JSON.parse does not, and no range check stops NaN.
    assert_error(wb.call(probe, "echo", raw=raw), 400, "invalid_json")
    assert_error(wb.call(probe, "author_only", user=STUDIO_STAFF, raw=b'{"title": "x", "n": NaN}'), 400,
                 "invalid_json")
    assert wb.block(probe).display_name == "Probe"


def test_strict_json_reads_finite_numbers_and_raises_a_decode_error_for_the_rest():
    assert jsontext.loads('{"a": [1, 2.5, -0.0, 1e300, null]}') == {"a": [1, 2.5, -0.0, 1e300, None]}
    for text in ("NaN", "[Infinity]", '{"a": -Infinity}', "1E400", "9" * 5000):
        with pytest.raises(json.JSONDecodeError):
            jsontext.loads(text)
