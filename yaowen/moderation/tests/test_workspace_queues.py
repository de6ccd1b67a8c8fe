"""The workspace queues: each lists what it should (with why), not what it should not,
only in the editor's channels, narrowed by the filters, which survive pagination."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from yaowen.accounts.models import CreatorApplication
from yaowen.analysis.models import ArticleAnalysis
from yaowen.core.tests.factories import ArticleFactory, CommentFactory, UserFactory
from yaowen.engagement.models import Comment, Report
from yaowen.moderation.services.actions import article_take_down
from yaowen.moderation.services.appeals import appeal_create
from yaowen.moderation.tests import people
from yaowen.newsroom.models import Article, Channel
from yaowen.wordfilter.services import word_create

pytestmark = pytest.mark.django_db

QUEUE = reverse("moderation:queue")


@pytest.fixture
def words():
    by = people.admin()
    word_create(word="赌博网站", category="gambling", action="review", by=by)
    word_create(word="代开发票", category="fraud", action="block", by=by)
    word_create(word="笨蛋", category="abuse", action="mask", by=by)


def channel(slug: str) -> Channel:
    return Channel.objects.get(slug=slug)


def pending(title: str, *, hours_ago: float = 1, slug: str = "tech", **fields) -> Article:
    return ArticleFactory(
        title=title,
        status=Article.Status.PENDING,
        published_at=None,
        submitted_at=timezone.now() - dt.timedelta(hours=hours_ago),
        channel=channel(slug),
        **fields,
    )


def analysis(article: Article, **fields) -> ArticleAnalysis:
    return ArticleAnalysis.objects.create(
        article=article, author=article.author, channel=article.channel, **fields
    )


def report(article: Article, *, comment=None, reason: str = "abuse", note: str = "") -> Report:
    return Report.objects.create(
        article=article, comment=comment, reporter=UserFactory(), reason=reason, note=note
    )


def page(client, user, **query) -> str:
    client.force_login(user)
    response = client.get(QUEUE, query)
    assert response.status_code == 200
    return response.content.decode()


def test_only_editors_and_administrators_get_in(client):
    assert reverse("accounts:login") in client.get(QUEUE)["Location"]
    for user in (people.reader(), people.creator()):
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403
        assert client.get(QUEUE, {"queue": "flags"}).status_code == 403
    assert "审核工作台" in page(client, people.editor())
    assert "审核工作台" in page(client, people.admin())


def test_the_article_queue_lists_pending_articles_oldest_first_with_their_reasons(client, words):
    newest = pending("最新提交的文章", hours_ago=1)
    oldest = pending("最早提交的文章", hours_ago=30)
    other = ArticleFactory(title="别人更早的原文")
    analysis(newest, duplicate_of=other, duplicate_kind="body", duplicate_share=90)
    analysis(oldest, predicted_channel=channel("sports"))
    pending("标题里有赌博网站的文章", hours_ago=5, is_original=True)
    ArticleFactory(title="已经发布的文章")
    ArticleFactory(title="还是草稿的文章", status=Article.Status.DRAFT)
    html = page(client, people.editor(), queue="articles")
    assert html.index("最早提交的文章") < html.index("标题里有") < html.index("最新提交的文章")
    assert "已经发布的文章" not in html and "还是草稿的文章" not in html
    assert "疑似重复" in html and "《别人更早的原文》" in html
    assert "频道可能不符" in html and "分类器判断为“体育”" in html
    assert '<mark class="word-hit" title="赌博">赌博网站</mark>' in html
    assert "声明原创" in html
    assert 'aria-current="page">待审文章 <span class="queue-count">3</span>' in html


def test_an_editor_limited_to_channels_sees_only_their_channels(client):
    pending("科技频道的稿件", slug="tech")
    pending("体育频道的稿件", slug="sports")
    article = ArticleFactory(title="被举报的体育文章", channel=channel("sports"))
    report(article)
    sports_comment = CommentFactory(article=article, body="体育频道的跟帖")
    report(article, comment=sports_comment)
    CreatorApplication.objects.create(
        user=UserFactory(),
        display_name="体育号",
        field=channel("sports"),
        bio="简介",
        avatar="avatars/a.png",
        contact="邮箱",
        statement="说明",
    )
    scoped = people.editor(channels=("tech",))
    html = page(client, scoped, queue="articles")
    assert "科技频道的稿件" in html and "体育频道的稿件" not in html
    for queue in ("reported_articles", "reported_comments", "applications"):
        html = page(client, scoped, queue=queue)
        assert "体育" not in html.split('id="queue-h"')[1]
    # A channel outside the scope is not a choice: the filter says so and shows nothing more.
    html = page(client, scoped, queue="articles", channel=channel("sports").pk)
    assert "体育频道的稿件" not in html and "field-error" in html
    assert "体育频道的稿件" in page(client, people.editor(), queue="articles")


def test_filters_by_channel_age_and_reason_survive_pagination(client):
    for n in range(23):
        pending(f"积压稿件{n:02d}", hours_ago=100 + n)
    pending("刚交的稿件", hours_ago=0.5)
    pending("体育积压稿件", hours_ago=90, slug="sports")
    editor = people.editor()
    html = page(client, editor, queue="articles", age="gt3d", channel=channel("tech").pk)
    assert "刚交的稿件" not in html and "体育积压稿件" not in html
    assert "积压稿件22" in html and "第 1 / 2 页" in html
    tech = channel("tech").pk
    assert f"?queue=articles&amp;channel={tech}&amp;age=gt3d&amp;page=2" in html
    second = page(client, editor, queue="articles", age="gt3d", channel=tech, page=2)
    assert second.count("积压稿件") == 3 and "积压稿件00" in second
    # Switching queue keeps channel and age (not the queue-specific reason).
    assert f"?queue=reported_articles&amp;channel={tech}&amp;age=gt3d" in html
    html = page(client, editor, queue="articles", age="1h")
    assert "刚交的稿件" in html and "积压稿件" not in html
    duplicate = pending("抄来的稿件", hours_ago=2)
    analysis(duplicate, duplicate_of=ArticleFactory(), duplicate_kind="title")
    html = page(client, editor, queue="articles", reason="duplicate")
    assert "抄来的稿件" in html and "刚交的稿件" not in html


def test_a_bad_filter_value_is_a_form_error_not_a_500(client):
    html = page(client, people.editor(), queue="articles", age="forever", channel="x")
    assert html.count("field-error") == 2


def test_reported_articles_show_their_reports_and_leave_once_closed(client):
    loud = ArticleFactory(title="多人举报的文章")
    report(loud, reason="abuse", note="骂人")
    report(loud, reason="abuse")
    report(loud, reason="false")
    closed = ArticleFactory(title="举报已处理的文章")
    Report.objects.filter(pk=report(closed).pk).update(status=Report.Status.RESOLVED)
    only_comments = ArticleFactory(title="只有跟帖被举报的文章")
    report(only_comments, comment=CommentFactory(article=only_comments))
    html = page(client, people.editor(), queue="reported_articles")
    assert "多人举报的文章" in html
    assert "举报已处理的文章" not in html and "只有跟帖被举报的文章" not in html
    assert "辱骂攻击 ×2" in html and "虚假信息" in html
    assert "骂人" in html
    html = page(client, people.editor(), queue="reported_articles", reason="spam")
    assert "多人举报的文章" not in html


def test_reported_comments_are_listed_with_hits_and_a_bulk_form(client, words):
    article = ArticleFactory()
    bad = CommentFactory(article=article, body="快来赌博网站")
    report(article, comment=bad, reason="spam")
    CommentFactory(article=article, body="没人举报的跟帖")
    hidden = CommentFactory(article=article, body="已经隐藏的跟帖", status=Comment.Status.HIDDEN)
    report(article, comment=hidden)
    html = page(client, people.editor(), queue="reported_comments")
    assert '快来<mark class="word-hit" title="赌博">赌博网站</mark>' in html
    assert "没人举报的跟帖" not in html and "已经隐藏的跟帖" not in html
    assert f'name="comment_ids" value="{bad.pk}"' in html and "批量隐藏所选跟帖" in html
    assert reverse("moderation:comment", args=[bad.pk]) in html


def test_automatic_flags_list_duplicates_mismatches_and_word_hits(client, words):
    original = ArticleFactory(title="原作者的文章")
    copy = ArticleFactory(title="搬运来的文章")
    analysis(copy, duplicate_of=original, duplicate_kind="body", duplicate_share=95)
    own = ArticleFactory(title="自己的旧文重发", author=original.author)
    analysis(own, duplicate_of=original, duplicate_kind="title")
    mismatch = pending("频道选错的稿件")
    analysis(mismatch, predicted_channel=channel("sports"))
    ArticleFactory(title="正常的文章")
    old = ArticleFactory(
        title="很久以前的代开发票文章", published_at=timezone.now() - dt.timedelta(days=20)
    )
    hit = CommentFactory(body="代开发票找我")
    CommentFactory(body="你这个笨蛋")  # masked anyway: no editor needed
    held = CommentFactory(body="等待审核的跟帖", status=Comment.Status.PENDING)
    html = page(client, people.editor(), queue="flags")
    assert "搬运来的文章" in html and "《原作者的文章》" in html
    assert "自己的旧文重发" not in html and "正常的文章" not in html
    assert "频道选错的稿件" in html and old.title not in html
    assert '<mark class="word-hit" title="诈骗">代开发票</mark>找我' in html
    assert "笨蛋" not in html
    assert "等待审核的跟帖" in html and "待审跟帖" in html
    assert f'value="{hit.pk}"' in html and f'value="{held.pk}"' in html
    html = page(client, people.editor(), queue="flags", reason="held")
    assert "等待审核的跟帖" in html and "代开发票找我" not in html and "搬运来的文章" not in html


def test_the_default_queue_is_the_first_with_work(client):
    ArticleFactory(title="有人举报")
    report(Article.objects.get(title="有人举报"))
    html = page(client, people.editor())
    assert 'aria-current="page">被举报的文章' in html and "有人举报" in html


def test_appeals_go_to_a_different_editor(client):
    acting = people.editor()
    article = ArticleFactory(title="被下架的文章")
    entry_article = article_take_down(article=article, by=acting, reason="违规")
    from yaowen.governance.models import AuditEntry

    entry = AuditEntry.objects.get(subject_type="article", subject_id=entry_article.pk)
    appeal_create(entry=entry, by=article.author.user, text="我的文章没有问题")
    assert "我的文章没有问题" not in page(client, acting, queue="appeals")
    html = page(client, people.editor(), queue="appeals")
    assert "我的文章没有问题" in html and "下架文章" in html
    assert "我的文章没有问题" not in page(
        client, people.editor(channels=("sports",)), queue="appeals"
    )


def test_a_checked_flag_leaves_the_queue(client, words):
    comment = CommentFactory(body="推荐赌博网站")
    article = ArticleFactory(title="疑似搬运的文章")
    analysis(article, duplicate_of=ArticleFactory(), duplicate_kind="body", duplicate_share=80)
    editor = people.editor()
    html = page(client, editor, queue="flags")
    assert "推荐" in html and "疑似搬运的文章" in html
    for url in (
        reverse("moderation:comment", args=[comment.pk]),
        reverse("moderation:article", args=[article.pk]),
    ):
        response = client.post(url, {"action": "clear_flags", "reason": "正常讨论"}, follow=True)
        assert "已确认无需处理" in response.content.decode()
    html = page(client, editor, queue="flags")
    assert "推荐" not in html and "疑似搬运的文章" not in html
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.VISIBLE
    from yaowen.governance.models import AuditEntry

    assert AuditEntry.objects.filter(action="flag_clear").count() == 2


def test_applications_show_word_hits_and_filter_by_them(client, words):
    def apply(name, bio, count=1):
        return CreatorApplication.objects.create(
            user=UserFactory(),
            display_name=name,
            field=channel("tech"),
            bio=bio,
            avatar="avatars/a.png",
            contact="邮箱",
            statement="说明",
            submission_count=count,
        )

    suspicious = apply("可疑的号", "专做赌博网站推广")
    apply("第二次申请的号", "正常简介", count=2)
    editor = people.editor()
    html = page(client, editor, queue="applications")
    assert '专做<mark class="word-hit" title="赌博">赌博网站</mark>推广' in html
    assert "再次提交" in html and "第 2 次" in html
    html = page(client, editor, queue="applications", reason="words")
    assert "可疑的号" in html and "第二次申请的号" not in html
    html = page(client, editor, queue="applications", reason="resubmitted")
    assert "可疑的号" not in html and "第二次申请的号" in html
    detail = client.get(reverse("moderation:application", args=[suspicious.pk]))
    assert '<mark class="word-hit" title="赌博">赌博网站</mark>' in detail.content.decode()
