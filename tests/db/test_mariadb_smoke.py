"""Proves which database a run really used: the MariaDB run must not silently fall back to SQLite."""
import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_runs_on_the_requested_database():
    if os.environ.get("BIZMOOC_TEST_DB") == "mariadb":
        assert connection.vendor == "mysql"
        with connection.cursor() as cursor:
            cursor.execute("SELECT VERSION()")
            (version,) = cursor.fetchone()
        assert "MariaDB" in version
        assert connection.settings_dict["NAME"] == f"test_bizmooc_{os.getpid()}"  # this run's own database
    else:
        assert connection.vendor == "sqlite"
