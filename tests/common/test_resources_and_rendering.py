"""Static files served through BizMOOCBlock.open_local_resource (the shared helper from
common/, the block's own files, nothing else), fragments that reference them as URLs,
and templates that escape what they are given."""
import importlib.resources

import pytest
from django.urls import reverse
from xblock.exceptions import DisallowedFileError

from tests.conftest import LEARNER_A
from xblocks.common import rendering
from xblocks.learning_to_learn.reflection_journal import ReflectionJournalBlock

BLOCK_TYPE = "bizmooc_reflection_journal"
COMMON_STATIC = importlib.resources.files("xblocks.common").joinpath("static")
JOURNAL_STATIC = importlib.resources.files("xblocks.learning_to_learn").joinpath("static")


@pytest.mark.parametrize("uri, source", [
    ("static/common/js/bizmooc.js", COMMON_STATIC / "js" / "bizmooc.js"),
    ("static/common/css/bizmooc.css", COMMON_STATIC / "css" / "bizmooc.css"),
    (b"static/common/js/bizmooc.js", COMMON_STATIC / "js" / "bizmooc.js"),
    ("static/js/reflection_journal.js", JOURNAL_STATIC / "js" / "reflection_journal.js"),
    ("static/css/reflection_journal.css", JOURNAL_STATIC / "css" / "reflection_journal.css"),
])
def test_shared_and_own_files_are_served(uri, source):
    with ReflectionJournalBlock.open_local_resource(uri) as served:
        assert served.read() == source.read_bytes()


@pytest.mark.parametrize("uri", [
    "static/common/../block.py",
    "static/common/js/../../block.py",
    "static/common/../../learning_to_learn/models.py",
    "static/common/./js/bizmooc.js",
    "static/common/.hidden.js",
    "static/../reflection_journal.py",
    "templates/reflection_journal/student.html",
    "reflection_journal.py",
])
def test_paths_outside_static_are_refused(uri):
    with pytest.raises(DisallowedFileError):
        ReflectionJournalBlock.open_local_resource(uri)


@pytest.mark.parametrize("uri", ["static/common/js/bizmooc.py", "static/common/js/secret.json",
                                 "static/common/js/bizmooc.js.map", "static/common/"])
def test_only_js_and_css_are_served_from_common(uri):
    with pytest.raises(DisallowedFileError):
        ReflectionJournalBlock.open_local_resource(uri)


def test_workbench_serves_shared_helper_and_refuses_traversal(client):
    url = reverse("package_resource", args=(BLOCK_TYPE, "static/common/js/bizmooc.js"))
    response = client.get(url)
    assert response.status_code == 200
    assert response.content == (COMMON_STATIC / "js" / "bizmooc.js").read_bytes()
    assert client.get(f"/resource/{BLOCK_TYPE}/static/common/../block.py").status_code == 404
    assert client.get(f"/resource/{BLOCK_TYPE}/static/common/../../common/handlers.py").status_code == 404


def test_fragment_references_shared_helper_first_then_own_files_all_served(wb, client):
    usage_id = wb.load(f"<{BLOCK_TYPE}/>")
    fragment = wb.block(usage_id, LEARNER_A).student_view()
    urls = [resource.data for resource in fragment.resources]
    assert all(resource.kind == "url" for resource in fragment.resources), "nothing may be inlined"
    assert [url.rsplit("/", 1)[-1] for url in urls if url.endswith(".css")] == ["bizmooc.css", "reflection_journal.css"]
    assert [url.rsplit("/", 1)[-1] for url in urls if url.endswith(".js")] == ["bizmooc.js", "reflection_journal.js"]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert fragment.js_init_fn == "BizMOOCReflectionJournal"
    assert "<script" not in fragment.content and "style=" not in fragment.content


def test_rendered_templates_escape_learner_and_course_text(wb):
    usage_id = wb.load(f"<{BLOCK_TYPE}/>")
    block = wb.block(usage_id, LEARNER_A)
    entry = type("Entry", (), {"unit_title": "<b>Week 1</b>", "prompt_text": "Why <i>now</i>?",
                               "submitted_text": '<script>alert("x")</script> & more', "draft": "",
                               "submitted_at": None})()
    html = rendering.render_template(block, "reflection_journal/printable.html", {
        "journal_name": "<img src=x onerror=alert(1)>", "entries": [entry], "lang": "en", "css_url": "/x.css",
    })
    assert "<script>" not in html and "<img" not in html and "<b>" not in html and "<i>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_display_name_is_escaped_in_every_view(wb):
    usage_id = wb.load(f'<{BLOCK_TYPE} display_name="&lt;script&gt;alert(1)&lt;/script&gt;"/>')
    for view in ("student_view", "author_view", "studio_view"):
        html = wb.render(usage_id, LEARNER_A, view)
        assert "<script>alert(1)" not in html, view
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, view

