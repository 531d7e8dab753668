"""Text rules shared by every component: word counting and cleaning course-team HTML.

Learner text is never cleaned into HTML: it is stored as typed and escaped on output.
Only course-team HTML (prompts, instructions) goes through `clean_html`; `plain_text` gives
the words a person reads in it, for exports, lists and labels.
"""
import html as html_lib
import re

import nh3

_WORD = re.compile(r"[\w'’-]+", re.UNICODE)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "em", "h3", "h4", "h5", "i", "li",
    "ol", "p", "pre", "strong", "sub", "sup", "u", "ul", "span", "img", "figure", "figcaption",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "target"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "span": {"lang"},
    "p": {"lang"},
}


def word_count(text):
    """Words as a learner counts them: runs of letters/digits, apostrophes and hyphens kept inside."""
    return len(_WORD.findall(text or ""))


def clean_html(html):
    """Course-team HTML with scripts, handlers and styles removed; links get rel=noopener."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        link_rel="noopener noreferrer",
        url_schemes={"http", "https", "mailto"},
    )


def plain_text(html):
    """Course-team HTML reduced to the text a person reads: tags (and script or style
    content) dropped, whitespace collapsed, entities decoded ("&amp;" is "&").

    The result is plain text, stored and exported as it is and escaped once, where it is
    shown (templates autoescape). nh3 returns HTML even with no tags allowed, so without
    the unescape a prompt "Strengths & weaknesses" was stored, exported and shown as
    "Strengths &amp; weaknesses".
    """
    return " ".join(html_lib.unescape(nh3.clean(html or "", tags=set())).split())
