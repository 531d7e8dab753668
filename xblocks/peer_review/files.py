"""Files learners upload with their work: which kinds a course team may allow, and what an
uploaded file is, judged from its bytes. Free of XBlock and the database (tested on its own).

A file is accepted when its name's extension belongs to a kind the course team allowed AND its
leading bytes are that format's (its "magic"): the browser's content type is never read. The
content type stored and served is the one this module names for the extension, never the
browser's. Office formats are ZIP (OOXML, OpenDocument) or OLE2 (the 1997-2003 formats) files:
a ZIP must also hold the parts of its format (`[Content_Types].xml` and `word/`, `ppt/`, `xl/`;
an OpenDocument's `mimetype`), so a renamed archive is refused. SVG, HTML, XML, scripts and
anything else is no kind at all: it can never be uploaded, and so never served.

Names: only the last part of what the browser sends (a path from an old browser or a crafted
request is cut at the last slash or backslash), Unicode in NFC, control and bidirectional
override characters removed, at most 200 characters (the extension kept). The name is shown to
the author and staff only; reviewers download "work-<n>.<ext>" (`neutral_name`).
"""
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from urllib.parse import quote

from xblocks.common.errors import _, bad_request

MAX_NAME = 200
MB = 1024 * 1024

PDF, IMAGE, DOCUMENT, SPREADSHEET, PRESENTATION = "pdf", "image", "document", "spreadsheet", "presentation"
KINDS = (PDF, IMAGE, DOCUMENT, SPREADSHEET, PRESENTATION)

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class Format:
    kind: str
    content_type: str
    magic: tuple  # any of these leading byte strings
    zip_parts: tuple = ()  # a ZIP format: names (or name prefixes, ending in "/") it must hold
    odf: str = ""  # an OpenDocument format: its `mimetype` entry
    image: bool = False  # a raster image: shown as an image/* download, never as a page


def _ooxml(kind, folder, content_type):
    return Format(kind, content_type, (ZIP,), zip_parts=("[Content_Types].xml", folder))


def _odf(kind, content_type):
    return Format(kind, content_type, (ZIP,), odf=content_type)


# extension -> Format. Only raster images: an SVG is a page with scripts.
FORMATS = {
    "pdf": Format(PDF, "application/pdf", (b"%PDF-",)),
    "png": Format(IMAGE, "image/png", (b"\x89PNG\r\n\x1a\n",), image=True),
    "jpg": Format(IMAGE, "image/jpeg", (b"\xff\xd8\xff",), image=True),
    "jpeg": Format(IMAGE, "image/jpeg", (b"\xff\xd8\xff",), image=True),
    "gif": Format(IMAGE, "image/gif", (b"GIF87a", b"GIF89a"), image=True),
    "webp": Format(IMAGE, "image/webp", (b"RIFF",), image=True),  # and "WEBP" at byte 8 (_magic_matches)
    "docx": _ooxml(DOCUMENT, "word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "odt": _odf(DOCUMENT, "application/vnd.oasis.opendocument.text"),
    "doc": Format(DOCUMENT, "application/msword", (OLE2,)),
    "xlsx": _ooxml(SPREADSHEET, "xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ods": _odf(SPREADSHEET, "application/vnd.oasis.opendocument.spreadsheet"),
    "xls": Format(SPREADSHEET, "application/vnd.ms-excel", (OLE2,)),
    "pptx": _ooxml(PRESENTATION, "ppt/",
                   "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "odp": _odf(PRESENTATION, "application/vnd.oasis.opendocument.presentation"),
    "ppt": Format(PRESENTATION, "application/vnd.ms-powerpoint", (OLE2,)),
}


def extensions_of(kinds):
    """The extensions of the allowed kinds, in a stable order (the file input's `accept`)."""
    return [ext for ext, found in FORMATS.items() if found.kind in kinds]


@dataclass(frozen=True)
class Limits:
    """What a course team allows: kinds, bytes per file (already bounded by the operator's
    ceiling), files per submission."""

    kinds: tuple
    max_bytes: int
    max_files: int


@dataclass(frozen=True)
class Checked:
    name: str
    extension: str
    content_type: str
    kind: str
    size: int


_UNSAFE = re.compile(r"[\x00-\x1f\x7f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def clean_name(raw):
    """The file's own name as shown to its author and staff (see the module docstring); "" if
    nothing is left."""
    name = unicodedata.normalize("NFC", str(raw or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("", name).strip().strip(".").strip()
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[:MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:MAX_NAME]
    return name


def extension_of(name):
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def _zip_holds(content, found):
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if found.odf:
                return "mimetype" in names and archive.read("mimetype").strip() == found.odf.encode("ascii")
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, NotImplementedError, RuntimeError, EOFError):
        return False
    return all(any(n == part or (part.endswith("/") and n.startswith(part)) for n in names)
               for part in found.zip_parts)


def _magic_matches(content, found):
    if not any(content.startswith(magic) for magic in found.magic):
        return False
    if found.content_type == "image/webp" and content[8:12] != b"WEBP":
        return False
    return _zip_holds(content, found) if found.magic == (ZIP,) else True


def check_file(raw_name, content, limits, count_before):
    """The upload, checked against the course team's limits: a Checked, or a 400 naming what is
    wrong (field "files"). `count_before`: the files the work already has."""
    if count_before >= limits.max_files:
        raise bad_request("too_many_files", _("You can add at most {n} files."), field="files", n=limits.max_files)
    name = clean_name(raw_name)
    extension = extension_of(name)
    allowed = extensions_of(limits.kinds)
    if not name or extension not in allowed:
        raise bad_request("file_type", _("This type of file cannot be uploaded here. Allowed: {types}."),
                          field="files", types=", ".join(allowed))
    if not content:
        raise bad_request("empty_file", _("This file is empty."), field="files")
    if len(content) > limits.max_bytes:
        raise bad_request("file_too_large", _("This file is larger than {size} MB."), field="files",
                          size=format_mb(limits.max_bytes))
    found = FORMATS[extension]
    if not _magic_matches(content, found):
        raise bad_request("file_content", _("This file's content does not match its type ({ext})."), field="files",
                          ext=extension.upper())
    return Checked(name, extension, found.content_type, found.kind, len(content))


def text_optional(files_mode, min_words):
    """Whether a text answer may stay empty: when files are required and no fewest words is
    set, the files are the work (slides, a report) and the text is a note to the reviewers."""
    return files_mode == "required" and not min_words


def format_mb(size):
    """Bytes as megabytes for a message: "10", "2.5"."""
    return f"{size / MB:.1f}".removesuffix(".0")


def neutral_name(position, extension):
    """What a reviewer's download is called: "work-1.pdf"; never the author's own name."""
    return f"work-{position}.{extension}"


def served_type(content_type):
    """The content type a download is served with: one of FORMATS' (a stored value from
    elsewhere becomes application/octet-stream)."""
    known = {found.content_type for found in FORMATS.values()}
    return content_type if content_type in known else "application/octet-stream"


def content_disposition(name):
    """`attachment` with the name as ASCII and as RFC 6266/5987 UTF-8 (quotes and
    backslashes removed): never inline."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r'["\\;\x00-\x1f\x7f]', "", ascii_name).strip() or "file"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name, safe='')}"
