"""{% load i18n %} and {% load static %} load Django's libraries with remembered results;
what they render must not change with the language, the variable or the settings."""

from django.template import Context, Template
from django.templatetags.static import StaticNode
from django.utils import translation

from yaowen.core.templatetags import i18n_remembered, static_remembered

TEMPLATE = Template(
    "{% load i18n %}{% translate '首页' %}|{% translate '搜索' as word %}[{{ word }}]|"
    "{% translate label %}|{% translate '首页' context 'role' %}|"
    "{% get_current_language as l %}{{ l }}"
)


def render(language: str, label: str = "搜索") -> str:
    with translation.override(language):
        return TEMPLATE.render(Context({"label": label}))


def test_literal_translations_follow_the_active_language_each_render():
    assert render("zh-hans") == "首页|[搜索]|搜索|首页|zh-hans"
    assert render("en") == "Home|[Search]|Search|首页|en"
    assert render("zh-hans") == "首页|[搜索]|搜索|首页|zh-hans"  # nothing kept from English
    assert render("en", label="首页") == "Home|[Search]|Home|首页|en"  # variables as before


def test_the_i18n_library_is_djangos_apart_from_translate():
    from django.templatetags import i18n

    assert set(i18n_remembered.register.tags) == set(i18n.register.tags)
    assert set(i18n_remembered.register.filters) == set(i18n.register.filters)


def test_static_urls_are_djangos_and_forgotten_when_the_settings_change(settings):
    template = Template("{% load static %}{% static 'css/site.css' %} {% static 'js/a b.js' %}")
    expected = f"{StaticNode.handle_simple('css/site.css')} {StaticNode.handle_simple('js/a b.js')}"
    assert template.render(Context()) == expected
    settings.STATIC_URL = "/assets/"
    assert static_remembered._urls == {}
    assert template.render(Context()).startswith("/assets/")


def test_templates_load_our_libraries_under_djangos_labels():
    from django.template import engines

    libraries = engines["django"].engine.template_libraries
    assert libraries["i18n"] is i18n_remembered.register
    assert libraries["static"] is static_remembered.register
