"""Pasted plain text becomes a Markdown body with headings, references and a title."""

import datetime as dt
import random
import time

import pytest

from yaowen.newsroom.plaintext import DetectedReference, ImportedText, import_plain_text
from yaowen.newsroom.rendering import render_body

TITLE = "小城夜市重新热闹起来,摊主说今年生意比去年好,年轻人成了主力"

SAMPLE = f"""{TITLE}

入夏以后,江南一座小城的老街夜市重新热闹起来,傍晚六点不到,摊主们就已经支好了桌椅和灯串。

据当地商务部门统计,今年五月夜市客流比去年同期增长了三成,其中三十五岁以下的顾客占了一半以上。

夜市为何又“火”了?

一位卖了十几年糖水的摊主说,以前来逛的多是附近的老街坊,现在周末会有外地游客专门开车过来。

他觉得变化主要来自短视频,一条拍夜市烟火气的视频能带来好几百位新客人,有人拿着手机按图索骥地找摊位。



当地也在配合调整,晚上十点以后的临时停车不再贴罚单,老街口还加了两座公共厕所和一处垃圾分类点。

这些细节看上去很小,却实实在在地决定了游客愿不愿意再来一次。

摊主的“账本”

夜市热闹,不代表每个摊位都赚钱,租金、食材和人工都在涨,一些摊主算下来利润并没有想象中那么高。

卖烤肠的小王说,旺季一个晚上能卖出三百多根,但雨天几乎没有生意,一个月里总有几天是白守着的。



也有人开始想办法,比如把摊位搬到线上接团购订单,或者和附近的奶茶店合作推出套餐,分摊客流的波动。

结语

夜市的烟火气,说到底是一座城市愿不愿意为普通人的小生意留出空间,这比任何一次流量爆款都更持久。

参考资料
小城夜经济调查:年轻人撑起夜市半边天 江南日报 2025-06-12
夜间消费回暖 多地出台便民措施 2025年5月20日 新华网
"""


def test_sample_article_yields_title_headings_paragraphs_and_references():
    result = import_plain_text(SAMPLE)

    assert isinstance(result, ImportedText)
    assert result.title_suggestion == TITLE
    assert result.headings == ["夜市为何又“火”了?", "摊主的“账本”", "结语"]

    blocks = result.body_markdown.split("\n\n")
    assert "" not in blocks, "paragraphs are separated by exactly one blank line"
    headings = [block for block in blocks if block.startswith("## ")]
    paragraphs = [block for block in blocks if not block.startswith("## ")]
    assert headings == ["## 夜市为何又“火”了?", "## 摊主的“账本”", "## 结语"]
    assert len(paragraphs) == 10
    assert "\n\n\n" not in result.body_markdown
    assert TITLE not in result.body_markdown, "the title is not repeated in the body"

    assert result.references == [
        DetectedReference(
            source="江南日报",
            title="小城夜经济调查:年轻人撑起夜市半边天",
            published_on=dt.date(2025, 6, 12),
            url="",
            raw="小城夜经济调查:年轻人撑起夜市半边天 江南日报 2025-06-12",
        ),
        DetectedReference(
            source="新华网",
            title="夜间消费回暖 多地出台便民措施",
            published_on=dt.date(2025, 5, 20),
            url="",
            raw="夜间消费回暖 多地出台便民措施 2025年5月20日 新华网",
        ),
    ]
    for needle in ("参考资料", "江南日报", "新华网", "2025-06-12", "2025年5月20日"):
        assert needle not in result.body_markdown


def test_body_renders_with_the_detected_headings():
    html = render_body(import_plain_text(SAMPLE).body_markdown)
    assert html.count("<h2>") == 3
    assert "<h2>结语</h2>" in html
    assert html.count("<p>") == 10


def test_single_newline_separated_paste():
    text = "\n".join(
        [
            "社区食堂开进老小区",
            "早上七点,社区食堂的第一锅包子出笼,排队的大多是附近的老人和赶着上班的年轻人。",
            "一份早餐四块钱,老人凭卡还能再打九折,食堂负责人说目前基本能做到收支平衡。",
            "价格从哪里来",
            "食堂的场地由街道免费提供,水电按居民价收取,省下的房租直接让利给了居民。",
            "结语",
            "小食堂解决的是大问题,让老人吃得上热饭,也让邻里之间多了一个见面说话的地方。",
        ]
    )
    result = import_plain_text(text)

    assert result.title_suggestion == "社区食堂开进老小区"
    assert result.headings == ["价格从哪里来", "结语"]
    blocks = result.body_markdown.split("\n\n")
    assert len(blocks) == 6
    assert blocks[2] == "## 价格从哪里来"
    assert result.references == []


