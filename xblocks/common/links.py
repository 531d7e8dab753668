"""The one check for every web address a course team or a learner can store and others open.

A stored address ends up in an `href` on someone else's page (a licence link on every
learner's canvas, a resource link in a self-assessment profile, a peer's link submission),
so only plain web addresses pass: `http://` or `https://`, with a host and without
credentials. Everything a browser would run or load from elsewhere is refused, whatever its
disguise: `javascript:`, `data:`, `vbscript:`, protocol-relative `//host` and `/\\host`,
control, format or space characters inside (browsers drop a tab or a newline, so
"java\\tscript:" runs), and addresses longer than MAX_LENGTH.

Course-team HTML is not checked here: nh3 cleans it with its own scheme allow-list
(text.clean_html).
"""
import re
import unicodedata
from urllib.parse import urlsplit

MAX_LENGTH = 2000
_WEB = re.compile(r"^https?://[^/?#]", re.IGNORECASE)
_PATH = re.compile(r"^/[^/]")
# Control (Cc), format (Cf: zero-width, bidi overrides), separators (Z*), unassigned and private use.
_REFUSED_CATEGORIES = ("C", "Z")


def _has_hidden_characters(text):
    return "\\" in text or any(unicodedata.category(char)[0] in _REFUSED_CATEGORIES for char in text)


def safe_url(value, allow_path=False):
    """`value` without surrounding blanks if it is a web address safe to show as a link;
    else None.

    `allow_path` also admits a path on the same site ("/courses/..."), for links a course
    team sets to its own course; never "//host", which leaves the site.
    """
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > MAX_LENGTH or _has_hidden_characters(url):
        return None
    if allow_path and _PATH.match(url):
        return url
    if not _WEB.match(url):
        return None
    try:
        parts = urlsplit(url)
        host, _port = parts.hostname, parts.port  # .port raises ValueError for a port that is no port
    except ValueError:
        return None
    if not host or parts.username is not None or parts.password is not None:
        return None
    return url
