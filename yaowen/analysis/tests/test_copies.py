"""Copy anchors in the database and the near-duplicate evaluation command."""

import pytest
from django.core.management import call_command

from yaowen.analysis.evaluation import figures, pairs_evaluate, pairs_parse, unescape
from yaowen.analysis.models import ArticleAnalysis, CopyAnchor
from yaowen.analysis.services import analysis_rebuild
from yaowen.core.errors import ApplicationError
from yaowen.core.tests.factories import STORY, CreatorFactory, story
from yaowen.jobs.delivery import deliver_pending
from yaowen.newsroom.models import Channel
from yaowen.newsroom.rendering import plain_text
from yaowen.newsroom.services import ArticleInput, article_create, article_update
from yaowen.textkit import copies

pytestmark = pytest.mark.django_db

FLIGHT = [
    "国产大型客机近日在青海完成高原机场试飞，验证了飞机在高海拔条件下的起降性能。",
    "试飞团队表示，高原试飞是适航取证的重要科目，需要在低气压、强紫外线环境中检验发动机。",
    "此次试飞历时两周，累计完成四十余个架次，各项数据达到设计要求。",
    "下一步，研制单位将继续开展高寒、高湿等特殊环境试验，为交付运营做好准备。",
]
MARKET = [
    "今年以来，本市新建商品住宅成交量同比回升，改善型需求成为市场主力。",
    "多家房企推出优惠活动，部分楼盘首付比例下调，带看量明显增加。",
    "业内人士分析，随着信贷政策优化，购房者入市意愿有所增强，但观望情绪仍然存在。",
    "专家建议购房者理性看待市场变化，根据自身需求和还款能力做出决定。",
]
# The same long passage ends every article of one source: boilerplate, not a copy.
SIGN_OFF = (
    "本文由本站记者采写，未经授权不得转载。欢迎读者通过热线电话、电子邮箱和客户端留言"
    "向我们提供新闻线索，一经采用将给予奖励。"
)


def _anchors(article) -> set[int]:
    return set(CopyAnchor.objects.filter(article=article).values_list("anchor", flat=True))


def _kept(text: str) -> set[int]:
    return set(copies.to_signed(copies.sketch(plain_text(text)).kept_anchors()))


def test_an_edited_article_is_indexed_by_its_new_text_only(publish):
    article = publish()
    assert _anchors(article) == _kept(story())
    article_update(
        article=article,
        data=ArticleInput.from_article(article, body_source=story(FLIGHT)),
        by=article.author.user,
    )
    deliver_pending()
    assert _anchors(article) == _kept(story(FLIGHT))


def test_a_passage_many_articles_share_stops_taking_articles(publish, monkeypatch):
    monkeypatch.setattr(CopyAnchor, "COMMON_ANCHOR", 2)
    bodies = [story([*STORY[i : i + 2], SIGN_OFF]) for i in range(0, 8, 2)]
    articles = [publish(body=body) for body in bodies]
    sign_off = set(copies.to_signed(copies.sketch(SIGN_OFF).anchors))
    holders = CopyAnchor.objects.filter(anchor__in=sign_off)
    counts = {anchor: holders.filter(anchor=anchor).count() for anchor in sign_off}
    assert counts and max(counts.values()) <= 2
    # The latest article still has its full count of anchors, from its own text.
    assert len(_anchors(articles[-1])) == len(
        copies.sketch(plain_text(bodies[-1])).kept_anchors(common=sign_off)
    )


def test_boilerplate_many_articles_share_makes_no_copy(publish, monkeypatch):
    monkeypatch.setattr(CopyAnchor, "COMMON_ANCHOR", 2)
    publish(body=story([*STORY[:3], SIGN_OFF]))
    publish(body=story([*FLIGHT[:3], SIGN_OFF]))
    # A short article: the sign-off is a third of it, as it is of the earlier ones.
    other = article_create(
        author=CreatorFactory(),
        channel=Channel.objects.get(slug="society"),
        title="楼市成交回暖",
        body_source=story([*MARKET[:3], SIGN_OFF]),
    )
    deliver_pending()
    assert ArticleAnalysis.objects.get(article=other).duplicate_of is None


