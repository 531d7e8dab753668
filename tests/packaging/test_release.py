"""What an operator installs can be trusted: `python -m build` makes the source distribution
and, from it alone, the wheel (as pip does from PyPI); `twine check` accepts both; the version
is the one written in xblocks/__init__.py and the newest heading of CHANGELOG.md; the source
distribution carries the changelog, the catalogues and the static files."""
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import xblocks

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    # No isolation: the build uses this venv's setuptools (pinned below 81, pyproject.toml).
    subprocess.run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
                   check=True, capture_output=True, text=True)
    return out


def test_build_makes_an_sdist_and_a_wheel_of_the_one_version(dist):
    names = sorted(path.name for path in dist.iterdir())
    version = xblocks.__version__
    assert names == [f"bizmooc_xblocks-{version}-py3-none-any.whl", f"bizmooc_xblocks-{version}.tar.gz"]


def test_twine_accepts_both(dist):
    checked = subprocess.run([sys.executable, "-m", "twine", "check", "--strict", *map(str, dist.iterdir())],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.count("PASSED") == 2


def test_the_changelog_names_the_version(dist):
    headings = re.findall(r"^## (\S+)", (REPO / "CHANGELOG.md").read_text("utf-8"), re.M)
    assert headings[0] == xblocks.__version__
    (sdist,) = dist.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"CHANGELOG.md", "README.md", "setup.py", "xblocks/__init__.py",
            "xblocks/conf/locale/de/LC_MESSAGES/text.mo", "xblocks/common/static/js/bizmooc.js"} <= names
    (wheel,) = dist.glob("*.whl")
    metadata = zipfile.ZipFile(wheel).read(f"bizmooc_xblocks-{xblocks.__version__}.dist-info/METADATA").decode()
    assert f"Version: {xblocks.__version__}\n" in metadata
    assert "Requires-Dist: XBlock<7,>=5.2" in metadata and "Requires-Dist: Django<6.0,>=4.2" in metadata
