"""The `bizmooc_dates` template tag library (registered by rendering.py's engine):
`{{ moment|local_time }}` renders a datetime as dates.time_html does, a `<time>` element
that bizmooc.js formats in the page's language, with a UTC text for readers without script;
`{{ moment|printed_time }}` the printable pages' text (dates.printed_time)."""
from django import template

from .dates import printed_time as printed_text
from .dates import time_html

register = template.Library()


@register.filter
def local_time(moment):
    return time_html(moment)


@register.filter
def printed_time(moment):
    return printed_text(moment)
