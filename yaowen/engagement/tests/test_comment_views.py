"""Comment views: plain form posts that go back to the article, and JSON for the script."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.contrib.messages import get_messages
from django.test import Client, RequestFactory
from django.urls import reverse

from yaowen.core.jinja import render_fragment
from yaowen.core.tests.factories import ArticleFactory, CommentFactory, UserFactory
from yaowen.engagement.models import Comment, CommentLike
from yaowen.engagement.services.comments import (
    COMMENT_EMPTY,
    COMMENT_RATE_LIMITED,
    COMMENT_TOO_LONG,
    COMMENTS_CLOSED,
    PARENT_GONE,
    RATE_LIMIT,
    comment_create,
)
from yaowen.engagement.views import COMMENT_POSTED, comment_section_context
from yaowen.newsroom.models import Article

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def article():
    return ArticleFactory()


@pytest.fixture
def reader(client):
    user = UserFactory(nickname="读者甲")
    client.force_login(user)
    return user


def post_url(article: Article) -> str:
    return reverse("engagement:comment_create", args=[article.pk])


def count_of(article: Article) -> int:
    return Article.objects.values_list("comment_count", flat=True).get(pk=article.pk)


def flash(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def section_html(request, article: Article) -> str:
    """The article page's comment section as this request sees it."""
    context = comment_section_context(request, article)
    return render_fragment(
        "engagement/section.html",
        {"article": article, "comments": context["comments"], "viewer": context["comment_viewer"]},
    )


def test_posting_without_javascript_goes_back_to_the_new_comment(client, article, reader):
    response = client.post(post_url(article), {"body": "写得好", "next": "/a/1/?sort=hot"})
    comment = Comment.objects.get()
    assert (comment.user, comment.body, count_of(article)) == (reader, "写得好", 1)
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#c{comment.pk}"
    assert flash(response) == [str(COMMENT_POSTED)]


def test_a_reply_without_javascript_goes_to_the_whole_thread(client, article, reader):
    top = CommentFactory(article=article)
    response = client.post(post_url(article), {"body": "同意", "parent": top.pk})
    reply = Comment.objects.get(parent=top)
    assert response["Location"] == f"{article.get_absolute_url()}?thread={top.pk}#c{reply.pk}"


def test_posting_with_javascript_answers_the_rendered_comment_and_the_count(
    client, article, reader
):
    top = CommentFactory(article=article)
    response = client.post(post_url(article), {"body": "第一行\n<b>第二行</b>"}, **JSON)
    assert response.status_code == 200
    data = response.json()
    comment = Comment.objects.get(parent=None, user=reader)
    assert data["count"] == 1 and data["thread"] == comment.pk
    assert data["html"].lstrip().startswith(f'<li id="c{comment.pk}"')
    assert "第一行<br>&lt;b&gt;第二行&lt;/b&gt;" in data["html"]
    assert "读者甲" in data["html"] and "删除" in data["html"]

    reply = client.post(post_url(article), {"body": "回复", "parent": top.pk}, **JSON).json()
    assert reply["count"] == 2 and reply["thread"] == top.pk
    assert 'class="comment comment-reply"' in reply["html"]


def test_errors_answer_json_with_the_message_and_store_nothing(client, article, reader):
    too_long = client.post(post_url(article), {"body": "长" * 2001}, **JSON)
    assert too_long.status_code == 400 and too_long.json() == {"error": str(COMMENT_TOO_LONG)}
    empty = client.post(post_url(article), {"body": "  \n "}, **JSON)
    assert empty.status_code == 400 and empty.json() == {"error": str(COMMENT_EMPTY)}
    for parent in ("abc", "99999999999999999999999", str(CommentFactory().pk)):
        refused = client.post(post_url(article), {"body": "回复", "parent": parent}, **JSON)
        assert refused.status_code == 400 and refused.json() == {"error": str(PARENT_GONE)}
    assert not Comment.objects.filter(article=article).exists() and count_of(article) == 0


def test_an_error_without_javascript_shows_a_message_and_keeps_the_draft(client, article, reader):
    draft = "长" * 2001
    response = client.post(post_url(article), {"body": draft, "next": article.get_absolute_url()})
    assert response["Location"] == f"{article.get_absolute_url()}#comments"
    assert flash(response) == [str(COMMENT_TOO_LONG)]
    html = section_html(response.wsgi_request, article)
    assert f">{draft}</textarea>" in html
    # Given back once only.
    assert draft not in section_html(response.wsgi_request, article)


def test_the_sixth_comment_in_a_minute_is_refused_and_not_stored(client, article, reader):
    for n in range(RATE_LIMIT):
        assert client.post(post_url(article), {"body": f"第{n}条"}, **JSON).status_code == 200
    refused = client.post(post_url(article), {"body": "第六条"}, **JSON)
    assert refused.status_code == 429
    assert (
        refused.json()
        == {"error": "你发得太快了，请稍后再试。"}
        == {"error": str(COMMENT_RATE_LIMITED)}
    )
    plain = client.post(post_url(article), {"body": "第七条"})
    assert flash(plain) == [str(COMMENT_RATE_LIMITED)]
    assert Comment.objects.count() == RATE_LIMIT == count_of(article)


