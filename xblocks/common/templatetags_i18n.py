"""The `i18n` template tag library of our templates (`{% load i18n %}`, registered by
rendering.py's engine): Django's `{% trans %}` and `{% blocktrans %}` in the forms the
templates use, translating with the block's i18n service, which `render_template` puts in
the context under `TRANSLATOR`, through the XBlock i18n service's `gettext`, `ngettext`,
`pgettext` and `npgettext`; without one (`render_package_template`), with Django's active
translation. Nothing is added to any global translation.

    {% trans "text" %}  {% trans "text" context "ctx" %}
    {% blocktrans [with name=expr ...] [count name=expr] [context "ctx"] %}
        text {{ name }} [{% plural %} text {{ name }}] {% endblocktrans %}

As Django's tags do: the message ids are those `makemessages` extracts (a variable is
`%(name)s`, a literal "%" is "%%"); a translation is template text, not escaped; a variable
is rendered as `{{ name }}` would be (localised, autoescaped); a string missing from the
catalogue is shown as written, and so is a blocktrans whose translation does not fit its
variables.
"""
from decimal import Decimal

from django import template
from django.template.base import TokenType, render_value_in_context
from django.utils import translation
from django.utils.safestring import mark_safe

register = template.Library()

TRANSLATOR = "bizmooc.i18n"  # the context key of the block's i18n service (not a template variable name)


def _translator(context):
    return context.get(TRANSLATOR) or translation


def _literal(bit, tag):
    if len(bit) < 2 or bit[0] not in "\"'" or bit[-1] != bit[0]:
        raise template.TemplateSyntaxError(f"{tag} takes a quoted string, not {bit}")
    return template.Variable(bit).resolve({})


def _gettext(translator, message_context, message):
    return translator.pgettext(message_context, message) if message_context else translator.gettext(message)


class TranslateNode(template.Node):
    def __init__(self, message, message_context):
        self.message, self.message_context = message.replace("%", "%%"), message_context

    def render(self, context):
        return mark_safe(_gettext(_translator(context), self.message_context, self.message).replace("%%", "%"))


@register.tag("trans")
@register.tag("translate")
def do_translate(parser, token):  # pylint: disable=unused-argument
    bits = token.split_contents()
    if len(bits) == 2:
        return TranslateNode(_literal(bits[1], bits[0]), None)
    if len(bits) == 4 and bits[2] == "context":
        return TranslateNode(_literal(bits[1], bits[0]), _literal(bits[3], bits[0]))
    raise template.TemplateSyntaxError(f'Use {{% {bits[0]} "text" %}} or {{% {bits[0]} "text" context "ctx" %}}')


def _message(parser, tag):
    """The message up to the next tag: its id (variables as %(name)s), its variables, that tag."""
    parts, names = [], []
    while True:
        try:
            token = parser.next_token()
        except IndexError:
            raise template.TemplateSyntaxError(f"{tag} is not closed by end{tag}") from None
        if token.token_type == TokenType.TEXT:
            parts.append(token.contents.replace("%", "%%"))
        elif token.token_type == TokenType.VAR:
            parts.append(f"%({token.contents})s")
            names.append(token.contents)
        elif token.token_type == TokenType.BLOCK and token.contents in ("plural", f"end{tag}"):
            return "".join(parts), names, token.contents
        else:
            raise template.TemplateSyntaxError(f"{tag} allows only text, variables and plural inside it")


def _options(parser, bits):
    """{"with": {name: expr}, "count": {name: expr}, "context": expr} from the tag's words."""
    tag, options, index = bits[0], {}, 1
    while index < len(bits):
        option, index = bits[index], index + 1
        if option in options or option not in ("with", "count", "context") or index == len(bits):
            raise template.TemplateSyntaxError(f"{tag} does not take {option} there")
        if option == "context":
            options[option], index = parser.compile_filter(bits[index]), index + 1
            continue
        options[option] = {}
        while index < len(bits) and "=" in bits[index]:
            name, _eq, value = bits[index].partition("=")
            options[option][name], index = parser.compile_filter(value), index + 1
        if not options[option] or (option == "count" and len(options[option]) != 1):
            raise template.TemplateSyntaxError(f"{tag} {option} takes name=value")
    return options


class BlockTranslateNode(template.Node):
    def __init__(self, singular, plural, names, extra, counter, message_context):
        self.singular, self.plural, self.names = singular, plural, names
        self.extra, self.counter, self.message_context = extra, counter, message_context

    def render(self, context):
        translator = _translator(context)
        message_context = self.message_context.resolve(context) if self.message_context else None
        with context.push({name: value.resolve(context) for name, value in self.extra.items()}):
            count = None
            if self.counter:
                name, expression = self.counter
                count = context[name] = expression.resolve(context)
                if not isinstance(count, (Decimal, float, int)):
                    raise template.TemplateSyntaxError(f"blocktrans count {name} must be a number, not {count!r}")
            data = {name: render_value_in_context(context[name] if name in context else "", context)
                    for name in self.names}
        if count is None:
            message = _gettext(translator, message_context, self.singular)
        elif message_context:
            message = translator.npgettext(message_context, self.singular, self.plural, count)
        else:
            message = translator.ngettext(self.singular, self.plural, count)
        try:
            return message % data
        except (KeyError, ValueError):  # a translation that does not fit: the message as written
            return (self.singular if count is None or count == 1 else self.plural) % data


@register.tag("blocktrans")
@register.tag("blocktranslate")
def do_block_translate(parser, token):
    bits = token.split_contents()
    tag = bits[0]
    options = _options(parser, bits)
    counter = next(iter(options.get("count", {}).items()), None)
    singular, names, end = _message(parser, tag)
    plural = None
    if end == "plural":
        if counter is None:
            raise template.TemplateSyntaxError(f"{tag} allows plural only with count")
        plural, plural_names, end = _message(parser, tag)
        names += plural_names
        if end != f"end{tag}":
            raise template.TemplateSyntaxError(f"{tag} allows one plural")
    elif counter is not None:
        raise template.TemplateSyntaxError(f"{tag} count needs a plural")
    return BlockTranslateNode(singular, plural, names, options.get("with", {}), counter, options.get("context"))
