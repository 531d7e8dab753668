"""The test requirements are pinned, compiled from setup.py's loose ranges by
scripts/compile-requirements: every distribution setup.py names is pinned exactly, within its
range, and the two sets are the supported platforms' ends (Teak: XBlock 5.2.0 and Django 4.2;
the newest: XBlock 6 and Django 5.2). A pin outside setup.py's range, or a requirement added to
setup.py without recompiling, fails here before it reaches CI."""
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REPO = Path(__file__).resolve().parents[2]
SETUP = (REPO / "setup.py").read_text("utf-8")


def declared():
    """Every requirement string in install_requires and the `test` extra of setup.py."""
    install = re.search(r"install_requires=\[(.*?)\]", SETUP, re.S)[1]
    test = re.search(r'"test": \[(.*?)\]', SETUP, re.S)[1]
    return [Requirement(text) for text in re.findall(r'"([^"]+)"', install + test)]


def pins(name):
    found = {}
    for line in (REPO / "requirements" / name).read_text("utf-8").splitlines():
        if line and not line.startswith((" ", "#", "-")):
            package, version = line.split("==")
            found[canonicalize_name(package)] = version
    return found


@pytest.mark.parametrize("name", ["test.txt", "test-lowest.txt"])
def test_every_declared_requirement_is_pinned_within_its_range(name):
    pinned = pins(name)
    for requirement in declared():
        version = pinned.get(canonicalize_name(requirement.name))
        assert version, f"{requirement.name} is not pinned in requirements/{name}: run scripts/compile-requirements"
        assert requirement.specifier.contains(version, prereleases=True), f"{requirement.name}=={version} in {name}"


def test_the_two_pin_sets_are_the_supported_platforms_ends():
    newest, lowest = pins("test.txt"), pins("test-lowest.txt")
    assert lowest["xblock"] == "5.2.0" and lowest["django"].startswith("4.2.")
    assert newest["xblock"].startswith("6.") and newest["django"].startswith("5.2.")
    assert int(newest["setuptools"].split(".")[0]) < 81  # fs still imports pkg_resources
