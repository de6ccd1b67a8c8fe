"""Demo work for moderation and trust: an administrator, a starter sensitive-word list, a
held comment, a take-down under appeal, a banned commenter, a refused 原创 claim, and so that
each queue and page of the workspace has something to show."""

from yaowen.accounts.models import CreatorProfile, User
from yaowen.engagement.models import Comment
from yaowen.engagement.services.comments import comment_create
from yaowen.governance.models import AuditEntry
from yaowen.moderation.services.actions import article_take_down, reader_ban
from yaowen.moderation.services.appeals import appeal_create
from yaowen.newsroom.models import Article
from yaowen.standing.services import original_claim_reject
from yaowen.wordfilter.services import words_import

DEMO_ADMIN = "admin"

# (category, action, words): a few entries of each kind; real lists are imported by staff.
STARTER_WORDS = [
    ("fraud", "block", ["代开发票", "刷单返利", "套现秒到"]),
    ("gambling", "block", ["赌博网站", "网上赌场"]),
    ("ads", "review", ["加微信领取", "内部渠道", "稳赚不赔"]),
    ("other", "review", ["内幕消息"]),
    ("abuse", "mask", ["傻瓜", "笨蛋", "脑残"]),
]


def moderation_work_create(
    readers: list[User],
    creators: list[CreatorProfile],
    editor: User,
) -> None:
    admin = User.objects.create(
        username=DEMO_ADMIN,
        nickname="平台管理员",
        is_staff=True,
        is_superuser=True,
        password=readers[0].password,
    )
    for category, action, words in STARTER_WORDS:
        words_import(lines=words, category=category, action=action, by=admin, note="演示词表")
    published = list(
        Article.objects.filter(status=Article.Status.PUBLISHED).order_by("-published_at")[:40]
    )
    if len(published) < 4 or len(readers) < 12:
        return
    # The word filter holds a comment with a "review" word for an editor.
    comment_create(
        user=readers[10],
        article=published[0],
        body="听说有内幕消息，这只股票稳赚不赔，大家怎么看？",
    )
    # A take-down that its author appeals (the editor who acted may not decide it).
    removed = next(article for article in published[1:] if article.author.user_id)
    article_take_down(
        article=removed, by=editor, reason="配图与报道事实不符，涉嫌误导读者", category="false"
    )
    entry = AuditEntry.objects.filter(action="article_take_down", subject_id=removed.pk).latest(
        "pk"
    )
    appeal_create(
        entry=entry,
        by=removed.author.user,
        text="配图来自现场拍摄，可以提供原图和拍摄时间，请复核。",
    )
    # A reader banned from commenting, with earlier comments hidden.
    spammer = readers[11]
    Comment.objects.create(article=published[2], user=spammer, body="加微信领取内部资料，名额有限")
    reader_ban(user=spammer, by=editor, reason="多次发布广告", hide_earlier=True)
    # A 原创 claim an editor found false.
    claimed = next(
        (a for a in published[3:] if a.author_id != removed.author_id),
        published[3],
    )
    Article.objects.filter(pk=claimed.pk).update(is_original=True)
    claimed.refresh_from_db()
    original_claim_reject(
        article=claimed, by=editor, reason="正文与其他媒体的报道大段相同，不属于原创"
    )
