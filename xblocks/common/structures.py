"""Structured course-team settings that are either a built-in (a competence framework, a
canvas template) or the course team's own, edited as JSON in Studio."""
import re

# The ids inside such structures (sections, competences, criteria and their options,
# categories): short, lowercase, safe as JSON keys, HTML ids, CSS classes and CSV values.
# The Studio editors check the same pattern (BizMOOC.ID_PATTERN in bizmooc.js).
STRUCTURE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


def chosen_structure(choice, submitted, stored, parse, built_in):
    """(the structure in use, the custom JSON to store) for a Studio save.

    A custom choice must parse. With a built-in chosen, the custom one the editor sent is
    still validated and kept, so switching back later does not lose it; None keeps `stored`.
    """
    if choice == "custom":
        custom = parse(submitted)
        return custom, custom.as_json()
    kept = stored if submitted is None else parse(submitted).as_json()
    return built_in(choice), kept
