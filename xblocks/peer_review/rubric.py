"""Rubrics: parse and validate a course team's rubric, the built-in templates, scoring a
review, and checking a training answer. No XBlock imports: every rule is tested on its own.

A rubric is criteria, each with options (label, explanation, points) or none at all (a
comments-only criterion, which gives no points), a comments setting per criterion and one
for the overall feedback. `parse_rubric` is the one gate every rubric passes (Studio save,
JSON import, OLX); its errors name the field at fault in words (`field="rubric"`).
"""
import functools
import hashlib
import importlib.resources
import json
from dataclasses import dataclass, replace

from xblocks.common.config import get_setting
from xblocks.common.errors import Phrase, _, bad_request
from xblocks.common.structures import STRUCTURE_ID

TEMPLATES = ("general", "business_model", "pitch", "reflection")
COMMENT_CHOICES = ("none", "optional", "required")
MAX_CRITERIA = 20
MAX_OPTIONS = 10
MAX_NAME = 200
MAX_LABEL = 100
MAX_EXPLANATION = 2000
MAX_POINTS = 1000


@dataclass(frozen=True)
class Option:
    id: str
    label: str
    explanation: str
    points: float


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    explanation: str
    options: tuple
    comments: str

    @property
    def max_points(self):
        return max((o.points for o in self.options), default=0)

    def option(self, option_id):
        return next((o for o in self.options if o.id == option_id), None)


@dataclass(frozen=True)
class Rubric:
    criteria: tuple
    feedback: str

    @property
    def max_points(self):
        return _number(sum(c.max_points for c in self.criteria))

    @property
    def scored(self):
        """The criteria that give points (those with options)."""
        return tuple(c for c in self.criteria if c.options)

    def criterion(self, criterion_id):
        return next((c for c in self.criteria if c.id == criterion_id), None)

    def as_json(self):
        return {"criteria": [{"id": c.id, "name": c.name, "explanation": c.explanation,
                              "options": [{"id": o.id, "label": o.label, "explanation": o.explanation,
                                           "points": o.points} for o in c.options],
                              "comments": c.comments} for c in self.criteria],
                "feedback": self.feedback, "max_points": self.max_points}


def _number(value):
    return int(value) if float(value).is_integer() else round(value, 4)


def _fail(message, **params):
    return bad_request("invalid_rubric", message, field="rubric", **params)


def _text(value, where, limit, required=True):
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise _fail(_("{where} needs a text."), where=where)
    if len(value) > limit:
        raise _fail(_("{where} is longer than {limit} characters."), where=where, limit=limit)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _fail(_("{where} needs a text."), where=where) from None
    return value.strip()


def _id(value, where, seen):
    if not isinstance(value, str) or not STRUCTURE_ID.match(value):
        raise _fail(_("{where}: an id is 1-40 lowercase letters, digits, '-' or '_'."), where=where)
    if value in seen:
        raise _fail(_("The id '{id}' is used twice."), id=value)
    seen.add(value)
    return value


def _choice(value, where, default):
    value = default if value is None else value
    if value not in COMMENT_CHOICES:
        raise _fail(_("{where} must be one of: none, optional, required."), where=where)
    return value


def _option(raw, c, n, seen):
    where = Phrase(_("Option {n} of criterion {c}"), n=n, c=c)
    if not isinstance(raw, dict):
        raise _fail(_("{where} must be an object."), where=where)
    points = raw.get("points")
    if isinstance(points, bool) or not isinstance(points, (int, float)) or not 0 <= points <= MAX_POINTS \
            or points != points:
        raise _fail(_("{where}: points are a number from 0 to {high}."), where=where, high=MAX_POINTS)
    return Option(_id(raw.get("id"), where, seen), _text(raw.get("label"), where, MAX_LABEL),
                  _text(raw.get("explanation", ""), where, MAX_EXPLANATION, required=False), _number(points))


