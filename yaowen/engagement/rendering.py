"""The HTML of one comment (跟帖) with its replies, for the article page and for the
comment views' in-place updates.

Written in Python rather than a template: an article page shows up to twenty threads with
their first replies, and Django's template engine spent ~55 µs on each; this takes a
tenth of that. It is the only place the markup lives (includes/comments.html holds the
section around it, site.js and comments.js read the classes and data attributes).
"""

from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.shortcuts import resolve_url
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from yaowen.accounts.models import User
from yaowen.core.urls import fast_reverse
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


def comments_html(comments, viewer: Viewer) -> SafeString:
    return mark_safe("".join(comment_html(comment, viewer) for comment in comments))


def comment_html(c: Comment, viewer: Viewer) -> SafeString:
    """One comment (prepared by selectors.comment_for_display) and, for a top-level one,
    its shown replies and the link to the rest."""
    reply = " comment-reply" if c.parent_id else ""
    deleted = " comment-deleted" if c.is_placeholder else ""
    out = [f'<li id="c{c.pk}" class="comment{reply}{deleted}" tabindex="-1">\n']
    if c.is_placeholder:
        gone = escape(_("该跟帖已删除"))
        out.append(f'<p class="comment-placeholder empty">{gone}</p>\n')
    else:
        name = escape(c.user.public_name)
        to = ""
        if c.reply_to_id:
            answered = _("回复 @%(name)s") % {"name": c.reply_to.public_name}
            to = f' <span class="comment-reply-to">{escape(answered)}</span>'
        out.append(
            f'<div class="comment-main">\n<p class="comment-meta"><span class="comment-user">'
            f'{name}</span>{to} <time datetime="{c.created_iso}">{c.created_label}</time></p>\n'
            f'<div class="comment-body">{c.body_html}</div>\n'
            f'<div class="comment-actions actions">{_actions(c, viewer)}</div>\n</div>'
        )
    if not c.parent_id:
        if c.shown_replies:
            label = escape(_("对%(name)s的回复") % {"name": c.user.public_name})
            replies = "".join(comment_html(shown, viewer) for shown in c.shown_replies)
            out.append(
                f'\n<ol class="comment-list comment-replies" aria-label="{label}">\n'
                f"{replies}</ol>\n"
            )
        if c.reply_more:
            more = escape(_("共 %(n)s 条回复，查看全部") % {"n": c.reply_total})
            out.append(
                f'<p class="comment-more"><a href="{viewer.article_url}?sort={viewer.sort}'
                f'&amp;thread={c.pk}#c{c.pk}">{more}</a></p>\n'
            )
    out.append("</li>")
    return mark_safe("".join(out))


def _actions(c: Comment, viewer: Viewer) -> str:
    # Gettext calls stay out of f-strings: xgettext does not look inside them.
    like = escape(_("赞"))
    if viewer.user_id is None:
        sign_in = escape(_("登录后点赞"))
        return (
            f'<a class="comment-like" href="{viewer.login_url}" '
            f'title="{sign_in}">{like} {c.like_count}</a>\n'
        )
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(viewer.csrf_token)}">'
    back = f'<input type="hidden" name="next" value="{escape(viewer.back)}">'
    liked = "true" if c.liked else "false"
    drafted = viewer.draft_parent == c.pk
    body = escape(viewer.draft_body) if drafted else ""
    to_whom = escape(_("回复 @%(name)s") % {"name": c.user.public_name})
    reply, post, confirm, delete = (
        escape(_("回复")),
        escape(_("发表回复")),
        escape(_("确定删除这条跟帖吗？")),
        escape(_("删除")),
    )
    out = [
        f'<form method="post" action="{fast_reverse("engagement:comment_like", [c.pk])}" '
        f'class="inline" data-comment-like>{csrf}{back}<input type="hidden" name="action" '
        f'value="{"unlike" if c.liked else "like"}"><button type="submit" class="linklike" '
        f'aria-pressed="{liked}">{like} <span data-like-count>{c.like_count}</span></button>'
        "</form>\n"
        f'<details class="comment-reply-box"{" open" if drafted else ""}><summary>'
        f"{reply}</summary>\n"
        f'<form method="post" action="{fast_reverse("engagement:comment_create", [c.article_id])}"'
        f" data-comment-form>{csrf}{back}"
        f'<input type="hidden" name="parent" value="{c.pk}">\n<div class="field">'
        f'<label for="reply-{c.pk}">{to_whom}</label>\n<textarea id="reply-{c.pk}" '
        f'name="body" rows="3" maxlength="2000" required>{body}</textarea></div>\n'
        '<p class="field-error" data-form-error hidden></p><button type="submit" '
        f'class="button">{post}</button></form></details>\n'
    ]
    if viewer.user_id == c.user_id or viewer.moderator:
        out.append(
            f'<form method="post" action="{fast_reverse("engagement:comment_delete", [c.pk])}" '
            'class="inline" data-comment-delete '
            f'data-confirm="{confirm}">'
            f'{csrf}{back}<button type="submit" class="linklike">{delete}</button>'
            "</form>\n"
        )
    return "".join(out)
