"""Article content: create and edit (each save kept as a revision), restore, remove."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorProfile, User
from yaowen.core.cache import invalidate
from yaowen.core.errors import ApplicationError, PermissionDeniedError
from yaowen.core.hooks import hook
from yaowen.core.pagecache import pages_invalidate
from yaowen.governance.roles import Action, can
from yaowen.jobs.events import announce
from yaowen.newsroom.models import Article, ArticleReference, ArticleRevision, Channel
from yaowen.newsroom.rendering import render_body, summarise
from yaowen.newsroom.selectors import author_recent_key, references_key
from yaowen.newsroom.services.pages import article_pages
from yaowen.wordfilter.services import screen_text

TITLE_REQUIRED = _("标题不能为空。")
BODY_REQUIRED = _("正文不能为空。")
ALREADY_REMOVED = _("文章已下架。")
REASON_REQUIRED = _("下架必须填写原因。")
NOT_YOUR_ARTICLE = _("只有作者本人或平台编辑可以修改这篇文章。")
NOT_EDITABLE = _("已下架的文章不能再修改。")
ORIGINAL_CLAIM_WITHDRAWN = _(
    "编辑已认定这篇文章的原创声明不实，不能再次声明原创；如有异议请在消息中申诉。"
)
MAX_TAGS = 5
# Lengths the service enforces whoever calls it (forms say the same first). A body of
# 50,000 characters is several times the longest real news article; more only stalls
# rendering, analysis and the search index.
TITLE_MAX_LENGTH = 64
SUMMARY_MAX_LENGTH = 200
BODY_MAX_LENGTH = 50_000
MAX_REFERENCES = 30
REFERENCE_SOURCE_MAX_LENGTH = 60
REFERENCE_TITLE_MAX_LENGTH = 120
REFERENCE_URL_MAX_LENGTH = 200
TITLE_TOO_LONG = _("标题最多 %(limit)d 个字。")
SUMMARY_TOO_LONG = _("摘要最多 %(limit)d 个字。")
BODY_TOO_LONG = _("正文最多 %(limit)d 个字（现在 %(count)d 个），请删减或分成几篇发布。")
TOO_MANY_REFERENCES = _("参考资料最多 %(limit)d 条。")
REFERENCE_TOO_LONG = _("参考资料的来源最多 60 个字，标题最多 120 个字，链接最多 200 个字符。")


@dataclass(frozen=True)
class ReferenceInput:
    source: str
    title: str = ""
    published_on: dt.date | None = None
    url: str = ""

    def as_json(self) -> dict:
        return {
            "source": self.source,
            "title": self.title,
            "published_on": self.published_on.isoformat() if self.published_on else None,
            "url": self.url,
        }

    @classmethod
    def from_reference(cls, reference) -> "ReferenceInput":
        """From anything with source, title, published_on and url (a stored reference)."""
        return cls(
            source=reference.source,
            title=reference.title,
            published_on=reference.published_on,
            url=reference.url,
        )

    @classmethod
    def from_json(cls, data: dict) -> "ReferenceInput":
        published = data.get("published_on")
        return cls(
            source=data.get("source", ""),
            title=data.get("title", ""),
            published_on=dt.date.fromisoformat(published) if published else None,
            url=data.get("url", ""),
        )


@dataclass(frozen=True)
class ArticleInput:
    """What a creator edits; the same shape for a new article, an edit and a revision."""

    title: str
    channel: Channel
    body_source: str
    summary: str = ""
    tags: Sequence[str] = ()
    references: Sequence[ReferenceInput] = ()
    is_original: bool = False
    cover: str = ""
    cover_alt: str = ""

    @classmethod
    def from_article(cls, article: Article, **changes) -> "ArticleInput":
        """The article's current content as an input, with `changes` applied."""
        values = {
            "title": article.title,
            "channel": article.channel,
            "body_source": article.body_source,
            "summary": article.summary,
            "tags": article.tags,
            "references": [ReferenceInput.from_reference(ref) for ref in article.references.all()],
            "is_original": article.is_original,
        }
        return cls(**{**values, **changes})


def _clean(data: ArticleInput) -> ArticleInput:
    title = data.title.strip()
    if not title:
        raise ApplicationError(str(TITLE_REQUIRED))
    if not data.body_source.strip():
        raise ApplicationError(str(BODY_REQUIRED))
    _check_lengths(data, title)
    tags: list[str] = []
    for tag in data.tags:
        tag = tag.strip().lstrip("#")[:16]
        if tag and tag not in tags:
            tags.append(tag)
    return ArticleInput(
        title=title,
        channel=data.channel,
        body_source=data.body_source.replace("\r\n", "\n"),
        summary=data.summary.strip(),
        tags=tags[:MAX_TAGS],
        references=[r for r in data.references if r.source.strip() or r.title.strip()],
        is_original=data.is_original,
        cover=data.cover,
        cover_alt=data.cover_alt,
    )


