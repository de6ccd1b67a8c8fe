"""Bulk import: many articles of one creator through the publishing pipeline in batches.

The same steps as `article_create` + `article_publish` (clean, render, revision 1,
analysis with keywords, fingerprint, predicted channel and earlier original, search index,
IDF counts, author counter, caches), done a batch at a time: one transaction, one IDF read
and one IDF write per batch instead of per article. For a creator moving an archive in
(内容搬家), for staff loading content, and for evaluation corpora.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import islice

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yaowen.accounts.models import CreatorProfile, User
from yaowen.core.errors import ApplicationError
from yaowen.jobs.events import announce
from yaowen.newsroom.models import Article, ArticleRevision
from yaowen.newsroom.services.articles import (
    ArticleInput,
    _apply,
    _clean,
    invalidate_article_pages,
    revision_of,
)

BATCH_SIZE = 200


@dataclass
class ImportResult:
    created: int = 0
    published: int = 0
    # The new articles' ids, in input order.
    article_ids: list[int] = field(default_factory=list)
    # (position in the input, counting from 1; the message)
    errors: list[tuple[int, str]] = field(default_factory=list)


def articles_import(
    *,
    author: CreatorProfile,
    items: Iterable[tuple[int, ArticleInput]],
    by: User,
    publish: bool = False,
    batch_size: int = BATCH_SIZE,
    tick: Callable[[int], None] = lambda done: None,
) -> ImportResult:
    """Create (and with `publish`, publish at once) every valid item as `author`'s article.

    `items` are (position, input) pairs; an invalid input is skipped and reported with its
    position, the others go in. Articles within one import are not checked against each
    other for copying: they share an author.
    """
    result = ImportResult()
    items = iter(items)
    while batch := list(islice(items, batch_size)):
        _import_batch(author, batch, by, publish, result)
        tick(len(batch))
    return result


@transaction.atomic
def _import_batch(
    author: CreatorProfile,
    batch: list[tuple[int, ArticleInput]],
    by: User,
    publish: bool,
    result: ImportResult,
) -> None:
    now = timezone.now()
    articles: list[Article] = []
    inputs: list[ArticleInput] = []
    for position, item in batch:
        try:
            data = _clean(item)
        except ApplicationError as error:
            result.errors.append((position, str(error)))
            continue
        article = Article(author=author, status=Article.Status.DRAFT)
        _apply(article, data)
        if publish:
            article.status = Article.Status.PUBLISHED
            article.submitted_at = article.published_at = now
        articles.append(article)
        inputs.append(data)
    if not articles:
        return
    Article.objects.bulk_create(articles)
    ArticleRevision.objects.bulk_create(
        revision_of(article, data, by.pk, number=1)
        for article, data in zip(articles, inputs, strict=True)
    )
    # Analysed, indexed and given related lists in the background, one batch at a time.
    announce(
        "articles.imported", article_ids=[article.pk for article in articles], published=publish
    )
    result.created += len(articles)
    result.article_ids.extend(article.pk for article in articles)
    if publish:
        CreatorProfile.objects.filter(pk=author.pk).update(
            article_count=F("article_count") + len(articles)
        )
        result.published += len(articles)
    # New articles have no cached page of their own; the pages listing them are those of
    # the last one plus every channel the batch went to.
    channels = list({article.channel_id: article.channel for article in articles}.values())
    transaction.on_commit(
        lambda: invalidate_article_pages(articles[-1], pages=publish, channels=channels)
    )
