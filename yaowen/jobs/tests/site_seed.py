"""Content for the multi-process tests, made through the services in the site's own
database: `manage.py shell -c "from yaowen.jobs.tests.site_seed import seed; seed()"`.
Prints the ids the tests need as one JSON line."""

import datetime as dt
import json

from django.contrib.auth.models import Permission
from django.utils import timezone

from yaowen.accounts.models import CreatorProfile, User
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Channel
from yaowen.newsroom.services import article_approve, article_create, article_submit

STORY = [
    "湿地保护站的工作人员在清晨完成了本季第一次越冬候鸟同步调查，记录到白鹤和东方白鹳。",
    "保护站负责人介绍，今年湖区水位适中，浅滩面积扩大，为候鸟觅食提供了更好的条件。",
    "志愿者们沿着观测线路分组计数，使用望远镜和单反相机记录鸟群的种类和数量。",
    "专家提醒，观鸟爱好者应保持距离，不要投喂和惊扰鸟群，共同守护湿地生态。",
]


def _article(author, title, paragraphs, channel):
    return article_create(
        author=author, channel=channel, title=title, body_source="\n\n".join(paragraphs)
    )


def seed() -> None:
    channel = Channel.objects.get(slug="society")
    editor = User.objects.create_user("editor", password="editor-pass-123", nickname="编辑")
    editor.user_permissions.add(Permission.objects.get(codename="review_article"))
    creators = []
    for number in range(3):
        user = User.objects.create_user(f"creator{number}", password="creator-pass-123")
        creators.append(
            CreatorProfile.objects.create(
                user=user, display_name=f"湿地观察{number}", bio="湿地与候鸟。", field=channel
            )
        )
    live = []
    for number, creator in enumerate(creators[:2]):
        paragraphs = STORY[number:] + STORY[:number]
        article = _article(creator, f"青岚湖湿地迎来越冬候鸟第{number + 1}批", paragraphs, channel)
        article_submit(article=article, by=creator.user)
        live.append(article_approve(article=article, reviewer=editor))
    pending = _article(
        creators[2],
        "青岚湖湿地白鹤种群创新高 观鸟者记录珍稀候鸟",
        [*STORY[1:], "白鹤种群数量今年创下新高，达到一千二百只。"],
        channel,
    )
    article_submit(article=pending, by=creators[2].user)
    scheduled = _article(creators[0], "湿地保护志愿者招募启动", STORY[2:], channel)
    when = timezone.now() + dt.timedelta(minutes=1)
    article_submit(article=scheduled, by=creators[0].user, scheduled_at=when)
    scheduled = article_approve(article=scheduled, reviewer=editor)
    deliver_pending()
    print(
        json.dumps(
            {
                "live": [article.pk for article in live],
                "pending": pending.pk,
                "scheduled": scheduled.pk,
                "scheduled_at": when.timestamp(),
                "status": scheduled.status,
            }
        )
    )
