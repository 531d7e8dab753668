"""The canvas builder's tables on a real database (SQLite here, MariaDB in scripts/test):
the migration, the guarantees the schema gives, large JSON documents in any script, saves
racing each other from real threads, and a retired learner's canvases being deleted.

Each thread has its own connection and its own transaction, as each handler call does in
the LMS: two tabs, a phone and a laptop, or a retrying autosave must never silently
overwrite newer notes or create a second canvas, and a refused save must be a 409 with the
notes that won, never a database error (a 500).
"""
import io
import uuid

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from xblocks.common import retirement
from xblocks.common.errors import ApiError
from xblocks.initiative_canvas import canvas, canvas_store, privacy
from xblocks.initiative_canvas.canvas_templates import built_in
from xblocks.initiative_canvas.models import Canvas, CanvasSnapshot

APP = "bizmooc_initiative_canvas"
CANVAS_TABLE = "bizmooc_initiative_canvas_canvas"
SNAPSHOT_TABLE = "bizmooc_initiative_canvas_canvassnapshot"
COURSE = "course-v1:BizMOOC+ENT+2026"
BLOCK = "block-v1:BizMOOC+ENT+2026+type@bizmooc_canvas+block@week2"
BMC = built_in("business_model_canvas")


def where(user_id="learner-a", usage_id=BLOCK, course_id=COURSE):
    return canvas_store.Place(course_id=course_id, usage_id=usage_id, user_id=user_id)


def notes_of(count, text="Note {i}"):
    return [{"id": f"n{i}", "section": BMC.section_ids[i % 9], "text": text.format(i=i), "colour": "yellow"}
            for i in range(count)]


def store(place, notes, version):
    """What the save handler does after checking the notes."""
    return canvas_store.save(place, BMC, notes, version, canvas.progress(BMC, notes))


# The migration -----------------------------------------------------------------------------

def _tables():
    with connection.cursor() as cursor:
        return {name for name in connection.introspection.table_names(cursor) if name.startswith(APP + "_")}


def _constraints(table):
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def _migrate(target=None):
    call_command("migrate", APP, *([target] if target else []), verbosity=0, interactive=False,
                 stdout=io.StringIO())


def _index_names():
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, Canvas._meta.db_table))


def _applied():
    return {name for app, name in MigrationRecorder(connection).applied_migrations() if app == APP}


def _assert_canvas_schema():
    assert _tables() == {CANVAS_TABLE, SNAPSHOT_TABLE}
    found = _constraints(CANVAS_TABLE)
    assert (found["bizmooc_canvas_once"]["columns"], found["bizmooc_canvas_once"]["unique"]) == \
        (["usage_id", "user_id"], True)
    assert found["bizmooc_canvas_by_block"]["columns"] == ["usage_id", "modified"]
    assert any(c["columns"] == ["public_id"] and c["unique"] for c in found.values())
    snapshots = _constraints(SNAPSHOT_TABLE)
    assert snapshots["bizmooc_snapshot_by_canvas"]["columns"] == ["canvas_id", "created"]
    assert any(c["columns"] == ["public_id"] and c["unique"] for c in snapshots.values())
    assert [c["foreign_key"] for c in snapshots.values() if c["foreign_key"]] == [(CANVAS_TABLE, "id")]


@pytest.mark.django_db(transaction=True)
def test_migrations_go_back_to_zero_and_forward_again():
    assert _applied() == {"0001_initial", "0002_canvas_by_learner"}
    _assert_canvas_schema()
    try:
        _migrate("zero")
        assert _tables() == set() and _applied() == set()
        assert "bizmooc_learning_to_learn_journalentry" in connection.introspection.table_names()  # only ours
        _migrate("0001_initial")
        _assert_canvas_schema()
        assert _applied() == {"0001_initial"}
        saved = store(where(), notes_of(2, "Zażółć 🚀 {i}"), 0)
        CanvasSnapshot.objects.create(canvas=saved, name="week 2 ✓", template_id=BMC.id, notes=saved.notes)
        assert Canvas.objects.get().snapshots.get().notes == notes_of(2, "Zażółć 🚀 {i}")
        _migrate()
        assert "bizmooc_canvas_by_learner" in _index_names()
        assert Canvas.objects.get().snapshots.count() == 1  # the index migration keeps the rows
    finally:
        _migrate()  # the latest state for the other tests, whatever failed


