"""The kinds of notification, how each travels, and its words.

The words are marked with `_` for the suite's one catalogue (scripts/i18n extracts them) and
translated when a message is built, in the recipient's language (delivery.py). They name the
activity and, for an idea, the recipient's own idea; never another learner ("a peer").
"""
from dataclasses import dataclass, field

from xblocks.common.errors import _

EMAIL = "email"  # an edx-ace message type of the suite's own (ace_messages.py)
PLATFORM = "platform"  # Open edX's notifications: the only type that fits, ora_grade_assigned


@dataclass(frozen=True)
class Kind:
    name: str
    component: str  # "peer_review", "idea_board" or "journal": who calls it, where it is offered
    channel: str
    required: tuple = ()  # context keys the caller must give (per batch or per recipient)
    subject: str = ""
    bodies: dict = field(default_factory=dict)  # {variant: text}; the variant is context["variant"]


KINDS = {kind.name: kind for kind in [
    Kind("reviews_received", "peer_review", EMAIL,
         subject=_("New feedback on your work in {activity}"),
         bodies={"": _("A peer has reviewed your work in {activity}.")}),
    Kind("grade_ready", "peer_review", PLATFORM, required=("points_earned", "points_possible")),
    Kind("review_reminder", "peer_review", EMAIL, required=("count",),
         subject=_("Your peers are waiting for your reviews in {activity}"),
         bodies={"": _("Reviews still to give in {activity}: {count}.")}),
    Kind("idea_response", "idea_board", EMAIL, required=("idea", "variant"),
         subject=_("A peer responded to your idea in {activity}"),
         bodies={"commented": _("A peer commented on your idea “{idea}”."),
                 "built_on": _("A peer built on your idea “{idea}”.")}),
    Kind("voting_open", "idea_board", EMAIL,
         subject=_("Voting is open in {activity}"),
         bodies={"": _("The ideas in {activity} are ready for your votes.")}),
    Kind("journal_reply", "journal", EMAIL,
         subject=_("The course team replied to your journal entry"),
         bodies={"": _("The course team replied to your entry in {activity}.")}),
]}

LINK_TEXT = _("Open the activity")
FOOTER = _("You can turn off these messages in the activity.")


def kinds_of(component=None):
    """The kinds a component sends (every kind for None), in a stable order."""
    return [name for name, kind in KINDS.items() if component in (None, kind.component)]


def kind_named(name):
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown notification kind {name!r}; known: {', '.join(KINDS)}") from None
