"""An idea as an artefact other components embed by reference (peer review): a read-only
rendering and a plain-text summary, found by the idea's public id, never showing who
posted it. Withdrawn ideas are not artefacts any more."""

from django.utils.html import format_html, format_html_join

from xblocks.common.errors import _
from xblocks.common.public_ids import parse_public_id

from .models import WITHDRAWN, Idea


def _load(artefact_id):
    public_id = parse_public_id(artefact_id)
    if public_id is None:
        return None
    return Idea.objects.filter(public_id=public_id).exclude(status=WITHDRAWN).first()


class IdeaArtefacts:
    """Provider registered with xblocks.common.artefacts under the kind "idea"."""

    label = _("Idea")  # how a course team choosing the kind of work reads it

    def snapshot(self, artefact_id):
        idea = _load(artefact_id)
        if idea is None:
            return None
        return {"title": idea.title, "text": idea.text, "tags": list(idea.tags)}

    def render_snapshot(self, snapshot, gettext):
        if not snapshot:
            return None
        tags = snapshot.get("tags") or []
        items = format_html_join("", '<li class="ib-tag">{}</li>', ((tag,) for tag in tags))
        return format_html(
            '<article class="bizmooc-artefact bizmooc-idea"><h4 class="ib-idea-title">{}</h4>'
            '<p class="ib-idea-text">{}</p>{}</article>',
            snapshot.get("title", ""), snapshot.get("text", ""),
            format_html('<ul class="ib-tags" aria-label="{}">{}</ul>', gettext(_("Tags")), items) if tags else "")

    def render(self, artefact_id, gettext):
        return self.render_snapshot(self.snapshot(artefact_id), gettext)

    def summary(self, artefact_id):
        idea = _load(artefact_id)
        if idea is None:
            return None
        return f"{idea.title}\n\n{idea.text}".strip()

    def choices(self, course_id, user_id, gettext):  # pylint: disable=unused-argument
        ideas = Idea.objects.filter(course_id=course_id, author=user_id).exclude(status=WITHDRAWN) \
            .order_by("-created", "-id").values_list("public_id", "title")
        return [{"id": str(public_id), "label": title} for public_id, title in ideas]

    def owner(self, artefact_id):
        idea = _load(artefact_id)
        return (idea.course_id, idea.author) if idea else None
