"""The Tutor plugin (devstack/tutor), driven through the real `tutor` CLI without Docker.

Tutor 22 and the plugin live in their own virtualenv (`var/tutor-venv`, built once and
kept; the plugin is reinstalled with pip whenever its sources change), never in the test
venv. Each test works in a throwaway Tutor root and plugins root, and checks what Tutor
renders under `$TUTOR_ROOT/env`. Init jobs are not rendered to files: `tutor local do init`
hands each script to `docker compose run`, so a stub `docker` first on PATH records the
calls (and runs nothing).

The Tutor venv leaves out two of Tutor's dependencies, `kubernetes` (120 MB, imported only
by `tutor k8s`) and `mypy` (not imported): with them the first run takes ~100 s here.
"""
import fcntl
import hashlib
import importlib.metadata
import importlib.resources
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml

import xblocks
from xblocks.common.config import DEFAULTS

REPO = Path(__file__).resolve().parents[2]
PLUGIN_SRC = REPO / "devstack" / "tutor"
VENV = REPO / "var" / "tutor-venv"
TUTOR_SPEC = "tutor==22.*"
SKIPPED_TUTOR_DEPS = {"kubernetes", "mypy"}
SETTINGS_FILES = [f"{app}/{mode}.py" for app in ("lms", "cms") for mode in ("production", "development")]

STUB_DOCKER = """\
#!{python}
import json, os, sys
with open(os.environ["BIZMOOC_DOCKER_LOG"], "a") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if "ls" in sys.argv:  # `docker compose ls --format json`: no project running
    print("[]")
"""


def suite_version():
    """The suite's one version (xblocks/__init__.py); the plugin is released with it."""
    return xblocks.__version__


def suite_app_labels():
    """Labels of the suite's plugin apps that have migrations (the analytics app has none:
    `migrate` would refuse its label)."""
    apps = [ep.load() for ep in entry_points(group="lms.djangoapp") if ep.dist.name == "bizmooc-xblocks"]
    return sorted(app.label for app in apps
                  if importlib.resources.files(app.name).joinpath("migrations", "__init__.py").is_file())


