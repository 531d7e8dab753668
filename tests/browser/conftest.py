"""Browser tests: the real xblock-sdk workbench served on loopback, driven by Playwright
(Python) with Debian's Chromium, axe-core injected from node_modules.

- `workbench`: a session-wide `django-admin runserver` on a free loopback port, with a
  throwaway SQLite database and var/ dir (migrated first), stopped at the end.
  `serve_workbench()` starts another one where a test needs a pristine database.
- `new_context()`: isolated browser contexts (own cookies and localStorage: a second
  learner, a second device). Every page opened in them records console errors and
  uncaught page errors; the test fails at teardown if there are any. A test that
  provokes a failed request on purpose (offline, a 409) declares it with
  `page_errors.allow(...)`; JavaScript errors are never allowed.
- `axe_violations(page)`: axe-core with its default rules plus every WCAG 2.0/2.1 A/AA
  rule, scoped to the block's root (the workbench page is not ours to judge).

Tests write as their own learner (`learner` fixture), so they share one server safely.
"""
import atexit
import contextlib
import functools
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("BIZMOOC_CHROMIUM", "/usr/bin/chromium")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# axe's default rule set, plus every rule tagged WCAG 2.0/2.1 A or AA even if off by default.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCK_ROOT = ".bizmooc"
JOURNAL = "bizmooc_reflection_journal"

expect.set_options(timeout=10_000)


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_up(server, base, log):
    deadline = time.monotonic() + 60
    while True:
        if server.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"workbench exited with {server.returncode}:\n{log.read()[-4000:]}")
        try:
            with urllib.request.urlopen(base + "/", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            log.seek(0)
            raise RuntimeError(f"workbench did not answer on {base}:\n{log.read()[-4000:]}")
        time.sleep(0.2)


def _environment(tmp):
    env = dict(os.environ)
    env.pop("BIZMOOC_TEST_DB", None)
    env.update({
        "DJANGO_SETTINGS_MODULE": "devstack.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")])),
        "BIZMOOC_VAR_DIR": str(tmp / "var"),
        "BIZMOOC_DB_PATH": str(tmp / "workbench.db"),
        "PYTHONUNBUFFERED": "1",
        "BIZMOOC_STATIC_ROOT": str(_STATIC_ROOT / "static"),
    })
    return env


DJANGO_ADMIN = [sys.executable, "-m", "django"]  # what `django-admin` runs
_STATIC_ROOT = Path(tempfile.mkdtemp(prefix="bizmooc-static-"))
atexit.register(shutil.rmtree, _STATIC_ROOT, ignore_errors=True)


@functools.cache
def collected_static():
    """Blocks' JS and CSS collected once per session, as the platform collects them; every
    workbench serves them from there (devstack/static_files.py)."""
    collected = subprocess.run(DJANGO_ADMIN + ["collectstatic", "--noinput", "-v", "0"],
                               env=_environment(_STATIC_ROOT), cwd=REPO, capture_output=True, text=True,
                               timeout=300, check=False)
    if collected.returncode:
        raise RuntimeError(f"collectstatic failed:\n{collected.stdout}\n{collected.stderr}")
    return _STATIC_ROOT


def migrate(tmp):
    """A freshly migrated SQLite database in `tmp`; returns its path."""
    migrated = subprocess.run(DJANGO_ADMIN + ["migrate", "--noinput", "-v", "0"], env=_environment(tmp),
                              cwd=REPO, capture_output=True, text=True, timeout=300, check=False)
    if migrated.returncode:
        raise RuntimeError(f"migrate failed:\n{migrated.stdout}\n{migrated.stderr}")
    return tmp / "workbench.db"


