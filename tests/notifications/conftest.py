"""Fixtures for the notification tests: the platform's learner look-up (seams.py, 7) on real
Django users, so that e-mails go through the real edx-ace pipeline and the grade through the
real openedx-events signal.

The LMS's AnonymousUserId and UserPreference are not installed here; the stand-ins below are
registered under the platform's module paths and run real queries on django.contrib.auth's
User (the username stands for the anonymous id, first_name for the `pref-lang` value), so
query counts mean what they mean in the LMS.
"""
import sys
import types
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import User
from django.db.models import F

from xblocks.common import seams
from xblocks.notifications.api import Activity

COURSE = "course-v1:BizMOOC+PR+2026"
BLOCK = "block-v1:BizMOOC+PR+2026+type@bizmooc_peer_review+block@pitch"
ACTIVITY = Activity(COURSE, BLOCK, "Pitch your business idea")


class _AnonymousUserIds:
    def filter(self, anonymous_user_id__in):
        return _Selected(User.objects.filter(username__in=anonymous_user_id__in))


class _Selected:
    def __init__(self, users):
        self.users = users

    def select_related(self, *fields):  # pylint: disable=unused-argument
        return [SimpleNamespace(anonymous_user_id=user.username, user=user) for user in self.users]


class _Preferences:
    def filter(self, user_id__in, key):
        assert key == "pref-lang"
        return User.objects.filter(id__in=user_id__in).exclude(first_name="").annotate(
            user_id=F("id"), value=F("first_name"))


@pytest.fixture
def lms_learners(db, monkeypatch, settings):  # pylint: disable=unused-argument
    """make(anonymous id, language=None) -> User; the platform's modules answer for them."""
    students = types.ModuleType(seams.ANONYMOUS_ID_MODULE)
    students.AnonymousUserId = SimpleNamespace(objects=_AnonymousUserIds())
    preferences = types.ModuleType(seams.PREFERENCE_MODULE)
    preferences.UserPreference = SimpleNamespace(objects=_Preferences())
    monkeypatch.setitem(sys.modules, seams.ANONYMOUS_ID_MODULE, students)
    monkeypatch.setitem(sys.modules, seams.PREFERENCE_MODULE, preferences)
    settings.LMS_ROOT_URL = "https://lms.example.org"

    def make(anonymous_id, language=""):
        return User.objects.create(username=anonymous_id, email=f"{anonymous_id}@example.org", first_name=language)

    return make
