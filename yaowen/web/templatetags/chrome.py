"""`{% chrome "includes/site_header.html" %}`: a page part rendered once per variant for
anonymous readers.

Every anonymous page shows the same header and footer for a given language, care state,
highlighted channel and channel list; only the page's own path differs (the `next` of the
login, care-mode and language links). So each variant is rendered once per process with a
marker for the path, and later pages only put their path in: a string replace instead of
about a hundred template nodes. Extra arguments are part of the variant, e.g. the author
card's `{% chrome "includes/author_card.html" creator.pk creator.updated_at ... %}` (every
value it shows that can change, so a held card is never stale). Logged-in readers, and the
search page's filled-in search box, render as usual.

A part rendered this way may read only what its key covers, and `here` for the path.
"""

from collections import OrderedDict
from urllib.parse import quote

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

MEMO_LIMIT = 2048
# Stands for the URL-encoded path while a variant is rendered; no page contains it.
_HERE = "__yaowen_here__"
_memo: OrderedDict[tuple, str] = OrderedDict()


@register.simple_tag(takes_context=True)
def chrome(context: template.Context, name: str, *variant: object) -> SafeString:
    request = context.get("request")
    here = quote(request.get_full_path(), safe="/") if request is not None else ""
    user = context.get("user")
    query = request.GET.get("q", "") if request is not None else ""
    if request is None or query or (user is not None and user.is_authenticated):
        return _render(context, name, here)
    key = (
        name,
        get_language(),
        context.get("html_class"),
        context.get("nav_current"),
        context.get("nav_version"),
        context.get("SITE_NAME"),
        *variant,
    )
    html = _memo.get(key)
    if html is None:
        html = _memo[key] = _render(context, name, _HERE)
        if len(_memo) > MEMO_LIMIT:
            _memo.popitem(last=False)  # the least recently used
    else:
        _memo.move_to_end(key)
    return mark_safe(html.replace(_HERE, here))  # `here` is percent-encoded: no markup


def _render(context: template.Context, name: str, here: str) -> SafeString:
    chosen = context.template.engine.get_template(name)
    with context.push(here=here):
        return chosen.render(context)
