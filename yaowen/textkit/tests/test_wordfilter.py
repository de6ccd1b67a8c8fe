"""The word matcher finds listed words however they are disguised, and only those."""

import pytest

from yaowen.textkit.wordfilter import (
    MASK_CHAR,
    Matcher,
    mask,
    skeleton,
    strongest,
    word_key,
)

LISTS = [
    ("法轮功", "politics", "block"),
    ("flg", "politics", "review"),
    ("发财", "ads", "mask"),
    ("赌博网站", "gambling", "block"),
    ("赌博", "gambling", "review"),
    ("sb", "abuse", "mask"),
    ("64", "politics", "review"),
    ("代开发票", "fraud", "block"),
]


@pytest.fixture(scope="module")
def matcher():
    return Matcher(LISTS)


def found(matcher, text):
    return [(text[hit.start : hit.end], hit.word) for hit in matcher.scan(text)]


@pytest.mark.parametrize(
    "text",
    [
        "法轮功",
        "法 轮 功",
        "法  轮\t功",
        "法.轮.功",
        "法-轮_功",
        "法*轮*功",
        "法😀轮😀功",
        "法\u200b轮功",
        "法\u200c\u200d轮\ufeff功",
        "法\u00ad轮\u2060功",
        "法「轮」功",
        "法,轮,功",
    ],
)
def test_separators_and_invisible_characters_do_not_hide_a_word(matcher, text):
    hits = matcher.scan(f"他们说{text}怎样")
    assert [hit.word for hit in hits] == ["法轮功"]
    hit = hits[0]
    assert f"他们说{text}怎样"[hit.start : hit.end] == text  # offsets into the original


@pytest.mark.parametrize("text", ["flg", "FLG", "ＦＬＧ", "Ｆ Ｌ Ｇ", "f.l.g", "Flg"])
def test_case_and_full_width_forms_match_the_plain_word(matcher, text):
    assert found(matcher, f"关于{text}的消息") == [(text, "flg")]


@pytest.mark.parametrize("text", ["發財", "发財", "發 財"])
def test_traditional_characters_match_the_simplified_word(matcher, text):
    assert found(matcher, f"恭喜{text}") == [(text, "发财")]


def test_listed_traditional_words_match_simplified_text():
    matcher = Matcher([("賭博", "gambling", "review")])
    assert found(matcher, "网上赌博") == [("赌博", "賭博")]


def test_mixed_evasions_in_one_word(matcher):
    text = "加入我们，代\u200b開 發.票，包你發 财"
    assert found(matcher, text) == [("代\u200b開 發.票", "代开发票"), ("發 财", "发财")]


def test_clause_punctuation_and_line_breaks_are_never_skipped(matcher):
    # 出发，财务 would read as 发财 if the comma were skipped, and so on.
    for text in ["明天出发，财务部门随行", "出发。财务", "出发\n财务", "出发！财务", "出发；财务"]:
        assert matcher.scan(text) == (), text
    # The same characters with an ASCII separator are an evasion.
    assert found(matcher, "出发.财务") == [("发.财", "发财")]


def test_latin_words_match_only_as_whole_words(matcher):
    assert matcher.scan("usb 接口") == ()
    assert matcher.scan("sbx") == ()
    assert found(matcher, "你是SB吧") == [("SB", "sb")]
    assert found(matcher, "you are sb!") == [("sb", "sb")]
    assert matcher.scan("1964年") == ()
    assert found(matcher, "六月64事件") == [("64", "64")]


def test_overlapping_hits_are_all_reported_and_the_strongest_action_wins(matcher):
    screening = matcher.screen("这是一个赌博网站")
    assert [(hit.word, hit.action) for hit in screening.hits] == [
        ("赌博网站", "block"),
        ("赌博", "review"),
    ]
    assert screening.action == "block"


def test_masking_replaces_only_the_letters_of_mask_hits(matcher):
    screening = matcher.screen("祝你发 财，你这个SB，法轮功")
    assert screening.masked == f"祝你{MASK_CHAR} {MASK_CHAR}，你这个{MASK_CHAR * 2}，法轮功"
    assert screening.action == "block"
    assert screening.words("block") == ("法轮功",)
    assert screening.words() == ("发财", "sb", "法轮功")


def test_clean_text_is_allowed_and_unchanged(matcher):
    text = "长江流域迎来今冬首场寒潮，气象部门发布预警。"
    screening = matcher.screen(text)
    assert screening.hits == ()
    assert screening.action == "allow"
    assert screening.masked is text


def test_words_with_the_same_matching_form_keep_the_strongest_action():
    matcher = Matcher([("發財", "ads", "mask"), ("发 财", "ads", "block")])
    assert matcher.size == 1
    assert matcher.screen("发财").action == "block"


def test_words_without_letters_are_ignored_and_unknown_actions_refused():
    assert Matcher([("…", "other", "block")]).size == 0
    assert Matcher([]).scan("任何文字") == ()
    with pytest.raises(ValueError):
        Matcher([("词", "other", "delete")])


def test_offsets_survive_characters_that_expand_or_vanish():
    matcher = Matcher([("株式会社", "other", "mask")])
    text = "㈱\u200b会\u200b社"  # ㈱ folds to 株, not 株式: no hit, and no crash
    assert matcher.scan(text) == ()
    matcher = Matcher([("株会社", "other", "mask")])
    hits = matcher.scan("ab㈱\u200b会社cd")
    assert [(hit.start, hit.end) for hit in hits] == [(2, 6)]
    assert mask("ab㈱\u200b会社cd", hits) == "ab＊\u200b＊＊cd"


def test_the_skeleton_and_word_keys():
    assert skeleton("Ｈｅｌｌｏ, 世界！") == "hello世界\n"
    assert skeleton("café") == skeleton("cafe\u0301") == "cafe"
    assert word_key("發 財。") == "发财"
    assert strongest(["mask", "review", "allow"]) == "review"
    assert strongest([]) == "allow"


def test_long_runs_of_unlisted_characters_and_line_breaks_are_harmless(matcher):
    text = "\n" * 600 + "english text without any listed word " * 20 + "恭喜发财"
    assert found(matcher, text) == [("发财", "发财")]
    # A letter that is in no listed word still separates the words around it.
    assert matcher.scan("法X轮功") == ()
