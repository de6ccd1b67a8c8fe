"""The Jinja2 environment of the hot fragments (TEMPLATES' "jinja2" engine, `templates/jinja2/`).

Django's template engine renders the pages; a fragment repeated dozens of times on a page
(comments, cards) is rendered by Django's Jinja2 backend instead: its templates are compiled
to Python and autoescaped. They translate with Django's catalogues (`_()`, which
`makemessages` finds in `.html` files as it does in Django templates; placeholders through
`|format(name=…)`) and build URLs with `url(name, [args])` (`core.urls.fast_reverse`).
Block tags on lines of their own leave no blank lines behind (`trim_blocks`, `lstrip_blocks`).
"""

from typing import Any

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import engines
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext
from jinja2 import Environment

from yaowen.core.urls import fast_reverse

ENGINE = "jinja2"

# A template's labels translated per language: the same on every render, while each
# gettext call looks the active language up again. Fixed by the catalogues, which change
# only with a restart (or, in tests, with these settings).
_translated: dict[tuple[str | None, str], str] = {}


def environment(**options: Any) -> Environment:
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    env.install_gettext_callables(gettext, ngettext, newstyle=False)  # type: ignore[attr-defined]
    env.globals["url"] = fast_reverse
    return env


def _translator(language: str | None):
    def translate(message: str) -> str:
        key = (language, message)
        found = _translated.get(key)
        if found is None:
            found = _translated[key] = gettext(message)
        return found

    return translate


def render_fragment(name: str, context: dict[str, Any]) -> SafeString:
    """The Jinja2 template `name` rendered with `context` (autoescaped: safe to include).

    Its `_()` (and that of the templates it includes) remembers each label per language.
    """
    template = engines[ENGINE].get_template(name)
    return mark_safe(template.render({"_": _translator(get_language()), **context}))


@receiver(setting_changed)
def _forget_translations(*, setting: str, **_kwargs: Any) -> None:
    if setting in ("LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"):
        _translated.clear()
