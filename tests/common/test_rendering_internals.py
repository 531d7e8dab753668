"""Our `i18n` template tags (xblocks/common/templatetags_i18n.py): Django's `{% trans %}` and
`{% blocktrans %}` forms, translated with the block's i18n service passed in the context,
without touching any global translation state of Django or of `gettext`."""
import gc
import gettext

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.utils import translation
from django.utils.translation import trans_real

from devstack.platform_services import PlatformI18nService
from tests.conftest import LEARNER_A, STAFF
from xblocks.common import rendering
from xblocks.common.templatetags_i18n import TRANSLATOR

SOURCE = (
    '{% load i18n %}{% trans "Unsaved changes" %}|{% trans "allowed" context "revisions" %}|'
    '{% blocktrans with date=when %}Submitted {{ date }}{% endblocktrans %}|'
    '{% blocktrans with date=when context "revisions" %}allowed until {{ date }}{% endblocktrans %}|'
    '{% blocktrans count counter=items|length %}{{ counter }} competence{% plural %}{{ counter }} competences'
    '{% endblocktrans %}|{% trans "Not in any catalogue, 100% sure" %}|'
    '{% blocktrans with who=name %}Missing <b>{{ who }}</b> at 50%{% endblocktrans %}'
)


def render(source, translator, **values):
    context = Context(values)
    if translator is not None:
        context.update({TRANSLATOR: translator})
    return Template(source, engine=rendering._engine()).render(context)  # pylint: disable=protected-access


@pytest.fixture
def german(wb):
    usage_id = wb.load("<bizmooc_self_assessment/>")
    with translation.override("de"):
        yield PlatformI18nService(wb.block(usage_id, LEARNER_A))


def test_the_block_catalogue_translates_every_form_and_a_missing_string_stays_as_written(german):
    html = render(SOURCE, german, when="3 Mai", items=[1, 2], name="<script>")
    assert html.split("|") == [
        "Nicht gespeicherte Änderungen", "erlaubt", "Eingereicht am 3 Mai", "erlaubt bis 3 Mai", "2 Kompetenzen",
        "Not in any catalogue, 100% sure", "Missing <b>&lt;script&gt;</b> at 50%"]
    assert render(SOURCE, german, when="x", items=[1], name="y").split("|")[4] == "1 Kompetenz"


def test_a_string_missing_from_the_catalogue_falls_back_to_its_msgid():
    empty = gettext.NullTranslations()
    html = render(SOURCE, empty, when="<i>now</i>", items=[1], name="A & B")
    assert html.split("|") == [
        "Unsaved changes", "allowed", "Submitted &lt;i&gt;now&lt;/i&gt;", "allowed until &lt;i&gt;now&lt;/i&gt;",
        "1 competence", "Not in any catalogue, 100% sure", "Missing <b>A &amp; B</b> at 50%"]


def test_a_translation_that_does_not_fit_its_variables_shows_the_message_as_written():
    class Broken(gettext.NullTranslations):
        def gettext(self, message):
            return "Kaputt %(other)s"

    assert render('{% load i18n %}{% blocktrans with a=b %}Hello {{ a }}{% endblocktrans %}', Broken(),
                  b="<x>") == "Hello &lt;x&gt;"


def test_without_a_block_the_tags_use_djangos_active_translation():
    """render_package_template: no service in the context; its strings come translated."""
    with translation.override("de"):
        assert render('{% load i18n %}{% trans "Yes" %}', None) == "Ja"  # Django's own catalogue
        assert render('{% load i18n %}{% trans "Not in any catalogue" %}', None) == "Not in any catalogue"


@pytest.mark.parametrize("source", [
    "{% load i18n %}{% trans name %}",
    '{% load i18n %}{% trans "a" as b %}',
    "{% load i18n %}{% blocktrans %}{% if x %}{% endif %}{% endblocktrans %}",
    "{% load i18n %}{% blocktrans %}a{% plural %}b{% endblocktrans %}",
    "{% load i18n %}{% blocktrans count n=x %}a{% endblocktrans %}",
    "{% load i18n %}{% blocktrans with %}a{% endblocktrans %}",
    "{% load i18n %}{% blocktrans trimmed %}a{% endblocktrans %}",
    "{% load i18n %}{% blocktrans %}a",
])
def test_forms_the_tags_do_not_take_are_refused_when_the_template_is_parsed(source):
    with pytest.raises(TemplateSyntaxError):
        Template(source, engine=rendering._engine())  # pylint: disable=protected-access


def _translation_state():
    """What the process holds of translations: Django's per-language translations and the size
    of each one's catalogue, gettext's file cache, and the translation objects alive."""
    gc.collect()
    django_catalogues = {language: len(list(found._catalog.keys()))  # pylint: disable=protected-access
                         for language, found in trans_real._translations.items()}  # pylint: disable=protected-access
    alive = sum(1 for obj in gc.get_objects() if isinstance(obj, gettext.NullTranslations))
    return django_catalogues, len(gettext._translations), alive  # pylint: disable=protected-access


def test_rendering_200_times_does_not_grow_any_global_translation_state(wb):
    usage_id = wb.load("<bizmooc_reflection_journal/>")
    with translation.override("de"):
        wb.block(usage_id, LEARNER_A).student_view({})  # first use: catalogues loaded once
        wb.block(usage_id, STAFF).student_view({})
        before = _translation_state()
        for number in range(200):
            html = wb.block(usage_id, STAFF if number % 2 else LEARNER_A).student_view({}).content
        after = _translation_state()
        assert "herunterladen" in html  # "Download ... (CSV)", in German
        assert translation.gettext("Unsaved changes") == "Unsaved changes"  # never merged into Django's
    assert after == before


def test_compiled_templates_are_cached_per_package_and_path(wb):
    usage_id = wb.load("<bizmooc_reflection_journal/>")
    wb.render(usage_id)
    hits = rendering._template.cache_info().hits  # pylint: disable=protected-access
    wb.render(usage_id)
    assert rendering._template.cache_info().hits > hits  # pylint: disable=protected-access
