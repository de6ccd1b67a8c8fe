"""8 threads post 400 comments and 400 likes on one article; counters equal the rows."""

import threading

import pytest
from django.db import connection, connections

from yaowen.accounts.models import User
from yaowen.core.tests.factories import ArticleFactory
from yaowen.engagement.models import Comment, Like
from yaowen.engagement.services.comments import comment_create
from yaowen.engagement.services.reactions import article_like_set
from yaowen.newsroom.models import Article

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs real concurrent writers: runs in the PostgreSQL pass of bin/test",
    ),
]

THREADS = 8
PER_THREAD = 50  # 8 × 50 = 400 comments and 400 likes


def test_concurrent_comments_and_likes_keep_exact_counters():
    article = ArticleFactory()
    readers = User.objects.bulk_create(
        User(username=f"concurrent{i}", password="!") for i in range(THREADS * PER_THREAD)
    )
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            for reader in readers[index * PER_THREAD : (index + 1) * PER_THREAD]:
                comment_create(user=reader, article=article, body=f"{reader.username} 的跟帖")
                article_like_set(article=article, user=reader, liked=True)
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    stored = Article.objects.get(pk=article.pk)
    visible = Comment.objects.filter(article=article, status=Comment.Status.VISIBLE).count()
    assert stored.comment_count == visible == THREADS * PER_THREAD
    assert stored.like_count == Like.objects.filter(article=article).count() == 400
