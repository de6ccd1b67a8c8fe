"""Analyse articles as they are saved, publish them into the index, keep the IDF counts."""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from django.db import connection, transaction
from django.db.models import Q

from yaowen.analysis import engine
from yaowen.analysis.models import ArticleAnalysis, TermStat
from yaowen.analysis.selectors import (
    DOCUMENTS_TERM,
    Match,
    idf_model,
    near_duplicates,
    same_titles,
    same_titles_among,
    training_examples,
)
from yaowen.core.progress import Progress, no_progress
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.rendering import plain_text
from yaowen.recommend.similarity import related_features
from yaowen.search.facets import facet_tokens
from yaowen.textkit.keywords import IdfModel, idf_fit, idf_from_counts, keywords
from yaowen.textkit.normalize import normalize
from yaowen.textkit.simhash import blocks16, fingerprints, title_key, to_signed64
from yaowen.textkit.tokenize import subword_grams

if TYPE_CHECKING:
    from yaowen.textkit.classifier import ChannelClassifier

KEYWORDS_TOP = 8
# Title words count this many times in the keyword weights: a headline names the topic.
TITLE_WEIGHT = 2
# A body shorter than this many words gives a fingerprint that a few edits turn upside
# down; such bodies are compared by title only.
MIN_FINGERPRINT_WORDS = 40
# Shorter normalised titles ("今日要闻") are too common to call a copy.
MIN_TITLE_KEY = 8
MAX_TERM_LENGTH = 64
BATCH = 1000


def article_analyse(*, article: Article, new: bool = False) -> ArticleAnalysis:
    """Recompute keywords, fingerprint and predicted channel from the article's current
    text, and look for an earlier original by another creator. Saving a published
    article's analysis also updates its search index entry (database triggers).

    `new`: the article was just created, so its analysis is inserted without first trying
    an update that would carry all its words for nothing."""
    tok = engine.tokenizer()
    title_tokens = tok.tokens(article.title)
    body_tokens = tok.tokens(plain_text(article.body_source))
    analysis = _analysis(
        article, title_tokens, body_tokens, idf_model([*title_tokens, *body_tokens])
    )
    _note_original(analysis, _earlier_original(analysis))
    analysis.save(force_insert=new)
    return analysis


def original_of(*, article: Article) -> Article | None:
    """The earlier published article by another creator that `article`'s current text
    copies, or None; analysed afresh (newsroom asks at submission, through
    settings.HOOKS["article_original"])."""
    analysis = article_analyse(article=article)
    if analysis.duplicate_of_id is None:
        return None
    return Article.objects.filter(pk=analysis.duplicate_of_id).first()


def original_recheck(*, article: Article) -> ArticleAnalysis:
    """Look again for an earlier original (others may have published since the last save)."""
    analysis = ArticleAnalysis.objects.filter(article_id=article.pk).first()
    if analysis is None:
        return article_analyse(article=article)
    _note_original(analysis, _earlier_original(analysis))
    analysis.save(update_fields=["duplicate_of", "duplicate_kind", "duplicate_distance"])
    return analysis


def analysis_publish(*, article: Article) -> None:
    """The article went live: index it for search and count its words in the IDF."""
    rows = ArticleAnalysis.objects.filter(article_id=article.pk)
    live = {
        "published_at": article.published_at,
        "facets": facet_tokens(
            channel_id=article.channel_id,
            author_id=article.author_id,
            published_at=article.published_at,
        ),
    }
    if rows.filter(published_at__isnull=True).update(**live):
        title, body = rows.values_list("title_terms", "body_terms").get()
        terms_count([document_terms(title, body, article.title)])
    elif not rows.update(**live):
        # Saved before analysis existed: analysed now, and published with it.
        analysis = article_analyse(article=article)
        terms_count([document_terms(analysis.title_terms, analysis.body_terms, article.title)])


def analyses_for_new_articles(articles: list[Article]) -> list[ArticleAnalysis]:
    """`article_analyse` for a batch of just-created articles: one IDF read, one insert.

    Published ones enter the search index with the insert; their words are not counted
    here (see `terms_count`)."""
    tok = engine.tokenizer()
    tokens = [(tok.tokens(a.title), tok.tokens(plain_text(a.body_source))) for a in articles]
    idf = idf_model(term for title, body in tokens for term in (*title, *body))
    channel_ids: dict[str, int | None] = {}  # classifier label -> channel, for this batch
    analyses = [
        _analysis(article, title_tokens, body_tokens, idf, channel_ids)
        for article, (title_tokens, body_tokens) in zip(articles, tokens, strict=True)
    ]
    titles = same_titles_among({analysis.title_key for analysis in analyses} - {""})
    for analysis in analyses:
        _note_original(analysis, _earlier_original(analysis, titles.get(analysis.title_key, [])))
    return ArticleAnalysis.objects.bulk_create(analyses)


