"""The server's word count (xblocks/common/text.py word_count) gives the counts of
tests/js/word_count_cases.json, which tests/js/word_count.test.mjs checks with the page's
rule (BizMOOC.wordCount in xblocks/common/static/js/bizmooc.js): limits are enforced on
the count the learner sees."""
import json
from pathlib import Path

import pytest

from xblocks.common.text import word_count

CASES = json.loads((Path(__file__).parents[1] / "js" / "word_count_cases.json").read_text(encoding="utf-8"))["cases"]


@pytest.mark.parametrize("case", CASES, ids=[case["why"] for case in CASES])
def test_word_count_matches_the_shared_cases(case):
    assert word_count(case["text"]) == case["words"]
