"""Analyse articles as they are saved, publish them into the index, keep the IDF counts."""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from django.db import connection, transaction

from yaowen.analysis import engine
from yaowen.analysis.facets import facet_tokens
from yaowen.analysis.models import ArticleAnalysis, CopyAnchor, TermStat
from yaowen.analysis.selectors import (
    ANCHORS_PER_QUERY,
    DOCUMENTS_TERM,
    Match,
    idf_model,
    near_duplicates,
    same_titles,
    same_titles_among,
    training_examples,
)
from yaowen.core.progress import Progress, no_progress
from yaowen.core.rows import converted_rows
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.rendering import plain_text
from yaowen.textkit import copies
from yaowen.textkit.keywords import IdfModel, idf_fit, idf_from_counts, keywords
from yaowen.textkit.normalize import normalize
from yaowen.textkit.simhash import fingerprints, title_key, to_signed64
from yaowen.textkit.similarity import related_features
from yaowen.textkit.tokenize import subword_grams

if TYPE_CHECKING:
    from yaowen.textkit.classifier import ChannelClassifier

KEYWORDS_TOP = 8
# Title words count this many times in the keyword weights: a headline names the topic.
TITLE_WEIGHT = 2
# A body shorter than this many words gives a fingerprint that a few edits turn upside
# down; such bodies get none (the fingerprints keep near-identical articles apart in lists).
MIN_FINGERPRINT_WORDS = 40
# Shorter normalised titles ("今日要闻") are too common to call a copy.
MIN_TITLE_KEY = 8
MAX_TERM_LENGTH = 64
BATCH = 1000
# What the search index reads of an analysis: writing any of these columns rewrites the
# article's index entry (`search.schema`).
INDEXED_FIELDS = ("title_terms", "body_terms", "grams", "facets", "published_at")
_FIELDS = {field.name: field for field in ArticleAnalysis._meta.concrete_fields}
_REST = [
    field
    for field in ArticleAnalysis._meta.concrete_fields
    if not field.primary_key and field.name not in INDEXED_FIELDS
]


def article_analyse(*, article: Article, new: bool = False) -> ArticleAnalysis:
    """Recompute keywords, fingerprint and predicted channel from the article's current
    text, and look for an earlier original by another creator. Saving a published
    article's analysis also updates its search index entry (database triggers).

    `new`: the article was just created, so its analysis is inserted without first trying
    an update that would carry all its words for nothing."""
    tok = engine.tokenizer()
    plain = plain_text(article.body_source)
    title_tokens = tok.tokens(article.title)
    body_tokens = tok.tokens(plain)
    analysis = _analysis(
        article, plain, title_tokens, body_tokens, idf_model([*title_tokens, *body_tokens])
    )
    _note_original(analysis, _earlier_original(analysis))
    if new:
        analysis.save(force_insert=True)
    else:
        _analysis_save(analysis)
    _anchors_store([analysis], new=new)
    return analysis