@pytest.mark.django_db
def test_models_have_no_missing_migration():
    out = io.StringIO()
    try:
        call_command("makemigrations", APP, check=True, dry_run=True, verbosity=1, stdout=out)
    except SystemExit as exit_:  # --check exits 1 when a migration would be written
        pytest.fail(f"models changed without a migration (exit {exit_.code}):\n{out.getvalue()}")
    assert "No changes detected" in out.getvalue()


# What the schema guarantees ---------------------------------------------------------------------

def _row(**changes):
    values = {"course_id": COURSE, "usage_id": BLOCK, "user_id": "learner-a", "template_id": BMC.id}
    values.update(changes)
    return Canvas(**values)


@pytest.mark.django_db
def test_one_canvas_per_block_and_learner():
    _row().save()
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            _row(course_id="another course, same block and learner").save()
    _row(usage_id=BLOCK + "-week5").save()
    _row(user_id="learner-b").save()
    assert Canvas.objects.count() == 3


@pytest.mark.django_db
def test_public_ids_are_unique():
    first = _row()
    first.save()
    assert isinstance(first.public_id, uuid.UUID)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            _row(user_id="learner-b", public_id=first.public_id).save()
    shot = CanvasSnapshot.objects.create(canvas=first, name="one", template_id=BMC.id)
    with pytest.raises(IntegrityError):
        with transaction.atomic():
            CanvasSnapshot.objects.create(canvas=first, name="two", template_id=BMC.id, public_id=shot.public_id)
    assert CanvasSnapshot.objects.count() == 1
    assert len({first.public_id, shot.public_id, _row(user_id="c").public_id}) == 3


@pytest.mark.django_db
def test_deleting_a_canvas_deletes_its_snapshots_only():
    mine = store(where("learner-a"), notes_of(1), 0)
    theirs = store(where("learner-b"), notes_of(1), 0)
    canvas_store.create_snapshot(mine, "mine")
    kept = canvas_store.create_snapshot(theirs, "theirs")
    mine.delete()
    assert list(CanvasSnapshot.objects.values_list("pk", flat=True)) == [kept.pk]


@pytest.mark.django_db
def test_three_hundred_notes_in_any_script_round_trip():
    texts = ["🚀" * 280, "Zażółć gęślą jaźń — Видение ✓ 中文 𝔘𝔫𝔦𝔠𝔬𝔡𝔢", '<b>"quoted" & \'single\'</b> \\ back\\slash',
             "Tab\tnew\nline\r\nend", "👩‍🔧👨‍👩‍👧 🇪🇺", "=SUM(A1:A9)"]
    notes = [{"id": f"n{i}", "section": BMC.section_ids[i % 9], "text": texts[i % len(texts)],
              "colour": ("yellow", "green", "blue", "pink", "grey")[i % 5]} for i in range(300)]
    assert canvas.check_notes(BMC, notes) == notes  # a canvas a learner could really save
    user = "učiteľ-ü-🙂"
    saved = store(where(user, usage_id="block-v1:Ö+Ü+2026+type@bizmooc_canvas+block@" + "x" * 200), notes, 0)
    shot = canvas_store.create_snapshot(saved, "Woche 2 — erste Fassung 🚀")

    fresh = Canvas.objects.get(pk=saved.pk)
    assert fresh.notes == notes
    assert (fresh.user_id, fresh.note_count, fresh.sections_filled, fresh.version) == (user, 300, 9, 1)
    assert CanvasSnapshot.objects.get(pk=shot.pk).notes == notes
    assert CanvasSnapshot.objects.get(pk=shot.pk).name == "Woche 2 — erste Fassung 🚀"
    assert canvas_store.by_public_id(fresh.public_id)[:2] == (BMC.id, notes)
    assert canvas_store.by_public_id(shot.public_id)[:2] == (BMC.id, notes)
    assert canvas_store.by_public_id(uuid.uuid4()) is None

    updated = store(where(user, usage_id=fresh.usage_id), list(reversed(notes)), 1)
    assert Canvas.objects.get(pk=saved.pk).notes == list(reversed(notes))
    assert (updated.version, updated.modified > fresh.modified) == (2, True)


