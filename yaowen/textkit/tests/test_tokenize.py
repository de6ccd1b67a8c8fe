"""Tokenizer: index/query parity, script and width folding, user words, stopwords, robustness."""

import random
import unicodedata

import pytest

from yaowen.textkit.normalize import normalize
from yaowen.textkit.tokenize import ENGINES, Tokenizer, default_tokenizer, unfold_forms


@pytest.fixture(scope="module", params=ENGINES)
def tokenizer(request):
    return Tokenizer(engine=request.param, user_words=["娱乐叭叭君", "要闻号"])


def test_index_and_query_tokens_are_identical(tokenizer):
    text = "國際新聞：娱乐叭叭君在要闻号发布了２０２５年第一季度的ＧＤＰ数据解读。"
    assert tokenizer.tokens(text) == tokenizer.query_tokens(text)


def test_traditional_matches_simplified(tokenizer):
    assert tokenizer.tokens("國際新聞") == tokenizer.tokens("国际新闻")
    assert "国际" in tokenizer.query_tokens("國際")


def test_full_width_digits_and_letters_fold_to_half_width(tokenizer):
    assert tokenizer.tokens("ＡＢＣ公司２０２５年") == tokenizer.tokens("abc公司2025年")
    assert "2025" in tokenizer.tokens("２０２５年")


def test_numbers_are_kept(tokenizer):
    assert "600" in tokenizer.tokens("续航里程超过600公里")


def test_user_words_stay_whole(tokenizer):
    assert "娱乐叭叭君" in tokenizer.tokens("今天娱乐叭叭君发文说")


def test_user_words_added_later_and_in_traditional_script():
    tok = Tokenizer(engine="rjieba")
    tok.add_words(["財經小張同學"])
    assert "财经小张同学" in tok.tokens("关注财经小张同学的最新文章")


def test_stopwords_and_punctuation_are_removed(tokenizer):
    tokens = tokenizer.tokens("他们的公司，因为市场的变化。而且！！ 也是……")
    assert tokens == ["公司", "市场", "变化"]


def test_custom_stopwords_replace_the_bundled_list():
    tok = Tokenizer(engine="rjieba", stopwords=["公司"])
    assert tok.tokens("的公司") == ["的"]


def test_zero_width_characters_do_not_split_words(tokenizer):
    assert tokenizer.tokens("人工\u200b智能") == tokenizer.tokens("人工智能")


def test_never_raises_on_arbitrary_unicode(tokenizer):
    rng = random.Random(11)
    samples = ["", " ", "\x00", "\ud800", "\ufeff", "🙂🙂", "a\u0301", "ﷺ", "\U0010ffff"]
    for _ in range(300):
        samples.append("".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(40))))
    for text in samples:
        tokens = tokenizer.tokens(text)
        assert all(token and not token.isspace() for token in tokens)


def test_normalize_folds_width_case_and_script():
    assert normalize("ＡＢＣ１２３ 國際\u200d") == "abc123 国际"


def test_unfolding_compatibility_forms_changes_no_normalised_text():
    rng = random.Random(7)
    samples = [
        "ＡＢＣ１２３，國際（２０２５）…\xa0",
        "Ａ\u0301",
        "e\u0301\u0327",
        "①ｶﾞ",
        "ﷺ",
        "\u3000",
    ]
    for _ in range(300):
        samples.append("".join(chr(rng.randrange(0x110000)) for _ in range(rng.randrange(40))))
        samples.append(
            "".join(chr(rng.randrange(0xFE00, 0x10000)) for _ in range(rng.randrange(40)))
        )
    for text in samples:
        assert normalize(unfold_forms(text)) == normalize(text), ascii(text)
    # What it is for: Chinese punctuation no longer sends NFKC down its slow path.
    assert unicodedata.is_normalized("NFKC", unfold_forms("新闻，（２０２５）…\xa0报道"))


def test_the_same_words_give_the_same_tokens_every_time(tokenizer):
    text = "他们的公司，因为市场的变化。而且！！ 也是……"
    assert tokenizer.tokens(text) == tokenizer.tokens(text) == ["公司", "市场", "变化"]


def test_default_tokenizer_is_a_singleton():
    assert default_tokenizer() is default_tokenizer()


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="unknown engine"):
        Tokenizer(engine="thulac")