def _check_lengths(data: ArticleInput, title: str) -> None:
    """Refuse text past the limits before any of it is rendered, analysed or stored."""
    if len(title) > TITLE_MAX_LENGTH:
        raise ApplicationError(str(TITLE_TOO_LONG) % {"limit": TITLE_MAX_LENGTH})
    if len(data.summary.strip()) > SUMMARY_MAX_LENGTH:
        raise ApplicationError(str(SUMMARY_TOO_LONG) % {"limit": SUMMARY_MAX_LENGTH})
    body = len(data.body_source.replace("\r\n", "\n"))
    if body > BODY_MAX_LENGTH:
        raise ApplicationError(str(BODY_TOO_LONG) % {"limit": BODY_MAX_LENGTH, "count": body})
    if len(data.references) > MAX_REFERENCES:
        raise ApplicationError(str(TOO_MANY_REFERENCES) % {"limit": MAX_REFERENCES})
    for reference in data.references:
        if (
            len(reference.source.strip()) > REFERENCE_SOURCE_MAX_LENGTH
            or len(reference.title.strip()) > REFERENCE_TITLE_MAX_LENGTH
            or len(reference.url.strip()) > REFERENCE_URL_MAX_LENGTH
        ):
            raise ApplicationError(str(REFERENCE_TOO_LONG))


def can_edit(*, article: Article, user: User) -> bool:
    """The author, or staff who may change articles."""
    return user.is_authenticated and (
        article.author.user_id == user.pk or user.has_perm("newsroom.change_article")
    )


@transaction.atomic
def article_create(
    *,
    author: CreatorProfile,
    channel: Channel,
    title: str,
    body_source: str,
    summary: str = "",
    tags: Sequence[str] = (),
    references: Sequence[ReferenceInput] = (),
    is_original: bool = False,
    by: User | None = None,
) -> Article:
    """A new draft: body rendered and sanitised, references in order, revision 1 kept."""
    data = _clean(
        ArticleInput(
            title=title,
            channel=channel,
            body_source=body_source,
            summary=summary,
            tags=tags,
            references=references,
            is_original=is_original,
        )
    )
    article = Article(author=author, status=Article.Status.DRAFT)
    _apply(article, data)
    article.save()
    announce("article.created", article_id=article.pk)
    if data.references:
        _write_references(article, data.references)
    _keep_revision(article, data, by.pk if by else author.user_id, first=True)
    return article


@transaction.atomic
def article_update(*, article: Article, data: ArticleInput, by: User) -> Article:
    """Save an edit by the author or staff; every save is kept as a new revision."""
    locked = Article.objects.select_for_update().select_related("author").get(pk=article.pk)
    if not can_edit(article=locked, user=by):
        raise PermissionDeniedError(str(NOT_YOUR_ARTICLE))
    if locked.status == Article.Status.REMOVED:
        raise ApplicationError(str(NOT_EDITABLE))
    data = _clean(data)
    if data.is_original and not locked.is_original and _claim_refused(locked):
        raise ApplicationError(str(ORIGINAL_CLAIM_WITHDRAWN))
    left = locked.channel if locked.channel_id != data.channel.pk else None
    _apply(locked, data)
    if locked.status == Article.Status.REJECTED:
        locked.status = Article.Status.DRAFT
    locked.save()
    live = locked.status == Article.Status.PUBLISHED
    # Analysis (keywords, fingerprints, the search index) and, for a live article, its
    # related lists follow in the background.
    announce("article.updated", article_id=locked.pk, live=live)
    _write_references(locked, data.references)
    _keep_revision(locked, data, by.pk)
    channels = [left] if left else []
    transaction.on_commit(lambda: invalidate_article_pages(locked, pages=live, channels=channels))
    return locked


def _claim_refused(article: Article) -> bool:
    """Whether an editor confirmed this article's 原创 claim false (and no appeal undid it)."""
    return hook("original_claim_refused")(article=article)


