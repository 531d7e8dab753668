"""OLX import/export: every course-team setting of peer review survives export and re-import
exactly, the rubric and the training examples with emoji, quotes and markup included;
learners' submissions are never exported."""
from datetime import datetime, timezone

from tests.conftest import LEARNER_A, STAFF
from tests.olx import OlxRoundTrip, exported_text
from tests.peer_review.peer_helpers import PEER, peer_xml, submit
from xblocks.peer_review.peer_review import PeerReviewBlock
from xblocks.peer_review.review_settings import SETTINGS
from xblocks.peer_review.rubric import parse_rubric

RUBRIC = {
    "criteria": [
        {"id": "klarheit", "name": "Klarheit 🚀 „intern“ & <extern>", "explanation": 'Ist es "klar"?\tJa.',
         "options": [{"id": "nein", "label": "Nein 🐢", "explanation": "", "points": 0},
                     {"id": "ja", "label": "Ja ✓", "explanation": "Völlig <b>klar</b>", "points": 2.5}],
         "comments": "required"},
        {"id": "tipp", "name": "Ein Tipp", "explanation": "", "options": [], "comments": "optional"},
    ],
    "feedback": "none",
    "max_points": 2.5,
}

EVERY_FIELD = {
    "display_name": 'Woche 4: "Pitch" & <Ideen> — ćwiczenie 🚀',
    "prompt": '<p>Beschreibe deine <em>Chance</em> &amp; teste sie. It\'s "yours" 🙂</p>',
    "submission_type": "artefact",
    "artefact_kind": "journal",
    "min_words": 5,
    "max_words": 300,
    "files_mode": "required",
    "files_pdf": False,
    "files_images": False,
    "files_documents": True,
    "files_spreadsheets": True,
    "files_presentations": False,
    "max_file_mb": 5,
    "max_files": 2,
    "rubric": RUBRIC,
    "training_examples": [{"text": "Zeile eins\nZeile zwei\tmit Tab 👩‍🔧 <script>", "scores": {"klarheit": "ja"}}],
    "training_enabled": True,
    "peer_enabled": False,
    "reviews_to_give": 4,
    "reviews_needed": 5,
    "self_enabled": True,
    "staff_enabled": True,
    "submission_due": datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc),
    "peer_due": datetime(2026, 12, 8, tzinfo=timezone.utc),
    "self_due": datetime(2026, 12, 15, 22, 59, tzinfo=timezone.utc),
    "dates_mode": "relative",
    "submission_due_days": 14,
    "peer_due_days": 7.5,
    "peer_due_from": "enrolment",
    "self_due_days": 3,
    "self_due_from": "enrolment",
    "wait_days": 1.5,
    "wait_action": "staff",
    "grading_method": "calibrated",
    "graded": False,
    "weight": 2.5,
}


class TestOlx(OlxRoundTrip, tag=PEER, block_class=PeerReviewBlock, olx=peer_xml,
              settings_shape=SETTINGS.names(), every_field=EVERY_FIELD):
    """The shared round trip (tests/olx.py), with this block's own checks."""

    def check_every_field(self):
        assert parse_rubric(RUBRIC).as_json() == RUBRIC  # stored as studio_submit stores it

    def check_imported(self, block):
        """Not valid on purpose: every field off its default means calibrated grades without the peer
        step, which `validate` refuses (see test_peer_review_block.py); the round trip must keep it."""

    def check_round_trip(self, again):
        assert type(again.wait_days) is float and type(again.reviews_needed) is int
        assert again.rubric["criteria"][0]["options"][1]["label"].encode("utf-8") == "Ja ✓".encode("utf-8")

    def check_defaults(self, again):
        assert again.rubric["max_points"] == 10 and again.graded is True


def test_learner_data_is_not_exported(wb):
    usage_id = wb.load(peer_xml())
    assert submit(wb, usage_id, text="My private opportunity, in several words").status == 200
    assert wb.block(usage_id, LEARNER_A).learner_id == LEARNER_A
    exported = exported_text(wb.block(usage_id, STAFF))
    assert "learner_id" not in exported and "My private opportunity" not in exported


def test_dates_stored_as_text_by_earlier_releases_still_read(wb):
    """Due dates were text settings ("2026-12-08", "2026-12-15T23:59:00+01:00"); now moments."""
    block = wb.block(wb.load(peer_xml(submission_due="2026-12-01T12:00", peer_due="2026-12-08",
                                      self_due="2026-12-15T23:59:00+01:00")))
    assert block.submission_due == datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    assert block.peer_due == datetime(2026, 12, 8, tzinfo=timezone.utc)
    assert block.self_due == datetime(2026, 12, 15, 22, 59, tzinfo=timezone.utc)
