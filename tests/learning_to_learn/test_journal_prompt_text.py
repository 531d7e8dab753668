"""A prompt is course-team HTML; the copy stored with each entry is the text a person reads,
exported as it is and escaped once, where a page shows it ("&" never turns into "&amp;")."""
import csv
import io

from tests.conftest import LEARNER_A, STAFF
from tests.learning_to_learn.journal_helpers import get, journal_xml, row, save, submit, words

READ = "Strengths & weaknesses <of> you"
HTML = "<p><strong>Strengths</strong> &amp; weaknesses &lt;of&gt; you</p>"   # as the Studio editor keeps it
SHOWN = "Strengths &amp; weaknesses &lt;of&gt; you"                          # READ escaped once, for a page


def test_a_prompt_with_ampersand_and_brackets_reads_the_same_everywhere(wb):
    usage_id = wb.load(journal_xml(prompts=[HTML], staff_can_read=True))
    assert save(wb, usage_id, words(3)).status == 200
    assert row(usage_id).prompt_text == READ
    assert submit(wb, usage_id, words(5), version=1).status == 200
    assert row(usage_id).prompt_text == READ

    exported = list(csv.DictReader(io.StringIO(get(wb, usage_id, "export_csv", user=STAFF).text.lstrip("\ufeff"))))
    assert [r["prompt"] for r in exported] == [READ]

    markdown = get(wb, usage_id, "download_journal", query="format=markdown").text
    assert f"> {READ}" in markdown.splitlines() and "&amp;" not in markdown

    page = get(wb, usage_id, "download_journal", query="format=html").text
    assert f"<blockquote>{SHOWN}</blockquote>" in page and "&amp;amp;" not in page and READ not in page

    listed = get(wb, usage_id, "my_journal").json["entries"][0]["prompt"]
    assert listed == READ   # the page inserts it as text (textContent)
    assert get(wb, usage_id, "download_my_data", user=LEARNER_A).text.count("Strengths & weaknesses <of> you") == 1