def analysis_unpublish(*, article: Article) -> None:
    """The article left the site: out of search and out of near-duplicate lookups.

    Its words stay counted in the IDF until the next `keywords refit`.
    """
    ArticleAnalysis.objects.filter(article_id=article.pk, published_at__isnull=False).update(
        published_at=None
    )


def idf_refit(*, progress: Progress = no_progress) -> int:
    """Recount document frequencies over the published articles, then recompute every
    published article's keywords with them. Returns the number of articles counted."""
    published = ArticleAnalysis.objects.filter(published_at__isnull=False)
    total = published.count()
    rows = published.values_list("title_terms", "body_terms", "article__title")
    documents = (
        document_terms(*row)
        for row in _ticking(rows.iterator(chunk_size=2000), progress("IDF", total))
    )
    fitted = idf_fit(documents, min_df=1)
    counts = {term: df for term, df in fitted.df.items() if len(term) <= MAX_TERM_LENGTH}
    with transaction.atomic():
        TermStat.objects.all().delete()
        TermStat.objects.bulk_create(
            (TermStat(term=term, df=df) for term, df in counts.items()), batch_size=5000
        )
        TermStat.objects.create(term=DOCUMENTS_TERM, df=total)
    model = idf_from_counts(counts, total)
    batch: list[ArticleAnalysis] = []
    rows = published.only("article_id", "title_terms", "body_terms").iterator(chunk_size=2000)
    for analysis in _ticking(rows, progress("keywords", total)):
        title, body = analysis.title_terms.split(), analysis.body_terms.split()
        analysis.keywords = _keywords(title, body, model)
        batch.append(analysis)
        if len(batch) >= BATCH:
            ArticleAnalysis.objects.bulk_update(batch, ["keywords"])
            batch = []
    ArticleAnalysis.objects.bulk_update(batch, ["keywords"])
    return total


def analysis_rebuild(*, progress: Progress = no_progress) -> int:
    """Analyse every article again from its text, in bulk: after a bulk import (the demo),
    a dictionary change or a tokenizer upgrade. Rewrites the search index and the IDF,
    then looks for earlier originals of the articles awaiting review."""
    tok = engine.tokenizer()
    articles = Article.objects.exclude(status=Article.Status.REMOVED)
    total = articles.count()
    ArticleAnalysis.objects.all().delete()
    no_idf = idf_from_counts({}, 0)  # keywords come after, from the refitted IDF
    rows = articles.only(
        "id", "author_id", "channel_id", "status", "published_at", "title", "body_source"
    ).iterator(chunk_size=BATCH)
    batch: list[ArticleAnalysis] = []
    for article in _ticking(rows, progress("analyse", total)):
        title_tokens = tok.tokens(article.title)
        body_tokens = tok.tokens(plain_text(article.body_source))
        batch.append(_analysis(article, title_tokens, body_tokens, no_idf))
        if len(batch) >= BATCH:
            ArticleAnalysis.objects.bulk_create(batch)
            batch = []
    ArticleAnalysis.objects.bulk_create(batch)
    idf_refit(progress=progress)
    for article in Article.objects.filter(status=Article.Status.PENDING):
        original_recheck(article=article)
    return total


def classifier_train() -> "ChannelClassifier":
    """Train the channel classifier on the published articles and save it where every
    process loads it from (CLASSIFIER_PATH); new articles get its prediction."""
    # Here, not at the top: scikit-learn is for training, not for every command's start.
    from yaowen.textkit.classifier import ChannelClassifier

    model = ChannelClassifier().fit(training_examples())
    model.save(engine.classifier_path())
    return model


