"""Django's `static` template library with each file's URL remembered: settings map the
`static` label here (TEMPLATES OPTIONS "libraries"), so `{% load static %}` loads this.

With hashed file names, `{% static %}` looks the name up in the manifest and joins URLs
on every render (~10 µs); every page links the same few files, and their URLs only change
when the files are collected again, which means a restart.
"""

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags import static as django_static

register = template.Library()
register.tags.update(django_static.register.tags)
register.filters.update(django_static.register.filters)

_urls: dict[str, str] = {}


class RememberedStaticNode(django_static.StaticNode):
    def url(self, context: template.Context) -> str:
        path = self.path.resolve(context)
        url = _urls.get(path)
        if url is None:
            url = _urls[path] = self.handle_simple(path)
        return url


@register.tag("static")
def do_static(parser: template.base.Parser, token: template.base.Token) -> template.Node:
    return RememberedStaticNode.handle_token(parser, token)


@receiver(setting_changed)
def _forget_on_settings_change(*, setting: str, **_kwargs: Any) -> None:
    if setting in ("STATIC_URL", "STORAGES", "STATIC_ROOT"):
        _urls.clear()
