"""Word counting, cleaning course-team HTML, and spreadsheet-safe CSV exports."""
import csv
import io

import pytest

from xblocks.common.exports import csv_response, csv_text, download
from xblocks.common.text import clean_html, word_count


@pytest.mark.parametrize("text, words", [
    ("", 0),
    (None, 0),
    ("   \n\t ", 0),
    ("one", 1),
    ("Learning to learn, through MOOCs!", 5),
    ("I don't know; it's self-directed.", 5),
    ("Ich lerne über Lernstrategien — täglich.", 5),
    ("Уча се да уча", 4),
    ("20-minute slots, 3 times a week", 6),
    ("…", 0),
])
def test_word_count(text, words):
    assert word_count(text) == words


def test_clean_html_removes_scripts_handlers_and_styles():
    dirty = ('<p onclick="steal()" style="color:red">Think <em>about</em> it</p>'
             '<script>alert(1)</script><style>p{display:none}</style>'
             '<img src="https://example.org/a.png" onerror="x()" alt="chart">'
             '<a href="javascript:alert(1)">bad</a><a href="https://bizmooc.eu">good</a>'
             '<iframe src="https://evil.example"></iframe>')
    clean = clean_html(dirty)
    for forbidden in ("<script", "alert(1)", "onclick", "style", "onerror", "javascript:", "<iframe",
                      "display:none"):
        assert forbidden not in clean
    assert "<p>Think <em>about</em> it</p>" in clean
    assert '<img src="https://example.org/a.png" alt="chart">' in clean
    assert '<a href="https://bizmooc.eu" rel="noopener noreferrer">good</a>' in clean


def test_clean_html_keeps_text_and_quotes_readable():
    assert clean_html("<p>Was heißt \"lernen\"?</p>") == "<p>Was heißt \"lernen\"?</p>"
    assert clean_html(None) == ""


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_would_run_as_formulas_are_quoted(cell):
    rows = list(csv.reader(io.StringIO(csv_text(["answer"], [[cell]]))))
    assert rows[1][0] == "'" + cell


def test_csv_keeps_ordinary_cells_and_the_header_as_they_are():
    text = csv_text(["learner", "answer", "words"], [["anna", 'She said "yes", then, no', 7], ["b", None, 0]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["learner", "answer", "words"], ["anna", 'She said "yes", then, no', "7"], ["b", "", "0"],
    ]


def test_csv_response_is_a_utf8_attachment():
    response = csv_response("entries.csv", ["a"], [["Zürich"]])
    assert response.content_type == "text/csv"
    assert response.charset.lower() == "utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="entries.csv"'
    assert "Zürich" in response.body.decode("utf-8")


def test_download_names_the_file():
    response = download("# Journal", "journal.md", "text/markdown")
    assert response.headers["Content-Disposition"] == 'attachment; filename="journal.md"'
    assert response.body == b"# Journal"