def _analysis_save(analysis: ArticleAnalysis) -> None:
    """Save the analysis of an article that may have one already, rewriting its search
    index entry only when what the index reads has changed.

    A published article is analysed again on every event about it (published, updated,
    submitted), mostly with the same text: the index triggers (`search.schema`) would
    delete and re-add its entry each time, the largest cost of such a save."""
    quote = connection.ops.quote_name
    table = quote(ArticleAnalysis._meta.db_table)
    indexed = [_FIELDS[name] for name in INDEXED_FIELDS]
    stored = converted_rows(
        f"SELECT {', '.join(quote(field.column) for field in indexed)} FROM {table} "
        f"WHERE article_id = %s",
        [analysis.article_id],
        indexed,
    )
    if not stored:
        analysis.save(force_insert=True)
        return
    if stored[0] != tuple(getattr(analysis, field.attname) for field in indexed):
        analysis.save()
        return
    # The other columns, by raw SQL: the ORM took longer to build the statement than the
    # database to run it. Values are prepared for the database as the ORM prepares them.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {', '.join(f'{quote(field.column)} = %s' for field in _REST)} "
            f"WHERE article_id = %s",
            [
                *(
                    field.get_db_prep_save(getattr(analysis, field.attname), connection)
                    for field in _REST
                ),
                analysis.article_id,
            ],
        )
        updated = cursor.rowcount
    if not updated:
        analysis.save()  # gone since it was read
        return
    analysis._state.adding, analysis._state.db = False, connection.alias  # as save() leaves it


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
    analysis.sketch = copies.sketch(plain_text(article.body_source))
    _note_original(analysis, _earlier_original(analysis))
    analysis.save(update_fields=["duplicate_of", "duplicate_kind", "duplicate_share"])
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
    """`article_analyse` for a batch of just-created articles: one IDF read, one insert, one
    insert of copy anchors.

    Published ones enter the search index with the insert; their words are not counted
    here (see `terms_count`)."""
    tok = engine.tokenizer()
    plains = [plain_text(article.body_source) for article in articles]
    tokens = [
        (tok.tokens(article.title), tok.tokens(plain))
        for article, plain in zip(articles, plains, strict=True)
    ]
    idf = idf_model(term for title, body in tokens for term in (*title, *body))
    channel_ids: dict[str, int | None] = {}  # classifier label -> channel, for this batch
    analyses = [
        _analysis(article, plain, title_tokens, body_tokens, idf, channel_ids)
        for article, plain, (title_tokens, body_tokens) in zip(
            articles, plains, tokens, strict=True
        )
    ]
    titles = same_titles_among({analysis.title_key for analysis in analyses} - {""})
    for analysis in analyses:
        _note_original(analysis, _earlier_original(analysis, titles.get(analysis.title_key, [])))
    created = ArticleAnalysis.objects.bulk_create(analyses)
    _anchors_store(analyses, new=True)
    return created


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
    a dictionary change or a tokenizer upgrade. Rewrites the search index, the copy
    anchors and the IDF, then looks for earlier originals of the articles awaiting review.

    Articles go oldest first, so that an anchor common enough to stop taking articles
    stays with the first ones that had it, as it does when they are published."""
    tok = engine.tokenizer()
    articles = Article.objects.exclude(status=Article.Status.REMOVED).order_by("pk")
    total = articles.count()
    CopyAnchor.objects.all().delete()
    ArticleAnalysis.objects.all().delete()
    no_idf = idf_from_counts({}, 0)  # keywords come after, from the refitted IDF
    rows = articles.only(
        "id", "author_id", "channel_id", "status", "published_at", "title", "body_source"
    ).iterator(chunk_size=BATCH)
    batch: list[ArticleAnalysis] = []
    for article in _ticking(rows, progress("analyse", total)):
        plain = plain_text(article.body_source)
        title_tokens = tok.tokens(article.title)
        body_tokens = tok.tokens(plain)
        batch.append(_analysis(article, plain, title_tokens, body_tokens, no_idf))
        if len(batch) >= BATCH:
            ArticleAnalysis.objects.bulk_create(batch)
            _anchors_store(batch, new=True)
            batch = []
    ArticleAnalysis.objects.bulk_create(batch)
    _anchors_store(batch, new=True)
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
    plain: str,
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
    for field, fingerprint in zip(fields, prints, strict=True):
        setattr(analysis, field, to_signed64(fingerprint))
    analysis.sketch = copies.sketch(plain)
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
    if channel_ids is None:
        return _channel_id(label)
    if label not in channel_ids:
        channel_ids[label] = _channel_id(label)
    return channel_ids[label]


def _channel_id(label: str) -> int | None:
    """The channel a classifier label names, by slug or by name (the first in channel
    order, should two match).

    Asked of the database every time, so it is right whichever process edits channels
    and however (no cache to invalidate): one lookup by unique index. Raw SQL: the ORM
    took 0.2 ms to build what runs in 0.01 ms."""
    table = connection.ops.quote_name(Channel._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {table} WHERE slug = %s OR name = %s ORDER BY position, id LIMIT 1",
            [label, label],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def _earlier_original(
    analysis: ArticleAnalysis, titles: list[Match] | None = None
) -> tuple[Match, str] | None:
    """The oldest published article by another creator, published before this one, that
    this one copies (whole or in part) or that holds it; failing that, the oldest with
    the same title. `titles`: the published articles with that title key, when already
    read. Needs `analysis.sketch`."""

    def earlier(matches: list[Match]) -> Match | None:
        mine = analysis.published_at
        for match in matches:
            if match.author_id != analysis.author_id and (
                mine is None or match.published_at < mine
            ):
                return match
        return None

    body = earlier(near_duplicates(analysis.sketch, exclude_article=analysis.article_id))
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
    analysis.duplicate_share = match.share if match else None


def _anchors_store(analyses: list[ArticleAnalysis], *, new: bool = False) -> None:
    """Index the analysed texts (`analysis.sketch`) for copy lookups, in place of what their
    articles had (`new`: they had nothing). An anchor that COMMON_ANCHOR articles already
    hold (earlier in this batch included) is boilerplate: the text keeps its next smallest
    anchor instead, and no lookup reads more than COMMON_ANCHOR rows for one anchor.

    An article whose anchors come out as it holds them (analysed again, text unchanged)
    keeps its rows: they are read rather than deleted and written back."""
    table = connection.ops.quote_name(CopyAnchor._meta.db_table)
    held_before: dict[int, set[int]] = {}
    if not new:  # raw SQL here and below: the ORM cost more than the statements
        ids = [a.article_id for a in analyses]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT article_id, anchor FROM {table} "
                f"WHERE article_id IN ({', '.join(['%s'] * len(ids))})",
                ids,
            )
            for article_id, anchor in cursor.fetchall():
                held_before.setdefault(article_id, set()).add(anchor)
    sketches = [(a.article_id, a.sketch) for a in analyses if a.sketch and a.sketch.comparable]
    firsts = {
        article_id: copies.to_signed(sketch.candidate_anchors()) for article_id, sketch in sketches
    }
    wanted = sorted({anchor for anchors in firsts.values() for anchor in anchors})
    held: Counter[int] = Counter()
    kept: dict[int, list[int]] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), ANCHORS_PER_QUERY):
            chunk = wanted[start : start + ANCHORS_PER_QUERY]
            cursor.execute(
                f"SELECT anchor, COUNT(*) FROM {table} "
                f"WHERE anchor IN ({', '.join(['%s'] * len(chunk))}) GROUP BY anchor",
                chunk,
            )
            held.update(dict(cursor.fetchall()))
        for anchors in held_before.values():  # rows about to be replaced count for nothing
            held.subtract(anchors)
        for article_id, sketch in sketches:
            common = {a for a in firsts[article_id] if held[a] >= CopyAnchor.COMMON_ANCHOR}
            kept[article_id] = copies.to_signed(sketch.kept_anchors(common=common))
            held.update(kept[article_id])
        changed = [
            a.article_id
            for a in analyses
            if set(kept.get(a.article_id, ())) != held_before.get(a.article_id, set())
        ]
        stale = [article_id for article_id in changed if article_id in held_before]
        if stale:
            cursor.execute(
                f"DELETE FROM {table} WHERE article_id IN ({', '.join(['%s'] * len(stale))})",
                stale,
            )
        rows = [
            (anchor, article_id) for article_id in changed for anchor in kept.get(article_id, ())
        ]
        if rows:
            cursor.executemany(
                f"INSERT INTO {table} (anchor, article_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                rows,
            )


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
