"""The competence self-assessment's rules, free of XBlock and of the database: what a
valid set of ratings is, how a profile is computed (area averages, change between
phases, feedback bands) and the radar chart's geometry.

Ratings are {competence_id: level value or None}; None means "I can't judge yet" and is
left out of every average.
"""
import math
from dataclasses import dataclass

from xblocks.common.errors import _, bad_request
from xblocks.common.links import safe_url

PHASES = ("before", "during", "after")
MAX_EVIDENCE = 2000
MAX_FEEDBACK_TEXT = 2000
MAX_LINKS = 5


def check_ratings(framework, ratings, evidence, complete=True):
    """Every competence rated on the scale (or "can't judge" if allowed); nothing unknown.
    A draft (`complete` False) may leave competences unanswered."""
    known = set(framework.competence_ids)
    unknown = sorted(set(ratings) - known) or sorted(set(evidence) - known)
    if unknown:
        raise bad_request("unknown_competence", _("There is no competence '{id}' in this assessment."),
                          field="ratings", id=unknown[0][:50])
    missing = [c for c in framework.competences if c.id not in ratings]
    if missing and complete:
        raise bad_request("missing_rating", _("Rate every competence: '{title}' has no answer yet."),
                          field=missing[0].id, title=missing[0].title)
    values = set(framework.level_values)
    for competence_id, value in ratings.items():
        if value is None:
            if not framework.allow_not_sure:
                raise bad_request("not_sure_not_allowed", _("Choose a level for every competence."),
                                  field=competence_id)
        elif isinstance(value, bool) or not isinstance(value, int) or value not in values:
            raise bad_request("invalid_level", _("That level is not on this assessment's scale."), field=competence_id)
    for competence_id, text in evidence.items():
        if not isinstance(text, str) or len(text) > MAX_EVIDENCE:
            raise bad_request("invalid_evidence", _("Evidence is text of at most {limit} characters."),
                              field=competence_id, limit=MAX_EVIDENCE)


def mean(values):
    values = [v for v in values if v is not None]
    return sum(values) / len(values) if values else None


def area_averages(framework, ratings):
    """[(area, average or None)] for one set of ratings."""
    return [(area, mean(ratings.get(c.id) for c in area.competences)) for area in framework.areas]


def change(current, earlier):
    """{competence_id: current - earlier} where both phases have a level."""
    return {cid: current[cid] - earlier[cid] for cid in current
            if current.get(cid) is not None and earlier.get(cid) is not None}


@dataclass(frozen=True)
class FeedbackBand:
    low: int
    high: int
    text: str
    links: tuple  # ((label, url), ...)


def parse_feedback(framework, data):
    """Validate {competence_id: [{"from", "to", "text", "links": [{"label", "url"}]}]}."""
    if not isinstance(data, dict):
        raise bad_request("invalid_feedback", _("Feedback must be an object keyed by competence id."),
                          field="feedback")
    known = set(framework.competence_ids)
    parsed = {}
    for competence_id, bands in data.items():
        if competence_id not in known:
            raise bad_request("invalid_feedback", _("Feedback names an unknown competence '{id}'."),
                              field="feedback", id=str(competence_id)[:50])
        if not isinstance(bands, list) or len(bands) > len(framework.levels):
            raise bad_request("invalid_feedback", _("Feedback for '{id}' must be a list of level bands."),
                              field="feedback", id=competence_id)
        parsed[competence_id] = tuple(_parse_band(framework, competence_id, band) for band in bands)
    return parsed


def _parse_band(framework, competence_id, band):
    values = framework.level_values
    if not isinstance(band, dict):
        raise bad_request("invalid_feedback", _("Feedback for '{id}' must be a list of level bands."),
                          field="feedback", id=competence_id)
    low, high, text = band.get("from"), band.get("to"), band.get("text", "")
    if low not in values or high not in values or low > high:
        raise bad_request("invalid_feedback",
                          _("Feedback for '{id}': choose a \"From level\" and a \"To level\" on the scale, "
                            "the first not above the second."), field="feedback", id=competence_id)
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_FEEDBACK_TEXT:
        raise bad_request("invalid_feedback", _("Feedback for '{id}' needs a text of at most {limit} characters."),
                          field="feedback", id=competence_id, limit=MAX_FEEDBACK_TEXT)
    links = band.get("links", [])
    if not isinstance(links, list) or len(links) > MAX_LINKS:
        raise bad_request("invalid_feedback", _("Feedback for '{id}': at most {n} links."), field="feedback",
                          id=competence_id, n=MAX_LINKS)
    clean_links = []
    for link in links:
        label = link.get("label") if isinstance(link, dict) else None
        # A course path ("/courses/...") links to the course team's own course, on the same site.
        url = safe_url(link.get("url"), allow_path=True) if isinstance(link, dict) else None
        if not isinstance(label, str) or not label.strip() or url is None:
            raise bad_request("invalid_feedback", _("Feedback for '{id}': each link needs a label and an http(s) "
                                                    "address or a course path starting with '/'."),
                              field="feedback", id=competence_id)
        clean_links.append((label.strip()[:200], url))
    return FeedbackBand(low, high, text.strip(), tuple(clean_links))


