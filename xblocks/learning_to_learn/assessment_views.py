"""What the self-assessment shows: the rating form, the learner's profile (radar chart,
table, area averages, change since earlier phases, cohort average, feedback), the
printable profile, the staff report, the Studio editor, exports and report rows.
Presentation only: reads and rules come from `assessment_service`, numbers from `assessment`."""
import json

from django.utils.formats import number_format
from django.utils.translation import get_language

from xblocks.common import reports, seams, settings_form
from xblocks.common.errors import _
from xblocks.common.text import clean_html

from . import assessment, frameworks
from . import assessment_service as service
from .assessment_settings import PHASE_LABELS

JS_CLASS = "BizMOOCSelfAssessment"
OWN_JS = "static/js/self_assessment.js"
OWN_CSS = "static/css/self_assessment.css"

BROWSER_STRINGS = {
    "missing": _("Rate every competence before submitting. Competences without an answer: {count}."),
    "submitted": _("Your answers are saved. Your profile is below."),
    "error_generic": _("Something went wrong. Please try again."),
    "error_offline": _("You are offline. Your answers are still on this page; please try again when connected."),
    "loading": _("Loading…"),
    "step": _("{count} of {total}"),
    "saving": _("Saving…"),
    "saved": _("Draft saved"),
    "unsaved": _("Unsaved changes"),
    "offline": _("Not saved yet: no connection. Your answers are kept on this device and will be sent when you are "
                 "back online."),
    "conflict": _("Your answers were also changed in another tab or on another device; the answers on this page "
                  "are kept."),
}


def _strings(block, strings=BROWSER_STRINGS):
    return {key: block.gettext(text) for key, text in strings.items()}


def _fmt(value):
    """A level or an average as the learner's language writes it: 3, 2.8 or 2,8."""
    if value is None:
        return ""
    value = round(value, 1)
    return str(int(value)) if value == int(value) else number_format(value, decimal_pos=1)


def _competence_rows(framework, current, earlier, cohort):
    """The profile's table: a row per competence, with the earlier level, change and cohort."""
    response, ratings = current
    changes = assessment.change(ratings, earlier) if earlier else {}
    area_titles = {area.id: area.title for area in framework.areas}
    return [{
        "competence": competence,
        "area": area_titles[competence.area_id],
        "level": framework.level(ratings[competence.id]) if ratings.get(competence.id) is not None else None,
        "earlier": _fmt(earlier.get(competence.id)) if earlier else "",
        "change": _signed(changes.get(competence.id)),
        "cohort": _fmt(cohort.get(competence.id)) if cohort else "",
        "evidence": response.evidence.get(competence.id, ""),
    } for competence in framework.competences]


def _area_rows(framework, ratings, earlier):
    """Each area's average now and earlier, and the change between them."""
    now = dict((a.id, avg) for a, avg in assessment.area_averages(framework, ratings))
    before = dict((a.id, avg) for a, avg in assessment.area_averages(framework, earlier)) if earlier else {}
    return [{"title": a.title, "now": _fmt(now.get(a.id)), "before": _fmt(before.get(a.id)),
             "change": _signed(None if now.get(a.id) is None or before.get(a.id) is None
                               else now[a.id] - before[a.id])} for a in framework.areas]


def profile_context(block, caller, responses=None):
    """Everything the profile shows, for one learner, in a constant number of queries.

    `responses` are the learner's answers when the caller has already read them."""
    framework = block.framework
    if responses is None:
        responses = service.learner_responses(block, caller.user_id)
    current = responses.get(block.phase_key)
    if current is None:
        return None
    ratings = current[1]
    earlier_phase = service.earlier_phase(block, responses)
    earlier = responses[earlier_phase][1] if earlier_phase else None
    cohort, cohort_note = None, ""
    if block.show_cohort:
        cohort, needed = service.cohort_averages(block)
        if cohort is None:
            cohort_note = block.gettext(
                _("The cohort average appears when enough learners have answered (minimum: {needed}).")
            ).format(needed=needed)
    rows = _competence_rows(framework, current, earlier, cohort)
    series = [("you", ratings)]
    if earlier:
        series.append(("earlier", earlier))
    if cohort:
        series.append(("cohort", cohort))
    return {
        "block": block,
        "framework": framework,
        "response": current[0],
        "phase_label": block.gettext(PHASE_LABELS[block.phase_key]),
        "earlier_label": block.gettext(PHASE_LABELS[earlier_phase]) if earlier_phase else "",
        "rows": rows,
        "radar": assessment.radar(framework, series),
        "axis_names": "; ".join(competence.title for competence in framework.competences),
        "has_earlier": bool(earlier),
        "has_cohort": bool(cohort),
        "has_evidence": any(row["evidence"] for row in rows),
        "cohort_note": cohort_note,
        "areas": _area_rows(framework, ratings, earlier),
        "feedback": assessment.feedback_for(framework, block.parsed_feedback, ratings),
        "can_revise": block.revisions_open(),
        "printable_url": block.runtime.handler_url(block, "download_profile"),
    }


