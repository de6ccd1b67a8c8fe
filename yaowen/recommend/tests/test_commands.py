"""`manage.py recommend rebuild|evaluate-related`."""

import re

import pytest
from django.core.management import CommandError, call_command

from yaowen.recommend.models import RelatedItem

pytestmark = pytest.mark.django_db

SUBJECTS = {
    "体育": ["国足", "中超", "主教练", "球迷", "联赛", "进球", "门将", "冠军"],
    "财经": ["股票", "沪指", "券商", "央行", "银行", "基金", "债券", "投资者"],
    "科技": ["芯片", "手机", "卫星", "模型", "软件", "算法", "屏幕", "电池"],
}


def _corpus(path, per_label=15):
    lines = []
    for label, words in SUBJECTS.items():
        for number in range(per_label):
            a, b, c = words[number % 8], words[(number + 3) % 8], words[(number + 5) % 8]
            lines.append(f"{label}\t{a}{b}相关消息第{number}则{c}\t")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_evaluate_related_prints_ours_and_the_baseline(tmp_path, capsys):
    call_command(
        "recommend", "evaluate-related", "--data", str(_corpus(tmp_path / "c.tsv")), "--k", "5"
    )
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0] == "articles=45 labels=3"
    assert re.fullmatch(r"baseline .*precision_at_5=0\.\d{4} coverage=\d\.\d{4}", out[-3])
    last = re.fullmatch(r"precision_at_5=(\d\.\d{4}) coverage=(\d\.\d{4})", out[-1])
    assert last, out[-1]
    assert float(last[1]) > 0.6 and float(last[2]) == 1.0
    # The throwaway database took the articles, not this one.
    assert not RelatedItem.objects.exists()


def test_evaluate_related_refuses_bad_input(tmp_path):
    bad = tmp_path / "bad.tsv"
    bad.write_text("体育\t国足取胜\t\nno-tab-here\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 lines are not label<TAB>title<TAB>body"):
        call_command("recommend", "evaluate-related", "--data", str(bad))
    with pytest.raises(CommandError, match="--k must be between 1 and 10"):
        call_command("recommend", "evaluate-related", "--data", str(bad), "--k", "11")
    with pytest.raises(CommandError, match="cannot read"):
        call_command("recommend", "evaluate-related", "--data", str(tmp_path / "missing.tsv"))


def test_rebuild_stores_every_published_articles_list(publish, capsys):
    first = publish(
        title="国足世预赛主场迎战日本队",
        body="国足主教练公布名单，球迷期待胜利。" * 5,
        channel="sports",
    )
    publish(
        title="国足客场逼平韩国队", body="国足门将扑出点球，主教练称赞球员。" * 5, channel="sports"
    )
    RelatedItem.objects.all().delete()
    call_command("recommend", "rebuild", "--reindex")
    assert "Stored the related lists of 2 articles" in capsys.readouterr().out
    assert RelatedItem.objects.filter(article=first).exists()
