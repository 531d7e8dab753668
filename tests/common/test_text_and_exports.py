"""Word counting, cleaning course-team HTML, and spreadsheet-safe CSV exports."""
import csv
import io

import pytest

from xblocks.common.exports import csv_chunks, csv_response, download
from xblocks.common.text import clean_html, plain_text, word_count


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


@pytest.mark.parametrize("href", ["java&#9;script:alert(1)", " JAVASCRIPT:alert(1)", "data:text/html,x",
                                  "vbscript:msgbox(1)", "jav&#x0A;ascript:alert(1)"])
def test_clean_html_links_keep_only_web_and_mail_schemes(href):
    # Course-team HTML is nh3's job (its own scheme allow-list), not links.safe_url's.
    assert clean_html(f'<a href="{href}">x</a><img src="{href}">') == '<a rel="noopener noreferrer">x</a><img>'
    for kept in ("https://bizmooc.eu/a", "mailto:team@bizmooc.eu", "/courses/x/jump_to/y"):
        assert f'href="{kept}"' in clean_html(f'<a href="{kept}">x</a>')


def test_plain_text_is_what_a_person_reads_decoded_once():
    # nh3 returns HTML even with no tags allowed: "&" came back as "&amp;" in stored prompts.
    assert plain_text("<p><strong>Strengths</strong> &amp; weaknesses &lt;of&gt; you</p>") == \
        "Strengths & weaknesses <of> you"
    assert plain_text("<p>A&nbsp;B\n &quot;C&quot;</p><script>x()</script><style>p{}</style>") == 'A B "C"'
    assert plain_text("Tom &amp;amp; Jerry") == "Tom &amp; Jerry"   # decoded once, not until nothing is left
    assert plain_text(None) == ""


def test_clean_html_keeps_text_and_quotes_readable():
    assert clean_html("<p>Was heißt \"lernen\"?</p>") == "<p>Was heißt \"lernen\"?</p>"
    assert clean_html(None) == ""


def csv_text(header, rows):
    """The file as Excel reads it: UTF-8 with its byte-order mark taken off."""
    return b"".join(csv_chunks(header, rows)).decode("utf-8-sig")


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_csv_cells_that_would_run_as_formulas_are_quoted(cell):
    rows = list(csv.reader(io.StringIO(csv_text(["answer"], [[cell]]))))
    assert rows[1][0] == "'" + cell


def test_csv_keeps_ordinary_cells_and_the_header_as_they_are():
    text = csv_text(["learner", "answer", "words"], [["anna", 'She said "yes", then, no', 7], ["b", None, 0]])
    assert list(csv.reader(io.StringIO(text))) == [
        ["learner", "answer", "words"], ["anna", 'She said "yes", then, no', "7"], ["b", "", "0"],
    ]


def test_csv_response_is_a_utf8_attachment_that_excel_reads_as_utf8():
    response = csv_response("entries.csv", ["a"], [["Zürich"], ["Źdźbło, żółw"], ["Благодаря"]])
    assert response.content_type == "text/csv"
    assert response.charset.lower() == "utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="entries.csv"'
    assert response.body.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
    rows = list(csv.reader(io.StringIO(response.body.decode("utf-8-sig"))))
    assert rows == [["a"], ["Zürich"], ["Źdźbło, żółw"], ["Благодаря"]]


def test_csv_is_streamed_in_batches_as_rows_are_read():
    read = []

    def rows():
        for n in range(2_000):
            read.append(n)
            yield [n, f"text {n}"]

    chunks = iter(csv_response("big.csv", ["n", "text"], rows()).app_iter)
    first = next(chunks)
    assert first.startswith(b"\xef\xbb\xbfn,text") and len(read) == 500   # the first batch only
    rest = b"".join(chunks)
    assert len(read) == 2_000
    assert len((first + rest).decode("utf-8-sig").splitlines()) == 2_001


def test_download_names_the_file():
    response = download("# Journal", "journal.md", "text/markdown")
    assert response.headers["Content-Disposition"] == 'attachment; filename="journal.md"'
    assert response.body == b"# Journal"
