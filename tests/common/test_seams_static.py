"""Blocks' JS and CSS in production: what the platform's collectstatic copies, and the URLs
the blocks give the runtime for them (xblocks/common/seams.py, 4).

`platform_collected` below is the platform's own walk, written out from
openedx/core/lib/xblock_pipeline/finder.py (XBlockPipelineFinder + XBlockPackageStorage, Teak)
and xblock_utils.xblock_resource_pkg, independently of the suite's seams: every URL any view of
any block hands the browser must name a file that walk collects, or production pages 404.
"""
import importlib.resources
import re

import pytest
from django.core.management import call_command
from xblock.core import XBlock

from tests.conftest import LEARNER_A, STAFF, STUDIO_STAFF

BLOCK_TYPES = ["bizmooc_reflection_journal", "bizmooc_self_assessment", "bizmooc_canvas",
               "bizmooc_idea_board", "bizmooc_peer_review"]
VIEWS = [(LEARNER_A, "student_view"), (STAFF, "student_view"), (STUDIO_STAFF, "author_view"),
         (STUDIO_STAFF, "studio_view")]
RESOURCE_URL = re.compile(r"/resource/(?P<type>bizmooc_[a-z_]+)/(?P<uri>[^\"'\s<>\\]+)")


def xblock_resource_pkg(block_class):
    """openedx/core/lib/xblock_utils/__init__.py: xblock_resource_pkg."""
    module_name = block_class.__module__
    if module_name.startswith("xmodule."):
        return module_name
    return module_name.rsplit(".", 1)[0]


def platform_collected(block_class):
    """Every path XBlockPipelineFinder gives collectstatic for `block_class`."""
    package = xblock_resource_pkg(block_class)
    base = importlib.resources.files(package.rsplit(".", 1)[0]) / block_class.get_resources_dir()
    found = set()

    def walk(folder, prefix):
        for item in folder.iterdir():
            if item.suffix in (".py", ".pyc", ".scss"):
                continue
            if item.is_dir():
                walk(item, f"{prefix}{item.name}/")
            else:
                found.add(f"xblock/resources/{package}/{prefix}{item.name}")

    walk(base, "")
    return found


def referenced_uris(wb, block_type):
    """Every resource URI in every view of a default block, as learner, staff and author."""
    usage_id = wb.load(f"<{block_type}/>")
    uris = set()
    for user, view in VIEWS:
        fragment = wb.block(usage_id, user).render(view, {})
        text = fragment.body_html() + " " + " ".join(r.data for r in fragment.resources if r.kind == "url")
        for match in RESOURCE_URL.finditer(text.replace("\\/", "/")):
            assert match["type"] == block_type
            uris.add(match["uri"])
    return uris


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_every_url_a_block_hands_out_is_collected_by_the_platform(wb, block_type):
    block_class = XBlock.load_class(block_type)
    collected = platform_collected(block_class)
    uris = referenced_uris(wb, block_type)
    assert any(uri.endswith("/bizmooc.js") for uri in uris) and any(uri.endswith(".css") for uri in uris)
    missing = {uri for uri in uris if f"xblock/resources/{xblock_resource_pkg(block_class)}/{uri}" not in collected}
    assert not missing, f"production would answer 404 for {sorted(missing)}"


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_the_block_serves_each_url_without_the_pipeline_as_collected(wb, block_type):
    # Development mode: the LMS's xblock_resource view calls open_local_resource(uri).
    block_class = XBlock.load_class(block_type)
    root = importlib.resources.files(xblock_resource_pkg(block_class).rsplit(".", 1)[0])
    for uri in referenced_uris(wb, block_type):
        with block_class.open_local_resource(uri) as served:
            assert served.read() == (root / uri).read_bytes()


def test_the_root_package_can_be_walked():
    # A PEP 420 namespace package makes files() a MultiplexedPath, and the platform's walk from
    # "" raised StopIteration, failing collectstatic for the whole platform.
    assert (importlib.resources.files("xblocks") / "__init__.py").is_file()
    assert any(item.name == "common" for item in (importlib.resources.files("xblocks") / "").iterdir())


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = str(tmp_path / "static")
    call_command("collectstatic", "--noinput", verbosity=0)
    return tmp_path / "static"


def test_devstack_collects_what_the_platform_collects(collected):
    for block_type in BLOCK_TYPES:
        block_class = XBlock.load_class(block_type)
        for path in platform_collected(block_class):
            assert (collected / path).is_file(), path


@pytest.mark.parametrize("block_type", BLOCK_TYPES)
def test_devstack_serves_block_files_only_from_collected_static(wb, client, collected, block_type):
    for uri in referenced_uris(wb, block_type):
        response = client.get(f"/resource/{block_type}/{uri}")
        assert response.status_code == 200, uri
        pkg = xblock_resource_pkg(XBlock.load_class(block_type))
        assert b"".join(response.streaming_content) == (collected / "xblock/resources" / pkg / uri).read_bytes()
    # The pre-seams names (relative to the block's package) are not collected: 404 as in production.
    assert client.get(f"/resource/{block_type}/static/common/js/bizmooc.js").status_code == 404
    assert client.get(f"/resource/{block_type}/../../settings.py").status_code == 404
