"""Highlighting and snippets: pure functions, no database."""

from yaowen.search.snippets import highlight, snippet
from yaowen.textkit.tokenize import subword_grams


def test_highlight_marks_every_occurrence_and_escapes_the_rest():
    assert highlight("寒潮<来>寒潮", ["寒潮"]) == "<mark>寒潮</mark>&lt;来&gt;<mark>寒潮</mark>"


def test_highlight_matches_traditional_and_full_width_text_in_place():
    assert (
        highlight("國際航運ＧＤＰ", ["国际", "gdp"]) == "<mark>國際</mark>航運<mark>ＧＤＰ</mark>"
    )


def test_longer_terms_win_over_their_parts():
    assert highlight("大熊猫馆", ["熊猫", "大熊猫馆"]) == "<mark>大熊猫馆</mark>"


def test_snippet_centres_on_the_first_hit_with_ellipses():
    text = "甲" * 200 + "。这里提到寒潮。" + "乙" * 200
    result = snippet(text, ["寒潮"], size=40)
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>寒潮</mark>" in result
    assert snippet("短文没有命中", ["寒潮"]) == "短文没有命中"


def test_subword_grams_cover_characters_and_pairs_of_chinese_words_only():
    assert subword_grams(["大熊猫", "gdp", "的"]) == ["大", "熊", "猫", "大熊", "熊猫"]