def _analysis(
    article: Article,
    title_tokens: list[str],
    body_tokens: list[str],
    idf: IdfModel,
    channel_ids: dict[str, int | None] | None = None,
) -> ArticleAnalysis:
    fields = ArticleAnalysis.FINGERPRINT_FIELDS
    long_enough = len(body_tokens) >= MIN_FINGERPRINT_WORDS
    prints = fingerprints(body_tokens, len(fields)) if long_enough else (0,) * len(fields)
    key = title_key(article.title)
    analysis = ArticleAnalysis(
        article=article,
        author_id=article.author_id,
        channel_id=article.channel_id,
        published_at=article.published_at if article.is_public else None,
        title_terms=" ".join(title_tokens),
        body_terms=" ".join(body_tokens),
        grams=" ".join(subword_grams([*title_tokens, *body_tokens])),
        facets=facet_tokens(
            channel_id=article.channel_id,
            author_id=article.author_id,
            published_at=article.published_at if article.is_public else None,
        ),
        keywords=_keywords(title_tokens, body_tokens, idf),
        title_key=key[:64] if len(key) >= MIN_TITLE_KEY else "",
        predicted_channel_id=_predicted_channel(article, channel_ids),
    )
    for number, (field, fingerprint) in enumerate(zip(fields, prints, strict=True)):
        setattr(analysis, field, to_signed64(fingerprint))
        for offset, block in enumerate(blocks16(fingerprint)):
            setattr(analysis, f"block{4 * number + offset}", block)
    return analysis


def _keywords(title: list[str], body: list[str], idf: IdfModel) -> list[list]:
    """[[term, weight], ...], strongest first, weights rounded for storage."""
    ranked = keywords(title * TITLE_WEIGHT + body, idf, top=KEYWORDS_TOP)
    return [[term, round(weight, 4)] for term, weight in ranked]


def _predicted_channel(
    article: Article, channel_ids: dict[str, int | None] | None = None
) -> int | None:
    """The classifier's channel id; `channel_ids` remembers labels across one batch."""
    model = engine.classifier()
    if model is None:
        return None
    label = model.predict(article.title, article.body_source)
    if channel_ids is None or label not in channel_ids:
        found = Channel.objects.filter(Q(slug=label) | Q(name=label)).values_list("pk", flat=True)
        if channel_ids is None:
            return found.first()
        channel_ids[label] = found.first()
    return channel_ids[label]


def _earlier_original(
    analysis: ArticleAnalysis, titles: list[Match] | None = None
) -> tuple[Match, str] | None:
    """The oldest published article by another creator that this one nearly copies;
    `titles`: the published articles with the same title key, when already read."""

    def earlier(matches: list[Match]) -> Match | None:
        mine = analysis.published_at
        for match in matches:
            if match.author_id != analysis.author_id and (
                mine is None or match.published_at < mine
            ):
                return match
        return None

    body = earlier(near_duplicates(analysis.prints, exclude_article=analysis.article_id))
    if body is not None:
        return body, ArticleAnalysis.DuplicateKind.BODY
    if titles is None:
        titles = same_titles(analysis.title_key, exclude_article=analysis.article_id)
    title = earlier([match for match in titles if match.article_id != analysis.article_id])
    if title is not None:
        return title, ArticleAnalysis.DuplicateKind.TITLE
    return None


def _note_original(analysis: ArticleAnalysis, found: tuple[Match, str] | None) -> None:
    match, kind = found if found is not None else (None, ArticleAnalysis.DuplicateKind.NONE)
    analysis.duplicate_of_id = match.article_id if match else None
    analysis.duplicate_kind = kind
    analysis.duplicate_distance = match.distance if match else None


def document_terms(title_terms: str, body_terms: str, title_text: str) -> list[str]:
    """What a published article adds to the document frequencies: its words, and the
    features of its related vector (`recommend.similarity`), which weigh by the same IDF."""
    title, body = title_terms.split(), body_terms.split()
    return list({*title, *body, *related_features(title, body, title=normalize(title_text))})


def terms_count(documents: Iterable[Iterable[str]]) -> None:
    """Add documents, each given as its tokens, to the IDF's counts."""
    df: Counter[str] = Counter()
    for tokens in documents:
        df.update({term for term in tokens if len(term) <= MAX_TERM_LENGTH})
        df[DOCUMENTS_TERM] += 1
    table = connection.ops.quote_name(TermStat._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (term, df) VALUES (%s, %s) "
            f"ON CONFLICT (term) DO UPDATE SET df = {table}.df + excluded.df",
            sorted(df.items()),
        )


def _ticking(rows: Iterable, tick: Callable[[int], None]) -> Iterator:
    """Pass `rows` through, reporting progress every hundred rows."""
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % 100 == 0:
            tick(100)
    tick(done % 100)
