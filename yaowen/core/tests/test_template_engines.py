"""The two template engines: Django's, with its own libraries (nothing rebound, the admin's
included), and Jinja2 for the hot fragments, autoescaped, translating with Django's
catalogues."""

from importlib import import_module

from django.conf import settings
from django.core.checks import run_checks
from django.template import Context, Template, engines
from django.template.backends.django import get_installed_libraries
from django.template.engine import Engine
from django.utils import translation

from yaowen.core.jinja import render_fragment


def test_djangos_template_libraries_and_builtins_are_not_rebound():
    engine = engines["django"].engine
    assert engine.builtins == Engine.default_builtins
    django_labels = {
        label: path
        for label, path in get_installed_libraries().items()
        if path.startswith("django.")
    }
    assert {"i18n", "static", "l10n", "tz", "cache"} <= set(django_labels)
    for label, path in django_labels.items():
        assert engine.libraries[label] == path
        assert engine.template_libraries[label] is import_module(path).register


def test_no_system_check_is_silenced_and_the_templates_pass_theirs():
    assert settings.SILENCED_SYSTEM_CHECKS == []
    assert not [m for m in run_checks(tags=["templates"]) if m.is_serious() or m.level]


def test_jinja2_fragments_escape_and_translate_like_django_templates():
    env = engines["jinja2"].env
    assert env.autoescape is True
    fragment = env.from_string('{{ text }}|{{ _("首页") }}|{{ url("web:article", [7]) }}')
    with translation.override("en"):
        assert fragment.render(text="<b>&") == "&lt;b&gt;&amp;|Home|/a/7/"
    django = Template("{% load i18n %}{{ text }}|{% translate '首页' %}|{% url 'web:article' 7 %}")
    with translation.override("zh-hans"):
        assert django.render(Context({"text": "<b>&"})) == "&lt;b&gt;&amp;|首页|/a/7/"


def test_a_fragment_is_safe_to_include_as_it_is():
    html = render_fragment("search/marked.html", {"parts": [("<x>", False), ("词", True)]})
    assert html == "&lt;x&gt;<mark>词</mark>" and hasattr(html, "__html__")


def test_a_fragments_labels_follow_the_active_language_on_every_render():
    for language, title, empty in [
        ("zh-hans", "热点推荐", "暂无内容"),
        ("en", "Trending", "Nothing here yet"),
        ("zh-hans", "热点推荐", "暂无内容"),
    ]:
        with translation.override(language):
            html = render_fragment("cards/hot_section.html", {"hot": []})
        assert f'<h2 id="hot-h">{title}</h2>' in html and empty in html, language
