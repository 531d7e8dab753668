"""Browser tests (Playwright + Chromium + axe-core) against the real workbench."""