def _signed(value):
    if value is None:
        return ""
    return ("+" if value > 0 else "") + _fmt(value)


def _with_radar(block, context, svg_class, dots):
    """The profile's context with its radar chart rendered (templates/self_assessment/radar.html)."""
    context["radar_svg"] = block.render_template("self_assessment/radar.html", {
        "block": block, "radar": context["radar"], "axis_names": context["axis_names"], "svg_class": svg_class,
        "dots": dots})
    return context


def profile_html(block, caller, responses=None):
    context = profile_context(block, caller, responses)
    if not context:
        return ""
    return block.render_template("self_assessment/profile.html", _with_radar(block, context, "sa-radar-chart", True))


def printable_html(block, caller):
    context = profile_context(block, caller)
    context = _with_radar(block, context, "sa-radar-print", False) if context else {
        "block": block, "framework": block.framework, "rows": []}
    context.update(lang=get_language() or "en", css_url=block.static_url(OWN_CSS),
                   learner_name=seams.display_name_of(block))
    return block.render_template("self_assessment/printable.html", context)


def _form_context(block, current, draft=None):
    """The form's answers: the draft's where there is one (a first answer or a revision in
    progress), then the learner's current answers."""
    framework = block.framework
    ratings = current[1] if current else {}
    evidence = current[0].evidence if current else {}
    if draft is not None:  # what the page last sent: its evidence as it is, its ratings over the answers
        ratings, evidence = {**ratings, **draft.ratings}, draft.evidence
    areas = []
    for area in framework.areas:
        areas.append({"area": area, "competences": [
            {"competence": c, "value": ratings.get(c.id, "unset"), "evidence": evidence.get(c.id, "")}
            for c in area.competences]})
    return {"framework": framework, "areas": areas, "version": draft.version if draft is not None else 0}


def form_html(block, current, draft=None):
    """The rating form, filled with the learner's draft or current answers; `version` is the
    draft's, for the autosave's compare-and-set."""
    context = _form_context(block, current, draft)
    context.update(block=block, answered=current is not None)
    return block.render_template("self_assessment/form.html", context)


# A learner who has not answered yet gets the blank form, the same HTML for every learner of
# the block (same settings, same language): it is rendered once per process and kept, since its
# 15 x 9 radio buttons with their descriptors cost more to render than the rest of the page
# (on a Teak LMS the page took 1.30-1.39x the platform's html block without this).
_blank_forms = {}
_BLANK_FORMS_LIMIT = 256


def _blank_form_key(block):
    """Everything the blank form depends on: the block (its element ids), the language, the
    framework settings and whether evidence is asked for."""
    custom = json.dumps(block.custom_framework, sort_keys=True) if block.framework_choice == "custom" else ""
    return (block.usage_key_str, get_language(), block.framework_choice, custom, block.ask_evidence)


def blank_form_html(block):
    key = _blank_form_key(block)
    html = _blank_forms.get(key)
    if html is None:
        if len(_blank_forms) >= _BLANK_FORMS_LIMIT:
            _blank_forms.clear()
        html = _blank_forms[key] = form_html(block, None)
    return html


def student_fragment(block, caller):
    if not caller.is_authenticated:
        html = block.render_template("self_assessment/signed_out.html", {"block": block})
        return block.fragment_for(html, JS_CLASS, {"signed_out": True}, OWN_JS, OWN_CSS)
    responses = service.learner_responses(block, caller.user_id)
    current = responses.get(block.phase_key)
    draft = None if current else service.learner_draft(block, caller)
    if current:
        # Once answered, the form (15 x 8 radio buttons and their descriptors) is fetched only
        # if the learner chooses to revise: the profile page stays small and fast.
        form = ""
    else:
        form = form_html(block, None, draft) if draft is not None else blank_form_html(block)
    context = {
        "block": block,
        "form_html": form,
        "instructions": clean_html(block.instructions),
        "phase_label": block.gettext(PHASE_LABELS[block.phase_key]),
        "answered": current is not None,
        "can_revise": block.revisions_open(),
        "profile_html": profile_html(block, caller, responses) if current else "",
        "is_staff": caller.is_staff,
        "csv_url": block.runtime.handler_url(block, "export_csv") if caller.is_staff else "",
        "my_data_url": block.runtime.handler_url(block, "download_my_data"),
    }
    html = block.render_template("self_assessment/student.html", context)
    args = {"strings": _strings(block), "autosave_ms": 1500,
            "storage_key": f"bizmooc-assessment:{block.usage_key_str}:{caller.user_id}"}
    return block.fragment_for(html, JS_CLASS, args, OWN_JS, OWN_CSS)


def author_fragment(block):
    framework = block.framework
    html = block.render_template("self_assessment/author.html", {
        "block": block, "framework": framework, "phase_label": block.gettext(PHASE_LABELS[block.phase_key]),
        "feedback_count": sum(len(bands) for bands in block.parsed_feedback.values()),
    })
    return block.fragment_for(html, JS_CLASS, {"author": True}, OWN_JS, OWN_CSS)


