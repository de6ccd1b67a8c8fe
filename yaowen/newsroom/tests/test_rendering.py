"""Markdown bodies render to safe HTML with figures and captions."""

from yaowen.newsroom.rendering import render_body, summarise


def test_single_image_paragraph_becomes_figure_with_caption_and_alt():
    html = render_body('![夜色中的城市](/media/f.webp "城市的夜晚")')
    assert html.startswith("<figure>")
    assert 'alt="夜色中的城市"' in html
    assert "<figcaption>城市的夜晚</figcaption>" in html
    assert 'loading="lazy"' in html


def test_headings_start_at_h2_because_the_title_is_h1():
    html = render_body("# 大标题\n\n## 小标题\n\n正文")
    assert "<h1>" not in html
    assert html.count("<h2>") == 2


def test_scripts_raw_html_and_javascript_links_are_removed():
    html = render_body(
        "<script>alert(1)</script>\n\n[点我](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_links_are_marked_nofollow_and_caption_markup_is_escaped():
    html = render_body('[来源](https://example.com)\n\n![图](/a.png "说明<b>加粗</b>")')
    assert 'rel="nofollow noopener noreferrer ugc"' in html
    assert "<b>" not in html


def test_summary_is_the_first_plain_paragraph_cut_to_length():
    source = "## 标题\n\n" + "这是第一段。" * 30 + "\n\n第二段"
    summary = summarise(source, limit=20)
    assert len(summary) == 20
    assert summary.endswith("…")
    assert summary.startswith("这是第一段")
