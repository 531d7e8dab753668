"""The JS unit tests (tests/js/*.test.mjs: BizMOOC's helpers in jsdom) under node's own test
runner, as part of the test command. Node.js, and jsdom from npm, come from scripts/bootstrap
test; without them this fails rather than skips. Run them alone with `node --test tests/js/`."""
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
JS_TESTS = REPO / "tests" / "js"


def test_node_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not on PATH: run scripts/bootstrap test (it installs Debian's nodejs)")
    if not (REPO / "node_modules" / "jsdom").is_dir():
        pytest.fail("node_modules/jsdom is missing: run scripts/bootstrap test (npm ci)")
    # The files named one by one: what a directory argument means differs between Node versions.
    files = sorted(str(path.relative_to(REPO)) for path in JS_TESTS.glob("*.test.mjs"))
    assert files, f"no *.test.mjs in {JS_TESTS}"
    result = subprocess.run([node, "--test", "--test-reporter=spec", *files], cwd=REPO, capture_output=True,
                            text=True, timeout=300, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stdout[-12000:] + result.stderr[-3000:]
    passed = re.search(r"^\S* ?pass (\d+)$", result.stdout, re.MULTILINE)  # the runner's summary
    assert passed and int(passed.group(1)) > 0, "no JS test ran:\n" + result.stdout[-3000:]