# Strings the Studio editor's own code (the framework and feedback parts) needs.
STUDIO_STRINGS = {
    "settings_saved": _("Settings saved."),
    "error_title": _("The settings were not saved"),
    "error_generic": _("Something went wrong. Please try again."),
    "error_offline": _("You are offline. Your changes are still on this page; please try again when connected."),
    "level": _("Level {n}"),
    "area": _("Area {n}"),
    "competence": _("Competence {n}"),
    "band": _("Band {n}"),
    "band_count": _("(feedback bands: {count})"),
    "summary": _("{title}. Areas: {areas}. Competences: {competences}. Levels on the rating scale: {levels}."),
    "copied": _("{title} copied into the custom framework."),
    "imported": _("Framework imported: {title}."),
    "added": _("Added: {what}."),
    "removed": _("Removed: {what}."),
    "moved": _("Moved: now {what}."),
    "required": _("{field}: this field is required."),
    "id_format": _("{field}: use 1-40 lowercase letters, digits, '-' or '_', starting with a letter or digit."),
    "invalid": _("{field}: {message}"),
    "duplicate_id": _("The id '{id}' is used twice."),
    "levels_rise": _("Level values must rise from the first level to the last."),
    "band_range": _('The "From level" must not be above the "To level".'),
    "link_format": _("Line {line} of the links: write a label, then '|', then an address starting with https://, "
                     "http:// or /."),
}


def studio_fragment(block):
    # In the course team's language: "Start from EntreComp" copies what they read.
    built_in = {fid: frameworks.localized(frameworks.built_in(fid), block.gettext).as_json()
                for fid in frameworks.BUILT_IN}
    html = settings_form.render(block, _("Self-assessment settings"), "bizmooc-assessment sa-studio")
    args = {
        "framework_choice": block.framework_choice,
        "custom_framework": block.custom_framework or built_in["entrecomp"],
        "built_in": built_in,
        "feedback": block.feedback,
        "strings": _strings(block, STUDIO_STRINGS),
    }
    return block.fragment_for(html, "BizMOOCSelfAssessmentStudio", args,
                              "static/js/self_assessment_studio.js", OWN_CSS)


def mobile_data(block):
    return {
        "display_name": block.display_name,
        "instructions": clean_html(block.instructions),
        "framework": block.framework.as_json(),
        "group_name": block.group_key,
        "phase": block.phase_key,
        "ask_evidence": block.ask_evidence,
        "allow_revisions": block.allow_revisions,
        "revise_until": block.revise_until.isoformat() if block.revise_until else None,
        "show_cohort": block.show_cohort,
        "graded": block.graded,
    }


def staff_report_html(block):
    framework = block.framework
    figures = service.staff_figures(block)
    counts, dist, answered, paired = (figures["counts"], figures["distribution"], figures["answered"],
                                      figures["paired"])
    rows = []
    for competence in framework.competences:
        per_level = dist.get(competence.id, {})
        rows.append({
            "competence": competence,
            "counts": [per_level.get(level.value, 0) for level in framework.levels],
            "not_sure": per_level.get(None, 0),
            "change": _signed(paired[competence.id][0]) if competence.id in paired else "",
            "paired": paired[competence.id][1] if competence.id in paired else 0,
        })
    return block.render_template("self_assessment/staff_report.html", {
        "block": block, "framework": framework, "rows": rows,
        "phases": [(block.gettext(PHASE_LABELS[p]), counts.get(p, 0)) for p in assessment.PHASES],
        "first": block.gettext(PHASE_LABELS[answered[0]]) if len(answered) >= 2 else "",
        "last": block.gettext(PHASE_LABELS[answered[-1]]) if len(answered) >= 2 else "",
        "phase_label": block.gettext(PHASE_LABELS[block.phase_key]),
    })


EXPORT_HEADER = ["learner", "group", "phase", "framework", "competence", "level", "level_label", "evidence",
                 "submitted_at", "revisions"]


def export_rows(block, responses):
    framework = block.framework

    def rows():
        for response in responses:
            for rating in sorted(response.ratings.all(), key=lambda r: r.competence_id):
                level = framework.level(rating.level) if rating.level is not None else None
                yield [response.user_id, response.group_name, response.phase, response.framework_id,
                       rating.competence_id, "" if rating.level is None else rating.level,
                       level.label if level else "", response.evidence.get(rating.competence_id, ""),
                       response.submitted_at.isoformat(), response.revision_count]
    return EXPORT_HEADER, rows()


def report_rows(block, user_state_iterator, limit_responses=None):
    """Rows for Open edX's Problem Responses report: one per learner, a column per competence."""
    framework = block.framework

    def row(response, ratings):
        values = {"Group": block.group_key, "Phase": block.phase_key,
                  "Submitted at": response.submitted_at.isoformat()}
        for competence in framework.competences:
            values[competence.title] = "" if ratings.get(competence.id) is None else ratings[competence.id]
        return values

    def rows_for(owner_ids):
        return {owner: [row(*answer)] for owner, answer in service.responses_for_learners(block, owner_ids).items()}

    return reports.report_rows(user_state_iterator, rows_for, limit_responses, legacy_field="assessment_owner")
