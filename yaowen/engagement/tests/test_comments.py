"""Comment services and the comment section selector: threads, counts, likes, rules."""

import datetime as dt
import random
import threading

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.db import connection, connections
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from yaowen.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from yaowen.core.jinja import render_fragment
from yaowen.core.tests.factories import ArticleFactory, CommentFactory, UserFactory
from yaowen.engagement.models import Comment, CommentLike
from yaowen.engagement.rendering import Viewer, comments_html
from yaowen.engagement.selectors import comment_for_display, comment_list_for_article
from yaowen.engagement.services.comments import (
    COMMENT_EMPTY,
    COMMENT_RATE_LIMITED,
    COMMENT_TOO_LONG,
    COMMENTS_CLOSED,
    NOT_YOUR_COMMENT,
    PARENT_GONE,
    RateLimitedError,
    comment_create,
    comment_delete,
    comment_like_create,
    comment_like_toggle,
)
from yaowen.governance.models import Notification
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Article
from yaowen.newsroom.selectors import channel_list

pytestmark = pytest.mark.django_db


def count_of(article: Article) -> int:
    return Article.objects.values_list("comment_count", flat=True).get(pk=article.pk)


def visible(article: Article) -> int:
    return Comment.objects.filter(article=article, status=Comment.Status.VISIBLE).count()


def at(minutes_ago: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=minutes_ago)


# --- posting and replying --------------------------------------------------------------


def test_posting_stores_the_trimmed_text_and_counts_it():
    article, reader = ArticleFactory(), UserFactory()
    comment = comment_create(user=reader, article=article, body="  第一行\r\n第二行  ")
    assert comment.body == "第一行\n第二行"
    assert comment.parent is None and comment.status == Comment.Status.VISIBLE
    assert count_of(article) == 1


def test_a_reply_to_a_reply_hangs_under_the_top_level_comment_and_names_whom_it_answers():
    article = ArticleFactory()
    first, second, third = UserFactory(nickname="老张"), UserFactory(nickname="小李"), UserFactory()
    top = comment_create(user=first, article=article, body="顶层")
    reply = comment_create(user=second, article=article, body="回复顶层", parent=top)
    answer = comment_create(user=third, article=article, body="回复小李", parent=reply)
    assert reply.parent_id == top.pk and reply.reply_to_id is None
    assert answer.parent_id == top.pk and answer.reply_to_id == second.pk

    section = comment_list_for_article(article_id=article.pk)
    assert [c.pk for c in section] == [top.pk]
    assert [r.pk for r in section.threads[0].shown_replies] == [reply.pk, answer.pk]
    html = render_section(article, section)
    assert "回复 @小李" in html and "回复 @老张" not in html.split(f'id="c{answer.pk}"')[0]


def test_replying_to_a_deleted_or_foreign_comment_is_refused():
    article, reader = ArticleFactory(), UserFactory()
    gone = CommentFactory(article=article, status=Comment.Status.DELETED)
    elsewhere = CommentFactory()
    for parent in (gone, elsewhere):
        with pytest.raises(NotFoundError) as refused:
            comment_create(user=reader, article=article, body="回复", parent=parent)
        assert refused.value.message == str(PARENT_GONE)
    assert count_of(article) == 0 and not Comment.objects.filter(user=reader).exists()


def test_a_removed_or_unpublished_article_refuses_comments():
    reader = UserFactory()
    for status in (Article.Status.REMOVED, Article.Status.DRAFT, Article.Status.PENDING):
        article = ArticleFactory(status=status)
        with pytest.raises(ApplicationError) as refused:
            comment_create(user=reader, article=article, body="还能评论吗")
        assert refused.value.message == str(COMMENTS_CLOSED)
        assert count_of(article) == 0 and not article.comments.exists()


# --- body rules ------------------------------------------------------------------------


