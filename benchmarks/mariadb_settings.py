"""Django settings for the MariaDB part of benchmarks/peer_review.py: the devstack settings on
the throwaway server that `scripts/mariadb start` runs on loopback (benchmarks/run starts and
stops it; host and port from its BIZMOOC_MARIADB_* env), through PyMySQL standing in for
mysqlclient, as tests/settings.py does for the database tests."""
import os

import pymysql

from devstack.settings import *  # noqa: F401,F403  pylint: disable=wildcard-import,unused-wildcard-import

pymysql.install_as_MySQLdb()

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.mysql",
        "HOST": os.environ["BIZMOOC_MARIADB_HOST"],
        "PORT": int(os.environ["BIZMOOC_MARIADB_PORT"]),
        "NAME": "bizmooc_test",  # made by scripts/mariadb start; the server is thrown away on exit
        "USER": "bizmooc",
        "PASSWORD": "bizmooc",
        "OPTIONS": {"charset": "utf8mb4"},
    }
}