def test_a_removed_article_refuses_comments_with_a_clear_error(client, reader):
    article = ArticleFactory(status=Article.Status.REMOVED)
    response = client.post(post_url(article), {"body": "还能评论吗"}, **JSON)
    assert response.status_code == 400 and response.json() == {"error": str(COMMENTS_CLOSED)}
    draft = ArticleFactory(status=Article.Status.DRAFT)
    assert client.post(post_url(draft), {"body": "草稿"}).status_code == 404
    assert not Comment.objects.exists()


def test_anonymous_readers_are_sent_to_log_in_and_back_to_the_article(client, article):
    comment = CommentFactory(article=article)
    login = reverse("accounts:login")
    for url in (
        post_url(article),
        reverse("engagement:comment_like", args=[comment.pk]),
        reverse("engagement:comment_delete", args=[comment.pk]),
    ):
        response = client.post(url, {"body": "匿名"})
        assert response.status_code == 302
        assert response["Location"] == f"{login}?next={article.get_absolute_url()}"
    as_json = client.post(post_url(article), {"body": "匿名"}, **JSON)
    assert as_json.status_code == 401 and as_json.json()["login_url"].startswith(login)
    assert Comment.objects.count() == 1 and not CommentLike.objects.exists()


def test_posts_need_the_csrf_token(article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    assert client.post(post_url(article), {"body": "没有令牌"}).status_code == 403
    assert client.get(post_url(article)).status_code == 405
    assert not Comment.objects.exists()


def test_likes_toggle_in_place_and_count_once_per_reader(client, article, reader):
    comment = CommentFactory(article=article)
    url = reverse("engagement:comment_like", args=[comment.pk])
    assert client.post(url, **JSON).json() == {"liked": True, "count": 1}
    assert client.post(url, {"action": "like"}, **JSON).json() == {"liked": True, "count": 1}
    assert client.post(url, **JSON).json() == {"liked": False, "count": 0}
    plain = client.post(url, {"action": "like", "next": article.get_absolute_url()})
    assert plain["Location"] == f"{article.get_absolute_url()}#c{comment.pk}"
    comment.refresh_from_db()
    assert comment.like_count == 1 == CommentLike.objects.filter(comment=comment).count()


def test_a_reader_deletes_their_own_comment_but_not_others(client, article, reader):
    mine = comment_create(user=reader, article=article, body="我的")
    theirs = comment_create(user=UserFactory(), article=article, body="别人的")
    refused = client.post(reverse("engagement:comment_delete", args=[theirs.pk]), **JSON)
    assert refused.status_code == 403
    assert client.post(reverse("engagement:comment_delete", args=[theirs.pk])).status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == Comment.Status.VISIBLE and count_of(article) == 2

    done = client.post(reverse("engagement:comment_delete", args=[mine.pk]), **JSON)
    assert done.status_code == 200 and done.json()["count"] == 1 and not done.json()["kept"]
    again = client.post(reverse("engagement:comment_delete", args=[mine.pk]), **JSON)
    assert again.status_code == 404 and count_of(article) == 1


def test_staff_with_the_permission_delete_anyones_comment(client, article):
    top = comment_create(user=UserFactory(), article=article, body="违规")
    comment_create(user=UserFactory(), article=article, body="回复", parent=top)
    moderator = UserFactory(is_staff=True)
    moderator.user_permissions.add(Permission.objects.get(codename="change_comment"))
    client.force_login(moderator)
    response = client.post(reverse("engagement:comment_delete", args=[top.pk]), **JSON)
    assert response.status_code == 200 and response.json()["kept"]  # its reply stays
    assert count_of(article) == 1


def test_the_section_offers_the_form_to_readers_and_a_login_link_to_anonymous(article):
    comment = CommentFactory(article=article, body="看 https://example.com 和 <script>x</script>")
    Article.objects.filter(pk=article.pk).update(comment_count=1)
    article.refresh_from_db()

    request = RequestFactory().get(article.get_absolute_url(), {"sort": "hot"})
    request.user = AnonymousUser()
    html = section_html(request, article)
    assert "跟帖（1）" in html and "最新" in html and "最热" in html
    assert f'{reverse("accounts:login")}?next=/a/{article.pk}/"' in html
    assert "<textarea" not in html and "data-comment-delete" not in html
    assert '<a href="https://example.com" rel="nofollow ugc noopener">' in html
    assert "<script>x" not in html
    assert f'id="c{comment.pk}"' in html and "<time" in html

    request.user = comment.user
    html = section_html(request, article)
    assert '<label for="comment-body">写跟帖</label>' in html
    assert '<details class="comment-reply-box">' in html and f'for="reply-{comment.pk}"' in html
    assert 'aria-pressed="false"' in html and "data-comment-delete" in html
