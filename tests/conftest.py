"""Shared fixtures: BizMOOC blocks on the real xblock-sdk workbench runtime.

Blocks are parsed from OLX exactly as the workbench loads its scenarios, and every
handler call or view builds a fresh runtime for one learner, as the workbench does for
each HTTP request (`?student=<id>`). The runtime is the devstack's, with the platform's
services (devstack/platform_services.py): the LMS's for a learner id, Studio's for
`InStudio(id)`. The only addition is a recorder of what blocks publish (completion, grades,
analytics events), which the workbench would otherwise only log.

The workbench keeps XBlock fields in its database (`workbench_xblockstate`), so every
test that builds a block needs the database (`wb` depends on pytest-django's `db`).
"""
import csv
import io
import itertools
import json
import sys
import types
from dataclasses import dataclass, field

import pytest
import webob
from django.dispatch import Signal

from devstack.platform_services import LmsRuntime, PlatformUserService, PublishRuntime, StudioRuntime
from xblocks.common import retirement, seams


def pytest_configure(config):
    """Silence the xblock-sdk's own use of deprecated APIs (thousands of lines per run).

    Only warnings raised from the SDK's modules are ignored: if our code read the
    deprecated `Runtime.user_id`, the warning would name our module and still show.
    """
    for module in ("workbench.runtime", "xblock.runtime"):
        config.addinivalue_line("filterwarnings", f"ignore::xblock.exceptions.UserIdDeprecationWarning:{module}")
    config.addinivalue_line("filterwarnings", "ignore:datetime.datetime.utcnow:DeprecationWarning:workbench.runtime")


# Named as the course team (staff in the LMS, write access in Studio) by devstack/settings.py.
STAFF = "course_staff"
LEARNER_A = "learner_a"
LEARNER_B = "learner_b"


@dataclass(frozen=True)
class InStudio:
    """Someone in Studio's editor: signed in, without anonymous id; saves need write access."""

    user_id: str


STUDIO_STAFF = InStudio(STAFF)  # a course author

# What Open edX's user service says about a visitor who is not signed in.
LMS_ANONYMOUS = {
    "edx-platform.is_authenticated": False,
    "edx-platform.anonymous_user_id": None,
    "edx-platform.user_is_staff": False,
    "edx-platform.username": None,
}


def lms_user(anonymous_id, is_staff=False, username="lms_user"):
    """Open edX's user attributes for a signed-in user."""
    return {
        "edx-platform.is_authenticated": True,
        "edx-platform.anonymous_user_id": anonymous_id,
        "edx-platform.user_is_staff": is_staff,
        "edx-platform.username": username,
    }


@dataclass(frozen=True)
class Event:
    usage_id: str
    user_id: str
    type: str
    data: dict


class _Recording:
    """Records what blocks publish instead of only logging it.

    `opt_attrs` (optional) replaces the user's attributes by the given ones (an LMS user
    signed in or not, as the platform's user service describes them).
    """

    def __init__(self, user_id=None, opt_attrs=None, events=None):
        super().__init__(user_id)
        self.events = events if events is not None else []
        if opt_attrs is not None:
            self._services["user"] = PlatformUserService(opt_attrs)

    def publish(self, block, event_type, event_data):
        super().publish(block, event_type, event_data)
        self.events.append(Event(str(block.scope_ids.usage_id), block.scope_ids.user_id, event_type,
                                 json.loads(json.dumps(event_data))))


class RecordingRuntime(_Recording, LmsRuntime):
    """The LMS runtime of the devstack, recording."""


class RecordingStudioRuntime(_Recording, StudioRuntime):
    """Studio's runtime of the devstack, recording."""


@dataclass
class Result:
    """A handler's answer: HTTP status, the parsed JSON body (None if not JSON), the response."""

    status: int
    json: object
    response: webob.Response
    events: list = field(default_factory=list)

    @property
    def error_code(self):
        return self.json["error"]["code"] if isinstance(self.json, dict) and "error" in self.json else None

    @property
    def text(self):
        return self.response.body.decode("utf-8")

    @property
    def csv_rows(self):
        """A CSV download's rows, after checking it starts with the byte-order mark Excel needs."""
        assert self.response.body.startswith(b"\xef\xbb\xbf"), "a CSV export without its UTF-8 byte-order mark"
        return list(csv.reader(io.StringIO(self.response.body.decode("utf-8-sig"))))

    @property
    def csv_dicts(self):
        header, *rows = self.csv_rows
        return [dict(zip(header, row)) for row in rows]


_scenarios = itertools.count()


