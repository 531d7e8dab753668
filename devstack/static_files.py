"""Blocks' JS and CSS in the devstack: collected, then served, as in production.

In production the platform's `collectstatic` copies each block package's files with
`XBlockPipelineFinder` and the LMS links them as STATIC_URL + "xblock/resources/<resource
package>/<uri>" (xblocks/common/seams.py, 4). The devstack does the same: `BlockPackageFinder`
walks what the platform's finder walks (the *parent* of each block's package, from
`get_resources_dir()`, leaving out .py, .pyc and .scss), `devstack/run` runs collectstatic,
and `collected_resource` answers the workbench's resource URLs from STATIC_ROOT only. A file
the platform would not collect is a 404 here too; the block's `open_local_resource` (what the
LMS uses without the pipeline) is tested on its own.
"""
import importlib.resources
import mimetypes
import os
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import utils
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse, Http404
from xblock.core import XBlock
from xblock.plugin import PluginMissingError

from xblocks.common import seams

SKIPPED_SUFFIXES = (".py", ".pyc", ".scss")


class _PackageStorage(FileSystemStorage):
    """The folder the platform's XBlockPackageStorage reads, under its collectstatic prefix."""

    def __init__(self, resource_package, resources_dir):
        folder = importlib.resources.files(resource_package.rsplit(".", 1)[0]) / (resources_dir or "")
        super().__init__(location=str(folder))
        self.prefix = seams.RESOURCE_PREFIX + resource_package

    def listdir(self, path):
        directories, files = super().listdir(path)
        return directories, [name for name in files if not name.endswith(SKIPPED_SUFFIXES)]


def suite_block_classes():
    """The suite's installed block classes (the platform walks every installed XBlock)."""
    return [cls for _, cls in XBlock.load_classes() if cls.__module__.startswith("xblocks.")]


class BlockPackageFinder(BaseFinder):
    """XBlockPipelineFinder for the suite's blocks: one storage per (package, resources dir)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pairs = {(seams.resource_package(cls), cls.get_resources_dir()) for cls in suite_block_classes()}
        self.storages = [_PackageStorage(package, folder) for package, folder in sorted(pairs)]

    def list(self, ignore_patterns):
        for storage in self.storages:
            if storage.exists(""):
                for path in utils.get_files(storage, ignore_patterns):
                    yield path, storage

    def find(self, path, find_all=False, **kwargs):  # pylint: disable=arguments-differ
        matches = []
        for storage in self.storages:
            if path.startswith(storage.prefix + "/"):
                inner = path[len(storage.prefix) + 1:]
                if storage.exists(inner):
                    if not (find_all or kwargs.get("all")):
                        return storage.path(inner)
                    matches.append(storage.path(inner))
        return matches


def collected_resource(request, block_type, resource):  # pylint: disable=unused-argument
    """The workbench's /resource/<block type>/<uri>, answered from collected static files."""
    try:
        block_class = XBlock.load_class(block_type)
    except PluginMissingError as missing:
        raise Http404(block_type) from missing
    if ".." in resource.split("/"):
        raise Http404(resource)
    path = Path(settings.STATIC_ROOT) / seams.collected_path(block_class, resource)
    if not path.is_file():
        raise Http404(f"{resource} was not collected (run collectstatic)")
    content_type, _ = mimetypes.guess_type(os.fspath(path))
    return FileResponse(path.open("rb"), content_type=content_type)
