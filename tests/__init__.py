"""Tests for bizmooc-xblocks (pytest + pytest-django; settings in tests.settings)."""