def test_text_without_references_keeps_every_paragraph():
    text = (
        "这是一篇没有参考资料的短文,作者只是记录了自己周末去菜市场的见闻和感受。\n\n"
        "菜市场里的西红柿比上周便宜了一块钱,摊主说是因为本地的大棚菜集中上市了。\n\n"
        "临走时摊主还多塞了一把小葱,说是老顾客的福利,下周再来。"
    )
    result = import_plain_text(text)

    assert result.references == []
    assert result.headings == []
    assert result.title_suggestion == ""
    assert result.body_markdown.count("\n\n") == 2
    assert "多塞了一把小葱" in result.body_markdown


@pytest.mark.parametrize(
    "heading",
    [
        "房价还会继续跌吗?",
        "年轻人为何“逃离”大城市?",
        "“躺平”还是“内卷”",
        "一、新规到底改了什么",
        "AI会取代记者吗?",
        "Why it matters",
    ],
)
def test_headings_with_question_marks_and_quotes(heading):
    paragraph = "这是紧跟在小标题后面的一段正文,它足够长,也以句号结尾,所以是一个普通的段落。"
    text = f"{paragraph}\n\n{heading}\n\n{paragraph}"
    result = import_plain_text(text)
    assert result.headings == [heading]
    assert f"## {heading}" in result.body_markdown.split("\n\n")


def test_english_references_marker_and_url():
    text = (
        "A short English paste about a city that reopened its night market this summer.\n\n"
        "Vendors say young visitors now make up most of the crowd on weekends.\n\n"
        "References:\n"
        "1. Night markets are back, City Daily, 2025/07/01 https://example.com/night-markets\n"
        "2. Street food and short videos, Morning Post, 2025.07.02\n"
    )
    result = import_plain_text(text)

    assert [(ref.source, ref.title, ref.published_on, ref.url) for ref in result.references] == [
        (
            "City Daily",
            "Night markets are back",
            dt.date(2025, 7, 1),
            "https://example.com/night-markets",
        ),
        ("Morning Post", "Street food and short videos", dt.date(2025, 7, 2), ""),
    ]
    assert "References" not in result.body_markdown
    assert "example.com" not in result.body_markdown


@pytest.mark.parametrize("marker", ["参考文献", "资料来源", "【参考资料】", "参考资料:"])
def test_other_chinese_reference_markers(marker):
    text = (
        "正文第一段,讲的是一件普通的小事,但写得足够长,所以不会被当成标题看待。\n\n"
        f"{marker}\n"
        "[1] 城市更新的十个样本 南方日报 2024-03-05\n"
    )
    result = import_plain_text(text)
    assert len(result.references) == 1
    assert result.references[0].source == "南方日报"
    assert result.references[0].title == "城市更新的十个样本"
    assert result.references[0].published_on == dt.date(2024, 3, 5)
    assert marker not in result.body_markdown


def test_text_after_the_references_block_stays_in_the_body():
    text = (
        "正文第一段,讲的是一件普通的小事,但写得足够长,所以不会被当成标题看待。\n\n"
        "参考资料\n"
        "城市更新的十个样本 南方日报 2024-03-05\n\n"
        "特别声明:以上内容为自媒体平台用户上传并发布,本平台仅提供信息存储服务,"
        "不代表本平台的观点或立场,如有侵权请联系删除。\n"
    )
    result = import_plain_text(text)
    assert len(result.references) == 1
    assert "特别声明" in result.body_markdown
    assert "南方日报" not in result.body_markdown


def test_windows_newlines_zero_width_and_bom_are_normalised():
    text = SAMPLE.replace("\n", "\r\n")
    text = "\ufeff" + text.replace("夜市", "夜\u200b市").replace("摊主", "摊\u200d主")
    result = import_plain_text(text)
    expected = import_plain_text(SAMPLE)

    assert result == expected
    assert "\r" not in result.body_markdown
    assert "\u200b" not in result.body_markdown


def test_runs_of_blank_lines_and_indents_collapse():
    text = "　　第一段正文,前面有全角缩进。   \n\n\n\n\n    第二段正文,前面有四个空格。\t\n"
    result = import_plain_text(text)
    assert result.body_markdown == "第一段正文,前面有全角缩进。\n\n第二段正文,前面有四个空格。"


@pytest.mark.parametrize("text", ["", " ", "\n\n\n", "\ufeff\u200b", "\r\n\r\n"])
def test_empty_input(text):
    assert import_plain_text(text) == ImportedText(
        body_markdown="", headings=[], references=[], title_suggestion=""
    )