@pytest.mark.django_db
def test_a_save_from_a_stale_version_changes_nothing():
    store(where(), notes_of(1), 0)
    newer = store(where(), notes_of(2), 1)
    with pytest.raises(ApiError) as caught:
        store(where(), notes_of(5), 1)
    assert (caught.value.status, caught.value.code) == (409, "version_conflict")
    assert caught.value.details == {"version": 2, "notes": notes_of(2)}
    fresh = Canvas.objects.get()
    assert (fresh.version, fresh.notes, fresh.note_count, fresh.modified) == (2, notes_of(2), 2, newer.modified)


# Saves racing each other --------------------------------------------------------------------------

def _split(outcomes):
    wins = [(i, value) for i, (kind, value) in enumerate(outcomes) if kind == "ok"]
    errors = [value for kind, value in outcomes if kind == "error"]
    unexpected = [e for e in errors if not (isinstance(e, ApiError) and e.status == 409)]
    assert not unexpected, f"refused with something other than a 409: {unexpected!r}"
    return wins, errors


@pytest.mark.django_db(transaction=True)
def test_twenty_tabs_saving_from_the_same_version_one_wins_the_rest_get_409(run_together):
    store(where(), notes_of(1), 0)
    base = store(where(), notes_of(2), 1).version
    assert base == 2

    outcomes = run_together(20, lambda i: store(where(), notes_of(3, f"tab {i} note {{i}}"), base))

    wins, errors = _split(outcomes)
    assert len(wins) == 1, outcomes
    assert len(errors) == 19
    winner_index, winner = wins[0]
    assert winner.version == base + 1
    found = Canvas.objects.get()
    assert found.version == base + 1
    assert found.notes == notes_of(3, f"tab {winner_index} note {{i}}")
    # Each refused tab is shown the notes that won, to reload or keep its own as a snapshot.
    assert all(e.code == "version_conflict" for e in errors)
    assert all(e.details == {"version": base + 1, "notes": found.notes} for e in errors)


@pytest.mark.django_db(transaction=True)
def test_ten_first_saves_at_once_make_one_canvas(run_together):
    outcomes = run_together(10, lambda i: store(where(), notes_of(1, f"first save from tab {i}"), 0))

    wins, errors = _split(outcomes)
    assert len(wins) == 1, outcomes
    assert len(errors) == 9
    winner_index, winner = wins[0]
    found = Canvas.objects.get()  # exactly one row
    assert (found.pk, found.version) == (winner.pk, 1)
    assert found.notes == notes_of(1, f"first save from tab {winner_index}")
    assert all(e.code == "version_conflict" and e.details["notes"] == found.notes for e in errors)


@pytest.mark.django_db(transaction=True)
def test_twenty_learners_saving_at_once_each_get_their_own_canvas(run_together):
    outcomes = run_together(20, lambda i: store(where(f"learner-{i:02d}"), notes_of(i + 1), 0))

    wins, errors = _split(outcomes)
    assert not errors and len(wins) == 20
    assert canvas_store.block_count(BLOCK) == 20
    assert sorted(Canvas.objects.values_list("note_count", flat=True)) == list(range(1, 21))
    assert Canvas.objects.values("public_id").distinct().count() == 20


# Retirement --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_retirement_deletes_only_the_retired_learners_canvases_and_snapshots():
    assert retirement.registered_retirements()["bizmooc_canvas"] is privacy.retire_canvas
    retired = ["anon-course-1", "anon-course-2"]  # one learner's anonymous ids in two courses
    for user_id, course in (("anon-course-1", COURSE), ("anon-course-2", "course-v1:Other+X+1"),
                            ("anon-keep", COURSE)):
        for block in (BLOCK, BLOCK + "-week5"):
            saved = store(where(user_id, usage_id=f"{course}/{block}", course_id=course), notes_of(2), 0)
            canvas_store.create_snapshot(saved, f"{user_id} snapshot")
    assert (Canvas.objects.count(), CanvasSnapshot.objects.count()) == (6, 6)

    deleted = retirement.retire_anonymous_ids(retired, user_id=12)

    assert deleted["bizmooc_canvas"] == 8  # 4 canvases and their 4 snapshots
    assert set(Canvas.objects.values_list("user_id", flat=True)) == {"anon-keep"}
    assert set(CanvasSnapshot.objects.values_list("name", flat=True)) == {"anon-keep snapshot"}
    assert CanvasSnapshot.objects.count() == Canvas.objects.count() == 2
    assert retirement.retire_anonymous_ids(retired)["bizmooc_canvas"] == 0  # retiring again finds nothing