def feedback_for(framework, feedback, ratings):
    """[(competence, level, band)] for each rated competence whose level falls in a band."""
    matched = []
    for competence in framework.competences:
        value = ratings.get(competence.id)
        if value is None:
            continue
        for band in feedback.get(competence.id, ()):
            if band.low <= value <= band.high:
                matched.append((competence, framework.level(value), band))
    return matched


LABEL_WIDTH = 16  # characters per line of an axis label
LABEL_LINES = 2


def axis_label(title, width=LABEL_WIDTH, lines=LABEL_LINES):
    """A competence title as at most `lines` lines of about `width` characters, cut with "…"
    when longer (the chart's description and the table give the full name)."""
    rows = []
    for word in title.split():
        if rows and len(rows[-1]) + 1 + len(word) <= width:
            rows[-1] += " " + word
        else:
            rows.append(word)
    cut = len(rows) > lines
    rows = [row if len(row) <= width else row[:width - 1] + "…" for row in rows[:lines]]
    if cut and not rows[-1].endswith("…"):
        rows[-1] = rows[-1][:width - 1] + "…"
    return rows


def radar(framework, series, size=320, margin_x=130, margin_y=64):
    """Geometry of the radar chart: one named axis per competence, one line per series.

    `series` is [(key, ratings)]. A competence without a level ("I can't judge yet") has
    no point: the series' line leaves a gap there instead of dropping to the centre, which
    would read as the lowest level; the first series' unrated axes are marked. Returns a
    dict the template draws as inline SVG, so the chart needs no JavaScript.
    """
    competences = framework.competences
    cx, cy = size / 2 + margin_x, size / 2 + margin_y
    radius = size / 2
    low, high = framework.min_level, framework.max_level
    span = (high - low) or 1

    def point(index, share):
        angle = 2 * math.pi * index / len(competences) - math.pi / 2
        return (round(cx + radius * share * math.cos(angle), 1), round(cy + radius * share * math.sin(angle), 1))

    def share_of(value):
        return 0.1 + 0.9 * (value - low) / span

    unrated = {c.id for c in competences if series and series[0][1].get(c.id) is None}
    axes = []
    for index, competence in enumerate(competences):
        x, y = point(index, 1)
        lx, ly = point(index, 1.1)
        anchor = "middle" if abs(lx - cx) < 8 else ("start" if lx > cx else "end")
        lines = axis_label(competence.title)
        # Lines stack away from the chart: upwards above it, downwards below it.
        first_dy = -(len(lines) - 1) * (1.15 if ly < cy - 8 else (0.575 if abs(ly - cy) <= 8 else 0))
        axes.append({"x": x, "y": y, "label_x": lx, "label_y": ly, "anchor": anchor, "title": competence.title,
                     "lines": [(first_dy if n == 0 else 1.15, line) for n, line in enumerate(lines)],
                     "unrated": competence.id in unrated})
    rings = [" ".join("{},{}".format(*point(i, share_of(level.value))) for i in range(len(competences)))
             for level in framework.levels]
    polygons = []
    for key, ratings in series:
        points = [None if ratings.get(c.id) is None else point(i, share_of(ratings[c.id]))
                  for i, c in enumerate(competences)]
        complete = all(points)
        segments = []
        for i, start in enumerate(points):
            end = points[(i + 1) % len(points)]
            if start and end and len(points) > 1:
                segments.append(f"M{start[0]},{start[1]}L{end[0]},{end[1]}")
        polygons.append({"key": key, "complete": complete, "path": "".join(segments),
                         "points": " ".join(f"{x},{y}" for x, y in points) if complete else "",
                         "dots": [{"x": p[0], "y": p[1]} for p in points if p]})
    return {"width": size + 2 * margin_x, "height": size + 2 * margin_y, "cx": cx, "cy": cy, "axes": axes,
            "rings": rings, "polygons": polygons, "unrated": bool(unrated)}