@contextlib.contextmanager
def serve_workbench(migrated_db=None):
    """Serve the workbench on a throwaway SQLite database (a copy of `migrated_db`, else
    migrated here); yield its URL."""
    collected_static()
    tmp = Path(tempfile.mkdtemp(prefix="bizmooc-browser-"))
    env = _environment(tmp)
    server = None
    log = open(tmp / "server.log", "w+", encoding="utf-8")  # pylint: disable=consider-using-with
    try:
        if migrated_db:
            shutil.copyfile(migrated_db, tmp / "workbench.db")
        else:
            migrate(tmp)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        # Threaded (runserver's default): two browser contexts call handlers at once.
        server = subprocess.Popen(  # pylint: disable=consider-using-with
            DJANGO_ADMIN + ["runserver", f"127.0.0.1:{port}", "--noreload"],
            env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT,
        )
        _wait_until_up(server, base, log)
        yield base
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def migrated_db():
    """One migrated, empty database per session; each workbench serves a copy of it."""
    tmp = Path(tempfile.mkdtemp(prefix="bizmooc-browser-db-"))
    try:
        yield migrate(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def workbench(migrated_db):
    """Base URL of the session's workbench."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM} (scripts/bootstrap test installs it)")
    with serve_workbench(migrated_db) as base:
        yield base


@pytest.fixture(scope="session")
def playwright_instance():
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class PageErrors:
    """Console errors and uncaught exceptions of every page of a test."""

    def __init__(self):
        self.errors = []
        self.allowed = []

    def allow(self, pattern):
        """Expect console errors matching `pattern` (a failed request the test provokes)."""
        self.allowed.append(re.compile(pattern))

    def watch(self, page):
        def on_console(message):
            if message.type == "error":
                location = message.location or {}
                self.errors.append(f"console error on {page.url}: {message.text} ({location.get('url', '')})")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"page error on {page.url}: {error}"))

    def unexpected(self):
        return [e for e in self.errors
                if e.startswith("page error") or not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def page_errors():
    return PageErrors()


@pytest.fixture
def new_context(browser, page_errors):
    """A factory of isolated browser contexts (own cookies and localStorage); pages are watched."""
    contexts = []

    def make(width=1100, height=900, **kwargs):
        context = browser.new_context(viewport={"width": width, "height": height}, **kwargs)
        context.set_default_timeout(10_000)
        # The workbench page has no icon; Chromium's request for one is not the block's error.
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204, body=""))
        context.on("page", page_errors.watch)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
    problems = page_errors.unexpected()
    assert not problems, "errors in the browser:\n" + "\n".join(problems)


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def learner(request):
    """A learner id of this test's own, so tests never see each other's entries."""
    return re.sub(r"\W+", "_", request.node.name.removeprefix("test_"))[:40].strip("_")


def scenario_url(base, scenario, student=None, view=None):
    """`scenario` is the index of a journal scenario, or a full scenario id."""
    scenario_id = f"{JOURNAL}.{scenario}" if isinstance(scenario, int) else scenario
    # Studio's views are on the devstack's Studio routes (devstack/urls.py), as on the platform.
    studio = "/studio" if view in ("studio_view", "author_view") else ""
    url = f"{base}{studio}/scenario/{scenario_id}/" + (f"{view}/" if view else "")
    return url + (f"?student={student}" if student else "")


def open_block(page, base, scenario, student=None, view=None):
    """Load a scenario page and wait until the runtime has initialised its blocks."""
    response = page.goto(scenario_url(base, scenario, student, view))
    assert response.status == 200, f"{page.url} answered {response.status}"
    page.wait_for_load_state("load")
    page.wait_for_selector(BLOCK_ROOT)
    page.wait_for_function("() => !!window.BizMOOC && !!window.XBlock")
    return page


def axe_violations(page, selector=BLOCK_ROOT):
    """Run axe-core on every element matching `selector`; return its violations.

    axe's default rules, with every WCAG 2.0/2.1 A and AA rule switched on too.
    """
    assert AXE_JS.exists(), f"{AXE_JS} is missing: run `npm ci` in {REPO}"
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(
        """async ([selector, tags]) => {
            const roots = Array.from(document.querySelectorAll(selector));
            if (!roots.length) { throw new Error('no element matches ' + selector); }
            const rules = {};
            axe.getRules(tags).forEach(rule => { rules[rule.ruleId] = {enabled: true}; });
            const result = await axe.run({include: roots.map(root => [root])}, {rules, resultTypes: ['violations']});
            return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html, summary: n.failureSummary}))}));
        }""",
        [selector, AXE_TAGS],
    )


def assert_accessible(page, where="", selector=BLOCK_ROOT):
    violations = axe_violations(page, selector)
    assert not violations, f"axe-core violations {where} ({page.url}):\n{json.dumps(violations, indent=2)}"


def type_into(locator, text):
    """Click a field and type into it key by key, as a learner does."""
    locator.click()
    locator.press_sequentially(text)


def word_count(text):
    """The journal's own rule, near enough for test texts: runs of letters, digits, - and '."""
    return len(re.findall(r"[\w'’-]+", text))


def number(n):
    """Text showing the number `n` (and no longer number): word counts, whatever the wording."""
    return re.compile(rf"(?<![\d]){n}(?![\d])")