def _pip(*args):
    result = subprocess.run([str(VENV / "bin" / "python"), "-m", "pip", *args],
                            capture_output=True, text=True, cwd=VENV)
    assert result.returncode == 0, f"pip {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _plugin_digest():
    digest = hashlib.sha256()
    for path in sorted(PLUGIN_SRC.rglob("*")):
        relative = path.relative_to(PLUGIN_SRC)
        if path.is_file() and not {"build", "__pycache__"} & set(relative.parts) \
                and not any(part.endswith(".egg-info") for part in relative.parts):
            digest.update(str(relative).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _build_tutor_venv(tmp):
    key = json.dumps({"tutor": TUTOR_SPEC, "python": list(sys.version_info[:2]),
                      "skipped": sorted(SKIPPED_TUTOR_DEPS)})
    stamp = VENV / "bizmooc-venv.json"
    if not (stamp.exists() and stamp.read_text() == key):
        shutil.rmtree(VENV, ignore_errors=True)
        venv.create(VENV, with_pip=True)
        _pip("install", "-q", "--no-deps", TUTOR_SPEC)
        requires = json.loads(subprocess.run(
            [str(VENV / "bin" / "python"), "-c",
             "import importlib.metadata as m, json; print(json.dumps(m.requires('tutor')))"],
            capture_output=True, text=True, check=True).stdout)
        deps = [req for req in requires if "extra ==" not in req
                and re.match(r"[A-Za-z0-9_.-]+", req).group().lower() not in SKIPPED_TUTOR_DEPS]
        _pip("install", "-q", "setuptools>=69", *deps)
        stamp.write_text(key)
    plugin_stamp = VENV / "bizmooc-plugin.sha256"
    digest = _plugin_digest()
    if not (plugin_stamp.exists() and plugin_stamp.read_text() == digest):
        # Built from a copy, so that the build leaves nothing behind in the repo.
        source = tmp / "tutor-contrib-bizmooc"
        shutil.copytree(PLUGIN_SRC, source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
        _pip("install", "-q", "--no-deps", "--no-build-isolation", "--force-reinstall", str(source))
        plugin_stamp.write_text(digest)


@pytest.fixture(scope="session")
def tutor_venv(tmp_path_factory):
    VENV.parent.mkdir(exist_ok=True)
    with open(VENV.parent / "tutor-venv.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _build_tutor_venv(tmp_path_factory.mktemp("tutor-plugin-build"))
    return VENV


@dataclass
class Project:
    """One Tutor project root, with the `tutor` of the Tutor venv and a stub `docker`."""
    root: Path
    env: dict
    docker_log: Path

    def tutor(self, *args, check=True):
        result = subprocess.run([str(VENV / "bin" / "tutor"), *args], env=self.env, capture_output=True,
                                text=True, stdin=subprocess.DEVNULL, cwd=self.root)
        if check:
            assert result.returncode == 0, f"tutor {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        return result

    def rendered(self, *path):
        return self.root.joinpath("env", *path).read_text()

    def docker_calls(self):
        if not self.docker_log.exists():
            return []
        return [json.loads(line) for line in self.docker_log.read_text().splitlines()]


def new_project(base, enable=True):
    stub = base / "stub-bin"
    stub.mkdir(parents=True)
    (stub / "docker").write_text(STUB_DOCKER.format(python=sys.executable))
    (stub / "docker").chmod(0o755)
    env = {name: value for name, value in os.environ.items() if not name.startswith("TUTOR_")}
    env.update(TUTOR_ROOT=str(base / "root"), TUTOR_PLUGINS_ROOT=str(base / "plugins"),
               BIZMOOC_DOCKER_LOG=str(base / "docker.log"), PATH=f"{stub}{os.pathsep}{env.get('PATH', '')}")
    project = Project(root=base / "root", env=env, docker_log=base / "docker.log")
    project.root.mkdir()
    if enable:
        project.tutor("plugins", "enable", "bizmooc")
    return project


@pytest.fixture(scope="module")
def configured(tutor_venv, tmp_path_factory):
    """A project where the plugin is enabled and one operator setting is changed."""
    project = new_project(tmp_path_factory.mktemp("tutor"))
    project.tutor("config", "save", "--set", "BIZMOOC_JOURNAL_MAX_WORDS_CEILING=3000")
    return project


def bizmooc_settings_block(settings_file):
    match = re.search(r"^# BEGIN bizmooc-xblocks.*?^# END bizmooc-xblocks$", settings_file, re.S | re.M)
    assert match, "the plugin's settings are missing"
    return match.group()


def _plugin_row(project):
    (row,) = [line.split() for line in project.tutor("plugins", "list").stdout.splitlines()
              if line.split()[:1] == ["bizmooc"]]
    return row


def test_tutor_lists_the_plugin_at_the_suite_version(tutor_venv, tmp_path, configured):
    assert _plugin_row(new_project(tmp_path, enable=False)) == ["bizmooc", "installed", suite_version()]
    name, *status, version = _plugin_row(configured)  # status: "✅ enabled"
    assert "enabled" in status and version == suite_version()


def test_openedx_image_installs_the_suite_pinned_to_its_version(configured):
    dockerfile = configured.rendered("build", "openedx", "Dockerfile")
    stage = dockerfile.split("AS python-requirements", 1)[1].split("\nFROM ", 1)[0]
    assert f"$PIP_COMMAND install bizmooc-xblocks=={suite_version()}\n" in stage


def test_pip_requirement_is_overridable_and_can_be_switched_off(tutor_venv, tmp_path):
    project = new_project(tmp_path)
    url = "bizmooc-xblocks @ git+https://git.example.org/bizmooc-xblocks.git@main"
    project.tutor("config", "save", "--set", f"BIZMOOC_PIP_REQUIREMENT={url}")
    assert f"$PIP_COMMAND install '{url}'\n" in project.rendered("build", "openedx", "Dockerfile")
    project.tutor("config", "save", "--set", "BIZMOOC_PIP_REQUIREMENT=")
    assert "bizmooc" not in project.rendered("build", "openedx", "Dockerfile")


@pytest.mark.parametrize("settings_path", SETTINGS_FILES)
def test_lms_and_cms_settings_carry_xblock_settings(configured, settings_path):
    settings_file = configured.rendered("apps", "openedx", "settings", *settings_path.split("/"))
    compile(settings_file, settings_path, "exec")
    namespace = {"XBLOCK_SETTINGS": {"other_block": {"KEY": 1}, "bizmooc": {"OPERATOR_EXTRA": ["kept"]}}}
    exec(compile(bizmooc_settings_block(settings_file), settings_path, "exec"), namespace)
    # Files up to what Tutor's Caddy lets through to the LMS (4 MB bodies), not the suite's 20 MB.
    expected = dict(DEFAULTS, JOURNAL_MAX_WORDS_CEILING=3000, OPERATOR_EXTRA=["kept"], PEER_FILE_MAX_BYTES=4_000_000)
    assert namespace["XBLOCK_SETTINGS"] == {"other_block": {"KEY": 1}, "bizmooc": expected}


def test_settings_block_works_without_any_xblock_settings(configured):
    namespace = {}
    exec(bizmooc_settings_block(configured.rendered("apps", "openedx", "settings", "lms", "production.py")), namespace)
    assert namespace["XBLOCK_SETTINGS"]["bizmooc"]["JOURNAL_MAX_WORDS_CEILING"] == 3000


def test_a_setting_of_the_wrong_type_stops_config_save(tutor_venv, tmp_path):
    project = new_project(tmp_path)
    result = project.tutor("config", "save", "--set", "BIZMOOC_COHORT_MIN_LEARNERS=many", check=False)
    assert result.returncode != 0
    assert "BIZMOOC_COHORT_MIN_LEARNERS must be a whole number" in result.stderr


def _job_scripts(calls):
    """(service, script) of every `docker compose ... run ... <service>-job sh -e -c <script>`."""
    return [(call[-5].removesuffix("-job"), call[-1]) for call in calls
            if "run" in call and call[-4:-1] == ["sh", "-e", "-c"]]


def test_init_migrates_the_suites_apps_after_the_core_tasks(configured):
    configured.docker_log.unlink(missing_ok=True)
    configured.tutor("local", "do", "init")
    scripts = _job_scripts(configured.docker_calls())
    core_lms = [i for i, (service, script) in enumerate(scripts)
                if service == "lms" and "./manage.py lms migrate\n" in script]
    ours = [i for i, (service, script) in enumerate(scripts) if "BizMOOC" in script]
    assert core_lms and len(ours) == 1 and ours[0] > core_lms[0]
    service, script = scripts[ours[0]]
    assert service == "lms"
    labels = suite_app_labels()
    assert labels, "no lms.djangoapp entry point of bizmooc-xblocks found"
    for label in labels:
        assert f"./manage.py lms migrate {label}" in script.splitlines()
    assert "dockerize -wait tcp://mysql:3306" in script  # rendered: Jinja is gone

    configured.docker_log.unlink()
    configured.tutor("local", "do", "init", "--limit=bizmooc")
    assert [script for _, script in _job_scripts(configured.docker_calls())] == [script]


def _mounts(project):
    return {Path(entry["name"]).name: entry for entry in yaml.safe_load(project.tutor("mounts", "list").stdout)}


def test_mounted_checkout_is_installed_in_the_openedx_image_instead_of_the_index_release(tutor_venv, tmp_path):
    project = new_project(tmp_path)
    checkout = tmp_path / "src" / "bizmooc-xblocks"
    short = tmp_path / "elsewhere" / "bizmooc"
    checkout.mkdir(parents=True)
    short.mkdir(parents=True)
    project.tutor("mounts", "add", str(checkout), str(short))

    mount = _mounts(project)["bizmooc-xblocks"]
    assert {"image": "openedx", "context": "mnt-bizmooc-xblocks"} in mount["build_mounts"]
    assert {"service": "openedx", "container_path": "/mnt/bizmooc-xblocks"} in mount["compose_mounts"]
    dockerfile = project.rendered("build", "openedx", "Dockerfile")
    assert "FROM scratch AS mnt-bizmooc-xblocks" in dockerfile
    assert 'RUN $PIP_COMMAND install -e "/mnt/bizmooc-xblocks"' in dockerfile
    assert "install bizmooc-xblocks==" not in dockerfile  # no index release under the checkout
    compose = yaml.safe_load(project.rendered("local", "docker-compose.yml"))
    for service in ("lms", "cms"):
        assert f"{checkout}:/mnt/bizmooc-xblocks:z" in compose["services"][service]["volumes"]

    # A checkout named plainly "bizmooc" is recognised by the plugin's own rule (Tutor's
    # `.*xblock.*` rule does not match it), and only while the plugin is enabled.
    assert {"image": "openedx", "context": "mnt-bizmooc"} in _mounts(project)["bizmooc"]["build_mounts"]
    project.tutor("plugins", "disable", "bizmooc")
    assert _mounts(project)["bizmooc"]["build_mounts"] == []


def test_readme_documents_the_operator_steps():
    readme = (PLUGIN_SRC / "README.md").read_text()
    for step in ("pip install -e devstack/tutor", "tutor plugins enable bizmooc", "tutor config save --set BIZMOOC_",
                 "tutor images build openedx", "tutor local do init", "tutor mounts add"):
        assert step in readme, step
    # The Advanced Module List it shows names every component the suite installs.
    block_types = sorted(ep.name for ep in importlib.metadata.entry_points(group="xblock.v1")
                         if ep.name.startswith("bizmooc_"))
    assert len(block_types) >= 3
    for block_type in block_types:
        assert f'"{block_type}"' in readme, block_type
    for name in DEFAULTS:
        assert f"BIZMOOC_{name}" in readme, name
