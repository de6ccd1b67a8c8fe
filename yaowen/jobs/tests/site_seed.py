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

# Three articles on one subject, each its own text (not copies of each other).
STORIES = [
    [
        "湿地保护站的工作人员在清晨完成了本季第一次越冬候鸟同步调查，记录到白鹤和东方白鹳。",
        "保护站负责人介绍，今年湖区水位适中，浅滩面积扩大，为候鸟觅食提供了更好的条件。",
        "志愿者们沿着观测线路分组计数，使用望远镜和单反相机记录鸟群的种类和数量。",
        "专家提醒，观鸟爱好者应保持距离，不要投喂和惊扰鸟群，共同守护湿地生态。",
    ],
    [
        "第二批越冬候鸟抵达青岚湖，湖心洲和南岸芦苇荡里聚集了上万只雁鸭类水鸟。",
        "监测人员说，小天鹅和鸿雁比往年提前十天到来，部分鸟群已经在草洲上稳定觅食。",
        "湿地管理部门加强了夜间巡护，清理湖区非法渔网，防止候鸟误入受伤。",
        "附近村民自发组成护鸟队，轮流在湖边值守，劝阻游客靠近鸟群拍照。",
    ],
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
        paragraphs = STORIES[number]
        article = _article(creator, f"青岚湖湿地迎来越冬候鸟第{number + 1}批", paragraphs, channel)
        article_submit(article=article, by=creator.user)
        live.append(article_approve(article=article, reviewer=editor))
    pending = _article(
        creators[2],
        "青岚湖湿地白鹤种群创新高 观鸟者记录珍稀候鸟",
        # Its own text on the same subject: a neighbour of the live ones, not a copy.
        [
            "青岚湖湿地今冬记录到的白鹤种群数量创下新高，达到一千二百只，比去年多出三成。",
            "观鸟者在湖区东岸的浅滩上拍到成群白鹤觅食，其中还有几只当年出生的幼鸟。",
            "湿地专家认为，退耕还湿以后浅滩和草洲面积扩大，越冬候鸟的食物更加充足。",
            "保护站提醒前来观鸟的市民沿指定步道行走，保持距离，不要惊扰候鸟。",
        ],
        channel,
    )
    article_submit(article=pending, by=creators[2].user)
    deliver_pending()
    print(json.dumps({"live": [article.pk for article in live], "pending": pending.pk}))


def seed_scheduled() -> None:
    """An article approved to go live a minute from now; prints its id, status and time."""
    editor = User.objects.get(username="editor")
    creator = CreatorProfile.objects.get(user__username="creator0")
    paragraphs = [
        "青岚湖湿地保护站面向社会招募冬季护鸟志愿者，报名截止到本月底。",
        "志愿者将参与候鸟计数、巡护宣传和观鸟步道引导，上岗前接受两天培训。",
    ]
    scheduled = _article(creator, "湿地保护志愿者招募启动", paragraphs, creator.field)
    when = timezone.now() + dt.timedelta(minutes=1)
    article_submit(article=scheduled, by=creator.user, scheduled_at=when)
    scheduled = article_approve(article=scheduled, reviewer=editor)
    deliver_pending()
    print(
        json.dumps({"scheduled": scheduled.pk, "at": when.timestamp(), "status": scheduled.status})
    )