def test_a_body_over_2000_characters_is_refused_with_a_clear_message():
    article, reader = ArticleFactory(), UserFactory()
    comment_create(user=reader, article=article, body="字" * 2000)
    with pytest.raises(ApplicationError) as refused:
        comment_create(user=reader, article=article, body="字" * 2001)
    assert refused.value.message == str(COMMENT_TOO_LONG) == "跟帖最多 2000 字，请删减后再发。"
    assert count_of(article) == 1


def test_an_empty_or_blank_body_is_refused():
    article, reader = ArticleFactory(), UserFactory()
    for body in ("", "   ", "\n\r\n\t"):
        with pytest.raises(ApplicationError) as refused:
            comment_create(user=reader, article=article, body=body)
        assert refused.value.message == str(COMMENT_EMPTY)
    assert count_of(article) == 0


def rendered_body(body: str) -> str:
    """What the comment template shows of a comment's text (inside its comment-body div)."""
    comment = comment_for_display(CommentFactory(body=body))
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = comments_html([comment], Viewer.of(request, comment.article, sort="new", back="/"))
    return html.split('<div class="comment-body">', 1)[1].split("</div>", 1)[0]


def test_links_are_clickable_and_markup_is_inert():
    html = rendered_body(
        "看这里https://example.com/a?b=1&c=2。\n"
        '<script>alert(1)</script> <a href="javascript:alert(1)">x</a> javascript:alert(2) '
        "ftp://example.com/f (见 http://example.org/x_(y))."
    )
    assert (
        '看这里<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
        "https://example.com/a?b=1&amp;c=2</a>。<br>"
    ) in html
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html and "&lt;a href=&#34;javascript:alert(1)&#34;" in html
    assert "ftp://" in html and 'href="ftp:' not in html
    assert '<a href="http://example.org/x_(y)" rel="nofollow ugc noopener">' in html
    assert html.endswith("</a>).")


# --- rate limit ------------------------------------------------------------------------


def test_a_sixth_comment_within_a_minute_is_refused_and_not_stored():
    article, reader = ArticleFactory(), UserFactory()
    for n in range(5):
        comment_create(user=reader, article=article, body=f"第{n}条")
    with pytest.raises(RateLimitedError) as refused:
        comment_create(user=reader, article=article, body="第六条")
    assert refused.value.message == str(COMMENT_RATE_LIMITED) == "你发得太快了，请稍后再试。"
    assert article.comments.count() == 5 and count_of(article) == 5
    # Another reader is not slowed down.
    comment_create(user=UserFactory(), article=article, body="别人")


# --- counts and deleting ---------------------------------------------------------------


def test_the_count_is_exact_after_create_reply_and_delete():
    article, author, other = ArticleFactory(), UserFactory(), UserFactory()
    top = comment_create(user=author, article=article, body="顶层")
    reply = comment_create(user=other, article=article, body="回复", parent=top)
    comment_create(user=other, article=article, body="另一条")
    assert count_of(article) == visible(article) == 3
    assert comment_delete(comment=top, by=author)
    assert count_of(article) == visible(article) == 2  # the reply stays
    assert comment_delete(comment=reply, by=other)
    assert not comment_delete(comment=reply, by=other)  # already gone: nothing moves
    assert count_of(article) == visible(article) == 1


def test_only_the_author_may_delete_a_comment():
    article = ArticleFactory()
    comment = comment_create(user=UserFactory(), article=article, body="我的跟帖")
    with pytest.raises(PermissionDeniedError) as refused:
        comment_delete(comment=comment, by=UserFactory())
    assert refused.value.message == str(NOT_YOUR_COMMENT)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.VISIBLE and count_of(article) == 1


def test_staff_allowed_to_change_comments_delete_anyones():
    article = ArticleFactory()
    comment = comment_create(user=UserFactory(), article=article, body="违规内容")
    moderator = UserFactory(is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="change_comment"))
    assert comment_delete(comment=comment, by=moderator)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED and count_of(article) == 0


