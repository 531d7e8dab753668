"""The code follows the project's lint rules (ruff, configured in pyproject.toml; ESLint for the
browser scripts, configured in eslint.config.mjs): unused imports, undefined names, over-long
lines, implicit globals... are caught by the test command, not in review."""
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "xblocks", "tests", "devstack", "benchmarks"],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_eslint_finds_nothing():
    """The browser scripts (and the JS unit tests) pass ESLint with eslint.config.mjs: undefined
    and unused names, == where === is meant, implicit globals... (scripts/lint-js, the pinned
    ESLint that scripts/bootstrap test installs with npm). Warnings count as failures."""
    result = subprocess.run([str(REPO / "scripts" / "lint-js")], cwd=REPO, capture_output=True, text=True,
                            timeout=300, env={**os.environ, "NO_COLOR": "1"})
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
