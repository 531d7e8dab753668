"""Public ids from requests and other components: malformed ones are "not found", not a 500."""
import uuid

import pytest

from xblocks.common.errors import ApiError, _
from xblocks.common.public_ids import parse_public_id, public_id_or_404

GOOD = uuid.UUID("12345678-1234-5678-1234-567812345678")


@pytest.mark.parametrize("value", [str(GOOD), GOOD, str(GOOD).upper(), GOOD.hex])
def test_a_public_id_in_any_spelling_is_read(value):
    assert parse_public_id(value) == GOOD
    assert public_id_or_404(value, _("There is no such canvas.")) == GOOD


@pytest.mark.parametrize("value", ["", None, "42", "not-a-uuid", "12345678-1234-5678-1234-56781234567g", "💡"])
def test_a_malformed_id_names_nothing_and_answers_404_with_the_callers_message(value):
    assert parse_public_id(value) is None
    with pytest.raises(ApiError) as refused:
        public_id_or_404(value, _("There is no such review of your work."), code="no_review")
    assert (refused.value.status, refused.value.code) == (404, "no_review")
    assert refused.value.translated(lambda text: text) == "There is no such review of your work."