def test_a_deleted_top_level_comment_keeps_its_replies_under_a_placeholder():
    article = ArticleFactory()
    lonely = comment_create(user=UserFactory(), article=article, body="没人回复")
    top = comment_create(user=UserFactory(), article=article, body="要删除的")
    reply = comment_create(user=UserFactory(), article=article, body="还在", parent=top)
    comment_delete(comment=top, by=top.user)
    comment_delete(comment=lonely, by=lonely.user)
    section = comment_list_for_article(article_id=article.pk)
    assert [c.pk for c in section] == [top.pk]
    assert section.threads[0].is_placeholder
    assert [r.pk for r in section.threads[0].shown_replies] == [reply.pk]
    html = render_section(article, section)
    assert "该跟帖已删除" in html and "还在" in html
    assert "要删除的" not in html and "没人回复" not in html


# --- likes -----------------------------------------------------------------------------


def test_a_reader_likes_a_comment_once_and_liking_again_undoes_it():
    comment, reader = CommentFactory(), UserFactory()
    assert comment_like_toggle(comment=comment, user=reader) == (True, 1)
    assert comment_like_create(comment=comment, user=reader) == (False, 1)  # once only
    assert comment_like_toggle(comment=comment, user=UserFactory()) == (True, 2)
    assert comment_like_toggle(comment=comment, user=reader) == (False, 1)
    comment.refresh_from_db()
    assert comment.like_count == CommentLike.objects.filter(comment=comment).count() == 1


def test_a_deleted_comment_cannot_be_liked():
    comment = CommentFactory(status=Comment.Status.DELETED)
    with pytest.raises(NotFoundError):
        comment_like_toggle(comment=comment, user=UserFactory())
    assert not CommentLike.objects.exists()


# --- notifications ---------------------------------------------------------------------


def test_the_author_and_the_person_answered_are_notified_and_nobody_of_their_own_comment():
    article = ArticleFactory()
    writer = article.author.user
    reader, other = UserFactory(), UserFactory()
    top = comment_create(user=reader, article=article, body="顶层")
    reply = comment_create(user=other, article=article, body="回复顶层", parent=top)
    answer = comment_create(user=reader, article=article, body="回复回复", parent=reply)
    comment_create(user=writer, article=article, body="作者自己说")
    comment_create(user=reader, article=article, body="自己回自己", parent=top)
    assert not Notification.objects.exists()  # sent in the background
    deliver_pending()
    deliver_pending()  # a second delivery run notifies nobody twice
    got = set(Notification.objects.values_list("recipient_id", "kind", "comment_id"))
    assert got == {
        (writer.pk, Notification.Kind.COMMENT, top.pk),
        (reader.pk, Notification.Kind.REPLY, reply.pk),
        (other.pk, Notification.Kind.REPLY, answer.pk),
    }


# --- the section: sorting, replies shown, pages, queries -------------------------------


def test_top_level_comments_sort_by_newest_or_most_liked_and_replies_chronologically():
    article = ArticleFactory()
    old = CommentFactory(article=article, created_at=at(30), like_count=9)
    mid = CommentFactory(article=article, created_at=at(20), like_count=0)
    new = CommentFactory(article=article, created_at=at(10), like_count=3)
    late = CommentFactory(article=article, parent=old, created_at=at(1))
    early = CommentFactory(article=article, parent=old, created_at=at(5))
    newest = [c.pk for c in comment_list_for_article(article_id=article.pk, sort="new")]
    hottest = [c.pk for c in comment_list_for_article(article_id=article.pk, sort="hot")]
    assert newest == [new.pk, mid.pk, old.pk]
    assert hottest == [old.pk, new.pk, mid.pk]
    section = comment_list_for_article(article_id=article.pk, sort="<bad>")
    assert section.sort == "new"
    assert [r.pk for r in section.threads[2].shown_replies] == [early.pk, late.pk]