@pytest.mark.parametrize(
    ("line", "rendered"),
    [
        ("# 不是标题", "# 不是标题"),
        ("> 不是引用", "&gt; 不是引用"),
        ("- 不是列表", "- 不是列表"),
        ("+ 不是列表", "+ 不是列表"),
        ("* 也不是列表", "* 也不是列表"),
        ("1. 不是有序列表", "1. 不是有序列表"),
        ("2) 不是有序列表", "2) 不是有序列表"),
        ("---", "---"),
        ("***", "***"),
        ("```", "```"),
        ("~~~", "~~~"),
        ("[1]: https://example.com", '[1]: <a href="https://example.com"'),
        ("<b>标签</b>会原样显示", "&lt;b&gt;标签&lt;/b&gt;会原样显示"),
        ("<div>块标签</div>", "&lt;div&gt;块标签&lt;/div&gt;"),
        ("<!-- 注释 -->", "&lt;!-- 注释 --&gt;"),
        ("标题 #", "标题 #"),
    ],
)
def test_markdown_and_html_looking_text_stays_literal(line, rendered):
    # Short lines between paragraphs may become headings: the text must survive either way.
    paragraph = "前面是一段普通的正文,写得足够长,并且以句号结尾,所以它是段落。"
    body = import_plain_text(f"{paragraph}\n\n{line}\n\n{paragraph}").body_markdown
    html = render_body(body)
    assert f"<p>{rendered}" in html or f"<h2>{rendered}" in html
    assert html.count("<p>") + html.count("<h2>") == 3
    assert "<ul>" not in html and "<ol>" not in html and "<blockquote>" not in html
    assert "<hr" not in html and "<pre>" not in html


def test_a_normal_paragraph_never_becomes_a_heading():
    rng = random.Random(20251113)
    pieces = ["中俄", "合作", "经济", "发展", "城市", "夜市", "年轻人", "短视频", "消费", "政策"]
    for _ in range(300):
        length = rng.randint(40, 160)
        words = []
        while sum(map(len, words)) < length:
            words.append(rng.choice(pieces))
        paragraph = "".join(words)[:length]
        if rng.random() < 0.5:
            paragraph = paragraph[:-1] + rng.choice("。!?？")
        text = f"{paragraph}\n\n{paragraph}{paragraph}\n\n{paragraph}"
        assert import_plain_text(text).headings == []


@pytest.mark.parametrize(
    "line",
    [
        "再说了,不结盟并不等于关系浅。",  # a short sentence
        "他问我:",  # introduces what follows
        "（图片来源:网络）",  # a caption in brackets
        "图为老街夜市的入口",  # a caption
        "来源:新华社",  # a credit line
        "2025-06-12 20:15:03",  # a timestamp
        "为什么这么多的年轻人愿意在周末开车一个多小时专门来这里逛夜市呢?",  # long question
    ],
)
def test_short_lines_that_are_not_headings(line):
    paragraph = "这是紧跟在后面的一段正文,它足够长,也以句号结尾,所以是一个普通的段落。"
    result = import_plain_text(f"{paragraph}\n\n{line}\n\n{paragraph}")
    assert result.headings == []


def test_lines_after_a_colon_are_list_items_not_headings():
    text = (
        "第一段正文写得足够长,以免被当成标题,然后作者列出了三点建议:\n"
        "多走走\n"
        "多看看老街的变化\n"
        "把看到的故事讲给身边更多的人听,让更多人知道这座城市的好。\n"
    )
    assert import_plain_text(text).headings == []


def test_title_is_only_suggested_when_the_first_line_looks_like_one():
    paragraph = "第一行就是一段完整的正文,它以句号结尾,所以不应该被当成标题推荐给作者。"
    assert import_plain_text(f"{paragraph}\n\n{paragraph}").title_suggestion == ""
    assert import_plain_text("只有一行短文字").title_suggestion == ""
    assert import_plain_text("只有一行短文字").body_markdown == "只有一行短文字"


def test_random_unicode_never_raises():
    rng = random.Random(42)
    alphabet = (
        "\n\n\n\r\t  #>-*1.[]():：,。!?？“”<>&\\`~|参考资料References2025-11-13年月日"
        "\u200b\ufeff\u2028\u3000\x00\x85"
    )
    for _ in range(500):
        length = rng.randint(0, 300)
        text = "".join(
            rng.choice(alphabet) if rng.random() < 0.6 else chr(rng.randint(0, 0x10FFFF))
            for _ in range(length)
        )
        result = import_plain_text(text)
        assert isinstance(result, ImportedText)
        render_body(result.body_markdown)  # lone surrogates and NULs are gone


def test_hundred_kilobytes_import_quickly():
    text = (SAMPLE * 80)[:100_000]
    timings = []
    for _ in range(3):  # the best of three, so a busy machine does not fail the test
        started = time.perf_counter()
        import_plain_text(text)
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.05
