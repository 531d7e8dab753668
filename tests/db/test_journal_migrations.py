"""The app's migrations, run for real: back to zero and forward again, one step at a time.

Open edX runs `migrate` on every upgrade (`tutor local do init`) and operators roll a
release back with `migrate bizmooc_learning_to_learn <previous>`: both directions must
work on the production engine (MySQL/MariaDB) as on the embedded SQLite, and the models
must not have drifted from the migrations.
"""
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

APP = "bizmooc_learning_to_learn"
ENTRY_TABLE = "bizmooc_learning_to_learn_journalentry"
REVISION_TABLE = "bizmooc_learning_to_learn_journalrevision"

# The journal's own guarantees, written out: name -> (columns, unique).
JOURNAL_SCHEMA = {
    ENTRY_TABLE: {
        "bizmooc_journal_entry_once": (["usage_id", "user_id", "prompt_index"], True),
        "bizmooc_journal_by_learner": (["course_id", "journal_name", "user_id", "position"], False),
        "bizmooc_journal_by_block": (["usage_id", "first_submitted_at"], False),
    },
    REVISION_TABLE: {
        "bizmooc_journal_revision_once": (["entry_id", "number"], True),
    },
}


def _app_tables_in_database():
    with connection.cursor() as cursor:
        return {name for name in connection.introspection.table_names(cursor) if name.startswith(APP + "_")}


def _constraints(table):
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def _applied():
    return {name for app, name in MigrationRecorder(connection).applied_migrations() if app == APP}


def _migrate(target=None):
    args = [APP] + ([target] if target else [])
    call_command("migrate", *args, verbosity=0, interactive=False, stdout=io.StringIO())


def _chain():
    """The app's migrations on disk, in the order they apply."""
    loader = MigrationLoader(connection)
    leaves = loader.graph.leaf_nodes(APP)
    assert len(leaves) == 1, f"the app's migrations must form one chain, not {leaves}"
    return loader, [name for app, name in loader.graph.forwards_plan(leaves[0]) if app == APP]


def _models_at(loader, name):
    """The app's models as migration `name` leaves them (none at "zero")."""
    if name == "zero":
        return []
    state = loader.project_state((APP, name), at_end=True)
    return [model for model in state.apps.get_models() if model._meta.app_label == APP]


def _assert_database_matches(loader, name):
    """Tables, unique constraints and indexes are exactly those the models have at `name`."""
    models = _models_at(loader, name)
    assert _app_tables_in_database() == {model._meta.db_table for model in models}, f"at {name}"
    for model in models:
        found = _constraints(model._meta.db_table)
        declared = [(c.name, c.fields, True) for c in model._meta.constraints if getattr(c, "fields", ())]
        declared += [(i.name, [f for f, _ in i.fields_orders], False) for i in model._meta.indexes if i.fields]
        for index_name, fields, unique in declared:
            columns = [model._meta.get_field(field).column for field in fields]
            assert index_name in found, f"{index_name} missing at {name}: {sorted(found)}"
            assert (found[index_name]["columns"], found[index_name]["unique"]) == (columns, unique), index_name
    chain = _chain()[1]
    assert _applied() == (set() if name == "zero" else set(chain[:chain.index(name) + 1]))


def _assert_journal_schema():
    for table, expected in JOURNAL_SCHEMA.items():
        found = _constraints(table)
        for name, (columns, unique) in expected.items():
            assert name in found, f"{name} missing on {table}: {sorted(found)}"
            assert found[name]["columns"] == columns, name
            assert found[name]["unique"] is unique, name
            assert found[name]["unique"] or found[name]["index"], name
    foreign_keys = [c["foreign_key"] for c in _constraints(REVISION_TABLE).values() if c["foreign_key"]]
    assert foreign_keys == [(ENTRY_TABLE, "id")]


