"""The Open edX retirement hook: registration, the lazy signal connection, the receiver.

Open edX is not installed here. Where the platform is needed, its module is stood in for
in `sys.modules` under the platform's dotted path, holding a real `django.dispatch.Signal`
(as openedx/core/djangoapps/user_api/accounts/signals.py defines it), and the LMS's view is
imitated by sending it with `sender=` and `user=` only, as LMSAccountRetirementView does.
"""
import logging
import sys
import types
from types import SimpleNamespace

import pytest

from tests.conftest import LMSAccountRetirementView
from xblocks.common import retirement

# Retiring runs in a transaction.
pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """An empty registry for the test; the app's registrations come back afterwards."""
    monkeypatch.setattr(retirement, "_retirements", {})
    return retirement._retirements


def recorder(calls, result=1):
    def retire(anonymous_ids, user_id):
        calls.append((list(anonymous_ids), user_id))
        return result
    return retire


def test_the_platform_names_are_the_real_ones():
    # Verified in openedx-platform: accounts/signals.py defines USER_RETIRE_LMS_MISC = Signal()
    # ("providing_args=['user']"); student/models/user.py defines AnonymousUserId.
    assert retirement.SIGNAL_MODULE == "openedx.core.djangoapps.user_api.accounts.signals"
    assert retirement.SIGNAL_NAME == "USER_RETIRE_LMS_MISC"
    assert retirement.ANONYMOUS_ID_MODULE == "common.djangoapps.student.models"


def test_the_app_registers_both_components():
    names = set(retirement.registered_retirements())
    assert {"bizmooc_reflection_journal", "bizmooc_self_assessment"} <= names


def test_registering_a_name_again_replaces_it(registry):
    first, second = [], []
    retirement.register_retirement("component", recorder(first))
    retirement.register_retirement("component", recorder(second))
    assert retirement.retire_anonymous_ids(["a1"], user_id=7) == {"component": 1}
    assert first == [] and second == [(["a1"], 7)]


def test_every_registered_function_gets_every_id_once(registry):
    calls_a, calls_b = [], []
    retirement.register_retirement("a", recorder(calls_a, 3))
    retirement.register_retirement("b", recorder(calls_b, 0))
    result = retirement.retire_anonymous_ids(["x2", "x1", "x2", "", None], user_id=42)
    assert result == {"a": 3, "b": 0}
    assert calls_a == calls_b == [(["x1", "x2"], 42)]


def test_no_anonymous_ids_calls_nothing(registry):
    calls = []
    retirement.register_retirement("a", recorder(calls))
    assert retirement.retire_anonymous_ids([]) == {}
    assert calls == []


def test_without_the_platform_connecting_does_nothing_and_logs_at_debug(monkeypatch, caplog):
    monkeypatch.delitem(sys.modules, retirement.SIGNAL_MODULE, raising=False)
    with caplog.at_level(logging.DEBUG, logger=retirement.__name__):
        assert retirement.connect_retirement_signal() is False
    assert [r.levelno for r in caplog.records] == [logging.DEBUG]
    assert "not running in Open edX" in caplog.text


def test_a_platform_without_the_signal_is_treated_as_absent(monkeypatch):
    monkeypatch.setitem(sys.modules, retirement.SIGNAL_MODULE, types.ModuleType(retirement.SIGNAL_MODULE))
    assert retirement.connect_retirement_signal() is False


def test_a_platform_module_that_fails_to_import_is_logged_not_raised(monkeypatch, caplog):
    def broken_import(name, *args, **kwargs):
        raise RuntimeError("app registry not ready")
    monkeypatch.delitem(sys.modules, retirement.SIGNAL_MODULE, raising=False)
    monkeypatch.setattr(retirement, "importlib", SimpleNamespace(import_module=broken_import))
    assert retirement.connect_retirement_signal() is False
    assert [r.levelno for r in caplog.records] == [logging.WARNING]


