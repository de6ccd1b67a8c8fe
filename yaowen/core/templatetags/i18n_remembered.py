"""Django's `i18n` template library with `{% translate "literal" %}` remembered per
language: settings map the `i18n` label here (TEMPLATES OPTIONS "libraries"), so
`{% load i18n %}` loads this; every other tag and filter is Django's own.

A literal's translation is the same on every render in a language, yet Django makes a
lazy string, looks the active language up and escapes the text each time; an article page
has about forty of them. Each node keeps its rendered text per language instead.
"""

from django import template
from django.template import Variable
from django.template.base import render_value_in_context
from django.templatetags import i18n as django_i18n
from django.utils.safestring import SafeData, mark_safe
from django.utils.translation import get_language

register = template.Library()
register.tags.update(django_i18n.register.tags)
register.filters.update(django_i18n.register.filters)


def _constant(expression: template.base.FilterExpression) -> bool:
    """A quoted string with no filters (compile_filter resolves those at parse time)."""
    var = expression.var
    literal = isinstance(var, str) or getattr(var, "literal", None) is not None
    return literal and not expression.filters


class RememberedTranslateNode(django_i18n.TranslateNode):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        expression = self.filter_expression
        self.constant = (
            not self.noop
            and isinstance(expression.var, Variable)
            and expression.var.literal is not None
            and not expression.filters
            and (self.message_context is None or _constant(self.message_context))
        )
        self.by_language: dict[tuple, str] = {}

    def render(self, context: template.Context) -> str:
        if not self.constant:
            return super().render(context)
        key = (get_language(), context.autoescape)
        value = self.by_language.get(key)
        if value is None:
            # As TranslateNode.render does, once per language.
            self.filter_expression.var.translate = True
            if self.message_context:
                self.filter_expression.var.message_context = self.message_context.resolve(context)
            value = render_value_in_context(self.filter_expression.resolve(context), context)
            value = (
                mark_safe(value.replace("%%", "%"))
                if isinstance(value, SafeData)
                else value.replace("%%", "%")
            )
            self.by_language[key] = value
        if self.asvar:
            context[self.asvar] = value
            return ""
        return value


@register.tag("translate")
@register.tag("trans")
def do_translate(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    node = django_i18n.do_translate(parser, token)
    return RememberedTranslateNode(
        node.filter_expression, node.noop, node.asvar, node.message_context
    )