def test_three_replies_are_shown_with_the_total_and_a_thread_shows_them_all():
    article = ArticleFactory()
    top = CommentFactory(article=article)
    replies = [CommentFactory(article=article, parent=top, created_at=at(10 - n)) for n in range(5)]
    section = comment_list_for_article(article_id=article.pk, sort="hot")
    thread = section.threads[0]
    assert [r.pk for r in thread.shown_replies] == [r.pk for r in replies[:3]]
    assert thread.reply_total == 5 and thread.reply_more == 2
    html = render_section(article, section)
    assert "共 5 条回复" in html
    assert f'href="{article.get_absolute_url()}?sort=hot&amp;thread={top.pk}#c{top.pk}"' in html

    whole = comment_list_for_article(article_id=article.pk, thread=str(top.pk))
    assert [r.pk for r in whole.threads[0].shown_replies] == [r.pk for r in replies]
    assert "共 5 条回复" not in render_section(article, whole)


def test_top_level_comments_come_20_to_a_page():
    article = ArticleFactory()
    for n in range(45):
        CommentFactory(article=article, created_at=at(n))
    first = comment_list_for_article(article_id=article.pk, page="1")
    third = comment_list_for_article(article_id=article.pk, page="3")
    assert len(first) == 20 and first.has_next and not first.has_previous
    assert len(third) == 5 and not third.has_next and third.has_previous
    for bad in ("0", "-1", "abc", "９", "99999999999999999999"):
        assert comment_list_for_article(article_id=article.pk, page=bad) is not None


def test_the_comment_section_takes_at_most_2_queries_and_renders_without_more(
    django_assert_max_num_queries, django_assert_num_queries
):
    article = ArticleFactory()
    viewer = UserFactory()
    for n in range(25):
        top = CommentFactory(article=article, created_at=at(n + 10))
        for m in range(4):
            reply = CommentFactory(article=article, parent=top, created_at=at(n + 10 - m))
        CommentFactory(article=article, parent=top, reply_to=reply.user, created_at=at(1))
        CommentLike.objects.create(comment=top, user=viewer)
    # The page around the section has already loaded the viewer's permissions and the
    # (cached) channel navigation.
    viewer.has_perm("engagement.change_comment")
    channel_list()
    with django_assert_max_num_queries(2):
        section = comment_list_for_article(article_id=article.pk, viewer=viewer, sort="hot")
    assert len(section) == 20 and all(c.liked for c in section)
    with django_assert_num_queries(0):
        html = render_section(article, section, user=viewer)
    assert html.count('aria-pressed="true"') == 20


def render_section(article: Article, section, *, user=None) -> str:
    request = RequestFactory().get(article.get_absolute_url())
    request.user = user or AnonymousUser()
    viewer = Viewer.of(request, article, sort=section.sort, back=request.get_full_path())
    return render_fragment(
        "engagement/section.html", {"article": article, "comments": section, "viewer": viewer}
    )


# --- concurrency (PostgreSQL) ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs real concurrent writers: runs in the PostgreSQL pass of bin/test",
)
def test_concurrent_likes_and_comments_keep_the_counts_exact():
    article = ArticleFactory()
    comment = CommentFactory(article=article)
    Article.objects.filter(pk=article.pk).update(comment_count=1)
    readers = UserFactory.create_batch(10)
    errors: list[BaseException] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        try:
            for _step in range(20):
                reader = rng.choice(readers)
                if rng.random() < 0.7:
                    comment_like_toggle(comment=comment, user=reader)
                else:
                    mine = comment_create(user=reader, article=article, body="并发")
                    if rng.random() < 0.5:
                        comment_delete(comment=mine, by=reader)
        except RateLimitedError:
            pass
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    comment.refresh_from_db()
    assert comment.like_count == CommentLike.objects.filter(comment=comment).count()
    assert count_of(article) == visible(article)


def test_an_article_counted_with_no_visible_comment_reads_no_comment_rows(client):
    quiet, talked_about = ArticleFactory(), ArticleFactory()
    comment_create(user=UserFactory(), article=talked_about, body="有人跟帖")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(quiet.get_absolute_url())
    assert "还没有跟帖" in page.content.decode()
    assert not [q for q in queries.captured_queries if "engagement_comment" in q["sql"]]
    # The counter is what decides: an article with a comment still lists it.
    assert "有人跟帖" in client.get(talked_about.get_absolute_url()).content.decode()