def test_the_signal_reaches_every_component_with_all_the_users_anonymous_ids(
        registry, platform_signal, monkeypatch):
    calls = []
    retirement.register_retirement("component", recorder(calls, 5))
    user = SimpleNamespace(pk=12)
    monkeypatch.setattr(retirement, "anonymous_ids_of",
                        lambda u: ["course-a-id", "course-b-id"] if u is user else [])
    assert retirement.connect_retirement_signal() is True
    responses = platform_signal.send(sender=LMSAccountRetirementView, user=user)
    assert calls == [(["course-a-id", "course-b-id"], 12)]
    assert [result for _receiver, result in responses] == [{"component": 5}]


def test_connecting_twice_retires_once(registry, platform_signal, monkeypatch):
    calls = []
    retirement.register_retirement("component", recorder(calls))
    monkeypatch.setattr(retirement, "anonymous_ids_of", lambda user: ["only-id"])
    assert retirement.connect_retirement_signal() and retirement.connect_retirement_signal()
    platform_signal.send(sender=LMSAccountRetirementView, user=SimpleNamespace(pk=1))
    assert len(calls) == 1
    assert len(platform_signal.receivers) == 1


def test_a_user_with_no_anonymous_ids_retires_nothing(registry, platform_signal, monkeypatch):
    calls = []
    retirement.register_retirement("component", recorder(calls))
    monkeypatch.setattr(retirement, "anonymous_ids_of", lambda user: [])
    retirement.connect_retirement_signal()
    platform_signal.send(sender=LMSAccountRetirementView, user=SimpleNamespace(pk=1))
    assert calls == []


def test_a_failing_component_reaches_the_platform(registry, platform_signal, monkeypatch, caplog):
    """The LMS view turns the exception into a 500, so the pipeline retries the learner
    instead of recording a retirement that left data behind."""
    def broken(anonymous_ids, user_id):
        raise RuntimeError("database away")
    retirement.register_retirement("broken", broken)
    monkeypatch.setattr(retirement, "anonymous_ids_of", lambda user: ["id"])
    retirement.connect_retirement_signal()
    with pytest.raises(RuntimeError):
        platform_signal.send(sender=LMSAccountRetirementView, user=SimpleNamespace(pk=3))
    assert "retiring LMS user 3 failed" in caplog.text


# The real anonymous-id lookup, against a stand-in of the platform's model -----------------

class _QuerySet:
    def __init__(self, rows, log):
        self.rows, self.log = rows, log

    def filter(self, **kwargs):
        self.log.append(("filter", kwargs))
        return _QuerySet([row for row in self.rows if all(row[k] == v for k, v in kwargs.items())], self.log)

    def values_list(self, *fields, flat=False):
        self.log.append(("values_list", fields, flat))
        assert flat and len(fields) == 1
        return [row[fields[0]] for row in self.rows]


def test_the_lookup_asks_the_platform_for_every_course_of_the_user(monkeypatch):
    """AnonymousUserId has `user` (FK), `anonymous_user_id` and `course_id`: the lookup
    filters on the user only, so ids of every course (and the course-less one) come back."""
    maria, other = SimpleNamespace(pk=1), SimpleNamespace(pk=2)
    log = []
    rows = [
        {"user": maria, "anonymous_user_id": "maria-course-1", "course_id": "course-v1:A+1+2025"},
        {"user": maria, "anonymous_user_id": "maria-course-2", "course_id": "course-v1:B+2+2025"},
        {"user": maria, "anonymous_user_id": "maria-no-course", "course_id": ""},
        {"user": other, "anonymous_user_id": "other-course-1", "course_id": "course-v1:A+1+2025"},
    ]
    models = types.ModuleType(retirement.ANONYMOUS_ID_MODULE)
    models.AnonymousUserId = SimpleNamespace(objects=_QuerySet(rows, log))
    monkeypatch.setitem(sys.modules, retirement.ANONYMOUS_ID_MODULE, models)
    assert retirement.anonymous_ids_of(maria) == ["maria-course-1", "maria-course-2", "maria-no-course"]
    assert log == [("filter", {"user": maria}), ("values_list", ("anonymous_user_id",), True)]
