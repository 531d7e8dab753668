"""OLX import/export: every course-team setting of the idea board survives export and
re-import exactly (categories and prompt cards with emoji, quotes and markup included);
learners' ideas and the staff's manual phase are never exported."""
from datetime import datetime, timezone

from tests.conftest import LEARNER_A, STAFF
from tests.creativity_lab.board_helpers import BOARD, board_xml, idea, set_phase
from tests.olx import OlxRoundTrip, exported_text
from xblocks.creativity_lab.board_settings import SETTINGS
from xblocks.creativity_lab.idea_board import IdeaBoardBlock

EVERY_FIELD = {
    "display_name": 'Woche 1: "Ideen" für die Kantine & <mehr> — ćwiczenie 🚀',
    "challenge": '<p>Wie könnten wir <em>halbieren</em> &amp; teilen? It\'s "ours" 🙂</p>\n<ul><li>eins</li></ul>',
    "categories": [{"id": "prozess", "name": "Prozess 🛠 „intern“"}, {"id": "people", "name": "Menschen & <Teams>"}],
    "allow_tags": False,
    "learner_clusters": True,
    "technique": "prompts",
    "prompt_cards": [{"title": "Ersetzen 🔁", "text": 'Was könnte "anders" sein?\tTab\nZeile'},
                     {"title": "Umkehren", "text": ""}],
    "phase_mode": "manual",
    "vote_start": datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc),
    "results_start": datetime(2026, 3, 8, 8, 0, tzinfo=timezone.utc),
    "vote_after_days": 10,
    "results_after_days": 17.5,
    "hide_until_vote": True,
    "room_size": 150,
    "hide_votes_until_results": True,
    "own_dots": False,
    "anonymous": False,
    "vote_budget": 7,
    "max_dots_per_idea": 2,
    "completion_ideas": 3,
    "completion_votes": 4,
    "graded": True,
    "weight": 2.5,
}


class TestOlx(OlxRoundTrip, tag=BOARD, block_class=IdeaBoardBlock, olx=board_xml,
              settings_shape=SETTINGS.names(), every_field=EVERY_FIELD):
    """The shared round trip (tests/olx.py), with this block's own checks."""

    def check_round_trip(self, again):
        assert type(again.weight) is float and type(again.room_size) is int and type(again.anonymous) is bool
        assert again.prompt_cards[0]["title"].encode("utf-8") == "Ersetzen 🔁".encode("utf-8")

    def check_defaults(self, again):
        assert [card["title"] for card in again.prompt_cards][:2] == ["Substitute", "Combine"]
        assert (again.room_size, again.anonymous, again.vote_budget) == (0, True, 5)


def test_learner_data_and_the_manual_phase_are_not_exported(wb):
    usage_id = wb.load(board_xml(**EVERY_FIELD))
    set_phase(wb, usage_id, "collect")
    idea(wb, usage_id, "My private idea")
    assert wb.block(usage_id, LEARNER_A).learner_id == LEARNER_A
    set_phase(wb, usage_id, "vote")
    exported = exported_text(wb.block(usage_id, STAFF))
    assert "learner_id" not in exported and "My private idea" not in exported and "manual_phase" not in exported


def test_phase_dates_stored_as_text_by_earlier_releases_still_read(wb):
    """Releases up to 0.2 stored the phase dates as text: OLX holding it reads as the same moments."""
    block = wb.block(wb.load(board_xml(vote_start="2026-03-01T09:00", results_start="2026-03-08T09:00+01:00")))
    assert block.vote_start == datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
    assert block.results_start == datetime(2026, 3, 8, 8, 0, tzinfo=timezone.utc)
    assert block.validate().empty
