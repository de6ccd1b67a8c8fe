"""Pure functions of search: highlighting, snippets, filter tokens; no database."""

from yaowen.search.snippets import highlight, snippet
from yaowen.textkit.tokenize import subword_grams


def test_highlight_marks_every_occurrence():
    assert highlight("寒潮<来>寒潮", ["寒潮"]) == [("寒潮", True), ("<来>", False), ("寒潮", True)]
    assert highlight("", ["寒潮"]) == [("", False)]


def test_highlight_matches_traditional_and_full_width_text_in_place():
    assert highlight("國際航運ＧＤＰ", ["国际", "gdp"]) == [
        ("國際", True),
        ("航運", False),
        ("ＧＤＰ", True),
    ]


def test_longer_terms_win_over_their_parts():
    assert highlight("大熊猫馆", ["熊猫", "大熊猫馆"]) == [("大熊猫馆", True)]


def test_snippet_centres_on_the_first_hit_with_ellipses():
    text = "甲" * 200 + "。这里提到寒潮。" + "乙" * 200
    result = snippet(text, ["寒潮"], size=40)
    assert result[0] == ("…", False) and result[-1] == ("…", False)
    assert ("寒潮", True) in result
    assert snippet("短文没有命中", ["寒潮"]) == [("短文没有命中", False)]


def test_subword_grams_cover_characters_and_pairs_of_chinese_words_only():
    assert subword_grams(["大熊猫", "gdp", "的"]) == ["大", "熊", "猫", "大熊", "熊猫"]
    # A repeated word gives its grams once.
    assert subword_grams(["熊猫", "熊猫", "猫"]) == ["熊", "猫"]


def test_month_tokens_cover_every_month_of_the_range():
    import datetime as dt

    from yaowen.analysis.facets import facet_tokens, month_tokens

    since = dt.datetime(2025, 11, 20, tzinfo=dt.UTC)
    until = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
    assert month_tokens(since, until) == ["m202511", "m202512", "m202601", "m202602"]
    assert facet_tokens(channel_id=3, author_id=7, published_at=until) == "c3 a7 m202602"
    assert facet_tokens(channel_id=3, author_id=7, published_at=None) == "c3 a7"