def _criterion(raw, c, seen):
    where = Phrase(_("Criterion {n}"), n=c)
    if not isinstance(raw, dict):
        raise _fail(_("{where} must be an object."), where=where)
    criterion_id = _id(raw.get("id"), where, seen)
    raw_options = raw.get("options", [])
    if not isinstance(raw_options, list) or len(raw_options) > MAX_OPTIONS or len(raw_options) == 1:
        raise _fail(_("{where} has no options (comments only) or between 2 and {n} options."), where=where,
                    n=MAX_OPTIONS)
    option_ids = set()
    options = tuple(_option(o, c, n, option_ids) for n, o in enumerate(raw_options, start=1))
    comments = _choice(raw.get("comments"), Phrase(_("The comments of criterion {n}"), n=c),
                       "optional" if options else "required")
    if not options and comments == "none":
        raise _fail(_("{where} has no options, so it needs comments (optional or required)."), where=where)
    return Criterion(criterion_id, _text(raw.get("name"), where, MAX_NAME),
                     _text(raw.get("explanation", ""), where, MAX_EXPLANATION, required=False), options, comments)


def parse_rubric(data):
    """Validate rubric JSON (already parsed) and return a Rubric; `max_points` is ignored."""
    if not isinstance(data, dict):
        raise _fail(_("{where} must be an object."), where=Phrase(_("The rubric")))
    limit = get_setting("RUBRIC_MAX_BYTES")
    if len(json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")) > limit:
        raise _fail(_("The rubric is larger than {limit} bytes."), limit=limit)
    raw_criteria = data.get("criteria")
    if not isinstance(raw_criteria, list) or not 1 <= len(raw_criteria) <= MAX_CRITERIA:
        raise _fail(_("A rubric has between 1 and {n} criteria."), n=MAX_CRITERIA)
    seen = set()
    criteria = tuple(_criterion(raw, c, seen) for c, raw in enumerate(raw_criteria, start=1))
    feedback = _choice(data.get("feedback"), Phrase(_("The overall feedback")), "optional")
    return Rubric(criteria, feedback)


# Versions: what a review was made with -------------------------------------------------------

def digest(rubric):
    """The key of a rubric as stored with the reviews made with it (models.RubricVersion): the
    SHA-256 of its canonical JSON. Any change, wording included, is another version."""
    text = json.dumps(rubric.as_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_VERSIONS = {}


def from_stored(key, data):
    """A stored version's Rubric, `key` its digest (parsed once per process and version)."""
    found = _VERSIONS.get(key)
    if found is None:
        if len(_VERSIONS) >= 512:
            _VERSIONS.clear()
        found = _VERSIONS[key] = parse_rubric(data)
    return found


def scoring_digest(rubric):
    """The key of a rubric's scoring: equal for rubrics that differ only in wording."""
    return hashlib.sha256(json.dumps(scoring(rubric)).encode("ascii")).hexdigest()


def scoring(rubric):
    """What decides points: every criterion's id with its options' ids and points, in order.
    Two rubrics with the same scoring differ only in wording (names, labels, explanations,
    the comment settings): no grade made with one would differ under the other."""
    return tuple((c.id, tuple((o.id, o.points) for o in c.options)) for c in rubric.criteria)


def rescore(rubric, scores):
    """A review's chosen options (criterion id -> option id) scored on `rubric`: (criterion
    points, total), or None when a scored criterion of `rubric` or the option chosen for it is
    not there (the review cannot say what it would have given)."""
    points = {}
    for criterion in rubric.scored:
        option = criterion.option(scores.get(criterion.id))
        if option is None:
            return None
        points[criterion.id] = option.points
    return points, _number(sum(points.values()))


# Built-in templates ------------------------------------------------------------------------

def _template_data(template_id):
    text = importlib.resources.files(__package__).joinpath(f"data/rubrics/{template_id}.json").read_text("utf-8")
    return json.loads(text)


@functools.cache
def template(template_id):
    """(name, Rubric) of a built-in template (parsed once per process)."""
    if template_id not in TEMPLATES:
        raise KeyError(template_id)
    data = _template_data(template_id)
    return data["name"], parse_rubric(data["rubric"])


def default_rubric_json():
    return template("general")[1].as_json()


def translatable_texts(data):
    """Texts of a built-in template file, for the catalogue (scripts/i18n)."""
    texts = [data["name"]]
    for criterion in data["rubric"]["criteria"]:
        texts += [criterion["name"], criterion.get("explanation", "")]
        for option in criterion.get("options", []):
            texts += [option["label"], option.get("explanation", "")]
    return [text for text in dict.fromkeys(texts) if text]


def localized(rubric, gettext):
    """The rubric in the reader's language: texts the catalogue knows (the built-in
    templates') are translated, a course team's own are shown as written."""
    def tr(text):
        return gettext(text) if text else text
    return replace(rubric, criteria=tuple(
        replace(c, name=tr(c.name), explanation=tr(c.explanation),
                options=tuple(replace(o, label=tr(o.label), explanation=tr(o.explanation)) for o in c.options))
        for c in rubric.criteria))


# Scoring -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scored:
    scores: dict
    criterion_points: dict
    comments: dict
    feedback: str
    points: float


def score_review(rubric, scores, comments, feedback, comment_max):
    """Check a review against the rubric; the options, comments and points it gives.

    Every criterion with options needs one of its options; comments are kept only where the
    rubric asks for them, and required ones must be there. Refusals name the criterion."""
    unknown = sorted(set(scores) - {c.id for c in rubric.scored}) + \
        sorted(set(comments) - {c.id for c in rubric.criteria if c.comments != "none"})
    if unknown:
        raise bad_request("unknown_criterion", _("This rubric has no criterion '{criterion}' to score."),
                          field=f"scores.{unknown[0]}", criterion=unknown[0])
    chosen, points, kept = {}, {}, {}
    for criterion in rubric.criteria:
        if criterion.options:
            option = criterion.option(scores.get(criterion.id))
            if option is None:
                raise bad_request("invalid_score", _("Choose one of the options for '{criterion}'."),
                                  field=f"scores.{criterion.id}", criterion=criterion.name)
            chosen[criterion.id], points[criterion.id] = option.id, option.points
        comment = (comments.get(criterion.id) or "").strip()
        if criterion.comments == "required" and not comment:
            raise bad_request("comment_required", _("Write a comment for '{criterion}'."),
                              field=f"comments.{criterion.id}", criterion=criterion.name)
        if len(comment) > comment_max:
            raise bad_request("too_long", _("'{name}' is longer than {limit} characters."),
                              field=f"comments.{criterion.id}", name=criterion.name, limit=comment_max)
        if comment:
            kept[criterion.id] = comment
    feedback = (feedback or "").strip()
    if rubric.feedback == "required" and not feedback:
        raise bad_request("feedback_required", _("Write your overall feedback."), field="feedback")
    if rubric.feedback == "none":
        feedback = ""
    if len(feedback) > comment_max:
        raise bad_request("too_long", _("'{name}' is longer than {limit} characters."), field="feedback",
                          name="feedback", limit=comment_max)
    return Scored(chosen, points, kept, feedback, _number(sum(points.values())))


def check_example_scores(rubric, scores, where):
    """A training example's staff scores: one existing option per scored criterion."""
    if not isinstance(scores, dict):
        raise _fail(_("{where} must be an object."), where=where)
    for criterion in rubric.scored:
        if criterion.option(scores.get(criterion.id)) is None:
            raise _fail(_("{where}: choose an option of '{criterion}'."), where=where, criterion=criterion.id)
    extra = sorted(set(scores) - {c.id for c in rubric.scored})
    if extra:
        raise _fail(_("{where}: this rubric has no criterion '{criterion}' to score."), where=where,
                    criterion=extra[0])
    return {c.id: scores[c.id] for c in rubric.scored}


def example_points(rubric, scores):
    return _number(sum(c.option(scores.get(c.id)).points for c in rubric.scored if c.option(scores.get(c.id))))


def check_training(rubric, expected, answer):
    """({criterion: matches}, passed) of a learner's scores for a staff-scored example."""
    correct = {c.id: answer.get(c.id) == expected.get(c.id) for c in rubric.scored}
    return correct, all(correct.values())


def check_choices(rubric, scores):
    """A learner's options for every scored criterion (a training answer); refusals name it."""
    unknown = sorted(set(scores) - {c.id for c in rubric.scored})
    if unknown:
        raise bad_request("unknown_criterion", _("This rubric has no criterion '{criterion}' to score."),
                          field=f"scores.{unknown[0]}", criterion=unknown[0])
    for criterion in rubric.scored:
        if criterion.option(scores.get(criterion.id)) is None:
            raise bad_request("invalid_score", _("Choose one of the options for '{criterion}'."),
                              field=f"scores.{criterion.id}", criterion=criterion.name)
    return dict(scores)