class Workbench:
    """Load OLX, get blocks as a given user, call their handlers, render their views."""

    def __init__(self):
        self.events = []

    def runtime(self, user=LEARNER_A):
        """A fresh runtime for `user`: a workbench learner id, `InStudio(id)`, or a dict of Open
        edX user attributes."""
        if isinstance(user, InStudio):
            return RecordingStudioRuntime(user.user_id, events=self.events)
        if isinstance(user, dict):
            return RecordingRuntime(user.get("edx-platform.anonymous_user_id"), opt_attrs=user, events=self.events)
        return RecordingRuntime(user, events=self.events)

    def published(self, usage_id):
        """The block as the platform's publish work sees it: no user (PublishRuntime)."""
        return PublishRuntime().get_block(usage_id)

    def load(self, xml):
        """Parse OLX as the workbench loads a scenario; returns the root usage id."""
        runtime = self.runtime(None)
        runtime.id_generator.set_scenario(f"test-scenario-{next(_scenarios)}")
        return runtime.parse_xml_string(xml)

    def block(self, usage_id, user=LEARNER_A):
        """The block as `user` sees it (a new runtime, as for each workbench request)."""
        return self.runtime(user).get_block(usage_id)

    def children(self, usage_id):
        return list(self.block(usage_id, None).children)

    def call(self, usage_id, handler, body=None, user=LEARNER_A, method="POST", query="", raw=None,
             content_type="application/json"):
        """Call `handler` as `user` with a real webob request; `raw` sends bytes as they are."""
        block = self.block(usage_id, user)
        path = f"/handler/{usage_id}/{handler}/" + (f"?{query}" if query else "")
        kwargs = {"method": method}
        if method != "GET":
            kwargs["body"] = raw if raw is not None else json.dumps(body if body is not None else {}).encode("utf-8")
            kwargs["content_type"] = content_type
        request = webob.Request.blank(path, **kwargs)
        before = len(self.events)
        response = block.runtime.handle(block, handler, request)
        try:
            parsed = json.loads(response.body.decode("utf-8")) if response.content_type == "application/json" else None
        except ValueError:
            parsed = None
        return Result(response.status_code, parsed, response, self.events[before:])

    def render(self, usage_id, user=LEARNER_A, view="student_view"):
        """The view's HTML as the page gets it, including the runtime's wrapper and JSON args."""
        block = self.block(usage_id, user)
        return block.render(view, {}).body_html()

    def events_of(self, usage_id=None, user=None):
        return [event for event in self.events
                if (usage_id is None or event.usage_id == usage_id) and (user is None or event.user_id == user)]


@pytest.fixture
def wb(db):  # pylint: disable=unused-argument,invalid-name
    """The workbench with a recorder of published events; blocks live in the test database."""
    return Workbench()


class LMSAccountRetirementView:
    """Stands for the platform's sender of the retirement signal (accounts/views.py)."""


@pytest.fixture
def platform_signal(monkeypatch):
    """Open edX's USER_RETIRE_LMS_MISC: a real Signal in a module registered under the platform's
    dotted path (Open edX is not installed here). Here, not in each test module, so that the common
    retirement tests and every component's privacy tests send the one same signal."""
    module = types.ModuleType(retirement.SIGNAL_MODULE)
    module.USER_RETIRE_LMS_MISC = Signal()
    monkeypatch.setitem(sys.modules, retirement.SIGNAL_MODULE, module)
    return module.USER_RETIRE_LMS_MISC


class PlatformUser:
    """Stands for the platform's User found by anonymous id."""

    def __init__(self, anonymous_id):
        self.anonymous_id = anonymous_id


@pytest.fixture
def lms_grades(monkeypatch):
    """The LMS's grade signal (SCORE_PUBLISHED) and user look-up by anonymous id, registered under
    the platform's module paths (xblocks/common/seams.py, 6); returns what its receiver got:
    (anonymous id, earned, possible, deleted, usage id, block weight) per grade sent."""
    received = []
    signal = Signal()

    def score_published_handler(sender, block, user, raw_earned, raw_possible, only_if_higher, **kwargs):
        received.append((user.anonymous_id, raw_earned, raw_possible, kwargs.get("score_deleted"),
                         str(block.scope_ids.usage_id), getattr(block, "weight", None)))

    signal.connect(score_published_handler, weak=False)
    signals_module = types.ModuleType(seams.GRADES_SIGNAL_MODULE)
    signals_module.SCORE_PUBLISHED = signal
    students = types.ModuleType(seams.ANONYMOUS_ID_MODULE)
    students.user_by_anonymous_id = lambda anonymous_id: PlatformUser(anonymous_id) if anonymous_id else None
    monkeypatch.setitem(sys.modules, seams.GRADES_SIGNAL_MODULE, signals_module)
    monkeypatch.setitem(sys.modules, seams.ANONYMOUS_ID_MODULE, students)
    return received
