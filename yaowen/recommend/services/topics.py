"""Topic clusterings for related lists: fitted nightly, assigned to each article at publish.

Each published article gets its nearest centroid in each of TOPIC_MODELS clusterings of
the stored related vectors; a related list's candidates then vote by topic
(`similarity.topic_rerank`). A site with no fitted model yet simply gets no votes.
"""

import threading
import time
from collections.abc import Iterable, Sequence

from django.db import transaction

from yaowen.core.progress import Progress, no_progress
from yaowen.recommend.models import Posting, TopicAssignment, TopicModel
from yaowen.textkit.similarity import Vector, topic_ids, topic_models_fit

# The clusterings are fitted on the newest articles: the topics of today's news.
FIT_ARTICLES = 20000
ASSIGN_BATCH = 2000
# Each process looks for a newer fitted model at most this often.
RECHECK_SECONDS = 10.0

_lock = threading.Lock()
_loaded: dict = {"id": None, "models": [], "checked": 0.0}


def topic_models() -> list:
    """The clusterings in use (the newest `TopicModel`), reloaded when a newer one exists."""
    now = time.monotonic()
    if now - _loaded["checked"] < RECHECK_SECONDS:
        return _loaded["models"]
    with _lock:
        newest = TopicModel.objects.order_by("-pk").values_list("pk", flat=True).first()
        if newest != _loaded["id"]:
            row = TopicModel.objects.filter(pk=newest).values_list("centroids", flat=True)
            _loaded["models"] = row.first() or []
            _loaded["id"] = newest
        _loaded["checked"] = now
    return _loaded["models"]


def topics_forget() -> None:
    """Drop this process's loaded clusterings (tests, and right after a refit)."""
    _loaded.update(id=None, models=[], checked=0.0)


def topic_assign(*, article_id: int, vector: Vector) -> list[int]:
    """Store the article's topic in each clustering (none while no model is fitted)."""
    models = topic_models()
    if not models:
        TopicAssignment.objects.filter(article_id=article_id).delete()
        return []
    ids = topic_ids(vector, models)
    TopicAssignment.objects.update_or_create(article_id=article_id, defaults={"topics": ids})
    return ids


def topics_assign_many(vectors: dict[int, Vector]) -> None:
    """`topic_assign` for a batch of new articles (bulk import)."""
    models = topic_models()
    if not models:
        return
    TopicAssignment.objects.bulk_create(
        (
            TopicAssignment(article_id=article_id, topics=topic_ids(vector, models))
            for article_id, vector in vectors.items()
        ),
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["topics"],
    )


def topics_refit(*, progress: Progress = no_progress) -> int:
    """Fit the clusterings on the newest FIT_ARTICLES vectors, then assign every published
    article its topics. Returns the number of articles assigned."""
    newest = list(
        Posting.objects.values_list("article_id", flat=True)
        .distinct()
        .order_by("-article_id")[:FIT_ARTICLES]
    )
    tick = progress("topics", 1)
    models = topic_models_fit(list(stored_vectors(newest).values())) if newest else []
    tick(1)
    all_ids = list(Posting.objects.values_list("article_id", flat=True).distinct())
    tick = progress("assign", len(all_ids))
    with transaction.atomic():
        TopicModel.objects.all().delete()
        TopicModel.objects.create(centroids=models, articles=len(newest))
        TopicAssignment.objects.all().delete()
        topics_forget()
        for start in range(0, len(all_ids), ASSIGN_BATCH):
            chunk = all_ids[start : start + ASSIGN_BATCH]
            topics_assign_many(stored_vectors(chunk))
            tick(len(chunk))
    topics_forget()
    return len(all_ids)


def stored_topics(article_ids: Iterable[int]) -> dict[int, list[int]]:
    return dict(
        TopicAssignment.objects.filter(article_id__in=list(article_ids)).values_list(
            "article_id", "topics"
        )
    )


def stored_vectors(article_ids: Sequence[int]) -> dict[int, Vector]:
    """The stored related vectors of `article_ids` (empty for articles not indexed)."""
    vectors: dict[int, Vector] = {article_id: [] for article_id in article_ids}
    for start in range(0, len(article_ids), 900):
        rows = Posting.objects.filter(article_id__in=list(article_ids[start : start + 900]))
        for article_id, feature, weight in rows.values_list("article_id", "feature", "weight"):
            vectors[article_id].append((feature, weight))
    return vectors
