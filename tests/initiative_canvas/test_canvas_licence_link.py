"""The licence link a course team gives its own template is shown on every learner's and staff
member's canvas page: only a plain web address is accepted, and one stored before this check (older
OLX) is shown as text, never as a link."""
import json

import lxml.html
import pytest

from tests.conftest import LEARNER_A, STAFF, STUDIO_STAFF
from tests.initiative_canvas.test_canvas_block import CUSTOM, SETTINGS, canvas_xml
from xblocks.common.errors import ApiError
from xblocks.initiative_canvas.canvas_templates import parse_template

UNSAFE = ["javascript:alert(document.cookie)", "JAVASCRIPT:alert(1)", "java\tscript:alert(1)",
          "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.example/licence",
          "/\\evil.example/licence", "https://user@evil.example/"]

ATTRIBUTION = "//p[contains(concat(' ', @class, ' '), ' canvas-attribution ')]"


def with_licence(url):
    return dict(CUSTOM, attribution="Our own canvas, CC BY 4.0", licence_url=url)


@pytest.mark.parametrize("url", UNSAFE)
def test_an_unsafe_licence_address_is_refused_naming_it(url):
    with pytest.raises(ApiError) as caught:
        parse_template(with_licence(url))
    error = caught.value
    assert (error.status, error.code, error.field) == (400, "invalid_template", "template")
    assert error.translated() == "The licence address must be a web address starting with https:// or http://."


def test_a_web_address_is_kept_and_blanks_around_it_dropped():
    template = parse_template(with_licence("  https://creativecommons.org/licenses/by/4.0/ "))
    assert template.licence_url == "https://creativecommons.org/licenses/by/4.0/"
    assert parse_template(with_licence("")).licence_url == ""


@pytest.mark.parametrize("url", UNSAFE[:4])
def test_studio_save_and_import_refuse_it_and_nothing_is_saved(wb, url):
    usage_id = wb.load(canvas_xml())
    saved = wb.call(usage_id, "studio_submit", dict(SETTINGS, custom_template=with_licence(url)), user=STUDIO_STAFF)
    assert (saved.status, saved.error_code, saved.json["error"]["field"]) == (400, "invalid_template", "template")
    assert "licence address" in saved.json["error"]["message"]
    imported = wb.call(usage_id, "import_template", {"text": json.dumps(with_licence(url))}, user=STUDIO_STAFF)
    assert (imported.status, imported.error_code) == (400, "invalid_template")
    assert "licence address" in imported.json["error"]["message"]
    block = wb.block(usage_id, STAFF)
    assert (block.display_name, block.template_choice, block.custom_template) == \
        ("Business model canvas", "business_model_canvas", {})


def test_a_stored_unsafe_link_is_shown_as_text_and_studio_says_so(wb):
    # Saved before the check existed (or written into OLX by hand): the learners keep their canvas.
    usage_id = wb.load(canvas_xml(template_choice="custom", custom_template=with_licence("javascript:alert(1)")))
    for user in (LEARNER_A, STAFF):
        page = lxml.html.fromstring(wb.render(usage_id, user))
        attribution = page.xpath(ATTRIBUTION)[0]
        assert attribution.text_content().strip() == "Our own canvas, CC BY 4.0"
        assert not attribution.xpath(".//a")
        assert not [a for a in page.iter("a") if "javascript" in (a.get("href") or "").lower()]
        assert "Whose problem is it?" in page.text_content()   # the course team's template, not the fallback
    block = wb.block(usage_id, STAFF)
    assert block.template.id == "opportunity" and block.template.licence_url == ""
    assert [m.text for m in block.validate().messages] == [
        "The licence address must be a web address starting with https:// or http://."]


def test_a_safe_stored_link_is_still_a_link(wb):
    usage_id = wb.load(canvas_xml(template_choice="custom",
                                  custom_template=with_licence("https://creativecommons.org/licenses/by/4.0/")))
    link = lxml.html.fromstring(wb.render(usage_id)).xpath(ATTRIBUTION + "//a")[0]
    assert link.get("href") == "https://creativecommons.org/licenses/by/4.0/"
