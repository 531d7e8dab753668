"""Translations where the platform looks for them (xblocks/common/seams.py, 3), through the
devstack's i18n service, which mirrors the platform's XBlockI18nService: built per block from
the block's root module (`xblocks`), atlas first, bundled catalogue second. And the service
is asked for once per render, however many strings a page has (the LMS builds a new one,
with a file-system look-up, for every request of it)."""
import gettext
import html
import importlib.resources
import json
import subprocess

import pytest
from django.utils import translation
from xblock.core import XBlock

from devstack import platform_services
from tests.conftest import LEARNER_A, STAFF
from tests.learning_to_learn.journal_helpers import journal_xml

BLOCK_TYPES = ["bizmooc_reflection_journal", "bizmooc_self_assessment", "bizmooc_canvas",
               "bizmooc_idea_board", "bizmooc_peer_review"]
LANGUAGES = ["de", "es", "pl", "bg", "sk", "it"]


def bundled_catalogue(block_class, language):
    """XBlockI18nService.get_python_locale, bundled case, written out: files(<root module>)/translations."""
    root = block_class.__module__.split(".")[0]
    folder = importlib.resources.files(root) / "translations"
    return gettext.translation("text", str(folder), [language])


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_platform_finds_a_complete_catalogue_for_every_block(block_type, language):
    catalogue = bundled_catalogue(XBlock.load_class(block_type), language)
    assert len(catalogue._catalog) > 1000  # pylint: disable=protected-access


def page_text(wb, usage_id, user):
    """What the learner's page shows: the HTML, and the strings handed to the block's script."""
    fragment = wb.block(usage_id, user).student_view({})  # unwrapped: its init args as given
    strings = []

    def collect(value):
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(json.loads((fragment.json_init_args or {}).get("bizmooc", "{}")))
    return html.unescape(fragment.content) + "\n" + "\n".join(strings)


def visible_msgids(text, catalogue):
    """Catalogue strings (plain, long enough to be unambiguous) that occur in `text`."""
    return [msgid for msgid in catalogue._catalog  # pylint: disable=protected-access
            if isinstance(msgid, str) and len(msgid) >= 12 and not set(msgid) & set("{}%<>&\"'")
            and msgid in text]


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_a_german_learner_and_staff_member_see_the_block_in_german(wb, block_type):
    usage_id = wb.load(f"<{block_type}/>")
    catalogue = bundled_catalogue(XBlock.load_class(block_type), "de")
    for user in (LEARNER_A, STAFF):
        with translation.override("en"):
            english = page_text(wb, usage_id, user)
        with translation.override("de"):
            german = page_text(wb, usage_id, user)
        shown = visible_msgids(english, catalogue)
        assert len(shown) >= 3, shown
        untranslated = [msgid for msgid in shown if catalogue.gettext(msgid) not in german]
        assert not untranslated, f"{block_type} as {user} in German still shows {untranslated}"


def test_translations_pulled_by_atlas_win_over_the_bundled_ones(wb, settings, tmp_path):
    folder = tmp_path / "conf/plugins-locale/xblock.v1/xblocks/de/LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                      'msgid "Unsaved changes"\nmsgstr "Ungespeichert (atlas)"\n', encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(folder / "django.mo"), str(folder / "django.po")], check=True)
    settings.REPO_ROOT = tmp_path
    usage_id = wb.load("<bizmooc_reflection_journal/>")
    with translation.override("de"):
        page = page_text(wb, usage_id, LEARNER_A)
    assert "Ungespeichert (atlas)" in page
    assert "Nicht gespeicherte Änderungen" not in page  # the bundled catalogue's translation


@pytest.fixture
def i18n_lookups(monkeypatch):
    """How many times blocks asked the runtime for the i18n service."""
    calls = []
    original = platform_services.PlatformI18nService.__init__

    def counting(self, block):
        calls.append(block.scope_ids.usage_id)
        original(self, block)

    monkeypatch.setattr(platform_services.PlatformI18nService, "__init__", counting)
    return calls


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_each_render_asks_for_the_i18n_service_once(wb, i18n_lookups, block_type):
    usage_id = wb.load(f"<{block_type}/>")
    for user, view in ((LEARNER_A, "student_view"), (STAFF, "student_view")):
        block = wb.block(usage_id, user)
        del i18n_lookups[:]
        with translation.override("de"):
            block.render(view, {})
        assert len(i18n_lookups) == 1, f"{block_type} {view} as {user}: {len(i18n_lookups)} look-ups"


def test_the_number_of_lookups_does_not_grow_with_the_number_of_strings(wb, i18n_lookups):
    small = wb.load(journal_xml(prompts=["<p>One?</p>"]))
    large = wb.load(journal_xml(prompts=[f"<p>Question {n}?</p>" for n in range(10)]))
    counts = []
    for usage_id in (small, large):
        del i18n_lookups[:]
        wb.block(usage_id, STAFF).render("student_view", {})
        counts.append(len(i18n_lookups))
    assert counts == [1, 1]
