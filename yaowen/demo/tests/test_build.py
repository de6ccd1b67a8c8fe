"""The demo builder fills every page's blocks with exact counters; the command guards data."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from yaowen.accounts.models import CreatorApplication, CreatorProfile, Follow, User
from yaowen.analysis.models import ArticleAnalysis
from yaowen.demo.build import DemoSize, demo_build
from yaowen.demo.moderation_work import DEMO_ADMIN
from yaowen.demo.review_work import DEMO_EDITOR
from yaowen.engagement.models import Comment, Like
from yaowen.moderation.models import Appeal, AuditEntry, CommentBan
from yaowen.moderation.roles import Role, role_of
from yaowen.newsroom.models import Article, Channel
from yaowen.search.selectors import article_search
from yaowen.standing.models import Standing, Violation
from yaowen.wordfilter.models import SensitiveWord

pytestmark = pytest.mark.django_db

SMALL = DemoSize(creators=6, articles=90, readers=15)


def test_every_channel_gets_articles_with_figures_references_and_engagement(settings):
    result = demo_build(size=SMALL)
    # One is taken down by the demo's moderation work (and its author appeals).
    assert result.articles == 90
    assert Article.objects.filter(status="published").count() == 89
    channels_with_articles = set(Article.objects.values_list("channel__slug", flat=True))
    assert channels_with_articles == set(Channel.objects.values_list("slug", flat=True))
    article = Article.objects.order_by("pk").first()
    assert "<h2>" in article.body_html and "<figure>" in article.body_html
    assert article.references.exists()
    assert article.cover and article.cover_alt
    media = Path(settings.MEDIA_ROOT)
    assert (media / article.cover.name).is_file()
    assert all((media / c.avatar.name).is_file() for c in CreatorProfile.objects.all())
    assert Article.objects.filter(hot_score__gt=0).count() > 0


def test_counters_equal_the_rows_they_count():
    demo_build(size=SMALL)
    comments = dict(
        Comment.objects.filter(status="visible").values_list("article").annotate(n=Count("pk"))
    )
    likes = dict(Like.objects.values_list("article").annotate(n=Count("pk")))
    for article_id, comment_count, like_count in Article.objects.values_list(
        "pk", "comment_count", "like_count"
    ):
        assert comment_count == comments.get(article_id, 0)
        assert like_count == likes.get(article_id, 0)
    for creator in CreatorProfile.objects.all():
        assert creator.article_count == creator.articles.filter(status="published").count()
        assert creator.follower_count == Follow.objects.filter(followee=creator.user).count()


def test_review_queues_have_work_and_an_editor_to_do_it():
    demo_build(size=SMALL)
    editor = User.objects.get(username=DEMO_EDITOR)
    assert editor.has_perm("accounts.review_application")
    assert editor.has_perm("newsroom.review_article")
    assert CreatorApplication.objects.filter(status="pending").count() == 3
    assert Article.objects.filter(status="pending").count() == 6
    # One sits in the wrong channel, and the classifier trained on the demo says so.
    misfiled = ArticleAnalysis.objects.get(
        article__status="pending", article__channel__slug="finance"
    )
    assert misfiled.predicted_channel.slug == "sports"
    # One of them copies another creator's published article, and the reviewer is told.
    flagged = ArticleAnalysis.objects.filter(article__status="pending").exclude(duplicate_of=None)
    assert flagged.count() == 1
    copy = flagged.get()
    assert copy.duplicate_of.author_id != copy.article.author_id
    assert copy.duplicate_of.status == "published"


def test_published_demo_articles_are_searchable_with_keywords():
    demo_build(size=SMALL)
    published = Article.objects.filter(status="published")
    assert ArticleAnalysis.objects.filter(published_at__isnull=False).count() == published.count()
    article = published.order_by("pk").first()
    analysis = ArticleAnalysis.objects.get(article=article)
    assert len(analysis.keywords) >= 3
    results = article_search(text=analysis.keywords[0][0])
    assert article.pk in [hit.card.id for hit in results.page]


def test_news_accounts_are_organisations():
    demo_build(size=SMALL)
    assert not CreatorProfile.objects.filter(
        field__slug="news", account_type=CreatorProfile.AccountType.PERSONAL
    ).exists()


def test_command_refuses_to_mix_demo_content_into_existing_data(capsys):
    call_command("demo", "--articles", "30", "--creators", "3", "--readers", "5", verbosity=0)
    count = Article.objects.count()
    with pytest.raises(CommandError, match="already has content"):
        call_command("demo", "--articles", "30", verbosity=0)
    call_command("demo", "--if-empty")
    assert "left as it is" in capsys.readouterr().out
    assert Article.objects.count() == count


def test_command_rejects_nonsense_sizes():
    with pytest.raises(CommandError, match="--articles must be at least 1"):
        call_command("demo", "--articles", "0")
    assert not Article.objects.exists()


def test_the_moderation_workspace_and_standing_have_demo_work():
    demo_build(size=SMALL)
    admin = User.objects.get(username=DEMO_ADMIN)
    assert role_of(admin) == Role.ADMIN and SensitiveWord.objects.count() >= 10
    assert Comment.objects.filter(status="pending").count() == 1  # held by a "review" word
    appeal = Appeal.objects.get()
    assert appeal.entry.action == "article_take_down" and appeal.entry.actor.username == "editor"
    assert CommentBan.objects.count() == 1
    assert Violation.objects.filter(kind="false_original").count() == 1
    assert Standing.objects.count() == CreatorProfile.objects.count()
    assert AuditEntry.objects.filter(action="article_take_down").exists()
