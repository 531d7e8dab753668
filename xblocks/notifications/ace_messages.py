"""The suite's edx-ace message types, one per e-mail kind (imported only where edx-ace is).

Templates: templates/bizmooc_notifications/edx_ace/<kind>/email/{subject.txt, from_name.txt,
head.html, body.html, body.txt}, ACE's layout; each extends the shared one under `common/`, so an operator
can override one kind's e-mail with a template of the same path. The texts arrive translated
(delivery.words), so the templates hold no words of their own.
"""
from edx_ace.message import MessageType
from edx_ace.recipient import Recipient

from .kinds import EMAIL, KINDS

APP_LABEL = "bizmooc_notifications"


class BizmoocMessageType(MessageType):
    APP_LABEL = APP_LABEL

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # About the learner's own work in a course they take: sent even where the default
        # channel is a marketing one (ACE_CHANNEL_TRANSACTIONAL_EMAIL first).
        self.options["transactional"] = True


class ReviewsReceived(BizmoocMessageType):
    NAME = "reviews_received"


class ReviewReminder(BizmoocMessageType):
    NAME = "review_reminder"


class IdeaResponse(BizmoocMessageType):
    NAME = "idea_response"


class VotingOpen(BizmoocMessageType):
    NAME = "voting_open"


class JournalReply(BizmoocMessageType):
    NAME = "journal_reply"


MESSAGE_TYPES = {cls.NAME: cls for cls in (ReviewsReceived, ReviewReminder, IdeaResponse, VotingOpen, JournalReply)}
assert set(MESSAGE_TYPES) == {name for name, kind in KINDS.items() if kind.channel == EMAIL}


def message_for(kind, activity, context, lms_user_id, email, language=None):
    """The ACE message for one learner: the kind's type, personalised, in the learner's language."""
    from .delivery import words

    return MESSAGE_TYPES[kind.name]().personalize(
        recipient=Recipient(lms_user_id=lms_user_id, email_address=email),
        language=language,
        user_context=words(kind, activity, context, language),
    )
