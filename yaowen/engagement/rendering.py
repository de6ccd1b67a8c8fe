"""Who reads a comment section (`Viewer`), and the comments as list items for the comment
views' in-place updates: the Jinja2 template `engagement/comments.html`, which the article
page's section (`engagement/section.html`) includes, so the markup exists once.

Jinja2 rather than Django's engine: an article page shows up to twenty threads with their
first replies, and Django's engine spent ~55 µs on each. site.js and comments.js read the
classes and data attributes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.shortcuts import resolve_url
from django.utils.safestring import SafeString

from yaowen.accounts.models import User
from yaowen.core.jinja import render_fragment
from yaowen.engagement.models import Comment
from yaowen.newsroom.models import Article


@dataclass(frozen=True)
class Viewer:
    """What a comment's markup depends on besides the comment."""

    article_url: str
    sort: str
    back: str  # the page the forms return to
    login_url: str  # log in, then back to the article (anonymous readers)
    user_id: int | None = None  # None: anonymous
    moderator: bool = False  # may delete anyone's comment
    csrf_token: str = ""
    draft_parent: int | None = None  # a refused reply, put back into its form
    draft_body: str = ""

    @classmethod
    def of(
        cls,
        request: HttpRequest,
        article: Article,
        *,
        sort: str,
        back: str,
        draft_parent: int | None = None,
        draft_body: str = "",
    ) -> "Viewer":
        user: User = request.user
        url = article.get_absolute_url()
        login = f"{resolve_url(settings.LOGIN_URL)}?next={quote(url, safe='/')}"
        if not user.is_authenticated:
            return cls(article_url=url, sort=sort, back=back, login_url=login)
        return cls(
            article_url=url,
            sort=sort,
            back=back,
            login_url=login,
            user_id=user.pk,
            moderator=user.has_perm("engagement.change_comment"),
            csrf_token=get_token(request),
            draft_parent=draft_parent,
            draft_body=draft_body,
        )


def comments_html(comments: Iterable[Comment], viewer: Viewer) -> SafeString:
    """Comments prepared by selectors.comment_for_display (each top-level one with its
    shown replies and the link to the rest) as `<li>` items."""
    return render_fragment("engagement/comments.html", {"comments": comments, "viewer": viewer})


def comment_html(comment: Comment, viewer: Viewer) -> SafeString:
    return comments_html([comment], viewer)
