"""The built wheel is complete: installed alone into a fresh venv, it renders a block.

Builds the wheel with the test venv's setuptools (no network for build isolation),
installs it with its dependencies into a new venv (pip's cache makes that quick), and
runs render_installed.py there from a folder outside the repo, so nothing can be
imported from the working tree by accident.
"""
import importlib.metadata
import json
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """The wheel built from the project's files only (those git tracks or would add): an in-place
    build reuses `build/`, where a file deleted from the project would still be shipped."""
    source = tmp_path_factory.mktemp("source")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            check=True, capture_output=True).stdout.decode("utf-8").split("\0")
    for name in filter(None, listed):
        path = REPO / name
        if path.is_file() or path.is_symlink():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, source / name, follow_symlinks=False)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(out), str(source)], check=True, cwd=out)
    (built,) = out.glob("bizmooc_xblocks-*.whl")
    return built


def test_wheel_lists_every_non_python_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = [
        "xblocks/common/static/js/bizmooc.js",
        "xblocks/common/static/css/bizmooc.css",
        "xblocks/learning_to_learn/templates/reflection_journal/student.html",
        "xblocks/peer_review/templates/peer_review/rubric_editor.html",
        "xblocks/notifications/templates/bizmooc_notifications/edx_ace/reviews_received/email/subject.txt",
        "xblocks/learning_to_learn/templates/reflection_journal/printable.html",
        "xblocks/learning_to_learn/static/js/reflection_journal.js",
        "xblocks/learning_to_learn/static/css/reflection_journal.css",
        "xblocks/learning_to_learn/migrations/0001_initial.py",
        "xblocks/__init__.py",
        "xblocks/conf/locale/en/LC_MESSAGES/text.po",
        "xblocks/conf/locale/de/LC_MESSAGES/text.mo",
        "xblocks/translations/de/LC_MESSAGES/text.mo",   # where the platform's i18n service looks
        "xblocks/learning_to_learn/data/entrecomp.json",
        "xblocks/initiative_canvas/data/business_model_canvas.json",
        "xblocks/initiative_canvas/templates/canvas/readonly.html",
        "xblocks/initiative_canvas/static/js/canvas.js",
        "xblocks/initiative_canvas/static/js/canvas_tools.js",
        "xblocks/initiative_canvas/migrations/0001_initial.py",
    ]
    missing = [name for name in expected if name not in names]
    assert not missing, missing
    assert not [name for name in names if name.startswith(("tests/", "devstack/", "benchmarks/"))]


def test_installed_wheel_renders_the_journal(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "-c", str(REPO / "requirements/test.txt"),
                    str(wheel)], check=True, cwd=tmp_path)
    result = subprocess.run([str(python), str(Path(__file__).with_name("render_installed.py"))],
                            check=True, cwd=tmp_path, capture_output=True, text=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert str(env_dir) in report["module"], "the block must come from the installed wheel"
    assert report["html_has_prompt"]
    assert report["init"] == "BizMOOCReflectionJournal"
    assert len(report["served"]) == 4 and all(size > 500 for size in report["served"].values()), report["served"]
    assert report["mo"] and report["translations"] and report["migration"]
    assert report["german"] == "Nicht gespeicherte Änderungen"
    assert report["uncollected"] == [] and report["collected"] > 20
    # The wheel declares the apps setup.py lists (the source's editable install reads them too).
    assert report["entry_points"] == sorted(
        point.name for point in importlib.metadata.entry_points(group="lms.djangoapp")
        if point.dist.name == "bizmooc-xblocks") == [
        "bizmooc_analytics", "bizmooc_creativity_lab", "bizmooc_initiative_canvas", "bizmooc_learning_to_learn",
        "bizmooc_notifications", "bizmooc_peer_review"]
