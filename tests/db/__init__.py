"""Database tests: run on SQLite by default and on MariaDB with BIZMOOC_TEST_DB=mariadb."""
