"""Files learners upload with their work (issue 13): what is accepted (files.py: kinds, bytes,
size, count, names), who may download a file and how it is served (attachment, neutral name
for reviewers, nosniff), drafts only, retirement of rows and stored bytes, "Download my data",
staff views and CSV, events, and constant queries."""
import io
import json
import zipfile
from urllib.parse import quote

import pytest
from django.test import override_settings

from tests.conftest import LEARNER_A, LEARNER_B, LMS_ANONYMOUS, STAFF, STUDIO_STAFF
from tests.page_weight import BUDGET, own_files, prefix, weight
from tests.peer_review.peer_helpers import PEER, get, next_review, peer_xml, state, submit
from tests.peer_review.test_peer_review_block import studio_values
from tests.queries import count_queries
from xblocks.common.errors import ApiError
from xblocks.common.retirement import retire_anonymous_ids
from xblocks.common.seams import file_storage
from xblocks.peer_review import files
from xblocks.peer_review.models import SubmissionFile
from xblocks.peer_review.review_settings import KIND_SETTINGS, _file_problems, file_limits

LEARNER_C = "learner_c"
PREFIX = prefix(PEER)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32
HTML = b"<!doctype html><script>alert(1)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
LIMITS = files.Limits(kinds=files.KINDS, max_bytes=1024, max_files=2)


