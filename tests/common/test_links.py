"""The one check for stored web addresses: plain http(s) links pass, anything a browser would
run, load from elsewhere or read differently from what the course team saw is refused."""
import pytest

from xblocks.common.links import MAX_LENGTH, safe_url

GOOD = [
    ("https://creativecommons.org/licenses/by-sa/3.0/", "https://creativecommons.org/licenses/by-sa/3.0/"),
    ("http://example.org", "http://example.org"),
    ("HTTPS://Example.org/Path?q=1#top", "HTTPS://Example.org/Path?q=1#top"),
    ("  https://example.org/a  ", "https://example.org/a"),   # pasted with blanks around it
    ("https://example.org:8443/x", "https://example.org:8443/x"),
    ("https://bg.wikipedia.org/wiki/Иновация", "https://bg.wikipedia.org/wiki/Иновация"),
    ("https://example.org/" + "a" * (MAX_LENGTH - 20), "https://example.org/" + "a" * (MAX_LENGTH - 20)),
]
BAD = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "javascript&#58;alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "/\\evil.example/x",
    "https:\\\\evil.example",
    "https:/evil.example",
    "https://",
    "https:///path",
    "https://exa mple.org",
    "https://example.org/a\u200bb",        # zero-width space
    "https://example.org/\u202egnp.exe",   # right-to-left override
    "https://example.org/\x00",
    "https://user:pass@example.org/",
    "https://trusted.example@evil.example/",
    "https://example.org:99999/",
    "ftp://example.org/file",
    "mailto:someone@example.org",
    "example.org",
    "/courses/course-v1:x/jump_to/y",       # a path: only where paths are allowed
    "https://example.org/" + "a" * MAX_LENGTH,
    "",
    "   ",
    None,
    42,
]


@pytest.mark.parametrize("value, clean", GOOD)
def test_plain_web_addresses_pass_without_surrounding_blanks(value, clean):
    assert safe_url(value) == clean


@pytest.mark.parametrize("value", BAD)
def test_everything_else_is_refused(value):
    assert safe_url(value) is None


def test_same_site_paths_pass_only_where_allowed_and_never_leave_the_site():
    assert safe_url("/courses/course-v1:x/jump_to/y", allow_path=True) == "/courses/course-v1:x/jump_to/y"
    for value in ("//evil.example/x", "/\\evil.example", "/", "/a\tb", "javascript:alert(1)"):
        assert safe_url(value, allow_path=True) is None, value
