"""`{% fragment "cards/card_list.html" cards=hot compact=True %}`: a Jinja2 fragment
(`templates/jinja2/`, see core/jinja.py) inside a Django template, given only the named
values (as `{% include … with … only %}` would be)."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from yaowen.core.jinja import render_fragment

register = template.Library()


@register.simple_tag
def fragment(name: str, **context: Any) -> SafeString:
    return render_fragment(name, context)