def test_copies_awaiting_review_do_not_hide_the_original(publish):
    original = publish()
    copier = CreatorFactory()
    copy = story([*reversed(STORY[:6]), "据当地媒体报道，各部门已做好应对准备。"])
    drafts = [
        article_create(
            author=copier,
            channel=Channel.objects.get(slug="society"),
            title=f"寒潮来了{n}",
            body_source=copy,
        )
        for n in range(12)  # more than the candidates compared: all share more with the copy
    ]
    deliver_pending()
    assert {ArticleAnalysis.objects.get(article=d).duplicate_of_id for d in drafts} == {original.pk}


def test_rebuild_indexes_every_article_again(publish):
    first, second = publish(), publish(title="国产大飞机完成高原试飞", body=story(FLIGHT))
    before = set(CopyAnchor.objects.values_list("anchor", "article_id"))
    CopyAnchor.objects.all().delete()
    analysis_rebuild()
    assert set(CopyAnchor.objects.values_list("anchor", "article_id")) == before
    assert _anchors(first) and _anchors(second)


def test_pairs_are_read_with_escaped_line_breaks_and_checked():
    assert unescape(r"第一段\n\n第二段\t\\n") == "第一段\n\n第二段\t\\n"
    pairs = pairs_parse(["dup\ta1\tb1\t甲\\n乙\t丙", "", "distinct\ta1\tb2\t甲\\n乙\t丁"])
    assert [(p.kind, p.text_a) for p in pairs] == [("dup", "甲\n乙"), ("distinct", "甲\n乙")]
    with pytest.raises(ApplicationError, match="lines 1, 2"):
        pairs_parse(["copy\ta\tb\tx\ty", "dup\ta\tb\tx"])
    with pytest.raises(ApplicationError, match="line 2|lines 2"):
        pairs_parse(["dup\ta\tb\tx\ty", "dup\ta\tc\tother text\ty"])


def _pairs_file(tmp_path) -> str:
    def line(kind, id_a, id_b, a, b):
        escaped = [t.replace("\n", "\\n") for t in (a, b)]
        return "\t".join([kind, id_a, id_b, *escaped])

    reordered = story([*reversed(STORY[:6]), "据当地媒体报道，各部门已做好应对准备。"])
    partial = story([MARKET[0], *STORY[2:7], *MARKET[1:]])
    lines = [
        line("dup", "storm", "storm-reordered", story(), reordered),
        line("dup", "storm", "storm-partial", story(), partial),
        line("dup", "flight", "flight-copy", story(FLIGHT), story(FLIGHT[::-1])),
        line("distinct", "storm", "market", story(), story(MARKET)),
        line("distinct", "flight", "storm-later", story(FLIGHT), story(STORY[4:])),
    ]
    path = tmp_path / "pairs.tsv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_evaluation_publishes_the_originals_and_looks_every_copy_up(tmp_path):
    with open(_pairs_file(tmp_path), encoding="utf-8") as handle:
        pairs = pairs_parse(handle.read().splitlines())
    outcomes = pairs_evaluate(pairs)
    assert [(o.pair.id_b, o.returned) for o in outcomes] == [
        ("storm-reordered", "storm"),
        ("storm-partial", "storm"),
        ("flight-copy", "flight"),
        ("market", None),
        ("storm-later", "storm"),  # a copy indeed, but of another article than id_a
    ]
    result = figures(outcomes)
    assert (result.recall, result.precision, result.others) == (1.0, 1.0, 1)


def test_the_command_ends_with_recall_and_precision(tmp_path, capsys):
    results = tmp_path / "results.tsv"
    call_command(
        "analysis",
        "evaluate-near-duplicates",
        "--pairs",
        _pairs_file(tmp_path),
        "--results",
        str(results),
        "--in-throwaway-database",  # already in one: the test database
    )
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "recall=1.0000 precision=1.0000"
    assert results.read_text(encoding="utf-8").splitlines()[0].split("\t")[:4] == [
        "dup",
        "storm",
        "storm-reordered",
        "storm",
    ]
