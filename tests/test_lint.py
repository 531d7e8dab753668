"""The code follows the project's lint rules (ruff, configured in pyproject.toml): unused
imports, undefined names and over-long lines are caught by the test command, not in review."""
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_ruff_finds_nothing():
    result = subprocess.run([sys.executable, "-m", "ruff", "check", "xblocks", "tests", "devstack", "benchmarks"],
                            cwd=REPO, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