@pytest.mark.django_db(transaction=True)
def test_migrations_go_back_to_zero_and_forward_again_step_by_step():
    loader, chain = _chain()
    assert chain[0] == "0001_initial"
    _assert_database_matches(loader, chain[-1])  # the test database was built by these migrations
    _assert_journal_schema()
    try:
        for target in list(reversed(chain[:-1])) + ["zero"]:
            _migrate(target)
            _assert_database_matches(loader, target)
        assert _app_tables_in_database() == set()
        for target in chain:
            _migrate(target)
            _assert_database_matches(loader, target)
        _assert_journal_schema()
    finally:
        _migrate()  # leave the schema in place for the other tests, whatever failed


@pytest.mark.django_db(transaction=True)
def test_journal_tables_work_after_a_round_trip_of_migrations():
    from xblocks.learning_to_learn.models import JournalEntry  # pylint: disable=import-outside-toplevel

    try:
        _migrate("zero")
        _migrate()
        entry = JournalEntry.objects.create(
            course_id="c", journal_name="j", usage_id="u", prompt_index=0, user_id="l", position="p", draft="Zażółć 🧠"
        )
        entry.revisions.create(number=1, text="Zażółć 🧠", submitted_at=entry.created)
        assert JournalEntry.objects.get().revisions.get().text == "Zażółć 🧠"
    finally:
        _migrate()


@pytest.mark.django_db
def test_models_have_no_missing_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", APP, check=True, dry_run=True, verbosity=1, stdout=out)
    except SystemExit as exit_:  # --check exits 1 when a migration would be written
        pytest.fail(f"models changed without a migration (exit {exit_.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_entries_written_before_public_ids_each_get_their_own():
    """0003 adds the public id peer review uses: entries that existed get one each (distinct,
    so the unique index can be built), new entries get one, and it is unique in the database."""
    from xblocks.learning_to_learn.models import JournalEntry  # pylint: disable=import-outside-toplevel

    loader, _chain_names = _chain()
    try:
        _migrate("0002_self_assessment")
        before = loader.project_state((APP, "0002_self_assessment"), at_end=True).apps.get_model(APP, "JournalEntry")
        for number in range(3):
            before.objects.create(course_id="c", journal_name="j", usage_id=f"u{number}", prompt_index=0,
                                  user_id="l", position="p", submitted_text=f"Entry {number}")
        _migrate()
        ids = list(JournalEntry.objects.values_list("public_id", flat=True))
        assert len(ids) == 3 and None not in ids and len(set(ids)) == 3
        new = JournalEntry.objects.create(course_id="c", journal_name="j", usage_id="u9", prompt_index=0,
                                          user_id="l", position="p")
        assert new.public_id not in ids
        unique_columns = [c["columns"] for c in _constraints(ENTRY_TABLE).values() if c["unique"]]
        assert ["public_id"] in unique_columns
    finally:
        JournalEntry.objects.all().delete()
        _migrate()


@pytest.mark.django_db(transaction=True)
def test_prompts_stored_html_escaped_are_decoded_once():
    """0004: prompts saved before were HTML-escaped ("&amp;"); they become the text a person reads."""
    from xblocks.learning_to_learn.models import JournalEntry  # pylint: disable=import-outside-toplevel

    loader, _chain_names = _chain()
    try:
        _migrate("0003_journal_entry_public_id")
        before = loader.project_state((APP, "0003_journal_entry_public_id"), at_end=True).apps.get_model(
            APP, "JournalEntry")
        for number, prompt in enumerate(["Strengths &amp; weaknesses &lt;of&gt; you", "Plain", "Tom &amp;amp; Jerry"]):
            before.objects.create(course_id="c", journal_name="j", usage_id=f"u{number}", prompt_index=0,
                                  user_id="l", position="p", prompt_text=prompt)
        _migrate()
        assert list(JournalEntry.objects.order_by("usage_id").values_list("prompt_text", flat=True)) == [
            "Strengths & weaknesses <of> you", "Plain", "Tom &amp; Jerry"]
    finally:
        JournalEntry.objects.all().delete()
        _migrate()
