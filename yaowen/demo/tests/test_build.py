"""The demo builder fills every page's blocks with exact counters; the command guards data."""

import itertools
import re
import statistics
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from yaowen.accounts.models import CreatorApplication, CreatorProfile, Follow, User
from yaowen.analysis.models import ArticleAnalysis
from yaowen.analysis.selectors import near_duplicates
from yaowen.demo.build import DemoSize, demo_build
from yaowen.demo.moderation_work import DEMO_ADMIN
from yaowen.demo.review_work import DEMO_EDITOR
from yaowen.engagement.models import Comment, CommentBan, Like
from yaowen.governance.models import AuditEntry
from yaowen.governance.roles import Role, role_of
from yaowen.moderation.models import Appeal
from yaowen.newsroom.models import Article, Channel
from yaowen.newsroom.rendering import plain_text
from yaowen.search.selectors import article_search
from yaowen.standing.models import Standing, Violation
from yaowen.textkit import copies
from yaowen.wordfilter.models import SensitiveWord

pytestmark = pytest.mark.django_db

SMALL = DemoSize(creators=6, articles=90, readers=15)
# The same two or more Chinese characters twice in a row: 家庭纠纷调解纠纷调解成功.
DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,})\1")


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
    assert copy.article.title.endswith("（转）")
    assert copy.duplicate_of.author_id != copy.article.author_id
    assert copy.duplicate_of.status == "published"


def test_published_articles_are_not_copies_of_one_another():
    """Distinct demo articles are distinct texts: the lookup that runs on every save finds
    no earlier original for any published article, and neither does comparing every pair
    outright; two articles of a channel share only a few stock phrases."""
    demo_build(size=SMALL)
    published = Article.objects.filter(status="published").values_list(
        "pk", "channel_id", "body_source"
    )
    sketches = {pk: (channel, copies.sketch(plain_text(body))) for pk, channel, body in published}
    for pk, (_channel, sketch) in sketches.items():
        assert near_duplicates(sketch, exclude_article=pk) == [], pk
    same_channel = []
    for (a, (channel_a, sketch_a)), (b, (channel_b, sketch_b)) in itertools.combinations(
        sketches.items(), 2
    ):
        found = copies.overlap(sketch_a, sketch_b)
        assert not found.is_copy, (a, b, found)
        if channel_a == channel_b:
            same_channel.append(max(found.of_earlier, found.of_new))
    assert statistics.mean(same_channel) < 0.1


def test_titles_are_distinct_and_no_text_doubles_a_phrase():
    demo_build(size=SMALL)
    titles = list(Article.objects.values_list("title", flat=True))
    assert len(set(titles)) == len(titles)
    texts = [
        *titles,
        *Article.objects.values_list("summary", flat=True),
        *(plain_text(body) for body in Article.objects.values_list("body_source", flat=True)),
        *Comment.objects.values_list("body", flat=True),
        *(
            f"{name} {bio}"
            for name, bio in CreatorProfile.objects.values_list("display_name", "bio")
        ),
    ]
    assert [match[0] for text in texts for match in DOUBLED.finditer(text)] == []


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
