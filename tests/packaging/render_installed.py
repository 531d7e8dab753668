"""Run inside a fresh venv holding only the built wheel and its dependencies.

Proves the installed distribution is complete: the entry point loads, the plugin app
migrates, the student view renders from the packaged templates, and the packaged
static files, locale catalogue and migrations are there. Prints one JSON line.
"""
import gettext
import importlib.metadata
import importlib.resources
import json
import sys

import django
from django.conf import settings

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    # Every plugin app of the installed distribution, as the platform adds them (entry points).
    INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"] + sorted(
        point.value.replace(":", ".") for point in importlib.metadata.distribution("bizmooc-xblocks").entry_points
        if point.group == "lms.djangoapp"),
    USE_TZ=True,
)
django.setup()

from django.core.management import call_command  # noqa: E402
from xblock.core import XBlock  # noqa: E402
from xblock.field_data import DictFieldData  # noqa: E402
from xblock.fields import ScopeIds  # noqa: E402
from xblock.reference.user_service import UserService, XBlockUser  # noqa: E402
from xblock.runtime import NullI18nService  # noqa: E402
from xblock.test.tools import TestRuntime  # noqa: E402


class InstalledRuntime(TestRuntime):
    """XBlock's own test runtime, with the URLs a fragment needs."""

    def handler_url(self, block, handler_name, suffix="", query="", thirdparty=False):
        return f"/handler/{handler_name}?{query}"

    def local_resource_url(self, block, uri):
        return f"/resource/{block.scope_ids.block_type}/{uri}"


class SignedInUser(UserService):
    """The user service as the LMS fills it for a signed-in learner."""

    def get_current_user(self):
        return self._user


call_command("migrate", verbosity=0)
block_class = XBlock.load_class("bizmooc_reflection_journal")
user = XBlockUser(is_current_user=True)
user.opt_attrs.update({"edx-platform.anonymous_user_id": "a" * 32, "edx-platform.is_authenticated": True})
runtime = InstalledRuntime(services={
    "field-data": DictFieldData({}), "user": SignedInUser(user=user), "i18n": NullI18nService(),
})
block = runtime.construct_xblock_from_class(block_class, ScopeIds("a" * 32, "bizmooc_reflection_journal", "d", "u"))
fragment = block.render("student_view", {})
urls = [resource.data for resource in fragment.resources if resource.kind == "url"]
served = {url: len(block_class.open_local_resource(url.split("/", 3)[3]).read()) for url in urls}
package = importlib.resources.files("xblocks.learning_to_learn")
root = importlib.resources.files("xblocks")


def platform_walk(folder, prefix=""):
    """What the platform's XBlockPipelineFinder collects: files(<package parent>) from ''."""
    for item in folder.iterdir():
        if item.suffix in (".py", ".pyc", ".scss"):
            continue
        if item.is_dir():
            yield from platform_walk(item, f"{prefix}{item.name}/")
        else:
            yield prefix + item.name


collected = set(platform_walk(root / ""))
german = gettext.translation("text", str(root / "translations"), ["de"]).gettext("Unsaved changes")
print(json.dumps({
    "module": sys.modules[block_class.__module__].__file__,
    "html_has_prompt": "What did you learn this week" in fragment.body_html(),
    "served": served,
    "init": "BizMOOCReflectionJournal" if "BizMOOCReflectionJournal" in fragment.body_html() else None,
    "mo": root.joinpath("conf/locale/en/LC_MESSAGES/text.mo").is_file(),
    "translations": root.joinpath("translations/en/LC_MESSAGES/text.mo").is_file(),
    "german": german,
    "collected": len(collected),
    "uncollected": [url for url in urls if url.split("/", 3)[3] not in collected],
    "migration": package.joinpath("migrations/0001_initial.py").is_file(),
    "entry_points": sorted(ep.name for ep in importlib.metadata.entry_points(group="lms.djangoapp")
                           if ep.value.startswith("xblocks.")),
}))