@transaction.atomic
def revision_restore(*, article: Article, revision: ArticleRevision, by: User) -> Article:
    """Make an earlier revision the current text again (itself kept as a new revision)."""
    if revision.article_id != article.pk:
        raise ApplicationError(str(NOT_YOUR_ARTICLE))
    data = ArticleInput(
        title=revision.title,
        channel=revision.channel,
        body_source=revision.body_source,
        summary=revision.summary,
        tags=revision.tags,
        references=[ReferenceInput.from_json(item) for item in revision.references],
        is_original=revision.is_original,
        cover=article.cover.name if article.cover else "",
        cover_alt=article.cover_alt,
    )
    return article_update(article=article, data=data, by=by)


@transaction.atomic
def article_remove(*, article: Article, by: User, reason: str) -> Article:
    """Take an article down: its page answers 410 and it leaves every list.

    The author may withdraw their own article; otherwise only staff or an editor who may
    take down articles in its channel (the audited take-down is
    moderation.services.actions.article_take_down, which calls this).
    """
    reason = reason.strip()
    if not reason:
        raise ApplicationError(str(REASON_REQUIRED))
    locked = Article.objects.select_for_update().select_related("author").get(pk=article.pk)
    if not (
        locked.author.user_id == by.pk
        or by.is_staff
        or can(by, Action.ARTICLE_TAKE_DOWN, channel_id=locked.channel_id)
    ):
        raise PermissionDeniedError(str(NOT_YOUR_ARTICLE))
    if locked.status == Article.Status.REMOVED:
        raise ApplicationError(str(ALREADY_REMOVED))
    was_published = locked.status == Article.Status.PUBLISHED
    locked.status = Article.Status.REMOVED
    locked.removed_reason = reason[:200]  # the full reason is in the audit log
    locked.hot_score = 0.0
    locked.save(update_fields=["status", "removed_reason", "hot_score", "updated_at"])
    # Out of search, related lists and hot lists in the background; its page answers 410
    # as soon as this commits.
    announce("article.removed", article_id=locked.pk, author_id=locked.author_id)
    if was_published:
        CreatorProfile.objects.filter(pk=locked.author_id, article_count__gt=0).update(
            article_count=F("article_count") - 1
        )
    transaction.on_commit(lambda: invalidate_article_pages(locked, pages=was_published))
    return locked


def invalidate_article_pages(
    article: Article, *, pages: bool = True, channels: Sequence[Channel] = ()
) -> None:
    """Forget the cached lists that show `article`, and, when it is or was live (`pages`),
    the cached public pages it appears on (and `channels` it has left). Recommendations
    forget theirs when they hear of the change (recommend.listeners)."""
    invalidate(author_recent_key(article.author_id), references_key(article.pk))
    if pages:
        pages_invalidate(article_pages(article, channels=channels))


def _apply(article: Article, data: ArticleInput) -> None:
    # Sensitive words of the "mask" kind reach readers as ＊ (title, body, summary); the
    # author's source keeps them. Block and review words are handled at submission.
    article.title = screen_text(data.title).masked
    article.channel = data.channel
    article.body_source = data.body_source
    shown = screen_text(data.body_source).masked
    article.body_html = render_body(shown)
    article.summary = screen_text(data.summary or summarise(shown)).masked[:200]
    article.tags = list(data.tags)
    article.is_original = data.is_original
    if data.cover:
        article.cover = data.cover
        article.cover_alt = data.cover_alt[:80]


def _write_references(article: Article, references: Sequence[ReferenceInput]) -> None:
    ArticleReference.objects.filter(article=article).delete()
    ArticleReference.objects.bulk_create(
        ArticleReference(
            article=article,
            position=position,
            source=reference.source.strip()[:60],
            title=reference.title.strip()[:120],
            published_on=reference.published_on,
            url=reference.url.strip(),
        )
        for position, reference in enumerate(references)
    )


def _keep_revision(
    article: Article, data: ArticleInput, user_id: int, *, first: bool = False
) -> ArticleRevision:
    last = 0 if first else article.revisions.aggregate(top=Max("number"))["top"] or 0
    revision = revision_of(article, data, user_id, number=last + 1)
    revision.save()
    return revision


def revision_of(
    article: Article, data: ArticleInput, user_id: int, *, number: int
) -> ArticleRevision:
    """An unsaved revision holding `data`: the snapshot every save keeps."""
    return ArticleRevision(
        article=article,
        number=number,
        title=data.title,
        summary=data.summary,
        body_source=data.body_source,
        channel=data.channel,
        tags=list(data.tags),
        references=[reference.as_json() for reference in data.references],
        is_original=data.is_original,
        created_by_id=user_id,
    )
