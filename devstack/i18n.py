"""The workbench's stand-in for Open edX's per-block i18n service.

In Open edX each block's i18n service reads the block's own catalogue (domain "text",
in the package's `translations` folder). The xblock-sdk workbench only offers Django's
global catalogue, so our blocks would never appear translated there. This service
merges the catalogues of every BizMOOC component for the active language, which is
what a learner sees in the LMS, and is what the language switch on the workbench page
(devstack/templates) exercises.
"""
import functools
import gettext
from pathlib import Path

from django.utils import translation

import xblocks.common

SUITE_DIR = Path(xblocks.common.__file__).resolve().parent.parent


@functools.cache
def suite_translation(language):
    """One GNUTranslations for `language` holding every component's strings (cached)."""
    merged = None
    for locale_dir in sorted(SUITE_DIR.glob("*/conf/locale")):
        found = gettext.translation("text", str(locale_dir), languages=[language], fallback=True)
        if not isinstance(found, gettext.GNUTranslations):
            continue
        if merged is None:
            merged = found
        else:
            merged._catalog.update(found._catalog)  # pylint: disable=protected-access
    return merged or gettext.NullTranslations()


class SuiteI18nService:
    """Answers like Open edX's i18n service: gettext, ngettext, … and the catalogue itself
    (which XBlock's `{% trans %}` tag merges into Django's for the template)."""

    def __getattr__(self, name):
        language = translation.get_language() or "en"
        return getattr(suite_translation(translation.to_locale(language)), name)
