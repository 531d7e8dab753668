"""/notifications/: what the suite would have sent, from the outbox (xblocks/notifications).

Workbench learners are no platform users, so every notification stays in the outbox
("unresolved"); this page renders each e-mail kind with edx-ace's own renderer and the app's
templates, in the page's language, and names the platform notification the grade would be.
"""
from django.shortcuts import render
from django.utils import translation

from xblocks.notifications.api import Activity
from xblocks.notifications.kinds import EMAIL, KINDS
from xblocks.notifications.models import Notification

SHOWN = 100


def _preview(row):
    kind = KINDS.get(row.kind)
    if kind is None:
        return {"subject": row.kind, "body": ""}
    activity = Activity(row.course_id, row.usage_id, row.activity_name)
    if kind.channel != EMAIL:
        return {"subject": "Open edX notification ora_grade_assigned (app grading)",
                "body": f"{row.context.get('points_earned')} / {row.context.get('points_possible')}"}
    from edx_ace import presentation
    from edx_ace.channel.django_email import DjangoEmailChannel

    from xblocks.notifications.ace_messages import message_for

    message = message_for(kind, activity, row.context, None, f"{row.user_id}@workbench.invalid",
                          translation.get_language())
    rendered = presentation.render(DjangoEmailChannel(), message)
    return {"subject": rendered.subject.strip(), "body": rendered.body.strip()}


def notifications_page(request):
    rows = list(Notification.objects.order_by("-created", "-id")[:SHOWN])
    return render(request, "bizmooc_notifications_page.html", {
        "notifications": [(row, _preview(row)) for row in rows],
        "shown": SHOWN,
    })
