"""Every user-visible string is marked for translation, and every catalogue is complete.

- `scripts/i18n --check` extracts the marked strings again and compares them with the
  committed catalogues (missing or obsolete strings, untranslated or fuzzy entries in
  the six partner languages, stale .mo files).
- Templates: text outside `{% trans %}`/`{% blocktrans %}` is a string nobody can translate.
- Browser scripts: prose in a JavaScript literal would reach learners untranslated; the
  scripts get their strings from the server (BROWSER_STRINGS) instead.
"""
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(REPO.glob("xblocks/*/templates/**/*.html"))
SCRIPTS = sorted(REPO.glob("xblocks/*/static/js/*.js"))

_TAGS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|"  # a template comment is never shown
                   r"{%\s*(block)?trans\b.*?%}.*?{%\s*end(block)?trans\s*%}|{%.*?%}|{{.*?}}|{#.*?#}", re.S)
_TRANS = re.compile(r"{%\s*trans\s+\".*?\"\s*%}")
_HTML = re.compile(r"<[^>]+>|&[a-z]+;|&#\d+;", re.S)
_WORD = re.compile(r"[A-Za-z]{2,}")


def untranslated_text(template):
    """Words left in a template once tags, variables, trans blocks and markup are removed."""
    text = _TRANS.sub(" ", template)
    text = _TAGS.sub(" ", text)
    text = _HTML.sub(" ", text)
    return _WORD.findall(text)


def test_catalogues_are_complete_and_up_to_date():
    env = dict(os.environ, VENV_PYTHON=sys.executable)
    result = subprocess.run([str(REPO / "scripts/i18n"), "--check"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


def test_make_extract_translations_writes_the_english_source_where_openedx_translations_reads_it(tmp_path):
    planned = subprocess.run(["make", "-n", "extract_translations"], cwd=REPO, capture_output=True, text=True)
    assert planned.returncode == 0 and "scripts/i18n --source" in planned.stdout
    source = tmp_path / "django.po"
    env = dict(os.environ, VENV_PYTHON=sys.executable, I18N_SOURCE_OUT=str(source))
    result = subprocess.run([str(REPO / "scripts/i18n"), "--source"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "0 translated messages, " in result.stdout   # English source: every msgstr empty
    english = REPO / "xblocks/conf/locale/en/LC_MESSAGES/text.po"   # every string the suite shows
    for one, other in ((source, english), (english, source)):
        same = subprocess.run(["msgcmp", "--use-untranslated", str(one), str(other)], capture_output=True, text=True)
        assert same.returncode == 0, same.stderr[-2000:]
    header = source.read_text("utf-8")
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in header and '"Language: en\\n"' in header


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(REPO)))
def test_template_has_no_unmarked_text(path):
    assert untranslated_text(path.read_text("utf-8")) == []


def test_the_template_check_catches_unmarked_text():
    assert untranslated_text('<p>{% trans "Marked" %}</p><p>Forgotten words</p>') == ["Forgotten", "words"]
    marked = '<h3 class="x">{{ block.display_name }}</h3>{% blocktrans %}Ok {{ n }}{% endblocktrans %}'
    assert untranslated_text(marked) == []
    assert untranslated_text("{% comment %}Notes for developers{% endcomment %}<p>Shown</p>") == ["Shown"]


_STRING = re.compile(r"'((?:[^'\\\n]|\\.)*)'|\"((?:[^\"\\\n]|\\.)*)\"")


_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
_CLASS_LIST = re.compile(r"^[a-z0-9-]+( [a-z0-9-]+)*$")


def prose_literals(script):
    """String literals that read like a sentence for people (two words or more of letters),
    leaving out selectors, class lists and the 'use strict' directive."""
    found = []
    for match in _STRING.finditer(_COMMENT.sub(" ", script)):
        literal = match.group(1) if match.group(1) is not None else match.group(2)
        if literal == "use strict" or re.search(r"[.#\[\]=:>]", literal):
            continue
        if _CLASS_LIST.match(literal) and "-" in literal:
            continue
        if re.search(r"[A-Za-z]{2,} [A-Za-z]{2,}", literal):
            found.append(literal)
    return found


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: str(p.relative_to(REPO)))
def test_script_has_no_english_prose(path):
    assert prose_literals(path.read_text("utf-8")) == []


def test_the_script_check_catches_prose():
    assert prose_literals("el.textContent = 'Saved your draft';") == ["Saved your draft"]
    assert prose_literals("root.querySelector('.journal-text textarea');") == []
    assert prose_literals("'use strict'; el.className = 'bizmooc-button secondary'; // 'a comment here'") == []


_ESCAPED_QUOTE_IN_TRANS = re.compile(r'{%\s*trans\s+"[^"%]*\\"')


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(REPO)))
def test_template_trans_strings_have_no_escaped_quotes(path):
    """makemessages cuts `{% trans "a \\"b\\"" %}` at the backslash, so the sentence would
    never be found in a catalogue: quote such strings with single quotes instead."""
    assert not _ESCAPED_QUOTE_IN_TRANS.search(path.read_text("utf-8"))


def test_the_escaped_quote_check_catches_it():
    assert _ESCAPED_QUOTE_IN_TRANS.search('{% trans "The \\"From\\" level" %}')
    assert not _ESCAPED_QUOTE_IN_TRANS.search("{% trans 'The \"From\" level' %}")
