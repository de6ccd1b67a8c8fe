"""Shared test data for standing: an editor, and a creator whose record earns trust."""

from django.contrib.auth.models import Group

from yaowen.core.tests.factories import ArticleFactory, CreatorFactory, UserFactory
from yaowen.governance.roles import EDITOR_GROUP


def make_editor(**kwargs):
    editor = UserFactory(**kwargs)
    editor.groups.add(Group.objects.get_or_create(name=EDITOR_GROUP)[0])
    return editor


def make_strong_creator(articles: int = 12, **kwargs):
    """A creator with a month of original, on-topic, well-received articles (level 3+)."""
    creator = CreatorFactory(**kwargs)
    ArticleFactory.create_batch(
        articles, author=creator, like_count=15, comment_count=3, share_count=1
    )
    return creator
