"""Static files served through BizMOOCBlock.open_local_resource (what the LMS uses without
the asset pipeline: static assets named relative to `xblocks/`, as collectstatic names them,
nothing else), fragments that reference them as URLs, and templates that escape what they
are given. Collected static files (production): test_seams_static.py."""
import importlib.resources

import pytest
from xblock.exceptions import DisallowedFileError

from tests.conftest import LEARNER_A
from xblocks.common import rendering
from xblocks.learning_to_learn.reflection_journal import ReflectionJournalBlock

BLOCK_TYPE = "bizmooc_reflection_journal"
COMMON_STATIC = importlib.resources.files("xblocks.common").joinpath("static")
JOURNAL_STATIC = importlib.resources.files("xblocks.learning_to_learn").joinpath("static")


@pytest.mark.parametrize("uri, source", [
    ("common/static/js/bizmooc.js", COMMON_STATIC / "js" / "bizmooc.js"),
    ("common/static/css/bizmooc.css", COMMON_STATIC / "css" / "bizmooc.css"),
    (b"common/static/js/bizmooc.js", COMMON_STATIC / "js" / "bizmooc.js"),
    ("learning_to_learn/static/js/reflection_journal.js", JOURNAL_STATIC / "js" / "reflection_journal.js"),
    ("learning_to_learn/static/css/reflection_journal.css", JOURNAL_STATIC / "css" / "reflection_journal.css"),
])
def test_shared_and_own_files_are_served(uri, source):
    with ReflectionJournalBlock.open_local_resource(uri) as served:
        assert served.read() == source.read_bytes()


@pytest.mark.parametrize("uri", [
    "common/static/../block.py",
    "common/static/js/../../block.py",
    "common/static/../../learning_to_learn/models.py",
    "common/static/./js/bizmooc.js",
    "common/static/.hidden.js",
    "learning_to_learn/static/../reflection_journal.py",
    "learning_to_learn/templates/reflection_journal/student.html",
    "learning_to_learn/reflection_journal.py",
    "/etc/passwd",
    "common/static/js/bizmooc.py", "common/static/js/secret.json", "common/static/js/bizmooc.js.map",
    "common/static/",
])
def test_only_static_assets_are_served(uri):
    with pytest.raises(DisallowedFileError):
        ReflectionJournalBlock.open_local_resource(uri)


def test_names_relative_to_the_block_package_are_not_found():
    # The LMS answers 404 for a missing file (IOError), as for a disallowed one.
    with pytest.raises(FileNotFoundError):
        ReflectionJournalBlock.open_local_resource("static/js/reflection_journal.js")


def test_fragment_references_shared_helper_first_then_own_files_all_served(wb):
    usage_id = wb.load(f"<{BLOCK_TYPE}/>")
    fragment = wb.block(usage_id, LEARNER_A).student_view()
    urls = [resource.data for resource in fragment.resources]
    assert all(resource.kind == "url" for resource in fragment.resources), "nothing may be inlined"
    assert [url.rsplit("/", 1)[-1] for url in urls if url.endswith(".css")] == ["bizmooc.css", "reflection_journal.css"]
    assert [url.rsplit("/", 1)[-1] for url in urls if url.endswith(".js")] == ["bizmooc.js", "reflection_journal.js"]
    prefix = f"/resource/{BLOCK_TYPE}/"
    for url in urls:
        assert url.startswith(prefix)
        with ReflectionJournalBlock.open_local_resource(url[len(prefix):]) as served:
            assert served.read()
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

