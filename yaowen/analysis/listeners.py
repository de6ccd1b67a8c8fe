"""What analysis does when articles change (settings.EVENT_LISTENERS): analyse the text,
put live articles into the search index and the IDF counts, and announce
`article.indexed` so recommendations follow. Each is idempotent: the same event twice
leaves the same rows and counts."""

from yaowen.analysis.models import ArticleAnalysis
from yaowen.analysis.services import (
    analyses_for_new_articles,
    analysis_publish,
    analysis_unpublish,
    article_analyse,
    document_terms,
    terms_count,
)
from yaowen.jobs.delivery import Event
from yaowen.jobs.events import announce
from yaowen.newsroom.models import Article


def _article(event: Event) -> Article | None:
    return Article.objects.filter(pk=event["article_id"]).first()


def article_changed(event: Event) -> None:
    """article.created / article.updated: analyse the current text."""
    article = _article(event)
    if article is None or article.status == Article.Status.REMOVED:
        return
    if article.is_public:
        # First, so a first publication's words are counted whichever event comes first.
        analysis_publish(article=article)
    article_analyse(article=article)
    if article.is_public:
        announce("article.indexed", article_id=article.pk)


def article_live(event: Event) -> None:
    """article.published / article.restored: searchable, counted, and on to recommend."""
    article = _article(event)
    if article is None or not article.is_public:
        return
    analysis_publish(article=article)
    announce("article.indexed", article_id=article.pk)


def article_gone(event: Event) -> None:
    """article.removed: out of search and of near-duplicate lookups."""
    article = _article(event)
    if article is not None and not article.is_public:
        analysis_unpublish(article=article)


def articles_imported(event: Event) -> None:
    """articles.imported: analyse a batch at once (one IDF read and write), then index it."""
    ids = event["article_ids"]
    done = set(
        ArticleAnalysis.objects.filter(article_id__in=ids).values_list("article_id", flat=True)
    )
    articles = list(Article.objects.filter(pk__in=ids).exclude(pk__in=done).order_by("pk"))
    analyses = analyses_for_new_articles(articles)
    live = [analysis for analysis in analyses if analysis.published_at is not None]
    if live:
        terms_count(document_terms(a.title_terms, a.body_terms, a.article.title) for a in live)
    if event["published"]:
        announce("articles.indexed", article_ids=ids)
