"""What the creator is shown about their standing: part names, how to improve each part,
what each level unlocks and how far the next one is."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from yaowen.accounts.models import CreatorProfile
from yaowen.standing import formula
from yaowen.standing.models import Standing

PART_LABELS = {
    "health": _("账号健康"),
    "originality": _("原创度"),
    "activity": _("活跃度"),
    "expertise": _("垂直度"),
    "interaction": _("互动度"),
}
PART_HINTS = {
    "health": _("遵守社区规范，避免文章被下架；违规的影响在 90 天内逐渐减弱，一年后不再计入。"),
    "originality": _("坚持原创，不搬运他人的文章；只在确属原创时声明原创。"),
    "activity": _("保持稳定更新：近 30 天发布的文章越多，分数越高。"),
    "expertise": _("专注你的领域：领域内文章的占比越高，分数越高。"),
    "interaction": _("写读者愿意点赞、评论和分享的文章；按每篇已发布文章的平均值计算。"),
}
LEVEL_UNLOCKS = {
    1: _("文章需编辑审核后发布。"),
    2: _("文章需编辑审核后发布；升到「优质」即可免审发布。"),
    3: _("免审发布：提交的文章直接发布（疑似与他人文章重复的仍需审核）。"),
    4: _("免审发布：提交的文章直接发布（疑似与他人文章重复的仍需审核）；平台最高等级。"),
}
CAPPED = _("近 30 天内有违规记录或账号已暂停：等级暂时不高于「成长」，不能免审发布。")


@dataclass(frozen=True)
class PartRow:
    key: str
    label: str
    score: int
    weight: int
    fact: str
    hint: str


def _fact(key: str, facts: dict, creator: CreatorProfile) -> str:
    if key == "health":
        if not facts.get("violations"):
            return str(_("近一年没有违规记录。"))
        return str(_("近一年 %(n)d 条违规记录。") % {"n": facts["violations"]})
    if key == "originality":
        return str(
            _("已发布 %(p)d 篇，疑似重复 %(d)d 篇，虚假原创声明 %(f)d 次。")
            % {
                "p": facts.get("published", 0),
                "d": facts.get("duplicates", 0),
                "f": facts.get("false_claims", 0),
            }
        )
    if key == "activity":
        return str(_("近 30 天发布 %(n)d 篇。") % {"n": facts.get("recent", 0)})
    if key == "expertise":
        if creator.field_id is None or facts.get("in_field") is None:
            return str(_("尚未设置领域。"))
        return str(
            _("领域「%(field)s」内 %(n)d 篇，共 %(p)d 篇。")
            % {
                "field": creator.field.name,
                "n": facts.get("in_field", 0),
                "p": facts.get("published", 0),
            }
        )
    return str(_("共获得 %(n)d 次点赞、评论和分享。") % {"n": facts.get("reactions", 0)})


def standing_display(standing: Standing, *, creator: CreatorProfile) -> dict:
    """The context the studio renders: level, its unlocks, the next level and the parts."""
    level = standing.level
    next_level = level + 1 if level < len(formula.LEVEL_THRESHOLDS) else None
    facts = standing.facts or {}
    return {
        "standing": standing,
        "level_label": Standing.Level(level).label,
        "unlocks": LEVEL_UNLOCKS[level],
        "trusted": level >= formula.TRUST_LEVEL,
        "capped": bool(facts.get("capped")),
        "capped_notice": CAPPED,
        "next_label": Standing.Level(next_level).label if next_level else None,
        "next_gap": max(0, formula.LEVEL_THRESHOLDS[next_level - 1] - standing.score)
        if next_level
        else 0,
        "parts": [
            PartRow(
                key=key,
                label=str(PART_LABELS[key]),
                score=int(standing.parts.get(key, 0)),
                weight=round(formula.WEIGHTS[key] * 100),
                fact=_fact(key, facts, creator),
                hint=str(PART_HINTS[key]),
            )
            for key in formula.PARTS
        ],
    }
