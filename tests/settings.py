"""Django settings for the test suite: the devstack settings on a throwaway database.

Default: SQLite files in a temp dir removed at exit, so tests never touch `var/workbench.db`.
With BIZMOOC_TEST_DB=mariadb: the server that `scripts/mariadb start` runs on loopback
(host and port from its BIZMOOC_MARIADB_* env), through PyMySQL standing in for mysqlclient.
Django's test runner creates and drops `test_bizmooc_<pid>` there: one database per test
process, so two runs against one server (a developer's and a hook's) never share tables.
"""
import atexit
import importlib.util
import os
import shutil
import tempfile
from pathlib import Path

_TMP = Path(tempfile.mkdtemp(prefix="bizmooc-tests-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)

# Read by devstack.settings: keep the workbench's SQLite file and its log out of the repo.
os.environ.setdefault("BIZMOOC_VAR_DIR", str(_TMP / "var"))
os.environ.setdefault("BIZMOOC_DB_PATH", str(_TMP / "bizmooc.db"))

from devstack.settings import *  # noqa: E402,F401,F403  pylint: disable=wildcard-import,unused-wildcard-import
from devstack.settings import SQLITE_OPTIONS  # noqa: E402

if os.environ.get("BIZMOOC_TEST_DB") == "mariadb":
    import pymysql

    pymysql.install_as_MySQLdb()
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "HOST": os.environ["BIZMOOC_MARIADB_HOST"],
            "PORT": int(os.environ["BIZMOOC_MARIADB_PORT"]),
            "NAME": "bizmooc_test",
            "USER": "bizmooc",
            "PASSWORD": "bizmooc",
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {
                "NAME": f"test_bizmooc_{os.getpid()}",
                "CHARSET": "utf8mb4",
                "COLLATION": "utf8mb4_unicode_ci",
            },
        }
    }
else:
    # A file (not Django's default in-memory test db), so threads in concurrency tests get
    # SQLite's real locking and separate connections.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ["BIZMOOC_DB_PATH"],
            "OPTIONS": SQLITE_OPTIONS,  # as devstack/settings.py
            "TEST": {"NAME": str(_TMP / "test_bizmooc.db")},
        }
    }

# tests/analytics: event-routing-backends' transformer base class imports its models, which
# Django loads only from an installed app; the suite's analytics app registers its xAPI
# transformers in ready() only where that app is installed (as with Aspects in the LMS).
if importlib.util.find_spec("event_routing_backends"):
    INSTALLED_APPS = [*INSTALLED_APPS, "event_routing_backends"]  # noqa: F405

# tests/dates: the platform's course dates on the real edx-when (its models and migrations), as
# the LMS and Studio install it. Only the tables are added: nothing else in the suite reads them
# unless a test registers dates.
if importlib.util.find_spec("edx_when"):
    INSTALLED_APPS = [*INSTALLED_APPS, "edx_when"]  # noqa: F405