def zipped(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})
PPTX = zipped({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p/>"})
ODP = zipped({"mimetype": "application/vnd.oasis.opendocument.presentation", "content.xml": "<x/>"})


# The rules (files.py) ------------------------------------------------------------------------

@pytest.mark.parametrize("name, content, kind", [
    ("slides.pdf", PDF, files.PDF), ("photo.PNG", PNG, files.IMAGE), ("photo.jpeg", JPEG, files.IMAGE),
    ("essay.docx", DOCX, files.DOCUMENT), ("pitch.pptx", PPTX, files.PRESENTATION),
    ("pitch.odp", ODP, files.PRESENTATION), ("old.ppt", files.OLE2 + b"\x00" * 16, files.PRESENTATION),
    ("anim.gif", b"GIF89a" + b"\x00" * 8, files.IMAGE),
    ("pic.webp", b"RIFF\x10\x00\x00\x00WEBPVP8 ", files.IMAGE),
])
def test_a_file_is_accepted_by_its_extension_and_its_leading_bytes(name, content, kind):
    checked = files.check_file(name, content, LIMITS, 0)
    assert (checked.kind, checked.size) == (kind, len(content))
    assert checked.content_type == files.FORMATS[files.extension_of(name)].content_type


@pytest.mark.parametrize("name, content, code", [
    ("page.html", HTML, "file_type"), ("drawing.svg", SVG, "file_type"), ("page.pdf", HTML, "file_content"),
    ("photo.png", JPEG, "file_content"), ("renamed.docx", zipped({"a.txt": "x"}), "file_content"),
    ("slides.pptx", DOCX, "file_content"), ("text.odp", zipped({"mimetype": "text/html"}), "file_content"),
    ("broken.docx", b"PK\x03\x04 not a zip", "file_content"), ("pic.webp", b"RIFF\x10\x00\x00\x00WAVE", "file_content"),
    ("noextension", PDF, "file_type"), (".pdf", PDF, "file_type"), ("script.pdf.exe", PDF, "file_type"),
    ("empty.pdf", b"", "empty_file"), ("big.pdf", PDF + b"\x00" * 1024, "file_too_large"),
])
def test_what_is_refused_says_why_and_names_the_files_field(name, content, code):
    with pytest.raises(ApiError) as refused:
        files.check_file(name, content, LIMITS, 0)
    assert (refused.value.code, refused.value.status, refused.value.field) == (code, 400, "files")


def test_only_the_kinds_allowed_and_at_most_the_files_allowed():
    with pytest.raises(ApiError) as refused:
        files.check_file("photo.png", PNG, files.Limits((files.PDF,), 1024, 2), 0)
    assert refused.value.code == "file_type" and refused.value.params == {"types": "pdf"}
    with pytest.raises(ApiError) as refused:
        files.check_file("slides.pdf", PDF, LIMITS, 2)
    assert refused.value.code == "too_many_files"


@pytest.mark.parametrize("raw, clean", [
    ("C:\\Users\\Anna Schmidt\\Desktop\\slides.pdf", "slides.pdf"), ("../../etc/passwd.pdf", "passwd.pdf"),
    ("Präsentation – Woche 4.pdf", "Präsentation – Woche 4.pdf"), ("Pra\u0308sentation.pdf", "Präsentation.pdf"),
    ("evil\u202efdp.exe.pdf", "evilfdp.exe.pdf"), ("tab\tand\nnewline.pdf", "tabandnewline.pdf"),
    ("  .hidden.pdf  ", "hidden.pdf"), ("a" * 300 + ".pdf", "a" * 196 + ".pdf"), ("/", ""),
])
def test_names_keep_the_last_part_only_in_nfc_without_control_characters(raw, clean):
    assert files.clean_name(raw) == clean


def test_downloads_are_attachments_with_a_safe_name_in_ascii_and_utf8():
    assert files.content_disposition('Präsentation "1";.pdf') == (
        "attachment; filename=\"Prasentation 1.pdf\"; filename*=UTF-8''" + quote('Präsentation "1";.pdf', safe=""))
    assert files.content_disposition("日本.pdf").startswith('attachment; filename=".pdf"')
    assert files.neutral_name(2, "pptx") == "work-2.pptx"
    assert files.served_type("text/html") == "application/octet-stream"
    assert files.served_type("application/pdf") == "application/pdf"


# Handlers ------------------------------------------------------------------------------------

def upload(wb, usage_id, name, content, user=LEARNER_A):
    return wb.call(usage_id, "upload_file", raw=content, query=f"name={quote(name)}", user=user,
                   content_type="application/octet-stream")


def download(wb, usage_id, file_id, user):
    return get(wb, usage_id, "file", user=user, query=f"file={file_id}")


@pytest.fixture
def block(wb):
    return wb.load(peer_xml(files_mode="optional", reviews_to_give=1, reviews_needed=1, max_files=2))


@pytest.fixture
def reviewed(wb, block):
    """A uploaded a PDF and submitted; B submitted and holds a lease on A's work."""
    result = upload(wb, block, "C:\\Users\\Anna Schmidt\\slides Anna.pdf", PDF)
    assert result.status == 200, result.text
    assert submit(wb, block).status == 200
    assert submit(wb, block, user=LEARNER_B).status == 200
    lease = next_review(wb, block, LEARNER_B)
    return result.json["file"], lease


def test_the_author_uploads_sees_and_removes_files_of_a_draft(wb, block):
    result = upload(wb, block, "slides.pdf", PDF)
    assert result.status == 200, result.text
    listed = result.json["files"]
    assert [(f["name"], f["size"]) for f in listed] == [("slides.pdf", len(PDF))]
    assert state(wb, block)["submission"]["files"] == listed
    assert wb.events_of(block)[-1].type == "bizmooc.peer_review.file_added"
    stored = SubmissionFile.objects.get()
    assert stored.content_type == "application/pdf" and "slides" not in stored.storage_name
    assert file_storage().exists(stored.storage_name)
    second = upload(wb, block, "photo.png", PNG)
    assert second.status == 200
    assert upload(wb, block, "third.png", PNG).error_code == "too_many_files"
    removed = wb.call(block, "delete_file", {"file": listed[0]["id"]})
    assert removed.status == 200 and [f["name"] for f in removed.json["files"]] == ["photo.png"]


def test_the_browsers_content_type_is_never_trusted(wb, block):
    result = wb.call(block, "upload_file", raw=HTML, query="name=page.pdf", content_type="application/pdf")
    assert result.error_code == "file_content" and result.json["error"]["field"] == "files"
    assert upload(wb, block, "x.svg", SVG).error_code == "file_type"
    assert not SubmissionFile.objects.exists()


def test_refusals_are_4xx_json_never_500(wb, block):
    assert upload(wb, block, "", PDF).status == 400  # no name
    assert wb.call(block, "upload_file", raw=PDF, method="GET").status == 405
    with override_settings(XBLOCK_SETTINGS={"bizmooc": {"PEER_FILE_MAX_BYTES": 16}}):
        too_big = upload(wb, block, "slides.pdf", PDF)
    assert too_big.status == 413 and too_big.error_code == "too_large"
    assert wb.call(block, "delete_file", {"file": "not-a-uuid"}).status == 404
    assert download(wb, block, "not-a-uuid", LEARNER_A).status == 404
    off = wb.load(peer_xml())
    assert upload(wb, off, "slides.pdf", PDF).error_code == "no_files"


def test_the_upload_goes_through_api_handlers_checks_in_their_order(wb, block):
    """Method, then role (a visitor learns nothing of the size or the shape), then size, then the
    query's shape; the body is the file's bytes, not JSON (a JSON body is just a bad file)."""
    with override_settings(XBLOCK_SETTINGS={"bizmooc": {"PEER_FILE_MAX_BYTES": 16}}):
        signed_out = upload(wb, block, "slides.pdf", PDF, user=LMS_ANONYMOUS)
    assert (signed_out.status, signed_out.error_code) == (403, "not_signed_in")
    no_name = wb.call(block, "upload_file", raw=PDF, content_type="application/octet-stream")
    assert (no_name.status, no_name.error_code, no_name.json["error"]["field"]) == (400, "missing_field", "name")
    as_json = wb.call(block, "upload_file", {"text": "x"}, query="name=answer.pdf")
    assert as_json.error_code == "file_content"
    long_name = upload(wb, block, "a" * 1001 + ".pdf", PDF)
    assert long_name.status == 400
    assert not SubmissionFile.objects.exists()


def test_files_freeze_when_the_work_is_submitted(wb, block, reviewed):
    file_id, _lease = reviewed
    assert upload(wb, block, "late.pdf", PDF).error_code == "already_submitted"
    assert wb.call(block, "delete_file", {"file": file_id}).error_code == "already_submitted"


def test_a_required_file_is_needed_to_submit(wb):
    usage_id = wb.load(peer_xml(files_mode="required"))
    refused = submit(wb, usage_id)
    assert refused.error_code == "files_required" and refused.json["error"]["field"] == "files"
    assert upload(wb, usage_id, "slides.pdf", PDF).status == 200
    assert submit(wb, usage_id).status == 200


def test_text_is_optional_only_when_files_are_required_and_no_fewest_words_set():
    assert files.text_optional("required", 0)
    assert not files.text_optional("required", 50)
    assert not files.text_optional("optional", 0)
    assert not files.text_optional("off", 0)


@pytest.mark.parametrize("files_mode, min_words, accepted", [
    ("required", 0, True),  # the slides are the work
    ("required", 20, False),  # the course team asked for words too
    ("optional", 0, False),  # nothing else to review
])
def test_files_alone_are_the_work_only_where_files_are_required(wb, files_mode, min_words, accepted):
    usage_id = wb.load(peer_xml(files_mode=files_mode, min_words=min_words))
    assert upload(wb, usage_id, "slides.pdf", PDF).status == 200
    result = submit(wb, usage_id, text="   ")
    if accepted:
        assert result.status == 200, result.text
    else:
        assert (result.error_code, result.json["error"]["field"]) == ("empty", "text")


def test_the_author_downloads_their_file_under_their_own_name(wb, block, reviewed):
    file_id, _lease = reviewed
    mine = download(wb, block, file_id, LEARNER_A)
    assert mine.status == 200 and mine.response.body == PDF
    assert mine.response.headers["Content-Disposition"].startswith('attachment; filename="slides Anna.pdf"')


def test_a_reviewer_downloads_an_attachment_under_a_neutral_name(wb, block, reviewed):
    file_id, lease = reviewed
    assert [(f["id"], f["name"]) for f in lease["files"]] == [(file_id, "work-1.pdf")]
    assert "Anna" not in json.dumps(lease)
    assert [f["name"] for f in state(wb, block, LEARNER_B)["peer"]["lease"]["files"]] == ["work-1.pdf"]
    got = download(wb, block, file_id, LEARNER_B)
    headers = got.response.headers
    assert got.status == 200 and got.response.body == PDF
    assert headers["Content-Disposition"] == "attachment; filename=\"work-1.pdf\"; filename*=UTF-8''work-1.pdf"
    assert headers["Content-Type"] == "application/pdf"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in headers["Content-Security-Policy"]
    assert "no-store" in headers["Cache-Control"]


def test_another_learner_gets_404_as_if_there_were_no_file(wb, block, reviewed):
    file_id, _lease = reviewed
    assert submit(wb, block, user=LEARNER_C).status == 200
    refused = download(wb, block, file_id, LEARNER_C)
    assert refused.status == 404 and refused.error_code == "no_file"
    assert wb.call(block, "delete_file", {"file": file_id}, user=LEARNER_B).status in (404, 409)


def test_a_reviewer_keeps_access_after_the_review_and_staff_see_the_own_name(wb, block, reviewed):
    file_id, lease = reviewed
    done = wb.call(block, "submit_review", {"lease": lease["id"], "scores": {"ideas": "good", "evidence": "solid",
                                                                             "organisation": "clear"},
                                            "comments": {}, "feedback": "Good."}, user=LEARNER_B)
    assert done.status == 200, done.text
    assert download(wb, block, file_id, LEARNER_B).status == 200
    staff = download(wb, block, file_id, STAFF)
    assert 'filename="slides Anna.pdf"' in staff.response.headers["Content-Disposition"]
    public_id = state(wb, block)["submission"]["id"]
    seen = get(wb, block, "staff_submission", user=STAFF, query=f"submission={public_id}").json
    assert [f["name"] for f in seen["submission"]["files"]] == ["slides Anna.pdf"]
    rows = get(wb, block, "export_csv", user=STAFF, query="what=submissions").csv_dicts
    assert [r["files"] for r in rows if r["submission"] == public_id] == [f"slides Anna.pdf ({len(PDF)} bytes)"]


def test_download_my_data_lists_the_learners_files(wb, block, reviewed):
    data = json.loads(get(wb, block, "download_my_data").response.body)
    assert [(f["name"], f["size"], f["content_type"]) for f in data["files"]] == [
        ("slides Anna.pdf", len(PDF), "application/pdf")]


def test_retirement_deletes_the_rows_and_the_stored_files(wb, block, reviewed, django_capture_on_commit_callbacks):
    stored = SubmissionFile.objects.get().storage_name
    assert file_storage().exists(stored)
    with django_capture_on_commit_callbacks(execute=True):
        retire_anonymous_ids([LEARNER_A])
    assert not SubmissionFile.objects.exists()
    assert not file_storage().exists(stored)


def test_a_removed_file_leaves_the_storage_once_committed(wb, block, django_capture_on_commit_callbacks):
    file_id = upload(wb, block, "slides.pdf", PDF).json["file"]
    stored = SubmissionFile.objects.get().storage_name
    with django_capture_on_commit_callbacks(execute=True):
        assert wb.call(block, "delete_file", {"file": file_id}).status == 200
    assert not file_storage().exists(stored)


# The page ------------------------------------------------------------------------------------

def test_the_upload_script_is_loaded_only_where_the_block_takes_files(wb, block):
    args = json.loads(wb.block(block).student_view({}).json_init_args["bizmooc"])
    conf = args["config"]["files"]
    assert conf["script"] == PREFIX + "peer_review/static/js/peer_review_files.js"
    assert (conf["required"], conf["max_files"], conf["max_mb"]) == (False, 2, "10")
    assert ".pdf" in conf["accept"] and ".svg" not in conf["accept"] and ".html" not in conf["accept"]
    assert set(conf["strings"]) >= {"label_optional", "remove_name", "download"}
    fragment = wb.block(block).student_view({})
    learner = own_files(fragment, PEER)
    assert sorted(learner) == ["peer_review/static/css/peer_review.css", "peer_review/static/js/peer_review.js"]
    assert weight(learner) <= BUDGET
    with type(wb.block(block)).open_local_resource(conf["script"][len(PREFIX):]) as served:
        assert served.read().startswith(b"/* Peer review: files")
    off = wb.load(peer_xml())
    assert json.loads(wb.block(off).student_view({}).json_init_args["bizmooc"])["config"]["files"] is None


def test_the_operator_ceiling_bounds_the_course_teams_size(wb):
    usage_id = wb.load(peer_xml(files_mode="optional", max_file_mb=15))
    with override_settings(XBLOCK_SETTINGS={"bizmooc": {"PEER_FILE_MAX_BYTES": 5 * files.MB}}):
        block = wb.block(usage_id)
        assert file_limits(block).max_bytes == 5 * files.MB
        conf = json.loads(block.student_view({}).json_init_args["bizmooc"])["config"]["files"]
        assert conf["max_mb"] == "5"  # what learners are told is what is accepted


@pytest.mark.parametrize("files_mode", ["off", "optional"])
def test_a_site_limit_below_the_course_teams_size_never_stops_studio_saving(wb, files_mode):
    # Tutor's web server takes request bodies of 4 MB; the editor's default is 10 MB.
    usage_id = wb.load(peer_xml())
    with override_settings(XBLOCK_SETTINGS={"bizmooc": {"PEER_FILE_MAX_BYTES": 4 * 1000 * 1000}}):
        saved = wb.call(usage_id, "studio_submit", studio_values(files_mode=files_mode, max_file_mb=10),
                        user=STUDIO_STAFF)
        assert saved.status == 200, saved.text
        assert wb.block(usage_id).validate().empty
        assert file_limits(wb.block(usage_id)).max_bytes == 4 * 1000 * 1000


def test_files_on_need_at_least_one_kind():
    values = {"files_mode": "required", **{name: False for name in KIND_SETTINGS.values()}}
    assert [p.field for p in _file_problems(values)] == ["files_pdf"]
    assert not list(_file_problems(dict(values, files_mode="off")))


# Queries -------------------------------------------------------------------------------------

OWN = ("bizmooc_peer_review_",)


def test_uploads_downloads_and_the_page_take_constant_queries(wb, block, reviewed):
    file_id, _lease = reviewed
    figures = {}
    for n in range(3):  # more files and more learners change nothing
        learner = f"learner_q{n}"
        for _ in range(2):
            total, own, _result = count_queries(lambda: upload(wb, block, "slides.pdf", PDF, user=learner), OWN)
            figures.setdefault("upload", set()).add(own)
        figures.setdefault("reviewer_download", set()).add(
            count_queries(lambda: download(wb, block, file_id, LEARNER_B), OWN)[1])
        figures.setdefault("state", set()).add(
            count_queries(lambda: get(wb, block, "state", user=LEARNER_B), OWN)[1])
    # upload: the work (locked), the count, the row, the list answered; a reviewer's download: the
    # file, the reviewer's lease or review, the work's files (its number); the reviewer's STATE:
    # the 3 of test_peer_review_queries, the review draft, their own files, the leased work's files.
    assert figures == {"upload": {4}, "reviewer_download": {3}, "state": {6}}
